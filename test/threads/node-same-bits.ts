/** The same-bits probe (test/threads/same-bits.js) in Node on wasm-simd with `threads` threads. */
import * as descent from '../../src/entry/node.js';
// @ts-expect-error plain JS module shared by every runtime
import { sameBitsProbe } from './same-bits.js';

export async function nodeSameBits(threads: number): Promise<{ threads: number; threadsReason: string; backend: string; bits: string }> {
  await descent.init({ backend: 'wasm-simd', threads });
  await descent.threadsReady();
  return sameBitsProbe(descent);
}
