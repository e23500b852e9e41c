import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('package', () => {
  it('is the ESM package "descent" with types and an exports map per runtime', () => {
    expect(pkg.name).toBe('descent');
    expect(pkg.type).toBe('module');
    const dot = pkg.exports['.'];
    // TypeScript takes the first condition it knows: the workerd entry's own types (simdModule,
    // scalarModule) under "workerd" first, then the shared types for every other entry.
    expect(dot.workerd).toEqual({ types: './dist/entry/module.d.ts', default: './dist/entry/module.js' });
    expect(dot['edge-light']).toEqual(dot.workerd);
    expect(dot.types).toBe('./dist/index.d.ts');
    // Runtimes that load files directly get one bundled module; bundlers and browsers the per-module dist/.
    // Node itself ("node-addons", a condition bundlers do not set) gets the entry with the compile cache,
    // a CommonJS file under both import and require(); bundlers the ES module bundle.
    expect(dot.node).toEqual({
      'node-addons': { import: './dist/bundle/node-fast.js', require: './dist/bundle/node-fast.cjs' },
      default: './dist/bundle/node.js',
    });
    for (const c of ['deno', 'bun']) expect(dot[c]).toBe('./dist/bundle/url.js');
    for (const c of ['browser', 'default']) expect(dot[c]).toBe('./dist/entry/url.js');
    // Conditions are matched in order: the specific ones must come before "default".
    const keys = Object.keys(dot);
    expect(keys.indexOf('default')).toBe(keys.length - 1);
    expect(keys.indexOf('types')).toBeGreaterThan(keys.indexOf('edge-light'));
    expect(keys.indexOf('types')).toBeLessThan(keys.indexOf('node'));
    // Deno and Bun also match "node": their own conditions must come first.
    expect(keys.indexOf('deno')).toBeLessThan(keys.indexOf('node'));
    expect(keys.indexOf('bun')).toBeLessThan(keys.indexOf('node'));
    expect(pkg.exports['./datasets']).toMatchObject({ types: './dist/entry/datasets.d.ts', node: './dist/bundle/datasets.js', default: './dist/entry/datasets.js' });
    expect(pkg.exports['./wasm/simd']).toEqual({ types: './dist/entry/wasm-build.d.ts', default: './build/descent-simd.wasm' });
    expect(pkg.exports['./wasm/relaxed']).toEqual({ types: './dist/entry/wasm-build.d.ts', default: './build/descent-relaxed.wasm' });
    expect(pkg.exports['./wasm/scalar']).toEqual({ types: './dist/entry/wasm-build.d.ts', default: './build/descent-scalar.wasm' });
    expect(pkg.files).toEqual(expect.arrayContaining(['build/descent-simd.wasm', 'build/descent-relaxed.wasm', 'build/descent-scalar.wasm']));
    expect(pkg.dependencies ?? {}).toEqual({}); // nothing to install at run time
    for (const d of ['assemblyscript', 'vitest', 'benny', 'esbuild', 'typescript', 'vite', 'miniflare', 'playwright']) expect(pkg.devDependencies[d]).toBeDefined();
  });

  it('says what it is and where it lives: license, repository, homepage, keywords, engines, sideEffects', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the descent authors\n[\s\S]*WITHOUT WARRANTY OF ANY KIND/);
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/descent-js/descent.git' });
    expect(pkg.homepage).toBe('https://github.com/descent-js/descent#readme');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['gradient-descent', 'webassembly', 'simd']));
    expect(pkg.engines).toEqual({ node: '>=20' });
    // Only the entries run code on import (they tell init() where the .wasm is), the module that
    // installs the chained tensor methods (x.matmul(W).relu()) on Tensor.prototype, and the worker
    // threads' entries (they wait for the pool's start message).
    expect(pkg.sideEffects).toEqual(['./dist/entry/*.js', './dist/bundle/*.js', './dist/autograd/methods.js', './dist/threads/worker.js', './dist/threads/node-worker.js']);
    // Packing builds first, so a fresh clone cannot ship a package without dist/ and the .wasm.
    expect(pkg.scripts.prepack).toBe('npm run build -- --no-debug');
  });

  it('imports node: modules only in the node entry, the Node threads, the Node bundle\'s lazy tables and its compile cache, which it alone loads', () => {
    const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    // worker_threads: the host only the node entry imports, and the worker file it starts
    const nodeThreads = [join('threads', 'node-host.ts'), join('threads', 'node-worker.ts'), join('entry', 'compile-cache.ts')];
    const offenders = walk('src')
      .filter((f) => f.endsWith('.ts') && !f.endsWith(join('entry', 'node.ts')) && !nodeThreads.some((t) => f.endsWith(t)))
      .filter((f) => /from\s+['"]node:|import\(\s*['"]node:|require\(\s*['"]node:/.test(code(f)));
    expect(offenders).toEqual([]);
    // node:fs and the others are taken on first use, through the Node threads host's nodeBuiltin
    expect(code('src/entry/node.ts')).toMatch(/nodeBuiltin\('node:fs'\)\.readFileSync/);
    const importers = walk('src').filter((f) => f.endsWith('.ts') && /from\s+['"][./]+(threads\/)?node-host\.js['"]/.test(code(f)));
    // node-tables.ts goes into dist/bundle/node.js alone (scripts/bundle.mjs swaps it in there for src/data/tables.ts)
    expect(importers.sort()).toEqual([join('src', 'entry', 'node-tables.ts'), join('src', 'entry', 'node.ts')]);
    expect(walk('src').filter((f) => f.endsWith('.ts') && /from\s+['"][./]+(entry\/)?node-tables\.js['"]/.test(code(f)))).toEqual([]);
    // compile-cache.ts goes into the Node entry's loaders alone, dist/bundle/node-fast.js and node-fast.cjs (scripts/bundle.mjs)
    expect(walk('src').filter((f) => f.endsWith('.ts') && /['"][./]+(entry\/)?compile-cache\.js['"]/.test(code(f)))).toEqual([]);
  });

  it('the one-file bundles (dist/bundle/) have short lines: an uncaught error quotes one line of its chunk, not the whole chunk', () => {
    const files = readdirSync('dist/bundle').filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(4);
    const bytes = files.reduce((n, f) => n + statSync(join('dist/bundle', f)).size, 0);
    expect(bytes).toBeGreaterThan(300_000);
    const longest = Math.max(...files.flatMap((f) => readFileSync(join('dist/bundle', f), 'utf8').split('\n').map((l) => l.length)));
    expect(longest).toBeLessThan(1000);
  });

  it('has no top-level await in any entry or any module they load (workerd rejects it)', async () => {
    const { build } = await import('esbuild');
    for (const entry of ['src/entry/node.ts', 'src/entry/url.ts', 'src/entry/module.ts', 'src/entry/datasets.ts']) {
      // esbuild refuses to bundle a graph with top-level await when the target says it is unsupported.
      const r = await build({
        entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: entry.includes('node') ? 'node' : 'neutral',
        external: ['*.wasm'], supported: { 'top-level-await': false }, logLevel: 'silent', mainFields: ['module', 'main'],
      });
      expect(r.errors, entry).toEqual([]);
    }
    // And the check can fail: a module with a top-level await is refused.
    await expect(build({ stdin: { contents: 'await Promise.resolve(1); export {}', loader: 'ts' }, write: false, format: 'esm', supported: { 'top-level-await': false }, logLevel: 'silent' })).rejects.toThrow(/Top-level await/);
  });

  it('the module entry imports the builds as modules and never compiles bytes', () => {
    const src = readFileSync('src/entry/module.ts', 'utf8');
    expect(src).toMatch(/import simd from '\.\.\/\.\.\/build\/descent-simd\.wasm'/);
    expect(src).toMatch(/import relaxed from '\.\.\/\.\.\/build\/descent-relaxed\.wasm'/);
    expect(src).not.toMatch(/WebAssembly\.(compile|instantiate)\(|new WebAssembly\.Module/);
  });

  it('build targets: SIMD, relaxed-SIMD and scalar release builds with one ABI, stub runtime, and a debug build', () => {
    const as = JSON.parse(readFileSync('asconfig.json', 'utf8'));
    expect(as.options.runtime).toBe('stub');
    expect(as.targets['release-simd'].enable).toContain('simd');
    expect(as.targets['release-scalar'].enable ?? []).not.toContain('simd');
    expect(as.targets.debug.debug).toBe(true);
    const exportsOf = (f: string) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(f))).map((e) => `${e.name}:${e.kind}`).sort();
    expect(exportsOf('build/descent-simd.wasm')).toEqual(exportsOf('build/descent-scalar.wasm'));
    expect(readFileSync('build/descent-scalar.wat', 'utf8')).not.toMatch(/v128|f32x4/);
    // The relaxed build: Node 20 compiles it only with a flag, so its exports are read from its text.
    expect(as.targets['release-relaxed'].enable).toEqual(['simd', 'relaxed-simd']);
    const watExports = (f: string) => [...readFileSync(f, 'utf8').matchAll(/\(export "(\w+)" \((\w+)/g)].map((m) => `${m[1]}:${m[2]}`).sort();
    expect(watExports('build/descent-relaxed.wat')).toEqual(watExports('build/descent-simd.wat'));
    expect(watExports('build/descent-simd.wat').length).toBeGreaterThan(50);
    expect(readFileSync('build/descent-relaxed.wat', 'utf8')).toMatch(/f32x4\.relaxed_madd/);
    expect(readFileSync('build/descent-simd.wat', 'utf8')).not.toMatch(/relaxed/);
  });
});
