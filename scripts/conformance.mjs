// Judges a directory of files in the ../shared/conformance format against descent, on every backend.
// Usage: npm run conformance -- <dir> [--backend wasm-simd|wasm-scalar|js] [--only <substring>] [--quiet]
// Prints one line per case and ends with "N passed, M failed"; exits 1 if any case failed or the
// directory holds no file this runner knows.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HANDLERS } from '../dist/conformance/index.js';
import { init } from '../dist/entry/node.js';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const onlyBackend = flag('--backend');
const only = flag('--only');
const quiet = args.includes('--quiet');
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length !== 1) {
  console.error('usage: npm run conformance -- <dir> [--backend wasm-simd|wasm-scalar|js] [--only <substring>] [--quiet]');
  process.exit(2);
}
const dir = resolve(positional[0]);
if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`conformance: ${dir} is not a directory`);
  process.exit(2);
}

const ALL = ['wasm-simd', 'wasm-scalar', 'js'];
if (onlyBackend && !ALL.includes(onlyBackend)) {
  console.error(`conformance: --backend must be one of ${ALL.join(', ')}, got ${onlyBackend}`);
  process.exit(2);
}
const ctx = {
  readText: (rel) => readFileSync(join(dir, rel), 'utf8'),
  backends: onlyBackend ? [onlyBackend] : ALL,
  useBackend: async (b) => {
    await init({ backend: b });
  },
};

let passed = 0, failed = 0, known = 0;
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  const handler = HANDLERS.find((h) => h.matches(basename(file)));
  if (!handler) {
    console.log(`skip  ${file}: no handler for this file kind`);
    continue;
  }
  known++;
  let results;
  try {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    results = await handler.run(file, json, ctx);
  } catch (e) {
    results = [{ file, name: '(whole file)', backend: '-', passed: false, detail: `handler ${handler.name} threw: ${e?.stack ?? e}` }];
  }
  for (const r of results) {
    if (only && !`${r.file} ${r.name}`.includes(only)) continue;
    if (r.passed) passed++;
    else failed++;
    if (!quiet || !r.passed) {
      console.log(`${r.passed ? 'PASS' : 'FAIL'}  ${r.file}  ${r.name}  [${r.backend}]  ${r.detail}`);
    }
  }
}
if (known === 0) {
  console.log(`conformance: no file in ${dir} is of a kind this runner knows`);
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
