// Adamax (torch.optim.Adamax) in one pass. p, g, m (exp_avg) and u (exp_inf) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n. clr = lr / (1 − β₁ᵗ) arrives as negClr.

import { MAXIMIZE, ADAMAX_L2 as L2 } from "../../constants.gen";

/** d = (maximize ? -g : g) [+ weightDecay·p];  m = β₁m + (1−β₁)d;  u = max(β₂u, |d| + eps);  p += negClr·m/u. */
export function f32_adamax_step(
  p: usize, g: usize, m: usize, u: usize, n: i32,
  negClr: f32, beta1: f32, omBeta1: f32, beta2: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  if (flags & L2) adamax(p, g, m, u, n, negClr, beta1, omBeta1, beta2, eps, weightDecay, s, true);
  else adamax(p, g, m, u, n, negClr, beta1, omBeta1, beta2, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adamax(
  p: usize, g: usize, m: usize, u: usize, n: i32, nc: f32, b1: f32, c1: f32, b2: f32, ep: f32, wd: f32, s: u32, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnc = f32x4.splat(nc), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adamax4(p + o, g + o, m + o, u + o, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
      adamax4(p + o + 16, g + o + 16, m + o + 16, u + o + 16, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adamax4(p + o, g + o, m + o, u + o, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(p + o);
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (WD) d = d + wd * x;
    const mm = load<f32>(m + o) * b1 + d * c1;
    store<f32>(m + o, mm);
    const uu = max<f32>(load<f32>(u + o) * b2, abs<f32>(d) + ep);
    store<f32>(u + o, uu);
    store<f32>(p + o, x + nc * (mm / uu));
  }
}

// @ts-ignore: decorator
@inline function adamax4(
  p: usize, g: usize, m: usize, u: usize, nc: v128, b1: v128, c1: v128, b2: v128, ep: v128, wd: v128, s: v128, WD: bool,
): void {
  const x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  const mm = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(d, c1));
  v128.store(m, mm);
  const uu = f32x4.max(f32x4.mul(v128.load(u), b2), f32x4.add(f32x4.abs(d), ep));
  v128.store(u, uu);
  v128.store(p, f32x4.add(x, f32x4.mul(nc, f32x4.div(mm, uu))));
}
