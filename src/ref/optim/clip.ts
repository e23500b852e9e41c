/** Reference for assembly/kernels/optim/clip.ts (same arguments). Both are exact, so no rounding choice. */
import type { OptimHeap } from './common.js';

export function f32_absmax(h: OptimHeap, x: number, n: number): number {
  const M = h.f32, xi = x >>> 2;
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(M[xi + i]));
  return r;
}

export function f32_clamp(h: OptimHeap, out: number, x: number, lo: number, hi: number, n: number): void {
  const M = h.f32, oi = out >>> 2, xi = x >>> 2;
  lo = Math.fround(lo);
  hi = Math.fround(hi);
  for (let i = 0; i < n; i++) M[oi + i] = Math.min(Math.max(M[xi + i], lo), hi);
}
