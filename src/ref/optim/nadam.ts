/** Reference for assembly/kernels/optim/nadam.ts (same arguments; see ./common.ts for `fr`). */
import { MAXIMIZE, NADAM_DECOUPLED, NADAM_L2 } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_nadam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, n: number,
  negStepGrad: number, negStepAvg: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number,
  bc2Sqrt: number, eps: number, weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2;
  const sg = fr(negStepGrad), sm = fr(negStepAvg), b1 = fr(beta1), c1 = fr(omBeta1), b2 = fr(beta2), c2 = fr(omBeta2);
  const bc = fr(bc2Sqrt), ep = fr(eps), wd = fr(weightDecay), dk = fr(decay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & NADAM_L2) !== 0, dec = !l2 && (flags & NADAM_DECOUPLED) !== 0;
  for (let i = 0; i < n; i++) {
    let x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    if (dec) x = fr(x * dk);
    const mm = fr(fr(M[mi + i] * b1) + fr(d * c1));
    const vv = fr(fr(M[vi + i] * b2) + fr(fr(c2 * d) * d));
    M[mi + i] = mm;
    M[vi + i] = vv;
    const den = fr(fr(fr(Math.sqrt(vv)) / bc) + ep);
    x = fr(x + fr(sg * fr(d / den)));
    M[pi + i] = fr(x + fr(sm * fr(mm / den)));
  }
}
