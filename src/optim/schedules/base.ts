/**
 * The shared machinery of the learning-rate schedulers: the structural optimizer interface they
 * drive, the chainable base class (torch 1.13's `_LRScheduler`), option validation and the
 * JSON-safe state encoding. The schedulers themselves live beside this file.
 */
import { describe } from '../../util/describe.js';
import { decodeNumber, encodeJson as encodeValue, isEncodedSpecial, type JsonValue } from '../../util/json.js';
import { unknownOptionError } from '../../util/options.js';

/** One parameter group as a scheduler sees it: it reads and writes `lr`, and cycles `momentum` or `betas[0]`. */
export interface SchedulableParamGroup {
  lr: number;
  momentum?: number;
  betas?: [number, number];
  [key: string]: unknown;
}

/**
 * What a scheduler needs from an optimizer: its parameter groups. The optimizer reads `group.lr`
 * (and `group.momentum` / `group.betas[0]` when a scheduler cycles them) at every step.
 *
 * A scheduler built with `lastEpoch: -1` records each group's starting lr as `group.initialLr` if the
 * group has none yet (torch's `group.setdefault('initial_lr', lr)`), so that a second scheduler on the
 * same optimizer (SequentialLR, ChainedScheduler) sees the original lr as its base, as in torch. The
 * scheduler keeps its own copy in `baseLrs`; the optimizer never needs `initialLr`.
 */
export interface SchedulableOptimizer {
  paramGroups: Array<{ lr: number; momentum?: number; betas?: [number, number]; [key: string]: unknown }>;
}

export type { JsonValue };

/** The JSON-serializable state of a scheduler; `scheduler` names its class. */
export interface SchedulerState {
  scheduler: string;
  [key: string]: JsonValue;
}

/** What every scheduler offers a training loop, apart from how it is stepped. */
export interface SchedulerBase {
  /** The optimizer whose groups this scheduler drives. */
  readonly optimizer: SchedulableOptimizer;
  /** True when the schedule counts batches (optimizer steps): call `step()` after every batch, not every epoch. */
  readonly stepsPerBatch: boolean;
  /** True for ReduceLROnPlateau, whose `step(metric)` needs the validation metric. */
  readonly requiresMetric: boolean;
  /** The lr of every parameter group as last set (or, for ReduceLROnPlateau, last seen) by this scheduler. A new array. */
  getLastLr(): number[];
  /** A JSON-serializable snapshot; functions (lrLambda, scaleFn) are not included, as in torch. */
  stateDict(): SchedulerState;
  /** Restores a snapshot from `stateDict()`. Restore the optimizer's own state (its lr) too, as in torch. */
  loadStateDict(state: SchedulerState): void;
}

/** A scheduler stepped without arguments: every scheduler except ReduceLROnPlateau. */
export interface EpochScheduler extends SchedulerBase {
  readonly requiresMetric: false;
  step(): void;
}

// ---------------------------------------------------------------------------------------------
// Validation helpers. Every message names the scheduler, the option, the value and the fix.

export function typeError(cls: string, name: string, want: string, got: unknown, fix: string): never {
  throw new TypeError(`${cls}: ${name} must be ${want}, got ${describe(got)}. ${fix}`);
}

export function rangeError(cls: string, name: string, want: string, got: unknown, fix: string): never {
  throw new RangeError(`${cls}: ${name} must be ${want}, got ${describe(got)}. ${fix}`);
}

/** Rejects option keys the scheduler does not know (a misspelt option would otherwise be ignored silently). */
export function checkKeys(cls: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    typeError(cls, 'options', 'an object', options, `Pass an options object such as { ${allowed[0]}: ... }.`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw unknownOptionError(cls, 'options', key, allowed);
  }
}

export function finiteNumber(cls: string, name: string, v: unknown, fix: string): number {
  if (typeof v !== 'number') typeError(cls, name, 'a number', v, fix);
  if (!Number.isFinite(v)) rangeError(cls, name, 'a finite number', v, fix);
  return v;
}

export function positiveNumber(cls: string, name: string, v: unknown, fix: string): number {
  finiteNumber(cls, name, v, fix);
  if (!((v as number) > 0)) rangeError(cls, name, 'a positive number', v, fix);
  return v as number;
}

export function nonNegativeNumber(cls: string, name: string, v: unknown, fix: string): number {
  finiteNumber(cls, name, v, fix);
  if (!((v as number) >= 0)) rangeError(cls, name, 'a non-negative number', v, fix);
  return v as number;
}

export function positiveInteger(cls: string, name: string, v: unknown, fix: string): number {
  if (typeof v !== 'number') typeError(cls, name, 'a positive integer', v, fix);
  if (!Number.isInteger(v) || v <= 0) rangeError(cls, name, 'a positive integer', v, fix);
  return v;
}

export function nonNegativeInteger(cls: string, name: string, v: unknown, fix: string): number {
  if (typeof v !== 'number') typeError(cls, name, 'a non-negative integer', v, fix);
  if (!Number.isInteger(v) || v < 0) rangeError(cls, name, 'a non-negative integer', v, fix);
  return v;
}

export function oneOf<T extends string>(cls: string, name: string, v: unknown, choices: readonly T[]): T {
  const list = choices.map((c) => describe(c)).join(' or ');
  if (typeof v !== 'string') typeError(cls, name, list, v, `Pass one of ${list}.`);
  if (!(choices as readonly string[]).includes(v)) rangeError(cls, name, list, v, `Pass one of ${list}.`);
  return v as T;
}

export function checkFunction<F>(cls: string, name: string, v: unknown, fix: string): F {
  if (typeof v !== 'function') typeError(cls, name, 'a function', v, fix);
  return v as F;
}

/** torch's `_format_param`: one value for every group, or a list with one value per group. */
export function perGroup(
  cls: string,
  name: string,
  v: unknown,
  nGroups: number,
  check: (x: unknown, label: string) => number,
): number[] {
  if (Array.isArray(v)) {
    if (v.length !== nGroups) {
      rangeError(
        cls,
        name,
        `a number or a list of ${nGroups} (one per parameter group)`,
        v,
        `Pass a single number, or one value per group.`,
      );
    }
    return v.map((x, i) => check(x, `${name}[${i}]`));
  }
  const x = check(v, name);
  return Array.from({ length: nGroups }, () => x);
}

export function checkLastEpoch(cls: string, v: unknown, name = 'lastEpoch'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) {
    (typeof v === 'number' ? rangeError : typeError)(
      cls,
      name,
      'an integer >= -1',
      v,
      'Leave it at -1 (the default) for a new schedule; to resume, construct anew and call loadStateDict(state).',
    );
  }
  return v as number;
}

export function checkOptimizer(cls: string, optimizer: unknown): SchedulableOptimizer {
  const fix = 'Pass an optimizer, or any object with paramGroups: [{ lr: number, ... }].';
  if (optimizer === null || typeof optimizer !== 'object') typeError(cls, 'optimizer', 'an object with paramGroups', optimizer, fix);
  const groups = (optimizer as { paramGroups?: unknown }).paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    typeError(cls, 'optimizer.paramGroups', 'a non-empty array', groups, fix);
  }
  groups.forEach((g: unknown, i: number) => {
    if (g === null || typeof g !== 'object') typeError(cls, `optimizer.paramGroups[${i}]`, 'an object', g, fix);
    const lr = (g as { lr?: unknown }).lr;
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      typeError(cls, `optimizer.paramGroups[${i}].lr`, 'a finite number', lr, fix);
    }
  });
  return optimizer as SchedulableOptimizer;
}

// ---------------------------------------------------------------------------------------------
// JSON-safe state. Infinity (ReduceLROnPlateau's starting `best`) and NaN are not JSON, so numbers
// that are not finite are written as the strings "Infinity", "-Infinity" and "NaN".

/** Encodes a scheduler field for JSON (non-finite numbers and -0 as strings; functions left out). */
export function encodeJson(v: unknown): JsonValue {
  return encodeValue(v) ?? null;
}

/** Decodes `v` using `like` (the field's current value) as its schema; throws a TypeError naming `path` on a mismatch. */
export function decodeJson(cls: string, path: string, v: unknown, like: unknown): unknown {
  const bad = (want: string): never =>
    typeError(cls, `state.${path}`, want, v, 'Pass an object returned by stateDict() of the same kind of scheduler.');
  if (typeof like === 'number') {
    if (typeof v === 'number' || isEncodedSpecial(v)) {
      const x = decodeNumber(v, `${cls}: state.${path}`);
      if (Number.isNaN(x)) rangeError(cls, `state.${path}`, 'a number (not NaN)', v, 'Pass an object returned by stateDict(); the state is corrupted.');
      return x;
    }
    return bad('a number');
  }
  if (typeof like === 'string') return typeof v === 'string' ? v : bad('a string');
  if (typeof like === 'boolean') return typeof v === 'boolean' ? v : bad('a boolean');
  if (Array.isArray(like)) {
    if (!Array.isArray(v)) return bad('an array');
    if (like.length > 0 && v.length !== like.length) {
      rangeError(cls, `state.${path}`, `an array of ${like.length}`, v, 'Build the scheduler with the same options (and optimizer groups) as the one saved.');
    }
    return v.map((x, i) => decodeJson(cls, `${path}[${i}]`, x, like.length > 0 ? like[0] : isEncodedSpecial(x) ? 0 : x));
  }
  if (like !== null && typeof like === 'object') {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad('an object');
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(like)) {
      if (typeof x === 'function') continue;
      out[k] = decodeJson(cls, `${path}.${k}`, (v as Record<string, unknown>)[k], x);
    }
    return out;
  }
  return v;
}

export function checkStateKind(cls: string, state: unknown): asserts state is SchedulerState {
  if (state === null || typeof state !== 'object') {
    typeError(cls, 'state', 'an object from stateDict()', state, 'Pass the object that stateDict() returned.');
  }
  const kind = (state as { scheduler?: unknown }).scheduler;
  if (kind !== cls) {
    typeError(cls, 'state.scheduler', describe(cls), kind, `Load it into a ${String(kind)} instead, or pass a ${cls} state.`);
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Base class of the chainable schedulers (torch 1.13's `_LRScheduler`). A subclass implements
 * `computeLr()` (torch's `get_lr`, usually in recursive form: the next lr from the group's current lr)
 * and, where torch has one, `closedFormLr()` (torch's `_get_closed_form_lr`). The constructor of each
 * concrete class ends with `this.initialStep()`, which sets the lr for epoch 0. `step()` then does
 * `lastEpoch += 1; lr = computeLr()` for every group. Defaults: `lastEpoch = -1` (a new schedule).
 *
 * Follows torch.optim.lr_scheduler._LRScheduler (torch 1.13).
 *
 * @example
 * ```ts
 * class HalvingLR extends LRScheduler {
 *   constructor(optimizer: SchedulableOptimizer) {
 *     super('HalvingLR', optimizer, -1);
 *     this.initialStep();
 *   }
 *   protected computeLr(): number[] {
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
 *   }
 * }
 * const opt = { paramGroups: [{ lr: 1 }] };
 * const sched = new HalvingLR(opt);
 * sched.step(); // lr 0.5
 * ```
 */
export abstract class LRScheduler implements EpochScheduler {
  readonly optimizer: SchedulableOptimizer;
  readonly stepsPerBatch: boolean = false;
  readonly requiresMetric = false as const;
  /** torch's `base_lrs`: each group's `initialLr` when the scheduler was built. */
  baseLrs: number[];
  /** torch's `last_epoch`: the index of the current epoch (or batch, for per-batch schedulers); 0 after construction. */
  lastEpoch: number;
  /** torch's `_step_count`: calls to `step()` including the initial one. */
  protected stepCount = 0;
  protected lastLr: number[] = [];
  /** The class name, used in messages and in `stateDict().scheduler`. */
  protected readonly kind: string;

  protected constructor(kind: string, optimizer: SchedulableOptimizer, lastEpoch: number, initialLrs?: number[]) {
    this.kind = kind;
    this.optimizer = checkOptimizer(kind, optimizer);
    this.lastEpoch = checkLastEpoch(kind, lastEpoch);
    const groups = this.optimizer.paramGroups;
    if (initialLrs !== undefined) {
      this.baseLrs = initialLrs.slice();
    } else if (this.lastEpoch === -1) {
      for (const g of groups) if (typeof g.initialLr !== 'number') g.initialLr = g.lr;
      this.baseLrs = groups.map((g) => g.initialLr as number);
    } else {
      groups.forEach((g, i) => {
        if (typeof g.initialLr !== 'number') {
          typeError(
            kind,
            `optimizer.paramGroups[${i}].initialLr`,
            `a number when lastEpoch is ${this.lastEpoch}`,
            g.initialLr,
            'Resuming needs the initialLr that a scheduler built with lastEpoch -1 records on each group; ' +
              'build the scheduler with lastEpoch -1 and call loadStateDict(state) instead.',
          );
        }
      });
      this.baseLrs = groups.map((g) => g.initialLr as number);
    }
  }

  /** torch's `get_lr()`: the lr of each group for epoch `this.lastEpoch` (already advanced). */
  protected abstract computeLr(): number[];

  /** torch's `_get_closed_form_lr()`, for the schedulers that have one. */
  protected closedFormLr?(): number[];

  /** torch's `_initial_step()`: resets the step count and steps once (to epoch 0 for a new schedule). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch (one batch for per-batch schedulers) and writes the new lr into every group. */
  step(): void {
    this.advance(undefined);
  }

  /**
   * torch's deprecated `step(epoch)`: jumps to `epoch`, using the closed form where the scheduler has
   * one. SequentialLR uses it (as `step(0)`) when it switches to the next scheduler.
   * @internal
   */
  _stepTo(epoch: number): void {
    this.advance(epoch);
  }

  /** @internal SequentialLR's "undo the initial step" and its re-run. */
  _rewind(): void {
    this.lastEpoch -= 1;
  }

  /** @internal */
  _initialStep(): void {
    this.initialStep();
  }

  protected advance(epoch: number | undefined): void {
    const prevEpoch = this.lastEpoch;
    const prevCount = this.stepCount;
    this.stepCount += 1;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.computeLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.computeLr();
      }
    } catch (e) {
      this.lastEpoch = prevEpoch;
      this.stepCount = prevCount;
      throw e;
    }
    this.applyLr(values);
  }

  protected applyLr(values: number[]): void {
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) groups[i].lr = values[i];
    this.lastLr = groups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The names of the subclass's fields saved by `stateDict()` (hyperparameters and counters, as torch's `__dict__`). */
  protected stateKeys(): string[] {
    return [];
  }

  stateDict(): SchedulerState {
    const self = this as unknown as Record<string, unknown>;
    const state: SchedulerState = {
      scheduler: this.kind,
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: encodeJson(this.baseLrs),
      lastLr: encodeJson(this.lastLr),
    };
    for (const k of this.stateKeys()) state[k] = encodeJson(self[k]);
    return state;
  }

  loadStateDict(state: SchedulerState): void {
    checkStateKind(this.kind, state);
    const self = this as unknown as Record<string, unknown>;
    // Decode everything first, so that a bad state leaves the scheduler untouched.
    const decoded: Record<string, unknown> = {};
    for (const k of ['lastEpoch', 'stepCount', 'baseLrs', 'lastLr', ...this.stateKeys()]) {
      decoded[k] = decodeJson(this.kind, k, state[k], self[k]);
    }
    checkLastEpoch(this.kind, decoded.lastEpoch, 'state.lastEpoch');
    nonNegativeInteger(this.kind, 'state.stepCount', decoded.stepCount, 'Pass an object returned by stateDict().');
    for (const k of ['baseLrs', 'lastLr']) {
      (decoded[k] as number[]).forEach((x, i) => nonNegativeNumber(this.kind, `state.${k}[${i}]`, x, 'Pass an object returned by stateDict().'));
    }
    Object.assign(self, decoded);
  }
}
