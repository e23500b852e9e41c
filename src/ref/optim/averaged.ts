/** Reference for assembly/kernels/optim/averaged.ts (same arguments; see ./common.ts for `fr`). */
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_lerp(h: OptimHeap, out: number, a: number, b: number, w: number, n: number, fr: Round = fround): void {
  const M = h.f32, oi = out >>> 2, ai = a >>> 2, bi = b >>> 2;
  w = fr(w);
  if (w < 0.5) {
    for (let i = 0; i < n; i++) {
      const x = M[ai + i], y = M[bi + i];
      M[oi + i] = fr(x + fr(w * fr(y - x)));
    }
  } else {
    const c = fr(1 - w);
    for (let i = 0; i < n; i++) {
      const x = M[ai + i], y = M[bi + i];
      M[oi + i] = fr(y - fr(fr(y - x) * c));
    }
  }
}
