/** Reference for assembly/kernels/optim/rprop.ts (same arguments; see ./common.ts for `fr`). */
import { MAXIMIZE } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_rprop_step(
  h: OptimHeap, p: number, g: number, prev: number, step: number, n: number,
  etaMinus: number, etaPlus: number, stepMin: number, stepMax: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, qi = prev >>> 2, si = step >>> 2;
  const em = fr(etaMinus), ep = fr(etaPlus), lo = fr(stepMin), hi = fr(stepMax);
  const neg = (flags & MAXIMIZE) !== 0;
  for (let i = 0; i < n; i++) {
    let d = neg ? -M[gi + i] : M[gi + i];
    const q = fr(d * M[qi + i]);
    const eta = q > 0 ? ep : q < 0 ? em : 1;
    const st = Math.min(Math.max(fr(M[si + i] * eta), lo), hi);
    M[si + i] = st;
    if (q < 0) d = 0;
    const x = M[pi + i];
    M[pi + i] = d > 0 ? fr(x - st) : d < 0 ? fr(x + st) : x;
    M[qi + i] = d;
  }
}
