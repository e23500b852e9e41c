/**
 * valueAndGrad / grad (reverse mode, with plan replay), jacobian and hessian (reverse over reverse).
 * See docs/autograd-design.md for how a step records, replays and owns its memory.
 */
import { Param, Tensor } from '../tensor.js';
import { BOOLEAN, checkOptions, type NumberRule, type Rules } from '../util/options.js';
import { backward } from './backward.js';
import { currentDevice } from './device.js';
import { CONST, LEAF, Plan, prod, Trace, withTrace, describe, type Input, type OpDef } from './engine.js';
import { fill } from './ops/broadcast.js';
import { BMM } from './ops/matmul.js';
import { installMethods } from './methods.js';
import { ops } from './ops.js';
import { ATensor, Ext, IndexTensor, type Val } from './values.js';

export interface GradOptions {
  /**
   * Which arguments to differentiate (JAX's argnums): an index or a list (default 0, the first
   * argument, when the step is called with any; a step of no arguments differentiates only Params).
   * Params reached by f always get their gradient added to `p.grad`; `argnums: []` asks for nothing else.
   */
  argnums?: number | readonly number[];
  /** Check every op's output (forward and backward) for NaN/±Inf and throw naming the op (default false). */
  checkNaN?: boolean;
  /**
   * true (default): each call adds its gradient into `p.grad`, as torch's backward() (zero them
   * between steps, e.g. with the optimizer's zeroGrad()). false: each call sets `p.grad` of every
   * Param it reaches to this call's gradient, so no zeroing is needed (one pass fewer over each
   * weight gradient; what the built-in models do).
   */
  accumulate?: boolean;
}

/** A gradient leaf's value in the returned structure: a Param's `grad` view, or a new Float32Array (a number for a number). */
export type GradOf<T> = T extends Param ? Float32Array : T extends number ? number : T extends Tensor | ArrayLike<number> ? Float32Array
  : T extends readonly unknown[] ? { [K in keyof T]: GradOf<T[K]> } : T extends object ? { [K in keyof T]: GradOf<T[K]> } : never;

/** The function valueAndGrad returns: call it like f; dispose() frees its recorded plans at once. */
export interface ValueAndGrad<A extends unknown[]> {
  (...args: A): [value: number, grads: any];
  /** Frees the recorded plans and their buffers (they are also freed when the function is collected). */
  dispose(): void;
}

export interface Grad<A extends unknown[]> {
  (...args: A): any;
  dispose(): void;
}

const MAX_PLANS = 4;
const ARG_INDEX: NumberRule = { kind: 'number', integer: true, min: 0 };
const GRAD_RULES: Rules = {
  argnums: { kind: 'anyOf', rules: [ARG_INDEX, { kind: 'array', item: ARG_INDEX }], want: 'an argument index or an array of them' },
  checkNaN: BOOLEAN,
  accumulate: BOOLEAN,
};

interface StepState {
  plans: Map<string, Plan>;
}

const stepRegistry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<StepState>((s) => disposePlans(s))
  : null;

function disposePlans(s: StepState): void {
  for (const p of s.plans.values()) p.dispose();
  s.plans.clear();
}

interface StepOptions {
  argnums: number[];
  single: boolean;
  checkNaN: boolean;
  implicit: boolean;
  accumulate: boolean;
  /** Forward only (see forwardFn): no gradients, the output is returned. */
  forward?: boolean;
}

function checkGradOptions(fn: string, o: GradOptions): StepOptions {
  checkOptions(fn, o, GRAD_RULES);
  const a = o.argnums ?? 0;
  const list = typeof a === 'number' ? [a] : a.slice();
  return { argnums: list, single: typeof a === 'number', checkNaN: o.checkNaN ?? false, implicit: o.argnums === undefined, accumulate: o.accumulate ?? true };
}

/**
 * Turns f (tensors → a scalar tensor) into a function returning `[value, grads]`: the value of f and
 * the gradients with respect to the arguments named by `argnums` (default the first), shaped like
 * them. Every Param that f reaches also gets its gradient added to `p.grad` (accumulated, as torch's
 * backward(): call the optimizer's zeroGrad() between steps), so optimizers work unchanged.
 *
 * Intermediates live only while the call runs. The first call records f's ops as a plan; a later
 * call with arguments of the same shapes replays it (f's JS still runs; each op only checks it
 * matches), so a training step allocates nothing. Plans are freed by dispose() or with the function.
 *
 * Reference: JAX `jax.value_and_grad` (argnums), PyTorch `Tensor.backward()` (accumulation).
 * @example
 * await init();
 * const w = param([1, 2, 3]);
 * const step = valueAndGrad((x) => ops.sum(ops.mul(x, w).pow(2)));
 * const [value, gx] = step([1, 1, 1]);
 * value; // → 14
 * gx; // → [2, 8, 18]
 * w.grad; // → [2, 4, 6]
 */
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Input, options: GradOptions = {}): ValueAndGrad<A> {
  if (typeof f !== 'function') throw new TypeError(`valueAndGrad(f): f must be a function, got ${describe(f)}`);
  installMethods(ops);
  const opts = checkGradOptions('valueAndGrad', options);
  const state: StepState = { plans: new Map() };
  const step = ((...args: A) => runStep(f, args, opts, state)) as ValueAndGrad<A>;
  step.dispose = () => disposePlans(state);
  stepRegistry?.register(step, state);
  return step;
}

/**
 * Like valueAndGrad, returning only the gradients.
 * @example
 * await init();
 * const df = grad((x) => ops.sum(ops.mul(x, x)));
 * df([1, 2, 3]); // → [2, 4, 6]
 */
export function grad<A extends unknown[]>(f: (...args: A) => Input, options: GradOptions = {}): Grad<A> {
  const vg = valueAndGrad(f, options);
  const g = ((...args: A) => vg(...args)[1]) as Grad<A>;
  g.dispose = () => vg.dispose();
  return g;
}

/** The function forwardFn returns: call it like f; it returns a copy of f's output. */
export interface ForwardFn<A extends unknown[]> {
  (...args: A): Float32Array;
  /** Frees the recorded plans and their buffers (they are also freed when the function is collected). */
  dispose(): void;
}

/**
 * f without gradients (inference, validation): the first call with given argument shapes records
 * f's ops as a plan, later calls replay it (as valueAndGrad does), so evaluating allocates nothing
 * after the first call. Returns a copy of f's output (any shape, flattened). Params are read, never
 * differentiated. Used by the layers' models for loss() and predict(); not exported from the package.
 */
export function forwardFn<A extends unknown[]>(f: (...args: A) => Input): ForwardFn<A> {
  if (typeof f !== 'function') throw new TypeError(`forwardFn(f): f must be a function, got ${describe(f)}`);
  installMethods(ops);
  const opts: StepOptions = { argnums: [], single: false, checkNaN: false, implicit: false, accumulate: false, forward: true };
  const state: StepState = { plans: new Map() };
  const fn = ((...args: A) => runStep(f, args, opts, state)) as unknown as ForwardFn<A>;
  fn.dispose = () => disposePlans(state);
  stepRegistry?.register(fn, state);
  return fn;
}

// ---- one step ----------------------------------------------------------------------------------

/** One argument leaf: where it sits, and what f receives for it. */
interface Leaf {
  path: (string | number)[];
  raw: unknown;
  wrt: boolean;
  val?: Val | Tensor | IndexTensor;
}

function signature(args: unknown[], wrt: Set<number>): string {
  const parts: string[] = [];
  const walk = (v: unknown, w: boolean): void => {
    if (v instanceof Param) parts.push(`P${v.shape.join('x')}${w ? 'd' : ''}`);
    else if (v instanceof IndexTensor) parts.push(`I${v.shape.join('x')}`);
    else if (v instanceof Tensor) parts.push(`T${v.shape.join('x')}${w ? 'd' : ''}`);
    else if (typeof v === 'number') parts.push(`n${w ? 'd' : ''}`);
    else if (ArrayBuffer.isView(v)) parts.push(`${v.constructor.name[0]}${(v as unknown as ArrayLike<number>).length}${w ? 'd' : ''}`);
    else if (Array.isArray(v)) {
      if (v.length > 0 && typeof v[0] === 'number') parts.push(`a${v.length}${w ? 'd' : ''}`);
      else if (v.length > 0 && Array.isArray(v[0]) && (v[0].length === 0 || typeof v[0][0] === 'number')) {
        parts.push(`m${v.length}x${(v[0] as unknown[]).length}${w ? 'd' : ''}`);
      } else {
        parts.push('[');
        v.forEach((x) => walk(x, w));
        parts.push(']');
      }
    } else if (v !== null && typeof v === 'object') {
      parts.push('{');
      for (const k of Object.keys(v)) {
        parts.push(k);
        walk((v as Record<string, unknown>)[k], w);
      }
      parts.push('}');
    } else parts.push(typeof v);
  };
  args.forEach((a, i) => {
    parts.push('|');
    walk(a, wrt.has(i));
  });
  return parts.join(' ');
}

/** Is v a leaf (a tensor or numbers), or a container of leaves? */
function isLeaf(v: unknown): boolean {
  if (v instanceof Tensor || v instanceof IndexTensor || typeof v === 'number' || ArrayBuffer.isView(v)) return true;
  if (Array.isArray(v)) return v.length === 0 || typeof v[0] === 'number' || (Array.isArray(v[0]) && isNumericNested(v));
  return false;
}

function isNumericNested(v: unknown): boolean {
  let a: unknown = v;
  while (Array.isArray(a)) a = a[0];
  return typeof a === 'number' || a === undefined;
}

/** The constant node of a number/array argument: one object, so a replay matches it (the engine compares ops by identity). */
const ARG_OP: OpDef = { ...CONST, args: ['argument'] };

/** Replaces each leaf of args with what f receives, in order (so a replay meets its nodes in the same order). */
function bindArgs(t: Trace, args: unknown[], wrt: Set<number>, fn: string): { callArgs: unknown[]; leaves: Leaf[] } {
  const paramGrads = t.gradParams;
  const leaves: Leaf[] = [];
  let extIndex = 0;
  const argOp = ARG_OP;
  const conv = (v: unknown, path: (string | number)[], w: boolean): unknown => {
    if (isLeaf(v)) {
      const leaf: Leaf = { path, raw: v, wrt: w };
      const name = `argument ${path.join('.')}`;
      if (v instanceof IndexTensor || v instanceof Int32Array) {
        if (w) throw new TypeError(`${fn}: ${name} holds integer indices; gradients with respect to integer inputs are not defined (leave it out of argnums)`);
      }
      if (v instanceof Tensor || v instanceof IndexTensor) {
        const rg = (w || (paramGrads && v instanceof Param)) && !(v instanceof IndexTensor);
        let e = t.bindArg(extIndex, v, rg);
        if (e === null) {
          t.fallback();
          e = t.bindArg(extIndex, v, rg)!;
        }
        extIndex++;
        leaf.val = e;
        leaves.push(leaf);
        // f receives the user's own object; ops map it to its binding
        return v;
      }
      const val = t.constant(v as Input, w ? LEAF : argOp, v instanceof Int32Array ? 'i32' : 'f32', name);
      leaf.val = val;
      leaves.push(leaf);
      return val;
    }
    if (Array.isArray(v)) return v.map((x, i) => conv(x, [...path, i], w));
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = conv((v as Record<string, unknown>)[k], [...path, k], w);
      return o;
    }
    throw new TypeError(`${fn}: argument ${path.join('.')} is ${describe(v)}; pass tensors, params, numbers, arrays, or arrays/objects of them`);
  };
  const callArgs = args.map((a, i) => conv(a, [i], wrt.has(i)));
  return { callArgs, leaves };
}

function runStep(f: (...args: any[]) => Input, args: unknown[], options: StepOptions, state: StepState): any {
  const opts = options.implicit && args.length === 0 ? { ...options, argnums: [], single: false } : options;
  for (const i of opts.argnums) {
    if (i >= args.length) throw new RangeError(`valueAndGrad: argnums names argument ${i} but the step was called with ${args.length} argument(s)`);
  }
  const dev = currentDevice();
  const wrt = new Set(opts.argnums);
  const key = signature(args, wrt);
  let plan = state.plans.get(key);
  if (plan !== undefined && (plan.device !== dev || plan.disposed)) {
    plan.dispose();
    state.plans.delete(key);
    plan = undefined;
  }
  const replay = plan !== undefined && plan.fwdEnd >= 0;
  if (plan === undefined) {
    plan = new Plan(dev);
    if (state.plans.size >= MAX_PLANS) {
      const oldest = state.plans.keys().next().value as string;
      state.plans.get(oldest)!.dispose();
      state.plans.delete(oldest);
    }
  } else state.plans.delete(key);
  state.plans.set(key, plan);
  const p = plan;
  p.epoch++;
  p.closed = false;
  const forward = opts.forward === true;
  const t = new Trace(p, replay, !forward, opts.checkNaN);
  t.noGrad = forward;
  try {
    return withTrace(t, () => {
      const { callArgs, leaves } = bindArgs(t, args, wrt, forward ? 'forwardFn' : 'valueAndGrad');
      const result = f(...callArgs);
      const out = outputVal(t, result, forward ? 'forwardFn' : 'valueAndGrad');
      if (forward) {
        if (!(t.replaying && t.cursor === p.fwdEnd && out === p.output)) {
          if (t.replaying) t.fallback();
          p.fwdEnd = p.nodes.length;
          p.output = out;
        }
        const s = out.ptr >>> 2;
        return dev.f32().slice(s, s + out.size);
      }
      if (t.replaying && t.cursor === p.fwdEnd && out === p.output) {
        for (let i = p.fwdEnd; i < p.nodes.length; i++) t.exec(p.nodes[i]);
      } else {
        if (t.replaying) t.fallback();
        buildBackward(t, out, leaves, opts.accumulate);
      }
      return [readScalar(out, dev), collect(args, leaves, p, opts)] as [number, any];
    });
  } catch (e) {
    p.dispose();
    state.plans.delete(key);
    throw e;
  } finally {
    p.closed = true;
  }
}

function outputVal(t: Trace, result: unknown, fn: string): Val {
  let out: Val;
  if (result instanceof Ext) out = result;
  else if (result instanceof ATensor && result.plan === t.plan) out = result;
  else if (result instanceof Tensor) out = t.external(result, CONST, 0);
  else throw new TypeError(`${fn}: f must return a scalar tensor (a result of ops), got ${describe(result)}`);
  if (out.dtype !== 'f32') throw new TypeError(`${fn}: f returned an index tensor; it must return a float scalar`);
  return out;
}

function scalarCheck(out: Val, fn: string): void {
  if (out.size !== 1) {
    throw new RangeError(`${fn}: f must return a scalar (one element), got a tensor of shape [${out.shape.join(', ')}]; reduce it, e.g. with ops.sum or ops.mean`);
  }
}

/** p.grad += g (attrs.set: p.grad = g). */
const ACCUM: OpDef = {
  name: 'accumulate_grad',
  args: ['param', 'g'],
  infer: () => ({ shape: null }),
  run(k, node) {
    const p = (node.inputs[0] as Ext).obj as Param, g = node.inputs[1];
    if (node.attrs.set) k.f32_copy(p.gradPtr, g.ptr, p.size);
    else k.f32_axpy(p.gradPtr, 1, g.ptr, p.gradPtr, p.size);
  },
};

function buildBackward(t: Trace, out: Val, leaves: Leaf[], accumulate: boolean): void {
  scalarCheck(out, 'valueAndGrad');
  const p = t.plan;
  p.fwdEnd = p.nodes.length;
  p.output = out;
  const seed = fill(out.shape, 1);
  const grads = backward(t, out, seed, p.fwdEnd, false);
  for (const e of p.exts) {
    const g = grads.get(e);
    if (e.isParam && e.requiresGrad && g !== undefined && !gemmIntoGrad(p, e, g, grads, accumulate)) t.record(ACCUM, [e, g], { set: !accumulate });
  }
  p.results = leaves.map((l) => (l.wrt && !(l.val instanceof Param) ? grads.get(l.val as Val) ?? null : null));
}

/**
 * When a Param's whole gradient is one GEMM's result that nothing else reads, lets that GEMM add
 * straight into `p.grad` (beta = 1) instead of writing a block that f32_axpy then adds: one pass
 * over the weight gradient instead of three.
 */
function gemmIntoGrad(p: Plan, e: Ext, g: Val, grads: Map<Val, Val>, accumulate: boolean): boolean {
  if (!(g instanceof ATensor) || g.node === null || g.node.op !== BMM || g.node.out !== g || g.node.cache.batch !== 1) return false;
  const node = g.node, at = p.nodes.indexOf(node);
  for (let i = at + 1; i < p.nodes.length; i++) if (p.nodes[i].inputs.includes(g)) return false;
  for (const [v, gv] of grads) if (gv === g && v !== e) return false;
  // this call already ran the product into its own block: add (or copy) that once; replays write in place
  const param = e.obj as Param;
  if (accumulate) p.device.k.f32_axpy(param.gradPtr, 1, g.ptr, param.gradPtr, param.size);
  else p.device.k.f32_copy(param.gradPtr, g.ptr, param.size);
  node.attrs = { ...node.attrs, into: e, beta: accumulate ? 1 : 0 };
  node.out = null;
  for (const b of node.blocks) p.device.free(b);
  node.blocks.length = 0;
  return true;
}

function readScalar(v: Val, dev: { f32(): Float32Array | Float64Array }): number {
  return dev.f32()[v.ptr >>> 2];
}

function collect(args: unknown[], leaves: Leaf[], p: Plan, opts: StepOptions): any {
  const byPath = new Map<string, unknown>();
  leaves.forEach((l, i) => {
    if (!l.wrt) return;
    let g: unknown;
    if (l.raw instanceof Param) g = l.raw.grad;
    else {
      const gv = p.results[i];
      const size = (l.val as Val).size;
      const out = p.device.float64 ? new Float64Array(size) : new Float32Array(size);
      if (gv) {
        const f = p.device.f32(), s = gv.ptr >>> 2;
        out.set(f.subarray(s, s + size));
      }
      g = typeof l.raw === 'number' ? out[0] : out;
    }
    byPath.set(l.path.join('\u0000'), g);
  });
  const rebuild = (v: unknown, path: (string | number)[]): unknown => {
    if (isLeaf(v)) return byPath.get(path.join('\u0000'));
    if (Array.isArray(v)) return v.map((x, i) => rebuild(x, [...path, i]));
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v as object)) o[k] = rebuild((v as Record<string, unknown>)[k], [...path, k]);
    return o;
  };
  const gs = opts.argnums.map((i) => rebuild(args[i], [i]));
  return opts.single ? gs[0] : gs;
}

// ---- jacobian and hessian -------------------------------------------------------------------

/** Runs fn on a throw-away plan (recorded, never replayed) with x as the one leaf. */
function once<T>(fn: string, x: unknown, body: (t: Trace, xv: Val, n: number) => T): T {
  installMethods(ops);
  const dev = currentDevice();
  const plan = new Plan(dev);
  plan.epoch = 1;
  plan.closed = false;
  const t = new Trace(plan, false, false, false);
  try {
    return withTrace(t, () => {
      let xv: Val;
      if (x instanceof IndexTensor || x instanceof Int32Array) throw new TypeError(`${fn}: x holds integer indices; derivatives with respect to integers are not defined`);
      if (x instanceof Tensor) xv = t.bindArg(0, x, true)!;
      else if (isLeaf(x)) xv = t.constant(x as Input, LEAF, 'f32', 'x');
      else throw new TypeError(`${fn}: x must be a tensor or an array of numbers, got ${describe(x)}`);
      return body(t, xv, xv.size);
    });
  } finally {
    plan.dispose();
  }
}

function onehot(t: Trace, shape: readonly number[], i: number): ATensor {
  const data = new Float32Array(prod(shape));
  data[i] = 1;
  return t.record(CONST, [], { shape: shape.slice(), dtype: 'f32', data }) as ATensor;
}

function copyOut(dst: Float32Array, at: number, v: Val | undefined, n: number, dev: { f32(): Float32Array | Float64Array }): void {
  if (v === undefined) return;
  const s = v.ptr >>> 2;
  dst.set(dev.f32().subarray(s, s + n), at);
}

/** Value, Jacobian (m×n, row-major) of a vector function at x, by m reverse passes. */
export function jacobianAt(f: (x: any) => Input, x: unknown): { value: Float32Array; jacobian: Float32Array; m: number; n: number } {
  // (on the float64 device the arrays are Float64Arrays: the gradcheck path)
  return once('jacobian', x, (t, xv, n) => {
    const out = outputVal(t, f(xv instanceof Ext ? xv.obj : xv), 'jacobian');
    const m = out.size, end = t.plan.nodes.length, dev = t.plan.device;
    const F = dev.float64 ? Float64Array : Float32Array;
    const value = new F(m) as Float32Array, J = new F(m * n) as Float32Array;
    copyOut(value, 0, out, m, dev);
    for (let i = 0; i < m; i++) {
      const mark = t.plan.nodes.length;
      const grads = backward(t, out, onehot(t, out.shape, i), end, false);
      copyOut(J, i * n, grads.get(xv), n, dev);
      t.plan.truncate(mark);
    }
    return { value, jacobian: J, m, n };
  });
}

/** Value, gradient and Hessian (n×n, row-major) of a scalar function at x, reverse over reverse. */
export function hessianAt(f: (x: any) => Input, x: unknown): { value: number; grad: Float32Array; hessian: Float32Array; n: number } {
  return once('hessian', x, (t, xv, n) => {
    const out = outputVal(t, f(xv instanceof Ext ? xv.obj : xv), 'hessian');
    scalarCheck(out, 'hessian');
    const dev = t.plan.device, end = t.plan.nodes.length;
    const g = backward(t, out, fill(out.shape, 1), end, true).get(xv);
    const gEnd = t.plan.nodes.length;
    const F = dev.float64 ? Float64Array : Float32Array;
    const grad = new F(n) as Float32Array, H = new F(n * n) as Float32Array;
    copyOut(grad, 0, g, n, dev);
    if (g !== undefined) {
      for (let i = 0; i < n; i++) {
        const mark = t.plan.nodes.length;
        const grads = backward(t, g, onehot(t, g.shape, i), gEnd, false);
        copyOut(H, i * n, grads.get(xv), n, dev);
        t.plan.truncate(mark);
      }
    }
    return { value: readScalar(out, dev), grad, hessian: H, n };
  });
}

/**
 * The Jacobian of f (a vector → vector function of ops) at x, exact (m reverse passes), as an m×n
 * row-major Float32Array. Reference: JAX `jax.jacrev`.
 * @example
 * await init();
 * jacobian((x) => ops.mul(x, x))([1, 2]); // → [2, 0, 0, 4]
 */
export function jacobian(f: (x: any) => Input): (x: unknown) => Float32Array {
  if (typeof f !== 'function') throw new TypeError(`jacobian(f): f must be a function, got ${describe(f)}`);
  return (x) => jacobianAt(f, x).jacobian;
}

/**
 * The Hessian of f (a scalar function of ops of one vector) at x, exact (reverse over reverse: the
 * gradient is recorded as a graph and differentiated once per row), as an n×n row-major
 * Float32Array. An op without a second-order rule throws a sentence naming it.
 * Reference: PyTorch `torch.autograd.functional.hessian`, JAX `jax.hessian`.
 * @example
 * await init();
 * hessian((x) => ops.sum(ops.pow(x, 3)))([1, 2]); // → [6, 0, 0, 12]
 */
export function hessian(f: (x: any) => Input): (x: unknown) => Float32Array {
  if (typeof f !== 'function') throw new TypeError(`hessian(f): f must be a function, got ${describe(f)}`);
  return (x) => hessianAt(f, x).hessian;
}
