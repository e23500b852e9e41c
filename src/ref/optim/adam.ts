/** Reference for assembly/kernels/optim/adam.ts (same arguments; see ./common.ts for `fr`). */
import { ADAM_AMSGRAD, ADAM_DECOUPLED, ADAM_L2, MAXIMIZE } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_adam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, w: number, n: number,
  negStepSize: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, invBc2Sqrt: number, eps: number,
  weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2, wi = w >>> 2;
  const ns = fr(negStepSize), b1 = fr(beta1), c1 = fr(omBeta1), b2 = fr(beta2), c2 = fr(omBeta2);
  const bc = fr(invBc2Sqrt), ep = fr(eps), wd = fr(weightDecay), dk = fr(decay);
  const neg = (flags & MAXIMIZE) !== 0, ams = (flags & ADAM_AMSGRAD) !== 0;
  const l2 = (flags & ADAM_L2) !== 0, dec = !l2 && (flags & ADAM_DECOUPLED) !== 0;
  for (let i = 0; i < n; i++) {
    let x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    if (dec) x = fr(x * dk);
    const mm = fr(fr(M[mi + i] * b1) + fr(d * c1));
    let vv = fr(fr(M[vi + i] * b2) + fr(fr(c2 * d) * d));
    M[mi + i] = mm;
    M[vi + i] = vv;
    if (ams) {
      vv = Math.max(M[wi + i], vv);
      M[wi + i] = vv;
    }
    const den = fr(fr(fr(Math.sqrt(vv)) * bc) + ep);
    M[pi + i] = fr(x + fr(ns * fr(mm / den)));
  }
}
