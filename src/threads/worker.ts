/**
 * The Web Worker entry (browsers, Deno, Bun): started by src/threads/web-host.ts with
 * `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, which bundlers that
 * handle workers (Vite, webpack) follow. One message starts it; it then blocks in Atomics.wait.
 */
import { runThread } from './worker-loop.js';

const scope = globalThis as unknown as { onmessage: ((e: { data: unknown }) => void) | null; postMessage(m: unknown): void; close?(): void };
scope.onmessage = (e) => {
  scope.onmessage = null;
  runThread(e.data, (m) => scope.postMessage(m));
  scope.close?.();
};
