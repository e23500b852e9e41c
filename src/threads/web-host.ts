/**
 * Threads with Web Workers (browsers, Deno, Bun): module workers running dist/threads/worker.js,
 * named with the literal `new URL('./worker.js', import.meta.url)` that Vite and webpack follow.
 * A browser page must be cross-origin isolated (COOP: same-origin, COEP: require-corp) for shared
 * memory; elsewhere the library runs on one thread and backendInfo() says why.
 */
import type { ThreadHost } from './pool.js';

interface WorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  unref?(): void;
  addEventListener(type: string, fn: (e: any) => void): void;
}
type WorkerCtor = (new (url: URL, opts: { type: 'module'; name?: string }) => WorkerLike) & { prototype: Partial<WorkerLike> };

const g = globalThis as unknown as { Worker?: WorkerCtor; crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; Deno?: unknown };

function startWorker(W: WorkerCtor): WorkerLike {
  if (import.meta.url.endsWith('.ts')) {
    const built = '../../dist/threads/' + 'worker.js'; // running from src/ (tests): the built worker
    return new W(new URL(built, import.meta.url), { type: 'module', name: 'descent' });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'descent' }) as unknown as WorkerLike;
}

let blockable: boolean | null = null;

export const webThreadHost: ThreadHost = {
  kind: 'Web Workers',
  cores: () => g.navigator?.hardwareConcurrency ?? 1,
  canBlock() {
    if (blockable === null) {
      try {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
        blockable = true;
      } catch {
        blockable = false; // a browser page's main thread: the pool spins instead
      }
    }
    return blockable;
  },
  unavailable() {
    if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
      return 'this page is not cross-origin isolated, so it has no shared memory: serve it with the headers ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
    }
    if (typeof g.Worker !== 'function') return 'this runtime has no Worker';
    if (g.Deno !== undefined && typeof g.Worker.prototype.unref !== 'function') {
      return "Deno's Web Workers cannot be unref'd, and a worker would keep the process from exiting";
    }
    return null;
  },
  spawn(on) {
    const w = startWorker(g.Worker!);
    w.unref?.(); // Bun: a worker must never keep the process alive (browsers have no unref and need none)
    w.addEventListener('message', (e) => on.message(e.data));
    w.addEventListener('error', (e) => on.error(new Error(e?.message || 'the worker script failed to load (is dist/threads/worker.js served next to the library?)')));
    w.addEventListener('messageerror', () => on.error(new Error('the worker could not receive the shared memory or the module')));
    return { post: (d) => w.postMessage(d), terminate: () => w.terminate() };
  },
};
