// Reductions over the middle axis of a contiguous [outer, n, inner] f32 tensor; the output is
// [outer, inner]. With inner == 1 a row sum keeps four lane partials (lane k: elements j ≡ k mod 4
// below n & ~3), combined as (l0 + l1) + (l2 + l3), then the tail in order; with inner > 1 each
// output sums its column in order, four columns per v128. The scalar build and
// src/ref/tensor/reduce.ts use the same orders, so every backend returns the same bits. Outputs
// must not alias inputs (max_axis_backward's dx may alias dy only when inner == n == 1).
import { expFull, expFull4, logF } from "./mathf";
import { dotRow, hsum, lane } from "../lanes";

// Row terms of the partial sums (inner == 1).
// @ts-ignore: decorator
@inline const T_X = 0;
// @ts-ignore: decorator
@inline const T_EXP = 1; // exp(x − m)

// @ts-ignore: decorator
@inline function term1(t: i32, x: f32, m: f32): f32 { return t == T_X ? x : expFull(x - m); }
// @ts-ignore: decorator
@inline function term4(t: i32, x: v128, m: v128): v128 { return t == T_X ? x : expFull4(f32x4.sub(x, m)); }

/** Σ over a contiguous row of n with the four lane partials. */
// @ts-ignore: decorator
@inline function rowSum(t: i32, p: usize, n: i32, m: f32): f32 {
  const n4 = n & ~3;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    let acc = f32x4.splat(0);
    for (let j = 0; j < n4; j += 4) acc = f32x4.add(acc, term4(t, v128.load(p + (<usize>j << 2)), vm));
    s = hsum(acc);
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let j = 0; j < n4; j += 4) {
      const q = p + (<usize>j << 2);
      s0 += term1(t, load<f32>(q), m);
      s1 += term1(t, load<f32>(q, 4), m);
      s2 += term1(t, load<f32>(q, 8), m);
      s3 += term1(t, load<f32>(q, 12), m);
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (let j = n4; j < n; j++) s += term1(t, load<f32>(p + (<usize>j << 2)), m);
  return s;
}

/** Max over n elements at p with stride `st` (elements). */
// @ts-ignore: decorator
@inline function strideMax(p: usize, n: i32, st: i32): f32 {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) m = max<f32>(m, load<f32>(p + ((<usize>i * <usize>st) << 2)));
  return m;
}

/** out[o, j] = scale·Σ_i x[o, i, j] */
export function f32_sum_axis(out: usize, x: usize, outer: i32, n: i32, inner: i32, scale: f32): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + ((<usize>o * <usize>n * <usize>inner) << 2), oo = out + ((<usize>o * <usize>inner) << 2);
    if (inner == 1) {
      store<f32>(oo, rowSum(T_X, xo, n, 0) * scale);
      continue;
    }
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const vs = f32x4.splat(scale);
      for (; j + 4 <= inner; j += 4) {
        let acc = f32x4.splat(0);
        for (let i = 0; i < n; i++) acc = f32x4.add(acc, v128.load(xo + ((<usize>i * <usize>inner + <usize>j) << 2)));
        v128.store(oo + (<usize>j << 2), f32x4.mul(acc, vs));
      }
    }
    for (; j < inner; j++) {
      let s: f32 = 0;
      for (let i = 0; i < n; i++) s += load<f32>(xo + ((<usize>i * <usize>inner + <usize>j) << 2));
      store<f32>(oo + (<usize>j << 2), s * scale);
    }
  }
}

/** out[o, j] = max_i x[o, i, j] */
export function f32_max_axis(out: usize, x: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + ((<usize>o * <usize>n * <usize>inner) << 2), oo = out + ((<usize>o * <usize>inner) << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= inner; j += 4) {
        let m = f32x4.splat(-Infinity);
        for (let i = 0; i < n; i++) m = f32x4.max(m, v128.load(xo + ((<usize>i * <usize>inner + <usize>j) << 2)));
        v128.store(oo + (<usize>j << 2), m);
      }
    }
    for (; j < inner; j++) store<f32>(oo + (<usize>j << 2), strideMax(xo + (<usize>j << 2), n, inner));
  }
}

/** dx = x == y ? dy/count : 0 (count: how many elements of the slice equal its max). */
export function f32_max_axis_backward(dx: usize, dy: usize, x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = (<usize>o * <usize>n * <usize>inner + <usize>j) << 2, oj = (<usize>o * <usize>inner + <usize>j) << 2;
      const m = load<f32>(y + oj);
      let count = 0;
      for (let i = 0; i < n; i++) if (load<f32>(x + base + ((<usize>i * <usize>inner) << 2)) == m) count++;
      const g = load<f32>(dy + oj) / <f32>count;
      for (let i = 0; i < n; i++) {
        const k = base + ((<usize>i * <usize>inner) << 2);
        store<f32>(dx + k, load<f32>(x + k) == m ? g : <f32>0);
      }
    }
  }
}

/** Σ_i exp(x[o, i, j] − m) for one strided column (in order). */
// @ts-ignore: decorator
@inline function colExpSum(p: usize, n: i32, inner: i32, m: f32): f32 {
  let s: f32 = 0;
  for (let i = 0; i < n; i++) s += expFull(load<f32>(p + ((<usize>i * <usize>inner) << 2)) - m);
  return s;
}

/** out[o, j] = m + log Σ_i exp(x − m), m the max (±inf or NaN: m). */
export function f32_logsumexp_axis(out: usize, x: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const p = x + ((<usize>o * <usize>n * <usize>inner + <usize>j) << 2);
      const m = strideMax(p, n, inner);
      let r = m;
      if (m - m == 0) r = m + logF(inner == 1 ? rowSum(T_EXP, p, n, m) : colExpSum(p, n, inner, m));
      store<f32>(out + ((<usize>o * <usize>inner + <usize>j) << 2), r);
    }
  }
}

// ---- softmax family ------------------------------------------------------------------------------

/** y = softmax(x) along the axis. out may alias x. */
export function f32_softmax_axis(out: usize, x: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const off = (<usize>o * <usize>n * <usize>inner + <usize>j) << 2;
      const p = x + off, q = out + off, st = <usize>inner << 2;
      const m = strideMax(p, n, inner);
      let s: f32;
      if (inner == 1) {
        // exp into out first (the four-partial sum reads it back), then scale
        expRow(q, p, n, m);
        s = rowSum(T_X, q, n, 0);
      } else {
        s = 0;
        for (let i = 0; i < n; i++) {
          const e = expFull(load<f32>(p + <usize>i * st) - m);
          store<f32>(q + <usize>i * st, e);
          s += e;
        }
      }
      divRow(q, n, st, s);
    }
  }
}

/** out[j] = exp(x[j] − m) over a contiguous row. */
// @ts-ignore: decorator
@inline function expRow(out: usize, x: usize, n: i32, m: f32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    for (; j + 4 <= n; j += 4) v128.store(out + (<usize>j << 2), expFull4(f32x4.sub(v128.load(x + (<usize>j << 2)), vm)));
  }
  for (; j < n; j++) store<f32>(out + (<usize>j << 2), expFull(load<f32>(x + (<usize>j << 2)) - m));
}

/** q[i·st] /= s for i < n. */
// @ts-ignore: decorator
@inline function divRow(q: usize, n: i32, st: usize, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (st == 4) {
      const vs = f32x4.splat(s);
      for (; i + 4 <= n; i += 4) v128.store(q + (<usize>i << 2), f32x4.div(v128.load(q + (<usize>i << 2)), vs));
    }
  }
  for (; i < n; i++) store<f32>(q + <usize>i * st, load<f32>(q + <usize>i * st) / s);
}

/** Σ_i a[i]·b[i] (four partials when contiguous, in order when strided). */
// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, n: i32, inner: i32): f32 {
  if (inner == 1) return dotRow(a, b, n);
  let s: f32 = 0;
  for (let i = 0; i < n; i++) {
    const k = (<usize>i * <usize>inner) << 2;
    s += load<f32>(a + k) * load<f32>(b + k);
  }
  return s;
}

/** Σ_i a[i·inner]. */
// @ts-ignore: decorator
@inline function colSum(a: usize, n: i32, inner: i32): f32 {
  if (inner == 1) return rowSum(T_X, a, n, 0);
  let s: f32 = 0;
  for (let i = 0; i < n; i++) s += load<f32>(a + ((<usize>i * <usize>inner) << 2));
  return s;
}

/** dx = y·(dy − Σ dy·y). dx may alias dy. */
export function f32_softmax_axis_backward(dx: usize, dy: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  axisBackward(changetype<SoftmaxBack>(0), dx, dy, y, outer, n, inner);
}

/** Σ dy·y, then y·(dy − s). */
@final @unmanaged class SoftmaxBack {
  // @ts-ignore: decorator
  @inline sum(dy: usize, y: usize, n: i32, inner: i32): f32 { return dot(dy, y, n, inner); }
  // @ts-ignore: decorator
  @inline at<T>(dy: T, y: T, s: T): T { return lane.mul(y, lane.sub(dy, s)); }
}

/**
 * The softmax backwards' pass over each line of the middle axis: s = op.sum(dy, y) (the line's
 * reduction), then dx = op.at(dy, y, s) element-wise (four lanes at a time when contiguous).
 * dy and y are read before dx is written, so dx may alias dy.
 */
// @ts-ignore: decorator
@inline function axisBackward<Op>(op: Op, dx: usize, dy: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const off = (<usize>o * <usize>n * <usize>inner + <usize>j) << 2, st = <usize>inner << 2;
      // @ts-ignore: Op is a final class with @inline sum and at<T>
      const s: f32 = op.sum(dy + off, y + off, n, inner);
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        if (inner == 1) {
          const vs = f32x4.splat(s);
          for (; i + 4 <= n; i += 4) {
            const k = off + (<usize>i << 2);
            // @ts-ignore
            v128.store(dx + k, op.at<v128>(v128.load(dy + k), v128.load(y + k), vs));
          }
        }
      }
      for (; i < n; i++) {
        const k = off + <usize>i * st;
        // @ts-ignore
        store<f32>(dx + k, op.at<f32>(load<f32>(dy + k), load<f32>(y + k), s));
      }
    }
  }
}

/** y = x − m − log Σ exp(x − m). out may alias x. */
export function f32_log_softmax_axis(out: usize, x: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const off = (<usize>o * <usize>n * <usize>inner + <usize>j) << 2, st = <usize>inner << 2;
      const p = x + off, q = out + off;
      const m = strideMax(p, n, inner);
      const ls = logF(inner == 1 ? rowSum(T_EXP, p, n, m) : colExpSum(p, n, inner, m));
      let i = 0;
      if (ASC_FEATURE_SIMD) {
        if (inner == 1) {
          const vm = f32x4.splat(m), vl = f32x4.splat(ls);
          for (; i + 4 <= n; i += 4) {
            const k = <usize>i << 2;
            v128.store(q + k, f32x4.sub(f32x4.sub(v128.load(p + k), vm), vl));
          }
        }
      }
      for (; i < n; i++) store<f32>(q + <usize>i * st, (load<f32>(p + <usize>i * st) - m) - ls);
    }
  }
}

/** dx = dy − exp(y)·Σ dy. dx may alias dy. */
export function f32_log_softmax_axis_backward(dx: usize, dy: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  axisBackward(changetype<LogSoftmaxBack>(0), dx, dy, y, outer, n, inner);
}

/** Σ dy, then dy − exp(y)·s. */
@final @unmanaged class LogSoftmaxBack {
  // @ts-ignore: decorator
  @inline sum(dy: usize, _y: usize, n: i32, inner: i32): f32 { return colSum(dy, n, inner); }
  // @ts-ignore: decorator
  @inline at<T>(dy: T, y: T, s: T): T {
    // @ts-ignore: the branch not taken for T is never compiled
    if (isVector<T>()) return lane.sub(dy, lane.mul(expFull4(y), s)); else return lane.sub(dy, lane.mul(expFull(y), s));
  }
}
