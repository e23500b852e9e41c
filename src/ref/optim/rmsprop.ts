/** Reference for assembly/kernels/optim/rmsprop.ts (same arguments; see ./common.ts for `fr`). */
import { MAXIMIZE, RMSPROP_CENTERED, RMSPROP_L2, RMSPROP_MOMENTUM } from '../../wasm/constants.gen.js';
import { ema2, fround, grad, type OptimHeap, type Round } from './common.js';

export function f32_rmsprop_step(
  h: OptimHeap, p: number, g: number, v: number, ga: number, buf: number, n: number,
  negLr: number, alpha: number, omAlpha: number, eps: number, momentum: number, weightDecay: number, flags: number,
  fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, vi = v >>> 2, ai = ga >>> 2, bi = buf >>> 2;
  const nlr = fr(negLr), a = fr(alpha), c = fr(omAlpha), ep = fr(eps), mu = fr(momentum), wd = fr(weightDecay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & RMSPROP_L2) !== 0;
  const cen = (flags & RMSPROP_CENTERED) !== 0, mom = (flags & RMSPROP_MOMENTUM) !== 0;
  for (let i = 0; i < n; i++) {
    const x = M[pi + i], d = grad(M[gi + i], x, neg, l2, wd, fr);
    const vv = (M[vi + i] = ema2(M[vi + i], a, d, c, fr));
    let den: number;
    if (cen) {
      const gg = fr(fr(M[ai + i] * a) + fr(d * c));
      M[ai + i] = gg;
      den = fr(fr(Math.sqrt(fr(vv - fr(gg * gg)))) + ep);
    } else {
      den = fr(fr(Math.sqrt(vv)) + ep);
    }
    if (mom) {
      const b = fr(fr(M[bi + i] * mu) + fr(d / den));
      M[bi + i] = b;
      M[pi + i] = fr(x + fr(nlr * b));
    } else {
      M[pi + i] = fr(x + fr(nlr * fr(d / den)));
    }
  }
}
