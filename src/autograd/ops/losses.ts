/**
 * Losses with torch's mean reduction: cross_entropy (= log_softmax + nll over class indices),
 * mse_loss, bce_with_logits, huber_loss. Forward kernels are fused; the backward is written in ops,
 * so every loss is twice differentiable. Kernels: f32_nll_loss (+ backward), f32_mse_loss_sum,
 * f32_bce_logits_sum, f32_huber_loss_sum.
 */
import { Tensor } from '../../tensor.js';
import { apply, checkIndices, type Input, type OpDef } from '../engine.js';
import { fmt, shapeOf } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { mul, neg, sub } from './broadcast.js';
import { clamp, sigmoid } from './elementwise.js';
import { logSoftmax } from './softmax.js';

/** −mean_i logp[i, target[i]] over [n, k] log-probabilities. */
export const NLL: OpDef = {
  name: 'nll_loss',
  args: ['logp', 'target'],
  indexArgs: [1],
  infer([lp, t]) {
    if (lp.shape.length !== 2) throw new RangeError(`cross_entropy: input must be [batch, classes], got ${fmt(lp.shape)}`);
    if (t.shape.length !== 1 || t.shape[0] !== lp.shape[0]) {
      throw new RangeError(`cross_entropy: target ${fmt(t.shape)} must hold one class index per row of input ${fmt(lp.shape)}, i.e. [${lp.shape[0]}]`);
    }
    return { shape: [] };
  },
  run(k, node, dev) {
    const [lp, t] = node.inputs, [n, c] = lp.shape;
    checkIndices(dev, t, c, (i, v) => `cross_entropy: target[${i}] is ${v}; class indices must be in [0, ${c})`);
    k.f32_nll_loss(node.out!.ptr, lp.ptr, t.ptr, n, c, n === 0 ? 0 : 1 / n);
  },
  vjp: (node, g) => [apply(NLL_BACKWARD, [g, node.inputs[1]], { shape: node.inputs[0].shape }), null],
};

/** nll's gradient: zeros except −g/n at each row's target. Linear in g; its adjoint is nll itself. */
export const NLL_BACKWARD: OpDef = {
  name: 'nll_loss_backward',
  args: ['g', 'target'],
  indexArgs: [1],
  infer: (_v, a) => ({ shape: a.shape.slice() }),
  run(k, node) {
    const [g, t] = node.inputs, [n, c] = node.attrs.shape;
    k.f32_nll_loss_backward(node.out!.ptr, g.ptr, t.ptr, n, c, n === 0 ? 0 : 1 / n);
  },
  vjp: (node, gg) => [apply(NLL, [gg, node.inputs[1]]), null],
};

/**
 * Softmax cross-entropy of logits [n, k] against class indices [n], mean over rows (`F.cross_entropy`).
 * @example
 * await init();
 * ops.crossEntropy([[0, 0], [0, Math.log(3)]], [0, 1]).toArray(); // → [0.4904146]
 */
export function crossEntropy(input: Input, target: Input): ATensor {
  // refuse bad targets before log_softmax computes anything
  if (target instanceof Tensor || target instanceof Float32Array || target instanceof Float64Array) {
    throw new TypeError('cross_entropy: target must be indices (an IndexTensor from indexTensor(), an Int32Array or an array of whole numbers), got float values');
  }
  const si = shapeOf(input), st = shapeOf(target);
  if (si !== null && si.length !== 2) throw new RangeError(`cross_entropy: input must be [batch, classes], got ${fmt(si)}`);
  if (si !== null && st !== null && (st.length !== 1 || st[0] !== si[0])) {
    throw new RangeError(`cross_entropy: target ${fmt(st)} must hold one class index per row of input ${fmt(si)}, i.e. [${si[0]}]`);
  }
  if (si !== null && (Array.isArray(target) || target instanceof Int32Array)) {
    for (let i = 0; i < target.length; i++) {
      const c = target[i] as number;
      if (Number.isInteger(c) && (c < 0 || c >= si[1])) throw new RangeError(`cross_entropy: target[${i}] is ${c}; class indices must be in [0, ${si[1]})`);
    }
  }
  return apply(NLL, [logSoftmax(input, 1), target]);
}

function pairLoss(name: string, run: (k: any, out: number, p: number, t: number, n: number, a: any) => void,
  grad: (p: Val, t: Val, a: any) => Val): OpDef {
  return {
    name,
    args: ['input', 'target'],
    infer([p, t]) {
      if (p.shape.length !== t.shape.length || p.shape.some((d, i) => d !== t.shape[i])) {
        throw new RangeError(`${name}: input ${fmt(p.shape)} and target ${fmt(t.shape)} must have the same shape`);
      }
      return { shape: [] };
    },
    run: (k, node) => run(k, node.out!.ptr, node.inputs[0].ptr, node.inputs[1].ptr, node.inputs[0].size, node.attrs),
    vjp(node, g, needs) {
      // d loss / d input = (elementwise derivative)·g/n; the target's is its negation (mse, huber) or −x·g/n (bce)
      const [p, t] = node.inputs, scale = mul(g, p.size === 0 ? 0 : 1 / p.size);
      const gp = needs[0] || (needs[1] && name !== 'bce_with_logits') ? mul(grad(p, t, node.attrs), scale) : null;
      const gt = !needs[1] ? null : name === 'bce_with_logits' ? mul(neg(p), scale) : neg(gp!);
      return [needs[0] ? gp : null, gt];
    },
  };
}

export const MSE = pairLoss('mse_loss', (k, o, p, t, n) => k.f32_mse_loss_sum(o, p, t, n, n === 0 ? 0 : 1 / n),
  (p, t) => mul(sub(p, t), 2));
export const BCE = pairLoss('bce_with_logits', (k, o, p, t, n) => k.f32_bce_logits_sum(o, p, t, n, n === 0 ? 0 : 1 / n),
  (p, t) => sub(sigmoid(p), t));
export const HUBER = pairLoss('huber_loss', (k, o, p, t, n, a) => k.f32_huber_loss_sum(o, p, t, n, n === 0 ? 0 : 1 / n, a.delta),
  (p, t, a) => clamp(sub(p, t), -a.delta, a.delta));

/**
 * mean((input − target)²) (`F.mse_loss`); shapes must match.
 * @example
 * await init();
 * ops.mseLoss([1, 2], [3, 2]).toArray(); // → [2]
 */
export const mseLoss = (input: Input, target: Input): ATensor => apply(MSE, [input, target]);
/**
 * Binary cross-entropy on logits, mean (`F.binary_cross_entropy_with_logits`); stable for any logit.
 * @example
 * await init();
 * ops.bceWithLogits([0], [1]).toArray(); // → [0.6931472]
 */
export const bceWithLogits = (input: Input, target: Input): ATensor => apply(BCE, [input, target]);
/**
 * Huber loss with threshold `delta` (default 1), mean (`F.huber_loss`).
 * @example
 * await init();
 * ops.huberLoss([0, 3], [0, 0], 1).toArray(); // → [1.25]
 */
export function huberLoss(input: Input, target: Input, delta = 1): ATensor {
  if (typeof delta !== 'number' || !(delta > 0)) throw new RangeError(`huber_loss: delta must be a number > 0, got ${String(delta)}`);
  return apply(HUBER, [input, target], { delta: Math.fround(delta) });
}
