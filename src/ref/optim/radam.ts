/** Reference for assembly/kernels/optim/radam.ts (same arguments; see ./common.ts for `fr`). */
import { RADAM_DECOUPLED, RADAM_L2, RADAM_RECTIFY } from '../../wasm/constants.gen.js';
import { fround, moments, momentsOf, type OptimHeap, type Round } from './common.js';

export function f32_radam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, n: number,
  lr: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, bc1: number, bc2Sqrt: number,
  rect: number, eps: number, weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2;
  const l2 = (flags & RADAM_L2) !== 0, dec = !l2 && (flags & RADAM_DECOUPLED) !== 0, rectify = (flags & RADAM_RECTIFY) !== 0;
  const k = momentsOf(flags, l2, beta1, omBeta1, beta2, omBeta2, weightDecay, fr);
  const l = fr(lr), bc1f = fr(bc1), bc = fr(bc2Sqrt), rc = fr(rect), ep = fr(eps), dk = fr(decay);
  for (let i = 0; i < n; i++) {
    const x = dec ? fr(M[pi + i] * dk) : M[pi + i];
    moments(M, i, x, gi, mi, vi, k, fr);
    const mh = fr(fr(M[mi + i] / bc1f) * l);
    M[pi + i] = rectify ? fr(x - fr(fr(mh * fr(bc / fr(fr(Math.sqrt(M[vi + i])) + ep))) * rc)) : fr(x - mh);
  }
}
