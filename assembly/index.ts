// The ABI manifest: every export the TypeScript wrapper may call, and nothing else.
// Both release builds (SIMD and scalar) export exactly these names with these signatures;
// src/wasm/abi.ts mirrors this file and src/ref/ implements each export in plain JS.

export { f32_fill, f32_copy, f32_scale, f32_axpy, f32_dot, f32_sum, f32_sumsq } from "./kernels/blas1";
export * from "./optim";
export * from "./nn";
export * from "./tensor";

/** 1 in the SIMD build, 0 in the scalar build. */
export function abi_simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** ABI version; bumped whenever an export changes meaning. */
export function abi_version(): i32 {
  return 1;
}

/** First byte past the module's static data: the arena starts at or after it. */
export function heap_base(): usize {
  return __heap_base;
}

/**
 * The tiny correctness probe run by backend: 'auto'. Computes a lane-wise multiply-add on
 * four lanes at `p` (16-byte aligned, 12 f32 values: a, b, out) and returns the sum of out.
 */
export function simd_probe(p: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    v128.store(p + 32, f32x4.add(f32x4.mul(v128.load(p), v128.load(p + 16)), v128.load(p)));
  } else {
    for (let i: usize = 0; i < 4; i++) {
      store<f32>(p + 32 + (i << 2), load<f32>(p + (i << 2)) * load<f32>(p + 16 + (i << 2)) + load<f32>(p + (i << 2)));
    }
  }
  return load<f32>(p + 32) + load<f32>(p + 36) + load<f32>(p + 40) + load<f32>(p + 44);
}
