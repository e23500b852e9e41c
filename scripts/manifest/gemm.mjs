// Matrix products. Kernels: assembly/kernels/gemm.ts; references: src/ref/gemm.ts.
import { gemmCols, gemmRows } from './parallel.mjs';

export default [
  {
    family: 'gemm', asm: 'kernels/gemm', ref: 'gemm',
    kernels: [
      ['f32_gemm(transA: i32 bool, transB: i32 bool, M: i32 dim, N: i32 dim, K: i32 dim, alpha: f32, ' +
        'A: f32 in[(transA ? K : M) * lda], lda: i32 ld(transA ? M : K), B: f32 in[(transB ? N : K) * ldb], ' +
        'ldb: i32 ld(transB ? K : N), beta: f32, C: f32 inout[M * ldc], ldc: i32 ld(N))', { tol: 'dot(K, alpha)', parallel: [gemmCols, gemmRows] }],
      ['f32_peak_probe(iters: i32 =0): f32', { pure: true, bench: false }],
      ['f32_madd_peak_probe(iters: i32 =0): f32', { pure: true, bench: false }],
    ],
  },
];
