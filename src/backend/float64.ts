/**
 * The optimizer kernels in float64 (src/optim/float64-engine.ts): bound here, beside the other
 * backends, and in a module of its own so that only the float64 path loads the js references.
 */
import { refOptimKernels } from '../ref/bindings.gen.js';
import type { OptimEngineKernels } from './index.js';

/** One rounding function for every float64 engine, so the references' call sites stay monomorphic. */
const identity = (x: number): number => x;

/** The heap the shared table below reads now: set by every `float64OptimKernels(heap)` call. */
const current = {
  heap: null as { f32: Float64Array } | null,
  get f32(): Float64Array {
    return this.heap!.f32;
  },
  refresh(): { f32: Float64Array } {
    return this.heap!;
  },
};
let shared: OptimEngineKernels | null = null;

/**
 * The optimizer kernels in float64: the same references as the js backend with identity rounding,
 * over a Float64Array heap whose byte-like pointers they index with `ptr >>> 2` (src/optim/float64-engine.ts's
 * Float64Engine, for minimize below its kernel threshold and the float64 conformance cases). One
 * table serves every engine (making it cost more than a short minimize run): the call points it at
 * `heap`, so use what it returns before asking for another engine's (Optimizer.step does: it takes
 * the kernels once, then runs its updates, which call no other engine).
 */
export function float64OptimKernels(heap: { readonly f32: Float64Array }): OptimEngineKernels {
  current.heap = heap;
  if (shared === null) {
    const h = current as unknown as { f32: Float64Array; refresh(): typeof h };
    shared = {
      ...refOptimKernels(h, identity),
      f32_fill: (out, value, n) => h.f32.fill(value, out >>> 2, (out >>> 2) + n),
      f32_copy: (out, x, n) => h.f32.copyWithin(out >>> 2, x >>> 2, (x >>> 2) + n),
    };
  }
  return shared;
}
