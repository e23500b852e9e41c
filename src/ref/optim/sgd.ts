/** Reference for assembly/kernels/optim/sgd.ts (same arguments; see ./common.ts for `fr`). */
import { MAXIMIZE, SGD_FIRST, SGD_L2, SGD_MOMENTUM, SGD_NESTEROV } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_sgd_step(
  h: OptimHeap, p: number, g: number, buf: number, n: number,
  negLr: number, momentum: number, omDampening: number, weightDecay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, bi = buf >>> 2;
  const nlr = fr(negLr), mu = fr(momentum), omd = fr(omDampening), wd = fr(weightDecay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & SGD_L2) !== 0, mom = (flags & SGD_MOMENTUM) !== 0;
  const first = (flags & SGD_FIRST) !== 0, nest = (flags & SGD_NESTEROV) !== 0;
  for (let i = 0; i < n; i++) {
    const x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    if (mom) {
      const b = first ? d : fr(fr(M[bi + i] * mu) + fr(omd * d));
      M[bi + i] = b;
      d = nest ? fr(d + fr(mu * b)) : b;
    }
    M[pi + i] = fr(x + fr(nlr * d));
  }
}
