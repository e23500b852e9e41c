/**
 * Convergence on small known problems (optax alias_test.py, in spirit): every optimizer reaches the
 * minimum of a parabola, Rosenbrock's valley floor near (1, 1), and the minimum of an ill-conditioned
 * (condition number 1e3, rotated) quadratic, on every backend. All three problems have f* = 0.
 */
import { describe, expect, it } from 'vitest';
import { param } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { CTORS, type OptimName } from './table.js';

interface Problem {
  x0: number[];
  xStar: number[];
  /** f(x), writing ∇f(x) into g */
  f(x: ArrayLike<number>, g: Float64Array): number;
}

const parabola: Problem = (() => {
  const c = [1, -2, 3, 0.5, -0.25];
  return {
    x0: [0, 0, 0, 0, 0],
    xStar: c,
    f(x, g) {
      let f = 0;
      for (let i = 0; i < c.length; i++) {
        const d = x[i] - c[i];
        f += d * d;
        g[i] = 2 * d;
      }
      return f;
    },
  };
})();

const rosenbrock: Problem = {
  x0: [-1.5, 2],
  xStar: [1, 1],
  f(x, g) {
    const a = 1 - x[0], b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  },
};

/** 0.5 (x − x*)ᵀ A (x − x*), A = H diag(0.1 … 100) H with H a Householder reflection: condition number 1e3. */
const quadratic: Problem = (() => {
  const n = 8;
  const lam = Array.from({ length: n }, (_, i) => Math.pow(10, (3 * i) / (n - 1)) / 10);
  const v = Array.from({ length: n }, (_, i) => Math.cos(i + 1));
  const vv = v.reduce((s, x) => s + x * x, 0);
  const H = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
  const A = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => lam.reduce((s, l, k) => s + H(i, k) * l * H(j, k), 0)));
  const xStar = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (1 + i / 4));
  return {
    x0: new Array(n).fill(0),
    xStar,
    f(x, g) {
      let f = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i][j] * (x[j] - xStar[j]);
        g[i] = s;
        f += 0.5 * (x[i] - xStar[i]) * s;
      }
      return f;
    },
  };
})();

type Run = { options: Record<string, unknown>; steps: number; fBelow: number; xWithin: number };
/** Per optimizer and problem: options, steps, and the bound on f and on max|x − x*| it must reach. */
const CONVERGENCE: Record<OptimName, Record<'parabola' | 'rosenbrock' | 'quadratic', Run>> = {
  SGD: {
    parabola: { options: { lr: 0.1 }, steps: 300, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.001, momentum: 0.9 }, steps: 3000, fBelow: 1e-6, xWithin: 1e-2 },
    quadratic: { options: { lr: 0.005, momentum: 0.9, nesterov: true }, steps: 2000, fBelow: 1e-8, xWithin: 1e-3 },
  },
  Adam: {
    parabola: { options: { lr: 0.05 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.02 }, steps: 3000, fBelow: 1e-6, xWithin: 1e-2 },
    quadratic: { options: { lr: 0.05 }, steps: 2000, fBelow: 1e-6, xWithin: 1e-2 },
  },
  AdamW: {
    parabola: { options: { lr: 0.05, weightDecay: 0 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.02, weightDecay: 0 }, steps: 3000, fBelow: 1e-6, xWithin: 1e-2 },
    quadratic: { options: { lr: 0.05, weightDecay: 0, amsgrad: true }, steps: 2000, fBelow: 1e-4, xWithin: 3e-2 },
  },
  Adagrad: {
    parabola: { options: { lr: 1 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 1 }, steps: 5000, fBelow: 1e-2, xWithin: 0.2 },
    quadratic: { options: { lr: 1 }, steps: 2000, fBelow: 1e-7, xWithin: 1e-3 },
  },
  Adadelta: {
    parabola: { options: { lr: 5 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.5, eps: 0.01 }, steps: 5000, fBelow: 3e-2, xWithin: 0.3 },
    quadratic: { options: { lr: 1 }, steps: 3000, fBelow: 1, xWithin: 0.3 },
  },
  RMSprop: {
    parabola: { options: { lr: 0.03 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.0005, centered: true, momentum: 0.9 }, steps: 5000, fBelow: 1e-3, xWithin: 3e-2 },
    quadratic: { options: { lr: 0.003 }, steps: 2000, fBelow: 4e-3, xWithin: 0.05 },
  },
  Adamax: {
    parabola: { options: { lr: 0.1 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.05 }, steps: 5000, fBelow: 1e-2, xWithin: 0.1 },
    quadratic: { options: { lr: 0.1 }, steps: 2000, fBelow: 1e-3, xWithin: 0.05 },
  },
  NAdam: {
    parabola: { options: { lr: 0.05 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.02 }, steps: 5000, fBelow: 1e-2, xWithin: 0.1 },
    quadratic: { options: { lr: 0.05 }, steps: 2000, fBelow: 1e-5, xWithin: 1e-2 },
  },
  RAdam: {
    parabola: { options: { lr: 0.05 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.002, betas: [0.9, 0.99] }, steps: 5000, fBelow: 1e-4, xWithin: 3e-2 },
    quadratic: { options: { lr: 0.01, betas: [0.9, 0.99] }, steps: 3000, fBelow: 1e-4, xWithin: 1e-2 },
  },
  Rprop: {
    parabola: { options: { lr: 0.01 }, steps: 500, fBelow: 1e-9, xWithin: 1e-4 },
    rosenbrock: { options: { lr: 0.01 }, steps: 5000, fBelow: 1e-5, xWithin: 1e-2 },
    quadratic: { options: { lr: 0.01 }, steps: 2000, fBelow: 1e-7, xWithin: 1e-3 },
  },
  Lion: {
    parabola: { options: { lr: 0.003 }, steps: 1500, fBelow: 1e-4, xWithin: 1e-2 },
    rosenbrock: { options: { lr: 0.001 }, steps: 5000, fBelow: 1e-5, xWithin: 1e-2 },
    quadratic: { options: { lr: 0.003 }, steps: 2000, fBelow: 1e-2, xWithin: 2e-2 },
  },
};

const PROBLEMS = { parabola, rosenbrock, quadratic };

describe.each(Object.keys(CONVERGENCE) as OptimName[])('%s converges', (name) => {
  it.each(Object.keys(PROBLEMS) as Array<keyof typeof PROBLEMS>)('on %s, on every backend', async (prob) => {
    const P = PROBLEMS[prob];
    const run = CONVERGENCE[name][prob];
    const finals: number[][] = [];
    for (const b of BACKENDS) {
      await useBackend(b);
      const x = param(P.x0);
      const opt = new (CTORS[name] as any)([x], run.options);
      const g = new Float64Array(P.x0.length);
      const f0 = P.f(x.data, g);
      for (let t = 0; t < run.steps; t++) {
        P.f(x.data, g);
        x.grad.set(g);
        opt.step();
      }
      const f = P.f(x.data, g);
      expect(f, `${b}: f after ${run.steps} steps (from ${f0})`).toBeLessThan(run.fBelow);
      const err = Math.max(...Array.from(x.data, (v, i) => Math.abs(v - P.xStar[i])));
      expect(err, `${b}: max|x − x*|`).toBeLessThan(run.xWithin);
      finals.push(Array.from(x.data));
      opt.dispose();
      x.dispose();
    }
    expect(finals[1]).toEqual(finals[0]);
    expect(finals[2]).toEqual(finals[0]);
  });
});
