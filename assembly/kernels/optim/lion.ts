// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") in one pass. p, g and m
// (exp_avg) hold n f32 each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per
// iteration (two v128), then 4, then a scalar tail; nothing at or past n.

import { LION_DECOUPLED as DECOUPLED } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, ema } from "./common";

/**
 * d = maximize ? -g : g;  [decoupled: p = decay·p];  c = β₁m + (1−β₁)d;
 * p += c > 0 ? negLr : c < 0 ? −negLr : 0;  m = β₂m + (1−β₂)d.
 */
export function f32_lion_step(
  p: usize, g: usize, m: usize, n: i32,
  negLr: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, decay: f32, flags: i32,
): void {
  const s = signMask(flags);
  if (flags & DECOUPLED) lion(p, g, m, n, negLr, beta1, omBeta1, beta2, omBeta2, decay, s, true);
  else lion(p, g, m, n, negLr, beta1, omBeta1, beta2, omBeta2, decay, s, false);
}

// @ts-ignore: decorator
@inline function lion(
  p: usize, g: usize, m: usize, n: i32, nlr: f32, b1: f32, c1: f32, b2: f32, c2: f32, dk: f32, s: u32, DEC: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vn = f32x4.splat(nlr), vp = f32x4.splat(-nlr), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vdk = f32x4.splat(dk);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      lionAt<v128, v128>(p + o, g + o, m + o, vn, vp, vb1, vc1, vb2, vc2, vdk, vs, DEC);
      lionAt<v128, v128>(p + o + 16, g + o + 16, m + o + 16, vn, vp, vb1, vc1, vb2, vc2, vdk, vs, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      lionAt<v128, v128>(p + o, g + o, m + o, vn, vp, vb1, vc1, vb2, vc2, vdk, vs, DEC);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    lionAt<f32, u32>(p + o, g + o, m + o, nlr, -nlr, b1, c1, b2, c2, dk, s, DEC);
  }
}

// @ts-ignore: decorator
@inline function lionAt<T, S>(
  p: usize, g: usize, m: usize, up: T, down: T, b1: T, c1: T, b2: T, c2: T, dk: T, s: S, DEC: bool,
): void {
  let x = load<T>(p);
  const d = lane.flip<T, S>(load<T>(g), s);
  if (DEC) x = lane.mul(x, dk);
  const mm = load<T>(m);
  store<T>(p, lane.add(x, lionSign(ema(mm, b1, d, c1), up, down)));
  store<T>(m, ema(mm, b2, d, c2));
}

/**
 * up where c > 0, down (= −up) where c < 0, else 0. The scalar form negates up in its own branch:
 * with −up passed in, Binaryen turns the branch into two selects, 17% slower in V8 here.
 */
// @ts-ignore: decorator
@inline function lionSign<T>(c: T, up: T, down: T): T {
  // @ts-ignore: the branch not taken for T is never compiled
  if (isVector<T>()) return lane.pick0(c, up, down); else return c > 0 ? up : c < 0 ? -up : 0;
}
