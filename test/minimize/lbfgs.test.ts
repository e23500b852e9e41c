import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeCase, lbfgsHandler, problemFromJson } from '../../src/conformance/lbfgs.js';
import { Lbfgs, minimize, testFunctions } from '../../src/minimize/index.js';

const FILE = new URL('../../../shared/conformance/lbfgs.json', import.meta.url);
const json = JSON.parse(readFileSync(FILE, 'utf8'));
const ctx = { readText: () => '', backends: [], useBackend: async () => {} };

describe('lbfgs.json conformance (torch.optim.LBFGS, float64)', () => {
  it('the handler claims lbfgs.json only', () => {
    expect(lbfgsHandler.matches('lbfgs.json')).toBe(true);
    expect(lbfgsHandler.matches('optim_adam.json')).toBe(false);
  });

  it('every case matches torch: first step() call evaluation by evaluation, end point, evaluation counts', async () => {
    const results = await lbfgsHandler.run('lbfgs.json', json, ctx);
    console.log('\n' + results.map((r) => `${r.passed ? 'PASS' : 'FAIL'} ${r.name}: ${r.detail}`).join('\n'));
    expect(results.length).toBe(json.cases.length);
    expect(results.length).toBeGreaterThanOrEqual(4);
    for (const r of results) {
      expect(r.backend).toBe('-');
      expect(r.passed, `${r.name}: ${r.detail}`).toBe(true);
    }
  });

  it('the per-call counters equal torch’s func_evals / n_iter after every step() call', () => {
    for (const c of json.cases) {
      const f = problemFromJson(c.problem);
      if (typeof f === 'string') throw new Error(f);
      const x = Float64Array.from(c.problem.x0);
      const opt = new Lbfgs(x, { lr: c.options.lr, maxIter: c.options.max_iter, historySize: c.options.history_size, lineSearchFn: c.options.line_search_fn });
      const counts: string[] = [];
      for (let k = 0; k < c.n_step_calls; k++) {
        opt.step((xx, g) => { f.grad(xx, g); return f.f(xx); });
        counts.push(`${opt.funcEvals}/${opt.nIter}`);
      }
      expect(counts).toEqual(c.outer_steps.map((s: { func_evals: number; n_iter: number }) => `${s.func_evals}/${s.n_iter}`));
    }
  });

  it('the handler is not lenient: a reference nudged by 1e-7 in one early evaluation fails', () => {
    const c = structuredClone(json.cases[0]);
    c.evaluations[3].loss *= 1 + 1e-7;
    const r = judgeCase('lbfgs.json', c);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/evaluation 4: f = /);
    const d = structuredClone(json.cases[1]);
    d.final_params[0] += 1e-3;
    expect(judgeCase('lbfgs.json', d).passed).toBe(false);
    const e = structuredClone(json.cases[2]);
    e.outer_steps[0].func_evals += 1;
    expect(judgeCase('lbfgs.json', e).detail).toMatch(/first call: 23 evals/);
  });

  it('an unknown problem, an unknown option or an empty file is a failed case, not a crash', async () => {
    const c = structuredClone(json.cases[0]);
    c.problem.type = 'himmelblau';
    const r = judgeCase('lbfgs.json', c);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/unknown problem type "himmelblau"/);
    const o = structuredClone(json.cases[0]);
    o.options.line_search_fn = 'backtracking';
    expect(judgeCase('lbfgs.json', o).detail).toMatch(/line_search_fn "backtracking" is not supported/);
    const q = structuredClone(json.cases[2]);
    q.problem.A = q.problem.A.slice(1);
    expect(judgeCase('lbfgs.json', q).detail).toMatch(/quadratic needs A as 8 rows of length 8/);
    const empty = await lbfgsHandler.run('lbfgs.json', { meta: {}, cases: [] }, ctx);
    expect(empty).toEqual([{ file: 'lbfgs.json', name: '(file)', backend: '-', passed: false, detail: 'no cases in file' }]);
    const broken = await lbfgsHandler.run('lbfgs.json', { cases: [{ name: 'x' }] }, ctx);
    expect(broken[0].passed).toBe(false);
  });

  it("minimize({ method: 'lbfgs' }) with torch's options reproduces torch's first step() call", () => {
    const c = json.cases.find((k: { name: string }) => k.name === 'LBFGS/rosenbrock/strong_wolfe');
    const { f, grad } = testFunctions.rosenbrock;
    const r = minimize(f, c.problem.x0, { method: 'lbfgs', grad, historySize: 10, maxIter: 20, recordX: true });
    const ref = c.outer_steps[0];
    expect(r.status).toBe('max-eval');
    expect(r.nGev).toBe(ref.func_evals);
    expect(r.nIter).toBe(ref.n_iter);
    for (let i = 0; i < 2; i++) expect(Math.abs(r.x[i] - ref.params[i])).toBeLessThanOrEqual(1e-9 * Math.abs(ref.params[i]));
    expect(Math.abs(r.fun - ref.loss)).toBeLessThanOrEqual(1e-9 * ref.loss);
  });

  it('Lbfgs TSDoc example: ten step() calls on Rosenbrock end where torch ends, after 59 closure calls', () => {
    const { f, grad } = testFunctions.rosenbrock;
    const x = Float64Array.of(-1.5, 2);
    const opt = new Lbfgs(x, { lineSearchFn: 'strong_wolfe', historySize: 10 });
    for (let k = 0; k < 10; k++) opt.step((xx, g) => { grad(xx, g); return f(xx); });
    expect(opt.funcEvals).toBe(59);
    expect(x[0]).toBeCloseTo(0.99998, 5);
    expect(x[1]).toBeCloseTo(0.99997, 5);
  });
});
