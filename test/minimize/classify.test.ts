import { describe, expect, it } from 'vitest';
import { classifyCriticalPoint, illConditionedQuadratic, testFunctions } from '../../src/minimize/index.js';
import { cholesky, choleskySolve, symmetricEigenvalues } from '../../src/minimize/linalg.js';
import { newtonDirection } from '../../src/minimize/newton.js';
import { Prng } from '../../src/util/prng.js';

describe('classifyCriticalPoint', () => {
  it('minimum, maximum and saddle of simple quadratics, with their eigenvalues', () => {
    const min = classifyCriticalPoint((x) => x[0] ** 2 + 3 * x[1] ** 2, [0, 0]);
    expect(min.kind).toBe('minimum');
    expect(min.eigenvalues[0]).toBeCloseTo(2, 5);
    expect(min.eigenvalues[1]).toBeCloseTo(6, 5);
    const max = classifyCriticalPoint((x) => -(x[0] ** 2) - x[1] ** 2 - x[2] ** 2 + x[0] * x[1], [0, 0, 0]);
    expect(max.kind).toBe('maximum');
    expect(Array.from(max.eigenvalues).map((v) => Number(v.toFixed(5)))).toEqual([-3, -2, -1]);
    const s = testFunctions.saddle;
    const sad = classifyCriticalPoint(s.f, [0, 0]);
    expect(sad.kind).toBe('saddle');
    expect(sad.eigenvalues[0]).toBeCloseTo(-2, 5);
    expect(sad.eigenvalues[1]).toBeCloseTo(2, 5);
    expect(sad.gradNorm).toBeLessThan(1e-9);
  });

  it('TSDoc example', () => {
    expect(classifyCriticalPoint((x) => x[0] ** 2 - x[1] ** 2, [0, 0]).kind).toBe('saddle');
  });

  it('a zero eigenvalue without a sign change is inconclusive (x⁴ + y², x³ + y²), a sign change still a saddle', () => {
    expect(classifyCriticalPoint((x) => x[0] ** 4 + x[1] ** 2, [0, 0]).kind).toBe('inconclusive');
    expect(classifyCriticalPoint((x) => x[0] ** 3 + x[1] ** 2, [0, 0]).kind).toBe('inconclusive');
    expect(classifyCriticalPoint((x) => x[0] ** 2 - x[1] ** 2 + x[2] ** 4, [0, 0, 0]).kind).toBe('saddle');
  });

  it("all nine of Himmelblau's critical points, from f alone, from grad, and from hess", () => {
    const h = testFunctions.himmelblau;
    expect(h.criticalPoints.length).toBe(9);
    for (const cp of h.criticalPoints) {
      expect(classifyCriticalPoint(h.f, cp.x).kind).toBe(cp.kind);
      expect(classifyCriticalPoint(h.f, cp.x, { grad: h.grad }).kind).toBe(cp.kind);
      const exact = classifyCriticalPoint(h.f, cp.x, { grad: h.grad, hess: h.hess });
      expect(exact.kind).toBe(cp.kind);
      expect(exact.gradNorm).toBeLessThan(1e-12);
    }
  });

  it('the finite-difference Hessians agree with the analytic ones', () => {
    const rng = new Prng(5);
    for (const tf of Object.values(testFunctions)) {
      for (let k = 0; k < 5; k++) {
        const x = tf.bounds.map(([lo, hi]) => lo + (hi - lo) * rng.nextFloat());
        const exact = new Float64Array(tf.dim * tf.dim);
        tf.hess(Float64Array.from(x), exact);
        const fromGrad = classifyCriticalPoint(tf.f, x, { grad: tf.grad }).hessian;
        const fromF = classifyCriticalPoint(tf.f, x).hessian;
        const scale = Math.max(1, ...Array.from(exact, Math.abs));
        const fScale = Math.max(1, Math.abs(tf.f(Float64Array.from(x))));
        for (let i = 0; i < exact.length; i++) {
          expect(Math.abs(fromGrad[i] - exact[i])).toBeLessThan(1e-6 * scale);
          expect(Math.abs(fromF[i] - exact[i])).toBeLessThan(1e-5 * scale * fScale);
        }
      }
    }
  });

  it('bad input names the argument', () => {
    expect(() => classifyCriticalPoint((x) => x[0], [NaN])).toThrow(/x\[0\] is NaN/);
    expect(() => classifyCriticalPoint((x) => x[0], [])).toThrow(RangeError);
    expect(() => classifyCriticalPoint(() => NaN, [1])).toThrow(/f returned NaN at x0/);
    expect(() => classifyCriticalPoint((x) => x[0], [1], { tol: -1 })).toThrow(/options.tol/);
    expect(() => classifyCriticalPoint((x) => x[0] ** 2, [1, 2], { hess: () => [1] })).toThrow(/hess returned an array of length 1/);
  });
});

describe('linear algebra', () => {
  it('Jacobi eigenvalues of Q·diag(λ)·Qᵀ are λ', () => {
    const q = illConditionedQuadratic(6, 1e4);
    const h = new Float64Array(36);
    q.hess(new Float64Array(6), h);
    const ev = symmetricEigenvalues(h, 6);
    const expected = [0, 1, 2, 3, 4, 5].map((i) => Math.pow(1e4, i / 5));
    for (let i = 0; i < 6; i++) expect(Math.abs(ev[i] - expected[i])).toBeLessThan(1e-10 * 1e4);
  });

  it('Jacobi eigenvalues of random symmetric matrices keep the trace and the Frobenius norm', () => {
    const rng = new Prng(9);
    for (const n of [1, 2, 3, 7, 12]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.nextNormal();
      const ev = symmetricEigenvalues(a, n);
      let tr = 0, fro = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i];
      for (const v of a) fro += v * v;
      expect(ev.reduce((s, v) => s + v, 0)).toBeCloseTo(tr, 10);
      expect(ev.reduce((s, v) => s + v * v, 0)).toBeCloseTo(fro, 9);
      for (let i = 1; i < n; i++) expect(ev[i]).toBeGreaterThanOrEqual(ev[i - 1]);
      // each eigenvalue makes A − λI singular: its Cholesky with shift −λ + tiny fails for the smallest
      expect(cholesky(a, n, new Float64Array(n * n), -ev[0] + 1e-9 * (1 + Math.abs(ev[0])))).toBe(true);
      expect(cholesky(a, n, new Float64Array(n * n), -ev[0] - 1e-6 * (1 + Math.abs(ev[0])))).toBe(false);
    }
  });

  it('Cholesky solves an SPD system and refuses an indefinite one', () => {
    const rng = new Prng(3);
    const n = 9;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) m[i] = rng.nextNormal();
    const a = new Float64Array(n * n); // MᵀM + I
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      a[i * n + j] = s;
    }
    const b = Float64Array.from({ length: n }, () => rng.nextNormal());
    const l = new Float64Array(n * n);
    expect(cholesky(a, n, l)).toBe(true);
    const x = new Float64Array(n);
    choleskySolve(l, n, b, x);
    for (let i = 0; i < n; i++) {
      let r = -b[i];
      for (let j = 0; j < n; j++) r += a[i * n + j] * x[j];
      expect(Math.abs(r)).toBeLessThan(1e-10);
    }
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2, new Float64Array(4))).toBe(false);
  });

  it('the damped Newton direction is a descent direction even where the Hessian is indefinite', () => {
    const h = Float64Array.of(2, 0, 0, -2);
    const g = Float64Array.of(1, 1);
    const p = new Float64Array(2);
    const { damping } = newtonDirection(h, g, 2, p);
    expect(damping).toBeGreaterThan(2);
    expect(p[0] * g[0] + p[1] * g[1]).toBeLessThan(0);
    const pd = newtonDirection(Float64Array.of(4, 1, 1, 3), g, 2, p);
    expect(pd.damping).toBe(0);
    // exact Newton step solves H p = −g
    expect(4 * p[0] + p[1]).toBeCloseTo(-1, 12);
    expect(p[0] + 3 * p[1]).toBeCloseTo(-1, 12);
  });
});
