// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") in one pass. p, g and m
// (exp_avg) hold n f32 each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per
// iteration (two v128), then 4, then a scalar tail; nothing at or past n.

import { MAXIMIZE, LION_DECOUPLED as DECOUPLED } from "../../constants.gen";

/**
 * d = maximize ? -g : g;  [decoupled: p = decay·p];  c = β₁m + (1−β₁)d;
 * p += c > 0 ? negLr : c < 0 ? −negLr : 0;  m = β₂m + (1−β₂)d.
 */
export function f32_lion_step(
  p: usize, g: usize, m: usize, n: i32,
  negLr: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, decay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
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
    const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vdk = f32x4.splat(dk), zero = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      lion4(p + o, g + o, m + o, vn, vp, vb1, vc1, vb2, vc2, vdk, zero, vs, DEC);
      lion4(p + o + 16, g + o + 16, m + o + 16, vn, vp, vb1, vc1, vb2, vc2, vdk, zero, vs, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      lion4(p + o, g + o, m + o, vn, vp, vb1, vc1, vb2, vc2, vdk, zero, vs, DEC);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let x = load<f32>(p + o);
    const d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (DEC) x = x * dk;
    const mm = load<f32>(m + o);
    const c = mm * b1 + d * c1;
    const u: f32 = c > 0 ? nlr : c < 0 ? -nlr : 0;
    store<f32>(p + o, x + u);
    store<f32>(m + o, mm * b2 + d * c2);
  }
}

// @ts-ignore: decorator
@inline function lion4(
  p: usize, g: usize, m: usize, vn: v128, vp: v128, b1: v128, c1: v128, b2: v128, c2: v128, dk: v128, zero: v128, s: v128, DEC: bool,
): void {
  let x = v128.load(p);
  const d = v128.xor(v128.load(g), s);
  if (DEC) x = f32x4.mul(x, dk);
  const mm = v128.load(m);
  const c = f32x4.add(f32x4.mul(mm, b1), f32x4.mul(d, c1));
  const u = v128.or(v128.and(f32x4.gt(c, zero), vn), v128.and(f32x4.lt(c, zero), vp));
  v128.store(p, f32x4.add(x, u));
  v128.store(m, f32x4.add(f32x4.mul(mm, b2), f32x4.mul(d, c2)));
}
