/**
 * The autodiff engine: op dispatch (eager, record, replay), plans and the reverse pass
 * (docs/autograd-design.md). Ops are `OpDef` entries (./ops/*.ts); every op call goes through
 * `apply()`, which runs the op's kernels at once and, inside a step, records or replays a node.
 */
import { Param, Tensor } from '../tensor.js';
import { currentDevice, deviceOf, type Device, type DeviceKernels } from './device.js';
import { ATensor, endedMessage, Ext, IndexTensor, PlanStorage, sameShape, ViewStorage, type DType, type IntStorage, type Val } from './values.js';

/** What an op's inference returns: the output shape (null: no output) and dtype, and saved buffers. */
export interface Inferred {
  shape: number[] | null;
  dtype?: DType;
  /** Extra buffers the forward fills for the backward (masks, argmax, im2col columns, statistics). */
  saved?: { dtype: DType; size: number; shape?: number[] }[];
  /** Kernel arguments worked out once (collapsed strides, sizes), kept on the node for its runs. */
  cache?: any;
}

/** One differentiable op: validation and shape, forward kernels, and its VJP written in ops. */
export interface OpDef {
  readonly name: string;
  /** Argument names, for messages. */
  readonly args: readonly string[];
  /** Positions that take indices (int32) instead of floats. */
  readonly indexArgs?: readonly number[];
  /** Attributes refreshed on replay instead of compared (data, seeds). */
  readonly dynamic?: readonly string[];
  /** The output is input 0's block under a new shape (no kernel). */
  readonly view?: boolean;
  /** A leaf that gradients are taken with respect to (an argument of a step). */
  readonly leaf?: boolean;
  infer(inputs: Val[], attrs: any): Inferred;
  run(k: DeviceKernels, node: Node, device: Device): void;
  /**
   * Gradients of the inputs from the output's gradient `g`, written with ops (so they are
   * differentiable again); `needs[j]` says whether input j wants one. Absent: not differentiable.
   */
  vjp?(node: Node, g: Val, needs: boolean[]): (Val | null)[];
}

/** A recorded op call. */
export class Node {
  constructor(
    readonly op: OpDef,
    readonly inputs: Val[],
    public attrs: any,
    public out: ATensor | IndexTensor | null,
    readonly saved: Val[],
    readonly requiresGrad: boolean,
    /** The forward op whose VJP made this node (null in the forward section). */
    readonly origin: string | null,
    /** Blocks this node allocated (freed when the plan drops it). */
    readonly blocks: number[],
    /** The op's precomputed kernel arguments (Inferred.cache). */
    readonly cache: any,
  ) {}
}

/** The recorded nodes of one step function for one signature, and the blocks they own. */
export class Plan {
  nodes: Node[] = [];
  exts: Ext[] = [];
  /** False only while a call runs: intermediates are readable then. */
  closed = true;
  disposed = false;
  /** Incremented per call; an Ext bound in this call has this epoch. */
  epoch = 0;
  /** Where the backward section starts (-1: not built). */
  fwdEnd = -1;
  /** The value f returned when recorded. */
  output: Val | null = null;
  /** The gradients the step returns, in order (built with the backward section). */
  results: (Val | null)[] = [];

  constructor(readonly device: Device) {}

  /** Drops nodes from index i on and frees their blocks; the backward section goes with them. */
  truncate(i: number): void {
    for (let j = i; j < this.nodes.length; j++) for (const p of this.nodes[j].blocks) this.device.free(p);
    this.nodes.length = i;
    if (this.fwdEnd >= i) this.fwdEnd = -1;
  }

  dispose(): void {
    if (this.disposed) return;
    this.truncate(0);
    this.disposed = true;
    this.closed = true;
  }
}

/** Inputs ops accept: tensors, index tensors, numbers, (nested) arrays and typed arrays. */
export type Input = Val | Tensor | IndexTensor | number | ArrayLike<number> | NestedArray;
export interface NestedArray extends ReadonlyArray<number | NestedArray> {}

/** The state of one call of a step (or of a jacobian/hessian computation). */
export class Trace {
  replaying: boolean;
  cursor = 0;
  /** True while a first-order backward is built: its nodes need no gradient. */
  noGrad = false;
  origin: string | null = null;
  readonly k: DeviceKernels;
  private extMap = new Map<object, Ext>();

  constructor(
    readonly plan: Plan,
    replay: boolean,
    /** Whether Params reached by f are leaves that get gradients. */
    readonly gradParams: boolean,
    readonly checkNaN: boolean,
  ) {
    this.replaying = replay;
    this.k = plan.device.k;
  }

  /** Binds an argument tensor to the plan (positional on replay). */
  bindArg(index: number, obj: Tensor | IndexTensor, requiresGrad: boolean): Ext | null {
    if (this.replaying) {
      const e = this.plan.exts[index];
      if (e && e.requiresGrad === requiresGrad && e.accepts(obj)) {
        e.obj = obj;
        e.epoch = this.plan.epoch;
        return e;
      }
      return null;
    }
    const e = new Ext(obj, this.plan.epoch, requiresGrad);
    this.plan.exts.push(e);
    this.extMap.set(obj, e);
    return e;
  }

  extFor(obj: Tensor | IndexTensor): Ext {
    let e = this.extMap.get(obj);
    if (!e) {
      checkDevice(obj, this.plan.device);
      e = new Ext(obj, this.plan.epoch, this.gradParams && obj instanceof Param);
      this.plan.exts.push(e);
      this.extMap.set(obj, e);
    }
    return e;
  }

  /** Ends replay at the cursor: later nodes are dropped and recording continues from here. */
  fallback(): void {
    this.replaying = false;
    this.plan.truncate(this.cursor);
    this.plan.results = [];
    const ep = this.plan.epoch;
    this.plan.exts = this.plan.exts.filter((e) => e.epoch === ep);
    this.extMap.clear();
    for (const e of this.plan.exts) this.extMap.set(e.obj, e);
  }

  requiresGrad(v: Val): boolean {
    if (v instanceof Ext) return v.requiresGrad;
    const n = (v as ATensor).node;
    return n !== null && n !== undefined && n.requiresGrad && n.out === v;
  }

  // ---- replay ----------------------------------------------------------------------------

  replay(op: OpDef, raws: readonly Input[], attrs: any): ATensor | IndexTensor | null {
    const n = raws.length, plan = this.plan;
    let vals: readonly unknown[] = raws;
    for (let j = 0; j < n; j++) {
      const r = raws[j];
      if (typeof r === 'object' && (r instanceof ATensor || r instanceof Ext || r instanceof Tensor || r instanceof IndexTensor)) continue;
      // numbers and arrays are constant nodes recorded just before this op
      const conv = vals === raws ? raws.slice() : (vals as unknown[]);
      for (let i = j; i < n; i++) {
        const q = raws[i];
        if (typeof q === 'object' && (q instanceof ATensor || q instanceof Ext || q instanceof Tensor || q instanceof IndexTensor)) continue;
        const c = this.replayConst(q, op, i);
        if (c === null) return null;
        conv[i] = c;
      }
      vals = conv;
      break;
    }
    const node = plan.nodes[this.cursor];
    if (node === undefined || node.op !== op || node.inputs.length !== n || this.cursor >= this.fwdLimit()) {
      this.fallback();
      return null;
    }
    const ep = plan.epoch;
    for (let j = 0; j < n; j++) {
      const v = vals[j], e = node.inputs[j];
      if (v === e) continue;
      if (e instanceof Ext && !((v instanceof ATensor || v instanceof IndexTensor) && v.plan !== null)) {
        const t = v as Tensor | IndexTensor;
        if (e.epoch === ep) {
          if (e.obj === t) continue;
        } else if ((t instanceof Tensor || t instanceof IndexTensor) && !t.disposed && e.accepts(t) && deviceOfValue(t) === plan.device) {
          e.obj = t;
          e.epoch = ep;
          continue;
        }
      }
      this.fallback();
      return null;
    }
    if (!sameAttrs(op, node.attrs, attrs)) {
      this.fallback();
      return null;
    }
    if (op.dynamic !== undefined) for (const key of op.dynamic) node.attrs[key] = attrs[key];
    this.cursor++;
    this.exec(node);
    return node.out;
  }

  private fwdLimit(): number {
    return this.plan.fwdEnd < 0 ? Infinity : this.plan.fwdEnd;
  }

  private replayConst(r: Input, op: OpDef, j: number, kind: OpDef = CONST): Val | null {
    const want = wantOf(op, j);
    const c = constOf(r, want, op, j);
    const node = this.plan.nodes[this.cursor];
    if (node !== undefined && node.op === kind && this.cursor < this.fwdLimit() &&
      node.attrs.dtype === c.dtype && sameShape(node.attrs.shape, c.shape)) {
      node.attrs.data = c.data;
      this.cursor++;
      this.exec(node);
      return node.out;
    }
    this.fallback();
    return null;
  }

  /**
   * A number or array as a value of the plan: a constant node (LEAF: one gradients are taken with
   * respect to), replayed when it matches, recorded otherwise.
   */
  constant(r: Input, kind: OpDef, want: DType, name: string): Val {
    const op: OpDef = { ...kind, args: [name], indexArgs: want === 'i32' ? [0] : undefined };
    if (this.replaying) {
      const v = this.replayConst(r, op, 0, kind);
      if (v !== null) return v;
    }
    const c = constOf(r, want, op, 0);
    return this.record(kind, [], { shape: c.shape, dtype: c.dtype, data: c.data }) as Val;
  }

  /** A user tensor as a value of the plan (record mode), checking it lives on the plan's device. */
  external(obj: Tensor | IndexTensor, op: OpDef, j: number): Ext {
    if (obj.disposed) throw disposedInput(op, j);
    return this.extFor(obj);
  }

  /** Runs a node's kernels (and the NaN check when asked). */
  exec(node: Node): void {
    node.op.run(this.k, node, this.plan.device);
    if (this.checkNaN && node.out !== null && node.out.dtype === 'f32' && node.out.size > 0) {
      const i = this.k.f32_find_nonfinite(node.out.ptr, node.out.size);
      if (i >= 0) {
        const v = this.plan.device.f32()[(node.out.ptr >>> 2) + i];
        const where = node.origin === null ? `the forward of ${node.op.name}` : `the backward of ${node.origin} (its ${node.op.name})`;
        throw new RangeError(`checkNaN: ${where} produced ${v} at element ${i} of its [${node.out.shape.join(', ')}] output`);
      }
    }
  }

  // ---- record ----------------------------------------------------------------------------

  toVal(r: Input, op: OpDef, j: number): Val {
    if (r instanceof Ext) return r;
    if (r instanceof ATensor || r instanceof IndexTensor) {
      if (r.plan !== null) {
        if (r.plan === this.plan) return r;
        throw foreignIntermediate(op, j, r.plan);
      }
    }
    const want = wantOf(op, j);
    if (r instanceof Tensor || r instanceof IndexTensor) {
      checkDtype(r instanceof IndexTensor ? 'i32' : 'f32', want, op, j);
      if (r.disposed) throw disposedInput(op, j);
      return this.extFor(r);
    }
    const c = constOf(r, want, op, j);
    return this.record(CONST, [], { shape: c.shape, dtype: c.dtype, data: c.data }) as Val;
  }

  record(op: OpDef, raws: readonly Input[], attrs: any): ATensor | IndexTensor {
    const vals = raws.map((r, j) => this.toVal(r, op, j));
    const inf = op.infer(vals, attrs);
    const plan = this.plan, dev = plan.device, blocks: number[] = [];
    let out: ATensor | IndexTensor | null = null;
    try {
      if (inf.shape !== null) {
        const size = prod(inf.shape);
        const dtype = inf.dtype ?? 'f32';
        if (op.view) out = new ATensor(dev, inf.shape, size, new ViewStorage(vals[0], dev, size), 'tensor');
        else out = planValue(plan, dtype, inf.shape, size, blocks);
      }
      const saved = (inf.saved ?? []).map((s) => planValue(plan, s.dtype, s.shape ?? [s.size], s.size, blocks));
      const rg = op.leaf === true || (!this.noGrad && op.vjp !== undefined && vals.some((v) => this.requiresGrad(v)));
      const node = new Node(op, vals, attrs, out, saved, rg, this.origin, blocks, inf.cache);
      if (out !== null) {
        out.node = node;
        out.plan = plan;
      }
      for (const s of saved) (s as ATensor).plan = plan;
      plan.nodes.push(node);
      this.cursor = plan.nodes.length;
      this.exec(node);
      return out as ATensor;
    } catch (e) {
      if (plan.nodes[plan.nodes.length - 1]?.blocks !== blocks) for (const p of blocks) dev.free(p);
      throw e;
    }
  }
}

function planValue(plan: Plan, dtype: DType, shape: number[], size: number, blocks: number[]): ATensor | IndexTensor {
  const dev = plan.device, p = dev.alloc(size * 4);
  blocks.push(p);
  if (dtype === 'i32') {
    const st: IntStorage = { ptr: p, length: size, get freed() { return plan.disposed; }, free() {} };
    const it = new IndexTensor(dev, shape, st);
    it.plan = plan;
    return it;
  }
  return new ATensor(dev, shape, size, new PlanStorage(plan, p, size), 'tensor');
}

/** The device whose memory holds a tensor. */
export function deviceOfValue(t: Tensor | IndexTensor): Device {
  return t instanceof ATensor || t instanceof IndexTensor ? t.device : deviceOf(t.backend);
}

function checkDevice(t: Tensor | IndexTensor, dev: Device): void {
  const d = deviceOfValue(t);
  if (d !== dev) {
    throw new Error(`descent: a tensor of the ${d.name} device was used in a computation on the ${dev.name} device; ` +
      'create it again after init() (or inside the float64 device), where the computation runs');
  }
}

function isInternal(r: unknown, plan: Plan): boolean {
  return r instanceof Ext || ((r instanceof ATensor || r instanceof IndexTensor) && r.plan === plan);
}

let current: Trace | null = null;

/** The trace of the running step, if any. */
export function currentTrace(): Trace | null {
  return current;
}

/** Runs fn with `t` as the current trace (restoring the previous one after). */
export function withTrace<T>(t: Trace | null, fn: () => T): T {
  const prev = current;
  current = t;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Calls an op: eagerly outside a step, recorded or replayed inside one. */
export function apply(op: OpDef, raws: readonly Input[], attrs?: any): ATensor {
  const t = current;
  if (t === null) return eager(op, raws, attrs) as ATensor;
  if (t.replaying) {
    const r = t.replay(op, raws, attrs);
    if (r !== null) return r as ATensor;
  }
  return t.record(op, raws, attrs) as ATensor;
}

// ---- eager ---------------------------------------------------------------------------------

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<{ free(): void }>((s) => s.free())
  : null;

/** Frees an eager result's block when the tensor is garbage-collected. */
function track<T extends object>(t: T, s: { free(): void }): T {
  registry?.register(t, s);
  return t;
}

function eager(op: OpDef, raws: readonly Input[], attrs: any): ATensor | IndexTensor | null {
  const dev = currentDevice();
  const temps: { free(): void }[] = [];
  const tempVals = new Set<Val>();
  try {
    const vals = raws.map((r, j) => eagerVal(r, op, j, dev, temps, tempVals));
    const inf = op.infer(vals, attrs);
    let out: ATensor | IndexTensor | null = null;
    const copyView = op.view === true && tempVals.has(vals[0]);
    if (inf.shape !== null) {
      const size = prod(inf.shape);
      if ((inf.dtype ?? 'f32') === 'i32') out = newIndexTensor(dev, inf.shape, size);
      else if (op.view && !copyView) out = new ATensor(dev, inf.shape, size, new ViewStorage(vals[0], dev, size), 'tensor');
      else {
        const st = dev.storage(size, 'tensor');
        out = track(new ATensor(dev, inf.shape, size, st, 'tensor'), st);
      }
    }
    const saved = (inf.saved ?? []).map((s) => {
      const st = dev.storage(s.size, 'workspace');
      temps.push(st);
      return { ptr: st.ptr, shape: s.shape ?? [s.size], size: s.size, dtype: s.dtype } as Val;
    });
    const node = new Node(op, vals, attrs, out, saved, false, null, [], inf.cache);
    try {
      if (copyView) dev.k.f32_copy(out!.ptr, vals[0].ptr, out!.size);
      else op.run(dev.k, node, dev);
    } catch (e) {
      if (out !== null && !op.view) out.dispose(); // refused (an index out of range): nothing stays allocated
      throw e;
    }
    return out;
  } finally {
    for (const t of temps) t.free();
  }
}

function eagerVal(r: Input, op: OpDef, j: number, dev: Device, temps: { free(): void }[], tempVals: Set<Val>): Val {
  if (r instanceof Ext) return r;
  if (r instanceof ATensor || r instanceof IndexTensor) {
    if (r.plan !== null) throw foreignIntermediate(op, j, r.plan);
  }
  const want = wantOf(op, j);
  if (r instanceof Tensor || r instanceof IndexTensor) {
    checkDtype(r instanceof IndexTensor ? 'i32' : 'f32', want, op, j);
    if (r.disposed) throw disposedInput(op, j);
    checkDevice(r, dev);
    return new Ext(r, 0, false);
  }
  const c = constOf(r, want, op, j);
  const size = prod(c.shape);
  let v: Val;
  if (c.dtype === 'i32') {
    const it = newIndexTensor(dev, c.shape, size);
    temps.push({ free: () => it.dispose() });
    v = it;
  } else {
    const st = dev.storage(size, 'constant');
    temps.push(st);
    v = new ATensor(dev, c.shape, size, st, 'constant');
  }
  writeConst(dev, v.ptr, c);
  tempVals.add(v);
  return v;
}

/** A new eager index tensor (freed by dispose() or when collected). */
export function newIndexTensor(dev: Device, shape: readonly number[], size: number): IndexTensor {
  const p = dev.alloc(size * 4);
  let live = true;
  const st: IntStorage = {
    ptr: p, length: size,
    get freed() { return !live; },
    free() {
      if (live) {
        live = false;
        dev.free(p);
      }
    },
  };
  return track(new IndexTensor(dev, shape, st), st);
}

// ---- constants -----------------------------------------------------------------------------

export interface ConstData {
  shape: number[];
  dtype: DType;
  /** A number (fills), or flat values. */
  data: number | ArrayLike<number>;
}

function wantOf(op: OpDef, j: number): DType {
  return op.indexArgs !== undefined && op.indexArgs.includes(j) ? 'i32' : 'f32';
}

/** Validates numbers or (nested) arrays as a constant of dtype `want`: shape, flat data. */
export function constOf(r: Input, want: DType, op: OpDef, j: number): ConstData {
  if (typeof r === 'number') {
    if (want === 'i32') checkIndexValue(r, op, j, 0);
    return { shape: [], dtype: want, data: r };
  }
  if (r instanceof Int32Array || r instanceof Uint8Array || r instanceof Uint16Array || r instanceof Int16Array || r instanceof Int8Array || r instanceof Uint32Array) {
    if (want === 'f32') {
      throw new TypeError(`${op.name}: argument ${argName(op, j)} is integer data (${r.constructor.name}) where a float tensor is needed; pass a Float32Array or numbers`);
    }
    return { shape: [r.length], dtype: 'i32', data: r };
  }
  if (r instanceof Float32Array || r instanceof Float64Array) {
    if (want === 'i32') throw notIndices(op, j, r.constructor.name);
    return { shape: [r.length], dtype: 'f32', data: r };
  }
  if (Array.isArray(r)) {
    const shape: number[] = [];
    let a: unknown = r;
    while (Array.isArray(a)) {
      shape.push(a.length);
      a = a[0];
    }
    const flat: number[] = [];
    flatten(r, 0, shape, flat, op, j);
    if (want === 'i32') flat.forEach((v, i) => checkIndexValue(v, op, j, i));
    return { shape, dtype: want, data: flat };
  }
  throw new TypeError(
    `${op.name}: argument ${argName(op, j)} must be a tensor, a number or an array of numbers, got ${describe(r)}`,
  );
}

function flatten(a: unknown, d: number, shape: number[], out: number[], op: OpDef, j: number): void {
  if (d === shape.length) {
    if (typeof a !== 'number') throw new TypeError(`${op.name}: argument ${argName(op, j)} holds ${describe(a)} where a number belongs; pass numbers in a rectangular (nested) array`);
    out.push(a);
    return;
  }
  if (!Array.isArray(a) || a.length !== shape[d]) {
    throw new RangeError(`${op.name}: argument ${argName(op, j)} is a ragged nested array (dimension ${d} should have length ${shape[d]}); pass a rectangular array`);
  }
  for (const x of a) flatten(x, d + 1, shape, out, op, j);
}

function checkIndexValue(v: number, op: OpDef, j: number, i: number): void {
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new TypeError(`${op.name}: argument ${argName(op, j)} must hold whole-number indices, element ${i} is ${v}`);
  }
}

function writeConst(dev: Device, ptr: number, c: ConstData): void {
  const i = ptr >>> 2;
  const view = c.dtype === 'i32' ? dev.i32() : dev.f32();
  if (typeof c.data === 'number') view[i] = c.data;
  else view.set(c.data as ArrayLike<number>, i);
}

/** A constant: a number or array copied in on every run (the data is refreshed on replay). */
export const CONST: OpDef = {
  name: 'constant',
  args: [],
  dynamic: ['data'],
  infer: (_v, a) => ({ shape: a.shape, dtype: a.dtype }),
  run(_k, node, dev) {
    const c = node.attrs as ConstData;
    if (typeof c.data === 'number') {
      const view = c.dtype === 'i32' ? dev.i32() : dev.f32();
      const i = node.out!.ptr >>> 2;
      view.fill(c.data, i, i + node.out!.size);
    } else writeConst(dev, node.out!.ptr, c);
  },
};

/** An argument given as numbers that gradients are taken with respect to. */
export const LEAF: OpDef = { ...CONST, name: 'argument', leaf: true, vjp: () => [] };

// ---- helpers -------------------------------------------------------------------------------

/** Throws a RangeError unless every index of v is in [0, limit) (kernels read only checked indices). */
export function checkIndices(dev: Device, v: Val, limit: number, message: (i: number, c: number) => string): void {
  const view = dev.i32(), i0 = v.ptr >>> 2;
  for (let i = 0; i < v.size; i++) {
    const c = view[i0 + i];
    if (c < 0 || c >= limit) throw new RangeError(message(i, c));
  }
}

export function prod(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

function sameAttrs(op: OpDef, a: any, b: any): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  for (const key in a) {
    if (op.dynamic !== undefined && op.dynamic.includes(key)) continue;
    const x = a[key], y = b[key];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i])) continue;
    return false;
  }
  for (const key in b) if (!(key in a)) return false;
  return true;
}

export function argName(op: OpDef, j: number): string {
  return op.args[Math.min(j, op.args.length - 1)] ?? `#${j}`;
}

function checkDtype(have: DType, want: DType, op: OpDef, j: number): void {
  if (have === want) return;
  if (want === 'f32') {
    throw new TypeError(`${op.name}: argument ${argName(op, j)} is an integer (index) tensor where a float tensor is needed; indices only go to cross_entropy targets and embedding`);
  }
  throw notIndices(op, j, 'a float tensor');
}

function notIndices(op: OpDef, j: number, what: string): TypeError {
  return new TypeError(`${op.name}: argument ${argName(op, j)} must be indices (an IndexTensor from indexTensor(), an Int32Array or an array of whole numbers), got ${what}`);
}

function disposedInput(op: OpDef, j: number): Error {
  return new Error(`${op.name}: argument ${argName(op, j)} was disposed; create it again`);
}

function foreignIntermediate(op: OpDef, j: number, plan: Plan): Error {
  if (plan.closed) return new Error(`${op.name}: argument ${argName(op, j)}: ${endedMessage('tensor')}`);
  return new Error(`${op.name}: argument ${argName(op, j)} is an intermediate of another running step; steps cannot share intermediates`);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
