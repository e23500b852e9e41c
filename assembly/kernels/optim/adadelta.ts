// Adadelta (torch.optim.Adadelta) in one pass. p, g, v (square_avg) and u (acc_delta) hold n f32
// each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n.

import { MAXIMIZE, ADADELTA_L2 as L2 } from "../../constants.gen";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = ρv + (1−ρ)d²;  δ = √(u+eps) / √(v+eps) · d;
 * u = ρu + (1−ρ)δ²;  p += negLr·δ.
 */
export function f32_adadelta_step(
  p: usize, g: usize, v: usize, u: usize, n: i32, negLr: f32, rho: f32, omRho: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  if (flags & L2) adadelta(p, g, v, u, n, negLr, rho, omRho, eps, weightDecay, s, true);
  else adadelta(p, g, v, u, n, negLr, rho, omRho, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adadelta(
  p: usize, g: usize, v: usize, u: usize, n: i32, nlr: f32, r: f32, c: f32, ep: f32, wd: f32, s: u32, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnlr = f32x4.splat(nlr), vr = f32x4.splat(r), vc = f32x4.splat(c);
    const vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adadelta4(p + o, g + o, v + o, u + o, vnlr, vr, vc, vep, vwd, vs, WD);
      adadelta4(p + o + 16, g + o + 16, v + o + 16, u + o + 16, vnlr, vr, vc, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adadelta4(p + o, g + o, v + o, u + o, vnlr, vr, vc, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(p + o);
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (WD) d = d + wd * x;
    const vv = load<f32>(v + o) * r + c * d * d;
    store<f32>(v + o, vv);
    const uu = load<f32>(u + o);
    const delta = sqrt<f32>(uu + ep) / sqrt<f32>(vv + ep) * d;
    store<f32>(u + o, uu * r + c * delta * delta);
    store<f32>(p + o, x + nlr * delta);
  }
}

// @ts-ignore: decorator
@inline function adadelta4(
  p: usize, g: usize, v: usize, u: usize, nlr: v128, r: v128, c: v128, ep: v128, wd: v128, s: v128, WD: bool,
): void {
  const x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  const vv = f32x4.add(f32x4.mul(v128.load(v), r), f32x4.mul(f32x4.mul(c, d), d));
  v128.store(v, vv);
  const uu = v128.load(u);
  const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(uu, ep)), f32x4.sqrt(f32x4.add(vv, ep))), d);
  v128.store(u, f32x4.add(f32x4.mul(uu, r), f32x4.mul(f32x4.mul(c, delta), delta)));
  v128.store(p, f32x4.add(x, f32x4.mul(nlr, delta)));
}
