#!/usr/bin/env node
// The probe matrix: runs the bad-input table (test/bad-input/cases.mjs) against the built package
// (dist/, so `npm run build` first) on every backend, and prints the count of each outcome:
// clear error / correct / crash / vague / silent / changed / leak (and n/a for rows that need an
// export this build lacks). With --list it prints every row that is not clear or correct.
//
//   node scripts/probe.mjs [--list] [--backend wasm-simd|wasm-scalar|js] [--dist path/to/dist]
//
// Run it on an older commit by copying this file and test/bad-input/ into that tree (its dist/
// must be built): the same rows, the same classification.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = args.includes('--list');
const distDir = resolve(flag('--dist') ?? resolve(here, '..', 'dist'));
const backends = flag('--backend') ? [flag('--backend')] : ['wasm-simd', 'wasm-scalar', 'js'];

const d = await import(pathToFileURL(resolve(distDir, 'entry', 'node.js')).href);
const { buildCases } = await import(pathToFileURL(resolve(here, '..', 'test', 'bad-input', 'cases.mjs')).href);
const { runRow, OUTCOMES } = await import(pathToFileURL(resolve(here, '..', 'test', 'bad-input', 'harness.mjs')).href);

const rows = buildCases();
const total = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
const lines = [];
for (const backend of backends) {
  await d.init({ backend, maxMemoryMB: 1024 });
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
  for (const row of rows) {
    let r;
    try {
      r = await runRow(d, row);
    } catch (e) {
      r = { outcome: 'crash', detail: `harness: ${e?.message ?? e}` };
    }
    counts[r.outcome]++;
    total[r.outcome]++;
    if (list && r.outcome !== 'clear' && r.outcome !== 'correct') lines.push(`${backend} [${r.outcome}] ${row.id}: ${r.detail}`);
  }
  console.log(`${backend.padEnd(12)} ${rows.length} rows: ${OUTCOMES.map((o) => `${o} ${counts[o]}`).join(', ')}`);
}
console.log(`${'all'.padEnd(12)} ${rows.length * backends.length} runs: ${OUTCOMES.map((o) => `${o} ${total[o]}`).join(', ')}`);
if (list) for (const l of lines) console.log(l);
