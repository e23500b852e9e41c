// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_). x and out hold n f32 each,
// 16-byte aligned by the arena; out may alias x. Loops: 16 elements per iteration (four v128), then 4,
// then a scalar tail; nothing at or past n. The L2 norm uses f32_sumsq (blas1) and scaling f32_scale.
import { lane, map16 } from "../lanes";

/** max |x[i]| (0 for n = 0; NaN if any element is NaN). Exact, so every backend agrees. */
export function f32_absmax(x: usize, n: i32): f32 {
  let i = 0;
  let r: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      a0 = f32x4.max(a0, f32x4.abs(v128.load(x + o)));
      a1 = f32x4.max(a1, f32x4.abs(v128.load(x + o, 16)));
      a2 = f32x4.max(a2, f32x4.abs(v128.load(x + o, 32)));
      a3 = f32x4.max(a3, f32x4.abs(v128.load(x + o, 48)));
    }
    for (; i + 4 <= n; i += 4) a0 = f32x4.max(a0, f32x4.abs(v128.load(x + (<usize>i << 2))));
    const a = f32x4.max(f32x4.max(a0, a1), f32x4.max(a2, a3));
    r = max<f32>(max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  }
  for (; i < n; i++) r = max<f32>(r, abs<f32>(load<f32>(x + (<usize>i << 2))));
  return r;
}

/** out[i] = min(max(x[i], lo), hi) (NaN stays NaN). */
export function f32_clamp(out: usize, x: usize, lo: f32, hi: f32, n: i32): void {
  map16(changetype<Clamp>(0), out, x, 0, lo, hi, n, false, false);
}

@final @unmanaged class Clamp {
  // @ts-ignore: decorator
  @inline at<T>(x: T, _y: T, lo: T, hi: T, _f: bool): T { return lane.min(lane.max(x, lo), hi); }
}
