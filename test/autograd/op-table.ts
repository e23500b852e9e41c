// The ops under test: one entry per op and variant (shapes with broadcasting and size-1 dims,
// attributes), with how to draw inputs that keep away from kinks and ties (so finite differences are
// valid). Used by ops.test.ts (gradcheck in float64, every backend against float64) and
// second-order.test.ts (Hessians of the entries marked `second`).
import { ops } from '../../src/index.js';
import { seeded } from '../helpers/backends.js';

export type Draw = 'any' | 'pos' | 'away' | 'index' | 'prob' | 'distinct';
export interface InputSpec {
  shape: number[];
  draw?: Draw;
  /** For index inputs: the number of classes / rows. */
  classes?: number;
}
export interface OpCase {
  name: string;
  inputs: InputSpec[];
  f: (...xs: any[]) => any;
  /** Differentiate these inputs (default: every float input). */
  wrt?: number[];
  /** Tolerance of float32 backends against float64 (relative to |ref| + scale; default 2e-4). */
  tol?: number;
  /** Exercised by the Hessian test too (its ops have second-order rules). */
  second?: boolean;
}

const S = (...shape: number[]) => ({ shape });
const P = (...shape: number[]) => ({ shape, draw: 'pos' as Draw });
const A = (...shape: number[]) => ({ shape, draw: 'away' as Draw });
const D = (...shape: number[]) => ({ shape, draw: 'distinct' as Draw });

export const OP_CASES: OpCase[] = [
  // broadcasting binary ops
  { name: 'add [3,5]+[5]', inputs: [S(3, 5), S(5)], f: ops.add, second: true },
  { name: 'add [4,1]+[1,6]', inputs: [S(4, 1), S(1, 6)], f: ops.add },
  { name: 'add scalar+[2,3]', inputs: [S(), S(2, 3)], f: ops.add },
  { name: 'add [0,3]+[3] (empty)', inputs: [S(0, 3), S(3)], f: ops.add },
  { name: 'sub [2,3,4]-[3,1]', inputs: [S(2, 3, 4), S(3, 1)], f: ops.sub, second: true },
  { name: 'mul [2,3,4]*[4]', inputs: [S(2, 3, 4), S(4)], f: ops.mul, second: true },
  { name: 'mul [1,1]*[5,2,1]', inputs: [S(1, 1), S(5, 2, 1)], f: ops.mul },
  { name: 'div [3,5]/[5]', inputs: [S(3, 5), A(5)], f: ops.div, second: true },
  { name: 'div [4,3]/[4,3]', inputs: [S(4, 3), A(4, 3)], f: ops.div },
  { name: 'maximum [3,5],[3,5]', inputs: [D(3, 5), D(3, 5)], f: ops.maximum, second: true },
  { name: 'maximum [4,1],[1,6]', inputs: [D(4, 1), D(1, 6)], f: ops.maximum },
  { name: 'minimum [2,3],[3]', inputs: [D(2, 3), D(3)], f: ops.minimum },
  { name: 'add with a number', inputs: [S(3, 4)], f: (x) => ops.add(x, 1.5) },
  { name: 'mul with a nested array', inputs: [S(2, 3)], f: (x) => ops.mul(x, [[1, -2, 0.5], [3, 0.25, -1]]) },
  // element-wise
  { name: 'pow 2', inputs: [S(3, 5)], f: (x) => ops.pow(x, 2), second: true },
  { name: 'pow 3', inputs: [S(7, 4)], f: (x) => ops.pow(x, 3), second: true },
  { name: 'pow 0.5', inputs: [P(6)], f: (x) => ops.pow(x, 0.5), second: true },
  { name: 'pow -1', inputs: [A(6)], f: (x) => ops.pow(x, -1), second: true },
  { name: 'pow 2.5', inputs: [P(2, 3)], f: (x) => ops.pow(x, 2.5), second: true },
  { name: 'pow 0', inputs: [S(4)], f: (x) => ops.pow(x, 0) },
  { name: 'neg', inputs: [S(3, 5)], f: ops.neg, second: true },
  { name: 'exp', inputs: [S(3, 5)], f: ops.exp, second: true },
  { name: 'log', inputs: [P(3, 5)], f: ops.log, second: true },
  { name: 'sqrt', inputs: [P(7, 4)], f: ops.sqrt, second: true },
  { name: 'abs', inputs: [A(3, 5)], f: ops.abs, second: true },
  { name: 'tanh', inputs: [S(7, 4)], f: ops.tanh, second: true },
  { name: 'sigmoid', inputs: [S(7, 4)], f: ops.sigmoid, second: true },
  { name: 'relu', inputs: [A(3, 5)], f: ops.relu, second: true },
  { name: 'leaky_relu 0.2', inputs: [A(7, 4)], f: (x) => ops.leakyRelu(x, 0.2), second: true },
  { name: 'softplus', inputs: [S(3, 5)], f: ops.softplus, second: true },
  { name: 'gelu', inputs: [S(3, 5)], f: ops.gelu, second: true },
  { name: 'clamp', inputs: [A(4, 4)], f: (x) => ops.clamp(x, -0.75, 0.8), second: true },
  // reductions
  { name: 'sum all', inputs: [S(3, 4, 5)], f: (x) => ops.sum(x), second: true },
  { name: 'sum axis 1 keepdim', inputs: [S(2, 7, 3)], f: (x) => ops.sum(x, { axis: 1, keepdim: true }), second: true },
  { name: 'sum axis -1', inputs: [S(4, 6)], f: (x) => ops.sum(x, { axis: -1 }) },
  { name: 'mean all', inputs: [S(3, 4, 5)], f: (x) => ops.mean(x), second: true },
  { name: 'mean axis 2', inputs: [S(2, 7, 3)], f: (x) => ops.mean(x, { axis: 2 }), second: true },
  { name: 'max axis 1', inputs: [D(3, 4, 5)], f: (x) => ops.max(x, { axis: 1 }), second: true },
  { name: 'max axis 2 keepdim', inputs: [D(2, 7, 3)], f: (x) => ops.max(x, { axis: 2, keepdim: true }) },
  { name: 'max all', inputs: [D(4, 3)], f: (x) => ops.max(x) },
  { name: 'logsumexp axis 2', inputs: [S(3, 4, 5)], f: (x) => ops.logsumexp(x, { axis: 2 }), second: true },
  { name: 'logsumexp axis 1 keepdim', inputs: [S(2, 7, 3)], f: (x) => ops.logsumexp(x, { axis: 1, keepdim: true }), second: true },
  { name: 'logsumexp all', inputs: [S(5)], f: (x) => ops.logsumexp(x) },
  // shape
  { name: 'reshape -1 then transpose', inputs: [S(2, 3, 4)], f: (x) => ops.transpose(ops.reshape(x, [6, -1]), 0, 1), second: true },
  { name: 'transpose 3-D dims 0,2', inputs: [S(2, 3, 4)], f: (x) => ops.transpose(x, 0, 2), second: true },
  { name: 'concat axis 0 then narrow', inputs: [S(2, 5), S(4, 5)], f: (a, b) => ops.narrow(ops.concat([a, b], 0), 0, 1, 3), second: true },
  { name: 'concat axis 1 of three', inputs: [S(3, 4), S(3, 2), S(3, 1)], f: (a, b, c) => ops.concat([a, b, c], 1), second: true },
  { name: 'narrow axis 1', inputs: [S(3, 6, 2)], f: (x) => ops.narrow(x, 1, 2, 3), second: true },
  { name: 'expand [3,1] to [2,3,4]', inputs: [S(3, 1)], f: (x) => ops.expand(x, [2, 3, 4]), second: true },
  // matmul
  { name: 'matmul 2-D', inputs: [S(5, 17), S(17, 3)], f: ops.matmul, second: true },
  { name: 'matmul [1,9]·[9,1]', inputs: [S(1, 9), S(9, 1)], f: ops.matmul },
  { name: 'matmul batched 3-D', inputs: [S(2, 3, 4), S(2, 4, 5)], f: ops.matmul, second: true },
  { name: 'matmul 3-D·2-D', inputs: [S(2, 3, 4), S(4, 5)], f: ops.matmul, second: true },
  { name: 'matmul 2-D·3-D', inputs: [S(3, 4), S(2, 4, 5)], f: ops.matmul, second: true },
  { name: 'matmul batch 1 broadcast', inputs: [S(1, 3, 4), S(3, 4, 2)], f: ops.matmul },
  { name: 'matmul vector·matrix', inputs: [S(4), S(4, 3)], f: ops.matmul, second: true },
  { name: 'matmul matrix·vector', inputs: [S(3, 4), S(4)], f: ops.matmul },
  { name: 'matmul vector·vector', inputs: [S(6), S(6)], f: ops.matmul },
  // softmax
  { name: 'softmax axis -1', inputs: [S(3, 5)], f: (x) => ops.softmax(x, -1), second: true },
  { name: 'softmax axis 0', inputs: [S(7, 4)], f: (x) => ops.softmax(x, 0), second: true },
  { name: 'softmax axis 1 of 3-D', inputs: [S(2, 3, 4)], f: (x) => ops.softmax(x, 1) },
  { name: 'log_softmax axis -1', inputs: [S(3, 5)], f: (x) => ops.logSoftmax(x, -1), second: true },
  { name: 'log_softmax axis 0', inputs: [S(7, 4)], f: (x) => ops.logSoftmax(x, 0), second: true },
  // losses
  { name: 'cross_entropy', inputs: [S(6, 3), { shape: [6], draw: 'index', classes: 3 }], f: ops.crossEntropy, second: true },
  { name: 'cross_entropy 9×5', inputs: [S(9, 5), { shape: [9], draw: 'index', classes: 5 }], f: ops.crossEntropy },
  { name: 'mse_loss', inputs: [S(3, 5), S(3, 5)], f: ops.mseLoss, second: true },
  { name: 'bce_with_logits', inputs: [S(7, 4), { shape: [7, 4], draw: 'prob' }], f: ops.bceWithLogits, second: true },
  { name: 'huber_loss delta 1', inputs: [S(3, 5), S(3, 5)], f: (p, t) => ops.huberLoss(p, t, 1), second: true },
  { name: 'huber_loss delta 0.5', inputs: [S(7, 4), S(7, 4)], f: (p, t) => ops.huberLoss(p, t, 0.5) },
  // conv and pooling
  { name: 'conv2d stride 1 with bias', inputs: [S(2, 3, 7, 7), S(4, 3, 3, 3), S(4)], f: (x, w, b) => ops.conv2d(x, w, b), tol: 1e-3 },
  { name: 'conv2d stride 2 padding 1', inputs: [S(1, 2, 8, 6), S(3, 2, 3, 3)], f: (x, w) => ops.conv2d(x, w, null, { stride: 2, padding: 1 }), tol: 1e-3 },
  { name: 'conv2d [h,w] stride and padding', inputs: [S(2, 1, 6, 7), S(2, 1, 2, 3), S(2)], f: (x, w, b) => ops.conv2d(x, w, b, { stride: [1, 2], padding: [1, 0] }), tol: 1e-3 },
  { name: 'max_pool2d 2/2', inputs: [D(2, 3, 6, 6)], f: (x) => ops.maxPool2d(x, { kernel: 2, stride: 2 }) },
  { name: 'max_pool2d 3/2 on 7×5', inputs: [D(1, 2, 7, 5)], f: (x) => ops.maxPool2d(x, { kernel: 3, stride: 2 }) },
  { name: 'max_pool2d 3/1 padding 1', inputs: [D(1, 1, 5, 5)], f: (x) => ops.maxPool2d(x, { kernel: 3, stride: 1, padding: 1 }) },
  { name: 'avg_pool2d 2/2', inputs: [S(2, 3, 6, 6)], f: (x) => ops.avgPool2d(x, 2) },
  { name: 'avg_pool2d 3/2 padding 1', inputs: [S(1, 2, 7, 5)], f: (x) => ops.avgPool2d(x, { kernel: 3, stride: 2, padding: 1 }) },
  // embedding, layer norm, dropout
  { name: 'embedding', inputs: [S(7, 5), { shape: [4], draw: 'index', classes: 7 }], f: ops.embedding },
  { name: 'embedding 2-D indices with repeats', inputs: [S(4, 3), { shape: [2, 3], draw: 'index', classes: 2 }], f: ops.embedding },
  { name: 'layer_norm with weight and bias', inputs: [S(3, 5), S(5), S(5)], f: (x, g, b) => ops.layerNorm(x, g, b, 1e-5) },
  { name: 'layer_norm eps 1e-3, weight only, 3-D', inputs: [S(2, 3, 4), S(4)], f: (x, g) => ops.layerNorm(x, g, null, 1e-3) },
  { name: 'layer_norm plain', inputs: [S(7, 4)], f: (x) => ops.layerNorm(x) },
  { name: 'dropout p 0.3', inputs: [S(5, 8)], f: (x) => ops.dropout(x, { p: 0.3, seed: 11 }), second: true },
  // composites
  { name: 'fan-out: x used four times', inputs: [S(3, 5)], f: (a) => ops.add(ops.mul(ops.tanh(ops.add(ops.mul(a, a), a)), a), ops.mul(a, a)), second: true },
  { name: 'mlp with cross_entropy', inputs: [S(8, 5), { shape: [8], draw: 'index', classes: 3 }, S(5, 7), S(7), S(7, 3), S(3)],
    f: (X, t, W1, b1, W2, b2) => ops.crossEntropy(ops.add(ops.matmul(ops.relu(ops.add(ops.matmul(X, W1), b1)), W2), b2), t), wrt: [2, 3, 4, 5] },
];

/** Float32-representable input data for a spec (seeded). */
export function draw(spec: InputSpec, seed: number): number[] {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const u = Array.from(seeded(n, seed), (v) => v);
  const fr = Math.fround;
  switch (spec.draw ?? 'any') {
    case 'index': return u.map((_, i) => (i * 7 + seed) % (spec.classes ?? 2));
    case 'pos': return u.map((v) => fr(0.3 + Math.abs(v % 1) * 1.5));
    case 'prob': return u.map((v) => fr(Math.abs(v % 1)));
    case 'away': return u.map((v) => fr((v % 1 < 0 ? -1 : 1) * (0.2 + Math.abs(v % 1))));
    case 'distinct': return u.map((_, i) => fr(((i * 37 + seed * 11) % (n + 13)) / (n + 13) * 4 - 2));
    default: return u.map((v) => fr((v % 1) * 1.5));
  }
}
