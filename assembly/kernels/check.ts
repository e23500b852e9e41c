// Input checks over f32: find the first NaN or ±Inf. x need not be aligned; nothing at or past n
// is read. x − x is 0 for every finite value and NaN for NaN and ±Inf, so one compare per lane.

/** The index of the first non-finite x[i] (NaN, +Inf or −Inf), or −1 if all n values are finite. */
export function f32_find_nonfinite(x: usize, n: i32): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const a = v128.load(x + o), b = v128.load(x + o, 16), c = v128.load(x + o, 32), d = v128.load(x + o, 48);
      const s = f32x4.add(f32x4.add(f32x4.sub(a, a), f32x4.sub(b, b)), f32x4.add(f32x4.sub(c, c), f32x4.sub(d, d)));
      if (v128.any_true(f32x4.ne(s, s))) break;
    }
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      const s = f32x4.sub(v, v);
      if (v128.any_true(f32x4.ne(s, s))) break;
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0) return i;
  }
  return -1;
}
