/**
 * Threads fall back on a Chromium page that is not cross-origin isolated (the plain 'chromium'
 * project): no shared memory, so one thread runs, with the same results, and backendInfo() says why.
 */
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/url.js';
// @ts-expect-error plain JS module shared by every runtime
import { sameBitsProbe } from './same-bits.js';

describe('threads on a page that is not cross-origin isolated', () => {
  it('init({ threads: 2 }) runs one thread and names the headers that would enable threads', async () => {
    expect(globalThis.crossOriginIsolated).toBe(false);
    const info = await descent.init({ backend: 'wasm-simd', threads: 2 });
    expect(info.threads).toBe(1);
    expect(info.threadsReason).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
    const r = sameBitsProbe(descent);
    expect(r.threads).toBe(1);
    await descent.init({ backend: 'wasm-simd', threads: 1 });
    expect(sameBitsProbe(descent).bits).toBe(r.bits);
  });
});
