import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemFromJson } from '../../src/conformance/lbfgs.js';
import { within } from '../../src/conformance/types.js';
import { createFirstOrder, dropKeptSteppers, keptSteppers, KERNEL_THRESHOLD, type FirstOrderMethod, type FirstOrderOptions } from '../../src/minimize/first-order.js';
import { minimize } from '../../src/minimize/index.js';
import { rosenbrock } from '../../src/minimize/test-functions.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../../shared/conformance/${name}`, import.meta.url), 'utf8'));

/** torch optimizer + kwargs → our method + options, or null for what minimize does not offer (weight decay, maximize, ...). */
function mapTorch(optimizer: string, o: Record<string, unknown>): { method: FirstOrderMethod; options: FirstOrderOptions } | null {
  const supported: Record<string, string[]> = {
    SGD: ['lr', 'momentum', 'dampening', 'nesterov'],
    Adam: ['lr', 'betas', 'eps', 'amsgrad'],
    RMSprop: ['lr', 'alpha', 'eps', 'centered', 'momentum'],
    Adagrad: ['lr', 'lr_decay', 'eps', 'initial_accumulator_value'],
  };
  const keys = supported[optimizer];
  if (!keys || Object.keys(o).some((k) => !keys.includes(k))) return null;
  const options: FirstOrderOptions = {
    lr: o.lr as number,
    momentum: o.momentum as number | undefined,
    dampening: o.dampening as number | undefined,
    betas: o.betas as [number, number] | undefined,
    eps: o.eps as number | undefined,
    amsgrad: o.amsgrad as boolean | undefined,
    alpha: o.alpha as number | undefined,
    centered: o.centered as boolean | undefined,
    lrDecay: o.lr_decay as number | undefined,
    initialAccumulatorValue: o.initial_accumulator_value as number | undefined,
  };
  let method: FirstOrderMethod;
  if (optimizer === 'SGD') method = o.nesterov ? 'nesterov' : o.momentum ? 'momentum' : 'gd';
  else method = optimizer.toLowerCase() as FirstOrderMethod;
  return { method, options };
}

describe('first-order rules applied to f match torch (objective.json, float64, 200 steps)', () => {
  const cases = load('objective.json').cases.filter((c: { dtype: string }) => c.dtype === 'float64');
  const runnable = cases.filter((c: { optimizer: string; options: Record<string, unknown> }) => mapTorch(c.optimizer, c.options));

  it('covers SGD, momentum, Nesterov, Adam (+AMSGrad), Adagrad and RMSprop (+centered, +momentum) on both problems', () => {
    const methods = new Set(runnable.map((c: { optimizer: string; options: Record<string, unknown> }) => mapTorch(c.optimizer, c.options)?.method));
    expect([...methods].sort()).toEqual(['adagrad', 'adam', 'gd', 'momentum', 'nesterov', 'rmsprop']);
    expect(runnable.length).toBe(18);
  });

  it.each(runnable.map((c: { name: string }) => [c.name, c]))('%s: every 10th iterate within rtol 1e-9', (_name, c: any) => {
    const m = mapTorch(c.optimizer, c.options)!;
    const p = problemFromJson(c.problem);
    if (typeof p === 'string') throw new Error(p);
    const r = minimize(p.f, c.problem.x0, { method: m.method, ...m.options, grad: p.grad, tol: 0, maxIter: c.n_steps, recordX: true });
    expect(r.nIter).toBe(c.n_steps);
    let worst = 0;
    for (const t of c.trace) {
      const h = r.history[t.step];
      expect(h.iter).toBe(t.step);
      for (let i = 0; i < t.params.length; i++) {
        const w = within((h.x as Float64Array)[i], t.params[i], 0, 1e-9);
        worst = Math.max(worst, w.used);
        expect(w.ok, `step ${t.step} params[${i}] ${(h.x as Float64Array)[i]} vs torch ${t.params[i]}`).toBe(true);
      }
      expect(within(h.f, t.loss, 1e-15, 1e-9).ok, `step ${t.step} f ${h.f} vs torch ${t.loss}`).toBe(true);
    }
    for (let i = 0; i < c.final_params.length; i++) expect(within(r.x[i], c.final_params[i], 0, 1e-9).ok).toBe(true);
    expect(worst).toBeLessThan(1);
  });
});

describe('first-order step functions match torch on fixed gradients (optim_*.json, float32 reference)', () => {
  const files = ['optim_sgd.json', 'optim_adam.json', 'optim_rmsprop.json', 'optim_adagrad.json'];
  const all = files.flatMap((f) => load(f).cases.map((c: any) => ({ file: f, ...c })));
  const runnable = all.filter((c: any) => mapTorch(c.optimizer, c.options));

  it('runs the cases without weight decay or maximize (which minimize does not offer)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(25);
  });

  it.each(runnable.map((c: any) => [c.name, c]))('%s', (_name, c: any) => {
    // README §1 tolerance: |x − ref| ≤ 1e-6 + 1e-5·|ref|, which a float64 implementation meets
    const m = mapTorch(c.optimizer, c.options)!;
    const x = Float64Array.from(c.params0);
    const stepper = createFirstOrder(m.method, x.length, m.options);
    for (const [k, s] of c.steps.entries()) {
      stepper.step(x, Float64Array.from(s.grad));
      for (let i = 0; i < x.length; i++) {
        expect(within(x[i], s.params[i], 1e-6, 1e-5).ok, `step ${k + 1} params[${i}] ${x[i]} vs torch ${s.params[i]}`).toBe(true);
      }
    }
    expect(stepper.t).toBe(c.steps.length);
  });
});

/** Rosenbrock in 2-D (src/minimize/test-functions.ts), value and gradient in float64. */
const rosenbrockFg = {
  f: (x: Float64Array) => rosenbrock.f(x),
  grad: (x: Float64Array, out: Float64Array) => {
    rosenbrock.grad(x, out);
    return out;
  },
};

describe("minimize's float64 steppers are kept for the next run: a reused one gives the bits of a new one", () => {
  const { f, grad } = rosenbrockFg;
  const x0 = new Float64Array([-1.2, 1]);
  const run = (options: Record<string, unknown>) => minimize(f, x0, { grad, maxIter: 40, tol: 0, ...options });
  const bits = (r: ReturnType<typeof run>) => [...r.x, r.fun, ...r.grad, ...r.history.map((h) => h.f)];
  /** The same run through a stepper built now (the kept ones dropped first; this one never put back): the reference bits. */
  const fresh = (method: FirstOrderMethod, options: FirstOrderOptions) => {
    dropKeptSteppers();
    const s = createFirstOrder(method, 2, options);
    const x = Float64Array.from(x0), g = new Float64Array(2);
    const fs = [f(x)];
    grad(x, g);
    for (let k = 0; k < 40; k++) {
      s.step(x, g);
      fs.push(f(x));
      grad(x, g);
    }
    return [...x, fs[40], ...g, ...fs];
  };

  const cases: Array<[FirstOrderMethod, FirstOrderOptions]> = [
    ['gd', { lr: 1e-3 }],
    ['momentum', { lr: 1e-4, momentum: 0.8, dampening: 0.1 }], // an unset buffer (torch's None until step 1)
    ['nesterov', { lr: 1e-4 }],
    ['adam', { lr: 1e-2, betas: [0.8, 0.99] }],
    ['adam', { lr: 1e-2, amsgrad: true }],
    ['rmsprop', { lr: 1e-3, centered: true, momentum: 0.5 }],
    ['adagrad', { lr: 1e-1, initialAccumulatorValue: 0.25, lrDecay: 0.01 }], // a buffer with an initial value
  ];

  it.each(cases.map(([m, o]) => [`${m} ${JSON.stringify(o)}`, m, o] as const))('%s: five runs in a row, interleaved with others, all equal a new stepper', (_n, method, options) => {
    const want = fresh(method, options);
    for (let i = 0; i < 5; i++) {
      expect(bits(run({ method, ...options }))).toEqual(want);
      // another method and other options in between take (and put back) their own steppers
      run({ method: method === 'adam' ? 'rmsprop' : 'adam', lr: 0.5 });
    }
  });

  it('a betas array changed in place after a run is read again, not matched to the kept stepper', () => {
    const betas: [number, number] = [0.9, 0.999];
    const a = run({ method: 'adam', lr: 1e-2, betas });
    betas[0] = 0.5;
    const b = run({ method: 'adam', lr: 1e-2, betas });
    expect(bits(b)).toEqual(fresh('adam', { lr: 1e-2, betas: [0.5, 0.999] }));
    expect(bits(b)).not.toEqual(bits(a));
  });

  it('0 and -0 are different options (they can give different signs of zero)', () => {
    run({ method: 'momentum', lr: 1e-4, dampening: 0 });
    const r = run({ method: 'momentum', lr: 1e-4, dampening: -0 });
    expect(bits(r)).toEqual(fresh('momentum', { lr: 1e-4, dampening: -0 }));
  });

  it('a run inside f (which holds its own stepper) leaves the outer run unchanged', () => {
    const want = bits(run({ method: 'adam', lr: 1e-2 }));
    const inner = (x: Float64Array) => {
      minimize(f, x0, { grad, method: 'adam', lr: 1e-2, maxIter: 3, tol: 0 });
      return f(x);
    };
    const r = minimize(inner, x0, { grad, method: 'adam', lr: 1e-2, maxIter: 40, tol: 0 });
    expect(bits(r)).toEqual(want);
  });

  it('keeps at most four, and none of a problem of KERNEL_THRESHOLD coordinates or more (its heap would stay for good)', () => {
    dropKeptSteppers();
    const n = KERNEL_THRESHOLD;
    const big = minimize((x) => x.reduce((s, v) => s + v * v, 0), new Float64Array(n).fill(1), {
      grad: (x: Float64Array, out: Float64Array) => { for (let i = 0; i < n; i++) out[i] = 2 * x[i]; return out; },
      method: 'gd', lr: 0.1, maxIter: 3, tol: 0, useKernels: false,
    });
    expect(big.nIter).toBe(3);
    expect(keptSteppers()).toBe(0);
    for (let i = 0; i < 6; i++) run({ method: 'gd', lr: 1e-3 * (i + 1) });
    expect(keptSteppers()).toBe(4);
  });

  it('a refused option value is refused on every run, with a kept stepper of the same method around', () => {
    run({ method: 'adam', lr: 1e-2 });
    for (let i = 0; i < 2; i++) expect(() => run({ method: 'adam', lr: 1e-2, eps: -1 })).toThrow(RangeError);
  });
});

describe("a result's message tells the numbers of its own run", () => {
  const { f, grad } = rosenbrockFg;
  const opts = { grad, method: 'adam' as const, lr: 1e-2, maxIter: 30, tol: 0 };

  it('read after later runs that reuse its stepper, it still tells its own f and max|g|', () => {
    const a = minimize(f, new Float64Array([-1.2, 1]), opts);
    minimize(f, new Float64Array([3, -2]), opts); // takes back a's stepper, writes other values in its gradient
    const same = minimize(f, new Float64Array([-1.2, 1]), opts);
    const text = same.message;
    expect(text).toMatch(/^not converged: reached maxIter = 30 \(f = .+, max\|g\| = .+\)$/);
    expect(a.message).toBe(text);
  });

  it('is an own enumerable string in JSON, spreads and structured clones', () => {
    const r = minimize(f, new Float64Array([-1.2, 1]), { grad, method: 'newton', hess: undefined, maxIter: 2 });
    expect(typeof r.message).toBe('string');
    expect(Object.keys(r)).toContain('message');
    expect(JSON.parse(JSON.stringify(r)).message).toBe(r.message);
    expect({ ...r }.message).toBe(r.message);
    expect(structuredClone({ ...r, history: [] }).message).toBe(r.message);
  });
});
