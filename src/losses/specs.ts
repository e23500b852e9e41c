/**
 * The loss registry: for each loss name, its kernel, what its targets are, and how 'mean'
 * divides. Models and the loss functions both read it, so a loss means the same thing everywhere.
 * Also the float64 evaluation of every loss (value only), used by gradcheck and the models'
 * float64 mirrors.
 */
import type { LossesKernels } from '../wasm/abi.gen.js';
import type { LabelKind } from './validate.js';

export type LossName =
  | 'mse' | 'mae' | 'huber' | 'bce'
  | 'hinge' | 'squared-hinge'
  | 'softmax-cross-entropy' | 'multiclass-hinge';

export const LOSS_NAMES: readonly LossName[] = [
  'mse', 'mae', 'huber', 'bce', 'hinge', 'squared-hinge', 'softmax-cross-entropy', 'multiclass-hinge',
];

export interface LossSpec {
  name: LossName;
  kernel: keyof LossesKernels;
  /** What the targets are at the kernel: values, soft labels in [0,1], 0/1 (or ±1) signs, class indices. */
  targets: LabelKind;
  /** True for losses of a whole row against a class label: 'mean' divides by Σw, not Σw·cols. */
  perRow: boolean;
  /** The task a model with this loss solves. */
  task: 'regression' | 'binary' | 'multiclass';
  /** Default of the loss's one parameter (Huber's delta, the hinge margin), if it has one. */
  defaultDelta?: number;
}

export const LOSSES: Record<LossName, LossSpec> = {
  'mse': { name: 'mse', kernel: 'f32_mse_loss', targets: 'values', perRow: false, task: 'regression' },
  'mae': { name: 'mae', kernel: 'f32_mae_loss', targets: 'values', perRow: false, task: 'regression' },
  'huber': { name: 'huber', kernel: 'f32_huber_loss', targets: 'values', perRow: false, task: 'regression', defaultDelta: 1 },
  'bce': { name: 'bce', kernel: 'f32_bce_logits_loss', targets: 'soft', perRow: false, task: 'binary' },
  'hinge': { name: 'hinge', kernel: 'f32_hinge_loss', targets: 'sign', perRow: false, task: 'binary' },
  'squared-hinge': { name: 'squared-hinge', kernel: 'f32_squared_hinge_loss', targets: 'sign', perRow: false, task: 'binary' },
  'softmax-cross-entropy': { name: 'softmax-cross-entropy', kernel: 'f32_softmax_xent_loss', targets: 'class', perRow: true, task: 'multiclass' },
  'multiclass-hinge': { name: 'multiclass-hinge', kernel: 'f32_multiclass_hinge_loss', targets: 'class', perRow: true, task: 'multiclass', defaultDelta: 1 },
};

/** Calls a loss kernel: returns scale·Σ_i w_i Σ_c ℓ_ic and writes the gradient (grad 0: none). */
export function callLossKernel(
  k: LossesKernels, spec: LossSpec, grad: number, x: number, target: number, weight: number,
  rows: number, cols: number, scale: number, delta: number,
): number {
  switch (spec.name) {
    case 'huber': return k.f32_huber_loss(grad, x, target, weight, rows, cols, scale, delta);
    case 'multiclass-hinge': return k.f32_multiclass_hinge_loss(grad, x, target, weight, rows, cols, scale, delta);
    default: return (k[spec.kernel] as (...a: number[]) => number)(grad, x, target, weight, rows, cols, scale);
  }
}

/**
 * The loss value in float64 from float64 (or float32) inputs: scale·Σ_i w_i Σ_c ℓ_ic with the
 * same definitions as the kernels. `targets` holds rows·cols values, or one class per row.
 */
export function lossValue64(
  name: LossName, x: ArrayLike<number>, rows: number, cols: number, targets: ArrayLike<number>,
  weights: ArrayLike<number> | null, scale: number, delta = LOSSES[name].defaultDelta ?? 1,
): number {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let row = 0;
    const o = i * cols;
    if (name === 'softmax-cross-entropy') {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, x[o + c]);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp(x[o + c] - m);
      row = m - x[o + targets[i]] + Math.log(s);
    } else if (name === 'multiclass-hinge') {
      const y = targets[i];
      for (let c = 0; c < cols; c++) if (c !== y) row += Math.max(0, x[o + c] - x[o + y] + delta);
    } else {
      for (let c = 0; c < cols; c++) {
        const p = x[o + c], t = targets[o + c];
        switch (name) {
          case 'mse': row += (p - t) * (p - t); break;
          case 'mae': row += Math.abs(p - t); break;
          case 'huber': {
            const a = Math.abs(p - t);
            row += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
            break;
          }
          case 'bce': row += Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p))); break;
          case 'hinge': row += Math.max(0, 1 - (t > 0 ? 1 : -1) * p); break;
          case 'squared-hinge': row += Math.max(0, 1 - (t > 0 ? 1 : -1) * p) ** 2; break;
        }
      }
    }
    total += (weights ? weights[i] : 1) * row;
  }
  return scale * total;
}
