/**
 * References for assembly/kernels/tensor/elementwise.ts (same arguments; `a` is the arithmetic, see
 * ./common.ts). out may alias x and dx may alias dy: each element is read before it is written.
 */
import type { Arith, TensorHeap, Round } from './common.js';
import { arith } from './mathf.js';

const SQRT1_2 = Math.fround(Math.SQRT1_2);
const INV_SQRT_2PI = Math.fround(0.3989422804014327);

function map(h: TensorHeap, out: number, x: number, n: number, f: (v: number) => number): void {
  const m = h.f32, o = out >>> 2, xi = x >>> 2;
  for (let i = 0; i < n; i++) m[o + i] = f(m[xi + i]);
}

function map2(h: TensorHeap, dx: number, dy: number, x: number, n: number, f: (g: number, v: number) => number): void {
  const m = h.f32, o = dx >>> 2, gi = dy >>> 2, xi = x >>> 2;
  for (let i = 0; i < n; i++) m[o + i] = f(m[gi + i], m[xi + i]);
}

export const f32_exp = (h: TensorHeap, out: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map(h, out, x, n, a.exp);
};
export const f32_log = (h: TensorHeap, out: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map(h, out, x, n, a.log);
};
export const f32_sqrt = (h: TensorHeap, out: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map(h, out, x, n, (v) => a.fr(Math.sqrt(v)));
};
export const f32_abs = (h: TensorHeap, out: number, x: number, n: number) => map(h, out, x, n, Math.abs);

/** torch softplus (beta 1, threshold 20): x > 20 ? x : max(x, 0) + log1p(exp(−|x|)). */
export function softplus1(v: number, a: Arith): number {
  if (v > 20) return v;
  return a.fr(Math.max(v, 0) + a.log1p(a.exp(-Math.abs(v))));
}
export const f32_softplus = (h: TensorHeap, out: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map(h, out, x, n, (v) => softplus1(v, a));
};

/** Φ(x) = erfc(−x/√2)/2. */
function cdf(v: number, a: Arith): number {
  const fr = a.fr;
  return fr(0.5 * a.erfc(fr(-v * (a.name === 'float32' ? SQRT1_2 : Math.SQRT1_2))));
}
export const f32_gelu = (h: TensorHeap, out: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map(h, out, x, n, (v) => a.fr(v * cdf(v, a)));
};

export function f32_pow_scalar(h: TensorHeap, out: number, x: number, n: number, p: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  p = fr(p);
  map(h, out, x, n, powFn(p, a));
  function powFn(q: number, ar: Arith): (v: number) => number {
    switch (q) {
      case 0: return () => 1;
      case 1: return (v) => v;
      case 2: return (v) => fr(v * v);
      case 3: return (v) => fr(fr(v * v) * v);
      case 0.5: return (v) => fr(Math.sqrt(v));
      case -0.5: return (v) => fr(1 / fr(Math.sqrt(v)));
      case -1: return (v) => fr(1 / v);
      case -2: return (v) => fr(1 / fr(v * v));
    }
    const isInt = Math.floor(q) === q;
    const odd = isInt && Math.floor(q * 0.5) * 2 !== q;
    return (v) => {
      const r = ar.exp(fr(q * ar.log(Math.abs(v))));
      if (v < 0 || (v === 0 && 1 / v < 0)) {
        if (!isInt) return v === 0 ? r : NaN;
        return odd ? -r : r;
      }
      return r;
    };
  }
}

export const f32_abs_backward = (h: TensorHeap, dx: number, dy: number, x: number, n: number) =>
  map2(h, dx, dy, x, n, (g, v) => (v > 0 ? g : v < 0 ? -g : v === v ? 0 : NaN));

export const f32_softplus_backward = (h: TensorHeap, dx: number, dy: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map2(h, dx, dy, x, n, (g, v) => (v > 20 ? g : a.fr(g * a.sigmoid(v))));
};

/** GELU's derivative: Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π). */
export function geluGrad1(v: number, a: Arith): number {
  const fr = a.fr;
  const pdf = fr(a.exp(fr(fr(-0.5 * v) * v)) * (a.name === 'float32' ? INV_SQRT_2PI : 0.3989422804014327));
  return fr(cdf(v, a) + fr(v * pdf));
}
export const f32_gelu_backward = (h: TensorHeap, dx: number, dy: number, x: number, n: number, fr: Round = Math.fround) => {
  const a = arith(fr);
  map2(h, dx, dy, x, n, (g, v) => a.fr(g * geluGrad1(v, a)));
};

export function f32_clamp_backward(h: TensorHeap, dx: number, dy: number, x: number, n: number, lo: number, hi: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  lo = a.fr(lo);
  hi = a.fr(hi);
  map2(h, dx, dy, x, n, (g, v) => (v >= lo && v <= hi ? g : 0));
}
