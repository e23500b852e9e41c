// Level-1 vector kernels. Kernels: assembly/kernels/blas1.ts; references: src/ref/blas1.ts.
import { elementwise, reduceN } from './parallel.mjs';

export default [
  {
    family: 'blas1', asm: 'kernels/blas1', ref: 'blas1',
    kernels: [
      ['f32_fill(out: f32 out[n], value: f32, n: i32 dim)', { parallel: elementwise() }],
      ['f32_copy(out: f32 out[n], x: f32 in[n], n: i32 dim)', { alias: 'out=x', parallel: elementwise() }],
      ['f32_scale(out: f32 out[n], a: f32, x: f32 in[n], n: i32 dim)', { alias: 'out=x', parallel: elementwise() }],
      ['f32_axpy(out: f32 out[n], a: f32, x: f32 in[n], y: f32 in[n], n: i32 dim)', { alias: 'out=x out=y', parallel: elementwise() }],
      ['f32_dot(x: f32 in[n], y: f32 in[n], n: i32 dim): f32', { alias: 'x=y', parallel: reduceN('sum') }],
      ['f32_sum(x: f32 in[n], n: i32 dim): f32', { parallel: reduceN('sum') }],
      ['f32_sumsq(x: f32 in[n], n: i32 dim): f32', { parallel: reduceN('sum') }],
    ],
  },
];
