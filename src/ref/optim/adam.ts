/** Reference for assembly/kernels/optim/adam.ts (same arguments; see ./common.ts for `fr`). */
import { ADAM_AMSGRAD, ADAM_DECOUPLED, ADAM_L2 } from '../../wasm/constants.gen.js';
import { fround, moments, momentsOf, type OptimHeap, type Round } from './common.js';

export function f32_adam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, w: number, n: number,
  negStepSize: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, invBc2Sqrt: number, eps: number,
  weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2, wi = w >>> 2;
  const l2 = (flags & ADAM_L2) !== 0, dec = !l2 && (flags & ADAM_DECOUPLED) !== 0, ams = (flags & ADAM_AMSGRAD) !== 0;
  const k = momentsOf(flags, l2, beta1, omBeta1, beta2, omBeta2, weightDecay, fr);
  const ns = fr(negStepSize), bc = fr(invBc2Sqrt), ep = fr(eps), dk = fr(decay);
  for (let i = 0; i < n; i++) {
    const x = dec ? fr(M[pi + i] * dk) : M[pi + i];
    moments(M, i, x, gi, mi, vi, k, fr);
    const vv = ams ? (M[wi + i] = Math.max(M[wi + i], M[vi + i])) : M[vi + i];
    const den = fr(fr(fr(Math.sqrt(vv)) * bc) + ep);
    M[pi + i] = fr(x + fr(ns * fr(M[mi + i] / den)));
  }
}
