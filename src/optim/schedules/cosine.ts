/** Cosine annealing schedules: CosineAnnealingLR and CosineAnnealingWarmRestarts, as torch 1.13 computes them. */
import { LRScheduler, checkKeys, finiteNumber, positiveInteger, positiveNumber, rangeError, typeError, type SchedulableOptimizer } from './base.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Half-period in epochs: the lr reaches `etaMin` at epoch `TMax`. Required, positive. */
  TMax: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Anneals each group's lr from its initial lr to `etaMin` along a half cosine over `TMax` epochs.
 *
 * Closed form `lr_t = etaMin + (initialLr − etaMin)(1 + cos(π t / TMax)) / 2`. torch applies the
 * recursive form `lr_t = etaMin + (lr_{t-1} − etaMin)(1 + cos(π t/TMax)) / (1 + cos(π (t−1)/TMax))`,
 * with `lr_t = lr_{t-1} + (initialLr − etaMin)(1 − cos(π/TMax)) / 2` when `(t − 1 − TMax) % (2 TMax) == 0`;
 * past `TMax` the lr therefore climbs back up (a full cosine wave, period `2 TMax`) instead of
 * restarting, and this class does the same. Defaults: `etaMin = 0`, `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.CosineAnnealingLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new CosineAnnealingLR(opt, { TMax: 2 });
 * // epochs 0..4: 0.1, 0.05, 0, 0.05, 0.1
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    checkKeys('CosineAnnealingLR', options, ['TMax', 'etaMin', 'lastEpoch']);
    super('CosineAnnealingLR', optimizer, options?.lastEpoch ?? -1);
    this.TMax = positiveNumber('CosineAnnealingLR', 'TMax', options?.TMax, 'Pass the annealing length in epochs, e.g. TMax: 100.');
    this.etaMin = finiteNumber('CosineAnnealingLR', 'etaMin', options?.etaMin ?? 0, 'Pass the minimum lr, e.g. etaMin: 0.');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const t = this.lastEpoch;
    const T = this.TMax;
    const eta = this.etaMin;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      // Resumed with lastEpoch > -1: torch starts from the closed form.
      return this.baseLrs.map((base) => eta + ((base - eta) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    }
    if ((t - 1 - T) % (2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (g.lr - eta) + eta,
    );
  }

  protected override closedFormLr(): number[] {
    const t = this.lastEpoch;
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.TMax))) / 2);
  }

  protected override stateKeys(): string[] {
    return ['TMax', 'etaMin'];
  }
}

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Length of the first period in epochs. Required, a positive integer. */
  T0: number;
  /** Factor by which each period is longer than the last. Default 1, an integer >= 1. */
  TMult?: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Cosine annealing from the initial lr to `etaMin` over periods of `T0`, `T0·TMult`, `T0·TMult²`, ...
 * epochs, jumping back to the initial lr at the start of each period (SGDR).
 *
 * `lr = etaMin + (initialLr − etaMin)(1 + cos(π Tcur / Ti)) / 2`, where `Tcur` counts the epochs since
 * the last restart and `Ti` is the current period. Defaults: `TMult = 1`, `etaMin = 0`, `lastEpoch = -1`.
 * `step(epoch)` also accepts a fractional epoch (e.g. `epoch + batch / batchesPerEpoch`), as torch's does.
 *
 * Follows torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1 }] };
 * const sched = new CosineAnnealingWarmRestarts(opt, { T0: 2 });
 * // epochs 0..4: 0.1, 0.05, 0.1, 0.05, 0.1
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  Ti: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    checkKeys('CosineAnnealingWarmRestarts', options, ['T0', 'TMult', 'etaMin', 'lastEpoch']);
    const lastEpoch = options?.lastEpoch ?? -1;
    super('CosineAnnealingWarmRestarts', optimizer, lastEpoch);
    this.T0 = positiveInteger('CosineAnnealingWarmRestarts', 'T0', options?.T0, 'Pass the first period in epochs, e.g. T0: 10.');
    this.Ti = this.T0;
    this.TMult = positiveInteger('CosineAnnealingWarmRestarts', 'TMult', options?.TMult ?? 1, 'Pass an integer >= 1, e.g. TMult: 2 to double each period.');
    this.etaMin = finiteNumber('CosineAnnealingWarmRestarts', 'etaMin', options?.etaMin ?? 0, 'Pass the minimum lr, e.g. etaMin: 0.');
    this.TCur = this.lastEpoch;
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.Ti))) / 2,
    );
  }

  /**
   * Advances one epoch, or jumps to `epoch` (which may be fractional) and recomputes the period
   * position from it, as torch's `step(epoch)`.
   */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.Ti) {
        this.TCur = this.TCur - this.Ti;
        this.Ti = this.Ti * this.TMult;
      }
    } else {
      if (typeof epoch !== 'number' || Number.isNaN(epoch)) {
        typeError('CosineAnnealingWarmRestarts', 'epoch', 'a number', epoch, 'Call step() without arguments, or pass a non-negative epoch.');
      }
      if (epoch < 0) {
        rangeError('CosineAnnealingWarmRestarts', 'epoch', 'non-negative', epoch, 'Call step() without arguments, or pass a non-negative epoch.');
      }
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = epoch % this.T0;
        } else {
          // torch: int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult))
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.applyLr(this.computeLr());
  }

  override _stepTo(epoch: number): void {
    this.step(epoch);
  }

  protected override stateKeys(): string[] {
    return ['T0', 'Ti', 'TMult', 'etaMin', 'TCur'];
  }
}
