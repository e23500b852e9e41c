/**
 * init() / initSync() and the backend they choose. Everything above this floor asks
 * `getBackend()`; nothing below knows which backend runs.
 */
import { buildName, createWasmBackend, createWasmMemory, probeBackend, probeMadd, type Backend, type BackendName } from './backend/index.js';
import { checkThreads, planThreads, poolReady, type ThreadPlan } from './threads/index.js';
import type { MemoryStats } from './memory/arena.js';
import { hasWebAssembly, isBytes, isResponse, isUrl, isWasmModule, relaxedSimdValidates, simdValidates } from './wasm/features.js';
import { compileSource, compileSourceSync, instantiateBuild, instantiateBuildSync, type WasmSource } from './wasm/loader.js';

export type { BackendName, WasmSource };

export type BackendChoice = 'auto' | BackendName;

export interface InitOptions {
  /** One build to load (relaxed SIMD, SIMD or scalar: which one is read from the build). Default: the packaged file for this runtime. */
  module?: WasmSource;
  /**
   * 'auto' (default): wasm-relaxed where relaxed SIMD validates and its probe computes right with a
   * fused multiply-add, else wasm-simd if SIMD validates and a probe computes right, else wasm-scalar;
   * js only when the runtime has no WebAssembly. A build that fails to load rejects init() (never a
   * silent js; a relaxed build that fails to load is logged and wasm-simd runs).
   * 'wasm-relaxed' (relaxed SIMD: Chromium, Deno, Bun, workerd, Node 22+, Node 20 with
   * `--experimental-wasm-relaxed-simd`) fuses the multiply-adds of the matrix products (f32_gemm,
   * so dense layers and convolutions): their results differ from wasm-simd's in the last bits (within
   * the same float32 dot-product bound against the reference); every element-wise kernel gives the
   * same bits as wasm-simd and js.
   */
  backend?: BackendChoice;
  /** The most linear memory the library may use, in MiB (default 1024, at most 4096). */
  maxMemoryMB?: number;
  /**
   * Threads that share the Wasm kernels (the caller plus worker threads over shared memory). Default:
   * the cores the runtime reports, at most 4 (beyond that the library's calls are too short for more
   * threads to pay, and the memory-bound kernels saturate bandwidth); `1` turns threads off. Results
   * are bit-identical for any count. init() does not wait for the workers, nor start them: they start
   * at the next turn of the event loop (or at the first call big enough to share, if that comes first),
   * and calls run on the calling thread until every worker is up, then on all of them
   * (`await threadsReady()` waits for them).
   * Where threads cannot run (workerd, edge runtimes, a browser page that is not cross-origin
   * isolated, the js backend) one thread runs, and backendInfo() says why.
   */
  threads?: number;
}

export interface BackendInfo {
  name: BackendName;
  /** Why this backend was chosen (e.g. why 'auto' fell back). */
  reason: string;
  maxMemoryMB: number;
  /** Threads that run the kernels now: 1 (also while the workers start), or the caller plus its workers once they are all up. */
  threads: number;
  /** Why that many threads run (e.g. why none could start). */
  threadsReason: string;
}

/**
 * How an entry loads the packaged builds (node: read from disk; url: fetch next to the module; module:
 * the imported Modules). `load` compiles at most once and rejects with an Error whose message names
 * the cause and the fix for that runtime (a missing file, a permission, a bundler set-up).
 */
export interface DefaultSources {
  load(kind: BuildKind): WebAssembly.Module | Promise<WebAssembly.Module>;
}

/**
 * The packaged builds: SIMD, relaxed SIMD (fused multiply-add in the matrix products) and scalar; SIMD
 * and scalar also as threaded builds (shared memory).
 */
export type BuildKind = 'simd' | 'scalar' | 'relaxed' | 'simd-threads' | 'scalar-threads';

export const DEFAULT_MAX_MEMORY_MB = 1024;

let defaults: DefaultSources | null = null;
let current: { backend: Backend; info: BackendInfo; requestedThreads: number | undefined } | null = null;
let pending: Promise<BackendInfo> | null = null;

/** Called once by each package entry (dist/entry/*.js). */
export function setDefaultSources(sources: DefaultSources): void {
  defaults = sources;
}

/** Makes a js backend (src/backend/js.ts): registered up front by the Node entry, else loaded by the first init() that runs 'js'. */
export type JsBackendFactory = (maxBytes: number) => Backend;

let jsBackend: JsBackendFactory | null = null;

/** Registers the js backend so that initSync({ backend: 'js' }) can run it without an async load (the Node entry does). */
export function setJsBackend(factory: JsBackendFactory): void {
  jsBackend = factory;
}

/** The js backend's factory, imported on first use (bundlers make it a chunk of its own that only a 'js' run loads). */
async function loadJsBackend(): Promise<JsBackendFactory> {
  jsBackend ??= (await import('./backend/js.js')).createJsBackend;
  return jsBackend;
}

const JS_NOT_LOADED =
  "descent: initSync({ backend: 'js' }) needs the js backend loaded, and this entry loads it on demand (it keeps browser bundles small): " +
  "call await init({ backend: 'js' }) instead (once is enough: initSync({ backend: 'js' }) works after it), or use the Node entry, which has it loaded";

const NOT_INITIALIZED =
  'descent is not initialized: call `await init()` (or `initSync({ module })` with a compiled WebAssembly.Module) before using the library.';

/** The running backend. Throws if init() has not completed. */
export function getBackend(): Backend {
  if (current === null) throw new Error(NOT_INITIALIZED);
  return current.backend;
}

/** Which backend runs: 'wasm-relaxed', 'wasm-simd', 'wasm-scalar' or 'js'. */
export function backendName(): BackendName {
  return getBackend().name;
}

/** The running backend, why it was chosen, and the memory limit. */
export function backendInfo(): BackendInfo {
  getBackend();
  const pool = current!.backend.pool;
  if (pool === null) return { ...current!.info };
  return { ...current!.info, threads: pool.current, threadsReason: pool.reason };
}

/**
 * Shuts descent down: stops its worker threads and drops the backend (every parameter and tensor
 * made so far belongs to it and may no longer be used). Call init() again to go on. Idempotent.
 *
 * @example
 * await init({ threads: 2 });
 * dispose(); // the workers exit; isInitialized() is false until the next init()
 */
export function dispose(): void {
  if (pending) throw new Error('descent: dispose() was called while an init() is still running; await it first');
  current?.backend.pool?.close();
  current = null;
}

/**
 * Waits for the worker threads that init() started (init() does not wait: until every worker is up,
 * calls run on the calling thread, with the same results) and returns backendInfo(): `threads` is
 * then the caller plus its workers, or 1 where none run (`threadsReason` says why: no threads in
 * this runtime, `threads: 1`, or a worker that failed or did not start within 10 s, which is logged).
 * Resolves at once where no workers start; never rejects for a worker's failure. Rejects if descent
 * is not initialized (or was disposed while waiting).
 *
 * @example
 * await init({ threads: 2 });
 * backendInfo().threads; // 1 until the worker is up: calls already run, on the calling thread
 * const info = await threadsReady();
 * info.threads; // 2 where worker threads can start (else 1, and info.threadsReason says why)
 */
export async function threadsReady(): Promise<BackendInfo> {
  while (pending) {
    try {
      await pending;
    } catch {
      // that init()'s failure is reported to its caller
    }
  }
  await poolReady(getBackend().pool);
  return backendInfo();
}

/** `{ bytesInUse, bytesReserved, blocks }` of the running backend's memory. */
export function memoryStats(): MemoryStats {
  return getBackend().arena.stats();
}

/** True once init() or initSync() has completed. */
export function isInitialized(): boolean {
  return current !== null;
}

/**
 * Loads descent and picks its backend: the packaged build for this runtime unless you pass one.
 * With backend 'auto' (the default) it uses wasm-relaxed where relaxed SIMD validates and its
 * self-test computes right with a fused multiply-add, else wasm-simd where SIMD validates and a
 * self-test computes right, else wasm-scalar, and the js path only where the runtime has no WebAssembly; a build that
 * fails to load (missing file, HTTP error, no permission, a bundler that did not emit the .wasm)
 * rejects with an Error naming the cause and the fix for that runtime. Idempotent: calling it again
 * with no options (or the same backend) returns at once; asking for another backend or passing a
 * build switches, and parameters made before belong to the old backend (using them with the new one
 * throws). A failed init leaves nothing half-set and can be retried. It does not wait for worker
 * threads: calls run on the calling thread until they are up (`await threadsReady()` waits for them).
 *
 * @param input a WebAssembly.Module, a Response (or a promise of one), a URL or path, the .wasm
 *   bytes, or `{ module, backend, maxMemoryMB }`. Default: the packaged build for this runtime.
 * @example
 * await init();
 * backendName(); // 'wasm-simd' (where SIMD validates)
 * await init({ backend: 'js' }); // the plain-JS path, no Wasm at all
 */
export async function init(input?: WasmSource | InitOptions): Promise<BackendInfo> {
  const opts = normalize(input);
  while (pending) {
    try {
      await pending;
    } catch {
      // the other call's failure is reported to that caller; this one tries on its own
    }
  }
  if (satisfied(opts)) return backendInfo();
  pending = initAsync(opts);
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

/**
 * Synchronous init from a build you already hold: `initSync({ module })` with a compiled
 * WebAssembly.Module (or the .wasm bytes, compiled synchronously), or `{ backend: 'js' }` for no Wasm.
 * The packaged builds are the subpaths `descent/wasm/simd`, `descent/wasm/relaxed` and `descent/wasm/scalar`: imported as
 * modules in workerd and Deno (`import source`), they are WebAssembly.Module objects; in Node, resolve
 * them to the file. Options and checks as init(); the backend follows the build you pass.
 * `{ backend: 'js' }` runs at once in Node; the browser, Deno, Bun and workerd entries load the js
 * backend on demand (it is not in your bundle until used), so there call `await init({ backend: 'js' })`
 * once first (initSync({ backend: 'js' }) throws an Error saying so until then).
 *
 * @example
 * // Node: read the packaged SIMD build and compile it synchronously
 * import { readFileSync } from 'node:fs';
 * import { initSync, backendName } from 'descent';
 * initSync({ module: new WebAssembly.Module(readFileSync(new URL(import.meta.resolve('descent/wasm/simd')))) });
 * backendName(); // 'wasm-simd'
 * // workerd (with the CompiledWasm rule): import simd from 'descent/wasm/simd'; initSync({ module: simd });
 */
export function initSync(options: InitOptions | WebAssembly.Module): BackendInfo {
  const opts = normalize(options);
  if (pending) throw new Error('descent: initSync() was called while an init() is still running; await it first');
  if (satisfied(opts)) return backendInfo();
  const maxBytes = maxBytesOf(opts);
  const choice = opts.backend ?? 'auto';
  if (choice === 'js') {
    if (jsBackend === null) throw new Error(JS_NOT_LOADED);
    return commit(jsBackend(maxBytes), 'requested', maxBytes, opts, JS_THREADS);
  }
  if (opts.module === undefined) {
    throw new TypeError("descent: initSync() needs { module } (a WebAssembly.Module or the .wasm bytes), or { backend: 'js' }; use await init() to load the packaged build");
  }
  const module = compileSourceSync(opts.module);
  const plan = planThreads(opts.threads);
  let memory = createWasmMemory(maxBytes);
  let k;
  try {
    k = instantiateBuildSync(module, memory);
  } catch (e) {
    if (!wantsSharedMemory(e)) throw e;
    memory = createWasmMemory(maxBytes, true); // a threaded build: it imports a shared memory
    k = instantiateBuildSync(module, memory);
  }
  const b = createWasmBackend(buildName(k), k, memory, maxBytes, { module, count: plan.threads });
  return commit(checkBuild(b, choice), 'module given', maxBytes, opts, threadsOf(b, plan));
}

/** The backend's thread plan as first reported (backendInfo() follows the pool from then on). */
function threadsOf(b: Backend, plan: ThreadPlan): ThreadPlan {
  if (b.pool !== null) return { threads: b.pool.current, reason: b.pool.reason };
  if (plan.threads > 1) return { threads: 1, reason: 'one thread: the build passed to init() is not a threaded build (it does not import a shared memory)' };
  return plan;
}

const JS_THREADS: ThreadPlan = { threads: 1, reason: 'one thread: the js backend does not use threads' };

/** True when instantiation failed because the build imports a shared memory (a threaded build). */
function wantsSharedMemory(e: unknown): boolean {
  return /shared/i.test(String((e as Error)?.message ?? ''));
}

async function initAsync(opts: InitOptions): Promise<BackendInfo> {
  const maxBytes = maxBytesOf(opts);
  const choice = opts.backend ?? 'auto';
  if (choice === 'js') return commit((await loadJsBackend())(maxBytes), 'requested', maxBytes, opts, JS_THREADS);
  const plan = planThreads(opts.threads);
  if (opts.module !== undefined) {
    const b = await loadBuild(await compileSource(opts.module), maxBytes, plan);
    return commit(checkBuild(b, choice), 'module given', maxBytes, opts, threadsOf(b, plan));
  }
  if (!hasWebAssembly()) {
    if (choice !== 'auto') throw new Error(`descent: init({ backend: '${choice}' }) needs WebAssembly, which this runtime does not have; use backend: 'auto' or 'js'`);
    return commit((await loadJsBackend())(maxBytes), 'no WebAssembly in this runtime', maxBytes, opts, JS_THREADS);
  }
  if (choice === 'wasm-simd' && !simdValidates()) {
    throw new Error("descent: init({ backend: 'wasm-simd' }): this runtime's WebAssembly has no SIMD (WebAssembly.validate rejects it); use backend: 'auto' or 'wasm-scalar'");
  }
  if (choice === 'wasm-relaxed' && !relaxedSimdValidates()) {
    throw new Error(`descent: init({ backend: 'wasm-relaxed' }): ${NO_RELAXED}; use backend: 'auto' or 'wasm-simd'`);
  }
  if (choice !== 'auto') {
    const b = await loadPackaged(KIND_OF[choice], maxBytes, plan);
    return commit(checkBuild(b, choice), 'requested', maxBytes, opts, threadsOf(b, plan));
  }
  // auto: a build that fails to load is an error (never a silent switch to the slower js path).
  let why = 'WebAssembly.validate rejects SIMD';
  if (simdValidates()) {
    // relaxed has no threaded build: with threads planned, the threaded SIMD build runs (more cores
    // pay more than fused multiply-adds); init({ threads: 1 }) lets 'auto' choose wasm-relaxed.
    const relaxed = !relaxedSimdValidates() ? NO_RELAXED : plan.threads > 1 ? `${plan.threads} threads planned and the relaxed build has no threaded build (init({ threads: 1 }) to use it)` : await tryRelaxed(maxBytes);
    if (typeof relaxed !== 'string') return commit(relaxed, 'relaxed SIMD validates and the probe computed right with a fused multiply-add', maxBytes, opts, threadsOf(relaxed, plan));
    const b = await loadPackaged('simd', maxBytes, plan);
    if (b.name === 'wasm-simd' && probeBackend(b)) return commit(b, `SIMD validates and the probe computed right; not wasm-relaxed: ${relaxed}`, maxBytes, opts, threadsOf(b, plan));
    b.pool?.close();
    why = 'the SIMD build computed a wrong answer in its self-test';
  }
  const b = await loadPackaged('scalar', maxBytes, plan);
  return commit(checkBuild(b, 'wasm-scalar'), `${why}; using wasm-scalar`, maxBytes, opts, threadsOf(b, plan));
}

const KIND_OF = { 'wasm-relaxed': 'relaxed', 'wasm-simd': 'simd', 'wasm-scalar': 'scalar' } as const;

const NO_RELAXED =
  "this runtime's WebAssembly has no relaxed SIMD (WebAssembly.validate rejects f32x4.relaxed_madd; " +
  'Node 20 needs node --experimental-wasm-relaxed-simd, which NODE_OPTIONS does not accept; Node 22+, Chromium, Deno, Bun and workerd have it)';

/**
 * Backend 'auto''s first choice: the relaxed build, if relaxed SIMD validates, its probe computes
 * right and its multiply-add is fused (unfused, it would compute as wasm-simd does, no faster).
 * Returns the backend, or why not. A relaxed build that cannot be loaded is logged, not fatal.
 */
async function tryRelaxed(maxBytes: number): Promise<Backend | string> {
  if (!relaxedSimdValidates()) return NO_RELAXED;
  let b: Backend;
  try {
    b = await loadBuild(await packaged('relaxed'), maxBytes, { ...ONE_THREAD_RELAXED });
  } catch (e) {
    const why = `the relaxed-SIMD build could not be loaded (${(e as Error).message})`;
    console.warn(`descent: ${why}; using wasm-simd`);
    return why;
  }
  if (b.name !== 'wasm-relaxed' || !probeBackend(b)) return 'the relaxed-SIMD build computed a wrong answer in its self-test';
  if (probeMadd(b) !== 'fused') return "relaxed SIMD's multiply-add is not fused on this CPU (no gain over wasm-simd)";
  return b;
}

const ONE_THREAD_RELAXED: ThreadPlan = { threads: 1, reason: 'one thread: the relaxed build has no threaded build (backend wasm-simd runs threads)' };


/**
 * The packaged build of `kind` for the plan: the threaded build when threads are planned. A threaded
 * build that cannot be loaded (a bundler that did not emit it) is logged and the plain one runs.
 */
async function loadPackaged(kind: 'simd' | 'scalar' | 'relaxed', maxBytes: number, plan: ThreadPlan): Promise<Backend> {
  if (kind === 'relaxed' && plan.threads > 1) {
    plan.threads = 1;
    plan.reason = ONE_THREAD_RELAXED.reason;
  }
  if (plan.threads > 1 && kind !== 'relaxed') {
    let module: WebAssembly.Module | null = null;
    try {
      module = await packaged(`${kind}-threads`);
    } catch (e) {
      const why = `the threaded build could not be loaded (${(e as Error).message})`;
      console.warn(`descent: ${why}; running on one thread`);
      plan.threads = 1;
      plan.reason = `one thread: ${why}`;
    }
    if (module !== null) return loadBuild(module, maxBytes, plan);
  }
  return loadBuild(await packaged(kind), maxBytes, plan);
}

async function loadBuild(module: WebAssembly.Module, maxBytes: number, plan: ThreadPlan): Promise<Backend> {
  let memory = createWasmMemory(maxBytes);
  let k;
  try {
    k = await instantiateBuild(module, memory);
  } catch (e) {
    if (!wantsSharedMemory(e)) throw e;
    memory = createWasmMemory(maxBytes, true); // a threaded build: it imports a shared memory
    k = await instantiateBuild(module, memory);
  }
  return createWasmBackend(buildName(k), k, memory, maxBytes, { module, count: plan.threads });
}

/** The backend if it is the build asked for and its self-test computes right; else its workers are stopped and it throws. */
function checkBuild(b: Backend, choice: BackendChoice): Backend {
  try {
    return checkedBuild(b, choice);
  } catch (e) {
    b.pool?.close('the build was refused by init()');
    throw e;
  }
}

function checkedBuild(b: Backend, choice: BackendChoice): Backend {
  if (choice !== 'auto' && choice !== b.name) {
    throw new TypeError(`descent: init({ backend: '${choice}' }) was given the ${b.name} build; pass the matching .wasm or backend: 'auto'`);
  }
  if (!probeBackend(b)) throw new Error(`descent: the ${b.name} build computed a wrong answer in its self-test; this runtime's Wasm is broken, use backend: 'js'`);
  return b;
}

/** The packaged build for this entry's runtime, compiled (or as imported). */
async function packaged(kind: BuildKind): Promise<WebAssembly.Module> {
  if (!defaults) {
    throw new Error(
      "descent: no packaged .wasm is known to this entry; pass one to init(module), or import 'descent' through its package entry",
    );
  }
  return defaults.load(kind);
}

function commit(backend: Backend, reason: string, maxBytes: number, opts: InitOptions, t: ThreadPlan): BackendInfo {
  if (current !== null && current.backend !== backend) current.backend.pool?.close('the backend was replaced by init()');
  current = {
    backend,
    info: { name: backend.name, reason, maxMemoryMB: maxBytes / 1048576, threads: t.threads, threadsReason: t.reason },
    requestedThreads: opts.threads,
  };
  return backendInfo();
}

function satisfied(opts: InitOptions): boolean {
  if (!current || opts.module !== undefined) return false;
  const b = opts.backend ?? 'auto';
  if (b !== 'auto' && b !== current.backend.name) return false;
  if (opts.threads !== undefined && opts.threads !== current.requestedThreads) return false;
  // a pool that fell back to one thread (a worker died or could not start) is retried
  const pool = current.backend.pool;
  if (opts.threads !== undefined && opts.threads > 1 && pool !== null && !pool.starting && pool.current !== opts.threads) return false;
  if (opts.threads !== undefined && opts.threads > 1 && current.backend.pool === null && current.info.threads !== opts.threads && current.backend.name !== 'js') return false;
  return opts.maxMemoryMB === undefined || opts.maxMemoryMB === current.info.maxMemoryMB;
}

function maxBytesOf(opts: InitOptions): number {
  const mb = opts.maxMemoryMB ?? DEFAULT_MAX_MEMORY_MB;
  if (typeof mb !== 'number' || !Number.isInteger(mb) || mb < 2 || mb > 4096) {
    throw new RangeError(`descent: init({ maxMemoryMB }) must be a whole number of MiB from 2 to 4096, got ${String(mb)}`);
  }
  return mb * 1048576;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'wasm-relaxed', 'wasm-simd', 'wasm-scalar', 'js'];

function normalize(input: any): InitOptions {
  if (input === undefined || input === null) return {};
  const isSource =
    isWasmModule(input) || isResponse(input) || isUrl(input) || typeof input === 'string' || isBytes(input) ||
    typeof (input as PromiseLike<unknown>).then === 'function';
  if (isSource) return { module: input as WasmSource };
  if (typeof input !== 'object') throw new TypeError(`descent: init() takes a .wasm source or { module, backend, maxMemoryMB }, got ${typeof input}`);
  const o = input as InitOptions;
  const unknown = Object.keys(o).filter((k) => k !== 'module' && k !== 'backend' && k !== 'maxMemoryMB' && k !== 'threads');
  if (unknown.length) throw new TypeError(`descent: init() got unknown option(s) ${unknown.join(', ')}; the options are module, backend, maxMemoryMB, threads`);
  checkThreads(o.threads);
  if (o.backend !== undefined && !BACKENDS.includes(o.backend)) {
    throw new RangeError(`descent: init({ backend }) must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(o.backend)}`);
  }
  if (o.backend === 'js' && o.module !== undefined) throw new TypeError("descent: init({ backend: 'js' }) takes no module; drop one of the two");
  return o;
}
