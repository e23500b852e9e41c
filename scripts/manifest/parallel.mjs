// The `parallel` options the families share (grammar: scripts/manifest.mjs, "parallel"). The
// thresholds are work counts below which a call stays on one thread; bench/threads.bench.mjs
// measures the cost of one synchronisation and the per-element cost they are chosen from.

/** Element-wise work (elements) below which one thread runs the call. */
export const ELEMENTWISE_MIN = 65536;
/** Optimizer steps touch 3-5 arrays and take a sqrt and a division per element: they pay sooner. */
export const OPTIM_MIN = 32768;
/** GEMM multiply-adds (M·N·K) below which one thread runs the call. */
export const GEMM_MIN = 1 << 18;
/** Units per fixed block of a reduction (never a function of the thread count). */
export const REDUCE_BLOCK = 65536;

/** Split the element count n in 16-element (64-byte) pieces. */
export const elementwise = (min = ELEMENTWISE_MIN) => ({ split: 'n', align: 16, min });
/** Split rows of a row-major rows × cols operand; work per row is cols. */
export const byRows = (rows = 'rows', cols = 'cols') => ({ split: rows, work: cols, min: ELEMENTWISE_MIN });
/** A reduction over n in fixed blocks of REDUCE_BLOCK elements, combined in block order. */
export const reduceN = (reduce) => ({ split: 'n', align: 16, reduce, block: String(REDUCE_BLOCK) });
/** A reduction over rows in fixed blocks of about REDUCE_BLOCK elements, combined in block order. */
export const reduceRows = (reduce) => ({ split: 'rows', reduce, block: `Math.max(1, Math.ceil(${REDUCE_BLOCK} / Math.max(1, cols)))` });
/**
 * GEMM (and each matrix of a batched GEMM) split by rows of C in multiples of 4, the SIMD tile
 * height: row i of op(A) starts i·lda elements in (1 when A is read transposed), row i of C i·ldc
 * in; B is shared. Each element of C is summed by the same code in the same order whatever the split.
 */
export const gemmRows = { split: 'M', align: 4, offsets: { A: 'transA ? 1 : lda', C: 'ldc' }, work: 'N * K', min: GEMM_MIN };
/**
 * GEMM split by columns of C in multiples of 8, the SIMD tile width, when op(B)'s rows are
 * contiguous (B not transposed) and C has at least as many columns as rows: each range copies only
 * its own strips of B to its thread's scratch (split by rows, every range copies all of B: 256³
 * copies it four times over). Column j of op(B) and of C start j elements in; A is shared. Each
 * element of C is summed by the same code in the same order whatever the split (both panel paths
 * and every column tail run one lane per element along k).
 */
export const gemmCols = { split: 'N', align: 8, offsets: { B: '1', C: '1' }, work: 'M * K', min: GEMM_MIN, when: '!transB && N >= M' };
