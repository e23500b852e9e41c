/**
 * The float64 path of the optimizers: `Float64Engine` runs the same optimizer classes and the same
 * references (their float64 copies, src/ref/optim64/) over a Float64Array: the float64 path of
 * `minimize` (below its kernel threshold) and of the conformance runner for torch's float64 cases;
 * its kernels come from src/backend/, the one place that binds kernels. Apart from src/optim/engine.ts
 * so that a program that only builds optimizers on a Wasm backend never loads the references.
 */
import { float64OptimKernels } from '../backend/float64.js';
import type { Param } from '../tensor.js';
import type { Engine, EngineKernels, StateBuffer } from './engine.js';

/** Heaps of released engines, reused (a Float64Array's allocation costs more than a short run of minimize). */
const SPARE: Float64Array[] = [];
const MAX_SPARE = 4;
/** Heaps larger than this (in doubles: minimize's heap at its kernel threshold) are not kept. */
const MAX_SPARE_LENGTH = 5 * 4096 + 8;

class F64Heap {
  f32: Float64Array;
  top = 4; // element 0..3 never handed out, so no pointer is 0
  constructor(capacity: number) {
    const want = Math.max(64, capacity);
    const i = SPARE.findIndex((a) => a.length >= want && a.length <= 4 * want);
    if (i >= 0) {
      this.f32 = SPARE.splice(i, 1)[0];
      this.f32.fill(0);
    } else {
      this.f32 = new Float64Array(want);
    }
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

  constructor(capacity = 1024) {
    this.heap = new F64Heap(capacity);
  }
  kernels(): EngineKernels {
    return float64OptimKernels(this.heap);
  }
  /**
   * Hands the heap back for the next engine (minimize's stepper does, when its run ends): nothing
   * of this engine (its parameters' views, its optimizer) may be used afterwards.
   */
  release(): void {
    const a = this.heap.f32;
    this.heap.f32 = new Float64Array(0);
    if (SPARE.length < MAX_SPARE && a.length > 0 && a.length <= MAX_SPARE_LENGTH) SPARE.push(a);
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
