// Losses with their gradient in one pass; they return scale·Σ_i w_i Σ_c ℓ_ic accumulated in f64
// (f64 log/exp: a few ulps apart across backends) and write grad bit-identically.
// Kernels: assembly/kernels/losses.ts; references: src/ref/losses.ts.
import { reduceRows } from './parallel.mjs';

const ret = { tol: { ret: 'rel(1e-12)' }, alias: 'grad=x', parallel: reduceRows('sum') };
const rows = 'weight: f32 in?[rows] >=0, rows: i32 dim, cols: i32 dim, scale: f32 >0';
export default [
  {
    family: 'losses', asm: 'kernels/losses', ref: 'losses',
    kernels: [
      [`f32_mse_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols], ${rows}): f64`, ret],
      [`f32_mae_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols], ${rows}): f64`, ret],
      [`f32_huber_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols], ${rows}, delta: f32 >0): f64`, ret],
      [`f32_bce_logits_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols] [0,1], ${rows}): f64`, ret],
      [`f32_hinge_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols], ${rows}): f64`, ret],
      [`f32_squared_hinge_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], target: f32 in[rows * cols], ${rows}): f64`, ret],
      [`f32_softmax_xent_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], labels: i32 in[rows] <cols, ${rows}): f64`, ret],
      [`f32_multiclass_hinge_loss(grad: f32 out?[rows * cols], x: f32 in[rows * cols], labels: i32 in[rows] <cols, ${rows}, delta: f32 >0): f64`, ret],
    ],
  },
];
