/**
 * Weight penalties: L2, L1 (subgradient sign(w), 0 at 0) and elastic net, one kernel each way
 * (f32_elasticnet_penalty). Models apply them to weight matrices only, never to intercepts.
 */
import { getBackend } from '../init.js';
import { checkNumbers, Tensor } from '../tensor.js';
import { checkNumber, checkOptions } from '../util/options.js';

export type PenaltyName = 'none' | 'l2' | 'l1' | 'elasticnet';

export interface PenaltyResult {
  /** The penalty's value. */
  value: number;
  /** Its (sub)gradient w.r.t. w, a new array. */
  grad: Float32Array;
}

/**
 * The kernel's two coefficients for a penalty with sklearn SGD's naming: α·R(w) with
 * R = ½‖w‖² (l2), ‖w‖₁ (l1), ρ‖w‖₁ + ½(1 − ρ)‖w‖² (elasticnet, ρ = l1Ratio).
 */
export function penaltyCoefficients(
  penalty: PenaltyName, alpha: number, l1Ratio: number, fn: string, names = { alpha: 'alpha', l1Ratio: 'l1Ratio' },
): { l1: number; l2: number } {
  checkNumber(fn, names.alpha, alpha, { kind: 'number', min: 0, fix: 'Pass a penalty strength >= 0 such as 1e-4.' });
  checkNumber(fn, names.l1Ratio, l1Ratio, { kind: 'number', min: 0, max: 1, fix: 'Pass the L1 share in [0, 1], e.g. 0.15.' });
  switch (penalty) {
    case 'none': return { l1: 0, l2: 0 };
    case 'l2': return { l1: 0, l2: alpha };
    case 'l1': return { l1: alpha, l2: 0 };
    case 'elasticnet': return { l1: alpha * l1Ratio, l2: alpha * (1 - l1Ratio) };
    default:
      throw new RangeError(`${fn}: penalty must be 'none', 'l2', 'l1' or 'elasticnet', got ${JSON.stringify(penalty)}`);
  }
}

function run(w: ArrayLike<number>, l1: number, l2: number, fn: string): PenaltyResult {
  checkNumbers(w, fn, 'w', true);
  // Copy weights that live in the backend's memory first: the call's own allocations may detach them.
  const values = ArrayBuffer.isView(w) && w.buffer === getBackend().memory.buffer ? (w as Float32Array).slice() : w;
  const W = new Tensor(values.length), G = new Tensor(values.length);
  try {
    W.data.set(values);
    const value = getBackend().k.f32_elasticnet_penalty(G.ptr, W.ptr, values.length, l1, l2);
    return { value, grad: G.toArray() };
  } finally {
    W.dispose();
    G.dispose();
  }
}

/**
 * L2 penalty (ridge, weight decay): R = ½·lambda·‖w‖², ∇R = lambda·w.
 * @example
 * l2Penalty([3, -4], 0.1); // { value: 1.25, grad: [0.3, -0.4] }
 * Reference: sklearn SGDClassifier(penalty='l2').
 */
export function l2Penalty(w: ArrayLike<number>, lambda: number): PenaltyResult {
  const c = penaltyCoefficients('l2', lambda, 0, 'l2Penalty', { alpha: 'lambda', l1Ratio: 'l1Ratio' });
  return run(w, c.l1, c.l2, 'l2Penalty');
}

/**
 * L1 penalty (lasso): R = lambda·‖w‖₁, subgradient lambda·sign(w) with sign(0) = 0.
 * @example
 * l1Penalty([3, -4, 0], 0.1); // { value: 0.7, grad: [0.1, -0.1, 0] }
 * Reference: sklearn SGDClassifier(penalty='l1').
 */
export function l1Penalty(w: ArrayLike<number>, lambda: number): PenaltyResult {
  const c = penaltyCoefficients('l1', lambda, 1, 'l1Penalty', { alpha: 'lambda', l1Ratio: 'l1Ratio' });
  return run(w, c.l1, c.l2, 'l1Penalty');
}

/**
 * Elastic net with sklearn SGD's naming: R = alpha·(l1Ratio·‖w‖₁ + ½(1 − l1Ratio)·‖w‖²).
 * Defaults: alpha 1e-4, l1Ratio 0.15 (sklearn's).
 * @example
 * elasticNetPenalty([2], { alpha: 1, l1Ratio: 0.5 }); // { value: 2, grad: [1.5] }
 * Reference: sklearn.linear_model.SGDClassifier(penalty='elasticnet').
 */
export function elasticNetPenalty(w: ArrayLike<number>, options: { alpha?: number; l1Ratio?: number } = {}): PenaltyResult {
  const fn = 'elasticNetPenalty';
  checkOptions(fn, options, { alpha: { kind: 'any' }, l1Ratio: { kind: 'any' } });
  const c = penaltyCoefficients('elasticnet', options.alpha ?? 1e-4, options.l1Ratio ?? 0.15, fn, { alpha: 'options.alpha', l1Ratio: 'options.l1Ratio' });
  return run(w, c.l1, c.l2, 'elasticNetPenalty');
}
