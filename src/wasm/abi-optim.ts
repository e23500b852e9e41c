/** ABI of assembly/optim.ts: optimizer kernels. Mirror every export here and in src/ref/optim/. */
export interface OptimKernels {
  optim_family(): number;
}

export const OPTIM_EXPORTS: readonly (keyof OptimKernels)[] = ['optim_family'];
