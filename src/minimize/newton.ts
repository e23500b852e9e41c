/**
 * The Newton direction with Levenberg-style damping: solve (H + τI)p = −g by Cholesky, with τ = 0
 * when H is positive definite and otherwise the smallest τ of the sequence of Nocedal & Wright's
 * Algorithm 3.3 ("Cholesky with added multiple of the identity") that makes H + τI factorisable, so
 * p is always a descent direction.
 */
import { cholesky, choleskySolve } from './linalg.js';

export interface NewtonDirection {
  /** The damping τ added to the diagonal (0 when H itself was positive definite). */
  damping: number;
  /** The number of Cholesky attempts. */
  attempts: number;
}

/**
 * Writes p = −(H + τI)⁻¹g into `p`. τ starts at 0 if min Hᵢᵢ > 0, else at β − min Hᵢᵢ, and doubles
 * (at least to β) until the Cholesky factorisation succeeds; β = 1e-3·max(1, max|Hᵢᵢ|).
 * H is n×n row-major and symmetric; `l` is n·n scratch for the factor.
 */
export function newtonDirection(
  h: Float64Array,
  g: Float64Array,
  n: number,
  p: Float64Array,
  l: Float64Array = new Float64Array(n * n),
): NewtonDirection {
  let minDiag = Infinity, maxAbsDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = h[i * n + i];
    minDiag = Math.min(minDiag, d);
    maxAbsDiag = Math.max(maxAbsDiag, Math.abs(d));
  }
  const beta = 1e-3 * Math.max(1, maxAbsDiag);
  let tau = minDiag > 0 ? 0 : beta - minDiag;
  let attempts = 0;
  for (;;) {
    attempts++;
    if (cholesky(h, n, l, tau)) break;
    tau = Math.max(2 * tau, beta);
    if (!Number.isFinite(tau) || attempts > 200) {
      throw new RangeError(`the Hessian could not be made positive definite (damping reached ${tau}); check hess for NaN or huge entries`);
    }
  }
  for (let i = 0; i < n; i++) p[i] = -g[i];
  choleskySolve(l, n, p, p);
  return { damping: tau, attempts };
}
