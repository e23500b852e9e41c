/** ABI of assembly/nn.ts: GEMM, activations, losses, penalties. Mirror every export here and in src/ref/nn.ts. */
export interface NnKernels {
  nn_family(): number;

  // gemm
  f32_gemm(
    transA: number, transB: number, M: number, N: number, K: number,
    alpha: number, A: number, lda: number, B: number, ldb: number,
    beta: number, C: number, ldc: number,
  ): void;
  f32_peak_probe(iters: number): number;
}

export const NN_EXPORTS: readonly (keyof NnKernels)[] = ['nn_family', 'f32_gemm', 'f32_peak_probe'];
