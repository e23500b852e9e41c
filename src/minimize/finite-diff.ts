/**
 * Finite-difference derivatives for `minimize` and `classifyCriticalPoint` when the caller gives no
 * gradient or Hessian. Steps follow Nocedal & Wright, Numerical Optimization (2nd ed.) §8.1: a
 * central difference has truncation error O(h²) and rounding error O(ε/h), balanced at h ≈ ε^(1/3);
 * a second difference of f balances at h ≈ ε^(1/4). Each step is scaled to max(1, |xᵢ|) and then
 * rounded so that xᵢ + h is exactly representable ("h = (x + h) − x").
 */

/** Machine epsilon of float64, 2⁻⁵². */
const EPS = 2.220446049250313e-16;
/** ε^(1/3) ≈ 6.06e-6: the relative step of a central first difference. */
export const FD_STEP_GRAD = Math.cbrt(EPS);
/** ε^(1/4) ≈ 1.22e-4: the relative step of a second difference of f. */
export const FD_STEP_HESS = Math.sqrt(Math.sqrt(EPS));

/** The step for coordinate value `xi` and relative step `rel`, exactly representable against xi. */
export function fdStep(xi: number, rel: number): number {
  const h = rel * Math.max(1, Math.abs(xi));
  const shifted = xi + h;
  const exact = shifted - xi;
  return exact > 0 ? exact : h;
}

/**
 * Central-difference gradient: outᵢ = (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ) with hᵢ = ε^(1/3)·max(1, |xᵢ|).
 * Costs 2n evaluations of f. `x` is perturbed in place and restored exactly before return.
 */
export function fdGradient(f: (x: Float64Array) => number, x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const h = fdStep(xi, FD_STEP_GRAD);
    x[i] = xi + h;
    const fp = f(x);
    x[i] = xi - h;
    const fm = f(x);
    x[i] = xi;
    out[i] = (fp - fm) / (2 * h);
  }
}

/**
 * Hessian by central differences of the gradient: column j is (g(x + hⱼeⱼ) − g(x − hⱼeⱼ)) / (2hⱼ),
 * hⱼ = ε^(1/3)·max(1, |xⱼ|), then symmetrised. Costs 2n gradient evaluations. `out` is n×n row-major.
 */
export function fdHessianFromGrad(
  grad: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  out: Float64Array,
): void {
  const n = x.length;
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    const h = fdStep(xj, FD_STEP_GRAD);
    x[j] = xj + h;
    grad(x, gp);
    x[j] = xj - h;
    grad(x, gm);
    x[j] = xj;
    for (let i = 0; i < n; i++) out[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
}

/**
 * Hessian from f alone by second differences with hᵢ = ε^(1/4)·max(1, |xᵢ|):
 * Hᵢᵢ = (f(x+2hᵢeᵢ) − 2f(x) + f(x−2hᵢeᵢ)) / (4hᵢ²) and
 * Hᵢⱼ = (f(x+hᵢeᵢ+hⱼeⱼ) − f(x+hᵢeᵢ−hⱼeⱼ) − f(x−hᵢeᵢ+hⱼeⱼ) + f(x−hᵢeᵢ−hⱼeⱼ)) / (4hᵢhⱼ).
 * Costs 2n + 4·n(n−1)/2 + 1 evaluations; `fx` is f(x) if already known.
 */
export function fdHessianFromF(
  f: (x: Float64Array) => number,
  x: Float64Array,
  out: Float64Array,
  fx: number = f(x),
): void {
  const n = x.length;
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = fdStep(x[i], FD_STEP_HESS);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    x[i] = xi + 2 * h[i];
    const fp = f(x);
    x[i] = xi - 2 * h[i];
    const fm = f(x);
    x[i] = xi;
    out[i * n + i] = (fp - 2 * fx + fm) / (4 * h[i] * h[i]);
    for (let j = i + 1; j < n; j++) {
      const xj = x[j];
      x[i] = xi + h[i]; x[j] = xj + h[j];
      const fpp = f(x);
      x[j] = xj - h[j];
      const fpm = f(x);
      x[i] = xi - h[i];
      const fmm = f(x);
      x[j] = xj + h[j];
      const fmp = f(x);
      x[i] = xi; x[j] = xj;
      const v = (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
}
