import type { Param } from '../tensor.js';
import { ADAGRAD_L2, MAXIMIZE } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BOOL, EPS, LR, NON_NEGATIVE, WEIGHT_DECAY, type Rules } from './validate.js';

export interface AdagradOptions {
  /** Learning rate (default 0.01). */
  lr: number;
  /** Learning-rate decay: clr = lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** The accumulator's starting value (default 0). */
  initialAccumulatorValue: number;
  /** Added outside the root: √sum + eps (default 1e-10). */
  eps: number;
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = {
  lr: LR('0.01'),
  lrDecay: NON_NEGATIVE('Pass lrDecay >= 0 (0 turns it off).'),
  weightDecay: WEIGHT_DECAY,
  initialAccumulatorValue: NON_NEGATIVE('Pass initialAccumulatorValue >= 0 such as 0.1.'),
  eps: EPS('1e-10'),
  maximize: BOOL,
};

const SUM: readonly BufferSpec[] = [{ name: 'sum', init: (g: AdagradOptions) => g.initialAccumulatorValue, nonNegative: true }];

/**
 * Adagrad: torch.optim.Adagrad.
 *
 * With t the step number and g the gradient (negated if `maximize`, then g += weightDecay·p):
 * clr = lr / (1 + (t − 1)·lrDecay);  sum += g²;  p −= clr · g / (√sum + eps).
 *
 * Defaults: lr 0.01, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10, maximize
 * false. State: `sum` (starts at initialAccumulatorValue).
 *
 * @example
 * await init();
 * const w = param([1]);
 * const opt = new Adagrad([w], { lr: 0.5 });
 * w.grad[0] = 3;
 * opt.step(); // sum = 9, w = 1 − 0.5·3/3 = 0.5
 *
 * Reference: Duchi et al. 2011; PyTorch 1.13 torch/optim/adagrad.py.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super(params, options, { name: 'Adagrad', defaults: { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, rules: RULES });
  }

  protected override buffers(): readonly BufferSpec[] {
    return SUM;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<AdagradOptions>): void {
    const t = st.step;
    const clr = g.lr / (1 + (t - 1) * g.lrDecay);
    const flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? ADAGRAD_L2 : 0);
    this.kernels.f32_adagrad_step(p.ptr, p.gradPtr, st.buffers.sum.ptr, p.size, -clr, g.eps, g.weightDecay, flags);
  }
}
