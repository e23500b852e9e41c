/**
 * Parameter averaging: running averages of parameters kept beside them, for evaluating with
 * averaged weights (ASGD / SWA running means, or EMA / Polyak averaging). One kernel pass per
 * parameter per update; the copies are allocated when the averager is made.
 */
import { unknownOptionError } from '../util/options.js';
import { getBackend } from '../init.js';
import { Param, Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';
import { Optimizer, decodeNumber, encodeArray, type JsonValue } from './optimizer.js';
import { checkNumber } from './validate.js';

export interface AveragedOptions {
  /**
   * EMA decay β: avg = β·avg + (1 − β)·p at every update (the first update copies p). Leave it
   * undefined (the default) for the running mean of every update (ASGD / SWA averaging).
   */
  decay?: number;
  /** Ignore this many calls to update() before averaging starts (ASGD's t0; default 0). */
  start?: number;
}

/** The JSON-serializable state of an averager. */
export interface AveragedStateDict {
  averaged: 'mean' | 'ema';
  decay: number | null;
  start: number;
  calls: number;
  count: number;
  averages: Array<Array<number | string>>;
}

/**
 * Averaged copies of parameters. Call `update()` after every optimizer step; read the averages with
 * `average(p)` (a zero-copy view), or `swap()` them into the parameters for evaluation and `swap()`
 * back to continue training.
 */
export class AveragedParams {
  /** The parameters being averaged. */
  readonly params: Param[];
  /** EMA decay, or undefined for the running mean. */
  readonly decay: number | undefined;
  /** Calls to update() ignored before averaging starts. */
  readonly start: number;
  private readonly avgs: Tensor[];
  private readonly index = new Map<Param, number>();
  private calls = 0;
  private n = 0;
  private disposedFlag = false;

  constructor(params: Param[], options: AveragedOptions) {
    this.params = params;
    this.decay = options.decay;
    this.start = options.start ?? 0;
    const made: Tensor[] = [];
    try {
      for (const p of params) made.push(new Tensor(p.size, 'averaged parameter'));
    } catch (e) {
      made.forEach((t) => t.dispose());
      throw e;
    }
    this.avgs = made;
    params.forEach((p, i) => this.index.set(p, i));
  }

  /** How many updates are in the average so far (calls to update() after `start`). */
  get count(): number {
    return this.n;
  }

  /**
   * Folds the parameters' current values into the averages: the running mean
   * avg += (p − avg)/(k + 1), or the EMA avg = decay·avg + (1 − decay)·p; the first update copies p.
   */
  update(): void {
    this.assertUsable('update()');
    this.calls++;
    if (this.calls <= this.start) return;
    const k = getBackend().k;
    const w = this.n === 0 ? 1 : this.decay === undefined ? 1 / (this.n + 1) : 1 - this.decay;
    this.params.forEach((p, i) => {
      p.assertLive('averaged(): parameter');
      const a = this.avgs[i];
      k.f32_lerp(a.ptr, a.ptr, p.ptr, w, p.size);
    });
    this.n++;
  }

  /** A zero-copy view of p's average (zeros until the first counted update). */
  average(p: Param): Float32Array {
    this.assertUsable('average()');
    const i = this.index.get(p);
    if (i === undefined) throw new RangeError('average(p): this parameter is not averaged here. Pass one of averager.params.');
    return this.avgs[i].data;
  }

  /** Exchanges the parameters' values with their averages (call again to exchange back). */
  swap(): void {
    this.assertUsable('swap()');
    this.params.forEach((p, i) => {
      const a = this.avgs[i].data, d = p.data;
      for (let j = 0; j < d.length; j++) {
        const t = d[j];
        d[j] = a[j];
        a[j] = t;
      }
    });
  }

  /** A JSON-serializable snapshot (averages as arrays; NaN, ±Infinity, -0 as strings). */
  stateDict(): AveragedStateDict {
    this.assertUsable('stateDict()');
    return {
      averaged: this.decay === undefined ? 'mean' : 'ema',
      decay: this.decay ?? null,
      start: this.start,
      calls: this.calls,
      count: this.n,
      averages: this.avgs.map((t) => encodeArray(t.data)),
    };
  }

  /** Restores a snapshot from stateDict(); checks everything first and changes nothing on a mismatch. */
  loadStateDict(sd: AveragedStateDict): void {
    this.assertUsable('loadStateDict()');
    const cls = 'averaged().loadStateDict()';
    if (sd === null || typeof sd !== 'object') throw new TypeError(`${cls}: expected the object stateDict() returns, got ${describe(sd)}.`);
    if ((sd.decay ?? undefined) !== this.decay || sd.start !== this.start) {
      throw new RangeError(`${cls}: the state dict has decay ${sd.decay} and start ${sd.start}, this averager ${this.decay ?? null} and ${this.start}. Make the averager with the same options.`);
    }
    for (const [key, v] of [['calls', sd.calls], ['count', sd.count]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`${cls}: ${key} must be a whole number >= 0, got ${describe(v)}.`);
    }
    if (!Array.isArray(sd.averages) || sd.averages.length !== this.params.length) {
      throw new RangeError(`${cls}: the state dict averages ${Array.isArray(sd.averages) ? sd.averages.length : 'no'} parameters, this averager ${this.params.length}.`);
    }
    const values = sd.averages.map((a: JsonValue[], i) => {
      if (!Array.isArray(a) || a.length !== this.params[i].size) {
        throw new RangeError(`${cls}: averages[${i}] must be an array of ${this.params[i].size} numbers.`);
      }
      return a.map((x, j) => decodeNumber(x, `${cls}: averages[${i}][${j}]`));
    });
    values.forEach((v, i) => this.avgs[i].data.set(v));
    this.calls = sd.calls;
    this.n = sd.count;
  }

  /** Frees the averaged copies (not the parameters). */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.avgs.forEach((t) => t.dispose());
  }

  private assertUsable(what: string): void {
    if (this.disposedFlag) throw new Error(`averaged(): ${what} was called after dispose(); make a new averager.`);
  }
}

/**
 * Keeps averaged copies of parameters: the running mean of the values after each update (ASGD,
 * stochastic weight averaging), or an exponential moving average with `decay` (EMA / Polyak).
 *
 * Rule, with k the number of updates so far: the first update copies p; then
 * mean: avg += (p − avg)/(k + 1);  EMA: avg = decay·avg + (1 − decay)·p (computed as torch.lerp does).
 *
 * @param source an optimizer (its parameters), a parameter, or parameters
 * @param options `decay` (EMA, in [0, 1); default: the running mean), `start` (updates to ignore
 *   first, ASGD's t0; default 0)
 * @example
 * await init();
 * const w = param([0]);
 * const opt = new SGD([w], { lr: 0.1 });
 * const avg = averaged(opt);           // running mean, as ASGD / SWA
 * for (const g of [1, -1, 1]) { w.grad[0] = g; opt.step(); avg.update(); }
 * avg.average(w)[0];                    // mean of -0.1, 0, -0.1 ≈ -0.0667
 *
 * Reference: Polyak & Juditsky 1992; Izmailov et al. 2018 (SWA, torch.optim.swa_utils.AveragedModel);
 * torch.optim.ASGD's `ax`.
 */
export function averaged(source: Optimizer<any> | Param | Iterable<Param>, options: AveragedOptions = {}): AveragedParams {
  const cls = 'averaged()';
  let list: unknown[];
  if (source instanceof Optimizer) list = source.params;
  else if (source instanceof Param) list = [source];
  else if (source !== null && typeof source === 'object' && typeof (source as Iterable<Param>)[Symbol.iterator] === 'function') list = Array.from(source);
  else throw new TypeError(`${cls}: source must be an optimizer, a parameter or an array of parameters, got ${describe(source)}.`);
  if (list.length === 0) throw new RangeError(`${cls}: source has no parameters. Pass at least one parameter.`);
  list.forEach((p, i) => {
    if (!(p instanceof Param)) throw new TypeError(`${cls}: params[${i}] must be a parameter made by param(), got ${describe(p)}.`);
    if (p.disposed) throw new TypeError(`${cls}: params[${i}] was disposed. Pass live parameters.`);
    p.assertLive(`${cls}: params[${i}]`);
  });
  if (options === null || typeof options !== 'object') throw new TypeError(`${cls}: options must be an object such as { decay: 0.999 }, got ${describe(options)}.`);
  for (const key of Object.keys(options)) {
    if (key !== 'decay' && key !== 'start') throw unknownOptionError(cls, 'options', key, ['decay', 'start']);
  }
  if (options.decay !== undefined) {
    checkNumber(cls, 'decay', options.decay, { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Pass decay in [0, 1) such as 0.999, or leave it out for the running mean.' });
  }
  if (options.start !== undefined && (typeof options.start !== 'number' || !Number.isInteger(options.start) || options.start < 0)) {
    throw new RangeError(`${cls}: start must be a whole number >= 0, got ${describe(options.start)}. Pass e.g. 0 or 1000.`);
  }
  return new AveragedParams(list as Param[], options);
}
