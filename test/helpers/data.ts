// Test data and bit comparison shared by every runtime's tests (no Node imports: Chromium loads it too).

/** Seeded data with mixed magnitudes and signs, as float32. */
export function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const u = s / 4294967296;
    out[i] = (u * 2 - 1) * scale * (i % 7 === 3 ? 100 : 1);
  }
  return out;
}

/** Bit pattern equality that treats every NaN alike and tells -0 from +0. */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const x = new Float32Array(2), u = new Uint32Array(x.buffer);
  for (let i = 0; i < a.length; i++) {
    x[0] = a[i]; x[1] = b[i];
    if (u[0] !== u[1] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  }
  return true;
}
