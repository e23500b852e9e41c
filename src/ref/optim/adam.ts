/** Reference for assembly/kernels/optim/adam.ts (same arguments; see ./common.ts for `fr`). */
import { ADAM_AMSGRAD, ADAM_DECOUPLED, ADAM_L2 } from '../../wasm/constants.gen.js';
import { fround, momentsOf, type OptimHeap, type Round } from './common.js';

export function f32_adam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, w: number, n: number,
  negStepSize: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, invBc2Sqrt: number, eps: number,
  weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2, wi = w >>> 2;
  const l2 = (flags & ADAM_L2) !== 0, dec = !l2 && (flags & ADAM_DECOUPLED) !== 0, ams = (flags & ADAM_AMSGRAD) !== 0;
  const k = momentsOf(flags, l2, beta1, omBeta1, beta2, omBeta2, weightDecay, fr);
  const ns = fr(negStepSize), bc = fr(invBc2Sqrt), ep = fr(eps), dk = fr(decay);
  // moments() written out with its constants in locals: the same operations in the same order (the
  // same bits), without a per-element call and object reads (this loop is minimize's float64 Adam)
  const neg = k.neg, wd = k.wd, b1 = k.b1, c1 = k.c1, b2 = k.b2, c2 = k.c2;
  for (let i = 0; i < n; i++) {
    const x = dec ? fr(M[pi + i] * dk) : M[pi + i];
    const g0 = neg ? -M[gi + i] : M[gi + i];
    const d = l2 ? fr(g0 + fr(wd * x)) : g0;
    const m1 = fr(fr(M[mi + i] * b1) + fr(d * c1));
    M[mi + i] = m1;
    const v1 = fr(fr(M[vi + i] * b2) + fr(fr(c2 * d) * d));
    M[vi + i] = v1;
    const vv = ams ? (M[wi + i] = Math.max(M[wi + i], v1)) : v1;
    const den = fr(fr(fr(Math.sqrt(vv)) * bc) + ep);
    M[pi + i] = fr(x + fr(ns * fr(m1 / den)));
  }
}
