/**
 * The per-batch schedules: CyclicLR and OneCycleLR, as torch 1.13 computes them, including the
 * momentum (or Adam's beta1) that they cycle against the lr.
 */
import { LRScheduler, checkFunction, checkKeys, finiteNumber, oneOf, perGroup, positiveInteger, positiveNumber, rangeError, typeError, type SchedulableOptimizer, type SchedulableParamGroup } from './base.js';

/** Writes a cycled momentum: into `betas[0]` for Adam-like groups, else into `momentum`. */
function setMomentum(group: SchedulableParamGroup, m: number): void {
  if (Array.isArray(group.betas)) group.betas = [m, group.betas[1]];
  else group.momentum = m;
}

function checkMomentumGroups(cls: string, optimizer: SchedulableOptimizer): void {
  optimizer.paramGroups.forEach((g, i) => {
    if (!Array.isArray(g.betas) && typeof g.momentum !== 'number') {
      typeError(
        cls,
        `optimizer.paramGroups[${i}]`,
        'a group with momentum or betas when cycleMomentum is true',
        Object.keys(g),
        'Pass cycleMomentum: false, or use an optimizer with momentum (SGD, RMSprop) or betas (Adam).',
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------

/** CyclicLR's policy names. */
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions {
  /** Lower lr bound (and the lr at batch 0), one value or one per group. Required. */
  baseLr: number | number[];
  /** Upper lr bound, one value or one per group. Required. */
  maxLr: number | number[];
  /** Batches in the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Batches in the decreasing half of a cycle. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /** `'triangular'` (default), `'triangular2'` (amplitude halves each cycle) or `'exp_range'` (amplitude × gamma^batch). Ignored when `scaleFn` is given. */
  mode?: CyclicMode;
  /** Base of `'exp_range'`'s scaling. Default 1. */
  gamma?: number;
  /** Custom amplitude scaling, a function of the cycle number or of the batch index (see `scaleMode`); overrides `mode`. Not saved by `stateDict()`. */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` receives: `'cycle'` (default) or `'iterations'`. Only used with `scaleFn`. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or `betas[0]`) inversely to the lr, between `baseMomentum` and `maxMomentum`. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak, one value or one per group. Default 0.8. */
  baseMomentum?: number | number[];
  /** Momentum at the lr's trough, one value or one per group. Default 0.9. */
  maxMomentum?: number | number[];
  /** Index of the last batch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Cycles each group's lr between `baseLr` and `maxLr` (cyclical learning rates, Smith 2017); step it after every batch.
 *
 * With `cycle = ⌊1 + t/(up+down)⌋`, `x = 1 + t/(up+down) − cycle` and `s = x/r` if `x <= r` else
 * `(x−1)/(r−1)` (`r = up/(up+down)`): `lr_t = baseLr + (maxLr − baseLr)·s·scale`, where `scale` is 1
 * (`'triangular'`), `1/2^(cycle−1)` (`'triangular2'`), `gamma^t` (`'exp_range'`) or `scaleFn`. With
 * `cycleMomentum`, `momentum_t = maxMomentum − (maxMomentum − baseMomentum)·s·scale` is written to
 * `group.momentum`, or to `group.betas[0]` when the group has betas. The constructor sets each group's
 * lr to `baseLr`. Defaults: `stepSizeUp = 2000`, `stepSizeDown = stepSizeUp`, `mode = 'triangular'`,
 * `gamma = 1`, `scaleMode = 'cycle'`, `cycleMomentum = true`, `baseMomentum = 0.8`, `maxMomentum = 0.9`.
 * torch 1.13 cycles only `momentum`; cycling `betas[0]` is torch 2's extension.
 *
 * Follows torch.optim.lr_scheduler.CyclicLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
 * // batches 0..4: lr 0.01, 0.055, 0.1, 0.055, 0.01; momentum 0.9, 0.85, 0.8, 0.85, 0.9
 * for (const batch of batches) { train(batch); opt.step(); sched.step(); }
 * ```
 */
export class CyclicLR extends LRScheduler {
  override readonly stepsPerBatch = true;
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  baseMomentums: number[];
  maxMomentums: number[];
  private customScaleFn: ((x: number) => number) | undefined;

  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const cls = 'CyclicLR';
    checkKeys(cls, options, [
      'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode',
      'cycleMomentum', 'baseMomentum', 'maxMomentum', 'lastEpoch',
    ]);
    const opt = optimizer;
    const lastEpoch = options?.lastEpoch ?? -1;
    const n = Array.isArray(opt?.paramGroups) ? opt.paramGroups.length : 0;
    const lrFix = 'Pass a non-negative lr, or one per parameter group.';
    const nonNeg = (x: unknown, label: string) => {
      const v = finiteNumber(cls, label, x, lrFix);
      if (v < 0) rangeError(cls, label, 'non-negative', v, lrFix);
      return v;
    };
    if (options?.baseLr === undefined) typeError(cls, 'baseLr', 'a number or one number per group', undefined, 'Pass the lower lr bound, e.g. baseLr: 0.001.');
    if (options?.maxLr === undefined) typeError(cls, 'maxLr', 'a number or one number per group', undefined, 'Pass the upper lr bound, e.g. maxLr: 0.1.');
    const baseLrs = n > 0 ? perGroup(cls, 'baseLr', options.baseLr, n, nonNeg) : [];
    // torch sets the groups' lr to baseLr before its base class records initial_lr (with setdefault).
    if (lastEpoch === -1 && n > 0) opt.paramGroups.forEach((g, i) => { if (g && typeof g === 'object') g.lr = baseLrs[i]; });
    super(cls, optimizer, lastEpoch);
    const initialLrs = this.baseLrs; // what torch's initial step uses (the groups' initialLr)
    this.maxLrs = perGroup(cls, 'maxLr', options.maxLr, n, nonNeg);
    const up = positiveNumber(cls, 'stepSizeUp', options.stepSizeUp ?? 2000, 'Pass the number of batches in the rising half-cycle, e.g. stepSizeUp: 2000.');
    const down = options.stepSizeDown === undefined || options.stepSizeDown === null
      ? up
      : positiveNumber(cls, 'stepSizeDown', options.stepSizeDown, 'Pass the number of batches in the falling half-cycle, or leave it out to use stepSizeUp.');
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.customScaleFn = options.scaleFn === undefined
      ? undefined
      : checkFunction(cls, 'scaleFn', options.scaleFn, 'Pass a function of the cycle number (or of the batch, with scaleMode: "iterations").');
    if (this.customScaleFn === undefined) {
      this.mode = oneOf<CyclicMode>(cls, 'mode', options.mode ?? 'triangular', ['triangular', 'triangular2', 'exp_range']);
    } else {
      this.mode = typeof options.mode === 'string' ? options.mode : 'triangular';
    }
    this.gamma = positiveNumber(cls, 'gamma', options.gamma ?? 1.0, 'Pass a positive base for exp_range, e.g. gamma: 0.99994.');
    const scaleMode = oneOf(cls, 'scaleMode', options.scaleMode ?? 'cycle', ['cycle', 'iterations'] as const);
    // torch: a custom scaleFn uses the given scaleMode; the built-in modes fix it.
    this.scaleMode = this.customScaleFn !== undefined ? scaleMode : this.mode === 'exp_range' ? 'iterations' : 'cycle';
    const cm = options.cycleMomentum ?? true;
    if (typeof cm !== 'boolean') typeError(cls, 'cycleMomentum', 'a boolean', cm, 'Pass true or false.');
    this.cycleMomentum = cm;
    const momFix = 'Pass a momentum in [0, 1], or one per parameter group.';
    const mom = (x: unknown, label: string) => finiteNumber(cls, label, x, momFix);
    if (cm) {
      checkMomentumGroups(cls, this.optimizer);
      this.baseMomentums = perGroup(cls, 'baseMomentum', options.baseMomentum ?? 0.8, n, mom);
      this.maxMomentums = perGroup(cls, 'maxMomentum', options.maxMomentum ?? 0.9, n, mom);
    } else {
      this.baseMomentums = [];
      this.maxMomentums = [];
    }
    // torch's quirk: the initial step runs with base_lrs = the groups' initial_lr, and only then
    // replaces base_lrs with baseLr (they differ when an earlier scheduler recorded initial_lr).
    this.baseLrs = initialLrs;
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  private scale(x: number): number {
    if (this.customScaleFn !== undefined) return this.customScaleFn(x);
    if (this.mode === 'triangular2') return 1 / 2.0 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1.0;
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1.0 + t / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scale(this.scaleMode === 'cycle' ? cycle : t);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * s * scale);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const height = (this.maxMomentums[i] - this.baseMomentums[i]) * s;
        setMomentum(g, this.maxMomentums[i] - height * scale);
      });
    }
    return lrs;
  }

  protected override stateKeys(): string[] {
    return ['maxLrs', 'totalSize', 'stepRatio', 'mode', 'gamma', 'scaleMode', 'cycleMomentum', 'baseMomentums', 'maxMomentums'];
  }
}

// ---------------------------------------------------------------------------------------------

interface OneCyclePhase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions {
  /** Peak lr, one value or one per group. Required. */
  maxLr: number | number[];
  /** Total number of batches. Required unless `epochs` and `stepsPerEpoch` are given. */
  totalSteps?: number;
  /** With `stepsPerEpoch`, gives `totalSteps = epochs · stepsPerEpoch`. */
  epochs?: number;
  /** With `epochs`, gives `totalSteps = epochs · stepsPerEpoch`. */
  stepsPerEpoch?: number;
  /** Fraction of the steps spent raising the lr. Default 0.3. */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing between the phase end points. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or `betas[0]`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak, one value or one per group. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and end, one value or one per group. Default 0.95. */
  maxMomentum?: number | number[];
  /** `initialLr = maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** `minLr = initialLr / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to `initialLr`, then down to `minLr`) instead of two. Default false. */
  threePhase?: boolean;
  /** Index of the last batch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * The 1cycle policy (Smith & Topin 2018): the lr rises from `maxLr/divFactor` to `maxLr`, then falls to
 * `maxLr/(divFactor·finalDivFactor)`, over `totalSteps` batches; step it after every batch.
 *
 * Phases (two by default): up to step `pctStart·T − 1` from `initialLr` to `maxLr`, then to step `T − 1`
 * from `maxLr` to `minLr`. With `threePhase`: up until `pctStart·T − 1`, back down to `initialLr` until
 * `2·pctStart·T − 2`, then to `minLr` until `T − 1`. Within a phase `lr = anneal(start, end, pct)` with
 * `cos`: `end + (start − end)/2 · (1 + cos(π·pct))`, or `linear`: `(end − start)·pct + start`. Momentum
 * (or `betas[0]` for groups with betas) runs the opposite way between `maxMomentum` and `baseMomentum`.
 * Stepping beyond `totalSteps` throws a RangeError, as torch does. Defaults: `pctStart = 0.3`,
 * `annealStrategy = 'cos'`, `cycleMomentum = true`, `baseMomentum = 0.85`, `maxMomentum = 0.95`,
 * `divFactor = 25`, `finalDivFactor = 1e4`, `threePhase = false`.
 *
 * Follows torch.optim.lr_scheduler.OneCycleLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
 * opt.paramGroups[0].lr; // 0.004 (maxLr / 25); momentum 0.95
 * for (const batch of batches) { train(batch); opt.step(); sched.step(); }
 * ```
 */
export class OneCycleLR extends LRScheduler {
  override readonly stepsPerBatch = true;
  totalSteps: number;
  phases: OneCyclePhase[];
  annealStrategy: 'cos' | 'linear';
  maxLrs: number[];
  minLrs: number[];
  cycleMomentum: boolean;
  baseMomentums: number[];
  maxMomentums: number[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const cls = 'OneCycleLR';
    checkKeys(cls, options, [
      'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
      'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
    ]);
    const opt = optimizer;
    const n = Array.isArray(opt?.paramGroups) ? opt.paramGroups.length : 0;
    const lrFix = 'Pass the peak lr, e.g. maxLr: 0.1, or one per parameter group.';
    if (options?.maxLr === undefined) typeError(cls, 'maxLr', 'a number or one number per group', undefined, lrFix);
    const maxLrs = n > 0
      ? perGroup(cls, 'maxLr', options.maxLr, n, (x, label) => {
          const v = finiteNumber(cls, label, x, lrFix);
          if (v < 0) rangeError(cls, label, 'non-negative', v, lrFix);
          return v;
        })
      : [];
    const divFactor = positiveNumber(cls, 'divFactor', options.divFactor ?? 25.0, 'Pass a positive divisor, e.g. divFactor: 25.');
    const finalDivFactor = positiveNumber(cls, 'finalDivFactor', options.finalDivFactor ?? 1e4, 'Pass a positive divisor, e.g. finalDivFactor: 1e4.');
    const initialLrs = maxLrs.map((m) => m / divFactor);
    const lastEpoch = options.lastEpoch ?? -1;
    // torch writes initial_lr into the groups unconditionally (not setdefault) for a new schedule.
    if (lastEpoch === -1 && n > 0) opt.paramGroups.forEach((g, i) => { if (g && typeof g === 'object') g.initialLr = initialLrs[i]; });
    super(cls, optimizer, lastEpoch, initialLrs);
    this.maxLrs = maxLrs;
    this.minLrs = initialLrs.map((lr) => lr / finalDivFactor);

    const stepsFix = 'Pass totalSteps (the number of batches), or both epochs and stepsPerEpoch.';
    if (options.totalSteps === undefined && options.epochs === undefined && options.stepsPerEpoch === undefined) {
      typeError(cls, 'totalSteps', 'a positive integer', undefined, stepsFix);
    }
    if (options.totalSteps !== undefined) {
      this.totalSteps = positiveInteger(cls, 'totalSteps', options.totalSteps, stepsFix);
    } else {
      const epochs = positiveInteger(cls, 'epochs', options.epochs, stepsFix);
      const spe = positiveInteger(cls, 'stepsPerEpoch', options.stepsPerEpoch, stepsFix);
      this.totalSteps = epochs * spe;
    }
    const pct = finiteNumber(cls, 'pctStart', options.pctStart ?? 0.3, 'Pass a fraction in [0, 1], e.g. pctStart: 0.3.');
    if (pct < 0 || pct > 1) rangeError(cls, 'pctStart', 'in [0, 1]', pct, 'Pass a fraction in [0, 1], e.g. pctStart: 0.3.');
    const threePhase = options.threePhase ?? false;
    if (typeof threePhase !== 'boolean') typeError(cls, 'threePhase', 'a boolean', threePhase, 'Pass true or false.');
    const T = this.totalSteps;
    this.phases = threePhase
      ? [
          { endStep: pct * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * T - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: T - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: T - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.annealStrategy = oneOf(cls, 'annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear'] as const);

    const cm = options.cycleMomentum ?? true;
    if (typeof cm !== 'boolean') typeError(cls, 'cycleMomentum', 'a boolean', cm, 'Pass true or false.');
    this.cycleMomentum = cm;
    if (cm) {
      checkMomentumGroups(cls, this.optimizer);
      const momFix = 'Pass a momentum in [0, 1], or one per parameter group.';
      const mom = (x: unknown, label: string) => finiteNumber(cls, label, x, momFix);
      this.maxMomentums = perGroup(cls, 'maxMomentum', options.maxMomentum ?? 0.95, n, mom);
      this.baseMomentums = perGroup(cls, 'baseMomentum', options.baseMomentum ?? 0.85, n, mom);
      if (this.lastEpoch === -1) this.optimizer.paramGroups.forEach((g, i) => setMomentum(g, this.maxMomentums[i]));
    } else {
      this.maxMomentums = [];
      this.baseMomentums = [];
    }
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') {
      const cosOut = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    return (end - start) * pct + start;
  }

  private value(name: 'initialLr' | 'maxLr' | 'minLr' | 'maxMomentum' | 'baseMomentum', i: number): number {
    switch (name) {
      case 'initialLr': return this.baseLrs[i];
      case 'maxLr': return this.maxLrs[i];
      case 'minLr': return this.minLrs[i];
      case 'maxMomentum': return this.maxMomentums[i];
      case 'baseMomentum': return this.baseMomentums[i];
    }
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: step() was called ${stepNum + 1} times but totalSteps is ${this.totalSteps}. ` +
          'Pass a larger totalSteps (or epochs and stepsPerEpoch matching the real loop), or stop stepping at the end.',
      );
    }
    const lrs: number[] = [];
    this.optimizer.paramGroups.forEach((g, i) => {
      let startStep = 0;
      let lr = NaN;
      let momentum = NaN;
      for (let k = 0; k < this.phases.length; k++) {
        const phase = this.phases[k];
        const endStep = phase.endStep;
        if (stepNum <= endStep || k === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(this.value(phase.startLr, i), this.value(phase.endLr, i), pct);
          if (this.cycleMomentum) {
            momentum = this.anneal(this.value(phase.startMomentum, i), this.value(phase.endMomentum, i), pct);
          }
          break;
        }
        startStep = phase.endStep;
      }
      lrs.push(lr);
      if (this.cycleMomentum) setMomentum(g, momentum);
    });
    return lrs;
  }

  protected override stateKeys(): string[] {
    return ['totalSteps', 'phases', 'annealStrategy', 'maxLrs', 'minLrs', 'cycleMomentum', 'baseMomentums', 'maxMomentums'];
  }
}
