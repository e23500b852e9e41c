// Parameter averaging (ASGD / SWA running means, EMA): a torch-style lerp. out, a and b hold n f32
// each, 16-byte aligned by the arena; out may alias a or b. Loops: 16 elements per iteration (four
// v128), then 4, then a scalar tail; nothing at or past n.

/**
 * out = lerp(a, b, w) as torch.lerp computes it: w < 0.5 ? a + w·(b − a) : b − (b − a)·(1 − w), so
 * w = 1 gives b exactly (the first average is a copy).
 */
export function f32_lerp(out: usize, a: usize, b: usize, w: f32, n: i32): void {
  if (w < 0.5) lerp(out, a, b, w, n, false);
  else lerp(out, a, b, <f32>1 - w, n, true);
}

// @ts-ignore: decorator
@inline function lerp(out: usize, a: usize, b: usize, c: f32, n: i32, HIGH: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(c);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      lerp4(out + o, a + o, b + o, vc, HIGH);
      lerp4(out + o + 16, a + o + 16, b + o + 16, vc, HIGH);
      lerp4(out + o + 32, a + o + 32, b + o + 32, vc, HIGH);
      lerp4(out + o + 48, a + o + 48, b + o + 48, vc, HIGH);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      lerp4(out + o, a + o, b + o, vc, HIGH);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(a + o), y = load<f32>(b + o);
    store<f32>(out + o, HIGH ? y - (y - x) * c : x + c * (y - x));
  }
}

// @ts-ignore: decorator
@inline function lerp4(out: usize, a: usize, b: usize, c: v128, HIGH: bool): void {
  const x = v128.load(a), y = v128.load(b);
  const diff = f32x4.sub(y, x);
  v128.store(out, HIGH ? f32x4.sub(y, f32x4.mul(diff, c)) : f32x4.add(x, f32x4.mul(c, diff)));
}
