/**
 * References for assembly/kernels/tensor/reduce.ts and softmax.ts: reductions and softmax along the
 * middle axis of a contiguous [outer, n, inner]. With inner == 1 the row sums keep four lane
 * partials (./common.ts sum4); with inner > 1 each output sums its column in order (the SIMD build
 * runs four columns per vector), so every backend gives the same bits.
 */
import { sum4, type Arith, type TensorHeap, type Round } from './common.js';
import { arith } from './mathf.js';

/** Σ_i term(i) for one output: four partials on a contiguous row, in order on a strided column. */
function axisSum(fr: (x: number) => number, n: number, inner: number, term: (i: number) => number): number {
  if (inner === 1) return sum4(fr, n, term);
  let s = 0;
  for (let i = 0; i < n; i++) s = fr(s + term(i));
  return s;
}

function axisMax(m: Float32Array | Float64Array, base: number, n: number, inner: number): number {
  let mx = -Infinity;
  for (let i = 0; i < n; i++) mx = Math.max(mx, m[base + i * inner]);
  return mx;
}

/** Calls body(base, outIndex) for every output of an [outer, n, inner] reduction. */
function eachOutput(outer: number, n: number, inner: number, body: (base: number, o: number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) body(o * n * inner + j, o * inner + j);
  }
}

export function f32_sum_axis(h: TensorHeap, out: number, x: number, outer: number, n: number, inner: number, scale: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, oi = out >>> 2, xi = x >>> 2;
  scale = fr(scale);
  eachOutput(outer, n, inner, (base, o) => {
    m[oi + o] = fr(axisSum(fr, n, inner, (i) => m[xi + base + i * inner]) * scale);
  });
}

export function f32_max_axis(h: TensorHeap, out: number, x: number, outer: number, n: number, inner: number): void {
  const m = h.f32, oi = out >>> 2, xi = x >>> 2;
  eachOutput(outer, n, inner, (base, o) => {
    m[oi + o] = axisMax(m, xi + base, n, inner);
  });
}

export function f32_max_axis_backward(
  h: TensorHeap, dx: number, dy: number, x: number, y: number, outer: number, n: number, inner: number, fr: Round = Math.fround,
): void {
  const a = arith(fr);
  const m = h.f32, di = dx >>> 2, gi = dy >>> 2, xi = x >>> 2, yi = y >>> 2;
  eachOutput(outer, n, inner, (base, o) => {
    const mx = m[yi + o];
    let count = 0;
    for (let i = 0; i < n; i++) if (m[xi + base + i * inner] === mx) count++;
    const g = a.fr(m[gi + o] / count);
    for (let i = 0; i < n; i++) m[di + base + i * inner] = m[xi + base + i * inner] === mx ? g : 0;
  });
}

export function f32_logsumexp_axis(h: TensorHeap, out: number, x: number, outer: number, n: number, inner: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, oi = out >>> 2, xi = x >>> 2;
  eachOutput(outer, n, inner, (base, o) => {
    const mx = axisMax(m, xi + base, n, inner);
    if (mx === Infinity || mx === -Infinity || mx !== mx) {
      m[oi + o] = mx;
      return;
    }
    const s = axisSum(fr, n, inner, (i) => a.exp(fr(m[xi + base + i * inner] - mx)));
    m[oi + o] = fr(mx + a.log(s));
  });
}

export function f32_softmax_axis(h: TensorHeap, out: number, x: number, outer: number, n: number, inner: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, oi = out >>> 2, xi = x >>> 2;
  eachOutput(outer, n, inner, (base) => {
    const mx = axisMax(m, xi + base, n, inner);
    const s = axisSum(fr, n, inner, (i) => (m[oi + base + i * inner] = a.exp(fr(m[xi + base + i * inner] - mx))));
    for (let i = 0; i < n; i++) m[oi + base + i * inner] = fr(m[oi + base + i * inner] / s);
  });
}

/** The softmax backwards' pass: per output line s = Σ term(dy_i, y_i) (axisSum's order), then dx_i = at(dy_i, y_i, s); dx may alias dy. */
function axisBackward(
  h: TensorHeap, dx: number, dy: number, y: number, outer: number, n: number, inner: number, fr: Round,
  term: (g: number, y: number) => number, at: (g: number, y: number, s: number) => number,
): void {
  const m = h.f32, di = dx >>> 2, gi = dy >>> 2, yi = y >>> 2;
  eachOutput(outer, n, inner, (base) => {
    const s = axisSum(fr, n, inner, (i) => term(m[gi + base + i * inner], m[yi + base + i * inner]));
    for (let i = 0; i < n; i++) {
      const k = base + i * inner;
      m[di + k] = at(m[gi + k], m[yi + k], s);
    }
  });
}

export function f32_softmax_axis_backward(
  h: TensorHeap, dx: number, dy: number, y: number, outer: number, n: number, inner: number, fr: Round = Math.fround,
): void {
  axisBackward(h, dx, dy, y, outer, n, inner, fr, (g, yv) => fr(g * yv), (g, yv, d) => fr(yv * fr(g - d)));
}

export function f32_log_softmax_axis(h: TensorHeap, out: number, x: number, outer: number, n: number, inner: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, oi = out >>> 2, xi = x >>> 2;
  eachOutput(outer, n, inner, (base) => {
    const mx = axisMax(m, xi + base, n, inner);
    const ls = a.log(axisSum(fr, n, inner, (i) => a.exp(fr(m[xi + base + i * inner] - mx))));
    for (let i = 0; i < n; i++) {
      const k = base + i * inner;
      m[oi + k] = fr(fr(m[xi + k] - mx) - ls);
    }
  });
}

export function f32_log_softmax_axis_backward(
  h: TensorHeap, dx: number, dy: number, y: number, outer: number, n: number, inner: number, fr: Round = Math.fround,
): void {
  const a = arith(fr);
  axisBackward(h, dx, dy, y, outer, n, inner, fr, (g) => g, (g, yv, s) => fr(g - fr(a.exp(yv) * s)));
}
