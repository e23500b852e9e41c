/**
 * A backend: a linear memory, the arena that owns it, and the kernels that read it. This is the one
 * place that binds kernels: the Wasm exports for 'wasm-relaxed' / 'wasm-simd' / 'wasm-scalar', the src/ref/
 * implementations for 'js' (src/backend/js.ts, loaded only when the js backend runs). Everything
 * above calls `backend.k.<kernel>(...)` and never asks which.
 */
import type { Kernels, OptimKernels } from '../wasm/abi.gen.js';
import { Arena } from '../memory/arena.js';
import { PAGE_BYTES, type LinearMemory } from '../memory/linear-memory.js';
import { GEMM_SCRATCH_BYTES } from '../wasm/constants.gen.js';
import { CONTROL_BLOCK_BYTES, pooledThreads, serialThreads, type ThreadPool } from '../threads/index.js';

export type BackendName = 'wasm-relaxed' | 'wasm-simd' | 'wasm-scalar' | 'js';

/** The Wasm backends, named by the build's `abi_simd()`: 2 relaxed SIMD, 1 SIMD, 0 scalar. */
export type WasmBackendName = Exclude<BackendName, 'js'>;

/** Which Wasm backend a build is (its `abi_simd()` export says). */
export function buildName(k: Pick<Kernels, 'abi_simd'>): WasmBackendName {
  const v = k.abi_simd();
  return v === 2 ? 'wasm-relaxed' : v === 1 ? 'wasm-simd' : 'wasm-scalar';
}

export interface Backend {
  readonly name: BackendName;
  /** The kernels, parallel ones dispatched through the runner (src/threads/parallel.gen.ts). */
  readonly k: Kernels;
  /** The kernels as the build (or src/ref/) exports them: one thread, no dispatch. */
  readonly raw: Kernels;
  readonly memory: LinearMemory;
  readonly arena: Arena;
  /** The worker pool sharing this backend's memory, or null (one thread). */
  readonly pool: ThreadPool | null;
}

/** Initial memory: 1 MiB, grown geometrically on demand. */
export const INITIAL_PAGES = 16;

/** A Wasm memory; `shared` for the threaded builds (a SharedArrayBuffer that grows without detaching). */
export function createWasmMemory(maxBytes: number, shared = false): WebAssembly.Memory {
  const descriptor = { initial: INITIAL_PAGES, maximum: Math.floor(maxBytes / PAGE_BYTES), shared };
  return new WebAssembly.Memory(descriptor);
}

/** True when `memory` is shared (its buffer a SharedArrayBuffer). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]';
}

/** The first thread's GEMM scratch: the build's first free byte, rounded up to a cache line. */
export function scratchBase(raw: Pick<Kernels, 'heap_base'>): number {
  return Math.ceil(Math.max(16, raw.heap_base()) / 64) * 64;
}

/**
 * A Wasm backend over `memory`. Below the arena, after the build's static data: one GEMM scratch
 * per thread (GEMM_SCRATCH_BYTES; the caller's is given to `raw` here, each worker's by the pool),
 * then, for a shared memory with `threads` > 1, the control block of a worker pool running the same
 * `module`.
 */
export function createWasmBackend(
  name: WasmBackendName, raw: Kernels, memory: WebAssembly.Memory, maxBytes: number,
  threads?: { module: WebAssembly.Module; count: number },
): Backend {
  const scratch = scratchBase(raw);
  raw.set_scratch(scratch);
  // new blocks are zeroed by the fill kernel (f32 0 is all zero bits; block sizes are multiples of 16)
  const zeroFill = (ptr: number, bytes: number): void => raw.f32_fill(ptr, 0, bytes >>> 2);
  if (threads && threads.count > 1 && isSharedMemory(memory)) {
    const control = scratch + threads.count * GEMM_SCRATCH_BYTES;
    const arena = new Arena(memory, control + CONTROL_BLOCK_BYTES, maxBytes);
    arena.zeroFill = zeroFill;
    const t = pooledThreads(raw, memory, control, threads.module, threads.count, { at: scratch, bytes: GEMM_SCRATCH_BYTES });
    return { name, k: t.k, raw, memory, arena, pool: t.pool };
  }
  const arena = new Arena(memory, scratch + GEMM_SCRATCH_BYTES, maxBytes);
  arena.zeroFill = zeroFill;
  return { name, k: serialThreads(raw).k, raw, memory, arena, pool: null };
}

/** The kernels the optimizers call: the optimizer family plus fill and copy. */
export type OptimEngineKernels = OptimKernels & Pick<Kernels, 'f32_fill' | 'f32_copy'>;

/**
 * The tiny correctness probe behind backend 'auto': a lane-wise multiply-add whose sum is known,
 * then one whose product rounds (probeMadd). Returns false if the kernels give a wrong answer (a
 * broken SIMD implementation), or a multiply-add that is neither fused nor separate, or a fused one
 * outside the relaxed build (whose element-wise kernels must match the reference bit for bit).
 */
export function probeBackend(b: Backend): boolean {
  const p = b.arena.alloc(48);
  try {
    const m = new Float32Array(b.memory.buffer, p, 12);
    m.set([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    if (!(b.k.simd_probe(p) === 80 && m[8] === 6 && m[11] === 36)) return false;
  } finally {
    b.arena.free(p);
  }
  const madd = probeMadd(b);
  return madd === 'separate' || (madd === 'fused' && b.name === 'wasm-relaxed');
}

/** 1 + 2⁻¹²: x·(−x) = −(1 + 2⁻¹¹ + 2⁻²⁴) is not a float32, so a·b + a tells one rounding from two. */
const X = 1 + 2 ** -12;
/** x·(−x) + x rounded once (fused): −(2⁻¹² + 2⁻²⁴), exact in float32. */
const FUSED = -(2 ** -12 + 2 ** -24);
/** x·(−x) rounded to −(1 + 2⁻¹¹) (ties to even), then + x: −2⁻¹². */
const SEPARATE = -(2 ** -12);

/**
 * How the build's multiply-add rounds, from simd_probe on inputs whose product is not a float32:
 * 'fused' (one rounding, f32x4.relaxed_madd on a CPU with FMA), 'separate' (a multiply then an add,
 * as every kernel outside the relaxed build's GEMM tiles), or null when a lane is neither (broken).
 * Relaxed SIMD lets the runtime choose either per instruction; all four lanes must agree.
 */
export function probeMadd(b: Backend): 'fused' | 'separate' | null {
  const p = b.arena.alloc(48);
  try {
    const m = new Float32Array(b.memory.buffer, p, 12);
    m.set([X, X, X, X, -X, -X, -X, -X, 0, 0, 0, 0]);
    b.k.simd_probe(p);
    const lanes = Array.from(m.subarray(8, 12));
    if (lanes.every((v) => v === FUSED)) return 'fused';
    if (lanes.every((v) => v === SEPARATE)) return 'separate';
    return null;
  } finally {
    b.arena.free(p);
  }
}
