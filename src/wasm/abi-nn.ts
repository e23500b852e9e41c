/**
 * ABI of assembly/nn.ts: GEMM, activations, losses, penalties. Mirror every export here and in
 * src/ref/nn.ts. Pointers are byte addresses; counts in elements; a 0 pointer for an optional
 * operand (bias, weight, grad) means "none".
 */
export interface NnKernels {
  nn_family(): number;

  // gemm: C = alpha·op(A)·op(B) + beta·C, row-major, leading dimensions in elements
  f32_gemm(
    transA: number, transB: number, M: number, N: number, K: number,
    alpha: number, A: number, lda: number, B: number, ldb: number,
    beta: number, C: number, ldc: number,
  ): void;
  f32_peak_probe(iters: number): number;

  // activations (backward kernels take the forward output y)
  f32_relu(out: number, x: number, n: number): void;
  f32_relu_backward(dx: number, dy: number, y: number, n: number): void;
  f32_leaky_relu(out: number, x: number, n: number, slope: number): void;
  f32_leaky_relu_backward(dx: number, dy: number, y: number, n: number, slope: number): void;
  f32_tanh(out: number, x: number, n: number): void;
  f32_tanh_backward(dx: number, dy: number, y: number, n: number): void;
  f32_sigmoid(out: number, x: number, n: number): void;
  f32_sigmoid_backward(dx: number, dy: number, y: number, n: number): void;
  f32_softmax_rows(out: number, x: number, rows: number, cols: number): void;
  f32_softmax_rows_backward(dx: number, dy: number, y: number, rows: number, cols: number): void;
  f32_bias_act_rows(out: number, x: number, bias: number, rows: number, cols: number, act: number, slope: number): void;
  f32_act_backward(dx: number, dy: number, y: number, n: number, act: number, slope: number): void;
  f32_col_sum(out: number, x: number, rows: number, cols: number): void;

  // losses: return scale·Σ_i w_i Σ_c ℓ_ic and write grad = scale·w_i·∂ℓ (grad 0: value only)
  f32_mse_loss(grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_mae_loss(grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_huber_loss(grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number, delta: number): number;
  f32_bce_logits_loss(grad: number, logits: number, target: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_hinge_loss(grad: number, scores: number, target: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_squared_hinge_loss(grad: number, scores: number, target: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_softmax_xent_loss(grad: number, logits: number, labels: number, weight: number, rows: number, cols: number, scale: number): number;
  f32_multiclass_hinge_loss(grad: number, scores: number, labels: number, weight: number, rows: number, cols: number, scale: number, delta: number): number;

  // penalties: returns l1·Σ|w| + ½·l2·Σw², adds l2·w + l1·sign(w) to grad (grad 0: value only)
  f32_elasticnet_penalty(grad: number, w: number, n: number, l1: number, l2: number): number;

  // input checks: index of the first NaN/±Inf, or -1
  f32_find_nonfinite(x: number, n: number): number;
}

export const NN_EXPORTS: readonly (keyof NnKernels)[] = [
  'nn_family', 'f32_gemm', 'f32_peak_probe',
  'f32_relu', 'f32_relu_backward', 'f32_leaky_relu', 'f32_leaky_relu_backward',
  'f32_tanh', 'f32_tanh_backward', 'f32_sigmoid', 'f32_sigmoid_backward',
  'f32_softmax_rows', 'f32_softmax_rows_backward', 'f32_bias_act_rows', 'f32_act_backward', 'f32_col_sum',
  'f32_mse_loss', 'f32_mae_loss', 'f32_huber_loss', 'f32_bce_logits_loss',
  'f32_hinge_loss', 'f32_squared_hinge_loss', 'f32_softmax_xent_loss', 'f32_multiclass_hinge_loss',
  'f32_elasticnet_penalty', 'f32_find_nonfinite',
];
