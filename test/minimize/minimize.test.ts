import { describe, expect, it } from 'vitest';
import { classifyCriticalPoint, minimize, testFunctions, type MinimizeMethod, type MinimizeOptions } from '../../src/minimize/index.js';
import { Prng } from '../../src/util/prng.js';

const { sphere, rosenbrock, booth } = testFunctions;

describe('divergence', () => {
  it('a too-large lr that overflows stops with converged: false, the iteration in the message and the last finite x', () => {
    const r = minimize(sphere.f, sphere.x0, { method: 'gd', lr: 1.5, grad: sphere.grad, maxIter: 5000 });
    expect(r.converged).toBe(false);
    expect(r.status).toBe('diverged');
    const k = Number(/diverged at iteration (\d+)/.exec(r.message)?.[1]);
    expect(k).toBeGreaterThan(100);
    expect(r.nIter).toBe(k - 1);
    expect(r.message).toMatch(/lr = 1\.5/);
    // the history shows the growth: f quadruples every step ((1 − 2·1.5)² = 4) until it overflows
    const h = r.history;
    expect(h.length).toBe(k + 1);
    for (let i = 1; i < h.length - 1; i++) expect(h[i].f / h[i - 1].f).toBeCloseTo(4, 10);
    expect(h[h.length - 1].f).toBe(Infinity);
    // the result is the last finite iterate, consistent with its history entry
    expect(Number.isFinite(r.fun)).toBe(true);
    expect(r.fun).toBe(h[h.length - 2].f);
    expect(r.fun).toBe(sphere.f(r.x));
    expect(Array.from(r.x).every(Number.isFinite)).toBe(true);
  });

  it('a too-large lr that has not overflowed yet: not converged, the history grows geometrically', () => {
    const r = minimize(booth.f, booth.x0, { method: 'gd', lr: 0.2, grad: booth.grad, maxIter: 60 });
    expect(r.converged).toBe(false);
    expect(r.status).toBe('max-iter');
    expect(r.message).toMatch(/^not converged: reached maxIter = 60/);
    const f = r.history.map((e) => e.f);
    expect(f[60]).toBeGreaterThan(1e20 * f[0]);
    for (let i = 5; i < f.length; i++) expect(f[i]).toBeGreaterThan(f[i - 1]);
  });

  it('f returning NaN during the run stops the run as diverged with the last finite iterate', () => {
    // f is finite for x > −2 only; gd with lr 1.2 on x² oscillates outward: 0.5, −0.7, 0.98, −1.37, 1.92, −2.69 (NaN)
    const f = (x: Float64Array) => (x[0] > -2 ? x[0] * x[0] : NaN);
    const r = minimize(f, [0.5], { method: 'gd', lr: 1.2, grad: (x, g) => { g[0] = 2 * x[0]; } });
    expect(r.status).toBe('diverged');
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/^diverged at iteration 5: f became NaN/);
    expect(r.x[0]).toBeCloseTo(0.5 * 1.4 ** 4, 12);
    expect(Number.isFinite(r.fun)).toBe(true);
    expect(r.x[0]).toBeGreaterThan(-2);
    expect(r.history[r.history.length - 1].f).toBeNaN();
  });

  it('L-BFGS without a line search and a huge lr diverges too, and says so', () => {
    const r = minimize(rosenbrock.f, rosenbrock.x0, { method: 'lbfgs', lineSearch: 'none', lr: 1e6, grad: rosenbrock.grad });
    expect(r.status).toBe('diverged');
    expect(r.converged).toBe(false);
    expect(Array.from(r.x).every(Number.isFinite)).toBe(true);
    expect(r.fun).toBe(rosenbrock.f(r.x));
  });
});

describe('numeric and analytic gradients', () => {
  it('the central-difference gradient (no grad given) matches every analytic gradient at random points', () => {
    const rng = new Prng(11);
    for (const tf of Object.values(testFunctions)) {
      for (let trial = 0; trial < 20; trial++) {
        const x = tf.bounds.map(([lo, hi]) => lo + (hi - lo) * rng.nextFloat());
        const numeric = minimize(tf.f, x, { method: 'gd', maxIter: 0 }).grad; // maxIter 0: just the start point
        const analytic = new Float64Array(tf.dim);
        tf.grad(Float64Array.from(x), analytic);
        for (let i = 0; i < tf.dim; i++) {
          expect(Math.abs(numeric[i] - analytic[i])).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(analytic[i])) * Math.max(1, Math.abs(tf.f(Float64Array.from(x)))));
        }
      }
    }
  });

  it('the finite-difference step really is scaled to |x_i|: a function of 1e6-sized x still gets an accurate gradient', () => {
    const f = (x: Float64Array) => (x[0] - 3e6) ** 2 / 1e6 + Math.sin(x[1] / 1e6);
    const x0 = [1e6, 2e6];
    const g = minimize(f, x0, { method: 'gd', maxIter: 0 }).grad;
    expect(g[0]).toBeCloseTo((2 * (1e6 - 3e6)) / 1e6, 4);
    expect(g[1] / (Math.cos(2) / 1e6)).toBeCloseTo(1, 4);
  });

  it('minimising without grad costs 2n f evaluations per gradient and reaches the same point', () => {
    const a = minimize(rosenbrock.f, rosenbrock.x0, { method: 'lbfgs', grad: rosenbrock.grad });
    const b = minimize(rosenbrock.f, rosenbrock.x0, { method: 'lbfgs' });
    expect(b.converged).toBe(true);
    expect(Math.hypot(b.x[0] - 1, b.x[1] - 1)).toBeLessThan(1e-4);
    expect(b.nFev).toBe(b.nGev * (1 + 2 * rosenbrock.dim));
    expect(a.nFev).toBe(a.nGev);
  });

  it('accepts a grad that returns an array instead of writing into out', () => {
    const r = minimize(booth.f, booth.x0, {
      method: 'lbfgs',
      grad: (x) => { const u = x[0] + 2 * x[1] - 7, v = 2 * x[0] + x[1] - 5; return [2 * u + 4 * v, 4 * u + 2 * v]; },
    });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(3, 6);
  });
});

describe('stopping rules', () => {
  const methods: MinimizeMethod[] = ['gd', 'adam', 'gd-linesearch', 'newton', 'lbfgs', 'random-local-search'];
  const base = (m: MinimizeMethod): MinimizeOptions => ({ method: m, grad: rosenbrock.grad, hess: rosenbrock.hess, lr: m === 'gd' ? 1e-3 : m === 'adam' ? 0.01 : undefined });

  it.each(methods)('%s: a callback returning false stops the run there, and gets copies of x', (m) => {
    const seen: number[] = [];
    const r = minimize(rosenbrock.f, rosenbrock.x0, {
      ...base(m),
      callback: (iter, x, f) => {
        seen.push(iter);
        expect(f).toBe(rosenbrock.f(x));
        x[0] = 1e9; // a copy: must not disturb the run
        return iter < 5;
      },
    });
    expect(r.status).toBe('callback');
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/^stopped by callback at iteration 5/);
    expect(r.nIter).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(Math.abs(r.x[0])).toBeLessThan(10);
    expect(r.history.map((e) => e.iter)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each(methods)('%s: an AbortSignal aborted during the run stops it before the next iteration', (m) => {
    const ac = new AbortController();
    const r = minimize(rosenbrock.f, rosenbrock.x0, { ...base(m), signal: ac.signal, callback: (iter) => { if (iter === 3) ac.abort(); } });
    expect(r.status).toBe('aborted');
    expect(r.converged).toBe(false);
    expect(r.nIter).toBe(3);
    expect(r.message).toMatch(/^aborted by signal at iteration 3/);
  });

  it('a signal aborted before the call returns the start point after one evaluation', () => {
    const ac = new AbortController();
    ac.abort();
    for (const m of methods) {
      const r = minimize(rosenbrock.f, rosenbrock.x0, { ...base(m), signal: ac.signal });
      expect(r.status).toBe('aborted');
      expect(r.nIter).toBe(0);
      expect(Array.from(r.x)).toEqual(rosenbrock.x0);
      expect(r.nFev).toBe(1);
    }
  });

  it('f itself can abort the run (the signal is checked between iterations)', () => {
    const ac = new AbortController();
    let calls = 0;
    const f = (x: Float64Array) => { if (++calls === 40) ac.abort(); return rosenbrock.f(x); };
    const r = minimize(f, rosenbrock.x0, { method: 'gd', lr: 1e-3, grad: rosenbrock.grad, signal: ac.signal });
    expect(r.status).toBe('aborted');
    expect(r.nIter).toBe(39);
  });

  it('fTol stops on a small relative change of f before the gradient test would', () => {
    const a = minimize(sphere.f, sphere.x0, { method: 'gd', lr: 0.05, grad: sphere.grad });
    const b = minimize(sphere.f, sphere.x0, { method: 'gd', lr: 0.05, grad: sphere.grad, fTol: 1e-3 });
    expect(a.status).toBe('gradient');
    expect(b.status).toBe('f-change');
    expect(b.converged).toBe(true);
    expect(b.nIter).toBeLessThan(a.nIter);
    const h = b.history;
    const [fp, fl] = [h[h.length - 2].f, h[h.length - 1].f];
    expect(Math.abs(fp - fl)).toBeLessThanOrEqual(1e-3 * Math.max(1, fp, fl));
  });

  it('maxIter bounds the run and a start at the minimum converges at iteration 0', () => {
    const r = minimize(rosenbrock.f, rosenbrock.x0, { method: 'gd', lr: 1e-3, grad: rosenbrock.grad, maxIter: 7 });
    expect(r.nIter).toBe(7);
    expect(r.status).toBe('max-iter');
    expect(r.history.length).toBe(8);
    const z = minimize(sphere.f, [0, 0], { method: 'adam', grad: sphere.grad });
    expect(z.status).toBe('gradient');
    expect(z.nIter).toBe(0);
  });

  it('lbfgs maxEval (torch max_eval) stops the run as not converged', () => {
    const r = minimize(rosenbrock.f, rosenbrock.x0, { method: 'lbfgs', grad: rosenbrock.grad, maxEval: 10 });
    expect(r.status).toBe('max-eval');
    expect(r.converged).toBe(false);
    expect(r.nGev).toBeGreaterThanOrEqual(10);
    expect(r.nGev).toBeLessThan(10 + 25);
  });

  it('recordX keeps a copy of every iterate, and x0 is never modified', () => {
    const x0 = Float64Array.from(rosenbrock.x0);
    const r = minimize(rosenbrock.f, x0, { method: 'newton', grad: rosenbrock.grad, recordX: true });
    expect(Array.from(x0)).toEqual(rosenbrock.x0);
    expect(Array.from(r.history[0].x as Float64Array)).toEqual(rosenbrock.x0);
    expect(Array.from(r.history[r.history.length - 1].x as Float64Array)).toEqual(Array.from(r.x));
    for (const e of r.history) expect(e.f).toBe(rosenbrock.f(e.x as Float64Array));
  });

  it('Newton damps an indefinite Hessian and still finds a minimum of Himmelblau from near its maximum', () => {
    const h = testFunctions.himmelblau;
    const r = minimize(h.f, [-0.3, -0.9], { method: 'newton', grad: h.grad, hess: h.hess });
    expect(r.converged).toBe(true);
    expect(r.fun).toBeLessThan(1e-12);
    expect(r.history[1].damping).toBeGreaterThan(0);
    expect(classifyCriticalPoint(h.f, r.x, { grad: h.grad, hess: h.hess }).kind).toBe('minimum');
  });
});

describe('bad input', () => {
  const f = booth.f;
  it('x0 with NaN, Infinity, a non-number, or empty', () => {
    expect(() => minimize(f, [1, NaN])).toThrow(RangeError);
    expect(() => minimize(f, [1, NaN])).toThrow(/x0\[1\] is NaN; every entry of x0 must be a finite number/);
    expect(() => minimize(f, [Infinity, 1])).toThrow(/x0\[0\] is Infinity/);
    expect(() => minimize(f, [1, '2' as unknown as number])).toThrow(TypeError);
    expect(() => minimize(f, [])).toThrow(/x0 is empty/);
    expect(() => minimize(f, 3 as unknown as number[])).toThrow(/x0 must be an array or Float64Array of numbers, got 3$/);
  });

  it('f that is not a function, not finite at x0, or not returning a number', () => {
    expect(() => minimize(null as unknown as (x: Float64Array) => number, [1])).toThrow(TypeError);
    expect(() => minimize(() => NaN, [1, 2])).toThrow(RangeError);
    expect(() => minimize(() => NaN, [1, 2])).toThrow(/f returned NaN at x0 = \[1, 2\]/);
    expect(() => minimize(() => Infinity, [1], { method: 'random-search' })).toThrow(/f returned Infinity at x0/);
    expect(() => minimize((() => 'abc') as unknown as (x: Float64Array) => number, [1])).toThrow(/f must return a number, got 'abc'/);
  });

  it('a grad of the wrong length: too few entries written, a wrong-length array returned, NaN entries', () => {
    const short = (x: Float64Array, out: Float64Array) => { out[0] = 2 * x[0]; };
    expect(() => minimize(f, [1, 2], { grad: short })).toThrow(RangeError);
    expect(() => minimize(f, [1, 2], { grad: short })).toThrow(/grad left out\[1\] = NaN at x0 \(out has length 2\)/);
    expect(() => minimize(f, [1, 2], { method: 'gd', grad: () => [1, 2, 3] })).toThrow(/grad returned an array of length 3, but x has length 2/);
    expect(() => minimize(f, [1, 2], { method: 'newton', grad: () => [1] })).toThrow(RangeError);
    expect(() => minimize(f, [1, 2], { grad: (_x, out) => { out[0] = 1; out[1] = NaN; } })).toThrow(/grad left out\[1\] = NaN/);
    expect(() => minimize(f, [1, 2], { grad: (() => 'no') as unknown as () => void })).toThrow(TypeError);
    // an accumulating grad (out is not zeroed) is caught too
    expect(() => minimize(f, [1, 2], { grad: (x, out) => { out[0] += 1; out[1] += 1; } })).toThrow(/it is not zeroed/);
    // also for the random methods, which use grad only for the reported gradient
    expect(() => minimize(f, [1, 2], { method: 'random-search', grad: short })).toThrow(/grad left out\[1\]/);
  });

  it('a hess of the wrong shape', () => {
    expect(() => minimize(f, [1, 2], { method: 'newton', grad: booth.grad, hess: () => [1, 2, 3] })).toThrow(/hess returned an array of length 3/);
    expect(() => minimize(f, [1, 2], { method: 'newton', grad: booth.grad, hess: (_x, out) => { out[0] = 1; } })).toThrow(/hess left entry \[0\]\[1\]/);
    const rows = minimize(f, [1, 2], { method: 'newton', grad: booth.grad, hess: () => [[10, 8], [8, 10]] });
    expect(rows.converged).toBe(true);
  });

  it('options out of range name the option and the value', () => {
    expect(() => minimize(f, [1, 2], { method: 'bfgs' as MinimizeMethod })).toThrow(/options.method must be one of 'gd', .*got 'bfgs'/);
    // the first-order methods' options are checked by the optimizer class each one runs
    expect(() => minimize(f, [1, 2], { method: 'gd', lr: -1 })).toThrow(/^minimize\(\{ method: 'gd' \}\): SGD: lr must be a finite number >= 0, got -1\. Pass a learning rate/);
    expect(() => minimize(f, [1, 2], { method: 'lbfgs', lr: -1 })).toThrow(/options.lr must be a finite number > 0, got -1/);
    expect(() => minimize(f, [1, 2], { maxIter: 1.5 })).toThrow('minimize: options.maxIter must be a whole number >= 0, got 1.5.');
    expect(() => minimize(f, [1, 2], { tol: '1e-6' as unknown as number })).toThrow(TypeError);
    expect(() => minimize(f, [1, 2], { method: 'lbfgs', lineSearch: 'armijo' })).toThrow("minimize: options.lineSearch must be one of 'strong-wolfe', 'none', got 'armijo'. Method 'lbfgs' takes 'strong-wolfe' or 'none'.");
    expect(() => minimize(f, [1, 2], { method: 'adam', betas: [0.9, 1] })).toThrow(/Adam: betas\[1\] must be in \[0, 1\), got 1/);
    expect(() => minimize(f, [1, 2], { method: 'nesterov', dampening: 0.1 })).toThrow(/SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1/);
    expect(() => minimize(f, [1, 2], { method: 'random-search', bounds: [[0, 1]] })).toThrow(/bounds must be an array of 2 pairs/);
    expect(() => minimize(f, [1, 2], { method: 'random-search', bounds: [[0, 1], [2, 1]] })).toThrow(/bounds\[1\] must be \[lo, hi\] with finite lo < hi/);
    expect(() => minimize(f, [1, 2], { signal: {} as AbortSignal })).toThrow(/options.signal must be an AbortSignal/);
    expect(() => minimize(f, [1, 2], { callback: 1 as unknown as () => boolean })).toThrow(/options.callback must be a function/);
  });
});

describe('documented examples', () => {
  it('minimize TSDoc example', () => {
    const r = minimize((x) => (x[0] - 3) ** 2, [0], { method: 'gd', lr: 0.1 });
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.converged).toBe(true);
    expect(r.message).toBe('converged: max|g| = 9.9e-7 ≤ tol = 1.0e-6 after 70 iterations');
  });
});
