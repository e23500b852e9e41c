/**
 * Tensors and parameters: f32 vectors living in the backend's memory, seen through zero-copy views.
 * `t.data` is a Float32Array over linear memory: writing `t.data[i]` is what the next kernel reads,
 * with no copy.
 *
 * What is guaranteed: the getters `t.data`, `p.grad` (and an optimizer's `state(p)`) return a live
 * view every time they are read, rebuilt after the memory has grown. What is not: a Float32Array
 * kept in a variable. Any allocation may grow the memory (a new tensor, model or optimizer, a first
 * call with a larger batch), and growth detaches every earlier view: it then reads as empty
 * (length 0) and writes to it are silently lost (the JavaScript engine gives no error). Read
 * `t.data` again after anything that may allocate. descent refuses a detached view passed to it
 * (copyFrom, param, tensor, models, losses) with a TypeError that says so.
 */
import type { Backend } from './backend/index.js';
import { getBackend } from './init.js';
import { F32Buffer } from './memory/f32-buffer.js';
import { assertAttached, describe } from './util/describe.js';
import { checkOptions, COUNT0, type Rule, type Rules } from './util/options.js';

/**
 * Where a tensor's values live: an arena block (F32Buffer) or a block another owner manages (an
 * autodiff plan, a view of another tensor). `freed` turns true when the values may no longer be read.
 */
export interface TensorStorage {
  readonly ptr: number;
  readonly length: number;
  readonly freed: boolean;
  readonly view: Float32Array;
  free(): void;
}

/**
 * f32 values with a shape (row-major, contiguous; default `[size]`) in the running backend's memory,
 * made by {@link tensor} (values), `tensor.zeros(n or shape)` or the autodiff ops. `data` is a live
 * zero-copy view; `dispose()` frees the memory.
 * @example
 * const t = tensor([1, 2, 3]);
 * t.data[0] = 5;     // the next kernel reads 5
 * t.toArray();       // Float32Array [5, 2, 3], a copy
 * t.dispose();
 */
export class Tensor {
  /** The backend whose memory holds this tensor. */
  readonly backend: Backend;
  /** The dimensions, row-major (default `[size]`; `[]` for a scalar). */
  readonly shape: readonly number[];
  private readonly buf: TensorStorage;
  private readonly what: string;

  /** Use `tensor()`; this constructor is for subclasses in the library (`storage`: values owned elsewhere). */
  constructor(size: number, what = 'tensor', shape?: readonly number[], storage?: TensorStorage) {
    this.backend = getBackend();
    this.what = what;
    this.buf = storage ?? new F32Buffer(this.backend.arena, checkSize(size, what), what);
    this.shape = shape ?? [size];
  }

  /** Number of elements. */
  get size(): number {
    return this.buf.length;
  }

  /**
   * Zero-copy view of the values, live whenever it is read (rebuilt after memory growth). Do not keep
   * it across anything that may allocate: growth detaches it, and writes to a detached view are lost.
   */
  get data(): Float32Array {
    if (this.buf.freed) throw disposedError(this.what);
    return this.buf.view;
  }

  /** Byte address of the values in linear memory, for kernels. */
  get ptr(): number {
    if (this.buf.freed) throw disposedError(this.what);
    return this.buf.ptr;
  }

  get disposed(): boolean {
    return this.buf.freed;
  }

  /** A copy of the values in an ordinary Float32Array (survives dispose and memory growth). */
  toArray(): Float32Array {
    return this.data.slice();
  }

  /**
   * Copies `values` in (an array or typed array of exactly `size` numbers). A view whose memory was
   * detached (a `Float32Array` kept from before the memory grew) is refused with a TypeError, since it
   * reads as empty.
   * @example
   * const t = tensor.zeros(2);
   * t.copyFrom([1, 2]); // t.data → Float32Array [1, 2]
   */
  copyFrom(values: ArrayLike<number>): this {
    const fn = `copyFrom(values)`;
    const n = checkNumbers(values, fn, 'values', false);
    if (n !== this.size) {
      throw new RangeError(`${fn}: values has length ${n}, this ${this.what} has ${this.size}; pass exactly ${this.size} values`);
    }
    this.data.set(values);
    return this;
  }

  /** Frees the memory. Using the tensor afterwards throws; disposing twice does nothing. */
  dispose(): void {
    this.buf.free();
  }

  /** Throws unless this tensor belongs to the running backend (init() may have switched it). */
  assertLive(role = this.what): void {
    if (this.buf.freed) throw disposedError(role);
    const b = getBackend();
    if (b !== this.backend) {
      throw new Error(
        `descent: this ${role} was created on the ${this.backend.name} backend, which init() has since replaced with ${b.name}; create it again`,
      );
    }
  }
}

/**
 * A trainable parameter: values (`data`) and their gradient (`grad`), both zero-copy views, made by
 * {@link param} or `param.zeros(n)`. Optimizers update `data` from `grad`.
 * @example
 * const w = param([1, 2], { name: 'w' });
 * w.grad.set([0.5, -0.5]);
 * w.zeroGrad();      // w.grad → Float32Array [0, 0]
 */
export class Param extends Tensor {
  /** The gradient, same size as the values. */
  readonly gradTensor: Tensor;
  /** An optional name, shown in error messages and state dicts. */
  name: string | undefined;

  constructor(size: number, name?: string, shape?: readonly number[]) {
    super(size, name ? `parameter '${name}'` : 'parameter', shape);
    try {
      this.gradTensor = new Tensor(size, name ? `gradient of '${name}'` : 'gradient', shape);
    } catch (e) {
      super.dispose(); // out of memory for the gradient: give back the values' block
      throw e;
    }
    this.name = name;
  }

  /** Zero-copy view of the gradient. */
  get grad(): Float32Array {
    return this.gradTensor.data;
  }

  /** Byte address of the gradient in linear memory. */
  get gradPtr(): number {
    return this.gradTensor.ptr;
  }

  /** Sets the gradient to zero. */
  zeroGrad(): void {
    // the fill kernel: TypedArray.fill over shared memory (threads) stores element by element, ~8x slower
    const g = this.gradTensor;
    this.backend.k.f32_fill(g.ptr, 0, g.size);
  }

  override dispose(): void {
    super.dispose();
    this.gradTensor.dispose();
  }
}

const NAME_OPTIONS: Rules = { name: { kind: 'string', fix: "Pass a name such as 'weight', or leave it out." } };
const SHAPE_RULE: Rule = { kind: 'array', item: COUNT0, fix: 'Pass the dimensions, e.g. [784, 128].' };
const PARAM_OPTIONS: Rules = { ...NAME_OPTIONS, shape: SHAPE_RULE };

/**
 * Creates a parameter in the running backend's memory, with a zeroed gradient.
 * @param init a number gives a one-element parameter with that value; an array (or typed array)
 *   gives a parameter with those values (copied once, in float32). Every value must be a finite
 *   number: NaN and ±Infinity are refused (a TypeError naming the element).
 * @param options `name`: shown in messages and state dicts (default none); `shape`: the dimensions
 *   (default `[values.length]`), e.g. `{ shape: [2, 3] }` for six values.
 * @example
 * await init();
 * const x = param([3, -1]);
 * x.data[0] = 2.5; // zero-copy: the next kernel sees 2.5
 * x.grad;          // Float32Array [0, 0]
 */
export function param(init: number | ArrayLike<number>, options: { name?: string; shape?: readonly number[] } = {}): Param {
  const o = checkOptions('param', options, PARAM_OPTIONS);
  const values = toValues(init, 'param(init)');
  const p = new Param(values.length, o.name, checkShape(o.shape, values.length, 'param(init, { shape })'));
  if (values.length) p.data.set(values);
  return p;
}

/**
 * A parameter of zeros: `size` elements, or a shape such as `[784, 128]`.
 * @example
 * param.zeros(3, { name: 'bias' }).data; // Float32Array [0, 0, 0]
 * param.zeros([2, 3]).shape;             // [2, 3]
 */
param.zeros = function zeros(size: number | readonly number[], options: { name?: string } = {}): Param {
  const o = checkOptions('param.zeros', options, NAME_OPTIONS);
  if (Array.isArray(size)) return new Param(shapeSize(size, 'param.zeros(shape)'), o.name, size.slice());
  return new Param(checkSize(size, 'param.zeros(size)'), o.name);
};

/**
 * Creates a tensor (an f32 vector without gradient) in the running backend's memory. Values as
 * {@link param}: finite numbers, copied once.
 * @example
 * const t = tensor([1, 2, 3]);
 * t.data; // Float32Array [1, 2, 3], a view into linear memory
 */
export function tensor(init: number | ArrayLike<number>, options: { shape?: readonly number[] } = {}): Tensor {
  const o = checkOptions('tensor', options, { shape: SHAPE_RULE });
  const values = toValues(init, 'tensor(init)');
  const t = new Tensor(values.length, 'tensor', checkShape(o.shape, values.length, 'tensor(init, { shape })'));
  if (values.length) t.data.set(values);
  return t;
}

/**
 * A tensor of zeros: `size` elements, or a shape such as `[2, 3]`.
 * @example
 * tensor.zeros(4).size; // 4
 */
tensor.zeros = function zeros(size: number | readonly number[]): Tensor {
  if (Array.isArray(size)) return new Tensor(shapeSize(size, 'tensor.zeros(shape)'), 'tensor', size.slice());
  return new Tensor(checkSize(size as number, 'tensor.zeros(size)'));
};

/**
 * Checks that `v` is an array or typed array of numbers (finite ones when `finite`) whose memory is
 * not detached, and returns its length. Messages name `fn`, `arg`, the element and its value.
 */
export function checkNumbers(v: unknown, fn: string, arg: string, finite: boolean): number {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${arg} must be an array or typed array of numbers, got ${describe(v)}; pass e.g. [1, 2, 3] or a Float32Array`);
  }
  assertAttached(v, fn, arg);
  const a = v as ArrayLike<unknown>;
  if ((v instanceof Float32Array || v instanceof Float64Array) && !finite) return a.length;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new TypeError(`${fn}: ${arg}[${i}] is ${describe(x)}; every element must be a number`);
    if (finite && !Number.isFinite(Math.fround(x))) {
      const why = Number.isFinite(x) ? ', too large for float32' : '';
      throw new TypeError(`${fn}: ${arg}[${i}] is ${describe(x)}${why}; every element must be a finite number (not NaN or ±Infinity)`);
    }
  }
  return a.length;
}

function toValues(init: number | ArrayLike<number>, what: string): ArrayLike<number> {
  if (typeof init === 'number') {
    if (!Number.isFinite(Math.fround(init))) throw new TypeError(`${what}: the value is ${describe(init)}${Number.isFinite(init) ? ', too large for float32' : ''}; pass a finite number or an array of numbers`);
    return [init];
  }
  if (init === null || typeof init !== 'object') {
    throw new TypeError(`${what} takes a number or an array of numbers, got ${describe(init)}`);
  }
  checkNumbers(init, what, 'init', true);
  return init;
}

/** The element count of a shape (each dimension a whole number >= 0). */
export function shapeSize(shape: readonly number[], what: string): number {
  if (!Array.isArray(shape)) throw new TypeError(`${what} must be an array of whole numbers, got ${describe(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${what}: [${shape.join(', ')}] has a dimension ${describe(d)}; every dimension must be a whole number >= 0`);
    n *= d;
  }
  return n;
}

function checkShape(shape: readonly number[] | undefined, size: number, what: string): readonly number[] | undefined {
  if (shape === undefined) return undefined;
  const n = shapeSize(shape, what);
  if (n !== size) throw new RangeError(`${what}: shape [${shape.join(', ')}] holds ${n} elements but ${size} values were given; pass a shape whose product is ${size}`);
  return shape.slice();
}

function checkSize(size: unknown, what: string): number {
  if (typeof size !== 'number') throw new TypeError(`${what} must be a whole number >= 0, got ${describe(size)}`);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`${what} must be a whole number >= 0, got ${describe(size)}`);
  return size;
}

function disposedError(what: string): Error {
  return new Error(`descent: this ${what} was disposed; create a new one`);
}
