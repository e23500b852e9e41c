/**
 * js-backend bindings of the tensor kernels (src/ref/tensor/*.ts), keyed by ABI name. `a` picks the
 * arithmetic: F32 (bit-identical to the Wasm builds for element-wise kernels) or F64 over a
 * Float64Array heap (the float64 path of src/autograd/device.ts).
 */
import type { TensorKernels } from '../../wasm/abi-tensor.js';
import type { Arith, TensorHeap } from './common.js';
import { F32 } from './mathf.js';
import * as el from './elementwise.js';
import * as bc from './broadcast.js';
import * as rd from './reduce.js';
import { f32_gemm_batched } from './matmul.js';
import * as ls from './losses.js';
import * as cv from './conv.js';
import * as em from './embedding.js';
import * as ln from './layer_norm.js';
import { f32_dropout } from './dropout.js';

export type { Arith, TensorHeap };

export function createTensorRefKernels(h: TensorHeap & { refresh(): TensorHeap }, a: Arith = F32): TensorKernels {
  const H = () => h.refresh();
  return {
    tensor_family: () => 1,
    f32_exp: (o, x, n) => el.f32_exp(H(), o, x, n, a),
    f32_log: (o, x, n) => el.f32_log(H(), o, x, n, a),
    f32_sqrt: (o, x, n) => el.f32_sqrt(H(), o, x, n, a),
    f32_abs: (o, x, n) => el.f32_abs(H(), o, x, n),
    f32_softplus: (o, x, n) => el.f32_softplus(H(), o, x, n, a),
    f32_gelu: (o, x, n) => el.f32_gelu(H(), o, x, n, a),
    f32_pow_scalar: (o, x, n, p) => el.f32_pow_scalar(H(), o, x, n, p, a),
    f32_abs_backward: (dx, dy, x, n) => el.f32_abs_backward(H(), dx, dy, x, n),
    f32_softplus_backward: (dx, dy, x, n) => el.f32_softplus_backward(H(), dx, dy, x, n, a),
    f32_gelu_backward: (dx, dy, x, n) => el.f32_gelu_backward(H(), dx, dy, x, n, a),
    f32_clamp_backward: (dx, dy, x, n, lo, hi) => el.f32_clamp_backward(H(), dx, dy, x, n, lo, hi, a),

    f32_binary: (op, o, x, y, n0, n1, n2, n3, a0, a1, a2, a3, b0, b1, b2, b3) =>
      bc.f32_binary(H(), op, o, x, y, n0, n1, n2, n3, a0, a1, a2, a3, b0, b1, b2, b3, a),
    f32_copy_strided: (o, x, n0, n1, n2, n3, o0, o1, o2, o3, x0, x1, x2, x3) =>
      bc.f32_copy_strided(H(), o, x, n0, n1, n2, n3, o0, o1, o2, o3, x0, x1, x2, x3),

    f32_sum_axis: (o, x, outer, n, inner, s) => rd.f32_sum_axis(H(), o, x, outer, n, inner, s, a),
    f32_max_axis: (o, x, outer, n, inner) => rd.f32_max_axis(H(), o, x, outer, n, inner),
    f32_max_axis_backward: (dx, dy, x, y, outer, n, inner) => rd.f32_max_axis_backward(H(), dx, dy, x, y, outer, n, inner, a),
    f32_logsumexp_axis: (o, x, outer, n, inner) => rd.f32_logsumexp_axis(H(), o, x, outer, n, inner, a),
    f32_softmax_axis: (o, x, outer, n, inner) => rd.f32_softmax_axis(H(), o, x, outer, n, inner, a),
    f32_softmax_axis_backward: (dx, dy, y, outer, n, inner) => rd.f32_softmax_axis_backward(H(), dx, dy, y, outer, n, inner, a),
    f32_log_softmax_axis: (o, x, outer, n, inner) => rd.f32_log_softmax_axis(H(), o, x, outer, n, inner, a),
    f32_log_softmax_axis_backward: (dx, dy, y, outer, n, inner) => rd.f32_log_softmax_axis_backward(H(), dx, dy, y, outer, n, inner, a),

    f32_gemm_batched: (ta, tb, batch, M, N, K, alpha, A, lda, sA, B, ldb, sB, beta, C, ldc, sC) =>
      f32_gemm_batched(H(), ta, tb, batch, M, N, K, alpha, A, lda, sA, B, ldb, sB, beta, C, ldc, sC, a),

    f32_nll_loss: (o, lp, t, n, k, s) => ls.f32_nll_loss(H(), o, lp, t, n, k, s, a),
    f32_nll_loss_backward: (d, dy, t, n, k, s) => ls.f32_nll_loss_backward(H(), d, dy, t, n, k, s, a),
    f32_mse_loss_sum: (o, p, t, n, s) => ls.f32_mse_loss_sum(H(), o, p, t, n, s, a),
    f32_bce_logits_sum: (o, x, t, n, s) => ls.f32_bce_logits_sum(H(), o, x, t, n, s, a),
    f32_huber_loss_sum: (o, p, t, n, s, d) => ls.f32_huber_loss_sum(H(), o, p, t, n, s, d, a),

    f32_conv2d: (o, x, w, b, cols, N, C, Hh, W, O, KH, KW, SH, SW, PH, PW, OH, OW) =>
      cv.f32_conv2d(H(), o, x, w, b, cols, N, C, Hh, W, O, KH, KW, SH, SW, PH, PW, OH, OW, a),
    f32_conv2d_backward: (dx, dw, db, dy, w, cols, dcols, N, C, Hh, W, O, KH, KW, SH, SW, PH, PW, OH, OW) =>
      cv.f32_conv2d_backward(H(), dx, dw, db, dy, w, cols, dcols, N, C, Hh, W, O, KH, KW, SH, SW, PH, PW, OH, OW, a),
    f32_max_pool2d: (o, am, x, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW) =>
      cv.f32_max_pool2d(H(), o, am, x, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW),
    f32_max_pool2d_backward: (dx, dy, am, pl, Hh, W, OH, OW) => cv.f32_max_pool2d_backward(H(), dx, dy, am, pl, Hh, W, OH, OW, a),
    f32_avg_pool2d: (o, x, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW) =>
      cv.f32_avg_pool2d(H(), o, x, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW, a),
    f32_avg_pool2d_backward: (dx, dy, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW) =>
      cv.f32_avg_pool2d_backward(H(), dx, dy, pl, Hh, W, KH, KW, SH, SW, PH, PW, OH, OW, a),

    f32_embedding: (o, w, idx, n, dim) => em.f32_embedding(H(), o, w, idx, n, dim),
    f32_embedding_backward: (dw, dy, idx, n, dim, rows) => em.f32_embedding_backward(H(), dw, dy, idx, n, dim, rows, a),

    f32_layer_norm: (o, mu, rs, x, g, b, rows, cols, eps) => ln.f32_layer_norm(H(), o, mu, rs, x, g, b, rows, cols, eps, a),
    f32_layer_norm_backward: (dx, dg, db, dy, x, mu, rs, g, rows, cols) =>
      ln.f32_layer_norm_backward(H(), dx, dg, db, dy, x, mu, rs, g, rows, cols, a),

    f32_dropout: (o, mask, x, n, p, seed) => f32_dropout(H(), o, mask, x, n, p, seed, a),
  };
}
