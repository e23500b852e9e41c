import { describe, expect, it } from 'vitest';
import { illConditionedQuadratic, sphere, testFunctions } from '../../src/minimize/index.js';
import { Prng } from '../../src/util/prng.js';

/** Central difference of `g` along coordinate j with a tiny relative step (test-local oracle). */
function diff(fn: (x: Float64Array) => number, x: Float64Array, j: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(x[j]));
  const xp = Float64Array.from(x), xm = Float64Array.from(x);
  xp[j] += h;
  xm[j] -= h;
  return (fn(xp) - fn(xm)) / (xp[j] - xm[j]);
}

const all = { ...testFunctions, sphere5: sphere(5), ill6: illConditionedQuadratic(6, 1e3) };

describe('test functions', () => {
  it.each(Object.entries(all))('%s: grad and hess agree with differences of f and grad', (_name, tf) => {
    const rng = new Prng(17);
    const n = tf.dim;
    for (let k = 0; k < 10; k++) {
      const x = Float64Array.from(tf.bounds, ([lo, hi]) => lo + (hi - lo) * rng.nextFloat());
      const g = new Float64Array(n), H = new Float64Array(n * n);
      tf.grad(x, g);
      tf.hess(x, H);
      const fScale = Math.max(1, Math.abs(tf.f(x)));
      for (let j = 0; j < n; j++) {
        expect(Math.abs(diff(tf.f, x, j) - g[j])).toBeLessThan(1e-6 * fScale);
        for (let i = 0; i < n; i++) {
          const gi = (xx: Float64Array) => { const t = new Float64Array(n); tf.grad(xx, t); return t[i]; };
          expect(Math.abs(diff(gi, x, j) - H[i * n + j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(H[i * n + j])) * fScale);
          expect(H[i * n + j]).toBe(H[j * n + i]);
        }
      }
    }
  });

  it.each(Object.entries(all))('%s: the listed critical points are critical and the minima have f = fMin', (_name, tf) => {
    for (const cp of tf.criticalPoints) {
      const g = new Float64Array(tf.dim);
      tf.grad(Float64Array.from(cp.x), g);
      expect(Math.max(...Array.from(g, Math.abs))).toBeLessThan(1e-12);
    }
    for (const m of tf.minima) {
      expect(Math.abs(tf.f(Float64Array.from(m)) - tf.fMin)).toBeLessThan(1e-20);
      m.forEach((v, i) => { expect(v).toBeGreaterThanOrEqual(tf.bounds[i][0]); expect(v).toBeLessThanOrEqual(tf.bounds[i][1]); });
    }
    expect(tf.x0.length).toBe(tf.dim);
    expect(tf.bounds.length).toBe(tf.dim);
  });

  it('the saddle has no minimum, and the documented examples hold', () => {
    expect(testFunctions.saddle.minima).toEqual([]);
    expect(testFunctions.saddle.fMin).toBe(-Infinity);
    expect(sphere(3).f(Float64Array.of(1, 2, 2))).toBe(9);
    expect(illConditionedQuadratic(2, 100).f(Float64Array.of(1, 1))).toBe(0);
    expect(() => sphere(0)).toThrow(RangeError);
    expect(() => illConditionedQuadratic(2, 0.5)).toThrow(/condition must be a finite number >= 1, got 0.5/);
  });
});
