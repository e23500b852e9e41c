// Family manifest: optimizer update kernels (one fused kernel per named optimizer) and gradient
// utilities. Re-exported by assembly/index.ts; mirrored by src/wasm/abi-optim.ts and src/ref/optim/.

/** Marker so the family is never empty. */
export function optim_family(): i32 {
  return 1;
}
