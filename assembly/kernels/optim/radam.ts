// RAdam (torch.optim.RAdam) in one pass. p, g, m (exp_avg) and v (exp_avg_sq) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then
// 4, then a scalar tail; nothing at or past n. ρₜ, the rectification term and the branch
// (RADAM_RECTIFY when ρₜ > 5) are decided in TypeScript and arrive as scalars and a flag.

import { MAXIMIZE, RADAM_L2 as L2, RADAM_DECOUPLED as DECOUPLED, RADAM_RECTIFY as RECTIFY } from "../../constants.gen";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];  m = β₁m + (1−β₁)d;
 * v = β₂v + (1−β₂)d²;  m̂ = m / bc1;  rectify: p −= m̂·lr · (bc2Sqrt / (√v + eps)) · rect;  else p −= m̂·lr.
 */
export function f32_radam_step(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, bc1: f32, bc2Sqrt: f32, rect: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  const wd = (flags & L2) != 0, dec = (flags & DECOUPLED) != 0;
  if (flags & RECTIFY) {
    if (wd) radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, true, true, false);
    else if (dec) radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, true, false, true);
    else radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, true, false, false);
  } else {
    if (wd) radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, false, true, false);
    else if (dec) radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, false, false, true);
    else radam(p, g, m, v, n, lr, beta1, omBeta1, beta2, omBeta2, bc1, bc2Sqrt, rect, eps, weightDecay, decay, s, false, false, false);
  }
}

// @ts-ignore: decorator
@inline function radam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, b1: f32, c1: f32, b2: f32, c2: f32, bc1: f32, bc: f32, rect: f32, ep: f32, wd: f32, dk: f32, s: u32,
  RECT: bool, WD: bool, DEC: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vlr = f32x4.splat(lr), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vbc1 = f32x4.splat(bc1), vbc = f32x4.splat(bc);
    const vrect = f32x4.splat(rect), vep = f32x4.splat(ep), vwd = f32x4.splat(wd), vdk = f32x4.splat(dk);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      radam4(p + o, g + o, m + o, v + o, vlr, vb1, vc1, vb2, vc2, vbc1, vbc, vrect, vep, vwd, vdk, vs, RECT, WD, DEC);
      const o2 = o + 16;
      radam4(p + o2, g + o2, m + o2, v + o2, vlr, vb1, vc1, vb2, vc2, vbc1, vbc, vrect, vep, vwd, vdk, vs, RECT, WD, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      radam4(p + o, g + o, m + o, v + o, vlr, vb1, vc1, vb2, vc2, vbc1, vbc, vrect, vep, vwd, vdk, vs, RECT, WD, DEC);
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
    const mh = (mm / bc1) * lr;
    store<f32>(p + o, RECT ? x - mh * (bc / (sqrt<f32>(vv) + ep)) * rect : x - mh);
  }
}

// @ts-ignore: decorator
@inline function radam4(
  p: usize, g: usize, m: usize, v: usize,
  lr: v128, b1: v128, c1: v128, b2: v128, c2: v128, bc1: v128, bc: v128, rect: v128, ep: v128, wd: v128, dk: v128, s: v128,
  RECT: bool, WD: bool, DEC: bool,
): void {
  let x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  if (DEC) x = f32x4.mul(x, dk);
  const mm = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(d, c1));
  const vv = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(c2, d), d));
  v128.store(m, mm);
  v128.store(v, vv);
  const mh = f32x4.mul(f32x4.div(mm, bc1), lr);
  if (RECT) {
    const a = f32x4.div(bc, f32x4.add(f32x4.sqrt(vv), ep));
    v128.store(p, f32x4.sub(x, f32x4.mul(f32x4.mul(mh, a), rect)));
  } else {
    v128.store(p, f32x4.sub(x, mh));
  }
}
