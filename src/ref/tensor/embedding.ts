/** References for assembly/kernels/tensor/embedding.ts: row gather and its scatter-add backward. */
import type { Arith, TensorHeap, Round } from './common.js';
import { arith } from './mathf.js';

export function f32_embedding(h: TensorHeap, out: number, weight: number, idx: number, n: number, dim: number, _rows: number): void {
  const m = h.f32, t = h.i32, o = out >>> 2, w = weight >>> 2, ii = idx >>> 2;
  for (let i = 0; i < n; i++) m.copyWithin(o + i * dim, w + t[ii + i] * dim, w + (t[ii + i] + 1) * dim);
}

export function f32_embedding_backward(h: TensorHeap, dw: number, dy: number, idx: number, n: number, dim: number, rows: number, fr: Round = Math.fround): void {
  const a = arith(fr);
  const m = h.f32, t = h.i32, d = dw >>> 2, g = dy >>> 2, ii = idx >>> 2;
  m.fill(0, d, d + rows * dim);
  for (let i = 0; i < n; i++) {
    const r = d + t[ii + i] * dim, s = g + i * dim;
    for (let j = 0; j < dim; j++) m[r + j] = fr(m[r + j] + m[s + j]);
  }
}
