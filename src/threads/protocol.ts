/**
 * The threads' shared protocol: a control block in the shared Wasm memory (a job descriptor, a
 * generation counter, a claim word and a done counter, synchronised with Atomics) and the claim loop
 * that the caller and every worker run. A job cuts a kernel's split dimension into chunks; each
 * thread claims chunk indices with a compare-exchange on a word that carries the job's generation,
 * so a thread that wakes late can never run a chunk of a later job with an earlier descriptor, and a
 * worker that never wakes only means the caller claims its chunks: results never depend on who ran
 * what. Floors: knows the generated splits and the ABI, nothing above.
 */
import type { Kernels } from '../wasm/abi.gen.js';
import { MAX_ARGS, MAX_BLOCKS, SPLITS, runSplit } from './parallel.gen.js';

/** Int32 word indices of the control block. */
export const GEN = 0, CLAIM = 1, DONE = 2, ID = 3, UNITS = 4, CHUNK = 5, NCHUNKS = 6, ERROR = 7, STOP = 8, READY = 9, ERRLEN = 10, VERIFIED = 11;
/** CLAIM while a descriptor is being written: matches no generation, so nothing is claimed. */
export const CLOSED = -1;
/** Byte offsets inside the control block. */
export const ARGS_AT = 64;
export const RESULTS_AT = ARGS_AT + 8 * 32;
export const ERRTEXT_AT = RESULTS_AT + 8 * MAX_BLOCKS;
const ERRTEXT_CHARS = 256;
/** Bytes of the control block (a multiple of 16). */
export const CONTROL_BYTES = ERRTEXT_AT + 2 * ERRTEXT_CHARS;

if (MAX_ARGS > 32) throw new Error('descent: a parallel kernel has more than 32 arguments; widen the control block (src/threads/protocol.ts)');

/** Views of one control block at byte `at` of a shared buffer. */
export interface Control {
  readonly ctl: Int32Array;
  readonly args: Float64Array;
  readonly results: Float64Array;
  readonly errText: Uint16Array;
}

export function controlAt(buffer: ArrayBufferLike, at: number): Control {
  return {
    ctl: new Int32Array(buffer, at, 16),
    args: new Float64Array(buffer, at + ARGS_AT, 32),
    results: new Float64Array(buffer, at + RESULTS_AT, MAX_BLOCKS),
    errText: new Uint16Array(buffer, at + ERRTEXT_AT, ERRTEXT_CHARS),
  };
}

/**
 * Claims and runs chunks of the current job until none is left (or the job changed), on the
 * kernels `k` of the calling thread. A chunk that throws records the first error's text in the
 * control block and still counts as done, so nobody waits for it. Returns the chunks it ran.
 */
export function work(c: Control, k: Kernels): number {
  const ctl = c.ctl;
  let ran = 0;
  for (;;) {
    const v = Atomics.load(ctl, CLAIM);
    if (v < 0) return ran;
    const nchunks = ctl[NCHUNKS];
    const idx = v & 0xffff;
    if (idx >= nchunks) return ran;
    // The descriptor read above belongs to this claim's job: it is written while CLAIM is CLOSED.
    const id = ctl[ID], units = ctl[UNITS], chunk = ctl[CHUNK];
    if (Atomics.compareExchange(ctl, CLAIM, v, v + 1) !== v) continue;
    const u0 = idx * chunk;
    try {
      c.results[idx] = runSplit(k, c.args, id, u0, Math.min(units, u0 + chunk));
    } catch (e) {
      if (Atomics.compareExchange(ctl, ERROR, 0, 1) === 0) {
        const text = String((e as Error)?.message ?? e).slice(0, c.errText.length);
        for (let i = 0; i < text.length; i++) c.errText[i] = text.charCodeAt(i);
        Atomics.store(ctl, ERRLEN, text.length);
      }
    }
    ran++;
    if (Atomics.add(ctl, DONE, 1) + 1 === nchunks) Atomics.notify(ctl, DONE);
  }
}

/** The first error a chunk of the last job recorded, or null. */
export function jobError(c: Control): string | null {
  if (Atomics.load(c.ctl, ERROR) === 0) return null;
  return String.fromCharCode(...c.errText.subarray(0, Atomics.load(c.ctl, ERRLEN)));
}

/** What a worker reports when it is up: the split table it runs (kernels, cut arguments, strides), which must be the caller's. */
export const SPLITS_SIGNATURE = JSON.stringify(SPLITS);

/**
 * What a worker is sent once: the compiled build, the shared memory, where the control block is, its
 * index, and the split table the pool runs (SPLITS_SIGNATURE): a worker whose own table is the
 * same counts itself in VERIFIED, which the pool reads to take it in (no message needed, so a caller
 * busy in a synchronous loop still gets its workers as they come up).
 */
export interface WorkerStart {
  type: 'descent-thread';
  signature: string;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  index: number;
  spin: number;
  /** This worker's GEMM scratch (set_scratch): its own GEMM_SCRATCH_BYTES below the arena. */
  scratch: number;
}
