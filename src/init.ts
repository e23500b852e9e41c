/**
 * init() / initSync() and the backend they choose. Everything above this floor asks
 * `getBackend()`; nothing below knows which backend runs.
 */
import { buildName, createJsBackend, createWasmBackend, createWasmMemory, probeBackend, probeMadd, type Backend, type BackendName } from './backend/index.js';
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
}

export interface BackendInfo {
  name: BackendName;
  /** Why this backend was chosen (e.g. why 'auto' fell back). */
  reason: string;
  maxMemoryMB: number;
}

/**
 * How an entry loads the packaged builds (node: read from disk; url: fetch next to the module; module:
 * the imported Modules). `load` compiles at most once and rejects with an Error whose message names
 * the cause and the fix for that runtime (a missing file, a permission, a bundler set-up).
 */
export interface DefaultSources {
  load(kind: BuildKind): WebAssembly.Module | Promise<WebAssembly.Module>;
}

/** The packaged builds: SIMD, relaxed SIMD (fused multiply-add in the matrix products) and scalar. */
export type BuildKind = 'simd' | 'scalar' | 'relaxed';

export const DEFAULT_MAX_MEMORY_MB = 1024;

let defaults: DefaultSources | null = null;
let current: { backend: Backend; info: BackendInfo } | null = null;
let pending: Promise<BackendInfo> | null = null;

/** Called once by each package entry (dist/entry/*.js). */
export function setDefaultSources(sources: DefaultSources): void {
  defaults = sources;
}

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
  return { ...current!.info };
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
 * throws). A failed init leaves nothing half-set and can be retried.
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
  if (choice === 'js') return commit(createJsBackend(maxBytes), 'requested', maxBytes);
  if (opts.module === undefined) {
    throw new TypeError("descent: initSync() needs { module } (a WebAssembly.Module or the .wasm bytes), or { backend: 'js' }; use await init() to load the packaged build");
  }
  const module = compileSourceSync(opts.module);
  const memory = createWasmMemory(maxBytes);
  const k = instantiateBuildSync(module, memory);
  return commit(checkBuild(createWasmBackend(buildName(k), k, memory, maxBytes), choice), 'module given', maxBytes);
}

async function initAsync(opts: InitOptions): Promise<BackendInfo> {
  const maxBytes = maxBytesOf(opts);
  const choice = opts.backend ?? 'auto';
  if (choice === 'js') return commit(createJsBackend(maxBytes), 'requested', maxBytes);
  if (opts.module !== undefined) {
    const b = await loadBuild(await compileSource(opts.module), maxBytes);
    return commit(checkBuild(b, choice), 'module given', maxBytes);
  }
  if (!hasWebAssembly()) {
    if (choice !== 'auto') throw new Error(`descent: init({ backend: '${choice}' }) needs WebAssembly, which this runtime does not have; use backend: 'auto' or 'js'`);
    return commit(createJsBackend(maxBytes), 'no WebAssembly in this runtime', maxBytes);
  }
  if (choice === 'wasm-simd' && !simdValidates()) {
    throw new Error("descent: init({ backend: 'wasm-simd' }): this runtime's WebAssembly has no SIMD (WebAssembly.validate rejects it); use backend: 'auto' or 'wasm-scalar'");
  }
  if (choice === 'wasm-relaxed' && !relaxedSimdValidates()) {
    throw new Error(`descent: init({ backend: 'wasm-relaxed' }): ${NO_RELAXED}; use backend: 'auto' or 'wasm-simd'`);
  }
  if (choice !== 'auto') {
    const b = await loadBuild(await packaged(KIND_OF[choice]), maxBytes);
    return commit(checkBuild(b, choice), 'requested', maxBytes);
  }
  // auto: a build that fails to load is an error (never a silent switch to the slower js path).
  let why = 'WebAssembly.validate rejects SIMD';
  if (simdValidates()) {
    const relaxed = await tryRelaxed(maxBytes);
    if (typeof relaxed !== 'string') return commit(relaxed, 'relaxed SIMD validates and the probe computed right with a fused multiply-add', maxBytes);
    const b = await loadBuild(await packaged('simd'), maxBytes);
    if (b.name === 'wasm-simd' && probeBackend(b)) return commit(b, `SIMD validates and the probe computed right; not wasm-relaxed: ${relaxed}`, maxBytes);
    why = 'the SIMD build computed a wrong answer in its self-test';
  }
  const b = await loadBuild(await packaged('scalar'), maxBytes);
  return commit(checkBuild(b, 'wasm-scalar'), `${why}; using wasm-scalar`, maxBytes);
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
    b = await loadBuild(await packaged('relaxed'), maxBytes);
  } catch (e) {
    const why = `the relaxed-SIMD build could not be loaded (${(e as Error).message})`;
    console.warn(`descent: ${why}; using wasm-simd`);
    return why;
  }
  if (b.name !== 'wasm-relaxed' || !probeBackend(b)) return 'the relaxed-SIMD build computed a wrong answer in its self-test';
  if (probeMadd(b) !== 'fused') return "relaxed SIMD's multiply-add is not fused on this CPU (no gain over wasm-simd)";
  return b;
}

async function loadBuild(module: WebAssembly.Module, maxBytes: number): Promise<Backend> {
  const memory = createWasmMemory(maxBytes);
  const k = await instantiateBuild(module, memory);
  return createWasmBackend(buildName(k), k, memory, maxBytes);
}

function checkBuild(b: Backend, choice: BackendChoice): Backend {
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

function commit(backend: Backend, reason: string, maxBytes: number): BackendInfo {
  current = { backend, info: { name: backend.name, reason, maxMemoryMB: maxBytes / 1048576 } };
  return backendInfo();
}

function satisfied(opts: InitOptions): boolean {
  if (!current || opts.module !== undefined) return false;
  const b = opts.backend ?? 'auto';
  if (b !== 'auto' && b !== current.backend.name) return false;
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
  const unknown = Object.keys(o).filter((k) => k !== 'module' && k !== 'backend' && k !== 'maxMemoryMB');
  if (unknown.length) throw new TypeError(`descent: init() got unknown option(s) ${unknown.join(', ')}; the options are module, backend, maxMemoryMB`);
  if (o.backend !== undefined && !BACKENDS.includes(o.backend)) {
    throw new RangeError(`descent: init({ backend }) must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(o.backend)}`);
  }
  if (o.backend === 'js' && o.module !== undefined) throw new TypeError("descent: init({ backend: 'js' }) takes no module; drop one of the two");
  return o;
}
