// The Node entry's compile cache (src/entry/compile-cache.ts): a CommonJS file compiled with a V8 code
// cache, written once per build and flag set, never an error when the cache is missing, stale, garbage
// or cannot be written, and the plain require() under a host that runs modules in a vm context of its
// own (Jest). The packed-tarball side (node_modules/.cache/descent, import and require sharing one
// instance) is in test/recipes/node.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirFor, compileCacheState, loadShared, loadWithCompileCache, nodeFlags } from '../../src/entry/compile-cache.js';

let dir = '';
const MOD = [
  '"use strict";',
  'let calls = 0;',
  'exports.f = (x) => { calls++; return x * 2 + 1; };',
  'exports.calls = () => calls;',
  'exports.where = [__filename, __dirname];',
  'exports.join = require("node:path").join("a", "b");',
  'exports.same = module.exports === exports;',
  'exports.floats = new Float32Array(2) instanceof Float32Array;',
].join('\n');
const noFallback = () => {
  throw new Error('fallback called');
};
const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'descent-cc-'));
  writeFileSync(join(dir, 'mod.cjs'), MOD);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('compile cache', () => {
  // One load per fresh process, as in use: in one process V8 keeps compiled scripts of the same source
  // in memory and never looks at the cache. The child runs the built loader (dist/entry/compile-cache.js).
  const load = (cacheDir: string, writeAfterMs = 1e6, digest?: string) => {
    const loader = pathToFileURL(join(process.cwd(), 'dist/entry/compile-cache.js')).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', [
      `import { loadWithCompileCache, compileCacheState } from ${JSON.stringify(loader)};`,
      `const m = loadWithCompileCache(${JSON.stringify(join(dir, 'mod.cjs'))}, { cacheDir: ${JSON.stringify(cacheDir)}, writeAfterMs: ${writeAfterMs}, digest: ${JSON.stringify(digest)}, fallback: () => { throw new Error('fallback'); } });`,
      'console.log(JSON.stringify({ ...compileCacheState(), f: m.f(20), calls: m.calls(), where: m.where, join: m.join, same: m.same, floats: m.floats }));',
    ].join('\n')], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  };

  it('compiles without a cache, writes one at exit, and the next process compiles from it; the module runs as under require()', () => {
    const cache = join(dir, 'cache');
    const a = load(cache);
    expect(a.status).toBe('miss');
    expect(a.file.startsWith(join(cache, 'node-core-'))).toBe(true);
    expect(a.file).toContain(`-${process.versions.v8}-${process.arch}-`);
    expect(a).toMatchObject({ f: 41, calls: 1, where: [join(dir, 'mod.cjs'), dir], join: join('a', 'b'), same: true, floats: true });
    expect(readdirSync(cache)).toEqual([a.file.slice(cache.length + 1)]);
    expect(load(cache)).toEqual({ ...a, status: 'hit' });
  });

  it('another build of the same size and mtime (a one-character fix under a fixed mtime) does not take the old build\'s cache: the digest tells them apart', () => {
    const cache = join(dir, 'cache');
    const file = join(dir, 'mod.cjs');
    const { mtime } = statSync(file);
    expect(load(cache, 1e6, 'aaaa')).toMatchObject({ status: 'miss', f: 41 });
    expect(load(cache, 1e6, 'aaaa')).toMatchObject({ status: 'hit', f: 41 });
    const fixed = MOD.replace('x * 2 + 1', 'x * 3 + 1');
    expect(fixed.length).toBe(MOD.length);
    writeFileSync(file, fixed);
    utimesSync(file, mtime, mtime);
    const b = load(cache, 1e6, 'bbbb');
    expect(b).toMatchObject({ status: 'miss', f: 61 });
    expect(b.file).toContain('-bbbb-');
    expect(readdirSync(cache)).toEqual([b.file.slice(cache.length + 1)]); // the old build's cache is gone
  });

  it('writes the cache after writeAfterMs in a process that keeps running (a server)', async () => {
    const cache = join(dir, 'cache');
    loadWithCompileCache(join(dir, 'mod.cjs'), { cacheDir: cache, fallback: noFallback, writeAfterMs: 5 });
    const s = compileCacheState();
    expect(s.status).toBe('miss');
    await waitFor(() => readdirSync(dir).includes('cache'));
    expect(readdirSync(cache)).toEqual([s.file!.slice(cache.length + 1)]);
  });

  it('a garbage cache is rejected and written again; another build\'s caches are removed, this build\'s other flag sets kept', () => {
    const cache = join(dir, 'cache');
    const file = load(cache).file as string;
    const stamp = file.slice(cache.length + 1).split('-').slice(0, 4).join('-'); // node-core-<size>-<mtime>
    writeFileSync(file, Buffer.alloc(2048, 1));
    writeFileSync(join(cache, 'node-core-1-2-old.bin'), 'stale build');
    writeFileSync(join(cache, `${stamp}-other-flags.bin`), 'same build, other flags');
    writeFileSync(join(cache, 'unrelated.txt'), 'not ours');
    writeFileSync(join(cache, 'cli-core-1-2-other-file.bin'), 'another cached file (name: cli-core)');
    expect(load(cache)).toMatchObject({ status: 'rejected', f: 41 });
    expect(readFileSync(file).length).not.toBe(2048);
    expect(readdirSync(cache).sort()).toEqual([file.slice(cache.length + 1), `${stamp}-other-flags.bin`, 'unrelated.txt', 'cli-core-1-2-other-file.bin'].sort());
    expect(load(cache)).toMatchObject({ status: 'hit', f: 41 });
  });

  it('off (cacheDir null): compiled without a cache, nothing written; a cache directory that cannot be made is no error', async () => {
    const m = loadWithCompileCache(join(dir, 'mod.cjs'), { cacheDir: null, offReason: 'DESCENT_COMPILE_CACHE=0', fallback: noFallback }) as Record<string, unknown>;
    expect(compileCacheState()).toEqual({ file: null, status: 'off', reason: 'DESCENT_COMPILE_CACHE=0' });
    expect((m.f as (x: number) => number)(0)).toBe(1);
    writeFileSync(join(dir, 'file'), '');
    const blocked = join(dir, 'file', 'cache');
    loadWithCompileCache(join(dir, 'mod.cjs'), { cacheDir: blocked, fallback: noFallback, writeAfterMs: 5 });
    expect(compileCacheState().status).toBe('miss');
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).sort()).toEqual(['file', 'mod.cjs']);
  });

  it('a file it cannot read goes to the fallback (require() gives the error users know)', () => {
    expect(loadWithCompileCache(join(dir, 'missing.cjs'), { cacheDir: join(dir, 'c'), fallback: () => 'fell back' })).toBe('fell back');
    expect(compileCacheState()).toMatchObject({ status: 'off', reason: expect.stringMatching(/^cannot read .*missing\.cjs: ENOENT/) });
  });

  it('names the flag set without the code of node -e / -p', () => {
    expect(nodeFlags(['--input-type=module', '-e', 'console.log(1)', '--expose-gc'])).toBe('--input-type=module --expose-gc');
    expect(nodeFlags(['--eval=1', '-p', '2', '--print', '3', '-pe', '4', '--eval', '5', '--max-semi-space-size=16'])).toBe('--max-semi-space-size=16');
  });

  it('where: node_modules/.cache/descent beside the installed package, its own node_modules otherwise; DESCENT_COMPILE_CACHE moves or stops it', () => {
    expect(cacheDirFor(join('/app', 'node_modules', 'descent'), {})).toEqual({ dir: join('/app', 'node_modules', '.cache', 'descent') });
    expect(cacheDirFor(join('/src', 'descent'), {})).toEqual({ dir: join('/src', 'descent', 'node_modules', '.cache', 'descent') });
    expect(cacheDirFor('/x', { DESCENT_COMPILE_CACHE: '/tmp/c' })).toEqual({ dir: '/tmp/c' });
    expect(cacheDirFor('/x', { DESCENT_COMPILE_CACHE: '' })).toEqual({ dir: join('/x', 'node_modules', '.cache', 'descent') });
    for (const v of ['0', 'false', 'OFF', 'no']) expect(cacheDirFor('/x', { DESCENT_COMPILE_CACHE: v })).toEqual({ dir: null, reason: `DESCENT_COMPILE_CACHE=${v}` });
  });

  it('the shipped node-fast.cjs under a vm sandbox (as Jest runs modules) takes the plain require(), so the module sees the sandbox\'s globals', () => {
    const file = join(process.cwd(), 'dist/bundle/node-fast.cjs');
    const realRequire = createRequire(file);
    const required: string[] = [];
    const sandboxRequire = (id: string) => {
      required.push(id);
      return id === './node-core.cjs' ? { default: { loadedBy: 'require' } } : realRequire(id);
    };
    const module = { exports: {} as Record<string | symbol, unknown> };
    const context = createContext({ require: sandboxRequire, module, exports: module.exports, __filename: file, __dirname: join(process.cwd(), 'dist/bundle'), process, setTimeout, clearTimeout });
    runInContext(readFileSync(file, 'utf8'), context, { filename: file });
    expect(module.exports).toMatchObject({ loadedBy: 'require' });
    expect(required).toContain('./node-core.cjs');
    expect(module.exports[Symbol.for('descent.compileCache')]).toEqual({ file: null, status: 'off', reason: 'modules run in a context of their own (a vm sandbox such as Jest)' });
  });

  it('loadShared: one instance per file and process, whichever entry loads it first, with how its load went', () => {
    const file = join(dir, 'core.cjs');
    writeFileSync(file, 'let n = 0; exports.default = { count: () => ++n };');
    const a = loadShared(file, { cacheDir: null, offReason: 'first', fallback: noFallback }) as { count: () => number };
    const b = loadShared(file, { cacheDir: join(dir, 'c'), offReason: 'second', fallback: noFallback }) as { count: () => number };
    expect(b).toBe(a);
    expect([a.count(), b.count()]).toEqual([1, 2]);
    const key = Symbol.for('descent.compileCache');
    expect((a as Record<symbol, unknown>)[key]).toEqual({ file: null, status: 'off', reason: 'first' });
    expect(Object.keys(a)).toEqual(['count']);
    expect(readdirSync(dir)).not.toContain('c'); // the second call loaded nothing, so scheduled no cache
    const other = join(dir, 'other.cjs');
    writeFileSync(other, 'exports.default = {};');
    expect(loadShared(other, { cacheDir: null, fallback: noFallback })).not.toBe(a);
  });

  it('the shipped node-fast.js takes node: modules other than node:module with require(), not as ES modules (an ES import of node:fs loads its streams)', () => {
    const src = readFileSync(join(process.cwd(), 'dist/bundle/node-fast.js'), 'utf8').replace(/\\\n/g, ''); // the bundle's cut lines joined
    const esImports = [...src.matchAll(/\bimport\s*(?:\{[^}]*\}|\*\s*as\s+\w+|\w+)\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(new Set(esImports)).toEqual(new Set(['node:module']));
    expect(src).toMatch(/nodeRequire\("node:fs"\)/);
    expect(src).toMatch(/nodeRequire\("node:vm"\)/);
  });
});
