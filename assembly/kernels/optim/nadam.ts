// NAdam (torch.optim.NAdam, the documented rule of its foreach path) in one pass. p, g, m (exp_avg)
// and v (exp_avg_sq) hold n f32 each, 16-byte aligned by the arena, and must not alias. Loops:
// 8 elements per iteration (two v128), then 4, then a scalar tail; nothing at or past n. The momentum
// schedule μₜ, its running product and both step sizes live in TypeScript and arrive as scalars.

import { MAXIMIZE, NADAM_L2 as L2, NADAM_DECOUPLED as DECOUPLED } from "../../constants.gen";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];  m = β₁m + (1−β₁)d;
 * v = β₂v + (1−β₂)d²;  den = √v / bc2Sqrt + eps;  p += negStepGrad · d/den;  p += negStepAvg · m/den.
 */
export function f32_nadam_step(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  negStepGrad: f32, negStepAvg: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, bc2Sqrt: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  if (flags & L2) nadam(p, g, m, v, n, negStepGrad, negStepAvg, beta1, omBeta1, beta2, omBeta2, bc2Sqrt, eps, weightDecay, decay, s, true, false);
  else if (flags & DECOUPLED) nadam(p, g, m, v, n, negStepGrad, negStepAvg, beta1, omBeta1, beta2, omBeta2, bc2Sqrt, eps, weightDecay, decay, s, false, true);
  else nadam(p, g, m, v, n, negStepGrad, negStepAvg, beta1, omBeta1, beta2, omBeta2, bc2Sqrt, eps, weightDecay, decay, s, false, false);
}

// @ts-ignore: decorator
@inline function nadam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  sg: f32, sm: f32, b1: f32, c1: f32, b2: f32, c2: f32, bc: f32, ep: f32, wd: f32, dk: f32, s: u32, WD: bool, DEC: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vsg = f32x4.splat(sg), vsm = f32x4.splat(sm), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vbc = f32x4.splat(bc), vep = f32x4.splat(ep);
    const vwd = f32x4.splat(wd), vdk = f32x4.splat(dk);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      nadam4(p + o, g + o, m + o, v + o, vsg, vsm, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, WD, DEC);
      nadam4(p + o + 16, g + o + 16, m + o + 16, v + o + 16, vsg, vsm, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, WD, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      nadam4(p + o, g + o, m + o, v + o, vsg, vsm, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, WD, DEC);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let x = load<f32>(p + o);
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (WD) d = d + wd * x;
    if (DEC) x = x * dk;
    const mm = load<f32>(m + o) * b1 + d * c1;
    const vv = load<f32>(v + o) * b2 + c2 * d * d;
    store<f32>(m + o, mm);
    store<f32>(v + o, vv);
    const den = sqrt<f32>(vv) / bc + ep;
    x = x + sg * (d / den);
    store<f32>(p + o, x + sm * (mm / den));
  }
}

// @ts-ignore: decorator
@inline function nadam4(
  p: usize, g: usize, m: usize, v: usize,
  sg: v128, sm: v128, b1: v128, c1: v128, b2: v128, c2: v128, bc: v128, ep: v128, wd: v128, dk: v128, s: v128,
  WD: bool, DEC: bool,
): void {
  let x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  if (DEC) x = f32x4.mul(x, dk);
  const mm = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(d, c1));
  const vv = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(c2, d), d));
  v128.store(m, mm);
  v128.store(v, vv);
  const den = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc), ep);
  x = f32x4.add(x, f32x4.mul(sg, f32x4.div(d, den)));
  v128.store(p, f32x4.add(x, f32x4.mul(sm, f32x4.div(mm, den))));
}
