/**
 * Conformance handlers for optimizer files of the ../shared/conformance format:
 * - `optimHandler` (optim_*.json): builds the optimizer by its torch name with the case's snake_case
 *   options mapped to camelCase, runs the case's fixed gradients on every backend and compares the
 *   parameters (and the recorded state) after every step: |x − ref| <= 1e-6 + 1e-5·|ref|.
 * - `objectiveHandler` (objective.json): Rosenbrock and the quadratic with gradients computed here
 *   (float32 cases in float32 as torch autograd rounds them, on every backend; float64 cases on the
 *   float64 engine: the same optimizer classes and references in float64), compared on the trace.
 * An unknown optimizer or option is a failed case with the reason, never a crash.
 */
import { Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, Optimizer, RAdam, RMSprop, Rprop, SGD } from '../optim/index.js';
import { withEngine } from '../optim/engine.js';
import { Float64Engine } from '../optim/float64-engine.js';
import { param, type Param } from '../tensor.js';
import { within, type BackendName, type CaseResult, type ConformanceContext, type Handler } from './types.js';

type Ctor = new (params: Param[], options?: any) => Optimizer<any>;

/** torch class names → ours. */
const OPTIMIZERS: Record<string, Ctor> = { SGD, Adam, AdamW, Adagrad, Adadelta, RMSprop, Adamax, NAdam, RAdam, Rprop };

/** torch kwargs that choose an implementation, not the rule (every path computes the documented rule here). */
const IMPLEMENTATION_FLAGS = new Set(['foreach', 'differentiable']);

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const fr = Math.fround;

export function build(torchName: string, torchOptions: Record<string, unknown>, params: Param[]): Optimizer<any> {
  const Cls = Object.prototype.hasOwnProperty.call(OPTIMIZERS, torchName) ? OPTIMIZERS[torchName] : undefined;
  if (!Cls) throw new Error(`unknown optimizer ${JSON.stringify(torchName)} (known: ${Object.keys(OPTIMIZERS).join(', ')})`);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(torchOptions ?? {})) {
    if (IMPLEMENTATION_FLAGS.has(k)) continue;
    options[camel(k)] = v;
  }
  return new Cls(params, options); // an unknown option throws a TypeError naming it
}

function fail(file: string, name: string, backend: BackendName | '-', detail: string): CaseResult {
  return { file, name, backend, passed: false, detail };
}

/** Tracks the worst error as a fraction of its budget. */
class Worst {
  used = 0;
  where = '';
  bad: string | null = null;
  check(x: number, ref: number, atol: number, rtol: number, where: string): void {
    const r = within(x, ref, atol, rtol);
    if (!r.ok && this.bad === null) this.bad = `${where} = ${x}, reference ${ref} (|err| ${Math.abs(x - ref).toExponential(2)} > ${(atol + rtol * Math.abs(ref)).toExponential(2)})`;
    if (r.used > this.used) {
      this.used = r.used;
      this.where = where;
    }
  }
  detail(): string {
    return this.bad ?? (this.used === 0 ? 'bit-exact' : `worst ${this.used.toFixed(3)} of budget at ${this.where}`);
  }
}

const OPTIM_ATOL = 1e-6, OPTIM_RTOL = 1e-5;

/**
 * Runs one case: `makeParam`, then `makeOpt` on it, then `check` records into a Worst; a throw is
 * the case's failure, and the param and optimizer are disposed on every path.
 */
function runCase<P extends { dispose(): void }>(
  file: string, name: string, backend: BackendName | '-', makeParam: () => P, makeOpt: (p: P) => Optimizer<any>,
  check: (p: P, opt: Optimizer<any>, w: Worst) => void,
): CaseResult {
  let p: P | null = null;
  let opt: Optimizer<any> | null = null;
  try {
    p = makeParam();
    opt = makeOpt(p);
    const w = new Worst();
    check(p, opt, w);
    return { file, name, backend, passed: w.bad === null, detail: w.detail() };
  } catch (e) {
    return fail(file, name, backend, (e as Error).message);
  } finally {
    opt?.dispose();
    p?.dispose();
  }
}

export const optimHandler: Handler = {
  name: 'optim',
  matches: (f) => /^optim_.+\.json$/.test(f),
  async run(file, json, ctx) {
    const out: CaseResult[] = [];
    for (const c of json.cases as any[]) {
      for (const backend of ctx.backends) {
        out.push(await runTrajectory(file, c, backend, ctx));
      }
    }
    return out;
  },
};

async function runTrajectory(file: string, c: any, backend: BackendName, ctx: ConformanceContext): Promise<CaseResult> {
  const name = String(c.name);
  if (c.dtype !== undefined && c.dtype !== 'float32') return fail(file, name, backend, `dtype ${c.dtype} is not supported for trajectories (float32 only)`);
  await ctx.useBackend(backend);
  return runCase(file, name, backend, () => param(Float32Array.from(c.params0 as number[])), (p) => build(c.optimizer, c.options, [p]), (p, opt, w) => {
    (c.steps as any[]).forEach((s, t) => {
      p.grad.set(s.grad as number[]);
      opt.step();
      const x = p.data;
      const ref = s.params as number[];
      if (ref.length !== x.length) throw new Error(`step ${t + 1}: reference has ${ref.length} params, the case ${x.length}`);
      for (let i = 0; i < ref.length; i++) w.check(x[i], fr(ref[i]), OPTIM_ATOL, OPTIM_RTOL, `step ${t + 1} params[${i}]`);
      if (s.state && typeof s.state === 'object') {
        const mine = opt.state(p);
        for (const [key, v] of Object.entries(s.state as Record<string, unknown>)) {
          const k = camel(key);
          if (!(k in mine)) throw new Error(`step ${t + 1}: torch keeps state ${key}, ${c.optimizer} has no ${k}`);
          const have = mine[k];
          if (Array.isArray(v)) {
            if (!(have instanceof Float32Array) || have.length !== v.length) throw new Error(`step ${t + 1}: state ${k} should hold ${v.length} values`);
            for (let i = 0; i < v.length; i++) w.check(have[i], fr(v[i] as number), OPTIM_ATOL, OPTIM_RTOL, `step ${t + 1} ${k}[${i}]`);
          } else if (typeof v === 'number') {
            if (typeof have !== 'number') throw new Error(`step ${t + 1}: state ${k} should be a number`);
            w.check(have, k === 'step' ? v : fr(v), OPTIM_ATOL, OPTIM_RTOL, `step ${t + 1} ${k}`);
          }
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// objective.json

interface Problem {
  /** loss and gradient at x, in float32 (as torch autograd computes them) or float64 */
  evaluate(x: ArrayLike<number>, g: { [i: number]: number }, f32: boolean): number;
}

function rosenbrock(): Problem {
  return {
    evaluate(x, g, f32) {
      const r = f32 ? fr : (v: number) => v;
      // (1 − x)² + 100·(y − x²)², differentiated the way autograd walks it.
      const a = r(1 - x[0]);
      const b = r(x[1] - r(x[0] * x[0]));
      const loss = r(r(a * a) + r(100 * r(b * b)));
      const gb = r(100 * (2 * b));
      g[0] = r(-2 * a - r(gb * (2 * x[0])));
      g[1] = gb;
      return loss;
    },
  };
}

function quadratic(A: number[][], bv: number[]): Problem {
  return {
    evaluate(x, g, f32) {
      const r = f32 ? fr : (v: number) => v;
      let loss = 0;
      for (let i = 0; i < bv.length; i++) {
        let ax = 0;
        for (let j = 0; j < bv.length; j++) ax += A[i][j] * x[j];
        g[i] = r(ax - bv[i]);
        loss += 0.5 * x[i] * ax - bv[i] * x[i];
      }
      return r(loss);
    },
  };
}

export const objectiveHandler: Handler = {
  name: 'objective',
  matches: (f) => f === 'objective.json',
  async run(file, json, ctx) {
    const out: CaseResult[] = [];
    for (const c of json.cases as any[]) {
      if (c.dtype === 'float64') out.push(runObjective(file, c, '-'));
      else for (const backend of ctx.backends) {
        await ctx.useBackend(backend);
        out.push(runObjective(file, c, backend));
      }
    }
    return out;
  },
};

function runObjective(file: string, c: any, backend: BackendName | '-'): CaseResult {
  const name = String(c.name);
  const f32 = c.dtype === 'float32';
  if (!f32 && c.dtype !== 'float64') return fail(file, name, backend, `unknown dtype ${JSON.stringify(c.dtype)}`);
  const pr = c.problem ?? {};
  const problem = pr.type === 'rosenbrock' ? rosenbrock() : pr.type === 'quadratic' ? quadratic(pr.A, pr.b) : null;
  if (!problem) return fail(file, name, backend, `unknown problem ${JSON.stringify(pr.type)}`);
  // README: float32 atol ≈ 1e-5 + 10·(torch's float32-vs-float64 gap); float64 rtol ≈ 1e-9.
  const gap = Number(c.diagnostics?.float32_vs_float64_final_maxabs ?? 0);
  const [atol, rtol] = f32 ? [1e-5 + 10 * gap, 1e-5] : [1e-12, 1e-9];
  let engine: Float64Engine | null = null;
  return runCase(
    file, name, backend,
    () => (f32 ? param(Float32Array.from(pr.x0 as number[])) : (engine = new Float64Engine()).param(pr.x0 as number[])),
    (q) => (engine ? withEngine(engine, () => build(c.optimizer, c.options, [q as unknown as Param])) : build(c.optimizer, c.options, [q as Param])),
    (p, opt, w) => {
      const byStep = new Map<number, any>();
      for (const t of c.trace as any[]) byStep.set(t.step, t);
      const compare = (step: number, params: number[], loss: number, label: string) => {
        const x = p.data;
        const f = problem.evaluate(x, new Float64Array(x.length), f32);
        for (let i = 0; i < params.length; i++) w.check(x[i], f32 ? fr(params[i]) : params[i], atol, rtol, `${label} params[${i}]`);
        w.check(f, f32 ? fr(loss) : loss, atol, rtol, `${label} loss`);
        void step;
      };
      const n = Number(c.n_steps);
      for (let s = 0; s <= n; s++) {
        const t = byStep.get(s);
        if (t) compare(s, t.params, t.loss, `step ${s}`);
        if (s === n) break;
        opt.zeroGrad();
        problem.evaluate(p.data, p.grad, f32);
        opt.step();
      }
      if (c.final_params) compare(n, c.final_params, c.final_loss, 'final');
    },
  );
}
