import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemFromJson } from '../../src/conformance/lbfgs.js';
import { within } from '../../src/conformance/types.js';
import { createFirstOrder, type FirstOrderMethod, type FirstOrderOptions } from '../../src/minimize/first-order.js';
import { minimize } from '../../src/minimize/index.js';

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
