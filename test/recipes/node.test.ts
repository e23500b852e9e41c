// Node recipes from the README, run from the packed tarball in a fresh project: ESM, CommonJS, the
// compile cache of the Node entry (src/entry/compile-cache.ts), the data-set and .wasm subpaths, the initSync example of
// the shipped TSDoc, and a deliberately broken set-up (an app bundled into one file without the .wasm).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, readmeRecipe, run } from './helpers.js';

let dir = '';

/**
 * The @example of a function's TSDoc in the shipped .d.ts, as a runnable module: `import 'descent'`
 * added if it has none, and each `expr; // 'value'` line checked (it throws if expr is not 'value').
 */
function shippedExample(dts: string, fn: string): string {
  const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare function (\w+)/g;
  for (const m of dts.matchAll(doc)) {
    if (m[2] !== fn) continue;
    const ex = m[1].split('@example')[1];
    if (!ex) break;
    const code = ex.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n').split(/\n@\w/)[0]
      .replace(/^(\s*)([^\n;]+);\s*\/\/ ('[^']*')(.*)$/gm, (_, pad, expr, value, rest) =>
        `${pad}if ((${expr}) !== ${value}) throw new Error(${JSON.stringify(`${expr} is not ${value}`)}); //${rest}`);
    const imports = /from 'descent'/.test(code) ? '' : "import { init, initSync, backendName, backendInfo } from 'descent';\n";
    return imports + code;
  }
  throw new Error(`no @example for ${fn} in the shipped .d.ts`);
}

beforeAll(() => {
  const initDts = readFileSync(join(makeProject('node-dts', {}), 'node_modules/descent/dist/init.d.ts'), 'utf8');
  dir = makeProject('node', {
    ...readmeRecipe('node'),
    'init-sync.mjs': `${shippedExample(initDts, 'initSync')}\nconsole.log(backendName());\n`,
    'init-example.mjs': `${shippedExample(initDts, 'init')}\nconsole.log(backendName());\n`,
    'subpaths.mjs': [
      "import { loadIris, loadDigits } from 'descent/datasets';",
      "import * as main from 'descent';",
      'const iris = loadIris();',
      "console.log(JSON.stringify({ shape: iris.shape, digits: loadDigits().shape, same: main.loadIris === undefined ? 'missing' : typeof main.loadIris,",
      "  simd: import.meta.resolve('descent/wasm/simd').endsWith('/node_modules/descent/build/descent-simd.wasm'),",
      "  scalar: import.meta.resolve('descent/wasm/scalar').endsWith('/node_modules/descent/build/descent-scalar.wasm') }));",
    ].join('\n'),
    // the Node bundle reads its data sets on first use (dist/bundle/datasets-data.cjs), not at import
    'lazy-data.mjs': [
      "import { createRequire } from 'node:module';",
      "import * as main from 'descent';",
      "import * as sub from 'descent/datasets';",
      'const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith("datasets-data.cjs")).length;',
      'const before = loaded();',
      'const a = main.loadDigits(), b = sub.loadDigits(), sa = main.digitsSplit(), sb = sub.digitsSplit();',
      'const same = (x, y) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));',
      'console.log(JSON.stringify({ before, after: loaded(), X: same(a.X.data, b.X.data), y: same(a.y, b.y), split: same(sa.trainIndices, sb.trainIndices) && same(sa.scalerScale, sb.scalerScale),',
      '  shapes: [main.loadIris().shape, main.loadWine().shape, main.loadBreastCancer().shape, main.loadDiabetes().shape] }));',
    ].join('\n'),
    'app-data.mjs': "import { loadIris } from 'descent';\nconsole.log(JSON.stringify(loadIris().shape));\n",
    'app-data-fixed.mjs': "import { loadIris } from 'descent/datasets';\nconsole.log(JSON.stringify(loadIris().shape));\n",
    'reason.mjs': "import { init, backendInfo, threadsReady } from 'descent';\nconst first = await init();\nconst info = await threadsReady();\nconsole.log(JSON.stringify([info, backendInfo(), first]));\n",
    'app.mjs': "import { init, backendName } from 'descent';\nawait init();\nconsole.log(backendName());\n",
    'which.mjs': "import { init, backendName } from 'descent';\nawait init();\nconsole.log(import.meta.resolve('descent'), backendName());\n",
    // what the compile cache did in this process, and whether import and require() share one instance
    'cache.mjs': [
      "import { createRequire } from 'node:module';",
      "import * as esm from 'descent';",
      "const cjs = createRequire(import.meta.url)('descent');",
      'await esm.init();',
      "console.log(JSON.stringify({ ...cjs[Symbol.for('descent.compileCache')], backend: esm.backendName(), same: esm.init === cjs.init && esm.Tensor === cjs.Tensor,",
      '  names: Object.keys(esm).length, missing: Object.keys(cjs).filter((k) => !(k in esm)) }));',
    ].join('\n'),
    // worker_threads from the installed package: the same dot with 3 threads and with 1, and the process exits by itself
    'threads.mjs': [
      "import { init, threadsReady, tensor, dot } from 'descent';",
      'const xs = Float32Array.from({ length: 300_001 }, (_, i) => Math.sin(i));',
      'await init({ threads: 3 });',
      'const three = await threadsReady();',
      'const a = dot(tensor(xs), tensor(xs));',
      'await init({ threads: 1 });',
      'const b = dot(tensor(xs), tensor(xs));',
      'console.log(JSON.stringify({ threads: three.threads, reason: three.threadsReason, same: Object.is(a, b) }));',
    ].join('\n'),
  }, ['esbuild']);
});

describe('Node recipes (from the packed tarball)', () => {
  it(`ESM: import 'descent', await init(), runs on wasm-simd (${process.version})`, async () => {
    const r = await run('node', ['main.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('wasm-simd');
  });

  it('CommonJS: require(\'descent\') works on every Node 20 (a CommonJS file, not require(esm))', async () => {
    const r = await run('node', ['main.cjs'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('wasm-simd');
  });

  it('compile cache: the first process writes node_modules/.cache/descent, the next compiles from it; import and require() share one instance', async () => {
    const cacheDir = join(dir, 'node_modules/.cache/descent');
    rmSync(cacheDir, { recursive: true, force: true });
    const first = await run('node', ['cache.mjs'], dir);
    expect(first.stderr).toBe('');
    const a = JSON.parse(first.stdout);
    expect(a).toMatchObject({ status: 'miss', backend: 'wasm-simd', same: true, missing: [] });
    expect(a.names).toBeGreaterThan(100);
    expect(a.file.startsWith(cacheDir)).toBe(true);
    // written at exit: one file, named for this build, V8 and architecture
    expect(readdirSync(cacheDir)).toEqual([a.file.slice(cacheDir.length + 1)]);
    expect(a.file).toContain(`-${process.versions.v8}-${process.arch}-`);
    const second = JSON.parse((await run('node', ['cache.mjs'], dir)).stdout);
    expect(second).toMatchObject({ status: 'hit', file: a.file, backend: 'wasm-simd', same: true });
    // a cache V8 refuses (here: garbage) is compiled around and written again
    writeFileSync(a.file, Buffer.alloc(4096, 7));
    const third = JSON.parse((await run('node', ['cache.mjs'], dir)).stdout);
    expect(third).toMatchObject({ status: 'rejected', backend: 'wasm-simd' });
    expect(readFileSync(a.file).equals(Buffer.alloc(4096, 7))).toBe(false);
    expect(JSON.parse((await run('node', ['cache.mjs'], dir)).stdout).status).toBe('hit');
    // other V8 flags are another cache; DESCENT_COMPILE_CACHE=0 turns it off, =<dir> moves it
    const flagged = JSON.parse((await run('node', ['--max-semi-space-size=16', 'cache.mjs'], dir)).stdout);
    expect(flagged.status).toBe('miss');
    expect(readdirSync(cacheDir)).toHaveLength(2);
    const off = JSON.parse((await run('node', ['cache.mjs'], dir, { DESCENT_COMPILE_CACHE: '0' })).stdout);
    expect(off).toMatchObject({ status: 'off', reason: 'DESCENT_COMPILE_CACHE=0', backend: 'wasm-simd', same: true });
    const moved = JSON.parse((await run('node', ['cache.mjs'], dir, { DESCENT_COMPILE_CACHE: join(dir, 'cc') })).stdout);
    expect(moved.file.startsWith(join(dir, 'cc'))).toBe(true);
    // a cache directory that cannot be made (under a file): no cache, no error
    writeFileSync(join(dir, 'not-a-dir'), '');
    const blocked = await run('node', ['cache.mjs'], dir, { DESCENT_COMPILE_CACHE: join(dir, 'not-a-dir/cache') });
    expect(blocked.stderr).toBe('');
    expect(JSON.parse(blocked.stdout)).toMatchObject({ status: 'miss', backend: 'wasm-simd' });
  });

  it('the README\'s serverless recipe: the cache written at build by `node -e` is the one a program of the same Node and flags then reads', async () => {
    const cacheDir = join(dir, 'node_modules/.cache/descent');
    rmSync(cacheDir, { recursive: true, force: true });
    const readme = readFileSync(join(dir, 'node_modules/descent/README.md'), 'utf8');
    const warm = /write the\s+cache when you build: `node -e "([^"]+)"`/.exec(readme);
    expect(warm).not.toBeNull();
    const built = await run('node', ['-e', warm![1]], dir);
    expect(built.stderr).toBe('');
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const started = JSON.parse((await run('node', ['cache.mjs'], dir)).stdout);
    expect(started).toMatchObject({ status: 'hit', backend: 'wasm-simd' });
    expect(readdirSync(cacheDir)).toEqual([started.file.slice(cacheDir.length + 1)]);
  });

  it('Node resolves the fast entry; under --no-addons (no "node-addons" condition, as in bundlers) the ES module bundle', async () => {
    const fast = await run('node', ['which.mjs'], dir);
    expect(fast.stderr).toBe('');
    expect(fast.stdout.trim()).toMatch(/\/node_modules\/descent\/dist\/bundle\/node-fast\.js wasm-simd$/);
    const plain = await run('node', ['--no-addons', 'which.mjs'], dir);
    expect(plain.stderr).toBe('');
    expect(plain.stdout.trim()).toMatch(/\/node_modules\/descent\/dist\/bundle\/node\.js wasm-simd$/);
  });

  it('the initSync @example of the shipped TSDoc runs as written (descent/wasm/simd resolves to the file)', async () => {
    const r = await run('node', ['init-sync.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('wasm-simd');
  });

  it('the init @example of the shipped TSDoc runs as written and its comments hold', async () => {
    const r = await run('node', ['init-example.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('js'); // its last line switches to the js backend
    expect(readFileSync(join(dir, 'init-example.mjs'), 'utf8')).toMatch(/if \(\(backendName\(\)\) !== 'wasm-simd'\) throw/);
  });

  it('descent/datasets loads the data sets on its own; the .wasm subpaths resolve to the shipped files', async () => {
    const r = await run('node', ['subpaths.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ shape: [150, 4], digits: [1797, 64], same: 'function', simd: true, scalar: true });
  });

  it('init() reports why it chose wasm-simd, and the threads that run (the cores, at most 4)', async () => {
    const r = await run('node', ['reason.mjs'], dir);
    const [info, later, first] = JSON.parse(r.stdout);
    // Node 20 without --experimental-wasm-relaxed-simd: the reason says why not wasm-relaxed, naming the flag
    const threads = Math.min(availableParallelism(), 4);
    expect(info).toMatchObject({
      name: 'wasm-simd', maxMemoryMB: 1024, threads,
      threadsReason: threads > 1 ? `${threads} threads: the caller and ${threads - 1} worker_threads worker${threads > 2 ? 's' : ''} over shared memory` : 'one thread: the runtime reports one core',
    });
    expect(info.reason).toMatch(/^SIMD validates and the probe computed right; not wasm-relaxed: this runtime's WebAssembly has no relaxed SIMD .*--experimental-wasm-relaxed-simd/);
    expect(later).toEqual(info);
    // init() itself did not wait for the workers: one thread ran until they were up
    expect(first).toMatchObject({ ...info, threads: 1, threadsReason: threads > 1 ? `starting ${threads - 1} worker_threads worker${threads > 2 ? 's' : ''}; one thread until ${threads > 2 ? 'they are' : 'it is'} up` : info.threadsReason });
  });

  it('threads: worker_threads start from the installed package, give the same bits, and never keep the process alive', async () => {
    const r = await run('node', ['threads.mjs'], dir, {}, 30_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ threads: 3, reason: '3 threads: the caller and 2 worker_threads workers over shared memory', same: true });
  });

  it('import(\'descent\') in Node leaves the data sets unread until a loader runs; then they are the same as descent/datasets\'', async () => {
    const r = await run('node', ['lazy-data.mjs'], dir);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: 0, after: 1, X: true, y: true, split: true, shapes: [[150, 4], [178, 13], [569, 30], [442, 10]] });
  });

  it('broken on purpose: an app bundled into one file calls the main entry\'s loadIris: an error names the file and the fix, which works', async () => {
    const b = await run('esbuild', ['app-data.mjs', '--bundle', '--platform=node', '--format=esm', '--outfile=out/app-data.mjs'], dir);
    expect(b.code, b.stderr).toBe(0);
    const r = await run('node', ['out/app-data.mjs'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/descent: cannot read its built-in data sets from \S+\/out\/datasets-data\.cjs \(MODULE_NOT_FOUND\)/);
    expect(r.stderr).toMatch(/import the loaders from 'descent\/datasets' instead/);
    const f = await run('esbuild', ['app-data-fixed.mjs', '--bundle', '--platform=node', '--format=esm', '--outfile=out/app-data-fixed.mjs'], dir);
    expect(f.code, f.stderr).toBe(0);
    const ok = await run('node', ['out/app-data-fixed.mjs'], dir);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('[150,4]');
  });

  it('broken on purpose: an app bundled into one file without the .wasm gets an error naming the file and the fix', async () => {
    const b = await run('esbuild', ['app.mjs', '--bundle', '--platform=node', '--format=esm', '--outfile=out/app.mjs'], dir);
    expect(b.code, b.stderr).toBe(0);
    const r = await run('node', ['out/app.mjs'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe(''); // no silent js fall back
    expect(r.stderr).toMatch(/descent: cannot read its WebAssembly build \S+\/build\/descent-simd\.wasm \(ENOENT\)/);
    expect(r.stderr).toMatch(/copy node_modules\/descent\/build\/descent-simd\.wasm to \S+, or keep descent external/);
  });
});
