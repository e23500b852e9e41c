/** Reference for assembly/kernels/optim/adamax.ts (same arguments; see ./common.ts for `fr`). */
import { ADAMAX_L2, MAXIMIZE } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_adamax_step(
  h: OptimHeap, p: number, g: number, m: number, u: number, n: number,
  negClr: number, beta1: number, omBeta1: number, beta2: number, eps: number, weightDecay: number, flags: number,
  fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, mi = m >>> 2, ui = u >>> 2;
  const nc = fr(negClr), b1 = fr(beta1), c1 = fr(omBeta1), b2 = fr(beta2), ep = fr(eps), wd = fr(weightDecay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & ADAMAX_L2) !== 0;
  for (let i = 0; i < n; i++) {
    const x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    const mm = fr(fr(M[mi + i] * b1) + fr(d * c1));
    M[mi + i] = mm;
    const uu = Math.max(fr(M[ui + i] * b2), fr(Math.abs(d) + ep));
    M[ui + i] = uu;
    M[pi + i] = fr(x + fr(nc * fr(mm / uu)));
  }
}
