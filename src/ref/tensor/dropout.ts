/**
 * Reference for assembly/kernels/tensor/dropout.ts. Element i is kept when the top 24 bits of
 * lowbias32(i ^ lowbias32(seed)) are at least p·2^24 (integer arithmetic: the same mask on every
 * backend); kept elements are scaled by 1/(1 − p).
 */
import type { Arith, TensorHeap, Round } from './common.js';
import { arith } from './mathf.js';

/** Chris Wellons' lowbias32 integer hash (hash-prospector), on uint32. */
export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export function f32_dropout(h: TensorHeap, out: number, mask: number, x: number, n: number, p: number, seed: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, o = out >>> 2, k = mask >>> 2, xi = x >>> 2;
  p = Math.fround(p);
  const drop = p >= 1;
  // (a NaN p keeps every element scaled by NaN, as the kernel's saturating conversion gives threshold 0)
  const thr = drop || !(p >= 0) ? 0 : Math.trunc(p * 16777216);
  const scale = drop ? 0 : fr(1 / fr(1 - p));
  const key = lowbias32(seed >>> 0);
  for (let i = 0; i < n; i++) {
    const keep = !drop && lowbias32((i ^ key) >>> 0) >>> 8 >= thr;
    const s = keep ? scale : 0;
    m[k + i] = s;
    m[o + i] = fr(m[xi + i] * s);
  }
}
