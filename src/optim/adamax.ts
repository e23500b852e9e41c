import type { Param } from '../tensor.js';
import { ADAMAX_L2, MAXIMIZE } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BETAS, BOOL, EPS, LR, WEIGHT_DECAY, type Rules } from './validate.js';

export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** (β₁, β₂) (default [0.9, 0.999]), each in [0, 1). */
  betas: [number, number];
  /** Added inside the max: u = max(β₂u, |g| + eps) (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = { lr: LR('2e-3'), betas: BETAS, eps: EPS('1e-8'), weightDecay: WEIGHT_DECAY, maximize: BOOL };
const BUFFERS: readonly BufferSpec[] = [{ name: 'expAvg' }, { name: 'expInf', nonNegative: true }];

/**
 * Adamax, Adam with the infinity norm: torch.optim.Adamax.
 *
 * With t the step number and g the gradient (negated if `maximize`, then g += weightDecay·p):
 * m = β₁m + (1 − β₁)g;  u = max(β₂u, |g| + eps);  p −= (lr / (1 − β₁ᵗ)) · m / u.
 *
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, maximize false. State: `expAvg`
 * (m), `expInf` (u).
 *
 * @example
 * await init();
 * const w = param([1]);
 * const opt = new Adamax([w], { lr: 0.1 });
 * w.grad[0] = 4;
 * opt.step(); // m = 0.4, u = 4, w = 1 − (0.1/0.1)·0.4/4 = 0.9
 *
 * Reference: Kingma & Ba 2015, section 7.1; PyTorch 1.13 torch/optim/adamax.py.
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: ParamsInput<AdamaxOptions>, options?: Partial<AdamaxOptions>) {
    super(params, options, { name: 'Adamax', defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, rules: RULES });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<AdamaxOptions>): void {
    const t = st.step;
    const [b1, b2] = g.betas;
    const clr = g.lr / (1 - Math.pow(b1, t));
    const flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? ADAMAX_L2 : 0);
    const b = st.buffers;
    this.kernels.f32_adamax_step(p.ptr, p.gradPtr, b.expAvg.ptr, b.expInf.ptr, p.size, -clr, b1, 1 - b1, b2, g.eps, g.weightDecay, flags);
  }
}
