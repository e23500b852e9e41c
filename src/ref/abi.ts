/**
 * Plain-JS references for assembly/abi.ts: what the js backend reports about itself, and the SIMD
 * probe computed as the Wasm builds compute it (float32 multiply, add, then the sum of the lanes).
 */
import { ABI_VERSION } from '../wasm/constants.gen.js';
import type { Heap } from './heap.js';

/** First usable byte of the js backend's memory (the first 16 bytes are never handed out). */
export const REF_HEAP_BASE = 16;

export const abi_simd = (_h: Heap): number => 0;
export const abi_version = (_h: Heap): number => ABI_VERSION;
export const heap_base = (_h: Heap): number => REF_HEAP_BASE;
/** The Wasm builds' GEMM packing buffer; the reference GEMM packs nothing. */
export const set_scratch = (_h: Heap, _p: number): void => {};

export function simd_probe(h: Heap, p: number): number {
  const fr = Math.fround;
  const m = h.f32, i = p >>> 2;
  for (let k = 0; k < 4; k++) {
    m[i + 8 + k] = fr(m[i + k] * m[i + 4 + k]) + m[i + k];
  }
  return fr(fr(fr(m[i + 8] + m[i + 9]) + m[i + 10]) + m[i + 11]);
}
