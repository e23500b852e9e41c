/**
 * Threads in Chromium on a cross-origin isolated page (the 'chromium-isolated' project of
 * vitest.config.ts serves COOP/COEP): Web Workers over shared memory, the page's main thread spinning
 * where it may not Atomics.wait, and the same bits for 1, 2 and 3 threads.
 */
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/url.js';
// @ts-expect-error plain JS module shared by every runtime
import { sameBitsProbe } from './same-bits.js';

describe('threads in Chromium (cross-origin isolated page)', () => {
  it('the page is cross-origin isolated and has shared memory', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('init({ threads: 2 }) starts a Web Worker and says so once it is up (one thread until then)', async () => {
    const started = await descent.init({ backend: 'wasm-simd', threads: 2 });
    expect(started).toMatchObject({ threads: 1, threadsReason: 'starting 1 Web Workers worker; one thread until it is up' });
    const info = await descent.threadsReady();
    expect(info.threads).toBe(2);
    expect(info.threadsReason).toMatch(/2 threads: the caller and 1 Web Workers worker over shared memory/);
  });

  it('the same bits for 1, 2 and 3 threads (optimizer, autodiff GEMM, reductions)', async () => {
    const runs = [];
    for (const threads of [1, 2, 3]) {
      await descent.init({ backend: 'wasm-simd', threads });
      await descent.threadsReady();
      runs.push(sameBitsProbe(descent));
    }
    expect(runs.map((r) => r.threads)).toEqual([1, 2, 3]);
    expect(runs[1].bits).toBe(runs[0].bits);
    expect(runs[2].bits).toBe(runs[0].bits);
  });

  it('dispose() stops the workers; the default starts threads again', async () => {
    descent.dispose();
    expect(descent.isInitialized()).toBe(false);
    await descent.init();
    const info = await descent.threadsReady();
    expect(info.threads).toBe(Math.min(navigator.hardwareConcurrency, 4));
  });
});
