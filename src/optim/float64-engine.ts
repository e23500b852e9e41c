/**
 * The float64 path of the optimizers: `Float64Engine` runs the same optimizer classes and the same
 * references (src/ref/optim/, with identity rounding) over a Float64Array: the float64 path of
 * `minimize` (below its kernel threshold) and of the conformance runner for torch's float64 cases;
 * its kernels come from src/backend/, the one place that binds kernels. Apart from src/optim/engine.ts
 * so that a program that only builds optimizers on a Wasm backend never loads the references.
 */
import { createFloat64OptimKernels } from '../backend/float64.js';
import type { Param } from '../tensor.js';
import type { Engine, EngineKernels, StateBuffer } from './engine.js';

class F64Heap {
  f32: Float64Array;
  top = 4; // element 0..3 never handed out, so no pointer is 0
  constructor(capacity: number) {
    this.f32 = new Float64Array(Math.max(64, capacity));
  }
  refresh(): this {
    return this;
  }
  alloc(n: number): number {
    const start = this.top;
    if (start + n > this.f32.length) {
      const grown = new Float64Array(Math.max(2 * this.f32.length, start + n));
      grown.set(this.f32);
      this.f32 = grown;
    }
    this.top = start + n;
    return start * 4; // byte-like address: the references index with ptr >>> 2
  }
}

class F64Buffer implements StateBuffer {
  disposed = false;
  constructor(protected readonly heap: F64Heap, readonly ptr: number, readonly size: number) {}
  get data(): Float64Array {
    const i = this.ptr >>> 2;
    return this.heap.f32.subarray(i, i + this.size);
  }
  dispose(): void {
    this.disposed = true; // a bump heap: memory goes with the engine
  }
}

/** A float64 parameter of a Float64Engine: `data` and `grad` are Float64Array views. */
export class F64Param extends F64Buffer {
  readonly gradPtr: number;
  name: string | undefined = undefined;
  constructor(heap: F64Heap, values: ArrayLike<number>) {
    super(heap, heap.alloc(values.length), values.length);
    this.gradPtr = heap.alloc(values.length);
    this.data.set(values);
  }
  get grad(): Float64Array {
    const i = this.gradPtr >>> 2;
    return this.heap.f32.subarray(i, i + this.size);
  }
}

/** Float64 state and parameters over one growable Float64Array, kernels = the references in float64. */
export class Float64Engine implements Engine {
  readonly dtype = 'float64' as const;
  private readonly heap: F64Heap;
  private readonly k: EngineKernels;

  constructor(capacity = 1024) {
    this.heap = new F64Heap(capacity);
    this.k = createFloat64OptimKernels(this.heap);
  }
  kernels(): EngineKernels {
    return this.k;
  }
  alloc(n: number): StateBuffer {
    return new F64Buffer(this.heap, this.heap.alloc(n), n);
  }
  /** A float64 parameter holding `values`, with a zeroed gradient. */
  param(values: ArrayLike<number>): F64Param {
    return new F64Param(this.heap, values);
  }
  isLive(p: unknown): boolean {
    return p instanceof F64Param;
  }
  checkParam(p: unknown, cls: string, where: string): asserts p is Param {
    if (!(p instanceof F64Param)) throw new TypeError(`${cls}: ${where} must be a parameter of this float64 engine`);
  }
}
