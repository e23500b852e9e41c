import type { Param } from '../tensor.js';
import { ADADELTA_L2, MAXIMIZE } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BOOL, EPS, LR, WEIGHT_DECAY, type Rules } from './validate.js';

export interface AdadeltaOptions {
  /** Scale of the update (default 1.0). */
  lr: number;
  /** Decay of both running averages (default 0.9), in [0, 1]. */
  rho: number;
  /** Added inside both roots (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = {
  lr: LR('1.0'),
  rho: { kind: 'number', min: 0, max: 1, fix: 'Pass rho in [0, 1] such as 0.9.' },
  eps: EPS('1e-6'),
  weightDecay: WEIGHT_DECAY,
  maximize: BOOL,
};

const BUFFERS: readonly BufferSpec[] = [{ name: 'squareAvg', nonNegative: true }, { name: 'accDelta', nonNegative: true }];

/**
 * Adadelta: torch.optim.Adadelta.
 *
 * With g the gradient (negated if `maximize`, then g += weightDecay·p):
 * v = ρv + (1 − ρ)g²;  δ = √(u + eps) / √(v + eps) · g;  u = ρu + (1 − ρ)δ²;  p −= lr·δ.
 *
 * Defaults: lr 1.0, rho 0.9, eps 1e-6, weightDecay 0, maximize false. State: `squareAvg` (v),
 * `accDelta` (u).
 *
 * @example
 * await init();
 * const w = param([1, -1]);
 * const opt = new Adadelta([w]);
 * w.grad.set([0.5, -0.5]);
 * opt.step(); // the first steps are tiny (√eps-sized) by design
 *
 * Reference: Zeiler 2012; PyTorch 1.13 torch/optim/adadelta.py.
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: ParamsInput<AdadeltaOptions>, options?: Partial<AdadeltaOptions>) {
    super(params, options, { name: 'Adadelta', defaults: { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, rules: RULES });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<AdadeltaOptions>): void {
    const flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? ADADELTA_L2 : 0);
    const b = st.buffers;
    this.kernels.f32_adadelta_step(p.ptr, p.gradPtr, b.squareAvg.ptr, b.accDelta.ptr, p.size, -g.lr, g.rho, 1 - g.rho, g.eps, g.weightDecay, flags);
  }
}
