import type { Param } from '../tensor.js';
import { MAXIMIZE, SGD_FIRST, SGD_L2, SGD_MOMENTUM, SGD_NESTEROV } from '../wasm/constants.gen.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BOOL, LR, MOMENTUM, WEIGHT_DECAY, type Rules } from './validate.js';

export interface SGDOptions {
  /** Learning rate (default 1e-3, as torch 2.x; torch 1.13 required it). */
  lr: number;
  /** Momentum factor μ (default 0: plain gradient descent). */
  momentum: number;
  /** Dampening of the gradient in the momentum buffer (default 0). Not applied on the first step. */
  dampening: number;
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Maximize the objective instead (default false): the gradient is negated first. */
  maximize: boolean;
}

const RULES: Rules = {
  lr: LR('0.01'),
  momentum: MOMENTUM,
  dampening: { kind: 'number', fix: 'Pass dampening such as 0 (the default) or 0.1.' },
  weightDecay: WEIGHT_DECAY,
  nesterov: BOOL,
  maximize: BOOL,
};

const NONE: readonly BufferSpec[] = [];
const MOMENTUM_BUFFER: readonly BufferSpec[] = [{ name: 'momentumBuffer', unset: true }];

/**
 * Stochastic gradient descent with optional (Nesterov) momentum: torch.optim.SGD.
 *
 * With t the step number and g the gradient (negated first if `maximize`, then g += weightDecay·p):
 * - momentum μ ≠ 0: buf = g at t = 1 (no dampening on the first step), else buf = μ·buf + (1 − dampening)·g;
 *   then g = nesterov ? g + μ·buf : buf
 * - p −= lr·g
 *
 * Defaults: lr 1e-3, momentum 0, dampening 0, weightDecay 0, nesterov false, maximize false. State:
 * `momentumBuffer` (null until the first step with momentum).
 *
 * @example
 * await init();
 * const w = param([1, -2]);
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.grad.set([2 * w.data[0], 2 * w.data[1]]); // gradient of |w|²
 * opt.step();
 * w.data; // Float32Array [0.8, -1.6]
 *
 * Reference: PyTorch 1.13 torch/optim/sgd.py (`_single_tensor_sgd`); Sutskever et al. 2013 for
 * Nesterov momentum in this form.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options?: Partial<SGDOptions>) {
    super(params, options, { name: 'SGD', defaults: { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, rules: RULES });
  }

  protected override checkGroup(g: SGDOptions, where: string): void {
    if (g.nesterov && (!(g.momentum > 0) || g.dampening !== 0)) {
      throw new RangeError(
        `SGD: ${where}nesterov needs momentum > 0 and dampening 0, got momentum ${g.momentum} and dampening ${g.dampening}. ` +
          'Set momentum (e.g. 0.9) and dampening 0, or nesterov: false.',
      );
    }
  }

  protected override buffers(g: ParamGroup<SGDOptions>): readonly BufferSpec[] {
    return g.momentum !== 0 ? MOMENTUM_BUFFER : NONE;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<SGDOptions>): void {
    let flags = (g.maximize ? MAXIMIZE : 0) | (g.weightDecay !== 0 ? SGD_L2 : 0);
    let buf = 0;
    if (g.momentum !== 0) {
      flags |= SGD_MOMENTUM | (g.nesterov ? SGD_NESTEROV : 0);
      buf = st.buffers.momentumBuffer.ptr;
      if (st.unset.has('momentumBuffer')) {
        flags |= SGD_FIRST;
        st.unset.delete('momentumBuffer');
      }
    }
    this.kernels.f32_sgd_step(p.ptr, p.gradPtr, buf, p.size, -g.lr, g.momentum, 1 - g.dampening, g.weightDecay, flags);
  }
}
