// Input checks. Kernels: assembly/kernels/check.ts; references: src/ref/check.ts.
export default [
  {
    family: 'check', asm: 'kernels/check', ref: 'check',
    kernels: [
      ['f32_find_nonfinite(x: f32 in[n], n: i32 dim): i32'],
    ],
  },
];
