/**
 * Reference for assembly/kernels/tensor/matmul.ts: batched GEMM as a loop over the existing
 * f32_gemm reference (float32), or the same product accumulated in float64 (the float64 path).
 */
import { f32_gemm } from '../gemm.js';
import type { Heap } from '../heap.js';
import type { Arith, TensorHeap, Round } from './common.js';
import { arith } from './mathf.js';

export function f32_gemm_batched(
  h: TensorHeap, transA: number, transB: number, batch: number, M: number, N: number, K: number,
  alpha: number, A: number, lda: number, strideA: number, B: number, ldb: number, strideB: number,
  beta: number, C: number, ldc: number, strideC: number, fr: Round = Math.fround,
): void {
  const a = arith(fr);
  for (let b = 0; b < batch; b++) {
    const pa = A + 4 * b * strideA, pb = B + 4 * b * strideB, pc = C + 4 * b * strideC;
    if (a.name === 'float32') f32_gemm(h as Heap, transA, transB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    else gemm64(h.f32, transA, transB, M, N, K, alpha, pa >>> 2, lda, pb >>> 2, ldb, beta, pc >>> 2, ldc);
  }
}

/** C = alpha·op(A)·op(B) + beta·C in float64 (beta == 0 ignores C). */
export function gemm64(
  m: Float32Array | Float64Array, transA: number, transB: number, M: number, N: number, K: number,
  alpha: number, a0: number, lda: number, b0: number, ldb: number, beta: number, c0: number, ldc: number,
): void {
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? 1 : ldb, csB = transB ? ldb : 1;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += m[a0 + i * rsA + k * csA] * m[b0 + k * rsB + j * csB];
      const c = c0 + i * ldc + j;
      m[c] = beta === 0 ? alpha * s : alpha * s + beta * m[c];
    }
  }
}
