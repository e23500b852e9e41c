/** Reference for assembly/kernels/optim/adagrad.ts (same arguments; see ./common.ts for `fr`). */
import { ADAGRAD_L2, MAXIMIZE } from '../../wasm/constants.gen.js';
import { fround, type OptimHeap, type Round } from './common.js';

export function f32_adagrad_step(
  h: OptimHeap, p: number, g: number, sum: number, n: number,
  negClr: number, eps: number, weightDecay: number, flags: number, fr: Round = fround,
): void {
  const M = h.f32, pi = p >>> 2, gi = g >>> 2, si = sum >>> 2;
  const nc = fr(negClr), ep = fr(eps), wd = fr(weightDecay);
  const neg = (flags & MAXIMIZE) !== 0, l2 = (flags & ADAGRAD_L2) !== 0;
  for (let i = 0; i < n; i++) {
    const x = M[pi + i];
    let d = neg ? -M[gi + i] : M[gi + i];
    if (l2) d = fr(d + fr(wd * x));
    const a = fr(M[si + i] + fr(d * d));
    M[si + i] = a;
    M[pi + i] = fr(x + fr(nc * fr(d / fr(fr(Math.sqrt(a)) + ep))));
  }
}
