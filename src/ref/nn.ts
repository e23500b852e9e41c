/** js-backend bindings of the nn kernels (src/ref/gemm.ts, activations.ts, losses.ts), keyed by ABI name. */
import type { NnKernels } from '../wasm/abi-nn.js';
import type { Heap } from './heap.js';

export function createNnRefKernels(h: Heap): NnKernels {
  void h;
  return {
    nn_family: () => 1,
  };
}
