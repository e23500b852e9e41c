// Batched GEMM: a loop of the existing f32_gemm (../gemm.ts: its layout, aliasing and summation
// order rules apply to each product). Batch strides count elements; 0 reuses one matrix for every
// batch (a broadcast operand). C's batches must not overlap A's or B's.
import { f32_gemm } from "../gemm";

/** C_b = alpha·op(A_b)·op(B_b) + beta·C_b for b < batch, X_b = X + b·strideX. */
export function f32_gemm_batched(
  transA: i32, transB: i32, batch: i32, M: i32, N: i32, K: i32,
  alpha: f32, A: usize, lda: i32, strideA: i32, B: usize, ldb: i32, strideB: i32,
  beta: f32, C: usize, ldc: i32, strideC: i32,
): void {
  for (let b = 0; b < batch; b++) {
    f32_gemm(transA, transB, M, N, K, alpha,
      A + ((<usize>b * <usize>strideA) << 2), lda, B + ((<usize>b * <usize>strideB) << 2), ldb,
      beta, C + ((<usize>b * <usize>strideC) << 2), ldc);
  }
}
