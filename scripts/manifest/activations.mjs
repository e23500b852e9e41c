// Activations and their backward (from the forward output y), row softmax, the fused bias +
// activation epilogue and column sums. Kernels: assembly/kernels/activations.ts; references:
// src/ref/activations.ts.
import { byRows, elementwise } from './parallel.mjs';

export default [
  {
    family: 'activations', asm: 'kernels/activations', ref: 'activations',
    kernels: [
      ['f32_relu(out: f32 out[n], x: f32 in[n], n: i32 dim)', { alias: 'out=x', parallel: elementwise() }],
      ['f32_relu_backward(dx: f32 out[n], dy: f32 in[n], y: f32 in[n], n: i32 dim)', { alias: 'dx=dy', parallel: elementwise() }],
      ['f32_leaky_relu(out: f32 out[n], x: f32 in[n], n: i32 dim, slope: f32 [0,1])', { alias: 'out=x', parallel: elementwise() }],
      ['f32_leaky_relu_backward(dx: f32 out[n], dy: f32 in[n], y: f32 in[n], n: i32 dim, slope: f32 [0,1])', { alias: 'dx=dy', parallel: elementwise() }],
      ['f32_tanh(out: f32 out[n], x: f32 in[n], n: i32 dim)', { alias: 'out=x', parallel: elementwise() }],
      ['f32_tanh_backward(dx: f32 out[n], dy: f32 in[n], y: f32 in[n] [-1,1], n: i32 dim)', { alias: 'dx=dy', parallel: elementwise() }],
      ['f32_sigmoid(out: f32 out[n], x: f32 in[n], n: i32 dim)', { alias: 'out=x', parallel: elementwise() }],
      ['f32_sigmoid_backward(dx: f32 out[n], dy: f32 in[n], y: f32 in[n] [0,1], n: i32 dim)', { alias: 'dx=dy', parallel: elementwise() }],
      ['f32_softmax_rows(out: f32 out[rows * cols], x: f32 in[rows * cols], rows: i32 dim, cols: i32 dim)', { alias: 'out=x', parallel: byRows() }],
      ['f32_softmax_rows_backward(dx: f32 out[rows * cols], dy: f32 in[rows * cols], y: f32 in[rows * cols] [0,1], rows: i32 dim, cols: i32 dim)', { alias: 'dx=dy', parallel: byRows() }],
      ['f32_bias_act_rows(out: f32 out[rows * cols], x: f32 in[rows * cols], bias: f32 in?[cols], rows: i32 dim, cols: i32 dim, act: i32 enum(ACT), slope: f32 [0,1])', { alias: 'out=x', parallel: byRows() }],
      ['f32_act_backward(dx: f32 out[n], dy: f32 in[n], y: f32 in[n], n: i32 dim, act: i32 enum(ACT), slope: f32 [0,1])', { alias: 'dx=dy', parallel: elementwise() }],
      ['f32_col_sum(out: f32 out[cols], x: f32 in[rows * cols], rows: i32 dim, cols: i32 dim)'],
    ],
  },
];
