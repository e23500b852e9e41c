// Weight penalties: R = l1·Σ|w| + ½·l2·Σw², adding l2·w + l1·sign(w) to grad (0: value only).
// Kernels: assembly/kernels/penalties.ts; references: src/ref/penalties.ts.
import { reduceN } from './parallel.mjs';

export default [
  {
    family: 'penalties', asm: 'kernels/penalties', ref: 'penalties',
    kernels: [
      ['f32_elasticnet_penalty(grad: f32 inout?[n], w: f32 in[n], n: i32 dim, l1: f32 >=0, l2: f32 >=0): f64', { parallel: reduceN('sum') }],
    ],
  },
];
