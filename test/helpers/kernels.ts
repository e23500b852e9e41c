/**
 * What the table-driven kernel tests share: the manifest's kernels, every backend held at once, the
 * plain-JS reference modules by manifest path, and one function that checks a case on every
 * backend against the reference (scripts/kernel-harness.mjs does the work).
 */
import { KERNELS } from '../../scripts/manifest.mjs';
import {
  absValues, compare, describeCase, fillCase, runOnBackend, runOnReference,
} from '../../scripts/kernel-harness.mjs';
import type { Backend } from '../../src/backend/index.js';
import { getBackend } from '../../src/init.js';
import { Heap } from '../../src/ref/heap.js';
import { BACKENDS, useBackend } from './backends.js';

export { KERNELS };
export type Kernel = (typeof KERNELS)[number];

const modules = import.meta.glob('../../src/ref/**/*.ts', { eager: true }) as Record<string, Record<string, unknown>>;
/** src/ref/ modules keyed as the manifest names them ('blas1', 'optim/adam', ...). */
export const REF_MODULES: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(modules).map(([path, mod]) => [path.replace('../../src/ref/', '').replace(/\.ts$/, ''), mod]),
);

const makeHeap = (buffer: ArrayBuffer) => new Heap({ buffer });

/** The three backends, each initialized once and kept (switching init() leaves the old ones usable). */
export async function everyBackend(): Promise<Array<[string, Backend]>> {
  const out: Array<[string, Backend]> = [];
  for (const name of BACKENDS) {
    await useBackend(name);
    out.push([name, getBackend()]);
  }
  return out;
}

/**
 * Runs case `c` of kernel `k` on the reference and on every backend; returns the first disagreement
 * as a sentence naming the backend, the kernel and the case, or null.
 */
export function checkCase(k: Kernel, c: any, backends: Array<[string, Backend]>): string | null {
  const values = fillCase(k, c);
  const ref = runOnReference(k, c, REF_MODULES, makeHeap, values);
  const abs = typeof k.tol === 'string' && k.tol.startsWith('dot(')
    ? runOnReference(k, c, REF_MODULES, makeHeap, absValues(k, values))
    : null;
  for (const [name, b] of backends) {
    const got = runOnBackend(k, c, b, values);
    const why = compare(k, c, got, ref, abs, values);
    if (why) return `${k.name} on ${name}: ${why} (case ${describeCase(k, c, values)})`;
  }
  return null;
}
