/**
 * The ABI: every export of build/descent-{simd,scalar}.wasm, mirroring assembly/index.ts. The js
 * backend implements the same interface with src/ref/, so callers never know which one runs.
 * Pointers are byte offsets into the backend's linear memory; `n` counts f32 elements.
 */
import { NN_EXPORTS, type NnKernels } from './abi-nn.js';
import { OPTIM_EXPORTS, type OptimKernels } from './abi-optim.js';
import { TENSOR_EXPORTS, type TensorKernels } from './abi-tensor.js';

export interface Kernels extends OptimKernels, NnKernels, TensorKernels {
  abi_simd(): number;
  abi_version(): number;
  heap_base(): number;
  simd_probe(p: number): number;

  // blas1
  f32_fill(out: number, value: number, n: number): void;
  f32_copy(out: number, x: number, n: number): void;
  f32_scale(out: number, a: number, x: number, n: number): void;
  f32_axpy(out: number, a: number, x: number, y: number, n: number): void;
  f32_dot(x: number, y: number, n: number): number;
  f32_sum(x: number, n: number): number;
  f32_sumsq(x: number, n: number): number;
}

/** The ABI version this wrapper speaks; assembly/index.ts abi_version() must return it. */
export const ABI_VERSION = 1;

/** Export names every build must have (checked at load, so a stale .wasm fails loudly). */
export const REQUIRED_EXPORTS: readonly (keyof Kernels)[] = [
  'abi_simd', 'abi_version', 'heap_base', 'simd_probe',
  'f32_fill', 'f32_copy', 'f32_scale', 'f32_axpy', 'f32_dot', 'f32_sum', 'f32_sumsq',
  ...OPTIM_EXPORTS,
  ...NN_EXPORTS,
  ...TENSOR_EXPORTS,
];
