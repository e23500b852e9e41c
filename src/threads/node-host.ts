/// <reference types="node" />
/**
 * Threads in Node: worker_threads running dist/threads/node-worker.js (next to this module; the
 * one-file bundle has its own copy next to it), unref'd so that they never keep a process alive.
 * Imported only by the Node entry (src/entry/node.ts): nothing else may import node: modules.
 * Node's built-in modules are taken on first use (nodeBuiltin), not imported: importing
 * node:worker_threads and node:fs as ES modules costs a fresh process several milliseconds of
 * `import('descent')` that a program which never starts a worker would pay for nothing.
 */
import { createRequire } from 'node:module';
import type { ThreadHost } from './pool.js';

interface Builtins {
  'node:fs': typeof import('node:fs');
  'node:module': typeof import('node:module');
  'node:os': typeof import('node:os');
  'node:url': typeof import('node:url');
  'node:worker_threads': typeof import('node:worker_threads');
}

let load: ((id: string) => unknown) | null = null;

/**
 * A Node built-in module, loaded synchronously on first use: process.getBuiltinModule (Node 20.16+),
 * else require() through createRequire.
 */
export function nodeBuiltin<K extends keyof Builtins>(id: K): Builtins[K] {
  load ??= (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process) ?? createRequire(import.meta.url);
  return load(id) as Builtins[K];
}

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
  cores: () => {
    const os = nodeBuiltin('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  },
  canBlock: () => true,
  unavailable: () => (typeof SharedArrayBuffer !== 'function' ? 'this runtime has no SharedArrayBuffer' : null),
  spawn(on) {
    // No Node options: the process's V8 flags (--expose-gc, --experimental-wasm-*) are process-wide and
    // reach the worker anyway, while inheriting options meant for the main script breaks its start
    // (--input-type: "can only be used with string input"; --expose-gc: "invalid execArgv flags").
    const { Worker } = nodeBuiltin('node:worker_threads');
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
