/**
 * A worker thread's life: instantiate the build over the shared memory it was sent, report ready,
 * then loop: claim and run chunks of the current job (src/threads/protocol.ts), spin briefly for the
 * next generation, and block in Atomics.wait until it comes. Leaves when the pool sets STOP.
 * Shared by the Web Worker entry (worker.ts) and the Node one (node-worker.ts).
 */
import type { Kernels } from '../wasm/abi.gen.js';
import { GEN, READY, SPLITS_SIGNATURE, STOP, VERIFIED, controlAt, work, type WorkerStart } from './protocol.js';


/** Runs one worker; `post` sends to the pool. Returns only when the pool stops (or the start failed). */
export function runThread(data: unknown, post: (m: unknown) => void): void {
  const s = data as WorkerStart;
  if (s?.type !== 'descent-thread') return;
  let k: Kernels;
  try {
    const instance = new WebAssembly.Instance(s.module, {
      env: {
        memory: s.memory,
        abort(_m: number, _f: number, line: number, col: number) {
          throw new Error(`descent: a Wasm kernel aborted at line ${line}:${col} (debug build)`);
        },
      },
    });
    k = instance.exports as unknown as Kernels;
    k.set_scratch(s.scratch);
  } catch (e) {
    post({ type: 'failed', error: String((e as Error)?.message ?? e) });
    return;
  }
  const c = controlAt(s.memory.buffer, s.control);
  const ctl = c.ctl;
  const signature = SPLITS_SIGNATURE;
  Atomics.add(ctl, READY, 1);
  if (s.signature === signature) Atomics.add(ctl, VERIFIED, 1);
  post({ type: 'ready', index: s.index, signature });
  let seen = Atomics.load(ctl, GEN);
  for (;;) {
    if (Atomics.load(ctl, STOP) !== 0) return;
    work(c, k);
    let g = Atomics.load(ctl, GEN);
    for (let i = 0; i < s.spin && g === seen; i++) g = Atomics.load(ctl, GEN);
    if (g === seen) {
      Atomics.wait(ctl, GEN, seen);
      g = Atomics.load(ctl, GEN);
    }
    seen = g;
  }
}
