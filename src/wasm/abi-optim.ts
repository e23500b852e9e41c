/**
 * ABI of assembly/optim.ts: optimizer kernels and gradient utilities. Mirror every export here and in
 * src/ref/optim/. Pointers are byte addresses, `n` counts f32 elements, scalars arrive as f32, and
 * `flags` is a bit set of the constants below (one set per kernel, as in its assembly file).
 */
export interface OptimKernels {
  optim_family(): number;

  f32_sgd_step(p: number, g: number, buf: number, n: number,
    negLr: number, momentum: number, omDampening: number, weightDecay: number, flags: number): void;
  f32_adam_step(p: number, g: number, m: number, v: number, w: number, n: number,
    negStepSize: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, invBc2Sqrt: number, eps: number,
    weightDecay: number, decay: number, flags: number): void;
  f32_adagrad_step(p: number, g: number, sum: number, n: number, negClr: number, eps: number, weightDecay: number, flags: number): void;
  f32_adadelta_step(p: number, g: number, v: number, u: number, n: number,
    negLr: number, rho: number, omRho: number, eps: number, weightDecay: number, flags: number): void;
  f32_rmsprop_step(p: number, g: number, v: number, ga: number, buf: number, n: number,
    negLr: number, alpha: number, omAlpha: number, eps: number, momentum: number, weightDecay: number, flags: number): void;
  f32_adamax_step(p: number, g: number, m: number, u: number, n: number,
    negClr: number, beta1: number, omBeta1: number, beta2: number, eps: number, weightDecay: number, flags: number): void;
  f32_nadam_step(p: number, g: number, m: number, v: number, n: number,
    negStepGrad: number, negStepAvg: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number,
    bc2Sqrt: number, eps: number, weightDecay: number, decay: number, flags: number): void;
  f32_radam_step(p: number, g: number, m: number, v: number, n: number,
    lr: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, bc1: number, bc2Sqrt: number,
    rect: number, eps: number, weightDecay: number, decay: number, flags: number): void;
  f32_rprop_step(p: number, g: number, prev: number, step: number, n: number,
    etaMinus: number, etaPlus: number, stepMin: number, stepMax: number, flags: number): void;
  f32_lion_step(p: number, g: number, m: number, n: number,
    negLr: number, beta1: number, omBeta1: number, beta2: number, omBeta2: number, decay: number, flags: number): void;
  f32_lerp(out: number, a: number, b: number, w: number, n: number): void;
  f32_absmax(x: number, n: number): number;
  f32_clamp(out: number, x: number, lo: number, hi: number, n: number): void;
}

export const OPTIM_EXPORTS: readonly (keyof OptimKernels)[] = [
  'optim_family',
  'f32_sgd_step', 'f32_adam_step', 'f32_adagrad_step', 'f32_adadelta_step', 'f32_rmsprop_step',
  'f32_adamax_step', 'f32_nadam_step', 'f32_radam_step', 'f32_rprop_step', 'f32_lion_step',
  'f32_lerp', 'f32_absmax', 'f32_clamp',
];

/** Bit 0 of every optimizer kernel's flags: negate the gradient first (torch's `maximize`). */
export const MAXIMIZE = 1;
export const SGD_MOMENTUM = 2, SGD_FIRST = 4, SGD_NESTEROV = 8, SGD_L2 = 16;
export const ADAM_AMSGRAD = 2, ADAM_L2 = 4, ADAM_DECOUPLED = 8;
export const ADAGRAD_L2 = 2;
export const ADADELTA_L2 = 2;
export const RMSPROP_CENTERED = 2, RMSPROP_MOMENTUM = 4, RMSPROP_L2 = 8;
export const ADAMAX_L2 = 2;
export const NADAM_L2 = 2, NADAM_DECOUPLED = 4;
export const RADAM_L2 = 2, RADAM_DECOUPLED = 4, RADAM_RECTIFY = 8;
export const LION_DECOUPLED = 2;
