// Loss kernels of the autodiff ops: scalar results go to out[0]. Sums keep four lane partials
// (lane k: elements i ≡ k mod 4 below n & ~3, combined (l0 + l1) + (l2 + l3), then the tail in
// order); nll sums rows in order. The scalar build and src/ref/tensor/losses.ts use the same
// orders: every backend returns the same bits. Targets are i32 and checked by the caller.
import { expFull, expFull4, log1pF, log1pF4 } from "./mathf";

// @ts-ignore: decorator
@inline const L_MSE = 0;
// @ts-ignore: decorator
@inline const L_BCE = 1;
// @ts-ignore: decorator
@inline const L_HUBER = 2;

// @ts-ignore: decorator
@inline function term1(l: i32, p: f32, t: f32, delta: f32, half: f32): f32 {
  if (l == L_MSE) {
    const d = p - t;
    return d * d;
  }
  if (l == L_BCE) return (max<f32>(p, 0) - p * t) + log1pF(expFull(-Mathf.abs(p)));
  const ad = Mathf.abs(p - t);
  return ad < delta ? (<f32>0.5 * ad) * ad : delta * (ad - half);
}

// @ts-ignore: decorator
@inline function term4(l: i32, p: v128, t: v128, delta: f32, half: f32): v128 {
  if (l == L_MSE) {
    const d = f32x4.sub(p, t);
    return f32x4.mul(d, d);
  }
  if (l == L_BCE) {
    const a = f32x4.sub(f32x4.max(p, f32x4.splat(0)), f32x4.mul(p, t));
    return f32x4.add(a, log1pF4(expFull4(f32x4.neg(f32x4.abs(p)))));
  }
  const ad = f32x4.abs(f32x4.sub(p, t));
  const quad = f32x4.mul(f32x4.mul(f32x4.splat(0.5), ad), ad);
  const lin = f32x4.mul(f32x4.splat(delta), f32x4.sub(ad, f32x4.splat(half)));
  return v128.bitselect(quad, lin, f32x4.lt(ad, f32x4.splat(delta)));
}

// @ts-ignore: decorator
@inline function lossSum(l: i32, out: usize, p: usize, t: usize, n: i32, scale: f32, delta: f32): void {
  const half = <f32>0.5 * delta, n4 = n & ~3;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let i = 0; i < n4; i += 4) {
      const k = <usize>i << 2;
      acc = f32x4.add(acc, term4(l, v128.load(p + k), v128.load(t + k), delta, half));
    }
    s = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let i = 0; i < n4; i += 4) {
      const k = <usize>i << 2;
      s0 += term1(l, load<f32>(p + k), load<f32>(t + k), delta, half);
      s1 += term1(l, load<f32>(p + k, 4), load<f32>(t + k, 4), delta, half);
      s2 += term1(l, load<f32>(p + k, 8), load<f32>(t + k, 8), delta, half);
      s3 += term1(l, load<f32>(p + k, 12), load<f32>(t + k, 12), delta, half);
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (let i = n4; i < n; i++) s += term1(l, load<f32>(p + (<usize>i << 2)), load<f32>(t + (<usize>i << 2)), delta, half);
  store<f32>(out, s * scale);
}

/** out[0] = −scale·Σ_i logp[i, target[i]] */
export function f32_nll_loss(out: usize, logp: usize, target: usize, n: i32, k: i32, scale: f32): void {
  let s: f32 = 0;
  for (let i = 0; i < n; i++) {
    const c = load<i32>(target + (<usize>i << 2));
    s += load<f32>(logp + ((<usize>i * <usize>k + <usize>c) << 2));
  }
  store<f32>(out, s * -scale);
}

/** dlogp = 0 except dlogp[i, target[i]] = −scale·dy[0] */
export function f32_nll_loss_backward(dlogp: usize, dy: usize, target: usize, n: i32, k: i32, scale: f32): void {
  const g = load<f32>(dy) * -scale;
  memory.fill(dlogp, 0, (<usize>n * <usize>k) << 2);
  for (let i = 0; i < n; i++) {
    const c = load<i32>(target + (<usize>i << 2));
    store<f32>(dlogp + ((<usize>i * <usize>k + <usize>c) << 2), g);
  }
}

/** out[0] = scale·Σ (pred − target)² */
export function f32_mse_loss_sum(out: usize, pred: usize, target: usize, n: i32, scale: f32): void {
  lossSum(L_MSE, out, pred, target, n, scale, 0);
}
/** out[0] = scale·Σ max(x, 0) − x·t + log1p(exp(−|x|)) */
export function f32_bce_logits_sum(out: usize, x: usize, target: usize, n: i32, scale: f32): void {
  lossSum(L_BCE, out, x, target, n, scale, 0);
}
/** out[0] = scale·Σ huber(pred − target; delta) */
export function f32_huber_loss_sum(out: usize, pred: usize, target: usize, n: i32, scale: f32, delta: f32): void {
  lossSum(L_HUBER, out, pred, target, n, scale, delta);
}
