// Family manifest: GEMM, activations, losses and penalties for models. Re-exported by
// assembly/index.ts; mirrored by src/wasm/abi-nn.ts and src/ref/nn.ts.

export { f32_gemm, f32_peak_probe } from "./kernels/gemm";
export {
  f32_relu, f32_relu_backward, f32_leaky_relu, f32_leaky_relu_backward,
  f32_tanh, f32_tanh_backward, f32_sigmoid, f32_sigmoid_backward,
  f32_softmax_rows, f32_softmax_rows_backward,
  f32_bias_act_rows, f32_act_backward, f32_col_sum,
} from "./kernels/activations";
export {
  f32_mse_loss, f32_mae_loss, f32_huber_loss, f32_bce_logits_loss,
  f32_hinge_loss, f32_squared_hinge_loss, f32_softmax_xent_loss, f32_multiclass_hinge_loss,
} from "./kernels/losses";
export { f32_elasticnet_penalty } from "./kernels/penalties";
export { f32_find_nonfinite } from "./kernels/check";

/** Marker so the family is never empty. */
export function nn_family(): i32 {
  return 1;
}
