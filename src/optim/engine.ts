/**
 * Where an optimizer keeps its state and which kernels it calls. The default engine is the running
 * backend (float32 tensors in its arena, kernels through `backend.k`). `Float64Engine`
 * (src/optim/float64-engine.ts, a module of its own so that an optimizer alone does not load the js
 * references) runs the same optimizer classes over a Float64Array. It is internal: users never see an engine.
 */
import type { Backend, OptimEngineKernels } from '../backend/index.js';
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

