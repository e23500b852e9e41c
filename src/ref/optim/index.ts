/**
 * js-backend bindings of the optimizer kernels (src/ref/optim/*.ts), keyed by ABI name. `fr` picks
 * the arithmetic: Math.fround (float32, bit-identical to the Wasm builds) or the identity over a
 * Float64Array heap (float64, for src/optim/engine.ts).
 */
import type { OptimKernels } from '../../wasm/abi-optim.js';
import { fround, type OptimHeap, type Round } from './common.js';
import { f32_sgd_step } from './sgd.js';
import { f32_adam_step } from './adam.js';
import { f32_adagrad_step } from './adagrad.js';
import { f32_adadelta_step } from './adadelta.js';
import { f32_rmsprop_step } from './rmsprop.js';
import { f32_adamax_step } from './adamax.js';
import { f32_nadam_step } from './nadam.js';
import { f32_radam_step } from './radam.js';
import { f32_rprop_step } from './rprop.js';
import { f32_lion_step } from './lion.js';
import { f32_lerp } from './averaged.js';
import { f32_absmax, f32_clamp } from './clip.js';

export type { OptimHeap, Round };

export function createOptimRefKernels(h: OptimHeap & { refresh(): OptimHeap }, fr: Round = fround): OptimKernels {
  return {
    optim_family: () => 1,
    f32_sgd_step: (p, g, buf, n, negLr, mu, omd, wd, flags) => f32_sgd_step(h.refresh(), p, g, buf, n, negLr, mu, omd, wd, flags, fr),
    f32_adam_step: (p, g, m, v, w, n, ns, b1, c1, b2, c2, bc, ep, wd, dk, flags) =>
      f32_adam_step(h.refresh(), p, g, m, v, w, n, ns, b1, c1, b2, c2, bc, ep, wd, dk, flags, fr),
    f32_adagrad_step: (p, g, s, n, nc, ep, wd, flags) => f32_adagrad_step(h.refresh(), p, g, s, n, nc, ep, wd, flags, fr),
    f32_adadelta_step: (p, g, v, u, n, nlr, r, c, ep, wd, flags) =>
      f32_adadelta_step(h.refresh(), p, g, v, u, n, nlr, r, c, ep, wd, flags, fr),
    f32_rmsprop_step: (p, g, v, ga, buf, n, nlr, a, c, ep, mu, wd, flags) =>
      f32_rmsprop_step(h.refresh(), p, g, v, ga, buf, n, nlr, a, c, ep, mu, wd, flags, fr),
    f32_adamax_step: (p, g, m, u, n, nc, b1, c1, b2, ep, wd, flags) =>
      f32_adamax_step(h.refresh(), p, g, m, u, n, nc, b1, c1, b2, ep, wd, flags, fr),
    f32_nadam_step: (p, g, m, v, n, sg, sm, b1, c1, b2, c2, bc, ep, wd, dk, flags) =>
      f32_nadam_step(h.refresh(), p, g, m, v, n, sg, sm, b1, c1, b2, c2, bc, ep, wd, dk, flags, fr),
    f32_radam_step: (p, g, m, v, n, lr, b1, c1, b2, c2, bc1, bc, rect, ep, wd, dk, flags) =>
      f32_radam_step(h.refresh(), p, g, m, v, n, lr, b1, c1, b2, c2, bc1, bc, rect, ep, wd, dk, flags, fr),
    f32_rprop_step: (p, g, prev, step, n, em, ep, lo, hi, flags) => f32_rprop_step(h.refresh(), p, g, prev, step, n, em, ep, lo, hi, flags, fr),
    f32_lion_step: (p, g, m, n, nlr, b1, c1, b2, c2, dk, flags) => f32_lion_step(h.refresh(), p, g, m, n, nlr, b1, c1, b2, c2, dk, flags, fr),
    f32_lerp: (out, a, b, w, n) => f32_lerp(h.refresh(), out, a, b, w, n, fr),
    f32_absmax: (x, n) => f32_absmax(h.refresh(), x, n),
    f32_clamp: (out, x, lo, hi, n) => f32_clamp(h.refresh(), out, x, lo, hi, n),
  };
}
