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

/** Recognizes a WebAssembly.Module from any realm (instanceof fails across realms, e.g. edge-runtime). */
export function isWasmModule(x: unknown): x is WebAssembly.Module {
  return Object.prototype.toString.call(x) === '[object WebAssembly.Module]';
}

export function isResponse(x: unknown): x is Response {
  return typeof Response !== 'undefined' && (x instanceof Response || Object.prototype.toString.call(x) === '[object Response]');
}
