/** ReduceLROnPlateau, as torch 1.13 computes it. */
import { checkKeys, checkOptimizer, checkStateKind, decodeJson, encodeJson, finiteNumber, nonNegativeInteger, nonNegativeNumber, oneOf, perGroup, rangeError, typeError, type SchedulableOptimizer, type SchedulerBase, type SchedulerState } from './base.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default): the metric should fall (a loss); `'max'`: it should rise (an accuracy). */
  mode?: 'min' | 'max';
  /** Factor applied to the lr on a plateau, in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** `'rel'` (default): improvement relative to the best, `best·(1 ∓ threshold)`; `'abs'`: `best ∓ threshold`. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, one value or one per group. Default 0. */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped. Default 1e-8. */
  eps?: number;
}

/**
 * Reduces each group's lr by `factor` when a metric has stopped improving for more than `patience` epochs.
 *
 * After each `step(metric)`: the metric is an improvement if it is below `best·(1 − threshold)` (mode
 * `'min'`, `'rel'`), below `best − threshold` (`'min'`, `'abs'`), above `best·(1 + threshold)` (`'max'`,
 * `'rel'`) or above `best + threshold` (`'max'`, `'abs'`). Otherwise the bad-epoch count grows (it is
 * held at 0 during cooldown); once it exceeds `patience`, every group gets
 * `lr = max(lr·factor, minLr)` (skipped when the change is at most `eps`), the cooldown starts and the
 * count restarts. Defaults: `mode = 'min'`, `factor = 0.1`, `patience = 10`, `threshold = 1e-4`,
 * `thresholdMode = 'rel'`, `cooldown = 0`, `minLr = 0`, `eps = 1e-8`. Unlike the other schedulers it
 * does not change the lr when constructed.
 *
 * Follows torch.optim.lr_scheduler.ReduceLROnPlateau (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 1 });
 * for (const loss of [1, 1, 1]) sched.step(loss);
 * opt.paramGroups[0].lr; // 0.05: the third epoch is the second without improvement
 * ```
 */
export class ReduceLROnPlateau implements SchedulerBase {
  readonly optimizer: SchedulableOptimizer;
  readonly stepsPerBatch = false;
  readonly requiresMetric = true as const;
  factor: number;
  minLrs: number[];
  patience: number;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** Epochs since the last improvement (held at 0 during cooldown). */
  numBadEpochs = 0;
  modeWorse: number;
  eps: number;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const cls = 'ReduceLROnPlateau';
    checkKeys(cls, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    this.optimizer = checkOptimizer(cls, optimizer);
    const factorFix = 'Pass a factor in [0, 1), e.g. factor: 0.1.';
    const factor = finiteNumber(cls, 'factor', options.factor ?? 0.1, factorFix);
    if (!(factor >= 0 && factor < 1)) rangeError(cls, 'factor', 'in [0, 1)', factor, factorFix);
    this.factor = factor;
    this.minLrs = perGroup(cls, 'minLr', options.minLr ?? 0, this.optimizer.paramGroups.length, (x, label) =>
      nonNegativeNumber(cls, label, x, 'Pass a non-negative lower bound, e.g. minLr: 1e-6, or one per parameter group.'),
    );
    this.patience = nonNegativeInteger(cls, 'patience', options.patience ?? 10, 'Pass the number of epochs to wait, e.g. patience: 10.');
    this.cooldown = nonNegativeInteger(cls, 'cooldown', options.cooldown ?? 0, 'Pass the number of epochs to wait after a reduction, e.g. cooldown: 0.');
    this.mode = oneOf(cls, 'mode', options.mode ?? 'min', ['min', 'max'] as const);
    this.threshold = finiteNumber(cls, 'threshold', options.threshold ?? 1e-4, 'Pass the smallest change that counts as improvement, e.g. threshold: 1e-4.');
    this.thresholdMode = oneOf(cls, 'thresholdMode', options.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.eps = nonNegativeNumber(cls, 'eps', options.eps ?? 1e-8, 'Pass a small non-negative number, e.g. eps: 1e-8.');
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min' && this.thresholdMode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.thresholdMode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  /** True while the cooldown after a reduction runs. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records the epoch's metric (e.g. the validation loss) and reduces the lr on a plateau. */
  step(metric: number): void {
    if (typeof metric !== 'number') {
      typeError('ReduceLROnPlateau', 'metric', 'a number', metric, 'Pass the epoch\'s validation metric, e.g. sched.step(valLoss).');
    }
    const current = metric;
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  private static readonly KEYS = [
    'factor', 'minLrs', 'patience', 'cooldown', 'cooldownCounter', 'mode', 'threshold', 'thresholdMode',
    'best', 'numBadEpochs', 'modeWorse', 'eps', 'lastEpoch', 'lastLr',
  ] as const;

  stateDict(): SchedulerState {
    const self = this as unknown as Record<string, unknown>;
    const state: SchedulerState = { scheduler: 'ReduceLROnPlateau' };
    for (const k of ReduceLROnPlateau.KEYS) state[k] = encodeJson(self[k]);
    return state;
  }

  loadStateDict(state: SchedulerState): void {
    checkStateKind('ReduceLROnPlateau', state);
    const self = this as unknown as Record<string, unknown>;
    const decoded: Record<string, unknown> = {};
    for (const k of ReduceLROnPlateau.KEYS) decoded[k] = decodeJson('ReduceLROnPlateau', k, state[k], self[k]);
    // torch re-validates mode and threshold mode on load (_init_is_better).
    oneOf('ReduceLROnPlateau', 'state.mode', decoded.mode, ['min', 'max'] as const);
    oneOf('ReduceLROnPlateau', 'state.thresholdMode', decoded.thresholdMode, ['rel', 'abs'] as const);
    const fix = 'Pass an object returned by stateDict().';
    for (const k of ['patience', 'cooldown', 'cooldownCounter', 'numBadEpochs', 'lastEpoch'] as const) nonNegativeInteger('ReduceLROnPlateau', `state.${k}`, decoded[k], fix);
    (decoded.lastLr as number[]).forEach((x, i) => nonNegativeNumber('ReduceLROnPlateau', `state.lastLr[${i}]`, x, fix));
    (decoded.minLrs as number[]).forEach((x, i) => nonNegativeNumber('ReduceLROnPlateau', `state.minLrs[${i}]`, x, fix));
    Object.assign(self, decoded);
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
  }
}
