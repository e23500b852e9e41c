// What a build says about itself (exported through assembly/index.ts, listed in the manifest's abi
// family): which build it is, the ABI version, where the arena may start, and the correctness probe
// that backend 'auto' runs before trusting the SIMD build.
import { ABI_VERSION } from "./constants.gen";
import { madd, setGemmScratch } from "./kernels/gemm";

/** 2 in the relaxed-SIMD build, 1 in the SIMD build, 0 in the scalar build. */
export function abi_simd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 2 : ASC_FEATURE_SIMD ? 1 : 0;
}

/** ABI version (scripts/manifest.mjs ABI_VERSION); bumped whenever an export changes meaning. */
export function abi_version(): i32 {
  return ABI_VERSION;
}

/** First byte past the module's static data: the arena starts at or after it. */
export function heap_base(): usize {
  return __heap_base;
}

/**
 * The tiny correctness probe run by backend: 'auto'. Computes a lane-wise multiply-add a·b + a on
 * four lanes at `p` (16-byte aligned, 12 f32 values: a, b, out) and returns the sum of out. The
 * relaxed build computes it with the GEMM tiles' madd (fused where the CPU has FMA), so inputs
 * whose product rounds tell whether it fuses (src/backend/index.ts probeBackend).
 */
export function simd_probe(p: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    const a = v128.load(p);
    v128.store(p + 32, madd(a, v128.load(p + 16), a));
  } else {
    for (let i: usize = 0; i < 4; i++) {
      store<f32>(p + 32 + (i << 2), load<f32>(p + (i << 2)) * load<f32>(p + 16 + (i << 2)) + load<f32>(p + (i << 2)));
    }
  }
  return load<f32>(p + 32) + load<f32>(p + 36) + load<f32>(p + 40) + load<f32>(p + 44);
}

/**
 * Gives this instance (this thread) its GEMM scratch: GEMM_SCRATCH_BYTES at p, 16-byte aligned,
 * which nothing else uses while the instance lives; 0 takes it away. The wrapper calls it once per
 * instance (src/backend/index.ts, src/threads/worker-loop.ts). Kernels give the same bits either way.
 */
export function set_scratch(p: usize): void {
  setGemmScratch(p);
}
