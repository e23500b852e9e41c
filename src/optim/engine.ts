/**
 * Where an optimizer keeps its state and which kernels it calls. The default engine is the running
 * backend (float32 tensors in its arena, kernels through `backend.k`). `Float64Engine` runs the same
 * optimizer classes and the same references (src/ref/optim/, with identity rounding) over a
 * Float64Array: the float64 path of `minimize` (below its kernel threshold) and of the conformance
 * runner for torch's float64 cases; its kernels come from src/backend/, the one place that binds
 * kernels. It is internal: users never see an engine.
 */
import { createFloat64OptimKernels, type Backend, type OptimEngineKernels } from '../backend/index.js';
import { getBackend } from '../init.js';
import { Param, Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';

/** A state buffer (or a parameter's values): a typed view plus its byte address for kernels. */
export interface StateBuffer {
  readonly size: number;
  readonly ptr: number;
  readonly data: Float32Array | Float64Array;
  readonly disposed: boolean;
  dispose(): void;
}

/** The kernels an optimizer may call: the optimizer family plus fill and copy. */
export type EngineKernels = OptimEngineKernels;

export interface Engine {
  readonly dtype: 'float32' | 'float64';
  /** The kernels to call now (throws if the backend the state lives on was replaced). */
  kernels(): EngineKernels;
  /** A zeroed buffer of n elements. */
  alloc(n: number, what: string): StateBuffer;
  /** Throws TypeError unless `p` is a live parameter of this engine (or Error if its backend was replaced). */
  checkParam(p: unknown, cls: string, where: string): asserts p is Param;
  /** True when checkParam would pass: step() asks this every step and builds checkParam's `where` only when false. */
  isLive(p: unknown): boolean;
}

/** The running backend, captured when the optimizer is built. */
export function backendEngine(): Engine {
  const backend: Backend = getBackend();
  return {
    dtype: 'float32',
    kernels() {
      const b = getBackend();
      if (b !== backend) {
        throw new Error(`descent: this optimizer was built on the ${backend.name} backend, which init() has since replaced with ${b.name}; build it again`);
      }
      return b.k;
    },
    alloc: (n, what) => new Tensor(n, what),
    isLive: (p: unknown): boolean => p instanceof Param && !p.disposed && p.backend === backend && getBackend() === backend,
    checkParam(p: unknown, cls: string, where: string): asserts p is Param {
      if (!(p instanceof Param)) {
        throw new TypeError(`${cls}: ${where} must be a parameter made by param(), got ${describe(p)}. Pass param(...) objects or groups { params: [...] }.`);
      }
      if (p.disposed) {
        throw new TypeError(`${cls}: ${where} (${p.name ? `parameter '${p.name}'` : 'a parameter'}) was disposed. Pass live parameters, or build the optimizer again.`);
      }
      p.assertLive(`${cls}: ${where}`);
      if (p.backend !== backend) {
        throw new Error(`${cls}: ${where} lives on the ${p.backend.name} backend but this optimizer on ${backend.name}; build both after the same init()`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The float64 path.

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

let pending: Engine | null = null;

/** Builds optimizers on `engine` instead of the running backend (internal: the float64 path). */
export function withEngine<T>(engine: Engine, build: () => T): T {
  const before = pending;
  pending = engine;
  try {
    return build();
  } finally {
    pending = before;
  }
}

/** The engine a constructor should use: the one set by withEngine, else the running backend. */
export function takeEngine(): Engine {
  return pending ?? backendEngine();
}

