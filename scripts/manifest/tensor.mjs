// The autodiff ops' kernels (docs/autograd-design.md): element-wise with fused backward, broadcast
// binary ops and strided copies, axis reductions and softmax, batched GEMM, losses, conv/pooling,
// embedding, layer norm, dropout. Kernels: assembly/kernels/tensor/<file>.ts; references:
// src/ref/tensor/<file>.ts, which take a rounding function last (Math.fround on the js backend, the
// identity on the autodiff engine's float64 device) and read indices from the heap's i32 view.
import { ELEMENTWISE_MIN, byRows, elementwise, gemmRows } from './parallel.mjs';

const fam = (file, kernels) => ({ family: 'tensor', asm: `kernels/tensor/${file}`, ref: `tensor/${file}`, rounding: true, heap: 'TensorHeap', kernels });
const un = (name, domain = '') => [`${name}(out: f32 out[n], x: f32 in[n] ${domain}, n: i32 dim)`, { alias: 'out=x', parallel: elementwise() }];
const bw = (name, extra = '') => [`${name}(dx: f32 out[n], dy: f32 in[n], x: f32 in[n], n: i32 dim${extra})`, { alias: 'dx=dy', parallel: elementwise() }];
const dims4 = (p) => `${p}0: i32 dim, ${p}1: i32 dim, ${p}2: i32 dim, ${p}3: i32 dim`;
/** Elements a strided 4-D operand spans (0 when the index space is empty). */
const span = (s) => `n0 * n1 * n2 * n3 === 0 ? 0 : 1 + (n0 - 1) * ${s}0 + (n1 - 1) * ${s}1 + (n2 - 1) * ${s}2 + (n3 - 1) * ${s}3`;
const axis = 'outer: i32 dim, n: i32 dim, inner: i32 dim';
// threads: axis ops split the outer dimension (each output element is reduced in the same order);
// pooling splits planes; the 4-D binary op splits its first dimension larger than 1 when the ones
// before it are 1 (out is contiguous). conv, the losses with an out[1], the scatter-adds
// (embedding, layer norm backward) and dropout (its mask hashes the element index) stay on one thread.
const outer = { parallel: { split: 'outer', work: 'n * inner', min: ELEMENTWISE_MIN } };
const planes = { split: 'planes', work: 'H * W', min: ELEMENTWISE_MIN };
const binarySplits = [
  { split: 'n0', offsets: { a: 'sa0', b: 'sb0' }, work: 'n1 * n2 * n3', min: ELEMENTWISE_MIN },
  { split: 'n1', offsets: { out: 'n2 * n3', a: 'sa1', b: 'sb1' }, work: 'n2 * n3', min: ELEMENTWISE_MIN, when: 'n0 === 1' },
  { split: 'n2', offsets: { out: 'n3', a: 'sa2', b: 'sb2' }, work: 'n3', min: ELEMENTWISE_MIN, when: 'n0 === 1 && n1 === 1' },
  { split: 'n3', align: 16, offsets: { out: '1', a: 'sa3', b: 'sb3' }, min: ELEMENTWISE_MIN, when: 'n0 === 1 && n1 === 1 && n2 === 1' },
];
// conv: the image, channel and output-window sizes run through the house sizes (an output window
// larger than the image's reads only padding); batch, filters, kernel, stride and padding are fixed
// so the cases stay small (test/autograd/kernels.test.ts varies those)
const geom = 'N: i32 =2, C: i32 dim, H: i32 dim, W: i32 dim, O: i32 =3, KH: i32 =3, KW: i32 =2, SH: i32 =1, SW: i32 =2, PH: i32 =1, PW: i32 =0, OH: i32 dim, OW: i32 dim';
const win = 'KH: i32 dim, KW: i32 dim, SH: i32 =2, SW: i32 =1, PH: i32 =1, PW: i32 =0, OH: i32 dim, OW: i32 dim';
export default [
  fam('elementwise', [
    un('f32_exp'), un('f32_log'), un('f32_sqrt'), [...un('f32_abs').slice(0, 1), { alias: 'out=x', round: false, parallel: elementwise() }], un('f32_softplus'), un('f32_gelu'),
    ['f32_pow_scalar(out: f32 out[n], x: f32 in[n], n: i32 dim, p: f32)', { alias: 'out=x', parallel: elementwise() }],
    [bw('f32_abs_backward')[0], { alias: 'dx=dy', round: false, parallel: elementwise() }], bw('f32_softplus_backward'), bw('f32_gelu_backward'),
    bw('f32_clamp_backward', ', lo: f32, hi: f32'),
  ]),
  fam('broadcast', [
    [`f32_binary(op: i32 enum(BINARY), out: f32 out[n0 * n1 * n2 * n3], a: f32 in[${span('sa')}], b: f32 in[${span('sb')}], ` +
      `${dims4('n')}, ${dims4('sa')}, ${dims4('sb')})`, { parallel: binarySplits }],
    [`f32_copy_strided(out: f32 inout[${span('so')}], x: f32 in[${span('sx')}], ${dims4('n')}, ${dims4('so')}, ${dims4('sx')})`, { round: false }],
  ]),
  fam('reduce', [
    [`f32_sum_axis(out: f32 out[outer * inner], x: f32 in[outer * n * inner], ${axis}, scale: f32)`, outer],
    [`f32_max_axis(out: f32 out[outer * inner], x: f32 in[outer * n * inner], ${axis})`, { round: false, ...outer }],
    [`f32_max_axis_backward(dx: f32 out[outer * n * inner], dy: f32 in[outer * inner], x: f32 in[outer * n * inner], y: f32 in[outer * inner], ${axis})`, outer],
    [`f32_logsumexp_axis(out: f32 out[outer * inner], x: f32 in[outer * n * inner], ${axis})`, outer],
    [`f32_softmax_axis(out: f32 out[outer * n * inner], x: f32 in[outer * n * inner], ${axis})`, { alias: 'out=x', ...outer }],
    [`f32_softmax_axis_backward(dx: f32 out[outer * n * inner], dy: f32 in[outer * n * inner], y: f32 in[outer * n * inner] [0,1], ${axis})`, { alias: 'dx=dy', ...outer }],
    [`f32_log_softmax_axis(out: f32 out[outer * n * inner], x: f32 in[outer * n * inner], ${axis})`, { alias: 'out=x', ...outer }],
    [`f32_log_softmax_axis_backward(dx: f32 out[outer * n * inner], dy: f32 in[outer * n * inner], y: f32 in[outer * n * inner] [-30,0], ${axis})`, { alias: 'dx=dy', ...outer }],
  ]),
  fam('matmul', [
    ['f32_gemm_batched(transA: i32 bool, transB: i32 bool, batch: i32 dim, M: i32 dim, N: i32 dim, K: i32 dim, alpha: f32, ' +
      'A: f32 in[batch === 0 ? 0 : (batch - 1) * strideA + (transA ? K : M) * lda], lda: i32 ld(transA ? M : K), strideA: i32 ld((transA ? K : M) * lda), ' +
      'B: f32 in[batch === 0 ? 0 : (batch - 1) * strideB + (transB ? N : K) * ldb], ldb: i32 ld(transB ? K : N), strideB: i32 ld((transB ? N : K) * ldb), ' +
      'beta: f32, C: f32 inout[batch === 0 ? 0 : (batch - 1) * strideC + M * ldc], ldc: i32 ld(N), strideC: i32 ld(M * ldc))',
      { tol: 'dot(K, alpha)', parallel: { ...gemmRows, work: 'batch * N * K' } }],
  ]),
  fam('losses', [
    ['f32_nll_loss(out: f32 out[1], logp: f32 in[n * k], target: i32 in[n] <k, n: i32 dim, k: i32 dim, scale: f32)'],
    ['f32_nll_loss_backward(dlogp: f32 out[n * k], dy: f32 in[1], target: i32 in[n] <k, n: i32 dim, k: i32 dim, scale: f32)'],
    ['f32_mse_loss_sum(out: f32 out[1], pred: f32 in[n], target: f32 in[n], n: i32 dim, scale: f32)'],
    ['f32_bce_logits_sum(out: f32 out[1], x: f32 in[n], target: f32 in[n] [0,1], n: i32 dim, scale: f32)'],
    ['f32_huber_loss_sum(out: f32 out[1], pred: f32 in[n], target: f32 in[n], n: i32 dim, scale: f32, delta: f32 >0)'],
  ]),
  fam('conv', [
    ['f32_conv2d(out: f32 out[N * O * OH * OW], x: f32 in[N * C * H * W], w: f32 in[O * C * KH * KW], bias: f32 in?[O], ' +
      `cols: f32 out[N * C * KH * KW * OH * OW], work: f32 out[N * O * OH * OW], ${geom})`, { tol: 'dot(C * KH * KW + 1)' }],
    ['f32_conv2d_backward(dx: f32 out?[N * C * H * W], dw: f32 out?[O * C * KH * KW], db: f32 out?[O], dy: f32 in[N * O * OH * OW], ' +
      `w: f32 in[O * C * KH * KW], cols: f32 in[N * C * KH * KW * OH * OW], dcols: f32 out[C * KH * KW * OH * OW], ${geom})`,
      { tol: 'dot(O + C * KH * KW + N * OH * OW)' }],
    [`f32_max_pool2d(out: f32 out[planes * OH * OW], argmax: i32 out[planes * OH * OW] <H * W, x: f32 in[planes * H * W], planes: i32 dim, H: i32 dim, W: i32 dim, ${win})`, { round: false, parallel: planes }],
    ['f32_max_pool2d_backward(dx: f32 out[planes * H * W], dy: f32 in[planes * OH * OW], argmax: i32 in[planes * OH * OW] <H * W, planes: i32 dim, H: i32 dim, W: i32 dim, OH: i32 dim, OW: i32 dim)', { parallel: planes }],
    [`f32_avg_pool2d(out: f32 out[planes * OH * OW], x: f32 in[planes * H * W], planes: i32 dim, H: i32 dim, W: i32 dim, ${win})`, { parallel: planes }],
    [`f32_avg_pool2d_backward(dx: f32 out[planes * H * W], dy: f32 in[planes * OH * OW], planes: i32 dim, H: i32 dim, W: i32 dim, ${win})`, { parallel: planes }],
  ]),
  fam('embedding', [
    ['f32_embedding(out: f32 out[n * dim], weight: f32 in[rows * dim], idx: i32 in[n] <rows, n: i32 dim, dim: i32 dim, rows: i32 dim)', { round: false, parallel: { split: 'n', work: 'dim', min: ELEMENTWISE_MIN } }],
    ['f32_embedding_backward(dw: f32 out[rows * dim], dy: f32 in[n * dim], idx: i32 in[n] <rows, n: i32 dim, dim: i32 dim, rows: i32 dim)'],
  ]),
  fam('layer_norm', [
    ['f32_layer_norm(out: f32 out[rows * cols], mean: f32 out[rows], rstd: f32 out[rows], x: f32 in[rows * cols], gamma: f32 in?[cols], ' +
      'beta: f32 in?[cols], rows: i32 dim, cols: i32 dim, eps: f32 >0)', { parallel: byRows() }],
    ['f32_layer_norm_backward(dx: f32 out?[rows * cols], dgamma: f32 out?[cols], dbeta: f32 out?[cols], dy: f32 in[rows * cols], ' +
      'x: f32 in[rows * cols], mean: f32 in[rows], rstd: f32 in[rows] >=0, gamma: f32 in?[cols], rows: i32 dim, cols: i32 dim)'],
  ]),
  fam('dropout', [
    ['f32_dropout(out: f32 out[n], mask: f32 out[n], x: f32 in[n], n: i32 dim, p: f32 [0,1], seed: i32 dim)', { alias: 'out=x' }],
  ]),
];
