// Element-wise tensor kernels and their fused backward over n f32 values. Pointers are byte
// addresses (16-byte aligned by the arena, not required); out may alias x and dx may alias dy (each
// element is read before it is written). v128 main loop of four lanes, then a scalar tail; nothing
// at or past n is touched. One-lane and four-lane forms round at the same steps, and
// src/ref/tensor/elementwise.ts at those steps too: every backend returns the same bits.
import { sigmoid1, sigmoid4 } from "../activations";
import { erfcF, erfcF4, expFull, expFull4, log1pF, log1pF4, logF, logF4 } from "./mathf";

// @ts-ignore: decorator
@inline const SQRT1_2: f32 = 0.7071067811865476;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f32 = 0.3989422804014327;

// Unary op codes of the shared loop (internal).
// @ts-ignore: decorator
@inline const U_EXP = 0;
// @ts-ignore: decorator
@inline const U_LOG = 1;
// @ts-ignore: decorator
@inline const U_SQRT = 2;
// @ts-ignore: decorator
@inline const U_ABS = 3;
// @ts-ignore: decorator
@inline const U_SOFTPLUS = 4;
// @ts-ignore: decorator
@inline const U_GELU = 5;
// @ts-ignore: decorator
@inline const U_SQUARE = 6;
// @ts-ignore: decorator
@inline const U_CUBE = 7;
// @ts-ignore: decorator
@inline const U_RSQRT = 8;
// @ts-ignore: decorator
@inline const U_RECIP = 9;
// @ts-ignore: decorator
@inline const U_RSQUARE = 10;

// @ts-ignore: decorator
@inline function softplus1(x: f32): f32 {
  return x > 20 ? x : max<f32>(x, 0) + log1pF(expFull(-Mathf.abs(x)));
}
// @ts-ignore: decorator
@inline function softplus4(x: v128): v128 {
  const r = f32x4.add(f32x4.max(x, f32x4.splat(0)), log1pF4(expFull4(f32x4.neg(f32x4.abs(x)))));
  return v128.bitselect(x, r, f32x4.gt(x, f32x4.splat(20)));
}

/** Φ(x) = erfc(−x/√2)/2. */
// @ts-ignore: decorator
@inline function cdf1(x: f32): f32 { return <f32>0.5 * erfcF(-x * SQRT1_2); }
// @ts-ignore: decorator
@inline function cdf4(x: v128): v128 {
  return f32x4.mul(f32x4.splat(0.5), erfcF4(f32x4.mul(f32x4.neg(x), f32x4.splat(SQRT1_2))));
}

// @ts-ignore: decorator
@inline function un1(op: i32, x: f32): f32 {
  if (op == U_EXP) return expFull(x);
  if (op == U_LOG) return logF(x);
  if (op == U_SQRT) return Mathf.sqrt(x);
  if (op == U_ABS) return Mathf.abs(x);
  if (op == U_SOFTPLUS) return softplus1(x);
  if (op == U_GELU) return x * cdf1(x);
  if (op == U_SQUARE) return x * x;
  if (op == U_CUBE) return x * x * x;
  if (op == U_RSQRT) return <f32>1 / Mathf.sqrt(x);
  if (op == U_RECIP) return <f32>1 / x;
  return <f32>1 / (x * x);
}
// @ts-ignore: decorator
@inline function un4(op: i32, x: v128): v128 {
  const one = f32x4.splat(1);
  if (op == U_EXP) return expFull4(x);
  if (op == U_LOG) return logF4(x);
  if (op == U_SQRT) return f32x4.sqrt(x);
  if (op == U_ABS) return f32x4.abs(x);
  if (op == U_SOFTPLUS) return softplus4(x);
  if (op == U_GELU) return f32x4.mul(x, cdf4(x));
  if (op == U_SQUARE) return f32x4.mul(x, x);
  if (op == U_CUBE) return f32x4.mul(f32x4.mul(x, x), x);
  if (op == U_RSQRT) return f32x4.div(one, f32x4.sqrt(x));
  if (op == U_RECIP) return f32x4.div(one, x);
  return f32x4.div(one, f32x4.mul(x, x));
}

// @ts-ignore: decorator
@inline function unary(op: i32, out: usize, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, un4(op, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, un1(op, load<f32>(x + o)));
  }
}

/** out[i] = exp(x[i]) */
export function f32_exp(out: usize, x: usize, n: i32): void { unary(U_EXP, out, x, n); }
/** out[i] = log(x[i]) */
export function f32_log(out: usize, x: usize, n: i32): void { unary(U_LOG, out, x, n); }
/** out[i] = sqrt(x[i]) */
export function f32_sqrt(out: usize, x: usize, n: i32): void { unary(U_SQRT, out, x, n); }
/** out[i] = |x[i]| */
export function f32_abs(out: usize, x: usize, n: i32): void { unary(U_ABS, out, x, n); }
/** out[i] = softplus(x[i]) (x > 20: x) */
export function f32_softplus(out: usize, x: usize, n: i32): void { unary(U_SOFTPLUS, out, x, n); }
/** out[i] = x[i]·Φ(x[i]) */
export function f32_gelu(out: usize, x: usize, n: i32): void { unary(U_GELU, out, x, n); }

/** x^p by exp(p·log|x|), the sign restored for integer p (NaN for a negative base and fractional p). */
// @ts-ignore: decorator
@inline function powGeneral1(x: f32, p: f32, isInt: bool, odd: bool): f32 {
  const r = expFull(p * logF(Mathf.abs(x)));
  if (x < 0 || (x == 0 && <f32>1 / x < 0)) {
    if (!isInt) return x == 0 ? r : NaN;
    return odd ? -r : r;
  }
  return r;
}

/** out[i] = x[i]^p (torch.pow with a scalar exponent; exact forms for 0, 1, 2, 3, ±0.5, -1, -2). */
export function f32_pow_scalar(out: usize, x: usize, n: i32, p: f32): void {
  if (p == 0) {
    for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), 1);
  } else if (p == 1) {
    if (out != x) memory.copy(out, x, <usize>n << 2);
  } else if (p == 2) unary(U_SQUARE, out, x, n);
  else if (p == 3) unary(U_CUBE, out, x, n);
  else if (p == 0.5) unary(U_SQRT, out, x, n);
  else if (p == -0.5) unary(U_RSQRT, out, x, n);
  else if (p == -1) unary(U_RECIP, out, x, n);
  else if (p == -2) unary(U_RSQUARE, out, x, n);
  else {
    const isInt = Mathf.floor(p) == p;
    const odd = isInt && Mathf.floor(p * <f32>0.5) * <f32>2 != p;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, powGeneral1(load<f32>(x + o), p, isInt, odd));
    }
  }
}

// ---- fused backward: dx = dy ⊙ f'(v) ------------------------------------------------------------

// @ts-ignore: decorator
@inline const B_ABS = 0;
// @ts-ignore: decorator
@inline const B_SOFTPLUS = 1;
// @ts-ignore: decorator
@inline const B_GELU = 2;
// @ts-ignore: decorator
@inline const B_CLAMP = 3;

// @ts-ignore: decorator
@inline function bw1(op: i32, g: f32, v: f32, lo: f32, hi: f32): f32 {
  if (op == B_ABS) return v > 0 ? g : v < 0 ? -g : v == v ? <f32>0 : NaN;
  if (op == B_SOFTPLUS) return v > 20 ? g : g * sigmoid1(v);
  if (op == B_GELU) {
    const pdf = expFull(<f32>-0.5 * v * v) * INV_SQRT_2PI;
    return g * (cdf1(v) + v * pdf);
  }
  return v >= lo && v <= hi ? g : <f32>0;
}
// @ts-ignore: decorator
@inline function bw4(op: i32, g: v128, v: v128, lo: f32, hi: f32): v128 {
  const zero = f32x4.splat(0);
  if (op == B_ABS) {
    const r = v128.bitselect(g, v128.bitselect(f32x4.neg(g), zero, f32x4.lt(v, zero)), f32x4.gt(v, zero));
    return v128.bitselect(f32x4.splat(NaN), r, f32x4.ne(v, v));
  }
  if (op == B_SOFTPLUS) return v128.bitselect(g, f32x4.mul(g, sigmoid4(v)), f32x4.gt(v, f32x4.splat(20)));
  if (op == B_GELU) {
    const pdf = f32x4.mul(expFull4(f32x4.mul(f32x4.mul(f32x4.splat(-0.5), v), v)), f32x4.splat(INV_SQRT_2PI));
    return f32x4.mul(g, f32x4.add(cdf4(v), f32x4.mul(v, pdf)));
  }
  return v128.and(g, v128.and(f32x4.ge(v, f32x4.splat(lo)), f32x4.le(v, f32x4.splat(hi))));
}

// @ts-ignore: decorator
@inline function backwardLoop(op: i32, dx: usize, dy: usize, v: usize, n: i32, lo: f32, hi: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, bw4(op, v128.load(dy + o), v128.load(v + o), lo, hi));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, bw1(op, load<f32>(dy + o), load<f32>(v + o), lo, hi));
  }
}

/** dx[i] = dy[i]·sign(x[i]) (0 at 0) */
export function f32_abs_backward(dx: usize, dy: usize, x: usize, n: i32): void { backwardLoop(B_ABS, dx, dy, x, n, 0, 0); }
/** dx[i] = dy[i]·sigmoid(x[i]) (dy above 20) */
export function f32_softplus_backward(dx: usize, dy: usize, x: usize, n: i32): void { backwardLoop(B_SOFTPLUS, dx, dy, x, n, 0, 0); }
/** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])) */
export function f32_gelu_backward(dx: usize, dy: usize, x: usize, n: i32): void { backwardLoop(B_GELU, dx, dy, x, n, 0, 0); }
/** dx[i] = lo <= x[i] <= hi ? dy[i] : 0 */
export function f32_clamp_backward(dx: usize, dy: usize, x: usize, n: i32, lo: f32, hi: f32): void { backwardLoop(B_CLAMP, dx, dy, x, n, lo, hi); }
