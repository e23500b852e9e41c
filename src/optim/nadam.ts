import type { Param } from '../tensor.js';
import { MAXIMIZE, NADAM_DECOUPLED, NADAM_L2 } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BETAS, BOOL, EPS, LR, NON_NEGATIVE, WEIGHT_DECAY, type Rules } from './validate.js';

export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** (β₁, β₂) (default [0.9, 0.999]), each in [0, 1). */
  betas: [number, number];
  /** Added to the bias-corrected √v (default 1e-8). */
  eps: number;
  /** Weight decay (default 0): L2 term, or decoupled with `decoupledWeightDecay`. */
  weightDecay: number;
  /** ψ of the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)) (default 4e-3). */
  momentumDecay: number;
  /** Maximize the objective instead (default false; torch 2.x). */
  maximize: boolean;
  /** Decoupled weight decay p ·= 1 − lr·wd (default false; torch 2.x). */
  decoupledWeightDecay: boolean;
}

const RULES: Rules = {
  lr: LR('2e-3'),
  betas: BETAS,
  eps: EPS('1e-8'),
  weightDecay: WEIGHT_DECAY,
  momentumDecay: NON_NEGATIVE('Pass momentumDecay >= 0 such as 4e-3.'),
  maximize: BOOL,
  decoupledWeightDecay: BOOL,
};

const BUFFERS: readonly BufferSpec[] = [{ name: 'expAvg' }, { name: 'expAvgSq', nonNegative: true }];
const SCALARS: Readonly<Record<string, number>> = Object.freeze({ muProduct: 1 });

/**
 * NAdam, Adam with Nesterov momentum: torch.optim.NAdam, the documented rule (torch 1.13's foreach
 * path and torch ≥ 2.0).
 *
 * With t the step number, ψ = momentumDecay and g the gradient (negated if `maximize`; then the
 * weight decay, as in Adam):
 * - μₜ = β₁(1 − ½·0.96^(tψ)),  μₜ₊₁ likewise,  Pₜ = Pₜ₋₁·μₜ (P₀ = 1, a float32 scalar as in torch)
 * - m = β₁m + (1 − β₁)g;  v = β₂v + (1 − β₂)g²;  den = √v / √(1 − β₂ᵗ) + eps
 * - p −= lr(1 − μₜ)/(1 − Pₜ) · g/den;  p −= lr·μₜ₊₁/(1 − Pₜμₜ₊₁) · m/den
 *
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, momentumDecay 4e-3, maximize
 * false, decoupledWeightDecay false. State: `expAvg`, `expAvgSq`, `muProduct` (a number).
 *
 * @example
 * await init();
 * const w = param([1, -1]);
 * const opt = new NAdam([w], { lr: 0.01 });
 * w.grad.set([1, -1]);
 * opt.step();
 * opt.state(w).muProduct; // μ₁ = 0.9·(1 − ½·0.96^0.004) ≈ 0.45007
 *
 * Reference: Dozat 2016; PyTorch 1.13 torch/optim/nadam.py (`_multi_tensor_nadam`).
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: ParamsInput<NAdamOptions>, options?: Partial<NAdamOptions>) {
    super(params, options, {
      name: 'NAdam',
      defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, maximize: false, decoupledWeightDecay: false },
      rules: RULES,
    });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected override scalars(): Readonly<Record<string, number>> {
    return SCALARS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<NAdamOptions>): void {
    const t = st.step;
    const [b1, b2] = g.betas;
    const { lr, weightDecay: wd, momentumDecay: psi } = g;
    const mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
    const muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
    // torch keeps mu_product in torch.tensor(1.), a float32 scalar whatever the parameter's dtype,
    // and multiplies it by the Python float mu (rounded to float32).
    const P = Math.fround(st.scalars.muProduct * Math.fround(mu));
    const stepGrad = (lr * (1 - mu)) / (1 - P);
    const stepAvg = (lr * muNext) / (1 - P * muNext);
    let flags = g.maximize ? MAXIMIZE : 0;
    if (wd !== 0) flags |= g.decoupledWeightDecay ? NADAM_DECOUPLED : NADAM_L2;
    const b = st.buffers;
    this.kernels.f32_nadam_step(
      p.ptr, p.gradPtr, b.expAvg.ptr, b.expAvgSq.ptr, p.size,
      -stepGrad, -stepAvg, b1, 1 - b1, b2, 1 - b2, Math.sqrt(1 - Math.pow(b2, t)), g.eps, wd, 1 - lr * wd, flags,
    );
    st.scalars.muProduct = P;
  }
}
