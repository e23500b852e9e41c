/**
 * Tensors and parameters: f32 vectors living in the backend's memory, seen through zero-copy views.
 * `t.data` is a Float32Array over linear memory: writing `t.data[i]` is what the next kernel reads,
 * with no copy. The getter rebuilds the view after memory growth, so read `t.data` again rather
 * than keeping an old view across allocations.
 */
import type { Backend } from './backend/index.js';
import { getBackend } from './init.js';
import { F32Buffer } from './memory/f32-buffer.js';

/** An f32 vector in the running backend's memory. */
export class Tensor {
  /** The backend whose memory holds this tensor. */
  readonly backend: Backend;
  private readonly buf: F32Buffer;
  private readonly what: string;

  /** Use `tensor()`; this constructor is for subclasses in the library. */
  constructor(size: number, what = 'tensor') {
    this.backend = getBackend();
    this.what = what;
    this.buf = new F32Buffer(this.backend.arena, checkSize(size, what), what);
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

  constructor(size: number, name?: string) {
    super(size, name ? `parameter '${name}'` : 'parameter');
    this.gradTensor = new Tensor(size, name ? `gradient of '${name}'` : 'gradient');
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
export function param(init: number | ArrayLike<number>, options: { name?: string } = {}): Param {
  const values = toValues(init, 'param(init)');
  const p = new Param(values.length, options.name);
  if (values.length) p.data.set(values);
  return p;
}

/** A parameter of `size` zeros. */
param.zeros = function zeros(size: number, options: { name?: string } = {}): Param {
  return new Param(checkSize(size, 'param.zeros(size)'), options.name);
};

/**
 * Creates a tensor (an f32 vector without gradient) in the running backend's memory.
 * @example
 * const t = tensor([1, 2, 3]);
 * t.data; // Float32Array [1, 2, 3], a view into linear memory
 */
export function tensor(init: number | ArrayLike<number>): Tensor {
  const values = toValues(init, 'tensor(init)');
  const t = new Tensor(values.length);
  if (values.length) t.data.set(values);
  return t;
}

/** A tensor of `size` zeros. */
tensor.zeros = function zeros(size: number): Tensor {
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

function checkSize(size: number, what: string): number {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`${what} must be a whole number >= 0, got ${size}`);
  return size;
}

function disposedError(what: string): Error {
  return new Error(`descent: this ${what} was disposed; create a new one`);
}
