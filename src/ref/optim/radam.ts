/** Reference for assembly/kernels/optim/radam.ts (same arguments; see ./common.ts for `fr`). */
import { MAXIMIZE, RADAM_DECOUPLED, RADAM_L2, RADAM_RECTIFY } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_radam_step(
  h: OptimHeap, p: number, g: number, m: number, v: number, n: number,
  lr: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, bc1: number, bc2Sqrt: number,
  rect: number, eps: number, weightDecay: number, decay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, vi = v >>> 2;
  const l = fr(lr), b1 = fr(beta1), c1 = fr(omBeta1), b2 = fr(beta2), c2 = fr(omBeta2), bc1f = fr(bc1);
  const bc = fr(bc2Sqrt), rc = fr(rect), ep = fr(eps), wd = fr(weightDecay), dk = fr(decay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & RADAM_L2) !== 0, dec = !l2 && (flags & RADAM_DECOUPLED) !== 0;
  const rectify = (flags & RADAM_RECTIFY) !== 0;
  for (let i = 0; i < n; i++) {
    let x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    if (dec) x = fr(x * dk);
    const mm = fr(fr(M[mi + i] * b1) + fr(d * c1));
    const vv = fr(fr(M[vi + i] * b2) + fr(fr(c2 * d) * d));
    M[mi + i] = mm;
    M[vi + i] = vv;
    const mh = fr(fr(mm / bc1f) * l);
    M[pi + i] = rectify ? fr(x - fr(fr(mh * fr(bc / fr(fr(Math.sqrt(vv)) + ep))) * rc)) : fr(x - mh);
  }
}
