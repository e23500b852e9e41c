import type { Param } from '../tensor.js';
import { MAXIMIZE, RMSPROP_CENTERED, RMSPROP_L2, RMSPROP_MOMENTUM } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BOOL, EPS, LR, MOMENTUM, NON_NEGATIVE, WEIGHT_DECAY, type Rules } from './validate.js';

export interface RMSpropOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added outside the root (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum μ (default 0). */
  momentum: number;
  /** Centered RMSprop (default false): normalise by the estimated variance √(v − ḡ²). */
  centered: boolean;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = {
  lr: LR('0.01'),
  alpha: NON_NEGATIVE('Pass alpha >= 0 such as 0.99.'),
  eps: EPS('1e-8'),
  weightDecay: WEIGHT_DECAY,
  momentum: MOMENTUM,
  centered: BOOL,
  maximize: BOOL,
};

const SQ: BufferSpec = { name: 'squareAvg', nonNegative: true }, GA: BufferSpec = { name: 'gradAvg' }, MB: BufferSpec = { name: 'momentumBuffer' };
const SPECS: ReadonlyArray<readonly BufferSpec[]> = [[SQ], [SQ, GA], [SQ, MB], [SQ, GA, MB]];

/**
 * RMSprop: torch.optim.RMSprop.
 *
 * With g the gradient (negated if `maximize`, then g += weightDecay·p):
 * - v = αv + (1 − α)g²
 * - centered: ḡ = αḡ + (1 − α)g, den = √(v − ḡ²) + eps;  otherwise den = √v + eps
 * - momentum μ > 0: buf = μ·buf + g/den, p −= lr·buf;  otherwise p −= lr·g/den
 *
 * No bias correction; eps outside the root. Defaults: lr 0.01, alpha 0.99, eps 1e-8, weightDecay 0,
 * momentum 0, centered false, maximize false. State: `squareAvg`, `gradAvg` (centered),
 * `momentumBuffer` (momentum > 0).
 *
 * @example
 * await init();
 * const w = param([1]);
 * const opt = new RMSprop([w], { lr: 0.01 });
 * w.grad[0] = 2;
 * opt.step(); // v = 0.04, w = 1 − 0.01·2/0.2 = 0.9
 *
 * Reference: Hinton, Coursera lecture 6e; Graves 2013 (centered); PyTorch 1.13 torch/optim/rmsprop.py.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super(params, options, { name: 'RMSprop', defaults: { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, rules: RULES });
  }

  protected override buffers(g: ParamGroup<RMSpropOptions>): readonly BufferSpec[] {
    return SPECS[(g.centered ? 1 : 0) + (g.momentum > 0 ? 2 : 0)];
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<RMSpropOptions>): void {
    const mom = g.momentum > 0;
    const flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? RMSPROP_L2 : 0) |
      (g.centered ? RMSPROP_CENTERED : 0) | (mom ? RMSPROP_MOMENTUM : 0);
    const b = st.buffers;
    this.kernels.f32_rmsprop_step(
      p.ptr, p.gradPtr, b.squareAvg.ptr, g.centered ? b.gradAvg.ptr : 0, mom ? b.momentumBuffer.ptr : 0, p.size,
      -g.lr, g.alpha, 1 - g.alpha, g.eps, g.momentum, g.weightDecay, flags,
    );
  }
}
