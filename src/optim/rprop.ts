import type { Param } from '../tensor.js';
import { MAXIMIZE } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BOOL, LR, type Rules } from './validate.js';

export interface RpropOptions {
  /** The initial step size of every coordinate (default 0.01). */
  lr: number;
  /** (etaMinus, etaPlus): step-size factors on a sign change / no change (default [0.5, 1.2]), 0 < etaMinus < 1 < etaPlus. */
  etas: [number, number];
  /** (min, max) step size (default [1e-6, 50]). */
  stepSizes: [number, number];
  /** Maximize the objective instead (default false). */
  maximize: boolean;
}

const RULES: Rules = {
  lr: LR('0.01'),
  etas: {
    kind: 'pair',
    items: [
      { kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, fix: 'Pass etas such as [0.5, 1.2].' },
      { kind: 'number', min: 1, minOpen: true, fix: 'Pass etas such as [0.5, 1.2].' },
    ],
    fix: 'Pass etas such as [0.5, 1.2] (0 < etaMinus < 1 < etaPlus).',
  },
  stepSizes: {
    kind: 'pair',
    items: [
      { kind: 'number', min: 0, fix: 'Pass stepSizes such as [1e-6, 50].' },
      { kind: 'number', min: 0, infinite: true, fix: 'Pass stepSizes such as [1e-6, 50].' },
    ],
    check: (lo, hi) => (lo <= hi ? null : 'must have min <= max'),
    fix: 'Pass stepSizes such as [1e-6, 50].',
  },
  maximize: BOOL,
};

const BUFFERS: readonly BufferSpec[] = [{ name: 'prev' }, { name: 'stepSize', nonNegative: true }];

/**
 * Rprop, resilient backpropagation: torch.optim.Rprop. Only the sign of the gradient is used.
 *
 * With g the gradient (negated if `maximize`) and, per coordinate, the previous gradient `prev` and
 * step size `s` (starting at lr on the first step):
 * - g·prev > 0: s = min(s·etaPlus, max);  g·prev < 0: s = max(s·etaMinus, min) and g = 0;  else s is kept (clamped)
 * - p −= sign(g)·s;  prev = g
 *
 * Defaults: lr 0.01, etas [0.5, 1.2], stepSizes [1e-6, 50], maximize false. State: `prev`, `stepSize`.
 *
 * @example
 * await init();
 * const w = param([1, 1]);
 * const opt = new Rprop([w], { lr: 0.1 });
 * w.grad.set([3, -0.001]);
 * opt.step(); // w = [0.9, 1.1]: only signs count
 *
 * Reference: Riedmiller & Braun 1993; PyTorch 1.13 torch/optim/rprop.py.
 */
export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: ParamsInput<RpropOptions>, options?: Partial<RpropOptions>) {
    super(params, options, { name: 'Rprop', defaults: { lr: 0.01, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }, rules: RULES });
  }

  protected override buffers(): readonly BufferSpec[] {
    return BUFFERS;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<RpropOptions>): void {
    const b = st.buffers;
    // torch fills the step sizes with the group's lr when the parameter is first stepped.
    if (st.step === 1 && p.size > 0) this.kernels.f32_fill(b.stepSize.ptr, g.lr, p.size);
    this.kernels.f32_rprop_step(p.ptr, p.gradPtr, b.prev.ptr, b.stepSize.ptr, p.size, g.etas[0], g.etas[1], g.stepSizes[0], g.stepSizes[1], g.maximize ? MAXIMIZE : 0);
  }
}
