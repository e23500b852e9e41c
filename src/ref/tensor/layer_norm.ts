/**
 * References for assembly/kernels/tensor/layer_norm.ts: layer norm over the last dimension (biased
 * variance, as torch) and its backward. Row sums keep four lane partials (./common.ts sum4); the
 * gamma/beta gradients sum over rows in order.
 */
import { sum4, type Arith, type TensorHeap, type Round } from './common.js';
import { arith } from './mathf.js';

export function f32_layer_norm(
  h: TensorHeap, out: number, mean: number, rstd: number, x: number, gamma: number, beta: number,
  rows: number, cols: number, eps: number, fr: Round = Math.fround,
): void {
  const a = arith(fr);
  const m = h.f32, o0 = out >>> 2, x0 = x >>> 2, g0 = gamma >>> 2, b0 = beta >>> 2;
  eps = fr(eps);
  for (let r = 0; r < rows; r++) {
    const xr = x0 + r * cols, or = o0 + r * cols;
    const mu = fr(sum4(fr, cols, (j) => m[xr + j]) / cols);
    const v = fr(sum4(fr, cols, (j) => {
      const d = fr(m[xr + j] - mu);
      return fr(d * d);
    }) / cols);
    const rs = fr(1 / fr(Math.sqrt(fr(v + eps))));
    m[(mean >>> 2) + r] = mu;
    m[(rstd >>> 2) + r] = rs;
    for (let j = 0; j < cols; j++) {
      let y = fr(fr(m[xr + j] - mu) * rs);
      if (gamma !== 0) y = fr(y * m[g0 + j]);
      if (beta !== 0) y = fr(y + m[b0 + j]);
      m[or + j] = y;
    }
  }
}

export function f32_layer_norm_backward(
  h: TensorHeap, dx: number, dgamma: number, dbeta: number, dy: number, x: number, mean: number, rstd: number,
  gamma: number, rows: number, cols: number, fr: Round = Math.fround,
): void {
  const a = arith(fr);
  const m = h.f32, x0 = x >>> 2, g0 = dy >>> 2, w0 = gamma >>> 2;
  if (dgamma !== 0) m.fill(0, dgamma >>> 2, (dgamma >>> 2) + cols);
  if (dbeta !== 0) m.fill(0, dbeta >>> 2, (dbeta >>> 2) + cols);
  for (let r = 0; r < rows; r++) {
    const xr = x0 + r * cols, gr = g0 + r * cols;
    const mu = m[(mean >>> 2) + r], rs = m[(rstd >>> 2) + r];
    const xhat = (j: number) => fr(fr(m[xr + j] - mu) * rs);
    const dxhat = (j: number) => (gamma !== 0 ? fr(m[gr + j] * m[w0 + j]) : m[gr + j]);
    if (dgamma !== 0) for (let j = 0; j < cols; j++) m[(dgamma >>> 2) + j] = fr(m[(dgamma >>> 2) + j] + fr(m[gr + j] * xhat(j)));
    if (dbeta !== 0) for (let j = 0; j < cols; j++) m[(dbeta >>> 2) + j] = fr(m[(dbeta >>> 2) + j] + m[gr + j]);
    if (dx !== 0) {
      const ma = fr(sum4(fr, cols, dxhat) / cols);
      const mb = fr(sum4(fr, cols, (j) => fr(dxhat(j) * xhat(j))) / cols);
      const dr = (dx >>> 2) + r * cols;
      for (let j = 0; j < cols; j++) m[dr + j] = fr(rs * fr(fr(dxhat(j) - ma) - fr(xhat(j) * mb)));
    }
  }
}
