/** Reference for assembly/kernels/optim/adadelta.ts (same arguments; see ./common.ts for `fr`). */
import { ADADELTA_L2, MAXIMIZE } from '../../wasm/constants.gen.js';
import { ema2, fround, grad, type OptimHeap, type Round } from './common.js';

export function f32_adadelta_step(
  h: OptimHeap, p: number, g: number, v: number, u: number, n: number,
  negLr: number, rho: number, omRho: number, eps: number, weightDecay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, vi = v >>> 2, ui = u >>> 2;
  const nlr = fr(negLr), r = fr(rho), c = fr(omRho), ep = fr(eps), wd = fr(weightDecay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & ADADELTA_L2) !== 0;
  for (let i = 0; i < n; i++) {
    const x = M[pi + i], d = grad(M[gi + i], x, neg, l2, wd, fr), uu = M[ui + i];
    const vv = (M[vi + i] = ema2(M[vi + i], r, d, c, fr));
    const delta = fr(fr(fr(Math.sqrt(fr(uu + ep))) / fr(Math.sqrt(fr(vv + ep)))) * d);
    M[ui + i] = ema2(uu, r, delta, c, fr);
    M[pi + i] = fr(x + fr(nlr * delta));
  }
}
