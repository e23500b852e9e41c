/**
 * The js backend: the src/ref/ twin of every kernel over a plain ArrayBuffer memory. Its own module
 * so that only a runtime that runs backend 'js' loads it: init() imports it on demand; the Node entry
 * registers it up front, so that initSync({ backend: 'js' }) works there too (src/init.ts).
 */
import { Arena } from '../memory/arena.js';
import { BufferMemory, PAGE_BYTES } from '../memory/linear-memory.js';
import { REF_HEAP_BASE } from '../ref/abi.js';
import { createRefKernels } from '../ref/bindings.gen.js';
import { Heap } from '../ref/heap.js';
import { serialThreads } from '../threads/index.js';
import { INITIAL_PAGES, type Backend } from './index.js';

/** A js backend whose memory may grow to `maxBytes`. */
export function createJsBackend(maxBytes: number): Backend {
  const memory = new BufferMemory(INITIAL_PAGES, Math.floor(maxBytes / PAGE_BYTES));
  const raw = createRefKernels(new Heap(memory));
  const arena = new Arena(memory, REF_HEAP_BASE, maxBytes);
  return { name: 'js', k: serialThreads(raw).k, raw, memory, arena, pool: null };
}
