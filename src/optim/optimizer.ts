/**
 * The optimizer base class: parameter groups with per-group options, per-parameter state (a step
 * count as torch keeps it, float32 buffers in the backend's memory reserved when a parameter joins,
 * and scalars), the step loop, `step({ skip })`, and JSON state dicts. Each named optimizer
 * (sgd.ts, adam.ts, ...) and any user's own subclass supplies its name and defaults, the buffers it
 * keeps and its `update`; docs/extending.md walks through writing one.
 */
import type { Param, Tensor } from '../tensor.js';
import { takeEngine, type Engine, type EngineKernels, type StateBuffer } from './engine.js';
import { describe } from '../util/describe.js';
import { checkOption, inferRule, type Rule, type Rules } from './validate.js';
import { unknownOptionError } from '../util/options.js';
import { decodeJsonNumbers as decodeJson, decodeNumber, encodeArray, encodeJson, encodeNumber, type JsonValue } from '../util/json.js';

/** Options every optimizer has. */
export interface BaseOptions {
  lr: number;
}

/**
 * One parameter group as the optimizer holds it: the parameters and the group's options (all filled
 * in). Options are read at every step, so setting `group.lr` (as the LR schedulers do) or
 * `group.momentum` / `group.betas` takes effect at the next `step()`.
 */
export type ParamGroup<O> = O & { params: Param[]; [key: string]: unknown };

/** A parameter group as passed in: parameters plus options that override the optimizer's. */
export type ParamGroupInput<O> = { params: Param | Iterable<Param> } & Partial<O>;

/** What an optimizer is built from: one parameter, parameters, or parameter groups. */
export type ParamsInput<O> = Param | Iterable<Param> | Iterable<ParamGroupInput<O>>;

export interface StepOptions {
  /**
   * Parameters to leave alone this step, as torch skips parameters whose `.grad` is None: their
   * values, their state and their step count do not change.
   */
  skip?: Iterable<Param>;
}

/** A parameter's state as `optimizer.state(p)` shows it: the step count and zero-copy views of the buffers. */
export interface ParamStateView {
  /** How many steps have updated this parameter (torch's `state[p]['step']`). */
  step: number;
  [buffer: string]: number | Float32Array | Float64Array | null;
}

/** A JSON value. Numbers that JSON cannot carry (NaN, ±Infinity, -0) are written as strings. */
export type { JsonValue };

/** The JSON-serializable state of an optimizer, as `stateDict()` returns it. */
export interface OptimizerStateDict {
  /** The optimizer's name, e.g. "Adam". */
  optimizer: string;
  /** Every group's options, with `params` listing the indices of its parameters (in group order). */
  paramGroups: Array<{ params: number[]; [option: string]: JsonValue }>;
  /** One entry per parameter (same indices): its step count, buffers (null when torch has None) and scalars. */
  state: Array<{ step: number; [buffer: string]: JsonValue }>;
}

/**
 * One parameter's state, as `update()` receives it (torch's `state[p]`). Everything in it is saved by
 * `stateDict()` and restored bit for bit by `loadStateDict()`.
 */
export interface ParamState {
  /**
   * Steps taken by this parameter, counting the one being taken: 1 in the first `update()` (torch's
   * `state['step']` after its increment). The base class counts; `update()` only reads it.
   */
  step: number;
  /**
   * The buffers declared by `buffers()`, by name: float32 tensors of the parameter's size in the
   * backend's memory, reserved when the parameter joined the optimizer (zero, or the spec's `init`).
   * Read and write them through `.data` (a zero-copy view) or pass them to the tensor ops
   * (`axpy`, `scale`, ...).
   */
  buffers: Record<string, Tensor>;
  /**
   * Names of `unset: true` buffers that hold no state yet (torch's None). `update()` deletes a name
   * once it has written that buffer; `stateDict()` saves such a buffer as null.
   */
  unset: Set<string>;
  /** Scalar state declared by `scalars()` (e.g. NAdam's muProduct). */
  scalars: Record<string, number>;
}

/** A buffer an optimizer keeps per parameter: its name and how it starts. */
export interface BufferSpec {
  name: string;
  /** Initial value from the parameter's group (default 0). */
  init?: (group: any) => number;
  /** Starts unset (torch's None until the first step writes it), e.g. SGD's momentum buffer. */
  unset?: boolean;
  /** Holds values >= 0 (second moments, accumulators): loadStateDict refuses a negative or NaN one. */
  nonNegative?: boolean;
}

/** What a subclass tells the base class about itself (torch's `defaults`, plus a name and option rules). */
export interface OptimizerConfig<O extends BaseOptions> {
  /** The name in messages and state dicts; a state dict loads only into an optimizer of the same name. */
  name: string;
  /** Every option with its default value. These are the option names the optimizer accepts. */
  defaults: O;
  /**
   * A rule per option, checked when the optimizer is built and at every step. An option without
   * one gets a rule from its default: `lr` a number >= 0, other numbers any finite number,
   * booleans true or false, `[number, number]` two finite numbers, strings any string.
   */
  rules?: Partial<Record<keyof O & string, Rule>>;
}

/**
 * The base class of every optimizer, the library's and yours: parameter groups, per-parameter state,
 * `step()`, `zeroGrad()`, `state(p)`, `stateDict()` / `loadStateDict()` and `dispose()`.
 *
 * A subclass passes its config to `super(params, options, { name, defaults, rules? })`, may declare
 * the buffers each parameter keeps (`buffers()`), scalar state (`scalars()`) and cross-option checks
 * (`checkGroup()`), and implements `update(p, state, group)`: one step for one parameter, from
 * `p.grad`. `step()` calls it for every parameter of every group (except those in `skip`), after
 * counting the step in `state.step`. Everything else — fit(), lrFind(), every LR scheduler,
 * clipGradNorm(), checkpoints with bit-exact resume, parameter groups, `step({ skip })` — works with a
 * subclass as with the built-ins. docs/extending.md walks through one.
 *
 * @example
 * class PlainSGD extends Optimizer<{ lr: number }> {
 *   constructor(params: ParamsInput<{ lr: number }>, options?: Partial<{ lr: number }>) {
 *     super(params, options, { name: 'PlainSGD', defaults: { lr: 0.01 } });
 *   }
 *   protected update(p: Param, state: ParamState, group: ParamGroup<{ lr: number }>): void {
 *     axpy(p, -group.lr, p.gradTensor, p); // p ← p − lr·g, as SGD's kernel rounds it
 *   }
 * }
 * const w = param([1, -2]);
 * const opt = new PlainSGD([w], { lr: 0.5 });
 * w.grad.set([2, -4]);
 * opt.step(); // w.data → [0, 0]
 *
 * Reference: torch.optim.Optimizer (PyTorch 1.13): `defaults`, `param_groups`, lazy `state[p]`,
 * `state_dict()`; optax's `GradientTransformation` for the init/update split.
 */
export abstract class Optimizer<O extends BaseOptions> {
  /** The parameter groups. Change `paramGroups[i].lr` (or any option) between steps to change that group. */
  readonly paramGroups: Array<ParamGroup<O>> = [];
  /** The options every group starts from (the constructor's options over the optimizer's defaults). */
  readonly defaults: Readonly<O>;
  /** The name in messages and state dicts. */
  readonly name: string;
  /** @internal where state lives and which kernels run */
  protected readonly engine: Engine;
  private readonly rules: Rules;
  private readonly states = new Map<Param, ParamState>();
  /** Each group's option values as step() last checked them: unchanged options are not checked again. */
  private checkedOptions: WeakMap<object, unknown[]> | null = null; // made by the first checked step
  private order: Param[] = [];
  private disposedFlag = false;
  private stepKernels: EngineKernels | null = null;

  /**
   * @param params one parameter, an array of parameters, or groups `{ params, ...options }`
   * @param options the caller's options over `config.defaults` (unknown names are errors)
   * @param config the optimizer's name, defaults and option rules
   */
  protected constructor(params: ParamsInput<O>, options: Partial<O> | undefined, config: OptimizerConfig<O>) {
    const { name, builtins, rules, checked } = checkConfig(config);
    this.name = name;
    this.rules = rules;
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw new TypeError(`${name}: options must be an object such as { lr: ${builtins.lr} }, got ${describe(options)}.`);
    }
    this.checkKeys(options ?? {}, 'options');
    const defaults = { ...builtins, ...(options ?? {}) } as O;
    for (const key of Object.keys(rules)) {
      // a default that passed its rule when this config was first seen is not checked again
      const value = (defaults as any)[key];
      (defaults as any)[key] = copyValue(checked !== null && !(options !== undefined && key in options) ? checked[key] : checkOption(name, key, value, rules[key]));
    }
    this.checkGroup(defaults, '');
    this.defaults = defaults;
    this.engine = takeEngine();
    for (const g of this.parseGroups(params)) this.addGroupChecked(g);
  }

  /**
   * The buffers each parameter of `group` keeps (default none). They are reserved when the parameter
   * joins the optimizer, so a training loop never allocates; return the same array for the same
   * options. If a group's options change so that it needs a buffer it lacks, the next step adds it.
   */
  protected buffers(group: ParamGroup<O>): readonly BufferSpec[] {
    void group;
    return NO_BUFFERS;
  }

  /** Scalar state names and initial values (default none; e.g. NAdam's muProduct = 1). */
  protected scalars(): Readonly<Record<string, number>> {
    return NO_SCALARS;
  }

  /**
   * Checks across options beyond the per-option rules (e.g. SGD's nesterov needs momentum); throws a
   * RangeError naming `${where}<option>`. Called when the optimizer is built, for every group, on
   * `loadStateDict()` and before a step whose group options changed since the last check (so it must
   * depend on the group's options only).
   */
  protected checkGroup(group: O, where: string): void {
    void group;
    void where;
  }

  /**
   * One step for one parameter: reads `p.grad`, updates `p` and its `state` in place. `state.step`
   * already counts this step (1 on the first). If it throws, the step count is put back.
   */
  protected abstract update(p: Param, state: ParamState, group: ParamGroup<O>): void;

  /** @internal the kernels of the engine the state lives on, for the built-ins' fused kernels (valid during step()). */
  protected get kernels(): EngineKernels {
    return this.stepKernels ?? this.engine.kernels();
  }

  /** The learning rate of the first group. Setting it sets every group's lr. */
  get lr(): number {
    return this.paramGroups[0].lr;
  }

  set lr(value: number) {
    checkOption(this.name, 'lr', value, this.rules.lr);
    for (const g of this.paramGroups) g.lr = value;
  }

  /**
   * @internal Every parameter's live state, in `params` order, without the array, views and objects
   * `params` and `state(p)` make: fit's divergence rollback copies it before every step.
   */
  forEachState(fn: (i: number, st: ParamState) => void): void {
    this.assertUsable('state()');
    for (let i = 0; i < this.order.length; i++) fn(i, this.states.get(this.order[i])!);
  }

  /** Every parameter, in group order. */
  get params(): Param[] {
    return this.order.slice();
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  /**
   * Adds a parameter group (torch's add_param_group): its options override the optimizer's
   * defaults; its state is allocated now.
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    this.assertUsable('addParamGroup()');
    this.addGroupChecked(this.parseGroup(group, this.paramGroups.length));
  }

  /**
   * Updates every parameter from its gradient, one fused kernel pass per parameter.
   * @param options `skip`: parameters to leave alone this step (torch skips parameters whose grad is
   *   None): their values, state and step count do not change.
   */
  step(options?: StepOptions): void {
    this.assertUsable('step()');
    this.stepAll(options?.skip === undefined ? null : this.skipSet(options.skip), true);
  }

  /**
   * @internal One step of an optimizer that only its builder can reach (minimize's float64 path):
   * its groups' options were checked when it was built and nothing can change them, its parameters
   * live in its own engine, and their buffers were reserved then; so the per-step option and
   * parameter checks of step() are skipped. The same update() runs, in the same order.
   */
  stepOwned(): void {
    // Its own call sites, not stepAll()'s: those are shared by every optimizer class and engine in the
    // process and turn megamorphic once a few have stepped (minimize's Adam then ran ~20% slower per
    // iteration after other optimizers had run); these see only minimize's optimizers. One group,
    // one parameter: the stepper builds it so.
    if (this.order.length !== 1) throw new Error(`${this.name}: stepOwned() steps an optimizer of one parameter (minimize's)`);
    const group = this.paramGroups[0], p = group.params[0], st = this.states.get(p)!;
    this.stepKernels = this.engine.kernels();
    st.step++;
    try {
      this.update(p, st, group);
    } catch (e) {
      st.step--;
      throw e;
    } finally {
      this.stepKernels = null;
    }
  }

  /**
   * @internal Puts an optimizer that only its builder can reach (minimize's float64 path, which keeps
   * a few for its next runs) back as it was built: step 0, every buffer at its initial value (0 or
   * its spec's init), the `unset` ones unset again, the scalars at their initial values. Its options
   * never changed (nobody else can reach them), so its buffers are still the ones they ask for; if
   * not, this throws and the builder builds a new one.
   */
  resetOwned(): void {
    if (this.disposedFlag || this.order.length !== 1) throw new Error(`${this.name}: resetOwned() resets an optimizer of one parameter (minimize's)`);
    const group = this.paramGroups[0], p = group.params[0], st = this.states.get(p)!;
    const specs = this.buffers(group);
    if (Object.keys(st.buffers).length !== specs.length) throw new Error(`${this.name}: resetOwned(): its buffers are not those its options ask for`);
    const k = this.engine.kernels();
    st.step = 0;
    st.unset.clear();
    for (const spec of specs) {
      const b = st.buffers[spec.name];
      if (b === undefined) throw new Error(`${this.name}: resetOwned(): no ${spec.name} buffer`);
      k.f32_fill(b.ptr, spec.init ? spec.init(group) : 0, p.size);
      if (spec.unset) st.unset.add(spec.name);
    }
    st.scalars = { ...this.scalars() };
  }

  /** Every parameter's update() (but those in `skip`), after the per-step checks when `check`. */
  private stepAll(skip: Set<Param> | null, check: boolean): void {
    this.stepKernels = this.engine.kernels();
    try {
      const groups = this.paramGroups;
      for (let gi = 0; gi < groups.length; gi++) {
        const group = groups[gi];
        if (check) this.validateGroup(group, gi);
        const specs = check ? this.buffers(group) : NO_BUFFERS;
        const ps = group.params;
        for (let j = 0; j < ps.length; j++) {
          const p = ps[j];
          if (skip !== null && skip.has(p)) continue;
          if (check && !this.engine.isLive(p)) this.engine.checkParam(p, this.name, `paramGroups[${gi}].params[${j}]`);
          const st = this.states.get(p)!;
          for (let b = 0; b < specs.length; b++) {
            if (st.buffers[specs[b].name] === undefined) this.allocBuffer(st, specs[b], group, p.size);
          }
          st.step++;
          try {
            this.update(p, st, group);
          } catch (e) {
            st.step--;
            throw e;
          }
        }
      }
    } finally {
      this.stepKernels = null;
    }
  }

  /** Sets every parameter's gradient to zero (torch's zero_grad(set_to_none=False)). */
  zeroGrad(): void {
    this.assertUsable('zeroGrad()');
    // the fill kernel: TypedArray.fill over shared memory (threads) stores element by element, ~8x slower
    const k = this.engine.kernels();
    for (const p of this.order) k.f32_fill(p.gradPtr, 0, p.size);
  }

  /**
   * A parameter's state: `{ step, <buffer>: zero-copy view or null, <scalar>: number }`, with
   * torch's names in camelCase (expAvg, expAvgSq, maxExpAvgSq, momentumBuffer, ...). The views
   * are live: read them again after memory growth.
   */
  state(p: Param): ParamStateView {
    this.assertUsable('state()');
    const st = this.states.get(p);
    if (!st) throw new RangeError(`${this.name}: state(p): this parameter is not in any of the optimizer's groups. Pass one of optimizer.params.`);
    const out: ParamStateView = { step: st.step };
    for (const [name, b] of Object.entries(st.buffers)) out[name] = st.unset.has(name) ? null : b.data;
    for (const [name, v] of Object.entries(st.scalars)) out[name] = v;
    return out;
  }

  /**
   * A JSON-serializable snapshot: every group's options (with `params` as indices), and every
   * parameter's step count, buffers (plain arrays; NaN, ±Infinity and -0 as strings so the bits
   * survive JSON) and scalars. `loadStateDict(JSON.parse(JSON.stringify(sd)))` restores it exactly.
   */
  stateDict(): OptimizerStateDict {
    this.assertUsable('stateDict()');
    const index = new Map<Param, number>();
    this.order.forEach((p, i) => index.set(p, i));
    const paramGroups = this.paramGroups.map((g) => {
      const out: { params: number[]; [option: string]: JsonValue } = { params: g.params.map((p) => index.get(p)!) };
      for (const [key, v] of Object.entries(g)) {
        if (key === 'params') continue;
        const enc = encodeJson(v);
        if (enc !== undefined) out[key] = enc;
      }
      return out;
    });
    const state = this.order.map((p) => {
      const st = this.states.get(p)!;
      const out: { step: number; [buffer: string]: JsonValue } = { step: st.step };
      for (const [name, b] of Object.entries(st.buffers)) out[name] = st.unset.has(name) ? null : encodeArray(b.data);
      for (const [name, v] of Object.entries(st.scalars)) out[name] = encodeNumber(v);
      return out;
    });
    return { optimizer: this.name, paramGroups, state };
  }

  /**
   * Restores a snapshot from `stateDict()` (possibly through JSON) into this optimizer, built over
   * parameters of the same sizes in the same groups. Everything is checked first: on a mismatch
   * (another optimizer, group or parameter counts, sizes, buffer names, option values) it throws and
   * changes nothing.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    this.assertUsable('loadStateDict()');
    const cls = `${this.name}.loadStateDict()`;
    if (sd === null || typeof sd !== 'object') throw new TypeError(`${cls}: expected the object stateDict() returns, got ${describe(sd)}.`);
    if (sd.optimizer !== this.name) {
      throw new TypeError(`${cls}: the state dict is from ${describe(sd.optimizer)}, not ${this.name}. Load it into a ${String(sd.optimizer)}.`);
    }
    if (!Array.isArray(sd.paramGroups) || sd.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(`${cls}: the state dict has ${Array.isArray(sd.paramGroups) ? sd.paramGroups.length : 'no'} parameter groups, this optimizer ${this.paramGroups.length}. Build the optimizer with the same groups.`);
    }
    if (!Array.isArray(sd.state) || sd.state.length !== this.order.length) {
      throw new RangeError(`${cls}: the state dict has state for ${Array.isArray(sd.state) ? sd.state.length : 'no'} parameters, this optimizer has ${this.order.length}. Build the optimizer over the same parameters.`);
    }
    // 1. Check and decode everything.
    const newGroups: Array<Record<string, unknown>> = [];
    const paramGroupOf = new Map<number, number>();
    let next = 0;
    sd.paramGroups.forEach((g, gi) => {
      const where = `paramGroups[${gi}]`;
      if (g === null || typeof g !== 'object') throw new TypeError(`${cls}: ${where} must be an object, got ${describe(g)}.`);
      const mine = this.paramGroups[gi];
      if (!Array.isArray(g.params) || g.params.length !== mine.params.length) {
        throw new RangeError(`${cls}: ${where} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters, this optimizer's has ${mine.params.length}.`);
      }
      g.params.forEach((idx, j) => {
        if (idx !== next + j) throw new RangeError(`${cls}: ${where}.params[${j}] is ${describe(idx)}, expected ${next + j} (parameters are numbered in group order).`);
        paramGroupOf.set(idx, gi);
      });
      next += g.params.length;
      const opts: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(g)) {
        if (key === 'params') continue;
        opts[key] = key in this.rules ? decodeJson(v) : v;
      }
      for (const key of Object.keys(this.rules)) {
        if (!(key in opts)) throw new TypeError(`${cls}: ${where} has no option ${key}. Pass a state dict made by ${this.name}.stateDict().`);
        opts[key] = copyValue(checkOption(this.name, `${where}.${key}`, opts[key], this.rules[key]));
      }
      this.checkGroup(opts as unknown as O, `${where}.`);
      newGroups.push(opts);
    });
    const scalarNames = Object.keys(this.scalars());
    const decoded = sd.state.map((s, i) => {
      const p = this.order[i];
      const where = `state[${i}]`;
      if (s === null || typeof s !== 'object') throw new TypeError(`${cls}: ${where} must be an object, got ${describe(s)}.`);
      if (typeof s.step !== 'number' || !Number.isInteger(s.step) || s.step < 0) {
        throw new RangeError(`${cls}: ${where}.step must be a whole number >= 0, got ${describe(s.step)}.`);
      }
      const group = { ...newGroups[paramGroupOf.get(i)!], params: [] } as unknown as ParamGroup<O>;
      const specs = this.buffers(group);
      const want = new Set([...specs.map((b) => b.name), ...scalarNames, 'step']);
      for (const key of Object.keys(s)) {
        if (!want.has(key)) throw new RangeError(`${cls}: ${where} has ${key}, which ${this.name} with these options does not keep. Expected ${[...want].join(', ')}.`);
      }
      const buffers: Record<string, Float64Array | null> = {};
      for (const spec of specs) {
        const v = s[spec.name];
        if (v === null && spec.unset) {
          buffers[spec.name] = null;
          continue;
        }
        if (!Array.isArray(v) || v.length !== p.size) {
          throw new RangeError(`${cls}: ${where}.${spec.name} must be an array of ${p.size} numbers (the parameter's size), got ${Array.isArray(v) ? `${v.length} values` : describe(v)}.`);
        }
        const arr = new Float64Array(p.size);
        for (let j = 0; j < v.length; j++) arr[j] = decodeNumber(v[j], `${cls}: ${where}.${spec.name}[${j}]`, spec.nonNegative ? NON_NEGATIVE : {});
        buffers[spec.name] = arr;
      }
      const scalars: Record<string, number> = {};
      for (const name of scalarNames) scalars[name] = decodeNumber(s[name], `${cls}: ${where}.${name}`);
      return { step: s.step, buffers, scalars, specs, group };
    });
    // 2. Apply (only allocation can fail from here, and it happens before any value is written).
    decoded.forEach((d, i) => {
      const st = this.states.get(this.order[i])!;
      for (const spec of d.specs) if (st.buffers[spec.name] === undefined) this.allocBuffer(st, spec, d.group, this.order[i].size);
    });
    this.paramGroups.forEach((g, gi) => {
      for (const key of Object.keys(g)) if (key !== 'params' && !(key in newGroups[gi])) delete (g as any)[key];
      Object.assign(g, newGroups[gi]);
    });
    decoded.forEach((d, i) => {
      const st = this.states.get(this.order[i])!;
      st.step = d.step;
      st.unset.clear();
      for (const [name, b] of Object.entries(st.buffers)) {
        const v = d.buffers[name];
        if (v === undefined) continue; // a buffer these options do not use: left as is
        if (v === null) st.unset.add(name);
        else b.data.set(v);
      }
      Object.assign(st.scalars, d.scalars);
    });
  }

  /** Frees every state buffer (not the parameters). Using the optimizer afterwards throws. */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    for (const st of this.states.values()) for (const b of Object.values(st.buffers)) b.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private assertUsable(what: string): void {
    if (this.disposedFlag) throw new Error(`${this.name}: ${what} was called after dispose(); build a new optimizer.`);
  }

  private checkKeys(o: object, where: string): void {
    for (const key of Object.keys(o)) {
      if (key === 'params' && where !== 'options') continue;
      if (!(key in this.rules)) throw unknownOptionError(this.name, where, key, Object.keys(this.rules));
    }
  }

  /**
   * Checks a group's options before a step (a scheduler or the user may have changed them since the
   * last one). Options equal to those of the last check (pairs compared element by element, as they
   * may be edited in place) are not checked again: the check is the same function of the same values.
   */
  private validateGroup(group: ParamGroup<O>, gi: number): void {
    const seen = this.checkedOptions?.get(group);
    if (seen !== undefined && sameOptions(group, seen)) return;
    const rules = this.rules;
    for (const key in rules) checkOption(this.name, `paramGroups[${gi}].${key}`, (group as any)[key], rules[key]);
    this.checkGroup(group, `paramGroups[${gi}].`);
    const snap = optionSnapshot(group);
    if (snap !== null) (this.checkedOptions ??= new WeakMap()).set(group, snap);
  }

  private parseGroups(params: ParamsInput<O>): Array<{ params: Param[]; overrides: Record<string, unknown>; index: number }> {
    const isParamLike = (x: unknown) => x !== null && typeof x === 'object' && typeof (x as any).gradPtr === 'number';
    if (isParamLike(params)) return [this.parseGroup({ params: params as Param } as unknown as ParamGroupInput<O>, 0)];
    if (params === null || typeof params !== 'object' || typeof (params as any)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this.name}: params must be a parameter, an array of parameters or of groups { params, ...options }, got ${describe(params)}.`);
    }
    const items = Array.from(params as Iterable<unknown>);
    if (items.length === 0) {
      throw new RangeError(`${this.name}: params is an empty list. Pass at least one parameter made by param(), or groups { params: [...] }.`);
    }
    const groupLike = (x: unknown) => x !== null && typeof x === 'object' && !isParamLike(x) && 'params' in (x as object);
    if (groupLike(items[0])) {
      return items.map((g, i) => {
        if (!groupLike(g)) throw new TypeError(`${this.name}: params[${i}] must be a group { params, ...options } like params[0], got ${describe(g)}.`);
        return this.parseGroup(g as ParamGroupInput<O>, i);
      });
    }
    return [this.parseGroup({ params: items as Param[] } as unknown as ParamGroupInput<O>, 0, true)];
  }

  private parseGroup(g: ParamGroupInput<O>, index: number, flat = false): { params: Param[]; overrides: Record<string, unknown>; index: number } {
    if (g === null || typeof g !== 'object') throw new TypeError(`${this.name}: a parameter group must be { params, ...options }, got ${describe(g)}.`);
    this.checkKeys(g, `paramGroups[${index}]`);
    const raw = (g as any).params;
    const list: unknown[] =
      raw !== null && typeof raw === 'object' && typeof raw.gradPtr === 'number' ? [raw]
      : raw !== null && typeof raw === 'object' && typeof raw[Symbol.iterator] === 'function' ? Array.from(raw as Iterable<unknown>)
      : (() => { throw new TypeError(`${this.name}: paramGroups[${index}].params must be a parameter or an array of parameters, got ${describe(raw)}.`); })();
    if (list.length === 0) {
      throw new RangeError(`${this.name}: ${flat ? 'params' : `paramGroups[${index}].params`} is an empty list. Pass at least one parameter made by param().`);
    }
    for (let j = 0; j < list.length; j++) {
      const p = list[j];
      if (!this.engine.isLive(p)) this.engine.checkParam(p, this.name, flat ? `params[${j}]` : `paramGroups[${index}].params[${j}]`);
    }
    const overrides: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(g)) if (k !== 'params') overrides[k] = v;
    return { params: list as Param[], overrides, index };
  }

  private addGroupChecked(g: { params: Param[]; overrides: Record<string, unknown>; index: number }): void {
    const group = { ...this.defaults } as any;
    for (const key of Object.keys(this.rules)) {
      if (key in g.overrides) group[key] = copyValue(checkOption(this.name, `paramGroups[${g.index}].${key}`, g.overrides[key], this.rules[key]));
      else group[key] = copyValue(group[key]);
    }
    this.checkGroup(group, `paramGroups[${g.index}].`);
    const seen = g.params.length > 16 ? new Set<Param>() : null; // a short list is searched instead
    for (let j = 0; j < g.params.length; j++) {
      const p = g.params[j];
      const twice = seen === null ? g.params.indexOf(p) !== j : seen.has(p) || (seen.add(p), false);
      if (this.states.has(p) || twice) {
        throw new RangeError(`${this.name}: paramGroups[${g.index}].params[${j}] appears more than once across the groups. Pass each parameter once.`);
      }
    }
    group.params = g.params.slice();
    // Allocate (after every check); on failure free what this group got so far.
    const made: ParamState[] = [];
    try {
      const specs = this.buffers(group);
      for (const p of g.params) {
        const st: ParamState = { step: 0, buffers: {}, unset: new Set(), scalars: { ...this.scalars() } };
        made.push(st);
        for (const spec of specs) this.allocBuffer(st, spec, group, p.size);
      }
    } catch (e) {
      for (const st of made) for (const b of Object.values(st.buffers)) b.dispose();
      throw e;
    }
    g.params.forEach((p, i) => this.states.set(p, made[i]));
    this.order.push(...g.params);
    this.paramGroups.push(group);
  }

  private allocBuffer(st: ParamState, spec: BufferSpec, group: ParamGroup<O>, n: number): void {
    const b = this.engine.alloc(n, `${this.name} ${spec.name}`);
    const v = spec.init ? spec.init(group) : 0;
    if (v !== 0 && n > 0) this.engine.kernels().f32_fill(b.ptr, v, n);
    // On the float64 engine (minimize, the conformance runner) a buffer is a float64 view, not a
    // Tensor; only the built-ins run there, and they use nothing but .ptr.
    st.buffers[spec.name] = b as Tensor;
    if (spec.unset) st.unset.add(spec.name);
  }

  private skipSet(skip: Iterable<Param>): Set<Param> {
    if (skip === null || typeof skip !== 'object' || typeof (skip as any)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${this.name}: step({ skip }) must be an array (or Set) of parameters, got ${describe(skip)}.`);
    }
    const s = skip instanceof Set ? skip : new Set(skip);
    for (const p of s) {
      if (!this.states.has(p)) throw new RangeError(`${this.name}: step({ skip }) lists a parameter that is not in this optimizer. Pass parameters from optimizer.params.`);
    }
    return s;
  }
}

const NO_SCALARS: Readonly<Record<string, number>> = Object.freeze({});
const NON_NEGATIVE = { min: 0 } as const;
const NO_BUFFERS: readonly BufferSpec[] = Object.freeze([]);

type CheckedConfig<O> = { name: string; builtins: O; rules: Rules; checked: Record<string, unknown> | null };

/**
 * Configs seen before, by their rules object (the built-ins pass one module-level table): the
 * checked config, and its defaults as their rules returned them (null until they passed).
 */
const CONFIGS = new WeakMap<object, { name: string; keys: string[]; values: unknown[]; rules: unknown[]; out: CheckedConfig<any> }>();

/**
 * Checks a subclass's config (a mistake here is the subclass author's: TypeError naming the field).
 * A config with the same rules object, name and default values as one seen before gives that one's
 * result, with `checked` (its defaults after their rules) so the constructor need not check them again.
 */
function checkConfig<O extends BaseOptions>(config: OptimizerConfig<O>): CheckedConfig<O> {
  const seen = config !== null && typeof config === 'object' && config.rules !== null && typeof config.rules === 'object' ? CONFIGS.get(config.rules) : undefined;
  if (seen !== undefined && seen.name === config.name && sameDefaults(config.defaults, seen.keys, seen.values) && sameRules(config.rules!, seen.keys, seen.rules)) return seen.out;
  const out = checkConfigFirst(config);
  if (config.rules !== undefined && config.rules !== null) {
    const keys = Object.keys(config.defaults), values = keys.map((k) => (config.defaults as any)[k]);
    const rules = keys.map((k) => (config.rules as any)[k]);
    let checked: Record<string, unknown> | null = {};
    try {
      for (const key of Object.keys(out.rules)) checked[key] = checkOption(out.name, key, (config.defaults as any)[key], out.rules[key]);
    } catch {
      checked = null; // the constructor checks them again and throws the same error
    }
    // only a table with a rule for every option, and no other (the built-ins'): the hit test compares them all
    if (checked !== null && Object.keys(config.rules).length === keys.length && rules.every((r) => r !== undefined)) {
      CONFIGS.set(config.rules, { name: out.name, keys, values, rules, out: { ...out, checked } });
    }
  }
  return out;
}

function sameDefaults(defaults: unknown, keys: string[], values: unknown[]): boolean {
  if (defaults === null || typeof defaults !== 'object') return false;
  let i = 0;
  for (const key in defaults) {
    if (keys[i] !== key) return false;
    const v = (defaults as Record<string, unknown>)[key], w = values[i];
    if (!Object.is(v, w) && !(Array.isArray(v) && Array.isArray(w) && v.length === w.length && v.every((x, j) => Object.is(x, w[j])))) return false;
    i++;
  }
  return i === keys.length;
}

function sameRules(rules: object, keys: string[], seen: unknown[]): boolean {
  if (Object.keys(rules).length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if ((rules as Record<string, unknown>)[keys[i]] !== seen[i]) return false;
  return true;
}

function checkConfigFirst<O extends BaseOptions>(config: OptimizerConfig<O>): CheckedConfig<O> {
  const where = 'Optimizer: super(params, options, config)';
  if (config === null || typeof config !== 'object') {
    throw new TypeError(`${where}: config must be { name, defaults, rules? }, got ${describe(config)}. Pass it from your subclass's constructor.`);
  }
  const { name, defaults, rules = {} } = config;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${where}: config.name must be a non-empty string such as 'MyOptimizer', got ${describe(name)}.`);
  }
  if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults) || typeof defaults.lr !== 'number') {
    throw new TypeError(`${name}: config.defaults must be an object with every option's default, including a number lr, got ${describe(defaults)}.`);
  }
  const out: Record<string, Rule> = {};
  for (const key of Object.keys(defaults)) {
    const rule = (rules as Record<string, Rule | undefined>)[key] ?? inferRule(key, (defaults as any)[key]);
    if (rule === null) {
      throw new TypeError(`${name}: config.defaults.${key} is ${describe((defaults as any)[key])}; give config.rules.${key}, or a number, boolean, [number, number] or string default.`);
    }
    out[key] = rule;
  }
  for (const key of Object.keys(rules)) {
    if (!(key in defaults)) throw new TypeError(`${name}: config.rules.${key} has no default; add ${key} to config.defaults.`);
  }
  return { name, builtins: defaults, rules: out, checked: null };
}

function copyValue<T>(v: T): T {
  return (Array.isArray(v) ? v.slice() : v) as T;
}

// JSON encoding that keeps every float's bits: the library's one codec (src/util/json.ts).
export { encodeNumber, encodeArray, decodeNumber };

/**
 * @internal A group's option values (every key but params, in order; arrays of primitives copied), or
 * null when an option holds an object that could change unseen (such a group is checked every step).
 * Also minimize's key for the optimizers it keeps (src/minimize/first-order.ts).
 */
export function optionSnapshot(group: object): unknown[] | null {
  const out: unknown[] = [];
  for (const key in group) {
    if (key === 'params') continue;
    const v = (group as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      if (v.some((x) => x !== null && typeof x === 'object')) return null;
      out.push(key, v.slice());
    } else if (v !== null && typeof v === 'object') return null;
    else out.push(key, v);
  }
  return out;
}

/** @internal True when `group`'s options are those of `snap` (same keys in the same order, same values: Object.is, arrays element by element). */
export function sameOptions(group: object, snap: unknown[]): boolean {
  let i = 0;
  for (const key in group) {
    if (key === 'params') continue;
    if (snap[i] !== key) return false;
    const v = (group as Record<string, unknown>)[key], s = snap[i + 1];
    if (Array.isArray(v)) {
      if (!Array.isArray(s) || s.length !== v.length) return false;
      for (let j = 0; j < v.length; j++) if (!Object.is(v[j], s[j])) return false;
    } else if (!Object.is(v, s)) return false;
    i += 2;
  }
  return i === snap.length;
}
