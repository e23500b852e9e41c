/**
 * Tensors and parameters: f32 vectors living in the backend's memory, seen through zero-copy views.
 * `t.data` is a Float32Array over linear memory: writing `t.data[i]` is what the next kernel reads,
 * with no copy. The getter rebuilds the view after memory growth, so read `t.data` again rather
 * than keeping an old view across allocations.
 */
import type { Backend } from './backend/index.js';
import { getBackend } from './init.js';
import { F32Buffer } from './memory/f32-buffer.js';

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

/** f32 values with a shape (row-major, contiguous) in the running backend's memory. */
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

  /** Zero-copy view of the values (rebuilt after memory growth). */
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

  /** Copies `values` in (same length). */
  copyFrom(values: ArrayLike<number>): this {
    if (values.length !== this.size) {
      throw new RangeError(`copyFrom(values): values has length ${values.length}, this ${this.what} has ${this.size}; pass exactly ${this.size} values`);
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

/** A trainable parameter: values (`data`) and their gradient (`grad`), both zero-copy views. */
export class Param extends Tensor {
  /** The gradient, same size as the values. */
  readonly gradTensor: Tensor;
  /** An optional name, shown in error messages and state dicts. */
  name: string | undefined;

  constructor(size: number, name?: string, shape?: readonly number[]) {
    super(size, name ? `parameter '${name}'` : 'parameter', shape);
    this.gradTensor = new Tensor(size, name ? `gradient of '${name}'` : 'gradient', shape);
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
    this.grad.fill(0);
  }

  override dispose(): void {
    super.dispose();
    this.gradTensor.dispose();
  }
}

/**
 * Creates a parameter in the running backend's memory, with a zeroed gradient.
 * @param init a number gives a one-element parameter with that value; an array (or typed array)
 *   gives a parameter with those values (copied once, in float32).
 * @example
 * await init();
 * const x = param([3, -1]);
 * x.data[0] = 2.5; // zero-copy: the next kernel sees 2.5
 * x.grad;          // Float32Array [0, 0]
 */
export function param(init: number | ArrayLike<number>, options: { name?: string; shape?: readonly number[] } = {}): Param {
  const values = toValues(init, 'param(init)');
  const p = new Param(values.length, options.name, checkShape(options.shape, values.length, 'param(init, { shape })'));
  if (values.length) p.data.set(values);
  return p;
}

/** A parameter of zeros: `size` elements, or a shape such as `[784, 128]`. */
param.zeros = function zeros(size: number | readonly number[], options: { name?: string } = {}): Param {
  if (typeof size !== 'number') return new Param(shapeSize(size, 'param.zeros(shape)'), options.name, size.slice());
  return new Param(checkSize(size, 'param.zeros(size)'), options.name);
};

/**
 * Creates a tensor (an f32 vector without gradient) in the running backend's memory.
 * @example
 * const t = tensor([1, 2, 3]);
 * t.data; // Float32Array [1, 2, 3], a view into linear memory
 */
export function tensor(init: number | ArrayLike<number>, options: { shape?: readonly number[] } = {}): Tensor {
  const values = toValues(init, 'tensor(init)');
  const t = new Tensor(values.length, 'tensor', checkShape(options.shape, values.length, 'tensor(init, { shape })'));
  if (values.length) t.data.set(values);
  return t;
}

/** A tensor of `size` zeros. */
tensor.zeros = function zeros(size: number | readonly number[]): Tensor {
  if (typeof size !== 'number') return new Tensor(shapeSize(size, 'tensor.zeros(shape)'), 'tensor', size.slice());
  return new Tensor(checkSize(size, 'tensor.zeros(size)'));
};

function toValues(init: number | ArrayLike<number>, what: string): ArrayLike<number> {
  if (typeof init === 'number') {
    if (Number.isNaN(init)) throw new TypeError(`${what}: the value is NaN; pass a finite number or an array of numbers`);
    return [init];
  }
  if (init === null || typeof init !== 'object' || typeof (init as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${what} takes a number or an array of numbers, got ${init === null ? 'null' : typeof init}`);
  }
  for (let i = 0; i < init.length; i++) {
    if (typeof init[i] !== 'number' || Number.isNaN(init[i])) {
      throw new TypeError(`${what}: element ${i} is ${String(init[i])}; every element must be a number (not NaN)`);
    }
  }
  return init;
}

/** The element count of a shape (each dimension a whole number >= 0). */
export function shapeSize(shape: readonly number[], what: string): number {
  if (!Array.isArray(shape)) throw new TypeError(`${what} must be an array of whole numbers, got ${typeof shape}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${what}: [${shape.join(', ')}] has a dimension ${d}; every dimension must be a whole number >= 0`);
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

function checkSize(size: number, what: string): number {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`${what} must be a whole number >= 0, got ${size}`);
  return size;
}

function disposedError(what: string): Error {
  return new Error(`descent: this ${what} was disposed; create a new one`);
}
