// Family manifest: GEMM, activations, losses and penalties for models. Re-exported by
// assembly/index.ts; mirrored by src/wasm/abi-nn.ts and src/ref/nn.ts.

export { f32_gemm, f32_peak_probe } from "./kernels/gemm";

/** Marker so the family is never empty. */
export function nn_family(): i32 {
  return 1;
}
