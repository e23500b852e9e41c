/** Schedulers made of schedulers: SequentialLR and ChainedScheduler, as torch 1.13 runs them. */
import { LRScheduler, checkKeys, checkLastEpoch, checkStateKind, decodeJson, encodeJson, nonNegativeInteger, rangeError, typeError, type EpochScheduler, type SchedulableOptimizer, type SchedulerState } from './base.js';

/** Loads every child's state, or (when one refuses) puts back the ones already loaded and rethrows. */
function loadChildren(children: readonly { stateDict(): SchedulerState; loadStateDict(s: SchedulerState): void }[], states: SchedulerState[]): void {
  const before = children.map((c) => c.stateDict());
  let i = 0;
  try {
    for (; i < children.length; i++) children[i].loadStateDict(states[i]);
  } catch (e) {
    for (let j = 0; j < i; j++) children[j].loadStateDict(before[j]);
    throw e;
  }
}

function childStates(cls: string, state: SchedulerState, n: number): SchedulerState[] {
  const list = state.schedulers;
  if (!Array.isArray(list) || list.length !== n) {
    typeError(cls, 'state.schedulers', `an array of ${n} scheduler states`, list, 'Pass the object that stateDict() of the same composition returned.');
  }
  return list as unknown as SchedulerState[];
}

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions {
  /** The schedulers to run one after the other, all on `optimizer`. Required, at least one. */
  schedulers: LRScheduler[];
  /** The epochs at which to switch to the next scheduler: one fewer than `schedulers`. Required. */
  milestones: number[];
  /** Index of the last epoch; -1 (default) starts a new schedule. */
  lastEpoch?: number;
}

/**
 * Runs several schedulers one after another, switching at the milestone epochs (e.g. a LinearLR warm-up, then cosine annealing).
 *
 * The constructor resets every group's lr to its `initialLr`, undoes the initial step of every child and
 * redoes only the first one's. At epoch `t`, the active child is the one after the milestones `<= t`;
 * at a milestone the new child is restarted with torch's `step(0)`, which uses its closed form
 * (`initialLr`-based) where it has one, so the new phase starts from the initial lr, not from where the
 * previous phase ended. Defaults: `lastEpoch = -1`.
 *
 * Follows torch.optim.lr_scheduler.SequentialLR (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 1 }] };
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
 * // epochs 0..4: 0.1, 0.55, 1, 0.9, 0.81
 * ```
 */
export class SequentialLR implements EpochScheduler {
  readonly optimizer: SchedulableOptimizer;
  readonly requiresMetric = false as const;
  lastEpoch: number;
  private readonly schedulers: LRScheduler[];
  private milestones: number[];
  private lastLr: number[];

  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    const cls = 'SequentialLR';
    checkKeys(cls, options, ['schedulers', 'milestones', 'lastEpoch']);
    const schedulers = options?.schedulers;
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      typeError(cls, 'schedulers', 'a non-empty array of schedulers', schedulers, 'Pass e.g. schedulers: [warmup, main].');
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) {
        typeError(
          cls,
          `schedulers[${i}]`,
          'a chainable scheduler (not ReduceLROnPlateau, SequentialLR or ChainedScheduler)',
          s,
          'Pass schedulers such as LinearLR, StepLR or CosineAnnealingLR.',
        );
      }
      if (s.optimizer !== optimizer) {
        typeError(cls, `schedulers[${i}].optimizer`, 'the optimizer passed to SequentialLR', 'another optimizer', 'Build every scheduler on the same optimizer.');
      }
    });
    const milestones = options.milestones;
    if (!Array.isArray(milestones)) {
      typeError(cls, 'milestones', 'an array of epochs', milestones, `Pass ${schedulers.length - 1} switch epoch(s), e.g. milestones: [5].`);
    }
    if (milestones.length !== schedulers.length - 1) {
      rangeError(
        cls,
        'milestones',
        `an array of ${schedulers.length - 1} epoch(s) (one fewer than schedulers)`,
        milestones,
        'Pass one switch epoch between each pair of consecutive schedulers.',
      );
    }
    milestones.forEach((m, i) => nonNegativeInteger(cls, `milestones[${i}]`, m, 'Pass the epoch at which to switch, e.g. milestones: [5].'));
    this.optimizer = optimizer;
    this.schedulers = schedulers.slice();
    this.milestones = milestones.slice();
    this.lastEpoch = checkLastEpoch(cls, options.lastEpoch ?? -1) + 1;

    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s._rewind();
    this.schedulers[0]._initialStep();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** True if any child is stepped per batch. */
  get stepsPerBatch(): boolean {
    return this.schedulers.some((s) => s.stepsPerBatch);
  }

  step(): void {
    this.lastEpoch += 1;
    let idx = 0; // bisect_right(milestones, lastEpoch)
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler._stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerState {
    return {
      scheduler: 'SequentialLR',
      lastEpoch: this.lastEpoch,
      milestones: this.milestones.slice(),
      lastLr: encodeJson(this.lastLr),
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: SchedulerState): void {
    checkStateKind('SequentialLR', state);
    const children = childStates('SequentialLR', state, this.schedulers.length);
    const lastEpoch = checkLastEpoch('SequentialLR', decodeJson('SequentialLR', 'lastEpoch', state.lastEpoch, 0), 'state.lastEpoch');
    const milestones = decodeJson('SequentialLR', 'milestones', state.milestones, this.milestones) as number[];
    const lastLr = decodeJson('SequentialLR', 'lastLr', state.lastLr, this.lastLr) as number[];
    loadChildren(this.schedulers, children);
    this.lastEpoch = lastEpoch;
    this.milestones = milestones;
    this.lastLr = lastLr;
  }
}

/**
 * Steps several schedulers together, each applying its own (recursive) change to the lr, so their factors multiply.
 *
 * Each `step()` calls `step()` on every child in order; `getLastLr()` is the groups' lr afterwards. The
 * children's constructors have already applied their initial steps, one after another. The
 * `optimizer` is the children's (they must share one).
 *
 * Follows torch.optim.lr_scheduler.ChainedScheduler (torch 1.13).
 *
 * @example
 * ```ts
 * const opt = { paramGroups: [{ lr: 1 }] };
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 * // epochs 0..4: 0.1, 0.09, 0.81, 0.729, 0.6561
 * ```
 */
export class ChainedScheduler implements EpochScheduler {
  readonly optimizer: SchedulableOptimizer;
  readonly requiresMetric = false as const;
  private readonly schedulers: EpochScheduler[];
  private lastLr: number[];

  constructor(schedulers: EpochScheduler[]) {
    const cls = 'ChainedScheduler';
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      typeError(cls, 'schedulers', 'a non-empty array of schedulers', schedulers, 'Pass e.g. [new ConstantLR(opt), new ExponentialLR(opt, { gamma: 0.9 })].');
    }
    schedulers.forEach((s, i) => {
      if (s === null || typeof s !== 'object' || typeof s.step !== 'function' || s.requiresMetric !== false) {
        typeError(
          cls,
          `schedulers[${i}]`,
          'a scheduler stepped without arguments (not ReduceLROnPlateau)',
          s,
          'Pass schedulers such as ConstantLR or ExponentialLR; step a ReduceLROnPlateau separately.',
        );
      }
      if (s.optimizer !== schedulers[0].optimizer) {
        typeError(cls, `schedulers[${i}].optimizer`, 'the same optimizer as schedulers[0]', 'another optimizer', 'Build every scheduler on the same optimizer.');
      }
    });
    this.schedulers = schedulers.slice();
    this.optimizer = schedulers[0].optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** True if any child is stepped per batch. */
  get stepsPerBatch(): boolean {
    return this.schedulers.some((s) => s.stepsPerBatch);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerState {
    return {
      scheduler: 'ChainedScheduler',
      lastLr: encodeJson(this.lastLr),
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: SchedulerState): void {
    checkStateKind('ChainedScheduler', state);
    const children = childStates('ChainedScheduler', state, this.schedulers.length);
    const lastLr = decodeJson('ChainedScheduler', 'lastLr', state.lastLr, this.lastLr) as number[];
    loadChildren(this.schedulers, children);
    this.lastLr = lastLr;
  }
}
