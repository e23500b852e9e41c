import type { Param } from '../tensor.js';
import { ADAM_AMSGRAD, ADAM_DECOUPLED, ADAM_L2, MAXIMIZE } from '../wasm/constants.gen.js';
import type { EngineKernels } from './engine.js';
import { Optimizer, type BufferSpec, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { BETAS, BOOL, EPS, LR, WEIGHT_DECAY, type Rules } from './validate.js';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β₁, β₂) of the first and second moments (default [0.9, 0.999]), each in [0, 1). */
  betas: [number, number];
  /** Added to the bias-corrected √v (default 1e-8). */
  eps: number;
  /** Weight decay (default 0 for Adam, 0.01 for AdamW): an L2 term g + wd·p, or decoupled p ·= 1 − lr·wd. */
  weightDecay: number;
  /** AMSGrad (default false): divide by the running max of the raw second moment. */
  amsgrad: boolean;
  /** Maximize the objective instead (default false): the gradient is negated first. */
  maximize: boolean;
  /** Decoupled weight decay as AdamW (default false for Adam, true for AdamW). */
  decoupledWeightDecay: boolean;
}

const RULES: Rules = {
  lr: LR('1e-3'),
  betas: BETAS,
  eps: EPS('1e-8'),
  weightDecay: WEIGHT_DECAY,
  amsgrad: BOOL,
  maximize: BOOL,
  decoupledWeightDecay: BOOL,
};

const PLAIN: readonly BufferSpec[] = [{ name: 'expAvg' }, { name: 'expAvgSq', nonNegative: true }];
const AMS: readonly BufferSpec[] = [{ name: 'expAvg' }, { name: 'expAvgSq', nonNegative: true }, { name: 'maxExpAvgSq', nonNegative: true }];

const ADAM_DEFAULTS: AdamOptions = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false,
};

/**
 * Adam: torch.optim.Adam (and, with `decoupledWeightDecay`, AdamW).
 *
 * With t the parameter's step number and g its gradient (negated first if `maximize`):
 * - weight decay: g += wd·p, or with `decoupledWeightDecay` p ·= 1 − lr·wd (before the moments)
 * - m = β₁m + (1 − β₁)g;  v = β₂v + (1 − β₂)g²;  with `amsgrad` v̂ = max(v̂, v) (over the raw v) replaces v
 * - p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)
 *
 * The bias corrections are computed in float64 and rounded to float32 as torch does. Defaults: lr
 * 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false, maximize false,
 * decoupledWeightDecay false. State: `expAvg`, `expAvgSq`, and `maxExpAvgSq` with amsgrad.
 *
 * @example
 * await init();
 * const w = param([1, -2]);
 * const opt = new Adam([w], { lr: 0.1 });
 * w.grad.set([2, -4]);
 * opt.step();
 * w.data; // ≈ [0.9, -1.9]: the first Adam step moves each coordinate by about lr
 *
 * Reference: Kingma & Ba 2015; PyTorch 1.13 torch/optim/adam.py (`_single_tensor_adam`);
 * Reddi et al. 2018 (AMSGrad); Loshchilov & Hutter 2019 (decoupled weight decay).
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, options, { name: 'Adam', defaults: ADAM_DEFAULTS, rules: RULES });
  }

  protected override buffers(g: ParamGroup<AdamOptions>): readonly BufferSpec[] {
    return g.amsgrad ? AMS : PLAIN;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<AdamOptions>): void {
    adamUpdate(this.kernels, p, st, g);
  }
}

/**
 * AdamW: Adam with decoupled weight decay (torch.optim.AdamW). Same rule and options as `Adam`, with
 * `decoupledWeightDecay: true` and `weightDecay` 0.01 by default: p ·= 1 − lr·wd before the moment
 * updates, and no L2 term in the gradient.
 *
 * @example
 * await init();
 * const w = param([1, -2]);
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.1 });
 * w.grad.set([2, -4]);
 * opt.step(); // w ·= 0.99, then the Adam step
 *
 * Reference: Loshchilov & Hutter 2019; PyTorch 1.13 torch/optim/adamw.py.
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, options, { name: 'AdamW', defaults: { ...ADAM_DEFAULTS, weightDecay: 0.01, decoupledWeightDecay: true }, rules: RULES });
  }

  protected override buffers(g: ParamGroup<AdamOptions>): readonly BufferSpec[] {
    return g.amsgrad ? AMS : PLAIN;
  }

  protected update(p: Param, st: ParamState, g: ParamGroup<AdamOptions>): void {
    adamUpdate(this.kernels, p, st, g);
  }
}

/**
 * The bias corrections 1 − β₁ᵗ and 1/√(1 − β₂ᵗ) of the last (β₁, β₂, t) asked for: the parameters of
 * one step share them, and Math.pow costs ~60 ns here (a 4-parameter MLP's step spent ~0.4 µs on
 * them). The same expressions, so the same bits; 0 and −0 betas give the same values, as 1 − (±0)ᵗ.
 */
const bias = { b1: NaN, b2: NaN, t: -1, bc1: 1, invBc2Sqrt: 1 };

function biasCorrections(b1: number, b2: number, t: number): typeof bias {
  if (t !== bias.t || b1 !== bias.b1 || b2 !== bias.b2) {
    bias.bc1 = 1 - Math.pow(b1, t);
    // torch divides √v by √(1 − β₂ᵗ); multiplying by the reciprocal (rounded once to f32) differs by
    // at most an ulp and halves the kernel's use of the divide unit, which bounds Adam's speed.
    bias.invBc2Sqrt = 1 / Math.sqrt(1 - Math.pow(b2, t));
    bias.b1 = b1;
    bias.b2 = b2;
    bias.t = t;
  }
  return bias;
}

function adamUpdate(k: EngineKernels, p: Param, st: ParamState, g: ParamGroup<AdamOptions>): void {
  const t = st.step;
  const betas = g.betas, b1 = betas[0], b2 = betas[1];
  const { lr, weightDecay: wd } = g;
  const bc = biasCorrections(b1, b2, t);
  const stepSize = lr / bc.bc1;
  const invBc2Sqrt = bc.invBc2Sqrt;
  let flags = (g.maximize ? MAXIMIZE : 0) | (g.amsgrad ? ADAM_AMSGRAD : 0);
  if (wd !== 0) flags |= g.decoupledWeightDecay ? ADAM_DECOUPLED : ADAM_L2;
  const b = st.buffers;
  k.f32_adam_step(
    p.ptr, p.gradPtr, b.expAvg.ptr, b.expAvgSq.ptr, g.amsgrad ? b.maxExpAvgSq.ptr : 0, p.size,
    -stepSize, b1, 1 - b1, b2, 1 - b2, invBc2Sqrt, g.eps, wd, 1 - lr * wd, flags,
  );
}
