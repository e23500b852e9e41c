/**
 * ABI of assembly/tensor.ts: the kernels of the autodiff ops (docs/autograd-design.md). Mirror every
 * export here, in assembly/kernels/tensor/*.ts and in src/ref/tensor/. Pointers are byte addresses
 * (16-byte aligned by the arena, not required); sizes, strides and leading dimensions count
 * elements; scalars are f32; index buffers (`target`, `idx`, `argmax`) hold i32. A 0 pointer for an
 * optional operand (bias, gamma, beta, an unwanted gradient) means "none". Kernels never allocate,
 * never read or write outside the extents they are given, and write their outputs (they never
 * accumulate into them) unless the line says otherwise.
 */
export interface TensorKernels {
  tensor_family(): number;

  // ---- elementwise (out may alias x; dx may alias dy) ----------------------------------------
  /** out[i] = exp(x[i]) (+inf above 88.72; 0 below -87.34: no subnormal results). */
  f32_exp(out: number, x: number, n: number): void;
  /** out[i] = log(x[i]) (-inf at 0, NaN below 0). */
  f32_log(out: number, x: number, n: number): void;
  /** out[i] = sqrt(x[i]) (correctly rounded). */
  f32_sqrt(out: number, x: number, n: number): void;
  /** out[i] = |x[i]|. */
  f32_abs(out: number, x: number, n: number): void;
  /** out[i] = log(1 + exp(x[i])), torch's softplus (beta 1, threshold 20: x > 20 gives x). */
  f32_softplus(out: number, x: number, n: number): void;
  /** out[i] = x[i]·Φ(x[i]), torch's exact (erf) GELU. */
  f32_gelu(out: number, x: number, n: number): void;
  /** out[i] = x[i]^p, torch.pow with a scalar exponent (p = 2, 3, 0.5, -0.5, -1, -2, 0, 1 exact forms). */
  f32_pow_scalar(out: number, x: number, n: number, p: number): void;
  /** dx[i] = dy[i]·sign(x[i]) (0 at 0). */
  f32_abs_backward(dx: number, dy: number, x: number, n: number): void;
  /** dx[i] = dy[i]·sigmoid(x[i]) (dy[i] above the threshold 20). */
  f32_softplus_backward(dx: number, dy: number, x: number, n: number): void;
  /** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])). */
  f32_gelu_backward(dx: number, dy: number, x: number, n: number): void;
  /** dx[i] = lo <= x[i] <= hi ? dy[i] : 0 (torch's clamp gradient). */
  f32_clamp_backward(dx: number, dy: number, x: number, n: number, lo: number, hi: number): void;

  // ---- broadcast ----------------------------------------------------------------------------
  /**
   * out[i0,i1,i2,i3] = a[Σ ik·sak] ∘ b[Σ ik·sbk] for the contiguous [n0,n1,n2,n3] output; a stride
   * of 0 broadcasts. ∘ is BINARY.* (add sub mul div max min maxgrad). out may alias a or b when that
   * operand has the output's own contiguous strides.
   */
  f32_binary(
    op: number, out: number, a: number, b: number, n0: number, n1: number, n2: number, n3: number,
    sa0: number, sa1: number, sa2: number, sa3: number, sb0: number, sb1: number, sb2: number, sb3: number,
  ): void;
  /** out[Σ ik·sok] = x[Σ ik·sxk] over the 4-D index space [n0,n1,n2,n3] (expand, transpose, narrow, concat). No aliasing. */
  f32_copy_strided(
    out: number, x: number, n0: number, n1: number, n2: number, n3: number,
    so0: number, so1: number, so2: number, so3: number, sx0: number, sx1: number, sx2: number, sx3: number,
  ): void;

  // ---- reductions over the middle axis of a contiguous [outer, n, inner] (output [outer, inner]) ----
  /** out[o, j] = scale·Σ_i x[o, i, j] (scale 1/n: mean). Four lane partials when inner == 1. */
  f32_sum_axis(out: number, x: number, outer: number, n: number, inner: number, scale: number): void;
  /** out[o, j] = max_i x[o, i, j] (NaN propagates; n == 0 gives -inf). */
  f32_max_axis(out: number, x: number, outer: number, n: number, inner: number): void;
  /** dx[o, i, j] = x[o, i, j] == y[o, j] ? dy[o, j] / count : 0, count = ties of the max (torch amax). */
  f32_max_axis_backward(dx: number, dy: number, x: number, y: number, outer: number, n: number, inner: number): void;
  /** out[o, j] = m + log Σ_i exp(x[o, i, j] − m), m = max_i x (m = ±inf: out = m). */
  f32_logsumexp_axis(out: number, x: number, outer: number, n: number, inner: number): void;

  // ---- softmax along the middle axis of [outer, n, inner] (out may alias x; dx may alias dy) ----
  /** y = exp(x − max) / Σ exp(x − max) along the axis. */
  f32_softmax_axis(out: number, x: number, outer: number, n: number, inner: number): void;
  /** dx = y·(dy − Σ_axis dy·y). */
  f32_softmax_axis_backward(dx: number, dy: number, y: number, outer: number, n: number, inner: number): void;
  /** y = x − max − log Σ exp(x − max) along the axis. */
  f32_log_softmax_axis(out: number, x: number, outer: number, n: number, inner: number): void;
  /** dx = dy − exp(y)·Σ_axis dy. */
  f32_log_softmax_axis_backward(dx: number, dy: number, y: number, outer: number, n: number, inner: number): void;

  // ---- matmul ---------------------------------------------------------------------------------
  /**
   * For b < batch: C_b = alpha·op(A_b)·op(B_b) + beta·C_b, with X_b = X + b·strideX (elements; a
   * stride of 0 reuses one matrix), each product by f32_gemm (same arguments otherwise).
   */
  f32_gemm_batched(
    transA: number, transB: number, batch: number, M: number, N: number, K: number,
    alpha: number, A: number, lda: number, strideA: number, B: number, ldb: number, strideB: number,
    beta: number, C: number, ldc: number, strideC: number,
  ): void;

  // ---- losses (scalar results are written to out[0]) ------------------------------------------
  /** out[0] = −scale·Σ_i logp[i, target[i]] over an [n, k] logp (targets in [0, k), checked by the caller). */
  f32_nll_loss(out: number, logp: number, target: number, n: number, k: number, scale: number): void;
  /** dlogp = 0 except dlogp[i, target[i]] = −scale·dy[0]. */
  f32_nll_loss_backward(dlogp: number, dy: number, target: number, n: number, k: number, scale: number): void;
  /** out[0] = scale·Σ (pred − target)². */
  f32_mse_loss_sum(out: number, pred: number, target: number, n: number, scale: number): void;
  /** out[0] = scale·Σ max(x, 0) − x·t + log1p(exp(−|x|)) (binary cross-entropy on logits). */
  f32_bce_logits_sum(out: number, x: number, target: number, n: number, scale: number): void;
  /** out[0] = scale·Σ (|d| < delta ? d²/2 : delta·(|d| − delta/2)), d = pred − target. */
  f32_huber_loss_sum(out: number, pred: number, target: number, n: number, scale: number, delta: number): void;

  // ---- convolution and pooling (NCHW, row-major) ----------------------------------------------
  /**
   * out[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C, KH, KW]) + bias[O] (bias 0: none), stride SH×SW,
   * zero padding PH×PW. `cols` (N·C·KH·KW·OH·OW floats) receives every image's im2col matrix, kept
   * for the backward.
   */
  f32_conv2d(
    out: number, x: number, w: number, bias: number, cols: number,
    N: number, C: number, H: number, W: number, O: number, KH: number, KW: number,
    SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
  ): void;
  /**
   * From dy[N, O, OH, OW] and the forward's `cols`: dx (col2im of wᵀ·dy, using `dcols`, a
   * C·KH·KW·OH·OW scratch), dw = Σ_n dy_n·cols_nᵀ, db = Σ dy over N, OH, OW. A 0 pointer skips that gradient.
   */
  f32_conv2d_backward(
    dx: number, dw: number, db: number, dy: number, w: number, cols: number, dcols: number,
    N: number, C: number, H: number, W: number, O: number, KH: number, KW: number,
    SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
  ): void;
  /** out[p, oh, ow] = max of each window over `planes` planes of H×W (padding is −inf); argmax gets h·W + w. */
  f32_max_pool2d(
    out: number, argmax: number, x: number, planes: number, H: number, W: number,
    KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
  ): void;
  /** dx = 0, then dx[p, argmax[p, o]] += dy[p, o]. */
  f32_max_pool2d_backward(dx: number, dy: number, argmax: number, planes: number, H: number, W: number, OH: number, OW: number): void;
  /** out[p, oh, ow] = mean of each KH×KW window (zero padding counted, torch's count_include_pad). */
  f32_avg_pool2d(
    out: number, x: number, planes: number, H: number, W: number,
    KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
  ): void;
  /** dx = 0, then every window adds dy/(KH·KW) to its in-range elements. */
  f32_avg_pool2d_backward(
    dx: number, dy: number, planes: number, H: number, W: number,
    KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
  ): void;

  // ---- embedding ------------------------------------------------------------------------------
  /** out[i, :] = weight[idx[i], :] for i < n (indices checked by the caller). */
  f32_embedding(out: number, weight: number, idx: number, n: number, dim: number): void;
  /** dw[rows, dim] = 0, then dw[idx[i], :] += dy[i, :]. */
  f32_embedding_backward(dw: number, dy: number, idx: number, n: number, dim: number, rows: number): void;

  // ---- layer norm over the last dimension -----------------------------------------------------
  /** out = (x − mean)·rstd·gamma + beta per row; writes mean[rows] and rstd[rows] = 1/sqrt(var + eps) (biased var). */
  f32_layer_norm(out: number, mean: number, rstd: number, x: number, gamma: number, beta: number, rows: number, cols: number, eps: number): void;
  /** dx, dgamma = Σ_rows dy·x̂, dbeta = Σ_rows dy from the forward's mean and rstd (0 pointers skip). */
  f32_layer_norm_backward(
    dx: number, dgamma: number, dbeta: number, dy: number, x: number, mean: number, rstd: number,
    gamma: number, rows: number, cols: number,
  ): void;

  // ---- dropout --------------------------------------------------------------------------------
  /** mask[i] = keep(seed, i) ? 1/(1−p) : 0 (keep with probability 1 − p, p >= 1 drops all), out = x·mask. */
  f32_dropout(out: number, mask: number, x: number, n: number, p: number, seed: number): void;
}

/** Operation codes of f32_binary. MAXGRAD is maximum's gradient weight for a: a > b ? 1 : a == b ? 0.5 : 0. */
export const BINARY = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, maxgrad: 6 } as const;

export const TENSOR_EXPORTS: readonly (keyof TensorKernels)[] = [
  'tensor_family',
  'f32_exp', 'f32_log', 'f32_sqrt', 'f32_abs', 'f32_softplus', 'f32_gelu', 'f32_pow_scalar',
  'f32_abs_backward', 'f32_softplus_backward', 'f32_gelu_backward', 'f32_clamp_backward',
  'f32_binary', 'f32_copy_strided',
  'f32_sum_axis', 'f32_max_axis', 'f32_max_axis_backward', 'f32_logsumexp_axis',
  'f32_softmax_axis', 'f32_softmax_axis_backward', 'f32_log_softmax_axis', 'f32_log_softmax_axis_backward',
  'f32_gemm_batched',
  'f32_nll_loss', 'f32_nll_loss_backward', 'f32_mse_loss_sum', 'f32_bce_logits_sum', 'f32_huber_loss_sum',
  'f32_conv2d', 'f32_conv2d_backward', 'f32_max_pool2d', 'f32_max_pool2d_backward', 'f32_avg_pool2d', 'f32_avg_pool2d_backward',
  'f32_embedding', 'f32_embedding_backward',
  'f32_layer_norm', 'f32_layer_norm_backward',
  'f32_dropout',
];
