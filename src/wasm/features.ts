/** Feature probes for choosing a backend. Know nothing of the rest of the library. */

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)), as wasm-feature-detect's simd probe.
const SIMD_PROBE_BYTES = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this runtime has WebAssembly at all. */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.Instance === 'function';
}

/** True when WebAssembly.validate accepts a module using 128-bit SIMD. Validating compiles nothing. */
export function simdValidates(): boolean {
  try {
    return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE_BYTES);
  } catch {
    return false;
  }
}

// (module (func (result v128) i32.const 0 i8x16.splat i32.const 0 i8x16.splat i32.const 0 i8x16.splat
// f32x4.relaxed_madd)): the relaxed-SIMD instruction the 'wasm-relaxed' build's GEMM tiles use.
const RELAXED_SIMD_PROBE_BYTES = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 11,
]);

/**
 * True when WebAssembly.validate accepts f32x4.relaxed_madd (relaxed SIMD: on by default in
 * Chromium, Deno, Bun, workerd and Node 22+; Node 20 only with --experimental-wasm-relaxed-simd).
 */
export function relaxedSimdValidates(): boolean {
  try {
    return hasWebAssembly() && WebAssembly.validate(RELAXED_SIMD_PROBE_BYTES);
  } catch {
    return false;
  }
}

const tag = (x: unknown): string => Object.prototype.toString.call(x);

/** Recognizes a WebAssembly.Module from any realm (instanceof fails across realms, e.g. edge-runtime). */
export function isWasmModule(x: unknown): x is WebAssembly.Module {
  return tag(x) === '[object WebAssembly.Module]';
}

/**
 * Recognizes a fetch Response (any realm, or a polyfill that sets Symbol.toStringTag) without
 * touching the global `Response`: in Node that global is a lazy getter whose first use loads the
 * whole fetch implementation, which would cost more than the rest of init().
 */
export function isResponse(x: unknown): x is Response {
  return typeof x === 'object' && x !== null && tag(x) === '[object Response]';
}

/** Recognizes a URL object from any realm. */
export function isUrl(x: unknown): x is URL {
  return typeof x === 'object' && x !== null && ((typeof URL === 'function' && x instanceof URL) || tag(x) === '[object URL]');
}

/** Recognizes the .wasm bytes: an ArrayBuffer (any realm) or a typed array / DataView over one. */
export function isBytes(x: unknown): x is ArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(x) || tag(x) === '[object ArrayBuffer]';
}
