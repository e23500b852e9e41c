// Dropout with a seeded mask: element i is kept when the top 24 bits of lowbias32(i ^ lowbias32(seed))
// (Chris Wellons' hash-prospector integer hash) are at least p·2^24; kept elements are scaled by
// 1/(1 − p). Integer arithmetic only, so every backend draws the same mask
// (src/ref/tensor/dropout.ts). mask gets the factor (0 or the scale); out may alias x.

// @ts-ignore: decorator
@inline function lowbias32(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x7feb352d;
  x ^= x >> 15;
  x *= 0x846ca68b;
  x ^= x >> 16;
  return x;
}

// @ts-ignore: decorator
@inline function lowbias32x4(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(0x7feb352d));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(<i32>0x846ca68b));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/** mask[i] = keep ? 1/(1 − p) : 0, out[i] = x[i]·mask[i] */
export function f32_dropout(out: usize, mask: usize, x: usize, n: i32, p: f32, seed: i32): void {
  const drop = p >= 1;
  const thr: u32 = drop ? 0 : <u32>(<f64>p * 16777216.0);
  const scale: f32 = drop ? 0 : <f32>1 / (<f32>1 - p);
  const key = lowbias32(<u32>seed);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (!drop) {
      const vk = i32x4.splat(key), vt = i32x4.splat(thr), vs = f32x4.splat(scale);
      let idx = i32x4(0, 1, 2, 3);
      for (; i + 4 <= n; i += 4) {
        const h = i32x4.shr_u(lowbias32x4(v128.xor(idx, vk)), 8);
        const m = v128.and(vs, i32x4.ge_u(h, vt));
        const k = <usize>i << 2;
        v128.store(mask + k, m);
        v128.store(out + k, f32x4.mul(v128.load(x + k), m));
        idx = i32x4.add(idx, i32x4.splat(4));
      }
    }
  }
  for (; i < n; i++) {
    const keep = !drop && (lowbias32(<u32>i ^ key) >> 8) >= thr;
    const s: f32 = keep ? scale : 0;
    const k = <usize>i << 2;
    store<f32>(mask + k, s);
    store<f32>(out + k, load<f32>(x + k) * s);
  }
}
