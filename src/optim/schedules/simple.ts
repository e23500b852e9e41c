/**
 * The multiplicative-factor schedulers: LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR,
 * LinearLR, ExponentialLR and PolynomialLR, each exactly as torch 1.13 computes it (recursive form,
 * closed form where torch has one).
 */
import { LRScheduler, checkFunction, checkKeys, finiteNumber, nonNegativeInteger, nonNegativeNumber, positiveInteger, positiveNumber, rangeError, typeError, type SchedulableOptimizer } from './base.js';

/** A function of the epoch index giving a factor. */
export type LrLambda = (epoch: number) => number;

function lambdas(cls: string, v: unknown, nGroups: number): LrLambda[] {
  const fix = 'Pass a function of the epoch, e.g. lrLambda: (epoch) => 0.95 ** epoch, or one function per parameter group.';
  if (Array.isArray(v)) {
    if (v.length !== nGroups) rangeError(cls, 'lrLambda', `a function or a list of ${nGroups} functions (one per group)`, v, fix);
    return v.map((f, i) => checkFunction<LrLambda>(cls, `lrLambda[${i}]`, f, fix));
  }
  const f = checkFunction<LrLambda>(cls, 'lrLambda', v, fix);
  return Array.from({ length: nGroups }, () => f);
}

// ---------------------------------------------------------------------------------------------

/**
 * What {@link LambdaLR} and {@link MultiplicativeLR} share: the options `lrLambda` (one function, or
 * one per parameter group) and `lastEpoch` (default -1), checked as `cls`. Internal: not exported
 * from the package entries.
 */
export abstract class LambdaScheduler extends LRScheduler {
  protected readonly lrLambdas: LrLambda[];

  protected constructor(cls: string, optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    checkKeys(cls, options, ['lrLambda', 'lastEpoch']);
    super(cls, optimizer, options?.lastEpoch ?? -1);
    this.lrLambdas = lambdas(cls, options?.lrLambda, this.optimizer.paramGroups.length);
    this.initialStep();
  }
}

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** Factor as a function of the epoch, or one function per parameter group. Required. */
  lrLambda: LrLambda | LrLambda[];
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Sets each group's lr to its initial lr times a function of the epoch.
 *
 * `lr_t = initialLr · lrLambda(t)`. No defaults besides `lastEpoch = -1`. The functions are not part of
 * `stateDict()` (torch saves only callable objects, never plain functions), so rebuild the scheduler
 * with the same `lrLambda` before `loadStateDict`.
 *
 * Follows torch.optim.lr_scheduler.LambdaLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) });
 * // epoch 0: 0.1, epoch 1: 0.05, epoch 2: 0.0333...
 * sched.step();
 * opt.paramGroups[0].lr; // 0.05
 * ```
 */
export class LambdaLR extends LambdaScheduler {
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    super('LambdaLR', optimizer, options);
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
}

/**
 * Options of {@link MultiplicativeLR}, as {@link LambdaLROptions}: `lrLambda` is the factor applied at
 * each epoch > 0 (a function of the epoch, or one function per group; required), `lastEpoch` -1 by default.
 */
export type MultiplicativeLROptions = LambdaLROptions;

/**
 * Multiplies each group's lr by a function of the epoch at every step.
 *
 * `lr_0 = lr` (unchanged), `lr_t = lr_{t-1} · lrLambda(t)` for t > 0. No defaults besides
 * `lastEpoch = -1`. The functions are not part of `stateDict()`, as in torch.
 *
 * Follows torch.optim.lr_scheduler.MultiplicativeLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.5 });
 * sched.step(); // lr 0.05
 * sched.step(); // lr 0.025
 * ```
 */
export class MultiplicativeLR extends LambdaScheduler {
  constructor(optimizer: SchedulableOptimizer, options: MultiplicativeLROptions) {
    super('MultiplicativeLR', optimizer, options);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i](this.lastEpoch));
    return groups.map((g) => g.lr);
  }
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between two decays. Required, a positive integer. */
  stepSize: number;
  /** Decay factor. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs.
 *
 * `lr_t = initialLr · gamma^⌊t / stepSize⌋`, applied recursively (`lr_t = lr_{t-1} · gamma` when
 * `t % stepSize == 0`). Defaults: `gamma = 0.1`, `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.StepLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * // epochs 0, 1: 0.1; epochs 2, 3: 0.05; epochs 4, 5: 0.025
 * ```
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    checkKeys('StepLR', options, ['stepSize', 'gamma', 'lastEpoch']);
    super('StepLR', optimizer, options?.lastEpoch ?? -1);
    this.stepSize = positiveInteger('StepLR', 'stepSize', options?.stepSize, 'Pass the number of epochs between decays, e.g. stepSize: 30.');
    this.gamma = positiveNumber('StepLR', 'gamma', options?.gamma ?? 0.1, 'Pass a positive decay factor such as gamma: 0.1.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected override stateKeys(): string[] {
    return ['stepSize', 'gamma'];
  }
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Epoch indices at which to decay; a repeated milestone decays by `gamma` once per occurrence. Required. */
  milestones: number[];
  /** Decay factor. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` at every milestone epoch.
 *
 * `lr_t = lr_{t-1} · gamma^count(t)`, where `count(t)` is how often `t` occurs in `milestones` (a
 * milestone listed twice decays by `gamma²`, as torch's `Counter` does). Closed form
 * `initialLr · gamma^(number of milestones <= t)`. Defaults: `gamma = 0.1`, `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.MultiStepLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new MultiStepLR(opt, { milestones: [2, 4, 4], gamma: 0.5 });
 * // epochs 0-1: 0.1; epochs 2-3: 0.05; from epoch 4: 0.0125
 * ```
 */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    checkKeys('MultiStepLR', options, ['milestones', 'gamma', 'lastEpoch']);
    super('MultiStepLR', optimizer, options?.lastEpoch ?? -1);
    const m = options?.milestones;
    const fix = 'Pass the epoch indices at which to decay, e.g. milestones: [30, 80].';
    if (!Array.isArray(m)) typeError('MultiStepLR', 'milestones', 'an array of non-negative integers', m, fix);
    this.milestones = m.map((x, i) => nonNegativeInteger('MultiStepLR', `milestones[${i}]`, x, fix));
    this.gamma = positiveNumber('MultiStepLR', 'gamma', options?.gamma ?? 0.1, 'Pass a positive decay factor such as gamma: 0.1.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    let count = 0;
    for (const m of this.milestones) if (m === this.lastEpoch) count++;
    if (count === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    let passed = 0; // torch's bisect_right over the sorted milestones
    for (const m of this.milestones) if (m <= this.lastEpoch) passed++;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected override stateKeys(): string[] {
    return ['milestones', 'gamma'];
  }
}

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions {
  /** Factor applied until `totalIters`, in (0, 1]. Default 1/3. */
  factor?: number;
  /** Epochs during which the factor applies. Default 5. */
  totalIters?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Scales each group's lr by a constant factor for the first `totalIters` epochs.
 *
 * `lr_t = initialLr · factor` for `t < totalIters`, `initialLr` from then on (recursively: multiply by
 * `factor` at epoch 0 and by `1 / factor` at epoch `totalIters`). Defaults: `factor = 1/3`,
 * `totalIters = 5`, `lastEpoch = -1`. torch accepts `factor = 0` and then divides by zero at
 * `totalIters`; here it is refused.
 *
 * Follows torch.optim.lr_scheduler.ConstantLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 2 });
 * // epochs 0, 1: 0.05; from epoch 2: 0.1
 * ```
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    checkKeys('ConstantLR', options, ['factor', 'totalIters', 'lastEpoch']);
    super('ConstantLR', optimizer, options?.lastEpoch ?? -1);
    const factor = finiteNumber('ConstantLR', 'factor', options?.factor ?? 1 / 3, 'Pass a factor in (0, 1], e.g. factor: 0.5.');
    if (!(factor > 0 && factor <= 1)) rangeError('ConstantLR', 'factor', 'in (0, 1]', factor, 'Pass a factor in (0, 1], e.g. factor: 0.5.');
    this.factor = factor;
    this.totalIters = positiveInteger('ConstantLR', 'totalIters', options?.totalIters ?? 5, 'Pass the number of epochs to scale, e.g. totalIters: 5.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + done * (1 - this.factor)));
  }

  protected override stateKeys(): string[] {
    return ['factor', 'totalIters'];
  }
}

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor from epoch `totalIters` on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs over which the factor moves linearly. Default 5. */
  totalIters?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Moves each group's lr linearly from `startFactor · initialLr` to `endFactor · initialLr` over `totalIters` epochs.
 *
 * Closed form `lr_t = initialLr · (s + (e − s) · min(t, totalIters) / totalIters)`; torch applies it
 * recursively as `lr_t = lr_{t-1} · (1 + (e − s) / (totalIters · s + (t − 1)(e − s)))`, and so does
 * this class. Defaults: `startFactor = 1/3`, `endFactor = 1`, `totalIters = 5`, `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.LinearLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const warmup = new LinearLR(opt, { startFactor: 0.25, totalIters: 3 });
 * // epochs 0..3: 0.025, 0.05, 0.075, 0.1, then 0.1
 * ```
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    checkKeys('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    super('LinearLR', optimizer, options?.lastEpoch ?? -1);
    const s = finiteNumber('LinearLR', 'startFactor', options?.startFactor ?? 1 / 3, 'Pass a factor in (0, 1], e.g. startFactor: 0.1.');
    if (!(s > 0 && s <= 1)) rangeError('LinearLR', 'startFactor', 'in (0, 1]', s, 'Pass a factor in (0, 1], e.g. startFactor: 0.1.');
    const e = finiteNumber('LinearLR', 'endFactor', options?.endFactor ?? 1.0, 'Pass a factor in [0, 1], e.g. endFactor: 1.');
    if (!(e >= 0 && e <= 1)) rangeError('LinearLR', 'endFactor', 'in [0, 1]', e, 'Pass a factor in [0, 1], e.g. endFactor: 1.');
    this.startFactor = s;
    this.endFactor = e;
    this.totalIters = positiveInteger('LinearLR', 'totalIters', options?.totalIters ?? 5, 'Pass the length of the ramp in epochs, e.g. totalIters: 5.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    return groups.map((g) => g.lr * (1.0 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map(
      (base) =>
        base *
        (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters),
    );
  }

  protected override stateKeys(): string[] {
    return ['startFactor', 'endFactor', 'totalIters'];
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Decay factor per epoch. Required, positive. */
  gamma: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr by `gamma` every epoch.
 *
 * `lr_t = lr_{t-1} · gamma` (closed form `initialLr · gamma^t`). Defaults: `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.ExponentialLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new ExponentialLR(opt, { gamma: 0.9 });
 * sched.step(); // lr 0.09
 * ```
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    checkKeys('ExponentialLR', options, ['gamma', 'lastEpoch']);
    super('ExponentialLR', optimizer, options?.lastEpoch ?? -1);
    this.gamma = positiveNumber('ExponentialLR', 'gamma', options?.gamma, 'Pass a positive decay factor such as gamma: 0.95.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected override stateKeys(): string[] {
    return ['gamma'];
  }
}

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions {
  /** Epochs until the lr reaches 0. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Decays each group's lr polynomially to 0 over `totalIters` epochs.
 *
 * Closed form `lr_t = initialLr · (1 − min(t, totalIters) / totalIters)^power`; applied recursively as
 * `lr_t = lr_{t-1} · ((1 − t/T) / (1 − (t−1)/T))^power` for `0 < t <= T`. Defaults: `totalIters = 5`,
 * `power = 1`, `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.PolynomialLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new PolynomialLR(opt, { totalIters: 4, power: 1 });
 * // epochs 0..4: 0.1, 0.075, 0.05, 0.025, 0
 * ```
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    checkKeys('PolynomialLR', options, ['totalIters', 'power', 'lastEpoch']);
    super('PolynomialLR', optimizer, options?.lastEpoch ?? -1);
    this.totalIters = positiveInteger('PolynomialLR', 'totalIters', options?.totalIters ?? 5, 'Pass the decay length in epochs, e.g. totalIters: 100.');
    this.power = nonNegativeNumber('PolynomialLR', 'power', options?.power ?? 1.0, 'Pass a non-negative power such as power: 1 (linear) or 2.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const t = this.lastEpoch;
    const T = this.totalIters;
    const decay = ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }

  protected override stateKeys(): string[] {
    return ['totalIters', 'power'];
  }
}
