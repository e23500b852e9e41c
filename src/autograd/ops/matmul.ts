/**
 * torch.matmul for 1-D, 2-D and batched 3-D operands (batch dimensions broadcast), on one batched
 * GEMM op whose operands may be read transposed. Kernel: f32_gemm_batched (f32_gemm per batch).
 */
import { apply, type Input, type OpDef } from '../engine.js';
import { fmt, shapeOf } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { reshape } from './shape.js';
import { sum } from './reduce.js';

interface Bmm {
  batch: number;
  M: number;
  N: number;
  K: number;
  lda: number;
  ldb: number;
  sA: number;
  sB: number;
}

/** op(a)·op(b) per batch; a, b are 2-D or 3-D (a batch of 1 or a 2-D operand broadcasts). */
export const BMM: OpDef = {
  name: 'matmul',
  args: ['a', 'b'],
  infer([a, b], at) {
    const ta = at.transA as boolean, tb = at.transB as boolean;
    const [Ba, ra, ca] = dims3(a, 'a'), [Bb, rb, cb] = dims3(b, 'b');
    const M = ta ? ca : ra, K = ta ? ra : ca, Kb = tb ? cb : rb, N = tb ? rb : cb;
    if (K !== Kb) {
      throw new RangeError(`matmul: a ${fmt(a.shape)} and b ${fmt(b.shape)} do not chain (${K} columns of a vs ${Kb} rows of b)`);
    }
    if (Ba !== Bb && Ba !== 1 && Bb !== 1) {
      throw new RangeError(`matmul: batch sizes of a ${fmt(a.shape)} and b ${fmt(b.shape)} differ (${Ba} vs ${Bb}); they must match or be 1`);
    }
    const batch = Math.max(Ba, Bb), three = a.shape.length === 3 || b.shape.length === 3;
    const cache: Bmm = { batch, M, N, K, lda: ca, ldb: cb, sA: Ba === 1 ? 0 : ra * ca, sB: Bb === 1 ? 0 : rb * cb };
    return { shape: three ? [batch, M, N] : [M, N], cache };
  },
  run(k, node) {
    const c = node.cache as Bmm, [a, b] = node.inputs;
    const ta = node.attrs.transA ? 1 : 0, tb = node.attrs.transB ? 1 : 0;
    // `into`: a Param whose gradient this product is; it is added straight into p.grad (see grad.ts)
    const into = node.attrs.into as { obj: { gradPtr: number } } | undefined;
    if (into !== undefined) {
      k.f32_gemm(ta, tb, c.M, c.N, c.K, 1, a.ptr, c.lda, b.ptr, c.ldb, node.attrs.beta, into.obj.gradPtr, c.N);
      return;
    }
    const o = node.out!.ptr;
    if (c.batch === 1) k.f32_gemm(ta, tb, c.M, c.N, c.K, 1, a.ptr, c.lda, b.ptr, c.ldb, 0, o, c.N);
    else k.f32_gemm_batched(ta, tb, c.batch, c.M, c.N, c.K, 1, a.ptr, c.lda, c.sA, b.ptr, c.ldb, c.sB, 0, o, c.N, c.M * c.N);
  },
  vjp(node, g, needs) {
    const [a, b] = node.inputs, ta = node.attrs.transA as boolean, tb = node.attrs.transB as boolean;
    let ga: Val | null = null, gb: Val | null = null;
    if (needs[0]) ga = fold(ta ? bmm(b, g, tb, true) : bmm(g, b, false, !tb), a);
    if (needs[1]) gb = fold(tb ? bmm(g, a, true, ta) : bmm(a, g, !ta, false), b);
    return [ga, gb];
  },
};

function dims3(v: Val, name: string): [number, number, number] {
  const s = v.shape;
  if (s.length === 2) return [1, s[0], s[1]];
  if (s.length === 3) return [s[0], s[1], s[2]];
  throw new RangeError(`matmul: ${name} has shape ${fmt(s)}; matmul takes 1-D, 2-D or 3-D (batched) tensors`);
}

/** A tensor for numbers or (nested) arrays (their own shape), so matmul can see operand ranks. */
function shaped(v: Input): Input {
  if (typeof v === 'object' && v !== null && 'shape' in v) return v;
  return reshape(v, shapeOf(v) ?? []);
}

/** Sums a per-batch gradient over the batch when the operand was broadcast across it. */
function fold(g: Val, operand: Val): Val {
  if (g.shape.length === operand.shape.length && g.shape[0] === operand.shape[0]) return g;
  if (operand.shape.length === 2) return sum(g, { axis: 0 }); // a 2-D operand used by every batch
  return sum(g, { axis: 0, keepdim: true }); // a batch of 1
}

export const bmm = (a: Input, b: Input, transA = false, transB = false): ATensor => apply(BMM, [a, b], { transA, transB });

/**
 * torch.matmul: 2-D × 2-D, batched 3-D (either side may be 2-D or have batch 1), and 1-D operands
 * (a vector is a row on the left, a column on the right; that dimension is dropped from the result).
 */
/**
 * Matrix product with torch.matmul's rules for 1-D, 2-D and batched 3-D operands (batches broadcast).
 * @example
 * await init();
 * ops.matmul([[1, 2], [3, 4]], [[5], [6]]).toArray(); // → [17, 39]
 */
export function matmul(a: Input, b: Input): ATensor {
  a = shaped(a);
  b = shaped(b);
  const sa = (a as Val).shape, sb = (b as Val).shape;
  if (sa.length === 1 || sb.length === 1) {
    if (sa.length === 0 || sb.length === 0) throw new RangeError(`matmul: a ${fmt(sa)} and b ${fmt(sb)}: both operands need at least one dimension`);
    const a2 = sa.length === 1 ? reshape(a, [1, sa[0]]) : a;
    const b2 = sb.length === 1 ? reshape(b, [sb[0], 1]) : b;
    const r = bmm(a2, b2);
    const shape = r.shape.slice();
    if (sb.length === 1) shape.pop();
    if (sa.length === 1) shape.splice(shape.length - 1 - (sb.length === 1 ? 0 : 1), 1);
    return reshape(r, shape);
  }
  if (sa.length === 3 && sb.length === 2) {
    // one GEMM over the stacked rows: [B·M, K]·[K, N]
    const r = bmm(reshape(a, [sa[0] * sa[1], sa[2]]), b);
    return reshape(r, [sa[0], sa[1], r.shape[1]]);
  }
  return bmm(a, b);
}
