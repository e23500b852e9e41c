// Family manifest: the autodiff tensor kernels (docs/autograd-design.md). Re-exported by
// assembly/index.ts; mirrored by src/wasm/abi-tensor.ts and src/ref/tensor/.

export {
  f32_exp, f32_log, f32_sqrt, f32_abs, f32_softplus, f32_gelu, f32_pow_scalar,
  f32_abs_backward, f32_softplus_backward, f32_gelu_backward, f32_clamp_backward,
} from "./kernels/tensor/elementwise";
export { f32_binary, f32_copy_strided } from "./kernels/tensor/broadcast";
export {
  f32_sum_axis, f32_max_axis, f32_max_axis_backward, f32_logsumexp_axis,
  f32_softmax_axis, f32_softmax_axis_backward, f32_log_softmax_axis, f32_log_softmax_axis_backward,
} from "./kernels/tensor/reduce";
export { f32_gemm_batched } from "./kernels/tensor/matmul";
export { f32_nll_loss, f32_nll_loss_backward, f32_mse_loss_sum, f32_bce_logits_sum, f32_huber_loss_sum } from "./kernels/tensor/losses";
export {
  f32_conv2d, f32_conv2d_backward, f32_max_pool2d, f32_max_pool2d_backward, f32_avg_pool2d, f32_avg_pool2d_backward,
} from "./kernels/tensor/conv";
export { f32_embedding, f32_embedding_backward } from "./kernels/tensor/embedding";
export { f32_layer_norm, f32_layer_norm_backward } from "./kernels/tensor/layer_norm";
export { f32_dropout } from "./kernels/tensor/dropout";

/** Marker so the family is never empty. */
export function tensor_family(): i32 {
  return 1;
}
