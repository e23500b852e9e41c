import { describe, expect, it } from 'vitest';
import { minimize, testFunctions, type MinimizeOptions, type TestFunction } from '../../src/minimize/index.js';

/** Distance from x to the nearest known minimiser. */
function distToMin(tf: TestFunction, x: Float64Array): number {
  return Math.min(...tf.minima.map((m) => Math.hypot(...m.map((v, i) => v - x[i]))));
}

type Fn = keyof typeof testFunctions;
const FUNCTIONS: Fn[] = ['sphere', 'rosenbrock', 'beale', 'booth', 'himmelblau', 'illConditioned'];

/**
 * Each row: a method and its options, with per-function overrides (fixed-lr methods need an lr below
 * 2/L of each function). `near` lists the functions where the method is only expected to get close
 * (within `nearTol`), not to pass a convergence test: fixed-lr RMSprop keeps taking steps of about lr
 * whatever the gradient's size, and the random baselines have no convergence test at all.
 */
interface Row {
  label: string;
  options: MinimizeOptions;
  per?: Partial<Record<Fn, MinimizeOptions>>;
  near?: Fn[];
  nearTol?: number;
  numericGrad?: boolean;
}

const ROWS: Row[] = [
  { label: 'gd', options: { method: 'gd', maxIter: 20000 },
    per: { sphere: { lr: 0.1 }, rosenbrock: { lr: 1e-3, maxIter: 100000 }, beale: { lr: 0.01 }, booth: { lr: 0.05 }, himmelblau: { lr: 0.01 }, illConditioned: { lr: 0.01 } } },
  { label: 'momentum', options: { method: 'momentum', maxIter: 20000, lr: 1e-3 }, per: { sphere: { lr: 0.01 }, booth: { lr: 0.01 }, illConditioned: { lr: 5e-3 } } },
  { label: 'nesterov', options: { method: 'nesterov', maxIter: 20000, lr: 1e-3 }, per: { sphere: { lr: 0.01 }, booth: { lr: 0.01 }, illConditioned: { lr: 5e-3 } } },
  { label: 'adam', options: { method: 'adam', maxIter: 20000, lr: 0.01 } },
  { label: 'rmsprop', options: { method: 'rmsprop', maxIter: 20000, lr: 1e-3 }, near: ['rosenbrock', 'beale', 'illConditioned'], nearTol: 5e-3 },
  { label: 'adagrad', options: { method: 'adagrad', maxIter: 20000, lr: 0.5 }, per: { rosenbrock: { lr: 1, maxIter: 50000 } } },
  { label: 'gd-linesearch (Armijo)', options: { method: 'gd-linesearch', maxIter: 20000 } },
  { label: 'gd-linesearch (strong Wolfe)', options: { method: 'gd-linesearch', lineSearch: 'strong-wolfe', maxIter: 20000 } },
  { label: 'newton', options: { method: 'newton' } },
  { label: 'newton (no hess: FD of grad)', options: { method: 'newton', hess: undefined } },
  { label: 'lbfgs', options: { method: 'lbfgs' } },
  { label: 'lbfgs (no line search, lr 0.5)', options: { method: 'lbfgs', lineSearch: 'none', lr: 0.5 } },
  { label: 'lbfgs (no grad: FD gradient)', options: { method: 'lbfgs' }, numericGrad: true },
  { label: 'random-search (5000, bounds)', options: { method: 'random-search', maxIter: 5000, seed: 1 }, near: FUNCTIONS, nearTol: 0.6 },
  { label: 'random-local-search (5000)', options: { method: 'random-local-search', maxIter: 5000, seed: 1 }, near: FUNCTIONS, nearTol: 2e-2 },
];

const CONVERGED_TOL = 1e-4;

describe('minimize convergence table', () => {
  it('every method reaches the known minimum where it should (prints iterations / evaluations)', () => {
    const lines: string[] = [];
    lines.push(`| method | ${FUNCTIONS.join(' | ')} |`);
    lines.push(`|---|${FUNCTIONS.map(() => '---').join('|')}|`);
    const failures: string[] = [];
    for (const row of ROWS) {
      const cells: string[] = [];
      for (const name of FUNCTIONS) {
        const tf = testFunctions[name];
        const opts: MinimizeOptions = {
          grad: row.numericGrad ? undefined : tf.grad,
          hess: tf.hess,
          bounds: tf.bounds,
          ...row.options,
          ...(row.per?.[name] ?? {}),
        };
        const r = minimize(tf.f, tf.x0, opts);
        const d = distToMin(tf, r.x);
        const near = row.near?.includes(name) ?? false;
        const ok = near ? d <= (row.nearTol as number) : r.converged && d <= CONVERGED_TOL && Math.abs(r.fun - tf.fMin) <= 1e-8;
        if (!ok) failures.push(`${row.label} on ${name}: ${r.status}, distance ${d.toExponential(2)}: ${r.message}`);
        cells.push(`${ok ? '' : '✗ '}${near ? '~' : ''}${r.nIter} / ${r.nFev} / ${r.nGev}`);
      }
      lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
    }
    console.log(
      `\niterations / f evaluations / gradient evaluations (f evaluations include finite-difference ones); ~ = gets within the row's loose tolerance, no convergence test\n` +
        lines.join('\n'),
    );
    expect(failures).toEqual([]);
  });

  it('the random baselines spend more evaluations than L-BFGS and still end further from the minimum', () => {
    for (const name of FUNCTIONS) {
      const tf = testFunctions[name];
      const l = minimize(tf.f, tf.x0, { method: 'lbfgs', grad: tf.grad });
      for (const method of ['random-search', 'random-local-search'] as const) {
        const r = minimize(tf.f, tf.x0, { method, maxIter: 5000, seed: 1, bounds: tf.bounds });
        expect(r.converged).toBe(false);
        expect(r.status).toBe('max-iter');
        expect(r.nFev).toBeGreaterThan(l.nFev);
        expect(r.fun).toBeGreaterThan(l.fun);
        expect(distToMin(tf, r.x)).toBeGreaterThan(distToMin(tf, l.x));
      }
    }
  });

  it('random search is reproducible per seed and different across seeds', () => {
    const tf = testFunctions.himmelblau;
    const run = (seed: number) => minimize(tf.f, tf.x0, { method: 'random-local-search', maxIter: 300, seed });
    expect(Array.from(run(7).x)).toEqual(Array.from(run(7).x));
    expect(Array.from(run(7).x)).not.toEqual(Array.from(run(8).x));
    const r = minimize(tf.f, tf.x0, { method: 'random-search', maxIter: 300, seed: 3, bounds: [[0, 1], [-1, 0]] });
    for (const e of r.history) expect(e.f).toBeLessThanOrEqual(r.history[0].f);
    expect(r.x[0]).toBeGreaterThanOrEqual(0);
    expect(r.x[0]).toBeLessThanOrEqual(1);
    expect(r.x[1]).toBeGreaterThanOrEqual(-1);
    expect(r.x[1]).toBeLessThanOrEqual(0);
  });

  it('gradient descent from exactly y = 0 on x² − y² converges to the saddle, and from y ≠ 0 runs off to −∞', () => {
    const s = testFunctions.saddle;
    const onAxis = minimize(s.f, [1, 0], { method: 'gd', lr: 0.1, grad: s.grad });
    expect(onAxis.converged).toBe(true);
    expect(Math.hypot(onAxis.x[0], onAxis.x[1])).toBeLessThan(1e-6);
    const off = minimize(s.f, s.x0, { method: 'lbfgs', grad: s.grad });
    expect(off.converged).toBe(false);
    expect(off.status).toBe('diverged');
    expect(off.message).toMatch(/unbounded below/);
    expect(off.fun).toBeLessThan(-1e100);
  });
});
