/** js-backend bindings of the optimizer kernels (src/ref/optim/*.ts), keyed by ABI name. */
import type { OptimKernels } from '../../wasm/abi-optim.js';
import type { Heap } from '../heap.js';

export function createOptimRefKernels(h: Heap): OptimKernels {
  void h;
  return {
    optim_family: () => 1,
  };
}
