// Generates the glue from the kernel manifest (scripts/gen-glue.mjs), then builds the release .wasm
// files (SIMD, relaxed SIMD and scalar, one ABI), the debug build, and the TypeScript (dist/ with .d.ts), and prints
// the sizes. Usage: npm run build [-- --no-debug]
import { execFileSync } from 'node:child_process';
import { copyFileSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntries } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['scripts/gen-glue.mjs']);
mkdirSync(join(root, 'build'), { recursive: true });
/** The relaxed-SIMD build (asconfig.json: simd + relaxed-simd): backend 'wasm-relaxed'. */
const RELAXED_TARGETS = ['release-relaxed'];
const targets = ['release-simd', 'release-scalar', ...RELAXED_TARGETS];
if (!process.argv.includes('--no-debug')) targets.push('debug');
for (const t of targets) run(bin('asc'), ['assembly/index.ts', '--target', t]);
rmSync(join(root, 'dist'), { recursive: true, force: true }); // no stale files from deleted sources reach the package
run(bin('tsc'), ['-p', 'tsconfig.json']);
// The data sets' provenance and licences travel with the package (dist/ is what ships).
copyFileSync(join(root, 'src/data/builtin/ATTRIBUTION.md'), join(root, 'dist/data/builtin/ATTRIBUTION.md'));
// Packaging: the types of the descent/wasm/* subpaths, and one-file entries for Node, Deno and Bun.
copyFileSync(join(root, 'src/entry/wasm-build.d.ts'), join(root, 'dist/entry/wasm-build.d.ts'));
await bundleEntries();

const kb = (f) => `${(statSync(join(root, f)).size / 1024).toFixed(1)} KiB`;
for (const f of ['build/descent-simd.wasm', 'build/descent-relaxed.wasm', 'build/descent-scalar.wasm', ...(targets.includes('debug') ? ['build/descent-debug.wasm'] : [])]) {
  console.log(`${f.padEnd(28)} ${kb(f)}`);
}
console.log(`${'dist/bundle/node.js'.padEnd(28)} ${kb('dist/bundle/node.js')} (+ ${'shared chunk'})`);
