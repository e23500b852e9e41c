/**
 * The optimizer kernels in float64 (src/optim/float64-engine.ts): bound here, beside the other
 * backends, and in a module of its own so that only the float64 path loads them. They are the
 * references' float64 copies (src/ref/optim64/, generated from src/ref/optim/ without the rounding
 * function): functions of their own, so the js backend's float32 calls never make them polymorphic.
 */
import { refOptimKernels64 } from '../ref/optim64/index.gen.js';
import type { OptimEngineKernels } from './index.js';

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
 * The optimizer kernels in float64: the js backend's references without their rounding, over a Float64Array heap whose byte-like pointers they index with `ptr >>> 2` (src/optim/float64-engine.ts's
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
      ...refOptimKernels64(h),
      f32_fill: (out, value, n) => h.f32.fill(value, out >>> 2, (out >>> 2) + n),
      f32_copy: (out, x, n) => h.f32.copyWithin(out >>> 2, x >>> 2, (x >>> 2) + n),
    };
  }
  return shared;
}
