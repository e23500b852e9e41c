/** js-backend bindings of the nn kernels (src/ref/gemm.ts, activations.ts, losses.ts, penalties.ts), keyed by ABI name. */
import type { NnKernels } from '../wasm/abi-nn.js';
import type { Heap } from './heap.js';
import * as gemm from './gemm.js';

export function createNnRefKernels(h: Heap): NnKernels {
  return {
    nn_family: () => 1,
    f32_gemm: (ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) =>
      gemm.f32_gemm(h.refresh(), ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc),
    f32_peak_probe: (iters) => gemm.f32_peak_probe(iters),
  };
}
