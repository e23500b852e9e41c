// Activations, their backward, row-wise softmax, bias add and column sums over f32. Pointers are
// byte addresses (16-byte aligned by the arena, not required); `out` may alias `x` and `dx` may
// alias `dy` (each element is read before it is written); a bias or column-sum output must not
// alias the matrix. Elementwise loops: v128 main loop, then a scalar tail; nothing at or past n
// (or rows·cols) is touched. Backward kernels take the forward OUTPUT y (relu/leaky: y > 0 iff
// x > 0 for slope >= 0; sigmoid: y(1-y); tanh: 1-y²). Every kernel rounds at the same steps in
// both builds and in src/ref/activations.ts (exp is ./mathf.ts; softmax sums keep four lane
// partials in a fixed order), so all backends return the same bits.
import { ACT_RELU, ACT_LEAKY_RELU, ACT_TANH, ACT_SIGMOID } from "../constants.gen";
import { expf, expf4 } from "./mathf";
import { lane, addInto, dotRow, hsum } from "./lanes";

// ---- per-element forms: lane-generic (../lanes.ts), or a scalar and a four-lane form with the
// same rounding where the two compute differently (sigmoid, tanh) ---------------------------------

// @ts-ignore: decorator
@inline function relu<T>(x: T): T { return lane.max(x, lane.splat<T>(0)); }
// @ts-ignore: decorator
@inline function leaky<T>(x: T, s: f32): T { return lane.ifPositive(x, x, lane.mul(lane.splat<T>(s), x)); }

// sigmoid(x) = 1/(1+e) for x >= 0, e/(1+e) for x < 0, with e = exp(-|x|) <= 1: never overflows.
// @ts-ignore: decorator
@inline export function sigmoid1(x: f32): f32 {
  const e = expf(-Mathf.abs(x));
  const d = <f32>1 + e;
  return x >= 0 ? <f32>1 / d : e / d;
}
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const e = expf4(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(f32x4.splat(1), e);
  return v128.bitselect(f32x4.div(f32x4.splat(1), d), f32x4.div(e, d), f32x4.ge(x, f32x4.splat(0)));
}

// tanh: Cephes tanhf. |x| < 0.625: x + x·z·P(z) with z = x² (no cancellation near 0); else
// sign(x)·(1-t)/(1+t) with t = exp(-2|x|) <= 0.287.
// @ts-ignore: decorator
@inline const T0: f32 = -5.70498872745e-3;
// @ts-ignore: decorator
@inline const T1: f32 = 2.06390887954e-2;
// @ts-ignore: decorator
@inline const T2: f32 = -5.37397155531e-2;
// @ts-ignore: decorator
@inline const T3: f32 = 1.33314422036e-1;
// @ts-ignore: decorator
@inline const T4: f32 = -3.33332819422e-1;

// @ts-ignore: decorator
@inline function tanh1(x: f32): f32 {
  const ax = Mathf.abs(x);
  if (ax < <f32>0.625) {
    const z = x * x;
    let p = T0 * z + T1;
    p = p * z + T2;
    p = p * z + T3;
    p = p * z + T4;
    return p * z * x + x;
  }
  const t = expf(<f32>-2 * ax);
  return copysign<f32>((<f32>1 - t) / (<f32>1 + t), x);
}
// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(T0), z), f32x4.splat(T1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const t = expf4(f32x4.mul(f32x4.splat(-2), ax));
  const big = f32x4.div(f32x4.sub(f32x4.splat(1), t), f32x4.add(f32x4.splat(1), t));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

// @ts-ignore: decorator
@inline function sigmoid<T>(x: T): T {
  // @ts-ignore: the branch not taken for T is never compiled
  if (isVector<T>()) return sigmoid4(x); else return sigmoid1(x);
}
// @ts-ignore: decorator
@inline function tanh<T>(x: T): T {
  // @ts-ignore
  if (isVector<T>()) return tanh4(x); else return tanh1(x);
}

// @ts-ignore: decorator
@inline function activation<T>(x: T, act: i32, s: f32): T {
  if (act == ACT_RELU) return relu(x);
  if (act == ACT_LEAKY_RELU) return leaky(x, s);
  if (act == ACT_TANH) return tanh(x);
  if (act == ACT_SIGMOID) return sigmoid(x);
  return x;
}

/**
 * d x from d y and the forward output y, written per lane type: as lane-generic code Binaryen
 * branches where it evaluated these cheap products eagerly, and the identity case ran 1.6-2x slower.
 */
// @ts-ignore: decorator
@inline function grad1(dy: f32, y: f32, act: i32, s: f32): f32 {
  if (act == ACT_RELU) return y > 0 ? dy : 0;
  if (act == ACT_LEAKY_RELU) return y > 0 ? dy : s * dy;
  if (act == ACT_TANH) return dy * (<f32>1 - y * y);
  if (act == ACT_SIGMOID) return dy * (y * (<f32>1 - y));
  return dy;
}
// @ts-ignore: decorator
@inline function grad4(dy: v128, y: v128, act: i32, s: f32): v128 {
  if (act == ACT_RELU) return v128.and(dy, f32x4.gt(y, f32x4.splat(0)));
  if (act == ACT_LEAKY_RELU) return v128.bitselect(dy, f32x4.mul(f32x4.splat(s), dy), f32x4.gt(y, f32x4.splat(0)));
  if (act == ACT_TANH) return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)));
  if (act == ACT_SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
  return dy;
}

// ---- elementwise kernels -----------------------------------------------------------------------

function actForward(out: usize, x: usize, n: i32, act: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = activation<v128>(v128.load(x + o), act, s), b = activation<v128>(v128.load(x + o, 16), act, s);
      v128.store(out + o, a);
      v128.store(out + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, activation<v128>(v128.load(x + o), act, s));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, activation<f32>(load<f32>(x + o), act, s));
  }
}

function actBackward(dx: usize, dy: usize, y: usize, n: i32, act: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = grad4(v128.load(dy + o), v128.load(y + o), act, s);
      const b = grad4(v128.load(dy + o, 16), v128.load(y + o, 16), act, s);
      v128.store(dx + o, a);
      v128.store(dx + o, b, 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, grad4(v128.load(dy + o), v128.load(y + o), act, s));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, grad1(load<f32>(dy + o), load<f32>(y + o), act, s));
  }
}

/** out[i] = max(x[i], 0) */
export function f32_relu(out: usize, x: usize, n: i32): void { actForward(out, x, n, ACT_RELU, 0); }
/** dx[i] = y[i] > 0 ? dy[i] : 0 */
export function f32_relu_backward(dx: usize, dy: usize, y: usize, n: i32): void { actBackward(dx, dy, y, n, ACT_RELU, 0); }
/** out[i] = x[i] > 0 ? x[i] : slope·x[i] */
export function f32_leaky_relu(out: usize, x: usize, n: i32, slope: f32): void { actForward(out, x, n, ACT_LEAKY_RELU, slope); }
/** dx[i] = y[i] > 0 ? dy[i] : slope·dy[i] (slope >= 0) */
export function f32_leaky_relu_backward(dx: usize, dy: usize, y: usize, n: i32, slope: f32): void { actBackward(dx, dy, y, n, ACT_LEAKY_RELU, slope); }
/** out[i] = tanh(x[i]) */
export function f32_tanh(out: usize, x: usize, n: i32): void { actForward(out, x, n, ACT_TANH, 0); }
/** dx[i] = dy[i]·(1 − y[i]²) */
export function f32_tanh_backward(dx: usize, dy: usize, y: usize, n: i32): void { actBackward(dx, dy, y, n, ACT_TANH, 0); }
/** out[i] = 1 / (1 + exp(−x[i])) */
export function f32_sigmoid(out: usize, x: usize, n: i32): void { actForward(out, x, n, ACT_SIGMOID, 0); }
/** dx[i] = dy[i]·y[i]·(1 − y[i]) */
export function f32_sigmoid_backward(dx: usize, dy: usize, y: usize, n: i32): void { actBackward(dx, dy, y, n, ACT_SIGMOID, 0); }

/** dx = dy ⊙ act'(y) for an activation code (0 identity, 1 relu, 2 leaky relu, 3 tanh, 4 sigmoid). */
export function f32_act_backward(dx: usize, dy: usize, y: usize, n: i32, act: i32, slope: f32): void {
  actBackward(dx, dy, y, n, act, slope);
}

/**
 * out[i, j] = act(x[i, j] + bias[j]) over a rows×cols row-major matrix (bias == 0: no bias).
 * The fused epilogue of a linear layer (after f32_gemm). out may alias x.
 */
export function f32_bias_act_rows(out: usize, x: usize, bias: usize, rows: i32, cols: i32, act: i32, slope: f32): void {
  if (bias == 0) {
    actForward(out, x, rows * cols, act, slope);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>cols) << 2;
    const xr = x + base, or = out + base;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        v128.store(or + o, activation<v128>(f32x4.add(v128.load(xr + o), v128.load(bias + o)), act, slope));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(or + o, activation<f32>(load<f32>(xr + o) + load<f32>(bias + o), act, slope));
    }
  }
}

/** out[j] = Σ_i x[i, j] (rows summed in order; the bias gradient). out must not alias x. */
export function f32_col_sum(out: usize, x: usize, rows: i32, cols: i32): void {
  if (cols > 0) memory.fill(out, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) addInto(out, x + ((<usize>r * <usize>cols) << 2), cols);
}

// ---- softmax over rows ------------------------------------------------------------------------
// Sums keep four partials (lane k: columns j ≡ k mod 4 below cols & ~3), combined as
// (l0 + l1) + (l2 + l3), then the tail columns in order.

/** out[i, :] = softmax(x[i, :]) = exp(x − max) / Σ exp(x − max), per row. out may alias x. */
export function f32_softmax_rows(out: usize, x: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>cols) << 2;
    const xr = x + base, or = out + base;
    let m: f32 = -Infinity;
    for (let j = 0; j < cols; j++) m = max<f32>(m, load<f32>(xr + (<usize>j << 2)));
    let s: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      const vm = f32x4.splat(m);
      let acc = f32x4.splat(0);
      for (let j = 0; j < c4; j += 4) {
        const o = <usize>j << 2;
        const e = expf4(f32x4.sub(v128.load(xr + o), vm));
        v128.store(or + o, e);
        acc = f32x4.add(acc, e);
      }
      s = hsum(acc);
    } else {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let j = 0; j < c4; j += 4) {
        const o = <usize>j << 2;
        const e0 = expf(load<f32>(xr + o) - m), e1 = expf(load<f32>(xr + o, 4) - m);
        const e2 = expf(load<f32>(xr + o, 8) - m), e3 = expf(load<f32>(xr + o, 12) - m);
        store<f32>(or + o, e0); store<f32>(or + o, e1, 4); store<f32>(or + o, e2, 8); store<f32>(or + o, e3, 12);
        s0 += e0; s1 += e1; s2 += e2; s3 += e3;
      }
      s = (s0 + s1) + (s2 + s3);
    }
    for (let j = c4; j < cols; j++) {
      const o = <usize>j << 2;
      const e = expf(load<f32>(xr + o) - m);
      store<f32>(or + o, e);
      s += e;
    }
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const vs = f32x4.splat(s);
      for (; j < c4; j += 4) {
        const o = <usize>j << 2;
        v128.store(or + o, f32x4.div(v128.load(or + o), vs));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(or + o, load<f32>(or + o) / s);
    }
  }
}

/** dx[i, j] = y[i, j]·(dy[i, j] − Σ_k dy[i, k]·y[i, k]), per row (y = softmax output). dx may alias dy. */
export function f32_softmax_rows_backward(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>cols) << 2;
    const dyr = dy + base, yr = y + base, dxr = dx + base;
    const d = dotRow(dyr, yr, cols);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const vd = f32x4.splat(d);
      for (; j < c4; j += 4) {
        const o = <usize>j << 2;
        v128.store(dxr + o, f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), vd)));
      }
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dxr + o, load<f32>(yr + o) * (load<f32>(dyr + o) - d));
    }
  }
}
