import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/init.js';
import { scratchBase } from '../../src/backend/index.js';
import { GEMM_SCRATCH_BYTES } from '../../src/wasm/constants.gen.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';

// Shapes chosen to hit every edge of the kernels: empty, 1×1×1, odd edges in M (tiles of 4 and 2),
// N (panels of 8, 4 and a scalar tail), K (blocks of 256, vector steps of 4 and a tail), and the
// MLP's shapes.
const SHAPES: Array<[number, number, number]> = [
  [0, 0, 0], [0, 3, 4], [3, 0, 4], [3, 4, 0], [1, 1, 1], [1, 8, 1], [2, 3, 4],
  [17, 33, 5], [5, 17, 33], [33, 5, 17], [4, 8, 16], [7, 9, 13], [9, 12, 3], [6, 15, 2],
  [3, 1, 300], [1, 3, 300], [13, 23, 517], [64, 10, 128], [10, 64, 257],
  // a panel of B that fits L1 but is cut into column chunks (kc·N <= 8192, nc = 56 for kc = 70),
  // with full 4-row blocks of adjacent rows (TN) and a partial last one, and every column tail
  [37, 150, 70], [150, 37, 70],
  // the small models' steps (issue 13): softmax regression on digits (X·W 32×10×64, Xᵀ·G 64×10×32)
  // and MLP(64) (32×64×64, 64×64×32, G·W₂ᵀ 32×64×10), and ten columns at the smallest row counts
  [32, 10, 64], [64, 10, 32], [32, 64, 64], [64, 64, 32], [32, 64, 10], [4, 10, 4], [5, 10, 9], [8, 11, 3],
  // TN's column tiles (8 rows down each of the last 1-3 columns) with a row remainder, and over
  // two K blocks (the second adds into C)
  [17, 9, 20], [24, 11, 7], [16, 10, 300],
  // a large panel of B (kc·N > 8192: strips of 8 columns copied to the thread's scratch, then 4
  // and 1 columns read in place) over two K blocks, with a row remainder; transposed for TT
  [37, 45, 300], [45, 37, 300],
];
const TRANS: Array<[number, number]> = [[0, 0], [1, 0], [0, 1], [1, 1]];
const SCALARS: Array<[number, number]> = [[1, 0], [0.5, -1.5], [-2, 1], [0, 2.5], [1.25, 0]];
const PAD = 3; // leading dimensions are cols + PAD, and the padding must stay untouched
const SENTINEL = -777.25;

interface Case { tA: number; tB: number; M: number; N: number; K: number; alpha: number; beta: number }

/** Stored A (rows × cols with lda), B, C with padding; op(A) is M×K, op(B) is K×N. */
function makeCase(c: Case, seed: number) {
  const [ar, ac] = c.tA ? [c.K, c.M] : [c.M, c.K];
  const [br, bc] = c.tB ? [c.N, c.K] : [c.K, c.N];
  const lda = ac + PAD, ldb = bc + PAD, ldc = c.N + PAD;
  const A = seeded(ar * lda, seed), B = seeded(br * ldb, seed + 1), C = seeded(c.M * ldc, seed + 2);
  for (let i = 0; i < ar; i++) for (let j = ac; j < lda; j++) A[i * lda + j] = NaN; // never read
  for (let i = 0; i < br; i++) for (let j = bc; j < ldb; j++) B[i * ldb + j] = NaN;
  for (let i = 0; i < c.M; i++) for (let j = c.N; j < ldc; j++) C[i * ldc + j] = SENTINEL;
  if (c.beta === 0) for (let i = 0; i < c.M; i++) for (let j = 0; j < c.N; j++) C[i * ldc + j] = (i + j) % 3 ? NaN : Infinity;
  return { A, B, C, lda, ldb, ldc };
}

/** float64 reference and the per-element bound K·2⁻²³·(|α|Σ|a||b| + |βc|) + tiny. */
function reference(c: Case, d: ReturnType<typeof makeCase>) {
  const ref = new Float64Array(c.M * c.N), bound = new Float64Array(c.M * c.N);
  const a = (i: number, k: number) => (c.tA ? d.A[k * d.lda + i] : d.A[i * d.lda + k]);
  const b = (k: number, j: number) => (c.tB ? d.B[j * d.ldb + k] : d.B[k * d.ldb + j]);
  const alpha = Math.fround(c.alpha), beta = Math.fround(c.beta);
  for (let i = 0; i < c.M; i++) {
    for (let j = 0; j < c.N; j++) {
      let s = 0, sAbs = 0;
      if (alpha !== 0) for (let k = 0; k < c.K; k++) { s += a(i, k) * b(k, j); sAbs += Math.abs(a(i, k) * b(k, j)); }
      const c0 = beta === 0 ? 0 : beta * d.C[i * d.ldc + j];
      ref[i * c.N + j] = alpha * s + c0;
      bound[i * c.N + j] = (c.K + 3) * 2 ** -23 * (Math.abs(alpha) * sAbs + Math.abs(c0)) + 1e-30;
    }
  }
  return { ref, bound };
}

function runGemm(c: Case, d: ReturnType<typeof makeCase>) {
  const { k, arena, memory } = getBackend();
  const pa = arena.alloc(d.A.length * 4), pb = arena.alloc(d.B.length * 4), pc = arena.alloc(d.C.length * 4);
  try {
    new Float32Array(memory.buffer, pa, d.A.length).set(d.A);
    new Float32Array(memory.buffer, pb, d.B.length).set(d.B);
    new Float32Array(memory.buffer, pc, d.C.length).set(d.C);
    k.f32_gemm(c.tA, c.tB, c.M, c.N, c.K, c.alpha, pa, d.lda, pb, d.ldb, c.beta, pc, d.ldc);
    return {
      A: new Float32Array(memory.buffer, pa, d.A.length).slice(),
      B: new Float32Array(memory.buffer, pb, d.B.length).slice(),
      C: new Float32Array(memory.buffer, pc, d.C.length).slice(),
    };
  } finally {
    arena.free(pa); arena.free(pb); arena.free(pc);
  }
}

function check(c: Case, seed: number) {
  const d = makeCase(c, seed);
  const { ref, bound } = reference(c, d);
  const out = runGemm(c, d);
  let worst = 0;
  for (let i = 0; i < c.M; i++) {
    for (let j = 0; j < c.N; j++) {
      const got = out.C[i * d.ldc + j], r = ref[i * c.N + j];
      const err = Math.abs(got - r);
      if (!(err <= bound[i * c.N + j])) {
        throw new Error(`C[${i},${j}] = ${got}, reference ${r}, |err| ${err} > bound ${bound[i * c.N + j]} (${JSON.stringify(c)})`);
      }
      worst = Math.max(worst, err / bound[i * c.N + j]);
    }
    for (let j = c.N; j < d.ldc; j++) expect(out.C[i * d.ldc + j]).toBe(SENTINEL);
  }
  // inputs are read-only
  for (let i = 0; i < d.A.length; i++) if (!Object.is(out.A[i], d.A[i]) && !(Number.isNaN(d.A[i]) && Number.isNaN(out.A[i]))) throw new Error('A was modified');
  for (let i = 0; i < d.B.length; i++) if (!Object.is(out.B[i], d.B[i]) && !(Number.isNaN(d.B[i]) && Number.isNaN(out.B[i]))) throw new Error('B was modified');
  return worst;
}

describe.each(BACKENDS)('f32_gemm on %s', (backend) => {
  it.each(TRANS)('transA=%i transB=%i: every shape and alpha/beta within K·2⁻²³·Σ|a||b| of float64, padding untouched', async (tA, tB) => {
    await useBackend(backend);
    let seed = 11;
    for (const [M, N, K] of SHAPES) {
      for (const [alpha, beta] of SCALARS) {
        check({ tA, tB, M, N, K, alpha, beta }, seed++);
      }
    }
  });

  it('beta = 0 ignores NaN and Inf already in C; alpha = 0 and K = 0 only scale C', async () => {
    await useBackend(backend);
    const { k, arena, memory } = getBackend();
    const pa = arena.alloc(64), pb = arena.alloc(64), pc = arena.alloc(64);
    const C = () => new Float32Array(memory.buffer, pc, 4);
    new Float32Array(memory.buffer, pa, 4).set([1, 2, 3, 4]);
    new Float32Array(memory.buffer, pb, 4).set([1, 0, 0, 1]);
    C().set([NaN, Infinity, -Infinity, NaN]);
    k.f32_gemm(0, 0, 2, 2, 2, 1, pa, 2, pb, 2, 0, pc, 2);
    expect(Array.from(C())).toEqual([1, 2, 3, 4]);
    k.f32_gemm(0, 0, 2, 2, 2, 0, pa, 2, pb, 2, 3, pc, 2);
    expect(Array.from(C())).toEqual([3, 6, 9, 12]);
    k.f32_gemm(0, 0, 2, 2, 0, 1, pa, 2, pb, 2, 0, pc, 2);
    expect(Array.from(C())).toEqual([0, 0, 0, 0]);
    // A·Aᵀ and Aᵀ·A with A = B (the same matrix read twice)
    k.f32_gemm(0, 1, 2, 2, 2, 1, pa, 2, pa, 2, 0, pc, 2);
    expect(Array.from(C())).toEqual([5, 11, 11, 25]);
    k.f32_gemm(1, 0, 2, 2, 2, 1, pa, 2, pa, 2, 0, pc, 2);
    expect(Array.from(C())).toEqual([10, 14, 14, 20]);
    // 0·NaN is NaN on every backend (no skipping of zero entries)
    new Float32Array(memory.buffer, pa, 4).set([0, 0, 0, 0]);
    new Float32Array(memory.buffer, pb, 4).set([NaN, 1, 1, Infinity]);
    k.f32_gemm(0, 0, 2, 2, 2, 1, pa, 2, pb, 2, 0, pc, 2);
    expect(Array.from(C()).map(Number.isNaN)).toEqual([true, true, true, true]);
    arena.free(pa); arena.free(pb); arena.free(pc);
  });
});

describe('the GEMM scratch (set_scratch)', () => {
  // large panels (kc·N > 8192) copy each 8-column strip of B to the thread's scratch before use, and
  // so do small ones with 64 rows or more and B's rows 256 bytes apart or more (here TN 100×64×70 in
  // chunks of 56 and 8 columns, NN 72×100×40 with a 4-column tail); without a scratch (0) they read B
  // in place: the same products in the same order
  const LARGE: Array<[number, number, number, number, number]> = [
    [1, 1, 45, 37, 300], [0, 0, 64, 128, 784], [0, 0, 37, 45, 300], [1, 0, 30, 77, 513], [0, 0, 5, 200, 256],
    [1, 0, 100, 64, 70], [0, 0, 72, 100, 40], [1, 0, 784, 128, 64],
  ];
  it.each(['wasm-simd', 'wasm-scalar'] as const)('%s: packed and in-place large panels give the same bits, and the scratch sits below the arena', async (backend) => {
    await useBackend(backend);
    const { raw, arena, memory } = getBackend();
    const at = scratchBase(raw);
    expect(at % 64).toBe(0);
    expect(at).toBeGreaterThanOrEqual(raw.heap_base());
    expect(arena.base).toBeGreaterThanOrEqual(at + GEMM_SCRATCH_BYTES);
    let seed = 400;
    for (const [tA, tB, M, N, K] of LARGE) {
      const d = makeCase({ tA, tB, M, N, K, alpha: 1, beta: 0 }, seed++);
      const pa = arena.alloc(d.A.length * 4), pb = arena.alloc(d.B.length * 4), pc = arena.alloc(d.C.length * 4);
      try {
        new Float32Array(memory.buffer, pa, d.A.length).set(d.A);
        new Float32Array(memory.buffer, pb, d.B.length).set(d.B);
        const run = () => {
          new Float32Array(memory.buffer, pc, d.C.length).set(d.C);
          raw.f32_gemm(tA, tB, M, N, K, 0.75, pa, d.lda, pb, d.ldb, 0, pc, d.ldc);
          return new Float32Array(memory.buffer, pc, d.C.length).slice();
        };
        const packed = run();
        raw.set_scratch(0);
        let inPlace: Float32Array;
        try {
          inPlace = run();
        } finally {
          raw.set_scratch(at);
        }
        expect(sameBits(packed, inPlace), `${tA}${tB} ${M}×${N}×${K}`).toBe(true);
        // and the packed result is a product (not two equal wrong answers): within the bound
        const ref = reference({ tA, tB, M, N, K, alpha: 0.75, beta: 0 }, d);
        const got = packed;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) expect(Math.abs(got[i * d.ldc + j] - ref.ref[i * N + j])).toBeLessThanOrEqual(ref.bound[i * N + j]);
        }
      } finally {
        arena.free(pa); arena.free(pb); arena.free(pc);
      }
    }
  });
});

describe('f32_peak_probe', () => {
  it('returns a finite value on every backend and scales with iters', async () => {
    for (const b of BACKENDS) {
      await useBackend(b);
      const v = getBackend().k.f32_peak_probe(1000);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
      expect(getBackend().k.f32_peak_probe(0)).toBe(78);
    }
  });
});

describe('f32_madd_peak_probe', () => {
  it('runs eight chains on every backend: 36 at zero iterations, the same chains as the reference after 1000', async () => {
    await useBackend('js');
    const ref = getBackend().k.f32_madd_peak_probe(1000);
    for (const b of BACKENDS) {
      await useBackend(b);
      expect(getBackend().k.f32_madd_peak_probe(0)).toBe(36);
      const v = getBackend().k.f32_madd_peak_probe(1000);
      expect(Math.abs(v - ref) / ref).toBeLessThan(1e-4); // float32 chains against float64 ones
      expect(v).not.toBe(getBackend().k.f32_madd_peak_probe(999)); // the iterations run
    }
  });
});
