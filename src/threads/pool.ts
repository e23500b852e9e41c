/**
 * Runners for the generated dispatch (src/threads/parallel.gen.ts): `SerialRunner` runs every range
 * on the calling thread (the js backend, and any Wasm backend with threads: 1); `ThreadPool` shares
 * them with worker threads over the backend's shared memory. Both cut reductions into the same fixed
 * blocks and combine the block values in block order, so a result never depends on the thread count.
 *
 * The caller writes a job descriptor into the control block, opens a new generation, wakes the
 * workers (Atomics.notify) and claims chunks itself; then it waits for the done counter (Atomics.wait
 * where the thread may block, a spin on a browser page's main thread). No message per call.
 */
import type { Kernels } from '../wasm/abi.gen.js';
import { REDUCE_MAX, REDUCE_SUM, SPLITS, runSplit, type SplitRunner } from './parallel.gen.js';
import { CHUNK, CLAIM, CLOSED, DONE, ERROR, GEN, ID, NCHUNKS, READY, SPLITS_SIGNATURE, STOP, UNITS, VERIFIED, controlAt, jobError, work, type Control, type WorkerStart } from './protocol.js';

/** Combines block values in block order: an f64 sum, or a max that any NaN wins. */
function combine(values: Float64Array | number[], n: number, reduce: number): number {
  if (reduce === REDUCE_SUM) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i];
    return s;
  }
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/**
 * Runs a call on the caller alone: the whole range, or a reduction's fixed blocks in order (their
 * values in `blocks`), combined as the pool combines them, so the bits are the pool's.
 */
function runOnCaller(k: Kernels, args: Float64Array, id: number, units: number, block: number, reduce: number, blocks: Float64Array | number[]): number {
  if (block <= 0) return runSplit(k, args, id, 0, units);
  const nb = Math.ceil(units / block);
  for (let b = 0; b < nb; b++) blocks[b] = runSplit(k, args, id, b * block, Math.min(units, (b + 1) * block));
  return combine(blocks, nb, reduce === REDUCE_MAX ? REDUCE_MAX : REDUCE_SUM);
}

/** One thread: the ranges of a call run in order on the caller. */
export class SerialRunner implements SplitRunner {
  readonly threads = 1;
  force = false;
  readonly args = new Float64Array(32);
  private readonly blocks: number[] = [];

  constructor(private readonly k: Kernels) {}

  run(id: number, units: number, _align: number, block: number, reduce: number): number {
    return runOnCaller(this.k, this.args, id, units, block, reduce, this.blocks);
  }
}

/** How a pool starts workers in this runtime (registered by the package entry; none in workerd and edge runtimes). */
export interface ThreadHost {
  /** What the runtime calls it, for backendInfo (e.g. 'worker_threads', 'Web Workers'). */
  readonly kind: string;
  /** Logical cores the runtime reports. */
  cores(): number;
  /** Whether the calling thread may block in Atomics.wait (false on a browser page's main thread). */
  canBlock(): boolean;
  /** Why threads cannot run here (no SharedArrayBuffer, a page that is not cross-origin isolated), or null. */
  unavailable(): string | null;
  /** Starts one worker running the worker entry; its events arrive through `on`. Throws if it cannot start. */
  spawn(on: WorkerEvents): WorkerHandle;
}

export interface WorkerEvents {
  message(data: unknown): void;
  error(err: Error): void;
  exit(code: number): void;
}

export interface WorkerHandle {
  post(data: unknown): void;
  terminate(): void;
}

let host: ThreadHost | null = null;

/** Called by the package entries that can start workers (Node: worker_threads; browsers, Deno, Bun: Web Workers). */
export function setThreadHost(h: ThreadHost | null): void {
  host = h;
}

export function threadHost(): ThreadHost | null {
  return host;
}


/** Where the threads' GEMM scratch buffers are: thread i's is `bytes` at `at + i·bytes` (the caller is thread 0). */
export interface ScratchSlots {
  at: number;
  bytes: number;
}

/** Spins (Atomics.load) before a thread blocks: jobs of one training step come tens of µs apart. */
export const SPIN = 20000;
/** How long a pool waits for its workers to come up before it gives up on them and runs on one thread (ms). */
export const START_TIMEOUT_MS = 10000;

/**
 * A pool of worker threads over one shared memory. `threads` counts the caller and the workers that
 * run: 1 while the workers start (calls run on the caller alone; nothing is handed to a worker before
 * every worker reported ready), then all of them. After a worker fails (cannot start, does not start
 * within START_TIMEOUT_MS, throws outside a kernel, exits) the pool logs it once, stops the others and
 * runs on the caller alone (`threads` 1, `reason` says why). The workers are started at the next turn
 * of the event loop, or by the first call big enough to share if one comes sooner (see spawn()).
 */
export class ThreadPool implements SplitRunner {
  force = false;
  readonly args: Float64Array;
  /** Why the pool runs with the threads it has (shown by backendInfo). */
  reason: string;
  /** Resolves once every worker is up, or the pool fell back to one thread (never rejects). */
  readonly ready: Promise<void>;
  /**
   * What the calls shared with the workers did, summed since the pool was made: how many, the
   * caller's time in its own chunks and its whole time (ms), its chunks and all chunks. A caller that
   * ran its chunks much faster than the workers ran theirs (ownMs / ownChunks against
   * wallMs / (chunks − ownChunks)) shared a core that was slower (bench/threads.bench.mjs reads it).
   */
  readonly stats = { runs: 0, ownMs: 0, wallMs: 0, ownChunks: 0, chunks: 0 };
  private readonly c: Control;
  private readonly workers: WorkerHandle[] = [];
  private gen = 0;
  private closed = false;
  private readonly canBlock: boolean;
  private resolveReady!: () => void;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  /** Threads that run now. */
  private running = 1;
  /** True while the workers start: every read of `threads` checks whether they are all up. */
  private waiting = false;
  private readonly upReason: string;
  /** What spawn() needs, until it has run (null after). */
  private start: { module: WebAssembly.Module; memory: WebAssembly.Memory; control: number; h: ThreadHost; scratch: ScratchSlots } | null;
  private cancelSpawn: (() => void) | null = null;

  constructor(
    private readonly k: Kernels,
    memory: WebAssembly.Memory,
    control: number,
    module: WebAssembly.Module,
    readonly requested: number,
    h: ThreadHost,
    scratch: ScratchSlots,
  ) {
    this.c = controlAt(memory.buffer, control);
    this.args = this.c.args;
    this.canBlock = h.canBlock();
    this.c.ctl.fill(0);
    Atomics.store(this.c.ctl, CLAIM, CLOSED);
    const workers = `${requested - 1} ${h.kind} worker${requested > 2 ? 's' : ''}`;
    this.reason = `starting ${workers}; one thread until ${requested > 2 ? 'they are' : 'it is'} up`;
    this.upReason = `${requested} threads: the caller and ${workers} over shared memory`;
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.waiting = requested > 1;
    this.start = requested > 1 ? { module, memory, control, h, scratch } : null;
    if (this.start === null) this.settle();
    else this.cancelSpawn = later(() => this.spawn());
  }

  /**
   * Starts the workers, once: at the first turn of the event loop after the pool was made (so that
   * init() resolves without paying for node:worker_threads and the Worker constructors, ~10 ms on the
   * main thread), or at once when a call big enough to share reads `threads` first (a caller that goes
   * on synchronously after init() still gets its workers as they come up).
   */
  private spawn(): void {
    const s = this.start;
    if (s === null) return;
    this.start = null;
    this.cancelSpawn?.();
    this.cancelSpawn = null;
    if (this.closed) return;
    const { module, memory, control, h, scratch } = s;
    const requested = this.requested;
    let up = 0;
    for (let i = 1; i < requested; i++) {
      let handle: WorkerHandle;
      try {
        handle = h.spawn({
          message: (m) => {
            const msg = m as { type?: string; error?: string; signature?: string };
            if (msg?.type === 'ready' && msg.signature !== SPLITS_SIGNATURE) {
              this.fail(`worker ${i} runs a different kernel table than this code (a stale dist/? rebuild with npm run build)`);
            } else if (msg?.type === 'ready' && !this.closed) {
              if (++up === requested - 1) this.allUp();
            } else if (msg?.type === 'failed') this.fail(`worker ${i} failed to start: ${msg.error}`);
          },
          error: (e) => this.fail(`worker ${i} failed: ${e?.message ?? String(e)}`),
          exit: (code) => this.fail(`worker ${i} exited (code ${code})`),
        });
      } catch (e) {
        this.fail(`worker ${i} could not start: ${(e as Error)?.message ?? String(e)}`);
        break;
      }
      this.workers.push(handle);
      const start: WorkerStart = {
        type: 'descent-thread', signature: SPLITS_SIGNATURE, module, memory, control, index: i, spin: SPIN,
        scratch: scratch.at + i * scratch.bytes,
      };
      handle.post(start);
    }
    if (this.closed) return;
    // nobody awaits the start: a pool whose workers hang falls back on its own (unref'd: a pool
    // never keeps a process alive)
    this.startTimer = setTimeout(() => {
      if (this.starting) this.fail(`the worker threads did not start within ${START_TIMEOUT_MS} ms`);
    }, START_TIMEOUT_MS);
    (this.startTimer as { unref?: () => void }).unref?.();
  }

  /**
   * Threads that share a call now: 1 while the workers start, then the caller and every worker. Read
   * by the dispatch on every call big enough to share (the first read starts the workers if they have
   * not started yet),
   * it takes the workers in as soon as they have all counted themselves in the control block (no
   * message needed: a caller in a synchronous loop gets them too).
   */
  get threads(): number {
    if (this.start !== null) this.spawn();
    return this.current;
  }

  /** Threads that run now, as `threads`, without starting the workers (backendInfo(), init()). */
  get current(): number {
    if (this.waiting && Atomics.load(this.c.ctl, VERIFIED) >= this.requested - 1) this.allUp();
    return this.running;
  }

  /** True while the workers are starting (calls run on the caller alone until they are all up). */
  get starting(): boolean {
    return this.current < this.requested && !this.closed;
  }

  /** Every worker is up and runs the caller's split table: from now on calls are shared. */
  private allUp(): void {
    if (!this.waiting || this.closed) return;
    this.waiting = false;
    this.running = this.requested;
    this.reason = this.upReason;
    this.settle();
  }

  /** The start is over (every worker up, or the pool closed): stops the start timeout and resolves `ready`. */
  private settle(): void {
    clearTimeout(this.startTimer);
    this.resolveReady();
  }

  /** Workers that signalled they are up (they count themselves in the control block). */
  get readyWorkers(): number {
    return Atomics.load(this.c.ctl, READY);
  }

  /** Stops every worker (they leave their wait and exit) and runs on the caller alone from now on. */
  close(reason = 'the pool was shut down'): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting = false;
    this.running = 1;
    this.reason = reason;
    Atomics.store(this.c.ctl, STOP, 1);
    Atomics.add(this.c.ctl, GEN, 1);
    Atomics.notify(this.c.ctl, GEN);
    for (const w of this.workers) {
      try {
        w.terminate();
      } catch {
        // already gone
      }
    }
    this.workers.length = 0;
    this.start = null;
    this.cancelSpawn?.();
    this.cancelSpawn = null;
    this.settle();
  }

  private fail(why: string): void {
    if (this.closed) return;
    console.warn(`descent: ${why}; running on one thread from now on (results are the same, only slower)`);
    this.close(`one thread: ${why}`);
  }

  run(id: number, units: number, align: number, block: number, reduce: number): number {
    const c = this.c, ctl = c.ctl;
    const threads = this.threads;
    // the caller alone (workers still starting, or the pool fell back): nothing is opened to a worker
    if (threads <= 1) return runOnCaller(this.k, this.args, id, units, block, reduce, c.results);
    let chunk: number, nchunks: number;
    if (block > 0) {
      chunk = block;
      nchunks = Math.ceil(units / block);
    } else {
      // a few chunks per thread, so a thread that starts late (or a busy core) is evened out
      const pieces = Math.min(Math.ceil(units / align), threads * 2);
      chunk = pieces > 0 ? Math.ceil(Math.ceil(units / pieces) / align) * align : 0;
      nchunks = chunk > 0 ? Math.ceil(units / chunk) : 0;
      if (nchunks <= 1) return runSplit(this.k, this.args, id, 0, units);
    }
    Atomics.store(ctl, CLAIM, CLOSED);
    ctl[ID] = id;
    ctl[UNITS] = units;
    ctl[CHUNK] = chunk;
    ctl[NCHUNKS] = nchunks;
    Atomics.store(ctl, ERROR, 0);
    Atomics.store(ctl, DONE, 0);
    this.gen = (this.gen + 1) & 0x7fff;
    Atomics.store(ctl, CLAIM, this.gen << 16);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    const t0 = now();
    const ran = work(c, this.k);
    const own = now() - t0;
    this.waitDone(nchunks, own);
    const st = this.stats;
    st.runs++;
    st.ownMs += own;
    st.wallMs += now() - t0;
    st.ownChunks += ran;
    st.chunks += nchunks;
    const err = jobError(c);
    if (err !== null) throw new Error(`descent: a kernel failed on a thread (${kernelName(id)}): ${err}`);
    return block > 0 ? combine(c.results, nchunks, reduce) : c.results[0];
  }

  /** Waits for the other threads' chunks; a worker that stops answering gives an error, never a hang. */
  private waitDone(nchunks: number, ownMs: number): void {
    const ctl = this.c.ctl;
    for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, DONE) === nchunks) return;
    const limit = Math.max(10000, 100 * ownMs);
    const t0 = now();
    for (;;) {
      const d = Atomics.load(ctl, DONE);
      if (d === nchunks) return;
      if (this.canBlock) Atomics.wait(ctl, DONE, d, 50);
      else for (let i = 0; i < SPIN && Atomics.load(ctl, DONE) === d; i++);
      if (now() - t0 > limit) {
        const why = `a worker thread stopped answering (no chunk finished in ${Math.round(limit)} ms)`;
        this.fail(why);
        throw new Error(`descent: ${why}; the pool is shut down and later calls run on one thread. The last call's output is undefined: run it again.`);
      }
    }
  }
}

/**
 * Runs `f` at the next turn of the event loop (setImmediate where there is one, else a 0 ms timeout),
 * unref'd where the runtime can (a pending start never keeps a process alive); returns its cancel.
 */
function later(f: () => void): () => void {
  if (typeof setImmediate === 'function') {
    const t = setImmediate(f);
    (t as { unref?: () => void }).unref?.();
    return () => clearImmediate(t);
  }
  const t = setTimeout(f, 0);
  (t as { unref?: () => void }).unref?.();
  return () => clearTimeout(t);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

const kernelName = (id: number): string => SPLITS[id]?.k ?? `split ${id}`;
