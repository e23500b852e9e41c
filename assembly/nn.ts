// Family manifest: GEMM, activations and losses for models. Re-exported by assembly/index.ts;
// mirrored by src/wasm/abi-nn.ts and src/ref/nn.ts.

/** Marker so the family is never empty. */
export function nn_family(): i32 {
  return 1;
}
