// Optimizer kernels (one fused pass per named optimizer) and gradient utilities. Kernels:
// assembly/kernels/optim/<file>.ts; references: src/ref/optim/<file>.ts, which take a rounding
// function last (Math.fround on the js backend, the identity on the float64 engine).
import { OPTIM_MIN, elementwise, reduceN } from './parallel.mjs';

const opt = (file, kernels) => ({ family: 'optim', asm: `kernels/optim/${file}`, ref: `optim/${file}`, rounding: true, kernels });
const step = { parallel: elementwise(OPTIM_MIN) };
const pg = 'p: f32 inout[n], g: f32 in[n]';
const beta = (b) => `beta${b}: f32 [0,1], omBeta${b}: f32 [0,1]`;
export default [
  opt('sgd', [
    [`f32_sgd_step(${pg}, buf: f32 inout[n], n: i32 dim, negLr: f32, momentum: f32 [0,1], omDampening: f32 [0,1], weightDecay: f32 >=0, flags: i32 flags(OPTIM|SGD))`, step],
  ]),
  opt('adam', [
    [`f32_adam_step(${pg}, m: f32 inout[n], v: f32 inout[n] >=0, w: f32 inout[n] >=0, n: i32 dim, negStepSize: f32, ${beta(1)}, ${beta(2)}, invBc2Sqrt: f32 >0, eps: f32 >0, weightDecay: f32 >=0, decay: f32 [0,1], flags: i32 flags(OPTIM|ADAM))`, step],
  ]),
  opt('adagrad', [
    [`f32_adagrad_step(${pg}, sum: f32 inout[n] >=0, n: i32 dim, negClr: f32, eps: f32 >0, weightDecay: f32 >=0, flags: i32 flags(OPTIM|ADAGRAD))`, step],
  ]),
  opt('adadelta', [
    [`f32_adadelta_step(${pg}, v: f32 inout[n] >=0, u: f32 inout[n] >=0, n: i32 dim, negLr: f32, rho: f32 [0,1], omRho: f32 [0,1], eps: f32 >0, weightDecay: f32 >=0, flags: i32 flags(OPTIM|ADADELTA))`, step],
  ]),
  opt('rmsprop', [
    [`f32_rmsprop_step(${pg}, v: f32 inout[n] >=0, ga: f32 inout[n], buf: f32 inout[n], n: i32 dim, negLr: f32, alpha: f32 [0,1], omAlpha: f32 [0,1], eps: f32 >0, momentum: f32 [0,1], weightDecay: f32 >=0, flags: i32 flags(OPTIM|RMSPROP))`, step],
  ]),
  opt('adamax', [
    [`f32_adamax_step(${pg}, m: f32 inout[n], u: f32 inout[n] >=0, n: i32 dim, negClr: f32, ${beta(1)}, beta2: f32 [0,1], eps: f32 >0, weightDecay: f32 >=0, flags: i32 flags(OPTIM|ADAMAX))`, step],
  ]),
  opt('nadam', [
    [`f32_nadam_step(${pg}, m: f32 inout[n], v: f32 inout[n] >=0, n: i32 dim, negStepGrad: f32, negStepAvg: f32, ${beta(1)}, ${beta(2)}, bc2Sqrt: f32 >0, eps: f32 >0, weightDecay: f32 >=0, decay: f32 [0,1], flags: i32 flags(OPTIM|NADAM))`, step],
  ]),
  opt('radam', [
    [`f32_radam_step(${pg}, m: f32 inout[n], v: f32 inout[n] >=0, n: i32 dim, lr: f32 >0, ${beta(1)}, ${beta(2)}, bc1: f32 >0, bc2Sqrt: f32 >0, rect: f32 >=0, eps: f32 >0, weightDecay: f32 >=0, decay: f32 [0,1], flags: i32 flags(OPTIM|RADAM))`, step],
  ]),
  opt('rprop', [
    [`f32_rprop_step(${pg}, prev: f32 inout[n], step: f32 inout[n] >=0, n: i32 dim, etaMinus: f32 [0,1], etaPlus: f32 [1,2], stepMin: f32 [0,0.001], stepMax: f32 [1,50], flags: i32 flags(OPTIM))`, step],
  ]),
  opt('lion', [
    [`f32_lion_step(${pg}, m: f32 inout[n], n: i32 dim, negLr: f32, ${beta(1)}, ${beta(2)}, decay: f32 [0,1], flags: i32 flags(OPTIM|LION))`, step],
  ]),
  opt('averaged', [
    ['f32_lerp(out: f32 out[n], a: f32 in[n], b: f32 in[n], w: f32 [0,1], n: i32 dim)', { alias: 'out=a out=b', parallel: elementwise() }],
  ]),
  opt('clip', [
    ['f32_absmax(x: f32 in[n], n: i32 dim): f32', { round: false, parallel: reduceN('max') }],
    ['f32_clamp(out: f32 out[n], x: f32 in[n], lo: f32 [-1,0], hi: f32 [0,1], n: i32 dim)', { alias: 'out=x', round: false, parallel: elementwise() }],
  ]),
];
