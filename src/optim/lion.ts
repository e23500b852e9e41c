import type { Param } from '../tensor.js';
import { LION_DECOUPLED, MAXIMIZE } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BETAS, BOOL, LR, WEIGHT_DECAY, type Rules } from './validate.js';

export interface LionOptions {
  /** Learning rate (default 1e-4; typically 3–10× smaller than Adam's). */
  lr: number;
  /** (β₁, β₂): interpolation for the update and decay of the momentum (default [0.9, 0.99]). */
  betas: [number, number];
  /** Decoupled weight decay p ·= 1 − lr·wd (default 0). */
  weightDecay: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = { lr: LR('1e-4'), betas: BETAS, weightDecay: WEIGHT_DECAY, maximize: BOOL };
const BUFFERS: readonly BufferSpec[] = [{ name: 'expAvg' }];

/**
 * Lion, evolved sign momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2). Not in torch; the update follows the paper (and lucidrains/lion-pytorch):
 *
 * With g the gradient (negated if `maximize`) and m the momentum:
 * - p ·= 1 − lr·wd
 * - c = β₁m + (1 − β₁)g;  p −= lr·sign(c)  (sign(0) = 0)
 * - m = β₂m + (1 − β₂)g
 *
 * Defaults: lr 1e-4, betas [0.9, 0.99], weightDecay 0, maximize false. State: `expAvg` (m).
 *
 * @example
 * await init();
 * const w = param([1, -1, 0.5]);
 * const opt = new Lion([w], { lr: 0.1 });
 * w.grad.set([2, -3, 0]);
 * opt.step(); // every coordinate with a nonzero update moves by exactly lr: [0.9, -0.9, 0.5]
 *
 * Reference: Chen et al. 2023, arXiv:2302.06675, Algorithm 2.
 */
export class Lion extends Optimizer<LionOptions> {
  constructor(params: ParamsInput<LionOptions>, options?: Partial<LionOptions>) {
    super(params, options, { name: 'Lion', defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false }, rules: RULES });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<LionOptions>): void {
    const [b1, b2] = g.betas;
    const flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? LION_DECOUPLED : 0);
    this.kernels.f32_lion_step(p.ptr, p.gradPtr, st.buffers.expAvg.ptr, p.size, -g.lr, b1, 1 - b1, b2, 1 - b2, 1 - g.lr * g.weightDecay, flags);
  }
}
