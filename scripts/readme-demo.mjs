// Writes what the README shows from real runs, never by hand:
//  - the command-line demo between the <!-- cli-demo --> markers: each command run in a
//    pseudo-terminal (util-linux `script`, 100 columns) on the built-in iris data written as CSV,
//    shown as the terminal shows it at the end (progress-bar redraws applied);
//  - the pictures of the surface-plot section: each ```js block under "## Loss landscapes" is run
//    and the SVG it writes to docs/ is rendered to PNG beside it (scripts/render-svg.mjs).
// test/cli/readme.test.ts and test/landscape/readme.test.ts run the same commands and blocks and
// compare. Usage: npm run build && node scripts/readme-demo.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin/descent.mjs');

/** The commands of the demo, as a user types them (`descent` is `npx descent`, or node bin/descent.mjs here). */
export const DEMO = [
  'descent train iris.csv --target species --epochs 60 --lr 0.05 --out iris-model.json --plot iris-loss.svg',
  'descent evaluate iris-model.json iris.csv',
  'descent predict iris-model.json iris.csv --proba | head -4',
  'descent lr-find iris.csv --target species --plot lr.svg',
  'descent train iris.csv --target specie --out model.json; echo "exit $?"',
  'descent train iris.csv --target species --epoch 20 --out model.json; echo "exit $?"',
];

export const START = '<!-- cli-demo: written by `node scripts/readme-demo.mjs` from real runs in a terminal; test/cli/readme.test.ts runs them again -->';
export const END = '<!-- /cli-demo -->';

/** Writes iris.csv (the built-in iris data, species as text) into `dir`. */
export async function writeDemoData(dir) {
  const { loadIris } = await import(pathToFileURL(join(root, 'dist/data/index.js')).href);
  const { datasetCSV } = await import(pathToFileURL(join(root, 'dist/cli/data.js')).href);
  const iris = loadIris();
  writeFileSync(join(dir, 'iris.csv'), datasetCSV(iris, 'species', iris.targetNames));
}

function shellWord(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a shell command line in a pseudo-terminal of `columns` columns, in `cwd`, with `descent`
 * defined as this checkout's binary. Returns the exit code and the raw terminal output (stdout and
 * stderr merged, CRLF line ends, redraws and all).
 */
export function terminal(cwd, commandLine, columns = 100) {
  const script = `stty cols ${columns} 2>/dev/null; descent() { ${shellWord(process.execPath)} ${shellWord(BIN)} "$@"; }; ${commandLine}`;
  const r = spawnSync('script', ['-qfec', script, '/dev/null'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, output: r.stdout };
}

/** What the terminal shows at the end: each line's last redraw (after its last '\r'), erase-to-end codes applied. */
export function screen(raw) {
  return raw
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.split('\r').pop().replace(/\x1b\[K/g, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

/** The demo as the README shows it: each command after "$ " and its screen, in one console block. */
export async function demoSection() {
  const dir = mkdtempSync(join(tmpdir(), 'descent-demo-'));
  try {
    await writeDemoData(dir);
    const parts = DEMO.map((cmd) => `$ ${cmd}\n${screen(terminal(dir, cmd).output)}`);
    return `${START}\n\`\`\`console\n${parts.join('\n')}\n\`\`\`\n${END}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo's commands and outputs, read back from README text. */
export function readDemo(readme) {
  const body = readme.split(START)[1]?.split(END)[0];
  if (body === undefined) throw new Error('README.md has no cli-demo section; run node scripts/readme-demo.mjs');
  const text = body.replace(/^\s*```console\n/, '').replace(/```\s*$/, '');
  return text.split(/^\$ /m).filter(Boolean).map((chunk) => {
    const nl = chunk.indexOf('\n');
    return { command: chunk.slice(0, nl), output: chunk.slice(nl + 1).replace(/\n$/, '') };
  });
}

/** Output with what depends on the clock masked: ms per epoch, time left, time in all. */
export function maskTimes(text) {
  return text.replace(/\b\d+ ms\b/g, '# ms').replace(/\b(\d+h)?(\d+m)?\d+s (left|in all)\b/g, '#s $3');
}

/** The ```js blocks of the README section that holds the pictures. */
export function figureBlocks(readme) {
  const section = readme.split('## Loss landscapes')[1]?.split(/\n## /)[0];
  if (section === undefined) throw new Error("README.md has no '## Loss landscapes' section");
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * Runs a README block: its `import { ... } from 'descent'` and `from 'node:fs'` lines are bound to
 * `descent` and to `fs`; returns what it wrote with writeFileSync, by path.
 */
export async function runBlock(code, descent, fs = { writeFileSync }) {
  const written = new Map();
  const names = [...code.matchAll(/^import \{([^}]+)\} from '([^']+)';$/gm)];
  const bind = names.map(([, list, from]) => `const {${list}} = ${from === 'descent' ? '__d' : '__fs'};`).join('\n');
  const body = code.replace(/^import .*$/gm, '');
  const wrap = { writeFileSync: (path, text) => { written.set(path, String(text)); fs.writeFileSync(path, text); } };
  const fn = new Function('__d', '__fs', `${bind}\nreturn (async () => {\n${body}\n})();`);
  await fn(descent, wrap);
  return written;
}

async function main() {
  const readmePath = join(root, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  const section = await demoSection();
  if (!readme.includes(START)) throw new Error(`README.md needs the markers ${START} and ${END} where the demo goes`);
  readme = readme.slice(0, readme.indexOf(START)) + section + readme.slice(readme.indexOf(END) + END.length);
  writeFileSync(readmePath, readme);
  console.log('README.md: cli-demo section written');

  const descent = await import(pathToFileURL(join(root, 'dist/entry/node.js')).href);
  await descent.init();
  process.chdir(root);
  for (const block of figureBlocks(readme)) {
    const written = await runBlock(block, descent);
    for (const path of written.keys()) {
      console.log(`${path} written`);
      if (path.endsWith('.svg')) execFileSync(process.execPath, [join(root, 'scripts/render-svg.mjs'), path], { stdio: 'inherit' });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
