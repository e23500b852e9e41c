/**
 * Turns whatever the user hands init() into an instantiated build: Module, Response (or a promise
 * of one), URL or path, or bytes. Instantiation is plain WebAssembly.instantiate with the raw
 * exports: the builds import only `env.memory` and every kernel takes numbers, so no glue is needed
 * (and a Module from another realm, as edge-runtime hands over, instantiates like any other).
 */
import { describe } from '../util/describe.js';
import { ABI_VERSION, REQUIRED_EXPORTS, type Kernels } from './abi.gen.js';
import { isBytes, isResponse, isUrl, isWasmModule } from './features.js';

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

/** Resolves a source to a compiled Module: compiles at most once, and not at all for a Module. */
export async function compileSource(source: WasmSource): Promise<WebAssembly.Module> {
  const s: unknown = await source;
  if (isWasmModule(s)) return s;
  if (isBytes(s)) return WebAssembly.compile(toBytes(s));
  if (typeof s === 'string' || isUrl(s)) {
    const read = fileReader?.(s);
    if (read) return WebAssembly.compile(toBytes(await read));
    if (typeof fetch !== 'function') throw new TypeError(`descent: cannot load ${String(s)}: this runtime has no fetch(); pass the bytes or a WebAssembly.Module to init()`);
    return compileResponse(await fetch(s));
  }
  if (isResponse(s)) return compileResponse(s);
  throw new TypeError(
    `descent: init() cannot load ${describe(s)}; pass a WebAssembly.Module, a Response (or a promise of one), ` +
      `a URL or path, or the .wasm bytes`,
  );
}

/** Compiles a fetched build (streaming when the server says application/wasm); an HTTP error names the URL. */
export async function compileResponse(r: Response): Promise<WebAssembly.Module> {
  if (!r.ok) throw new Error(`descent: fetching the .wasm failed with HTTP ${r.status} ${r.statusText} (${r.url})`);
  const type = r.headers.get('Content-Type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(r);
  }
  return WebAssembly.compile(await r.arrayBuffer());
}

/** Synchronous form for initSync: a Module, or bytes (compiled synchronously). */
export function compileSourceSync(source: unknown): WebAssembly.Module {
  if (isWasmModule(source)) return source;
  if (isBytes(source)) return new WebAssembly.Module(toBytes(source));
  throw new TypeError(
    `descent: initSync({ module }) needs a WebAssembly.Module or the .wasm bytes, got ${describe(source)}; ` +
      `use await init() for URLs and Responses`,
  );
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`descent: a Wasm kernel aborted at line ${line}:${col} (debug build)`);
      },
    },
  };
}

export async function instantiateBuild(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<Kernels> {
  const instance: WebAssembly.Instance = await WebAssembly.instantiate(module, imports(memory));
  return checkAbi(instance.exports);
}

export function instantiateBuildSync(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  return checkAbi(new WebAssembly.Instance(module, imports(memory)).exports);
}

function checkAbi(exports: WebAssembly.Exports): Kernels {
  const missing = REQUIRED_EXPORTS.filter((k) => typeof exports[k] !== 'function');
  if (missing.length) {
    throw new TypeError(`descent: this .wasm is not a descent build (missing exports: ${missing.join(', ')}); rebuild with npm run build`);
  }
  const k = exports as unknown as Kernels;
  if (k.abi_version() !== ABI_VERSION) {
    throw new TypeError(`descent: .wasm ABI version ${k.abi_version()} does not match the wrapper's ${ABI_VERSION}; rebuild with npm run build`);
  }
  return k;
}

function toBytes(b: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  return (ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b)) as Uint8Array<ArrayBuffer>;
}
