import type { Param } from '../tensor.js';
import { MAXIMIZE, RADAM_DECOUPLED, RADAM_L2, RADAM_RECTIFY } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BETAS, BOOL, EPS, LR, WEIGHT_DECAY, type Rules } from './validate.js';

export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** (β₁, β₂) (default [0.9, 0.999]), each in [0, 1). */
  betas: [number, number];
  /** Added outside the root (default 1e-8). */
  eps: number;
  /** Weight decay (default 0): L2 term, or decoupled with `decoupledWeightDecay`. */
  weightDecay: number;
  /** Maximize the objective instead (default false; torch 2.x). */
  maximize: boolean;
  /** Decoupled weight decay p ·= 1 − lr·wd (default false; torch 2.x). */
  decoupledWeightDecay: boolean;
}

const RULES: Rules = {
  lr: LR('1e-3'), betas: BETAS, eps: EPS('1e-8'), weightDecay: WEIGHT_DECAY, maximize: BOOL, decoupledWeightDecay: BOOL,
};
const BUFFERS: readonly BufferSpec[] = [{ name: 'expAvg' }, { name: 'expAvgSq', nonNegative: true }];

/**
 * RAdam, Adam with a rectified adaptive rate: torch.optim.RAdam.
 *
 * With t the step number and g the gradient (negated if `maximize`; then the weight decay, as in Adam):
 * - m = β₁m + (1 − β₁)g;  v = β₂v + (1 − β₂)g²;  m̂ = m / (1 − β₁ᵗ)
 * - ρ∞ = 2/(1 − β₂) − 1;  ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
 * - ρₜ > 5: r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),  p −= lr·m̂ · √(1 − β₂ᵗ)/(√v + eps) · r
 * - otherwise p −= lr·m̂ (the first steps, while the variance estimate is unreliable)
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, maximize false,
 * decoupledWeightDecay false. State: `expAvg`, `expAvgSq`.
 *
 * @example
 * await init();
 * const w = param([1]);
 * const opt = new RAdam([w], { lr: 0.1 });
 * w.grad[0] = 3;
 * opt.step(); // ρ₁ ≤ 5: plain momentum step, w = 1 − 0.1·3 = 0.7
 *
 * Reference: Liu et al. 2020; PyTorch 1.13 torch/optim/radam.py (`_single_tensor_radam`).
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: ParamsInput<RAdamOptions>, options?: Partial<RAdamOptions>) {
    super(params, options, {
      name: 'RAdam',
      defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, decoupledWeightDecay: false },
      rules: RULES,
    });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<RAdamOptions>): void {
    const t = st.step;
    const [b1, b2] = g.betas;
    const { lr, weightDecay: wd } = g;
    const bc1 = 1 - Math.pow(b1, t);
    const bc2 = 1 - Math.pow(b2, t);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * t * Math.pow(b2, t)) / bc2;
    let flags = g.maximize ? MAXIMIZE : 0;
    if (wd !== 0) flags |= g.decoupledWeightDecay ? RADAM_DECOUPLED : RADAM_L2;
    let rect = 0;
    if (rhoT > 5) {
      rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      flags |= RADAM_RECTIFY;
    }
    const b = st.buffers;
    this.kernels.f32_radam_step(
      p.ptr, p.gradPtr, b.expAvg.ptr, b.expAvgSq.ptr, p.size,
      lr, b1, 1 - b1, b2, 1 - b2, bc1, Math.sqrt(bc2), rect, g.eps, wd, 1 - lr * wd, flags,
    );
  }
}
