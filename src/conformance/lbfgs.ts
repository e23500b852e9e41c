/**
 * Conformance handler for `lbfgs.json` (../shared/conformance/README.md §4): replays each case's
 * torch.optim.LBFGS run (`n_step_calls` calls of `step(closure)` with the case's options) with
 * `Lbfgs` from src/minimize, recording every closure call.
 *
 * Judged per case:
 * - the evaluations of the first `step()` call, one by one: params and f within rtol 1e-9
 *   (atol 1e-12), gradient within rtol 1e-9 (atol 1e-9, since it passes through zero);
 * - the counts per `step()` call (func_evals, n_iter) for that first call exactly;
 * - the end point loosely, as the file's diagnostics allow (amplification up to 5e3 and a stopping
 *   iterate that may move by one): final params within 1e-6 + 1e-4·|ref|, final f within
 *   1e-9 + 1e-3·|ref|, and total closure calls within ±3 of torch's.
 * Problems are read from the file (`problem.type` 'rosenbrock' with optional a/b, or 'quadratic'
 * with A and b); anything else is reported as a failed case.
 */
import { Lbfgs, type LbfgsOptions } from '../minimize/lbfgs.js';
import { within, type CaseResult, type Handler } from './types.js';

const TIGHT = { atol: 1e-12, rtol: 1e-9 };
const TIGHT_GRAD = { atol: 1e-9, rtol: 1e-9 };
const END_X = { atol: 1e-6, rtol: 1e-4 };
const END_F = { atol: 1e-9, rtol: 1e-3 };
const END_EVALS = 3;

interface Problem {
  f(x: Float64Array): number;
  grad(x: Float64Array, out: Float64Array): void;
}

/** Builds f and ∇f from a case's `problem`, or returns a reason it cannot. */
export function problemFromJson(p: any): Problem | string {
  if (!p || typeof p !== 'object') return 'case has no problem object';
  const x0 = p.x0;
  if (!Array.isArray(x0) || x0.length === 0) return `problem.x0 is missing or empty`;
  const n = x0.length;
  if (p.type === 'rosenbrock') {
    // (a − x)² + b(y − x²)², chained over consecutive coordinates for n > 2
    const a = typeof p.a === 'number' ? p.a : 1;
    const b = typeof p.b === 'number' ? p.b : 100;
    if (n < 2) return `rosenbrock needs at least 2 coordinates, x0 has ${n}`;
    return {
      f(x) {
        let s = 0;
        for (let i = 0; i + 1 < n; i++) {
          const u = a - x[i];
          const v = x[i + 1] - x[i] * x[i];
          s += u * u + b * v * v;
        }
        return s;
      },
      grad(x, g) {
        g.fill(0);
        for (let i = 0; i + 1 < n; i++) {
          const v = x[i + 1] - x[i] * x[i];
          g[i] += -2 * (a - x[i]) - 4 * b * x[i] * v;
          g[i + 1] += 2 * b * v;
        }
      },
    };
  }
  if (p.type === 'quadratic') {
    const A = p.A, bv = p.b;
    if (!Array.isArray(A) || A.length !== n || !A.every((r: unknown) => Array.isArray(r) && r.length === n)) {
      return `quadratic needs A as ${n} rows of length ${n}`;
    }
    if (!Array.isArray(bv) || bv.length !== n) return `quadratic needs b of length ${n}`;
    const Am = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Am[i * n + j] = A[i][j];
    const b = Float64Array.from(bv);
    // 0.5·xᵀAx − bᵀx; the gradient as autograd forms it, ½(A + Aᵀ)x − b
    return {
      f(x) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          let r = 0;
          for (let j = 0; j < n; j++) r += Am[i * n + j] * x[j];
          s += x[i] * r;
        }
        let bx = 0;
        for (let i = 0; i < n; i++) bx += b[i] * x[i];
        return 0.5 * s - bx;
      },
      grad(x, g) {
        for (let i = 0; i < n; i++) {
          let r = 0;
          for (let j = 0; j < n; j++) r += 0.5 * (Am[i * n + j] + Am[j * n + i]) * x[j];
          g[i] = r - b[i];
        }
      },
    };
  }
  return `unknown problem type ${JSON.stringify(p.type)}; this handler knows 'rosenbrock' and 'quadratic'`;
}

/** Maps torch's kwargs to LbfgsOptions, or returns a reason it cannot. */
export function optionsFromJson(o: any): LbfgsOptions | string {
  const opts: LbfgsOptions = {};
  const known = ['lr', 'max_iter', 'max_eval', 'tolerance_grad', 'tolerance_change', 'history_size', 'line_search_fn'];
  for (const k of Object.keys(o ?? {})) if (!known.includes(k)) return `unknown LBFGS option ${JSON.stringify(k)}`;
  if (o?.lr !== undefined) opts.lr = o.lr;
  if (o?.max_iter !== undefined) opts.maxIter = o.max_iter;
  if (o?.max_eval !== undefined && o.max_eval !== null) opts.maxEval = o.max_eval;
  if (o?.tolerance_grad !== undefined) opts.toleranceGrad = o.tolerance_grad;
  if (o?.tolerance_change !== undefined) opts.toleranceChange = o.tolerance_change;
  if (o?.history_size !== undefined) opts.historySize = o.history_size;
  if (o?.line_search_fn !== undefined) {
    if (o.line_search_fn !== null && o.line_search_fn !== 'strong_wolfe') {
      return `line_search_fn ${JSON.stringify(o.line_search_fn)} is not supported (torch 1.13 has only null and 'strong_wolfe')`;
    }
    opts.lineSearchFn = o.line_search_fn;
  }
  return opts;
}

export interface LbfgsReplay {
  evaluations: { params: number[]; loss: number; grad: number[] }[];
  outerSteps: { params: number[]; loss: number; funcEvals: number; nIter: number }[];
}

/** Runs a case's protocol and records every closure call. */
export function replayCase(c: any, problem: Problem, options: LbfgsOptions): LbfgsReplay {
  const x = Float64Array.from(c.problem.x0 as number[]);
  const opt = new Lbfgs(x, options);
  const evaluations: LbfgsReplay['evaluations'] = [];
  const closure = (xx: Float64Array, g: Float64Array): number => {
    const f = problem.f(xx);
    problem.grad(xx, g);
    evaluations.push({ params: Array.from(xx), loss: f, grad: Array.from(g) });
    return f;
  };
  const outerSteps: LbfgsReplay['outerSteps'] = [];
  const calls = Number(c.n_step_calls);
  for (let k = 0; k < calls; k++) {
    opt.step(closure);
    outerSteps.push({ params: Array.from(x), loss: problem.f(x), funcEvals: opt.funcEvals, nIter: opt.nIter });
  }
  return { evaluations, outerSteps };
}

function fmt(v: number): string {
  return v.toExponential(1);
}

/** Judges one case; never throws. */
export function judgeCase(fileName: string, c: any): CaseResult {
  const name = String(c?.name ?? '(unnamed case)');
  const result = (passed: boolean, detail: string): CaseResult => ({ file: fileName, name, backend: '-', passed, detail });
  try {
    if (c?.dtype !== undefined && c.dtype !== 'float64') return result(false, `dtype ${c.dtype} not supported (float64 only)`);
    const problem = problemFromJson(c?.problem);
    if (typeof problem === 'string') return result(false, problem);
    const options = optionsFromJson(c?.options);
    if (typeof options === 'string') return result(false, options);
    if (!Number.isInteger(c.n_step_calls) || c.n_step_calls < 1) return result(false, `n_step_calls must be a positive integer, got ${c.n_step_calls}`);
    const refEvals: any[] = Array.isArray(c.evaluations) ? c.evaluations : [];
    const refSteps: any[] = Array.isArray(c.outer_steps) ? c.outer_steps : [];
    if (refEvals.length === 0 || refSteps.length === 0) return result(false, 'case has no evaluations or outer_steps');

    const run = replayCase(c, problem, options);
    const failures: string[] = [];

    // 1. the first step() call, evaluation by evaluation
    const nTight = Math.min(refSteps[0].func_evals ?? refSteps[0].closure_calls_so_far, refEvals.length);
    let worstTight = 0;
    for (let k = 0; k < nTight; k++) {
      const mine = run.evaluations[k];
      const ref = refEvals[k];
      if (!mine) { failures.push(`only ${run.evaluations.length} evaluations, torch's first call made ${nTight}`); break; }
      let bad = '';
      const check = (label: string, a: number, b: number, tol: { atol: number; rtol: number }) => {
        const w = within(a, b, tol.atol, tol.rtol);
        if (w.used > worstTight) worstTight = w.used;
        if (!w.ok && !bad) bad = `evaluation ${k + 1}: ${label} = ${a}, torch ${b}`;
      };
      for (let i = 0; i < ref.params.length; i++) check(`params[${i}]`, mine.params[i], ref.params[i], TIGHT);
      check('f', mine.loss, ref.loss, TIGHT);
      for (let i = 0; i < ref.grad.length; i++) check(`grad[${i}]`, mine.grad[i], ref.grad[i], TIGHT_GRAD);
      if (bad) { failures.push(bad); break; }
    }
    const s0 = run.outerSteps[0];
    if (s0.funcEvals !== refSteps[0].func_evals || s0.nIter !== refSteps[0].n_iter) {
      failures.push(`first call: ${s0.funcEvals} evals / ${s0.nIter} iters, torch ${refSteps[0].func_evals} / ${refSteps[0].n_iter}`);
    }

    // 2. the end point, loosely
    const last = run.outerSteps[run.outerSteps.length - 1];
    const finalParams: number[] = c.final_params ?? refSteps[refSteps.length - 1].params;
    const finalLoss: number = c.final_loss ?? refSteps[refSteps.length - 1].loss;
    let worstEnd = 0;
    for (let i = 0; i < finalParams.length; i++) {
      const w = within(last.params[i], finalParams[i], END_X.atol, END_X.rtol);
      worstEnd = Math.max(worstEnd, w.used);
      if (!w.ok) { failures.push(`end params[${i}] = ${last.params[i]}, torch ${finalParams[i]}`); break; }
    }
    const wf = within(last.loss, finalLoss, END_F.atol, END_F.rtol);
    worstEnd = Math.max(worstEnd, wf.used);
    if (!wf.ok) failures.push(`end f = ${last.loss}, torch ${finalLoss}`);
    const totalRef = c.total_func_evals ?? refSteps[refSteps.length - 1].func_evals;
    if (Math.abs(last.funcEvals - totalRef) > END_EVALS) failures.push(`${last.funcEvals} closure calls in all, torch ${totalRef}`);

    // information only: how far the whole trace stays on torch's (not judged; see the header)
    let worstAll = 0;
    const nAll = Math.min(run.evaluations.length, refEvals.length);
    for (let k = 0; k < nAll; k++) {
      const a = run.evaluations[k], r = refEvals[k];
      for (let i = 0; i < r.params.length; i++) worstAll = Math.max(worstAll, within(a.params[i], r.params[i], TIGHT.atol, TIGHT.rtol).used);
      worstAll = Math.max(worstAll, within(a.loss, r.loss, TIGHT.atol, TIGHT.rtol).used);
    }
    const matchedAll = run.evaluations.length === refEvals.length;
    const summary =
      `first ${nTight} evals: worst ${fmt(worstTight)} of tol (rtol 1e-9); ` +
      `all ${nAll} evals (params, f; not judged): worst ${fmt(worstAll)} of that tol; ` +
      `end: worst ${fmt(worstEnd)} of tol; closure calls ${last.funcEvals}/${totalRef}${matchedAll ? '' : ' (count differs)'}`;
    return failures.length ? result(false, `${failures[0]}; ${summary}`) : result(true, summary);
  } catch (e) {
    return result(false, `threw ${(e as Error)?.name ?? 'error'}: ${(e as Error)?.message ?? String(e)}`);
  }
}

export const lbfgsHandler: Handler = {
  name: 'lbfgs',
  matches: (fileName) => /^lbfgs.*\.json$/.test(fileName),
  async run(fileName, json) {
    const cases: any[] = Array.isArray(json?.cases) ? json.cases : [];
    if (cases.length === 0) {
      return [{ file: fileName, name: '(file)', backend: '-', passed: false, detail: 'no cases in file' }];
    }
    return cases.map((c) => judgeCase(fileName, c));
  },
};
