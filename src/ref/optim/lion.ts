/** Reference for assembly/kernels/optim/lion.ts (same arguments; see ./common.ts for `fr`). */
import { LION_DECOUPLED, MAXIMIZE } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_lion_step(
  h: OptimHeap, p: number, g: number, m: number, n: number,
  negLr: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, decay: number, flags: number,
  fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2;
  const nlr = fr(negLr), b1 = fr(beta1), c1 = fr(omBeta1), b2 = fr(beta2), c2 = fr(omBeta2), dk = fr(decay);
  const neg = (flags & MAXIMIZE) !== 0, dec = (flags & LION_DECOUPLED) !== 0;
  for (let i = 0; i < n; i++) {
    let x = M[pi + i];
    const d = neg ? -M[gi + i] : M[gi + i];
    if (dec) x = fr(x * dk);
    const mm = M[mi + i];
    const c = fr(fr(mm * b1) + fr(d * c1));
    M[pi + i] = fr(x + (c > 0 ? nlr : c < 0 ? -nlr : 0));
    M[mi + i] = fr(fr(mm * b2) + fr(d * c2));
  }
}
