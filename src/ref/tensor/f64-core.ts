/**
 * Float64 twins of the existing kernels the autodiff engine reuses (blas1 fill/copy/scale/axpy,
 * clamp, GEMM, the relu/leaky-relu/tanh/sigmoid activations and their backward, the non-finite
 * scan), over a Float64Array heap: the rest of the float64 device next to refTensorKernels(h, identity) (src/ref/bindings.gen.ts).
 */
import type { Kernels } from '../../wasm/abi.gen.js';
import type { TensorHeap } from './common.js';
import { F64 } from './mathf.js';
import { gemm64 } from './matmul.js';

/** The existing kernels the engine calls besides TensorKernels. */
export type CoreKernels = Pick<
  Kernels,
  | 'f32_fill' | 'f32_copy' | 'f32_scale' | 'f32_axpy' | 'f32_clamp' | 'f32_gemm' | 'f32_find_nonfinite'
  | 'f32_relu' | 'f32_relu_backward' | 'f32_leaky_relu' | 'f32_leaky_relu_backward'
  | 'f32_tanh' | 'f32_tanh_backward' | 'f32_sigmoid' | 'f32_sigmoid_backward'
>;

export function createCoreKernels64(h: TensorHeap & { refresh(): TensorHeap }): CoreKernels {
  const map = (out: number, x: number, n: number, f: (v: number) => number) => {
    const m = h.refresh().f32, o = out >>> 2, xi = x >>> 2;
    for (let i = 0; i < n; i++) m[o + i] = f(m[xi + i]);
  };
  const map2 = (dx: number, dy: number, y: number, n: number, f: (g: number, v: number) => number) => {
    const m = h.refresh().f32, o = dx >>> 2, gi = dy >>> 2, yi = y >>> 2;
    for (let i = 0; i < n; i++) m[o + i] = f(m[gi + i], m[yi + i]);
  };
  return {
    f32_fill: (out, v, n) => void h.refresh().f32.fill(v, out >>> 2, (out >>> 2) + n),
    f32_copy: (out, x, n) => void h.refresh().f32.copyWithin(out >>> 2, x >>> 2, (x >>> 2) + n),
    f32_scale: (out, a, x, n) => map(out, x, n, (v) => a * v),
    f32_axpy: (out, a, x, y, n) => {
      const m = h.refresh().f32, o = out >>> 2, xi = x >>> 2, yi = y >>> 2;
      for (let i = 0; i < n; i++) m[o + i] = a * m[xi + i] + m[yi + i];
    },
    f32_clamp: (out, x, lo, hi, n) => map(out, x, n, (v) => Math.min(Math.max(v, lo), hi)),
    f32_gemm: (ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) =>
      gemm64(h.refresh().f32, ta, tb, M, N, K, alpha, A >>> 2, lda, B >>> 2, ldb, beta, C >>> 2, ldc),
    f32_find_nonfinite: (x, n) => {
      const m = h.refresh().f32, xi = x >>> 2;
      for (let i = 0; i < n; i++) if (m[xi + i] - m[xi + i] !== 0) return i;
      return -1;
    },
    f32_relu: (out, x, n) => map(out, x, n, (v) => Math.max(v, 0)),
    f32_relu_backward: (dx, dy, y, n) => map2(dx, dy, y, n, (g, v) => (v > 0 ? g : 0)),
    f32_leaky_relu: (out, x, n, s) => map(out, x, n, (v) => (v > 0 ? v : s * v)),
    f32_leaky_relu_backward: (dx, dy, y, n, s) => map2(dx, dy, y, n, (g, v) => (v > 0 ? g : s * g)),
    f32_tanh: (out, x, n) => map(out, x, n, F64.tanh),
    f32_tanh_backward: (dx, dy, y, n) => map2(dx, dy, y, n, (g, v) => g * (1 - v * v)),
    f32_sigmoid: (out, x, n) => map(out, x, n, F64.sigmoid),
    f32_sigmoid_backward: (dx, dy, y, n) => map2(dx, dy, y, n, (g, v) => g * v * (1 - v)),
  };
}
