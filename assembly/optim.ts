// Family manifest: optimizer update kernels (one fused kernel per named optimizer) and gradient
// utilities. Re-exported by assembly/index.ts; mirrored by src/wasm/abi-optim.ts and src/ref/optim/.

export { f32_sgd_step } from './kernels/optim/sgd';
export { f32_adam_step } from './kernels/optim/adam';
export { f32_adagrad_step } from './kernels/optim/adagrad';
export { f32_adadelta_step } from './kernels/optim/adadelta';
export { f32_rmsprop_step } from './kernels/optim/rmsprop';
export { f32_adamax_step } from './kernels/optim/adamax';
export { f32_nadam_step } from './kernels/optim/nadam';
export { f32_radam_step } from './kernels/optim/radam';
export { f32_rprop_step } from './kernels/optim/rprop';
export { f32_lion_step } from './kernels/optim/lion';
export { f32_lerp } from './kernels/optim/averaged';
export { f32_absmax, f32_clamp } from './kernels/optim/clip';

/** Marker so the family is never empty. */
export function optim_family(): i32 {
  return 1;
}
