/**
 * Turns whatever the user hands init() into an instantiated build: Module, Response (or a promise
 * of one), URL or path, or bytes. Instantiation goes through @assemblyscript/loader; a Module from
 * another realm (edge-runtime) fails the loader's `instanceof` check, so that case is instantiated
 * directly and then demangled by the same loader.
 */
import { describe } from '../util/describe.js';
import { instantiate as asInstantiate, instantiateSync as asInstantiateSync, demangle } from '@assemblyscript/loader';
import { ABI_VERSION, REQUIRED_EXPORTS, type Kernels } from './abi.gen.js';
import { isResponse, isWasmModule } from './features.js';

export type WasmSource =
  | WebAssembly.Module
  | Response
  | PromiseLike<Response>
  | URL
  | string
  | ArrayBuffer
  | ArrayBufferView;

/** How an entry reads a URL or path that fetch() cannot (Node: file: URLs and paths). */
export type FileReader = (urlOrPath: URL | string) => Promise<ArrayBuffer | ArrayBufferView> | null;

let fileReader: FileReader | null = null;

/** Installed by the node entry so that paths and file: URLs are read from disk. */
export function setFileReader(reader: FileReader | null): void {
  fileReader = reader;
}

/** Resolves a source to a compiled Module (or bytes only where it must compile). */
export async function compileSource(source: WasmSource): Promise<WebAssembly.Module> {
  const s: any = await source;
  if (isWasmModule(s)) return s;
  if (isResponse(s)) {
    if (!s.ok) throw new Error(`descent: fetching the .wasm failed with HTTP ${s.status} ${s.statusText} (${s.url})`);
    const type = s.headers.get('Content-Type') ?? '';
    if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(s);
    }
    return WebAssembly.compile(await s.arrayBuffer());
  }
  if (typeof s === 'string' || s instanceof URL || Object.prototype.toString.call(s) === '[object URL]') {
    const read = fileReader?.(s as URL | string);
    if (read) return WebAssembly.compile(toBytes(await read));
    if (typeof fetch !== 'function') throw new TypeError(`descent: cannot load ${String(s)}: this runtime has no fetch(); pass the bytes or a WebAssembly.Module to init()`);
    return compileSource(await fetch(s as URL | string));
  }
  if (s instanceof ArrayBuffer || ArrayBuffer.isView(s)) return WebAssembly.compile(toBytes(s));
  throw new TypeError(
    `descent: init() cannot load ${describe(s)}; pass a WebAssembly.Module, a Response (or a promise of one), ` +
      `a URL or path, or the .wasm bytes`,
  );
}

/** Synchronous form for initSync: a Module, or bytes (compiled synchronously). */
export function compileSourceSync(source: any): WebAssembly.Module {
  if (isWasmModule(source)) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return new WebAssembly.Module(toBytes(source));
  throw new TypeError(
    `descent: initSync({ module }) needs a WebAssembly.Module or the .wasm bytes, got ${describe(source)}; ` +
      `use await init() for URLs and Responses`,
  );
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(msg: number, file: number, line: number, col: number) {
        throw new Error(`descent: a Wasm kernel aborted at line ${line}:${col} (debug build)`);
      },
    },
  };
}

export async function instantiateBuild(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Kernels> {
  if (module instanceof WebAssembly.Module) {
    const { exports } = await asInstantiate<Record<string, unknown>>(module, imports(memory));
    return checkAbi(exports);
  }
  const instance = (await WebAssembly.instantiate(module, imports(memory))) as unknown as WebAssembly.Instance;
  return checkAbi(demangle<Record<string, unknown>>(instance.exports));
}

export function instantiateBuildSync(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  if (module instanceof WebAssembly.Module) {
    return checkAbi(asInstantiateSync<Record<string, unknown>>(module, imports(memory)).exports);
  }
  return checkAbi(demangle<Record<string, unknown>>(new WebAssembly.Instance(module, imports(memory)).exports));
}

function checkAbi(exports: Record<string, unknown>): Kernels {
  const missing = REQUIRED_EXPORTS.filter((k) => typeof exports[k] !== 'function');
  if (missing.length) {
    throw new TypeError(`descent: this .wasm is not a descent build (missing exports: ${missing.join(', ')}); rebuild with npm run build`);
  }
  // The loader wraps each export in a rest-args closure (for optional arguments, which the ABI
  // never uses); kernels are called with the raw export it keeps as `.original`.
  const raw: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(exports)) {
    raw[name] = typeof f === 'function' && typeof (f as any).original === 'function' ? (f as any).original : f;
  }
  const k = raw as unknown as Kernels;
  if (k.abi_version() !== ABI_VERSION) {
    throw new TypeError(`descent: .wasm ABI version ${k.abi_version()} does not match the wrapper's ${ABI_VERSION}; rebuild with npm run build`);
  }
  return k;
}

function toBytes(b: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  return (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) as Uint8Array<ArrayBuffer>;
}

