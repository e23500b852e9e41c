// Adam, AdamW and AMSGrad (torch.optim.Adam / AdamW) in one pass. p, g, m (exp_avg), v (exp_avg_sq)
// and w (max_exp_avg_sq, touched only with ADAM_AMSGRAD) hold n f32 each, 16-byte aligned by the
// arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a scalar tail;
// nothing at or past n. Step count and bias corrections arrive as scalars (src/optim/adam.ts); the
// bias correction of √v comes as its reciprocal, so each lane costs one sqrt and one division.

import { MAXIMIZE, ADAM_AMSGRAD as AMSGRAD, ADAM_L2 as L2, ADAM_DECOUPLED as DECOUPLED } from "../../constants.gen";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];
 * m = β₁m + (1−β₁)d;  v = β₂v + (1−β₂)d²;  [amsgrad: w = max(w, v), used for v];
 * p += negStepSize · m / (√v · invBc2Sqrt + eps).
 */
export function f32_adam_step(
  p: usize, g: usize, m: usize, v: usize, w: usize, n: i32,
  negStepSize: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, invBc2Sqrt: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  if (flags & AMSGRAD) {
    if (flags & L2) adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, true, true, false);
    else if (flags & DECOUPLED) adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, true, false, true);
    else adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, true, false, false);
  } else {
    if (flags & L2) adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, false, true, false);
    else if (flags & DECOUPLED) adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, false, false, true);
    else adam(p, g, m, v, w, n, negStepSize, beta1, omBeta1, beta2, omBeta2, invBc2Sqrt, eps, weightDecay, decay, s, false, false, false);
  }
}

// @ts-ignore: decorator
@inline function adam(
  p: usize, g: usize, m: usize, v: usize, w: usize, n: i32,
  ns: f32, b1: f32, c1: f32, b2: f32, c2: f32, bc: f32, ep: f32, wd: f32, dk: f32, s: u32,
  AMS: bool, WD: bool, DEC: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vns = f32x4.splat(ns), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vbc = f32x4.splat(bc), vep = f32x4.splat(ep);
    const vwd = f32x4.splat(wd), vdk = f32x4.splat(dk);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adam4(p + o, g + o, m + o, v + o, w + o, vns, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, AMS, WD, DEC);
      const o2 = o + 16;
      adam4(p + o2, g + o2, m + o2, v + o2, w + o2, vns, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, AMS, WD, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adam4(p + o, g + o, m + o, v + o, w + o, vns, vb1, vc1, vb2, vc2, vbc, vep, vwd, vdk, vs, AMS, WD, DEC);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adam1(p + o, g + o, m + o, v + o, w + o, ns, b1, c1, b2, c2, bc, ep, wd, dk, s, AMS, WD, DEC);
  }
}

// @ts-ignore: decorator
@inline function adam4(
  p: usize, g: usize, m: usize, v: usize, w: usize,
  ns: v128, b1: v128, c1: v128, b2: v128, c2: v128, bc: v128, ep: v128, wd: v128, dk: v128, s: v128,
  AMS: bool, WD: bool, DEC: bool,
): void {
  let x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  if (DEC) x = f32x4.mul(x, dk);
  const mm = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(d, c1));
  let vv = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(c2, d), d));
  v128.store(m, mm);
  v128.store(v, vv);
  if (AMS) {
    vv = f32x4.max(v128.load(w), vv);
    v128.store(w, vv);
  }
  const den = f32x4.add(f32x4.mul(f32x4.sqrt(vv), bc), ep);
  v128.store(p, f32x4.add(x, f32x4.mul(ns, f32x4.div(mm, den))));
}

// @ts-ignore: decorator
@inline function adam1(
  p: usize, g: usize, m: usize, v: usize, w: usize,
  ns: f32, b1: f32, c1: f32, b2: f32, c2: f32, bc: f32, ep: f32, wd: f32, dk: f32, s: u32,
  AMS: bool, WD: bool, DEC: bool,
): void {
  let x = load<f32>(p);
  let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g)) ^ s);
  if (WD) d = d + wd * x;
  if (DEC) x = x * dk;
  const mm = load<f32>(m) * b1 + d * c1;
  let vv = load<f32>(v) * b2 + c2 * d * d;
  store<f32>(m, mm);
  store<f32>(v, vv);
  if (AMS) {
    vv = max<f32>(load<f32>(w), vv);
    store<f32>(w, vv);
  }
  const den = sqrt<f32>(vv) * bc + ep;
  store<f32>(p, x + ns * (mm / den));
}
