/// <reference types="node" />
/**
 * The Node worker_threads entry: started by src/threads/node-host.ts with
 * `new Worker(new URL('./node-worker.js', import.meta.url))`. One message starts it; it then blocks
 * in Atomics.wait (the pool terminates it, and it is unref'd so it never keeps a process alive).
 */
import { parentPort } from 'node:worker_threads';
import { runThread } from './worker-loop.js';

parentPort?.once('message', (data) => {
  runThread(data, (m) => parentPort!.postMessage(m));
  process.exit(0);
});
