/** Reference for assembly/kernels/optim/nadam.ts (same arguments; see ./common.ts for `fr`). */
import { NADAM_DECOUPLED, NADAM_L2 } from '../../wasm/constants.gen.js';
import { fround, moments, momentsOf, type OptimHeap, type Round } from './common.js';

export function f32_nadam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, n: number,
  negStepGrad: number, negStepAvg: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number,
  bc2Sqrt: number, eps: number, weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2;
  const l2 = (flags & NADAM_L2) !== 0, dec = !l2 && (flags & NADAM_DECOUPLED) !== 0;
  const k = momentsOf(flags, l2, beta1, omBeta1, beta2, omBeta2, weightDecay, fr);
  const sg = fr(negStepGrad), sm = fr(negStepAvg), bc = fr(bc2Sqrt), ep = fr(eps), dk = fr(decay);
  for (let i = 0; i < n; i++) {
    const x = dec ? fr(M[pi + i] * dk) : M[pi + i];
    const d = moments(M, i, x, gi, mi, vi, k, fr);
    const den = fr(fr(fr(Math.sqrt(M[vi + i])) / bc) + ep);
    M[pi + i] = fr(fr(x + fr(sg * fr(d / den))) + fr(sm * fr(M[mi + i] / den)));
  }
}
