// What a build says about itself, and the correctness probe behind backend 'auto'.
// Kernels: assembly/abi.ts; references: src/ref/abi.ts.
export default [
  {
    family: 'abi', asm: 'abi', ref: 'abi',
    kernels: [
      ['abi_simd(): i32', { parity: '2 in the relaxed-SIMD build, 1 in the SIMD build, 0 elsewhere: it names the build' }],
      ['abi_version(): i32', { parity: 'the same constant everywhere; checked at load against ABI_VERSION' }],
      ['heap_base(): usize', { parity: "each backend's own first free byte" }],
      ['simd_probe(p: f32 inout[12]): f32'],
      ['set_scratch(p: f32 inout[4096])', { parity: "sets the calling instance's GEMM scratch (state, no result); the js backend has none" }],
    ],
  },
];
