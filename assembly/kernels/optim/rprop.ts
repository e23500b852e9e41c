// Rprop (torch.optim.Rprop) in one pass. p, g, prev and step (step_size) hold n f32 each, 16-byte
// aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a
// scalar tail; nothing at or past n.

import { lane } from "../lanes";
import { signMask } from "./common";

/**
 * d = maximize ? -g : g;  q = d·prev;  step = clamp(step · (q > 0 ? etaPlus : q < 0 ? etaMinus : 1), stepMin, stepMax);
 * if q < 0: d = 0;  p −= sign(d)·step;  prev = d.
 */
export function f32_rprop_step(
  p: usize, g: usize, prev: usize, step: usize, n: i32,
  etaMinus: f32, etaPlus: f32, stepMin: f32, stepMax: f32, flags: i32,
): void {
  const s = signMask(flags);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), em = f32x4.splat(etaMinus), ep = f32x4.splat(etaPlus);
    const lo = f32x4.splat(stepMin), hi = f32x4.splat(stepMax);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      rpropAt<v128, v128>(p + o, g + o, prev + o, step + o, em, ep, lo, hi, vs);
      rpropAt<v128, v128>(p + o + 16, g + o + 16, prev + o + 16, step + o + 16, em, ep, lo, hi, vs);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      rpropAt<v128, v128>(p + o, g + o, prev + o, step + o, em, ep, lo, hi, vs);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    rpropAt<f32, u32>(p + o, g + o, prev + o, step + o, etaMinus, etaPlus, stepMin, stepMax, s);
  }
}

// @ts-ignore: decorator
@inline function rpropAt<T, S>(p: usize, g: usize, prev: usize, step: usize, em: T, ep: T, lo: T, hi: T, s: S): void {
  let d = lane.flip<T, S>(load<T>(g), s);
  const q = lane.mul(d, load<T>(prev));
  const st = lane.min(lane.max(lane.mul(load<T>(step), lane.pick(q, ep, em, lane.splat<T>(1))), lo), hi);
  store<T>(step, st);
  d = lane.zeroIfNegative(d, q);
  const x = load<T>(p);
  store<T>(p, lane.pick(d, lane.sub(x, st), lane.add(x, st), x));
  store<T>(prev, d);
}
