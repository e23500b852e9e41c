/**
 * The second-derivative test at a critical point.
 */
import { normInf, symmetricEigenvalues } from './linalg.js';
import { describe } from '../util/describe.js';
import { Objective, type GradientFn, type HessianFn, type ObjectiveFn } from './objective.js';

export interface ClassifyOptions {
  /** ∇f(x) into `out`; used for the reported gradient norm and, without hess, for the Hessian. */
  grad?: GradientFn;
  /** ∇²f(x) into `out` (n·n row-major); without it, finite differences. */
  hess?: HessianFn;
  /** An eigenvalue with |λ| ≤ tol·max(1, max|λ|) counts as zero (default 1e-5). */
  tol?: number;
}

export interface CriticalPointClass {
  kind: 'minimum' | 'maximum' | 'saddle' | 'inconclusive';
  /** The Hessian's eigenvalues, ascending. */
  eigenvalues: Float64Array;
  /** max|∂f/∂xᵢ| at x: the test assumes x is critical, so check that this is small. */
  gradNorm: number;
  /** The (symmetrised) Hessian used, n·n row-major. */
  hessian: Float64Array;
}

/**
 * Classifies the critical point x of f by the signs of the Hessian's eigenvalues (symmetric Jacobi
 * eigenvalues): all positive → 'minimum', all negative → 'maximum', both signs → 'saddle', and
 * 'inconclusive' when no sign of both kinds decides it and some eigenvalue is (numerically) zero,
 * where higher derivatives would be needed.
 *
 * The Hessian is `hess` if given, else central differences of `grad`, else second differences of f
 * (hᵢ = ε^(1/4)·max(1, |xᵢ|)). The test is only meaningful where ∇f(x) = 0; the result's gradNorm
 * lets the caller check that. Default tol 1e-5 (relative to the largest |λ|).
 *
 * @example
 * classifyCriticalPoint((x) => x[0] ** 2 - x[1] ** 2, [0, 0]).kind; // 'saddle'
 */
export function classifyCriticalPoint(f: ObjectiveFn, x: ArrayLike<number>, options: ClassifyOptions = {}): CriticalPointClass {
  if (typeof f !== 'function') throw new TypeError(`f must be a function (x: Float64Array) => number, got ${describe(f)}`);
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new TypeError(`x must be an array or Float64Array of numbers, got ${describe(x)}`);
  }
  if (x.length === 0) throw new RangeError('x is empty; pass the point to classify');
  const xx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as unknown;
    if (typeof v !== 'number') throw new TypeError(`x[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`x[${i}] is ${v}; every entry of x must be a finite number`);
    xx[i] = v;
  }
  const tol = options.tol ?? 1e-5;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new RangeError(`options.tol must be a finite number >= 0, got ${String(tol)}`);
  }
  for (const key of ['grad', 'hess'] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'function') throw new TypeError(`options.${key} must be a function, got ${describe(v)}`);
  }
  const n = xx.length;
  const obj = new Objective(f, options.grad, options.hess, n);
  const g = new Float64Array(n);
  const fx = obj.start(xx, g);
  const h = new Float64Array(n * n);
  obj.hessian(xx, h, fx);
  const eigenvalues = symmetricEigenvalues(h, n);
  const scale = Math.max(1, Math.abs(eigenvalues[0]), Math.abs(eigenvalues[n - 1]));
  const zero = tol * scale;
  let pos = 0, neg = 0;
  for (const l of eigenvalues) {
    if (l > zero) pos++;
    else if (l < -zero) neg++;
  }
  const kind = pos > 0 && neg > 0 ? 'saddle' : pos === n ? 'minimum' : neg === n ? 'maximum' : 'inconclusive';
  return { kind, eigenvalues, gradNorm: normInf(g), hessian: h };
}
