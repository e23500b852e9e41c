// Embedding rows: a gather of rows of an f32 [rows, dim] weight by i32 indices (checked by the
// caller) and its backward, a scatter-add into a zeroed [rows, dim] gradient in index order (the
// same order as src/ref/tensor/embedding.ts). out and dw must not alias the other operands.
import { addInto } from "../lanes";

/** out[i, :] = weight[idx[i], :] for a weight of `rows` rows (the size of the table the indices address). */
export function f32_embedding(out: usize, weight: usize, idx: usize, n: i32, dim: i32, rows: i32): void {
  const bytes = <usize>dim << 2;
  for (let i = 0; i < n; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    memory.copy(out + <usize>i * bytes, weight + r * bytes, bytes);
  }
}

/** dw = 0, then dw[idx[i], :] += dy[i, :] */
export function f32_embedding_backward(dw: usize, dy: usize, idx: usize, n: i32, dim: i32, rows: i32): void {
  const bytes = <usize>dim << 2;
  memory.fill(dw, 0, <usize>rows * bytes);
  for (let i = 0; i < n; i++) {
    const d = dw + <usize>load<i32>(idx + (<usize>i << 2)) * bytes, s = dy + <usize>i * bytes;
    addInto(d, s, dim);
  }
}
