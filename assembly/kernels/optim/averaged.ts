// Parameter averaging (ASGD / SWA running means, EMA): a torch-style lerp. out, a and b hold n f32
// each, 16-byte aligned by the arena; out may alias a or b. Loops: 16 elements per iteration (four
// v128), then 4, then a scalar tail; nothing at or past n (../lanes.ts map16).
import { lane, map16 } from "../lanes";

/**
 * out = lerp(a, b, w) as torch.lerp computes it: w < 0.5 ? a + w·(b − a) : b − (b − a)·(1 − w), so
 * w = 1 gives b exactly (the first average is a copy).
 */
export function f32_lerp(out: usize, a: usize, b: usize, w: f32, n: i32): void {
  if (w < 0.5) map16(changetype<Lerp>(0), out, a, b, w, 0, n, true, false);
  else map16(changetype<Lerp>(0), out, a, b, <f32>1 - w, 0, n, true, true);
}

/** x + c·(y − x), or with HIGH (c = 1 − w) y − (y − x)·c. */
@final @unmanaged class Lerp {
  // @ts-ignore: decorator
  @inline at<T>(x: T, y: T, c: T, _b: T, HIGH: bool): T {
    const diff = lane.sub(y, x);
    return HIGH ? lane.sub(y, lane.mul(diff, c)) : lane.add(x, lane.mul(c, diff));
  }
}
