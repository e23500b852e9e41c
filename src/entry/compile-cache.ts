/// <reference types="node" />
/**
 * Node's fast start: the package's Node bundle (dist/bundle/node-core.cjs, ~500 KB of JavaScript) compiled
 * with a V8 code cache, so that a process which has run descent before does not parse it again.
 * Parsing that much code is most of a cold `import('descent')` (~28 of ~45 ms here); a code cache
 * takes the compile to a few milliseconds and carries the functions the last run compiled, init()'s
 * among them. It is the technique of Node 22's `module.enableCompileCache()` (not in Node 20) and of
 * v8-compile-cache, for one file.
 *
 * Where the cache lives: `node_modules/.cache/descent/` beside the installed package (the directory
 * babel-loader, terser and ava use), as trusted as the package's own files, since whoever can write
 * there can write node_modules/descent too. `DESCENT_COMPILE_CACHE=<dir>` puts it elsewhere;
 * `DESCENT_COMPILE_CACHE=0` turns it off. A cache that cannot be read, is stale (another build,
 * V8 version, architecture or set of V8 flags) or that V8 rejects is compiled around and written
 * again; one that cannot be written (a read-only install) is not: nothing here throws or warns.
 * The cache is written once per build and flag set: when the process exits, or 5 s after the load
 * (whichever is first), so that it also holds what the program compiled by then.
 *
 * Reached only through the export condition "node-addons", which Node itself applies and bundlers do
 * not (esbuild, webpack, Vite and Rollup bundle dist/bundle/node.js, an ES module); under a host that
 * runs modules in a context of its own (Jest's vm sandbox) it falls back to require(), since a script
 * compiled here would run in the main context, with other Float32Array and Error constructors.
 */
import { createRequire } from 'node:module';

// node:fs, node:path and node:vm by require(), not as ES module imports: bundled into the package's ES
// module entry (dist/bundle/node-fast.js), an import of node:fs would build its ES module facade, whose
// reading of every export loads fs's streams (~1.3 ms of every import('descent')).
const nodeRequire = createRequire(import.meta.url);
const { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } = nodeRequire('node:fs') as typeof import('node:fs');
const { dirname, join } = nodeRequire('node:path') as typeof import('node:path');
const { Script } = nodeRequire('node:vm') as typeof import('node:vm');
type Script = import('node:vm').Script;

/** How the last load went (for tests and the cold-start bench). */
export interface CompileCacheState {
  /** The cache file for this build, V8 and flags, or null when caching is off or not possible here. */
  file: string | null;
  /** 'hit': compiled from the cache; 'miss': no cache yet; 'rejected': V8 refused the cache; 'off': not used. */
  status: 'hit' | 'miss' | 'rejected' | 'off';
  /** Why the cache is off, when it is. */
  reason?: string;
}

export interface LoadOptions {
  /** The directory of cache files, or null for none. */
  cacheDir: string | null;
  /** Why cacheDir is null (reported in the state). */
  offReason?: string;
  /** Loads the file the ordinary way (require()), when the cache is not used. */
  fallback: () => unknown;
  /** Milliseconds after the load to write a missing cache (also written at exit); default 5000. */
  writeAfterMs?: number;
  /** The cache files' name, before the build's stamp (default 'node-core'): one per cached file. */
  name?: string;
  /**
   * A digest of the file's content, taken when it was built (scripts/bundle.mjs), added to the build's
   * stamp: V8 checks only a cache's source length, and size and mtime can both repeat from one build to
   * the next: a one-character fix keeps the size, and a tarball's mtimes are fixed (npm pack writes
   * 1985-10-26 for every file) wherever the unpacking keeps them (npm 11 does not; tar and Nix, which
   * sets every mtime to 1, do). V8 would then run the old build's code for the new one's.
   */
  digest?: string;
}

const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n})'];

/** FNV-1a over a string, as 8 hex digits: names the V8 flags a cache was made under. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Node's options without the code of -e/-p (which execArgv holds): one cache for every `node -e` script. */
export function nodeFlags(execArgv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '-pe') i++;
    else if (!/^--(eval|print)=/.test(a)) kept.push(a);
  }
  return kept.join(' ');
}

/**
 * The cache directory for a package installed at `pkgRoot`: `node_modules/.cache/descent` in the
 * node_modules that holds it (or in its own node_modules when it is not installed as a dependency:
 * a checkout, a link), unless DESCENT_COMPILE_CACHE says otherwise.
 */
export function cacheDirFor(pkgRoot: string, env: Record<string, string | undefined>): { dir: string | null; reason?: string } {
  const v = env.DESCENT_COMPILE_CACHE;
  if (v !== undefined && v !== '') {
    if (/^(0|false|off|no)$/i.test(v)) return { dir: null, reason: `DESCENT_COMPILE_CACHE=${v}` };
    return { dir: v };
  }
  const parent = dirname(pkgRoot);
  const modules = parent.endsWith('node_modules') ? parent : join(pkgRoot, 'node_modules');
  return { dir: join(modules, '.cache', 'descent') };
}

let lastState: CompileCacheState = { file: null, status: 'off', reason: 'not loaded' };

/** How the last loadWithCompileCache() went. */
export function compileCacheState(): CompileCacheState {
  return { ...lastState };
}

/**
 * Loads the CommonJS file `file` as require() would, compiled with a V8 code cache from `cacheDir`
 * when there is one for this build, and schedules writing one when there is not.
 */
export function loadWithCompileCache(file: string, opts: LoadOptions): unknown {
  const name = opts.name ?? 'node-core';
  let source: string, cachePath: string | null = null, build = '';
  try {
    const st = statSync(file);
    source = readFileSync(file, 'latin1'); // esbuild writes ASCII (charset: 'ascii'), and V8 takes a one-byte string faster
    // The build (size, mtime, digest), V8 and the flags it runs under: V8 checks its version and flags
    // too, but of the source only its length.
    build = `${st.size.toString(16)}-${Math.trunc(st.mtimeMs).toString(16)}${opts.digest ? `-${opts.digest}` : ''}`;
    const flags = fnv(`${nodeFlags(process.execArgv)}|${process.env.NODE_OPTIONS ?? ''}`);
    if (opts.cacheDir !== null) cachePath = join(opts.cacheDir, `${name}-${build}-${process.versions.v8}-${process.arch}-${flags}.bin`);
  } catch (e) {
    lastState = { file: null, status: 'off', reason: `cannot read ${file}: ${(e as Error).message}` };
    return opts.fallback();
  }
  let cachedData: Buffer | undefined;
  if (cachePath !== null) {
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      cachedData = undefined; // none yet, or unreadable: compile without
    }
  }
  // Compiled as a script even with the cache off: require() of the same file measured a few ms slower.
  const script = new Script(WRAPPER[0] + source + WRAPPER[1], { filename: file, cachedData });
  const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  // A script runs in the main context: under a host that runs this module in a vm context of its own
  // (Jest), the module would get other Float32Array and Error constructors than its user.
  if (Object.getPrototypeOf(fn) !== Function.prototype) {
    lastState = { file: null, status: 'off', reason: 'modules run in a context of their own (a vm sandbox such as Jest)' };
    return opts.fallback();
  }
  if (cachePath === null) {
    lastState = { file: null, status: 'off', reason: opts.offReason ?? 'no cache directory' };
  } else {
    // V8 sets cachedDataRejected only when it was given a cache: false means it compiled from it
    const status = script.cachedDataRejected === false ? 'hit' : script.cachedDataRejected === true ? 'rejected' : 'miss';
    lastState = { file: cachePath, status };
    if (status !== 'hit') scheduleWrite(script, cachePath, name, build, opts.writeAfterMs ?? 5000);
  }
  const mod = { exports: {} as unknown };
  fn(mod.exports, createRequire(file), mod, file, dirname(file));
  return mod.exports;
}

/**
 * What a package entry gives: the default export of `file` loaded by loadWithCompileCache(), once per
 * process and file, whichever entry comes first (the ES module one, node-fast.js, or the CommonJS one,
 * node-fast.cjs), so that `import` and `require()` share one instance. The object carries how its load
 * went under Symbol.for('descent.compileCache') (a getter, not enumerable).
 */
export function loadShared(file: string, opts: LoadOptions): object {
  const key = Symbol.for(`descent.loaded ${file}`);
  const registry = globalThis as unknown as Record<symbol, object | undefined>;
  const seen = registry[key];
  if (seen !== undefined) return seen;
  const exports = (loadWithCompileCache(file, opts) as { default: object }).default;
  const state = compileCacheState();
  Object.defineProperty(exports, Symbol.for('descent.compileCache'), { get: () => ({ ...state }) });
  Object.defineProperty(registry, key, { value: exports, configurable: true });
  return exports;
}

/** Writes the script's code cache once: at exit or after `ms`, whichever is first; never throws. */
function scheduleWrite(script: Script, path: string, name: string, build: string, ms: number): void {
  let done = false;
  const write = () => {
    if (done) return;
    done = true;
    process.removeListener('exit', write);
    clearTimeout(timer);
    writeCache(script, path, name, build);
  };
  const timer = setTimeout(write, ms);
  timer.unref();
  process.once('exit', write);
}

/** Writes the cache atomically (a temporary file renamed over it) and drops the caches of the same name from other builds. */
export function writeCache(script: Script, path: string, name: string, build: string): boolean {
  const dir = dirname(path), tmp = `${path}.${process.pid}.tmp`;
  try {
    // the file first: where it cannot be made (a read-only install), no time goes into the cache data
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, script.createCachedData());
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
  try {
    for (const f of readdirSync(dir)) {
      if (f.startsWith(`${name}-`) && !f.startsWith(`${name}-${build}-`) && /^[0-9a-f]+-[0-9a-f]+-.*\.bin$/.test(f.slice(name.length + 1))) unlinkSync(join(dir, f));
    }
  } catch {
    // another process is cleaning up too
  }
  return true;
}
