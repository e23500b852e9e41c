// Rprop (torch.optim.Rprop) in one pass. p, g, prev and step (step_size) hold n f32 each, 16-byte
// aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a
// scalar tail; nothing at or past n.

import { MAXIMIZE } from "../../constants.gen";

/**
 * d = maximize ? -g : g;  q = d·prev;  step = clamp(step · (q > 0 ? etaPlus : q < 0 ? etaMinus : 1), stepMin, stepMax);
 * if q < 0: d = 0;  p −= sign(d)·step;  prev = d.
 */
export function f32_rprop_step(
  p: usize, g: usize, prev: usize, step: usize, n: i32,
  etaMinus: f32, etaPlus: f32, stepMin: f32, stepMax: f32, flags: i32,
): void {
  const s: u32 = flags & MAXIMIZE ? 0x80000000 : 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), em = f32x4.splat(etaMinus), ep = f32x4.splat(etaPlus), one = f32x4.splat(1);
    const lo = f32x4.splat(stepMin), hi = f32x4.splat(stepMax), zero = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      rprop4(p + o, g + o, prev + o, step + o, em, ep, one, lo, hi, zero, vs);
      rprop4(p + o + 16, g + o + 16, prev + o + 16, step + o + 16, em, ep, one, lo, hi, zero, vs);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      rprop4(p + o, g + o, prev + o, step + o, em, ep, one, lo, hi, zero, vs);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let d = reinterpret<f32>(reinterpret<u32>(load<f32>(g + o)) ^ s);
    const q = d * load<f32>(prev + o);
    const eta: f32 = q > 0 ? etaPlus : q < 0 ? etaMinus : 1;
    const st = min<f32>(max<f32>(load<f32>(step + o) * eta, stepMin), stepMax);
    store<f32>(step + o, st);
    if (q < 0) d = 0;
    const x = load<f32>(p + o);
    store<f32>(p + o, d > 0 ? x - st : d < 0 ? x + st : x);
    store<f32>(prev + o, d);
  }
}

// @ts-ignore: decorator
@inline function rprop4(
  p: usize, g: usize, prev: usize, step: usize, em: v128, ep: v128, one: v128, lo: v128, hi: v128, zero: v128, s: v128,
): void {
  let d = v128.xor(v128.load(g), s);
  const q = f32x4.mul(d, v128.load(prev));
  const pos = f32x4.gt(q, zero), neg = f32x4.lt(q, zero);
  const eta = v128.bitselect(ep, v128.bitselect(em, one, neg), pos);
  const st = f32x4.min(f32x4.max(f32x4.mul(v128.load(step), eta), lo), hi);
  v128.store(step, st);
  d = v128.andnot(d, neg);
  const x = v128.load(p);
  const up = v128.bitselect(f32x4.sub(x, st), x, f32x4.gt(d, zero));
  v128.store(p, v128.bitselect(f32x4.add(x, st), up, f32x4.lt(d, zero)));
  v128.store(prev, d);
}
