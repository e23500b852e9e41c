/// <reference types="node" />
/**
 * Threads in Node: worker_threads running dist/threads/node-worker.js (next to this module; the
 * one-file bundle has its own copy next to it), unref'd so that they never keep a process alive.
 * Imported only by the Node entry (src/entry/node.ts): nothing else may import node: modules.
 */
import { availableParallelism, cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadHost } from './pool.js';

/** The worker file: next to this module in dist/, or the built one when this runs from src/ (tests). */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) {
    const built = '../../dist/threads/' + 'node-worker.js'; // not a literal URL: bundlers must not follow it
    return new URL(built, import.meta.url);
  }
  return new URL('./node-worker.js', import.meta.url);
}

export const nodeThreadHost: ThreadHost = {
  kind: 'worker_threads',
  cores: () => (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length),
  canBlock: () => true,
  unavailable: () => (typeof SharedArrayBuffer !== 'function' ? 'this runtime has no SharedArrayBuffer' : null),
  spawn(on) {
    // No Node options: the process's V8 flags (--expose-gc, --experimental-wasm-*) are process-wide and
    // reach the worker anyway, while inheriting options meant for the main script breaks its start
    // (--input-type: "can only be used with string input"; --expose-gc: "invalid execArgv flags").
    const w = new Worker(workerUrl(), { execArgv: [] });
    w.on('message', on.message);
    w.on('error', on.error);
    w.on('exit', on.exit);
    // after the listeners: adding a 'message' listener refs the worker's port again
    w.unref();
    return {
      post: (d) => w.postMessage(d),
      terminate: () => void w.terminate(),
    };
  },
};
