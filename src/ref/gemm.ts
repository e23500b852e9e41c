/**
 * Plain-JS reference for assembly/kernels/gemm.ts, same arguments (byte pointers into `h`,
 * leading dimensions in elements). Each dot product is accumulated in float64 and rounded to
 * float32 once, then combined as fround(fround(alpha·s) + fround(beta·c)); the Wasm builds
 * accumulate in float32 in another order, so compare them with a tolerance
 * (|c − ref| <= K·2⁻²³·Σ|a||b| + tiny), not bit for bit.
 */
import type { Heap } from './heap.js';

const fr = Math.fround;
let rowAcc = new Float64Array(64);

export function f32_gemm(
  h: Heap, transA: number, transB: number, M: number, N: number, K: number,
  alpha: number, A: number, lda: number, B: number, ldb: number,
  beta: number, C: number, ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  const m = h.f32;
  const a0 = A >>> 2, b0 = B >>> 2, c0 = C >>> 2;
  alpha = fr(alpha);
  beta = fr(beta);
  if (K <= 0 || alpha === 0) {
    for (let i = 0; i < M; i++) {
      const r = c0 + i * ldc;
      for (let j = 0; j < N; j++) m[r + j] = beta === 0 ? 0 : fr(beta * m[r + j]);
    }
    return;
  }
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? 1 : ldb, csB = transB ? ldb : 1;
  if (rowAcc.length < N) rowAcc = new Float64Array(N);
  const acc = rowAcc;
  for (let i = 0; i < M; i++) {
    acc.fill(0, 0, N);
    const ai = a0 + i * rsA;
    if (csB === 1) {
      // i-k-j order: contiguous rows of op(B)
      for (let k = 0; k < K; k++) {
        const x = m[ai + k * csA];
        const bk = b0 + k * rsB;
        for (let j = 0; j < N; j++) acc[j] += x * m[bk + j];
      }
    } else {
      for (let j = 0; j < N; j++) {
        const bj = b0 + j * csB;
        let s = 0;
        for (let k = 0; k < K; k++) s += m[ai + k * csA] * m[bj + k * rsB];
        acc[j] = s;
      }
    }
    const r = c0 + i * ldc;
    for (let j = 0; j < N; j++) {
      const v = fr(alpha * fr(acc[j]));
      m[r + j] = beta === 0 ? v : fr(v + fr(beta * m[r + j]));
    }
  }
}

/** The js path's peak probe: the same chains in float64 JS numbers (iters·24 flops). */
export function f32_peak_probe(iters: number): number {
  const mm = 0.999999, c = 1e-7;
  let a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8, a8 = 9, a9 = 10, a10 = 11, a11 = 12;
  for (let i = 0; i < iters; i++) {
    a0 = a0 * mm + c; a1 = a1 * mm + c; a2 = a2 * mm + c; a3 = a3 * mm + c;
    a4 = a4 * mm + c; a5 = a5 * mm + c; a6 = a6 * mm + c; a7 = a7 * mm + c;
    a8 = a8 * mm + c; a9 = a9 * mm + c; a10 = a10 * mm + c; a11 = a11 * mm + c;
  }
  return fr(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
}

/** The js path's fused peak probe: the eight chains of the Wasm one in float64 JS numbers (iters·16 flops). */
export function f32_madd_peak_probe(iters: number): number {
  const mm = 0.999999, c = 1e-7;
  let a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8;
  for (let i = 0; i < iters; i++) {
    a0 = a0 * mm + c; a1 = a1 * mm + c; a2 = a2 * mm + c; a3 = a3 * mm + c;
    a4 = a4 * mm + c; a5 = a5 * mm + c; a6 = a6 * mm + c; a7 = a7 * mm + c;
  }
  return fr(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
}
