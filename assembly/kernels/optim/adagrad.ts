// Adagrad (torch.optim.Adagrad) in one pass. p, g and sum hold n f32 each, 16-byte aligned by the
// arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a scalar tail;
// nothing at or past n. The decayed rate clr = lr / (1 + (t−1)·lrDecay) arrives as negClr.

import { MAXIMIZE, ADAGRAD_L2 as L2 } from "../../constants.gen";

/** d = (maximize ? -g : g) [+ weightDecay·p];  sum += d·d;  p += negClr · d / (√sum + eps). */
export function f32_adagrad_step(
  p: usize, g: usize, sum: usize, n: i32, negClr: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  if (flags & L2) adagrad(p, g, sum, n, negClr, eps, weightDecay, s, true);
  else adagrad(p, g, sum, n, negClr, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adagrad(p: usize, g: usize, sum: usize, n: i32, nc: f32, ep: f32, wd: f32, s: u32, WD: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnc = f32x4.splat(nc), vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adagrad4(p + o, g + o, sum + o, vnc, vep, vwd, vs, WD);
      adagrad4(p + o + 16, g + o + 16, sum + o + 16, vnc, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adagrad4(p + o, g + o, sum + o, vnc, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(p + o);
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    if (WD) d = d + wd * x;
    const a = load<f32>(sum + o) + d * d;
    store<f32>(sum + o, a);
    store<f32>(p + o, x + nc * (d / (sqrt<f32>(a) + ep)));
  }
}

// @ts-ignore: decorator
@inline function adagrad4(p: usize, g: usize, sum: usize, nc: v128, ep: v128, wd: v128, s: v128, WD: bool): void {
  const x = v128.load(p);
  let d = v128.xor(v128.load(g), s);
  if (WD) d = f32x4.add(d, f32x4.mul(wd, x));
  const a = f32x4.add(v128.load(sum), f32x4.mul(d, d));
  v128.store(sum, a);
  v128.store(p, f32x4.add(x, f32x4.mul(nc, f32x4.div(d, f32x4.add(f32x4.sqrt(a), ep)))));
}
