// RMSprop (torch.optim.RMSprop) in one pass. p, g, v (square_avg), ga (grad_avg, touched only with
// RMSPROP_CENTERED) and buf (momentum_buffer, touched only with RMSPROP_MOMENTUM) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then
// 4, then a scalar tail; nothing at or past n.

import { MAXIMIZE, RMSPROP_CENTERED as CENTERED, RMSPROP_MOMENTUM as MOMENTUM, RMSPROP_L2 as L2 } from "../../constants.gen";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = αv + (1−α)d²;
 * centered: ga = αga + (1−α)d, den = √(v − ga²) + eps; else den = √v + eps;
 * momentum: buf = μ·buf + d/den, p += negLr·buf; else p += negLr · d/den.
 */
export function f32_rmsprop_step(
  p: usize, g: usize, v: usize, ga: usize, buf: usize, n: i32,
  negLr: f32, alpha: f32, omAlpha: f32, eps: f32, momentum: f32, weightDecay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  const wd = (flags & L2) != 0;
  if (flags & CENTERED) {
    if (flags & MOMENTUM) {
      if (wd) rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, true, true);
      else rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, true, false);
    } else {
      if (wd) rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, false, true);
      else rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, false, false);
    }
  } else {
    if (flags & MOMENTUM) {
      if (wd) rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, true, true);
      else rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, true, false);
    } else {
      if (wd) rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, false, true);
      else rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, false, false);
    }
  }
}

// @ts-ignore: decorator
@inline function rms(
  p: usize, g: usize, v: usize, ga: usize, buf: usize, n: i32,
  nlr: f32, a: f32, c: f32, ep: f32, mu: f32, wd: f32, s: u32, CEN: bool, MOM: bool, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnlr = f32x4.splat(nlr), va = f32x4.splat(a), vc = f32x4.splat(c);
    const vep = f32x4.splat(ep), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      rms4(p + o, g + o, v + o, ga + o, buf + o, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
      const o2 = o + 16;
      rms4(p + o2, g + o2, v + o2, ga + o2, buf + o2, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      rms4(p + o, g + o, v + o, ga + o, buf + o, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(p + o);
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (WD) d = d + wd * x;
    const vv = load<f32>(v + o) * a + c * d * d;
    store<f32>(v + o, vv);
    let den: f32;
    if (CEN) {
      const gg = load<f32>(ga + o) * a + d * c;
      store<f32>(ga + o, gg);
      den = sqrt<f32>(vv - gg * gg) + ep;
    } else {
      den = sqrt<f32>(vv) + ep;
    }
    if (MOM) {
      const b = load<f32>(buf + o) * mu + d / den;
      store<f32>(buf + o, b);
      store<f32>(p + o, x + nlr * b);
    } else {
      store<f32>(p + o, x + nlr * (d / den));
    }
  }
}

// @ts-ignore: decorator
@inline function rms4(
  p: usize, g: usize, v: usize, ga: usize, buf: usize,
  nlr: v128, a: v128, c: v128, ep: v128, mu: v128, wd: v128, s: v128, CEN: bool, MOM: bool, WD: bool,
): void {
  const x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  const vv = f32x4.add(f32x4.mul(v128.load(v), a), f32x4.mul(f32x4.mul(c, d), d));
  v128.store(v, vv);
  let den: v128;
  if (CEN) {
    const gg = f32x4.add(f32x4.mul(v128.load(ga), a), f32x4.mul(d, c));
    v128.store(ga, gg);
    den = f32x4.add(f32x4.sqrt(f32x4.sub(vv, f32x4.mul(gg, gg))), ep);
  } else {
    den = f32x4.add(f32x4.sqrt(vv), ep);
  }
  if (MOM) {
    const b = f32x4.add(f32x4.mul(v128.load(buf), mu), f32x4.div(d, den));
    v128.store(buf, b);
    v128.store(p, f32x4.add(x, f32x4.mul(nlr, b)));
  } else {
    v128.store(p, f32x4.add(x, f32x4.mul(nlr, f32x4.div(d, den))));
  }
}
