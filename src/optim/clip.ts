/**
 * Gradient clipping over many parameters at once (torch.nn.utils.clip_grad_norm_ /
 * clip_grad_value_), in place on the gradients, one kernel pass per parameter for the norm and one
 * for the scaling. Results are bit-identical on every backend.
 */
import { unknownOptionError } from '../util/options.js';
import { getBackend } from '../init.js';
import { Param } from '../tensor.js';
import { describe } from '../util/describe.js';

export interface ClipGradNormOptions {
  /** 2 (default): the Euclidean norm of all gradients together; Infinity: the largest |g|. */
  normType?: 2 | typeof Infinity;
  /** Throw a RangeError when the total norm is NaN or infinite, instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales every gradient by min(1, maxNorm / (total + 1e-6)), where `total` is the norm of all the
 * gradients together (as one vector), and returns `total`. The arithmetic is torch's, in float32:
 * per-parameter norms, then the norm of those; the coefficient is clamped to 1 but always applied.
 *
 * @param params a parameter or parameters (e.g. `optimizer.params`)
 * @param maxNorm the largest total norm to allow (finite, >= 0)
 * @example
 * await init();
 * const w = param([0, 0]);
 * w.grad.set([3, 4]);
 * clipGradNorm([w], 1); // returns 5; w.grad ≈ [0.6, 0.8]
 *
 * Reference: PyTorch 1.13 torch/nn/utils/clip_grad.py (clip_grad_norm_).
 */
export function clipGradNorm(params: Param | Iterable<Param>, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const ps = paramList('clipGradNorm', params);
  if (typeof maxNorm !== 'number') throw new TypeError(`clipGradNorm: maxNorm must be a number, got ${describe(maxNorm)}. Pass e.g. 1.0.`);
  if (!(maxNorm >= 0) || !Number.isFinite(maxNorm)) throw new RangeError(`clipGradNorm: maxNorm must be a finite number >= 0, got ${maxNorm}. Pass e.g. 1.0.`);
  if (options === null || typeof options !== 'object') throw new TypeError(`clipGradNorm: options must be an object such as { normType: 2 }, got ${describe(options)}.`);
  for (const key of Object.keys(options)) {
    if (key !== 'normType' && key !== 'errorIfNonfinite') throw unknownOptionError('clipGradNorm', 'options', key, ['normType', 'errorIfNonfinite']);
  }
  const normType = options.normType ?? 2;
  if (normType !== 2 && normType !== Infinity) {
    throw new RangeError(`clipGradNorm: normType must be 2 or Infinity, got ${describe(normType)}. Pass normType: 2 (Euclidean) or Infinity (largest |g|).`);
  }
  const errorIfNonfinite = options.errorIfNonfinite ?? false;
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`clipGradNorm: errorIfNonfinite must be true or false, got ${describe(errorIfNonfinite)}.`);
  const k = getBackend().k;
  const fr = Math.fround;
  let total = 0;
  if (normType === Infinity) {
    for (const p of ps) total = Math.max(total, k.f32_absmax(p.gradPtr, p.size));
  } else {
    // torch: norm(stack([norm(g) for g in grads])), each in float32.
    let s = 0;
    for (const p of ps) {
      const norm = fr(Math.sqrt(k.f32_sumsq(p.gradPtr, p.size)));
      s = fr(s + fr(norm * norm));
    }
    total = fr(Math.sqrt(s));
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `clipGradNorm: the total norm of the gradients is ${total}, so they cannot be clipped. Find the non-finite gradient, or pass errorIfNonfinite: false to scale by it anyway.`,
    );
  }
  // torch: clip_coef = max_norm / (total + 1e-6) (as total_norm.reciprocal() * max_norm), clamped to 1.
  const coef = Math.min(fr(fr(1 / fr(total + fr(1e-6))) * fr(maxNorm)), 1);
  const c = Number.isNaN(total) ? NaN : coef;
  for (const p of ps) k.f32_scale(p.gradPtr, c, p.gradPtr, p.size);
  return total;
}

/**
 * Clamps every gradient element to [−clipValue, clipValue], in place (NaN stays NaN).
 * @example
 * await init();
 * const w = param([0, 0, 0]);
 * w.grad.set([-5, 0.5, 5]);
 * clipGradValue([w], 1); // w.grad → [-1, 0.5, 1]
 *
 * Reference: PyTorch 1.13 torch/nn/utils/clip_grad.py (clip_grad_value_).
 */
export function clipGradValue(params: Param | Iterable<Param>, clipValue: number): void {
  const ps = paramList('clipGradValue', params);
  if (typeof clipValue !== 'number') throw new TypeError(`clipGradValue: clipValue must be a number, got ${describe(clipValue)}. Pass e.g. 1.0.`);
  if (!(clipValue >= 0)) throw new RangeError(`clipGradValue: clipValue must be a number >= 0, got ${clipValue}. Pass e.g. 1.0.`);
  const k = getBackend().k;
  for (const p of ps) k.f32_clamp(p.gradPtr, p.gradPtr, -clipValue, clipValue, p.size);
}

function paramList(fn: string, params: Param | Iterable<Param>): Param[] {
  let list: unknown[];
  if (params instanceof Param) list = [params];
  else if (params !== null && typeof params === 'object' && typeof (params as Iterable<Param>)[Symbol.iterator] === 'function') list = Array.from(params);
  else throw new TypeError(`${fn}: params must be a parameter or an array of parameters, got ${describe(params)}.`);
  list.forEach((p, i) => {
    if (!(p instanceof Param)) throw new TypeError(`${fn}: params[${i}] must be a parameter made by param(), got ${describe(p)}.`);
    if (p.disposed) throw new TypeError(`${fn}: params[${i}] was disposed. Pass live parameters.`);
    p.assertLive(`${fn}: params[${i}]`);
  });
  return list as Param[];
}
