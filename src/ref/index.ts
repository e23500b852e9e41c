/**
 * The js backend: every ABI export implemented by the plain-JS references over a Heap. Adding a
 * kernel means adding it here, next to its Wasm twin in assembly/index.ts.
 */
import type { Kernels } from '../wasm/abi.js';
import { ABI_VERSION } from '../wasm/abi.js';
import { Heap } from './heap.js';
import * as blas1 from './blas1.js';
import { createNnRefKernels } from './nn.js';
import { createOptimRefKernels } from './optim/index.js';
import { createTensorRefKernels } from './tensor/index.js';

/** First usable byte of the js backend's memory (the first 16 bytes are never handed out). */
export const REF_HEAP_BASE = 16;

export function createRefKernels(h: Heap): Kernels {
  const fr = Math.fround;
  return {
    abi_simd: () => 0,
    abi_version: () => ABI_VERSION,
    heap_base: () => REF_HEAP_BASE,
    simd_probe: (p) => {
      const m = h.refresh().f32, i = p >>> 2;
      for (let k = 0; k < 4; k++) {
        m[i + 8 + k] = fr(m[i + k] * m[i + 4 + k]) + m[i + k];
      }
      return fr(fr(fr(m[i + 8] + m[i + 9]) + m[i + 10]) + m[i + 11]);
    },
    f32_fill: (out, v, n) => blas1.f32_fill(h.refresh(), out, v, n),
    f32_copy: (out, x, n) => blas1.f32_copy(h.refresh(), out, x, n),
    f32_scale: (out, a, x, n) => blas1.f32_scale(h.refresh(), out, a, x, n),
    f32_axpy: (out, a, x, y, n) => blas1.f32_axpy(h.refresh(), out, a, x, y, n),
    f32_dot: (x, y, n) => blas1.f32_dot(h.refresh(), x, y, n),
    f32_sum: (x, n) => blas1.f32_sum(h.refresh(), x, n),
    f32_sumsq: (x, n) => blas1.f32_sumsq(h.refresh(), x, n),
    ...createOptimRefKernels(h),
    ...createNnRefKernels(h),
    ...createTensorRefKernels(h),
  };
}

export { Heap };
