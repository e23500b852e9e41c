/** js-backend bindings of the nn kernels (src/ref/gemm.ts, activations.ts, losses.ts, penalties.ts, check.ts), keyed by ABI name. */
import type { NnKernels } from '../wasm/abi-nn.js';
import type { Heap } from './heap.js';
import * as act from './activations.js';
import * as check from './check.js';
import * as gemm from './gemm.js';
import * as loss from './losses.js';
import * as pen from './penalties.js';

export function createNnRefKernels(h: Heap): NnKernels {
  return {
    nn_family: () => 1,
    f32_gemm: (ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) =>
      gemm.f32_gemm(h.refresh(), ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc),
    f32_peak_probe: (iters) => gemm.f32_peak_probe(iters),

    f32_relu: (out, x, n) => act.f32_relu(h.refresh(), out, x, n),
    f32_relu_backward: (dx, dy, y, n) => act.f32_relu_backward(h.refresh(), dx, dy, y, n),
    f32_leaky_relu: (out, x, n, s) => act.f32_leaky_relu(h.refresh(), out, x, n, s),
    f32_leaky_relu_backward: (dx, dy, y, n, s) => act.f32_leaky_relu_backward(h.refresh(), dx, dy, y, n, s),
    f32_tanh: (out, x, n) => act.f32_tanh(h.refresh(), out, x, n),
    f32_tanh_backward: (dx, dy, y, n) => act.f32_tanh_backward(h.refresh(), dx, dy, y, n),
    f32_sigmoid: (out, x, n) => act.f32_sigmoid(h.refresh(), out, x, n),
    f32_sigmoid_backward: (dx, dy, y, n) => act.f32_sigmoid_backward(h.refresh(), dx, dy, y, n),
    f32_softmax_rows: (out, x, r, c) => act.f32_softmax_rows(h.refresh(), out, x, r, c),
    f32_softmax_rows_backward: (dx, dy, y, r, c) => act.f32_softmax_rows_backward(h.refresh(), dx, dy, y, r, c),
    f32_bias_act_rows: (out, x, b, r, c, a, s) => act.f32_bias_act_rows(h.refresh(), out, x, b, r, c, a, s),
    f32_act_backward: (dx, dy, y, n, a, s) => act.f32_act_backward(h.refresh(), dx, dy, y, n, a, s),
    f32_col_sum: (out, x, r, c) => act.f32_col_sum(h.refresh(), out, x, r, c),

    f32_mse_loss: (g, p, t, w, r, c, s) => loss.f32_mse_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_mae_loss: (g, p, t, w, r, c, s) => loss.f32_mae_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_huber_loss: (g, p, t, w, r, c, s, d) => loss.f32_huber_loss(h.refresh(), g, p, t, w, r, c, s, d),
    f32_bce_logits_loss: (g, p, t, w, r, c, s) => loss.f32_bce_logits_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_hinge_loss: (g, p, t, w, r, c, s) => loss.f32_hinge_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_squared_hinge_loss: (g, p, t, w, r, c, s) => loss.f32_squared_hinge_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_softmax_xent_loss: (g, p, t, w, r, c, s) => loss.f32_softmax_xent_loss(h.refresh(), g, p, t, w, r, c, s),
    f32_multiclass_hinge_loss: (g, p, t, w, r, c, s, d) => loss.f32_multiclass_hinge_loss(h.refresh(), g, p, t, w, r, c, s, d),

    f32_elasticnet_penalty: (g, w, n, l1, l2) => pen.f32_elasticnet_penalty(h.refresh(), g, w, n, l1, l2),
    f32_find_nonfinite: (x, n) => check.f32_find_nonfinite(h.refresh(), x, n),
  };
}
