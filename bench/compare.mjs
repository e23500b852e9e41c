// Compares the current bench/results/<suite>.json with the same suites' results at an earlier commit,
// row by row, and writes bench/results/compare.json (a section of bench/RESULTS.md) with its targets:
// no descent path got slower. Rows are matched by their label cells (optimizer, n, path, product, ...);
// every time column (µs, ms, ns) is compared as after/before. Peer rows (TF.js, ml-*) are compared too
// but kept apart: they measure how much the machine itself moved between the two runs.
// Usage: node bench/compare.mjs <git-rev> [suite ...]   (default suites: every results file at both)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { isMain, writeResults } from './harness.mjs';

export const title = 'Every step against the results before an earlier commit';

/** The target: no descent time row more than 10% slower (from the stored rows, as the test recomputes it). */
export function targetsOf(data) {
  const slower = data.rows.filter((r) => !r.peer && r.ratio > SLOWER).length;
  return [{ name: `descent time rows more than ${Math.round((SLOWER - 1) * 100)}% slower than at ${data.rev}`, measured: slower, goal: 0, unit: 'rows', met: slower === 0 }];
}

const SLOWER = 1.1;

function main() {
  const [rev, ...named] = process.argv.slice(2);
  if (!rev) {
    console.error('bench/compare: usage: node bench/compare.mjs <git-rev> [suite ...]');
    process.exit(2);
  }
  const MEASURED = /µs|ms|ns\/|GB\/s|GFLOP|vs|%|accuracy|epochs|medians|MFLOP/i;
  const TIME = /µs|\bms\b|ms\/|ms |ns\//;

  /** The first markdown table of a suite's text as { header, rows } with cells trimmed. */
  function tables(markdown) {
    const out = [];
    let cur = null;
    for (const line of markdown.split('\n')) {
      if (!line.startsWith('|')) { cur = null; continue; }
      const cells = line.slice(1, -1).split('|').map((c) => c.trim());
      if (cells.every((c) => /^-+$/.test(c))) continue;
      if (!cur) out.push((cur = { header: cells, rows: [] }));
      else cur.rows.push(cells);
    }
    return out;
  }

  /** Map "label cells" → { column header → number } over every table of a suite. */
  function timedRows(markdown) {
    const map = new Map();
    tables(markdown).forEach((t, ti) => {
      const keyCols = t.header.map((h, i) => (MEASURED.test(h) ? -1 : i)).filter((i) => i >= 0);
      const timeCols = t.header.map((h, i) => (TIME.test(h) && !/vs/.test(h) ? i : -1)).filter((i) => i >= 0);
      for (const r of t.rows) {
        const key = `${ti}: ${keyCols.map((i) => r[i]).join(' · ')}`;
        const times = {};
        for (const i of timeCols) {
          const v = Number.parseFloat(r[i]);
          if (Number.isFinite(v)) times[t.header[i]] = v;
        }
        map.set(key, times);
      }
    });
    return map;
  }

  const isPeer = (key) => /tfjs|ml-logistic|sklearn|jax/i.test(key);
  const here = new URL('./results/', import.meta.url);
  const current = readdirSync(here).filter((f) => f.endsWith('.json') && f !== 'compare.json').map((f) => f.slice(0, -5));
  const suites = named.length ? named : current;
  const rows = [];
  const summary = [];
  for (const suite of suites) {
    let before;
    try {
      before = JSON.parse(execFileSync('git', ['show', `${rev}:bench/results/${suite}.json`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    } catch {
      continue; // a suite that did not exist then has nothing to compare
    }
    const after = JSON.parse(readFileSync(new URL(`${suite}.json`, here), 'utf8'));
    const a = timedRows(after.markdown);
    const b = timedRows(before.markdown);
    const ours = [];
    const peers = [];
    for (const [key, times] of a) {
      const old = b.get(key);
      if (!old) continue;
      for (const [col, v] of Object.entries(times)) {
        if (!(col in old) || old[col] <= 0) continue;
        const ratio = v / old[col];
        (isPeer(key) ? peers : ours).push(ratio);
        rows.push({ suite, key: key.replace(/^\d+: /, ''), col, before: old[col], after: v, ratio, peer: isPeer(key) });
      }
    }
    const med = (xs) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] : NaN);
    summary.push({ suite, date: before.machine?.date, n: ours.length, median: med(ours), worst: Math.max(...ours), peerMedian: med(peers) });
  }

  const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
  const slower = rows.filter((r) => !r.peer && r.ratio > SLOWER);
  const markdown = [
    `Every time row of each suite now against the same row in the results committed at \`${rev}\` (after/before: below 1 is faster). Peer rows (TF.js, ml-logistic-regression) did not change code, so their ratio shows how much the machine moved between the two runs.`,
    '',
    '| suite | results before | descent rows | median after/before | slowest row after/before | peers\' median after/before |',
    '| --- | --- | --- | --- | --- | --- |',
    ...summary.map((s) => `| ${s.suite} | ${s.date ?? '?'} | ${s.n} | ${f(s.median)} | ${f(s.worst)} | ${f(s.peerMedian)} |`),
    '',
    slower.length ? `Descent rows more than ${Math.round((SLOWER - 1) * 100)}% slower:` : `No descent row is more than ${Math.round((SLOWER - 1) * 100)}% slower.`,
    '',
    ...(slower.length
      ? ['| suite | row | column | before | after | after/before |', '| --- | --- | --- | --- | --- | --- |',
        ...slower.map((r) => `| ${r.suite} | ${r.key} | ${r.col} | ${r.before} | ${r.after} | ${f(r.ratio)} |`)]
      : []),
  ].join('\n');

  writeResults('compare', { title: `${title} (${rev})`, targetsOf }, { markdown, data: { command: `node bench/compare.mjs ${process.argv.slice(2).join(' ')}`, rev, summary, rows } });
}

if (isMain(import.meta.url)) main();
