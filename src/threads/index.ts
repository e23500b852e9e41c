/**
 * How many threads a backend runs, and the runner its kernels dispatch through: the one place that
 * init() and the backend ask about threads (kept apart so that other backends plug in the same way).
 */
import type { Kernels } from '../wasm/abi.gen.js';
import { dispatchKernels, type SplitRunner } from './parallel.gen.js';
import { CONTROL_BYTES } from './protocol.js';
import { SerialRunner, START_TIMEOUT_MS, ThreadPool, threadHost, type ScratchSlots } from './pool.js';

export { setThreadHost, type ThreadHost } from './pool.js';
export { ThreadPool, SerialRunner };

/** The default thread count is the cores the runtime reports, at most this many (see THREADS_DOC). */
export const MAX_DEFAULT_THREADS = 4;
/** The most threads init({ threads }) accepts. */
export const MAX_THREADS = 64;

/** How many threads to start and why: from init({ threads }) and what the runtime offers. */
export interface ThreadPlan {
  threads: number;
  reason: string;
}

/** Checks init({ threads }): undefined, or a whole number from 1 to MAX_THREADS. */
export function checkThreads(threads: unknown): void {
  if (threads === undefined) return;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(
      `descent: init({ threads }) must be a whole number from 1 to ${MAX_THREADS} (1 turns threads off), got ${typeof threads === 'string' ? JSON.stringify(threads) : String(threads)}`,
    );
  }
}

/** The threads a Wasm backend should run: none where this entry cannot start workers or has no shared memory. */
export function planThreads(requested: number | undefined): ThreadPlan {
  if (requested === 1) return { threads: 1, reason: 'one thread: init({ threads: 1 })' };
  const h = threadHost();
  if (h === null) {
    return { threads: 1, reason: 'one thread: this package entry cannot start workers (workerd and edge runtimes have no threads)' };
  }
  const why = h.unavailable();
  if (why !== null) return { threads: 1, reason: `one thread: ${why}` };
  if (requested !== undefined) return { threads: requested, reason: `init({ threads: ${requested} })` };
  const cores = Math.max(1, Math.floor(h.cores() || 1));
  const n = Math.min(cores, MAX_DEFAULT_THREADS);
  if (n === 1) return { threads: 1, reason: 'one thread: the runtime reports one core' };
  return { threads: n, reason: `${cores} cores${cores > MAX_DEFAULT_THREADS ? `, capped at ${MAX_DEFAULT_THREADS}` : ''}` };
}

/** A backend's kernels and runner: raw kernels wrapped by the generated dispatch. */
export interface Threads {
  k: Kernels;
  runner: SplitRunner;
  pool: ThreadPool | null;
}

/** One thread over any kernels (the js backend, a Wasm build without shared memory). */
export function serialThreads(raw: Kernels): Threads {
  const runner = new SerialRunner(raw);
  return { k: dispatchKernels(raw, runner), runner, pool: null };
}

/** Bytes the control block of a pool takes in linear memory (below the arena). */
export const CONTROL_BLOCK_BYTES = CONTROL_BYTES;

/**
 * Threads over a shared memory: a pool of `threads − 1` workers (the caller is the first thread),
 * its control block at byte `control`; thread i's GEMM scratch is `scratch.bytes` at
 * `scratch.at + i·scratch.bytes` (the caller's, i = 0, already set). With threads 1, the serial runner.
 */
export function pooledThreads(
  raw: Kernels, memory: WebAssembly.Memory, control: number, module: WebAssembly.Module, threads: number,
  scratch: ScratchSlots,
): Threads {
  const h = threadHost();
  if (threads <= 1 || h === null) return serialThreads(raw);
  const pool = new ThreadPool(raw, memory, control, module, threads, h, scratch);
  return { k: dispatchKernels(raw, pool), runner: pool, pool };
}

/** Resolves when a pool's workers are up, or it fell back to one thread (a worker failed, or START_TIMEOUT_MS passed). */
export async function poolReady(pool: ThreadPool | null): Promise<void> {
  if (pool === null) return;
  // the workers and the pool's start timeout are unref'd: while someone waits, this timer keeps the
  // process alive (else Node would exit with the wait unsettled)
  const keepAlive = setTimeout(() => {}, START_TIMEOUT_MS + 1000);
  try {
    await pool.ready;
  } finally {
    clearTimeout(keepAlive);
  }
}
