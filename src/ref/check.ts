/** Plain-JS reference for assembly/kernels/check.ts (byte pointer into `h`). */
import type { Heap } from './heap.js';

export function f32_find_nonfinite(h: Heap, x: number, n: number): number {
  const m = h.f32, xi = x >>> 2;
  for (let i = 0; i < n; i++) {
    const v = m[xi + i];
    if (v - v !== 0) return i;
  }
  return -1;
}
