/**
 * Small dense float64 linear algebra for `minimize`: row-major n×n matrices in a Float64Array.
 * Sizes here are those of a Hessian, so plain O(n³) loops are the right tool; nothing is cached.
 */

/** Vector dot product Σ aᵢbᵢ over the first `a.length` entries. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** max |aᵢ| (0 for an empty vector). */
export function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Euclidean norm, scaled so that it neither overflows nor underflows early. */
export function norm2(a: Float64Array): number {
  const scale = normInf(a);
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** Replaces the n×n row-major `m` by (m + mᵀ)/2, in place. */
export function symmetrize(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (m[i * n + j] + m[j * n + i]);
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
}

/**
 * Cholesky factorisation A + shift·I = L Lᵀ of a symmetric n×n matrix, written into `l` (lower
 * triangle; the upper triangle is zeroed). Returns false when the matrix is not numerically positive
 * definite: a pivot is not finite or is below `1e-14 · max(1, max|Aᵢᵢ|)`.
 */
export function cholesky(a: Float64Array, n: number, l: Float64Array, shift = 0): boolean {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  const floor = 1e-14 * Math.max(1, maxDiag);
  l.fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] + shift;
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > floor) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b given the factor from `cholesky`; `x` may alias `b`. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  if (x !== b) x.set(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}

/**
 * Eigenvalues of a symmetric n×n row-major matrix by the cyclic Jacobi method, sorted ascending.
 *
 * Each sweep zeroes every off-diagonal entry once with a plane rotation (Rutishauser's stable form,
 * Golub & Van Loan §8.5); it stops when the off-diagonal Frobenius norm is below 1e-15 of the whole
 * matrix's, or after 100 sweeps. Only the symmetric part (m + mᵀ)/2 is used. `m` is not modified.
 */
export function symmetricEigenvalues(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  symmetrize(a, n);
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  const target = 1e-30 * total;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * a[i * n + j] * a[i * n + j];
    if (off <= target || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = a[i * n + i];
  return ev.sort();
}
