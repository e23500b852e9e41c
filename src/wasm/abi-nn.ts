/** ABI of assembly/nn.ts: GEMM, activations, losses. Mirror every export here and in src/ref/nn.ts. */
export interface NnKernels {
  nn_family(): number;
}

export const NN_EXPORTS: readonly (keyof NnKernels)[] = ['nn_family'];
