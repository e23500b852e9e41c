/**
 * Gradient checking by central differences, the test that catches a wrong backward pass.
 */
import { describe } from '../util/describe.js';
import { checkOptions } from '../util/options.js';

/** Anything with values and a gradient of the same length: a Param, or plain arrays. */
export interface GradcheckParam {
  readonly data: Float32Array | Float64Array;
  readonly grad: Float32Array | Float64Array;
  name?: string;
}

export interface GradcheckOptions {
  /** Half-step h of the central difference (default 1e-3: float32 parameters cannot resolve much less). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). An element passes when |analytic − numeric| <= atol + rtol·|numeric|. */
  rtol?: number;
  /**
   * The objective without gradients, evaluated for the differences — ideally in float64
   * (a model's `loss64`); default: `fn` itself.
   */
  value?: () => number;
  /** Check at most this many elements per parameter, evenly spaced (default: all). */
  maxPerParam?: number;
}

export interface GradcheckWorst {
  /** The parameter's name, or its position in `params`. */
  param: string;
  index: number;
  analytic: number;
  numeric: number;
  absErr: number;
  /** absErr / max(|numeric|, 1e-12). */
  relErr: number;
}

export interface GradcheckReport {
  /** True when every checked element is within atol + rtol·|numeric|. */
  ok: boolean;
  /** How many elements were checked. */
  checked: number;
  /** The element that used the largest share of its tolerance (null when nothing was checked). */
  worst: GradcheckWorst | null;
}

/**
 * Compares the analytic gradient with central differences (f(x+h) − f(x−h)) / 2h, element by
 * element, and reports the worst element.
 *
 * `fn()` must return the objective and write its gradient into every `param.grad` (a model's
 * `lossAndGrad`); it is called once. The differences evaluate `options.value` (default `fn`) with
 * one element moved by ±h; the step actually taken is read back from `param.data`, so float32
 * parameters divide by the float32 step. Pass a float64 evaluation as `value` (the models'
 * `loss64` runs the forward pass in float64 plain JS on the current parameter values): then the
 * float32 kernels' gradient is checked against float64 differences, which are accurate to
 * O(h²) with no float32 cancellation, so rtol 1e-3 separates rounding from a wrong gradient.
 * Avoid inputs within h of a kink (relu at 0, a hinge margin of exactly 0).
 *
 * Defaults: eps 1e-3, atol 1e-5, rtol 1e-3, all elements.
 * @example
 * const w = param([1, 2]);
 * const f = () => { w.grad[0] = 2 * w.data[0]; w.grad[1] = 2 * w.data[1]; return w.data[0] ** 2 + w.data[1] ** 2; };
 * gradcheck(f, [w]).ok; // true
 * Reference: torch.autograd.gradcheck (which does the same in float64).
 */
export function gradcheck(fn: () => number, params: readonly GradcheckParam[], options: GradcheckOptions = {}): GradcheckReport {
  const FN = 'gradcheck';
  checkOptions(FN, options, {
    eps: { kind: 'number', min: 0, minOpen: true },
    atol: { kind: 'number', min: 0 },
    rtol: { kind: 'number', min: 0 },
    value: { kind: 'function' },
    maxPerParam: { kind: 'number', integer: true, min: 1 },
  });
  const eps = options.eps ?? 1e-3, atol = options.atol ?? 1e-5, rtol = options.rtol ?? 1e-3;
  if (typeof fn !== 'function') throw new TypeError(`${FN}: fn must be a function returning the objective and writing the gradients, got ${describe(fn)}`);
  if (!Array.isArray(params)) throw new TypeError(`${FN}: params must be an array of parameters (with data and grad), got ${describe(params)}`);
  params.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || !ArrayBuffer.isView(p.data) || !ArrayBuffer.isView(p.grad) || p.data.length !== p.grad.length) {
      throw new TypeError(`${FN}: params[${i}] must have data and grad arrays of one length (a parameter), got ${describe(p)}`);
    }
  });
  const value = options.value ?? fn;
  fn();
  const analytic = params.map((p) => Float64Array.from(p.grad));
  let worst: GradcheckWorst | null = null;
  let worstShare = -1, checked = 0, ok = true;
  params.forEach((p, pi) => {
    const n = p.data.length;
    const max = Math.min(n, options.maxPerParam ?? n);
    for (let s = 0; s < max; s++) {
      const i = max === n ? s : Math.floor((s * n) / max);
      const x0 = p.data[i];
      p.data[i] = x0 + eps;
      const xp = p.data[i];
      const fp = value();
      p.data[i] = x0 - eps;
      const xm = p.data[i];
      const fm = value();
      p.data[i] = x0;
      const numeric = (fp - fm) / (xp - xm);
      const a = analytic[pi][i];
      const absErr = Math.abs(a - numeric);
      const share = absErr / (atol + rtol * Math.abs(numeric));
      checked++;
      if (!(share <= 1)) ok = false;
      if (share > worstShare || Number.isNaN(share)) {
        worstShare = Number.isNaN(share) ? Infinity : share;
        worst = { param: p.name ?? String(pi), index: i, analytic: a, numeric, absErr, relErr: absErr / Math.max(Math.abs(numeric), 1e-12) };
      }
    }
  });
  return { ok, checked, worst };
}
