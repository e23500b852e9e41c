/**
 * References for assembly/kernels/tensor/losses.ts. Scalar results go to out[0]; sums keep the
 * kernels' four lane partials (./common.ts sum4); nll sums in row order.
 */
import { sum4, type Arith, type TensorHeap, type Round } from './common.js';
import { arith } from './mathf.js';

export function f32_nll_loss(h: TensorHeap, out: number, logp: number, target: number, n: number, k: number, scale: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, t = h.i32, li = logp >>> 2, ti = target >>> 2;
  let s = 0;
  for (let i = 0; i < n; i++) s = fr(s + m[li + i * k + t[ti + i]]);
  m[out >>> 2] = fr(s * fr(-scale));
}

export function f32_nll_loss_backward(h: TensorHeap, dlogp: number, dy: number, target: number, n: number, k: number, scale: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, t = h.i32, di = dlogp >>> 2, ti = target >>> 2;
  const g = fr(m[dy >>> 2] * fr(-scale));
  m.fill(0, di, di + n * k);
  for (let i = 0; i < n; i++) m[di + i * k + t[ti + i]] = g;
}

export function f32_mse_loss_sum(h: TensorHeap, out: number, pred: number, target: number, n: number, scale: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, pi = pred >>> 2, ti = target >>> 2;
  const s = sum4(fr, n, (i) => {
    const d = fr(m[pi + i] - m[ti + i]);
    return fr(d * d);
  });
  m[out >>> 2] = fr(s * fr(scale));
}

/** max(x, 0) − x·t + log1p(exp(−|x|)): binary cross-entropy on a logit, stable for any x. */
export function bceLogits1(x: number, t: number, a: Arith): number {
  const fr = a.fr;
  return fr(fr(Math.max(x, 0) - fr(x * t)) + a.log1p(a.exp(-Math.abs(x))));
}

export function f32_bce_logits_sum(h: TensorHeap, out: number, x: number, target: number, n: number, scale: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, xi = x >>> 2, ti = target >>> 2;
  const s = sum4(fr, n, (i) => bceLogits1(m[xi + i], m[ti + i], a));
  m[out >>> 2] = fr(s * fr(scale));
}

export function f32_huber_loss_sum(h: TensorHeap, out: number, pred: number, target: number, n: number, scale: number, delta: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, pi = pred >>> 2, ti = target >>> 2;
  const dl = fr(delta), half = fr(0.5 * dl);
  const s = sum4(fr, n, (i) => {
    const ad = Math.abs(fr(m[pi + i] - m[ti + i]));
    return ad < dl ? fr(fr(0.5 * ad) * ad) : fr(dl * fr(ad - half));
  });
  m[out >>> 2] = fr(s * fr(scale));
}
