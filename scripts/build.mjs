// Generates the glue from the kernel manifest (scripts/gen-glue.mjs), then builds the release .wasm
// files (SIMD, relaxed SIMD and scalar, one ABI; SIMD and scalar also as threaded builds importing a
// shared memory), the debug build, and the TypeScript (dist/ with .d.ts), and prints the sizes.
// Usage: npm run build [-- --no-debug]
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntries } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const runAsync = (cmd, args) => new Promise((resolve, reject) => {
  execFile(cmd, args, { cwd: root }, (err, stdout, stderr) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    if (err) reject(err);
    else resolve();
  });
});
/** The threaded builds (asconfig.json: threads + sharedMemory), loaded by init() when threads run. */
const THREADED_TARGETS = ['release-simd-threads', 'release-scalar-threads'];

run(process.execPath, ['scripts/gen-glue.mjs']);
mkdirSync(join(root, 'build'), { recursive: true });
/** The relaxed-SIMD build (asconfig.json: simd + relaxed-simd): backend 'wasm-relaxed'. */
const RELAXED_TARGETS = ['release-relaxed'];
const targets = ['release-simd', 'release-scalar', ...RELAXED_TARGETS, ...THREADED_TARGETS];
if (!process.argv.includes('--no-debug')) targets.push('debug');
// two at a time: asc is single-threaded and the builds are independent
await Promise.all([0, 1].map(async (lane) => {
  for (let i = lane; i < targets.length; i += 2) await runAsync(bin('asc'), ['assembly/index.ts', '--target', targets[i]]);
}));
rmSync(join(root, 'dist'), { recursive: true, force: true }); // no stale files from deleted sources reach the package
run(bin('tsc'), ['-p', 'tsconfig.json']);
// The data sets' provenance and licences travel with the package (dist/ is what ships).
copyFileSync(join(root, 'src/data/builtin/ATTRIBUTION.md'), join(root, 'dist/data/builtin/ATTRIBUTION.md'));
// Packaging: the types of the descent/wasm/* subpaths, and one-file entries for Node, Deno and Bun.
copyFileSync(join(root, 'src/entry/wasm-build.d.ts'), join(root, 'dist/entry/wasm-build.d.ts'));
await bundleEntries();

const kb = (f) => `${(statSync(join(root, f)).size / 1024).toFixed(1)} KiB`;
for (const f of ['build/descent-simd.wasm', 'build/descent-relaxed.wasm', 'build/descent-scalar.wasm', 'build/descent-simd-threads.wasm', 'build/descent-scalar-threads.wasm', ...(targets.includes('debug') ? ['build/descent-debug.wasm'] : [])]) {
  console.log(`${f.padEnd(28)} ${kb(f)}`);
}
console.log(`${'dist/bundle/node.js'.padEnd(28)} ${kb('dist/bundle/node.js')} (+ ${'shared chunk'})`);
