/**
 * `minimize(f, x0, options)`: unconstrained minimisation of a float64 function of a vector.
 */
import { Prng } from '../util/prng.js';
import { createFirstOrder, type FirstOrderMethod, type FirstOrderOptions, type FirstOrderStepper } from './first-order.js';
import { Lbfgs, type LbfgsStopReason } from './lbfgs.js';
import { backtrackingArmijo, strongWolfe } from './line-search.js';
import { dot, normInf } from './linalg.js';
import { newtonDirection } from './newton.js';
import { autodiffObjective, type OpsObjective } from './autodiff.js';
import { describe } from '../util/describe.js';
import { NonFiniteStop, Objective, type GradientFn, type HessianFn, type ObjectiveFn } from './objective.js';
import { checkMinimizeOptions, MINIMIZE_METHODS, type MinimizeMethod } from './options.js';
import { checkBounds, proposeGaussian, proposeUniform, type Bounds } from './random-search.js';

export { MINIMIZE_METHODS, type MinimizeMethod };

/** Why a run stopped. The first four are convergence tests; the rest are not. */
export type MinimizeStatus =
  | 'gradient' // max|gᵢ| ≤ tol
  | 'f-change' // relative change of f ≤ fTol, or (lbfgs) |Δf| < toleranceChange
  | 'x-change' // lbfgs: max|t·dᵢ| ≤ toleranceChange
  | 'direction' // lbfgs: gᵀd > −toleranceChange
  | 'max-iter'
  | 'max-eval'
  | 'line-search-failed'
  | 'callback'
  | 'aborted'
  | 'diverged';

const CONVERGED: ReadonlySet<MinimizeStatus> = new Set(['gradient', 'f-change', 'x-change', 'direction']);

export interface MinimizeOptions extends FirstOrderOptions {
  /** The algorithm (default 'lbfgs'). */
  method?: MinimizeMethod;
  /** ∇f(x) into `out`; without it, central finite differences (see `finite-diff.ts`). */
  grad?: GradientFn;
  /** ∇²f(x) into `out` (n·n row-major), for 'newton'; without it, differences of grad (or of f). */
  hess?: HessianFn;
  /**
   * true: f is written in ops (it receives x as a tensor of shape [n] and returns a scalar tensor),
   * and minimize takes its exact gradient from autodiff (`valueAndGrad`) and, for 'newton', its
   * exact Hessian (`hessian`); `grad` and `hess` are then refused. f runs in float32: see
   * docs/minimize.md for what that means for `tol`. Default false (f on Float64Arrays → number).
   */
  autodiff?: boolean;
  /** Iteration limit (default 1000). For the random methods: the number of samples. */
  maxIter?: number;
  /** Converged when max|gᵢ| ≤ tol (default 1e-6; lbfgs: torch's toleranceGrad 1e-7 unless tol is given). */
  tol?: number;
  /** Converged when |f_prev − f| ≤ fTol·max(|f_prev|, |f|, 1) (default 0: off). */
  fTol?: number;
  /** Called after every iteration with a copy of x; return false to stop. */
  callback?: (iter: number, x: Float64Array, f: number) => boolean | void;
  /** Checked before every iteration; when aborted the run stops and returns what it has. */
  signal?: AbortSignal;
  /**
   * First-order methods only: run the steps on the library's fused optimizer kernels (Wasm SIMD).
   * 'auto' (default) does so from n = 4096 coordinates when init() has chosen a Wasm backend; x and
   * the optimizer state are then float32 (rounded once per step), while f and grad still get
   * Float64Arrays. true forces it (init() needed), false keeps everything in float64 JS.
   */
  useKernels?: boolean | 'auto';
  /** Keep a copy of x in every history entry (default false). */
  recordX?: boolean;

  /** Line search: 'armijo' (gd-linesearch default), 'strong-wolfe' (lbfgs default), 'none' (lbfgs only). */
  lineSearch?: 'armijo' | 'strong-wolfe' | 'none';
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Strong-Wolfe curvature constant (default 0.9). */
  c2?: number;
  /** Armijo backtracking factor (default 0.5). */
  shrink?: number;
  /** Evaluations per line search (default 50 for Armijo, 25 for strong Wolfe). */
  maxLineSearch?: number;

  /** lbfgs: pairs kept (default 100). */
  historySize?: number;
  /** lbfgs: max|gᵢ| stop (default `tol` if given, else 1e-7). */
  toleranceGrad?: number;
  /** lbfgs: step / f-change / slope stop (default 1e-9). */
  toleranceChange?: number;
  /** lbfgs: closure calls allowed (default ⌊maxIter·5/4⌋ as torch). */
  maxEval?: number;

  /** Random methods: PRNG seed (default 0). */
  seed?: number;
  /**
   * A [lo, hi] box per coordinate, which the random methods sample within ('random-search' uniformly).
   * The other methods are unconstrained and ignore it.
   */
  bounds?: Bounds;
  /** Random methods: Gaussian proposal scale (default 1 for 'random-search' without bounds, 0.1 for 'random-local-search'). */
  stepScale?: number;
}

export interface HistoryEntry {
  /** 0 for the start point. */
  iter: number;
  /** f at the iterate (for the random methods: the best f so far). */
  f: number;
  /** max|gᵢ| at the iterate (NaN where no gradient was computed). */
  gradNorm: number;
  /** f evaluations so far. */
  nFev: number;
  /** The accepted line-search step (line-search methods and lbfgs). */
  step?: number;
  /** Newton: the damping τ added to the Hessian's diagonal. */
  damping?: number;
  /** A copy of x, when `recordX` is set. */
  x?: Float64Array;
}

export interface MinimizeResult {
  /** The final iterate (a new array); after divergence, the last one with finite f. */
  x: Float64Array;
  /** f(x). */
  fun: number;
  /** ∇f(x) (a new array). */
  grad: Float64Array;
  nIter: number;
  /** f evaluations, including finite-difference ones. */
  nFev: number;
  /** Gradient evaluations (analytic, or finite-difference gradients). */
  nGev: number;
  /** Hessian evaluations ('newton'). */
  nHev: number;
  converged: boolean;
  status: MinimizeStatus;
  message: string;
  /** One entry per iteration, starting with iteration 0. After divergence the last entry holds the non-finite value. */
  history: HistoryEntry[];
  method: MinimizeMethod;
}

interface Resolved {
  method: MinimizeMethod;
  maxIter: number;
  tol: number;
  fTol: number;
  callback?: (iter: number, x: Float64Array, f: number) => boolean | void;
  signal?: AbortSignal;
  recordX: boolean;
}

/**
 * Minimises f: ℝⁿ → ℝ from x0 and reports how it went.
 *
 * Methods:
 * - 'gd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad': the library's `SGD` (plain, with
 *   momentum, with Nesterov momentum), `Adam`, `RMSprop` and `Adagrad` run on x with a fixed `lr`,
 *   one f and one gradient evaluation per iteration. Their options are the classes' and are checked
 *   by the classes. Below 4096 coordinates (or on the js backend, or before init()) the steps are
 *   float64; from 4096 on a Wasm backend they run on the fused float32 kernels (`useKernels`).
 * - 'gd-linesearch': x ← x − t·g with t from backtracking Armijo (c1, shrink) or the strong-Wolfe
 *   search (c1 = 1e-4, c2 = 0.9, cubic interpolation); the first trial step is `lr` (default 1), later
 *   ones t_{k−1}·‖g_{k−1}‖²/‖g_k‖² (Nocedal & Wright eq. 3.60).
 * - 'newton': p = −(H + τI)⁻¹g by Cholesky, τ > 0 only where H is not positive definite (Nocedal &
 *   Wright Alg. 3.3), then Armijo backtracking from t = 1. H from `hess`, else central differences
 *   of the gradient.
 * - 'lbfgs': torch.optim.LBFGS's algorithm as one `step()` with max_iter = maxIter; options
 *   historySize, toleranceGrad, toleranceChange, maxEval, lr, lineSearch ('strong-wolfe' by default
 *   here; 'none' is torch's default and takes fixed steps lr).
 * - 'random-search' (uniform samples in `bounds`, or x0 + stepScale·N(0, I) without bounds, best
 *   kept) and 'random-local-search' (best + stepScale·N(0, I), kept if better), seeded by `seed`.
 *   They have no convergence test: they run maxIter samples and report `converged: false`.
 *
 * Defaults: method 'lbfgs', maxIter 1000, tol 1e-6 on max|gᵢ|, fTol 0 (off), lr as the method's
 * (0.01; adam 0.001; gd-linesearch and lbfgs 1). Without `grad`, gradients are central differences
 * with hᵢ = ε^(1/3)·max(1, |xᵢ|) ≈ 6e-6·max(1, |xᵢ|), 2n f evaluations each (Nocedal & Wright §8.1).
 *
 * Stops: `converged` is true for the tests gradient / f-change / x-change / direction, false for
 * max-iter, max-eval, line-search-failed, callback, aborted and diverged. When f (or the gradient)
 * stops being finite during the run, the run stops with status 'diverged', a message naming the
 * iteration, and the last finite iterate in `x`. `minimize` is synchronous: `signal` is checked
 * between iterations, so it can be aborted by f, grad or the callback, or before the call.
 *
 * Errors: x0 that is not an array of finite numbers, f or grad that are not functions, f that is
 * not finite at x0, a gradient of the wrong length or with unset entries, out-of-range options,
 * unknown option names (with the closest known name: `maxiter` → `maxIter`) and options of another
 * method (`betas` with 'gd') throw TypeError / RangeError naming the argument, before f is called.
 *
 * f, grad and hess receive a buffer owned by `minimize`: read it, do not keep or modify it. The
 * result's arrays are new; x0 is not modified.
 *
 * @example
 * const r = minimize((x) => (x[0] - 3) ** 2, [0], { method: 'gd', lr: 0.1 });
 * r.x[0];       // ≈ 3
 * r.converged;  // true
 * r.message;    // "converged: max|g| = 9.9e-7 ≤ tol = 1.0e-6 after 70 iterations"
 */
export function minimize(f: OpsObjective, x0: ArrayLike<number>, options: MinimizeOptions & { autodiff: true }): MinimizeResult;
export function minimize(f: ObjectiveFn, x0: ArrayLike<number>, options?: MinimizeOptions): MinimizeResult;
export function minimize(f: ObjectiveFn | OpsObjective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const autodiff = options !== null && typeof options === 'object' && (options as MinimizeOptions).autodiff === true;
  if (typeof f !== 'function') {
    throw new TypeError(`f must be a function ${autodiff ? '(x: Tensor) => scalar Tensor, written in ops' : '(x: Float64Array) => number'}, got ${describe(f)}`);
  }
  const x = checkX0(x0);
  const n = x.length;
  const o = resolve(options, n);
  if (!autodiff) return dispatch(new Run(new Objective(f as ObjectiveFn, options.grad, options.hess, n), o, n), x, options);
  for (const k of ['grad', 'hess'] as const) {
    if (options[k] !== undefined) {
      throw new TypeError(`minimize: options.${k} is given with autodiff: true, which computes the exact ${k === 'grad' ? 'gradient' : 'Hessian'} of f itself; drop ${k} (or drop autodiff and pass f on Float64Arrays)`);
    }
  }
  const ad = autodiffObjective(f as OpsObjective, n);
  try {
    const r = dispatch(new Run(new Objective(ad.f, ad.grad, o.method === 'newton' ? ad.hess : undefined, n), o, n), x, { ...options, grad: ad.grad });
    return r;
  } finally {
    ad.dispose();
  }
}

function dispatch(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const o = run.o;
  switch (o.method) {
    case 'gd-linesearch':
      return runLineSearchGd(run, x, options);
    case 'newton':
      return runNewton(run, x, options);
    case 'lbfgs':
      return runLbfgs(run, x, options);
    case 'random-search':
    case 'random-local-search':
      return runRandom(run, x, options);
    default:
      return runFirstOrder(run, x, options);
  }
}

function checkX0(x0: unknown): Float64Array {
  if (x0 === null || typeof x0 !== 'object' || typeof (x0 as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`x0 must be an array or Float64Array of numbers, got ${describe(x0)}`);
  }
  const a = x0 as ArrayLike<unknown>;
  if (a.length === 0) throw new RangeError('x0 is empty; pass the start point with at least one coordinate');
  const x = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number') throw new TypeError(`x0[${i}] must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`x0[${i}] is ${v}; every entry of x0 must be a finite number`);
    x[i] = v;
  }
  return x;
}

/** Checks the options (first-order methods' own options are checked by their optimizer class, in createFirstOrder). */
function resolve(options: MinimizeOptions, n: number): Resolved {
  const method = checkMinimizeOptions(options);
  if (options.bounds !== undefined) checkBounds(options.bounds, n);
  return {
    method,
    maxIter: options.maxIter ?? 1000,
    tol: options.tol ?? 1e-6,
    fTol: options.fTol ?? 0,
    callback: options.callback,
    signal: options.signal,
    recordX: options.recordX ?? false,
  };
}

/** Shared bookkeeping of one run: history, user stops, the result. */
class Run {
  readonly history: HistoryEntry[] = [];

  constructor(readonly obj: Objective, readonly o: Resolved, readonly n: number) {}

  /** Appends the history entry of iteration `iter`; returns its max|gᵢ| (NaN without g). */
  record(iter: number, x: Float64Array, f: number, g: Float64Array | null, extra?: Outcome): number {
    const gradNorm = g ? normInf(g) : NaN;
    const e: HistoryEntry = { iter, f, gradNorm, nFev: this.obj.nFev };
    if (extra !== undefined) {
      if (!Number.isNaN(extra.step)) e.step = extra.step;
      if (!Number.isNaN(extra.damping)) e.damping = extra.damping;
    }
    if (this.o.recordX) e.x = Float64Array.from(x);
    this.history.push(e);
    return gradNorm;
  }

  aborted(): boolean {
    return this.o.signal?.aborted === true;
  }

  /** Calls the callback; true when it asks to stop. */
  callbackStops(iter: number, x: Float64Array, f: number): boolean {
    return this.o.callback !== undefined && this.o.callback(iter, Float64Array.from(x), f) === false;
  }

  /**
   * The stopping tests every iterative method applies after iteration k, in order: gradient
   * tolerance, relative change of f, the user's callback. Returns the result when one fires.
   */
  stopAfter(k: number, x: Float64Array, f: number, g: Float64Array, fPrev: number, gradNorm = normInf(g)): MinimizeResult | null {
    if (gradNorm <= this.o.tol) return this.finish(x, f, g, k, 'gradient', this.message('gradient', k, f, g));
    if (this.fChangeSmall(fPrev, f)) return this.finish(x, f, g, k, 'f-change', this.message('f-change', k, f, g));
    if (this.callbackStops(k, x, f)) return this.finish(x, f, g, k, 'callback', this.message('callback', k, f, g));
    return null;
  }

  fChangeSmall(fPrev: number, f: number): boolean {
    const t = this.o.fTol;
    return t > 0 && Math.abs(fPrev - f) <= t * Math.max(Math.abs(fPrev), Math.abs(f), 1);
  }

  finish(x: Float64Array, f: number, g: Float64Array, nIter: number, status: MinimizeStatus, message: string): MinimizeResult {
    const obj = this.obj;
    return {
      x: Float64Array.from(x),
      fun: f,
      grad: Float64Array.from(g),
      nIter,
      nFev: obj.nFev,
      nGev: obj.nGev,
      nHev: obj.nHev,
      converged: CONVERGED.has(status),
      status,
      message,
      history: this.history,
      method: this.o.method,
    };
  }

  /** The message for a status, with the numbers that explain it. */
  message(status: MinimizeStatus, k: number, f: number, g: Float64Array, extra = ''): string {
    const gn = fmt(normInf(g));
    switch (status) {
      case 'gradient':
        return `converged: max|g| = ${gn} ≤ tol = ${fmt(this.o.tol)} after ${k} iterations`;
      case 'f-change':
        return `converged: ${extra || `relative change of f ≤ fTol = ${fmt(this.o.fTol)}`} after ${k} iterations (max|g| = ${gn})`;
      case 'x-change':
      case 'direction':
        return `converged: ${extra} after ${k} iterations (max|g| = ${gn})`;
      case 'max-iter':
        return `not converged: reached maxIter = ${this.o.maxIter} (f = ${fmt(f)}, max|g| = ${gn})`;
      case 'max-eval':
        return `not converged: ${extra} (f = ${fmt(f)}, max|g| = ${gn})`;
      case 'line-search-failed':
        return `not converged: the line search found no sufficient decrease at iteration ${k} (f = ${fmt(f)}, max|g| = ${gn})${extra}`;
      case 'callback':
        return `stopped by callback at iteration ${k} (f = ${fmt(f)}, max|g| = ${gn})`;
      case 'aborted':
        return `aborted by signal at iteration ${k} (f = ${fmt(f)}, max|g| = ${gn})`;
      case 'diverged':
        return extra;
    }
  }

  divergedMessage(k: number, e: NonFiniteStop, fLast: number, hint: string, lastIter = k - 1): string {
    if (e.value === -Infinity) hint = '; f looks unbounded below';
    return (
      `diverged at iteration ${k}: ${e.what} became ${e.value}; x is the last finite iterate ` +
      `(iteration ${lastIter}, f = ${fmt(fLast)})${hint}`
    );
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(1);
}

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/**
 * What one iteration of a method did: moved x, and wrote f(x) and ∇f(x) into g (`f`, plus the
 * accepted step and damping for the history; NaN where the method has none), or found no acceptable
 * step and left x, f, g alone (`failed`: the tail of the message, '' for none). One object per run,
 * which every method's step writes in full: one shape whatever method ran before in the process.
 */
class Outcome {
  f = NaN;
  step = NaN;
  damping = NaN;
  failed: string | null = null;
  /** An accepted step: f, and the step length and damping (NaN: none). */
  moved(f: number, step: number, damping: number): this {
    this.f = f;
    this.step = step;
    this.damping = damping;
    this.failed = null;
    return this;
  }
  /** No acceptable step; `extra` ends the message. */
  fail(extra: string): this {
    this.failed = extra;
    return this;
  }
}

/**
 * The one loop of the iterative methods (first-order, gd-linesearch, newton): the start point, then
 * per iteration the abort check, the method's step, divergence handling (the last finite iterate is
 * kept), the history, and the stopping tests.
 */
function iterate(
  run: Run, x: Float64Array,
  step: (k: number, x: Float64Array, f: number, g: Float64Array, out: Outcome) => Outcome,
  divergedHint: () => string = () => '',
  g: Float64Array = new Float64Array(run.n),
): MinimizeResult {
  const { obj, o, n } = run;
  let f = obj.start(x, g);
  run.record(0, x, f, g);
  if (normInf(g) <= o.tol) return run.finish(x, f, g, 0, 'gradient', run.message('gradient', 0, f, g));
  const xPrev = new Float64Array(n), gPrev = new Float64Array(n), outcome = new Outcome();
  for (let k = 1; k <= o.maxIter; k++) {
    if (run.aborted()) return run.finish(x, f, g, k - 1, 'aborted', run.message('aborted', k - 1, f, g));
    xPrev.set(x);
    gPrev.set(g);
    const fPrev = f;
    let out: Outcome;
    try {
      out = step(k, x, f, g, outcome);
    } catch (e) {
      if (!(e instanceof NonFiniteStop)) throw e;
      run.history.push({ iter: k, f: e.what === 'f' ? e.value : NaN, gradNorm: NaN, nFev: obj.nFev });
      return run.finish(xPrev, fPrev, gPrev, k - 1, 'diverged', run.divergedMessage(k, e, fPrev, divergedHint()));
    }
    if (out.failed !== null) return run.finish(x, f, g, k - 1, 'line-search-failed', run.message('line-search-failed', k, f, g, out.failed));
    f = out.f;
    const stop = run.stopAfter(k, x, f, g, fPrev, run.record(k, x, f, g, out));
    if (stop) return stop;
  }
  return run.finish(x, f, g, o.maxIter, 'max-iter', run.message('max-iter', o.maxIter, f, g));
}

/** Fixed-lr first-order methods: the method's optimizer takes each step (see first-order.ts). */
function runFirstOrder(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const { obj } = run;
  // built (and its options checked by the optimizer class) before f is first evaluated
  const stepper: FirstOrderStepper = createFirstOrder(run.o.method as FirstOrderMethod, run.n, options, options.useKernels ?? 'auto');
  try {
    stepper.x.set(x); // the iterate lives in the optimizer's parameter (no copies per step on the float64 path)
    return iterate(
      run, stepper.x,
      (_k, x, _f, g, out) => {
        stepper.step(x, g);
        if (!allFinite(x)) throw new NonFiniteStop('x', NaN);
        return out.moved(obj.valueAndGradient(x, g), NaN, NaN);
      },
      () => `; lr = ${stepper.lr} is probably too large for this f`,
      stepper.g,
    );
  } finally {
    stepper.dispose();
  }
}

/** Steepest descent with a line search. */
function runLineSearchGd(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const { obj, n } = run;
  const wolfe = options.lineSearch === 'strong-wolfe';
  const c1 = options.c1 ?? 1e-4, c2 = options.c2 ?? 0.9, shrink = options.shrink ?? 0.5;
  const maxLs = options.maxLineSearch ?? (wolfe ? 25 : 50);
  const d = new Float64Array(n), xt = new Float64Array(n);
  let tPrev = options.lr ?? 1, gtdPrev = 0;
  return iterate(run, x, (k, x, f, g, out) => {
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const gtd = -dot(g, g);
    const t0 = k === 1 ? tPrev : (tPrev * gtdPrev) / gtd;
    let t: number, fNew: number;
    if (wolfe) {
      const ls = strongWolfe(
        (tt) => {
          for (let i = 0; i < n; i++) xt[i] = x[i] + tt * d[i];
          const gg = new Float64Array(n);
          return { f: obj.valueAndGradient(xt, gg), g: gg };
        },
        d, t0, f, g, gtd, c1, c2, 1e-9, maxLs,
      );
      if (!(ls.t > 0) || !(ls.f < f)) return out.fail('');
      t = ls.t;
      for (let i = 0; i < n; i++) x[i] += t * d[i];
      fNew = ls.f;
      g.set(ls.g);
    } else {
      const ls = backtrackingArmijo((tt) => trialValue(obj, x, d, tt, xt), f, gtd, t0, c1, shrink, maxLs);
      if (!ls.ok) return out.fail('');
      t = ls.t;
      for (let i = 0; i < n; i++) x[i] += t * d[i];
      fNew = ls.f;
      obj.gradient(x, g);
    }
    tPrev = t;
    gtdPrev = gtd;
    return out.moved(fNew, t, NaN);
  });
}

/** f(x + t·d) for a backtracking search: a non-finite trial is NaN, which the Armijo test rejects. */
function trialValue(obj: Objective, x: Float64Array, d: Float64Array, t: number, xt: Float64Array): number {
  for (let i = 0; i < x.length; i++) xt[i] = x[i] + t * d[i];
  const v = obj.rawValue(xt);
  return Number.isFinite(v) ? v : NaN;
}

/** Damped Newton with Armijo backtracking. */
function runNewton(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const stepper = new NewtonStep(run.obj, run.n, options);
  return iterate(run, x, (_k, x, f, g, out) => stepper.step(x, f, g, out));
}

/** Newton's iteration, its work arrays allocated once per run. */
class NewtonStep {
  private readonly h: Float64Array;
  private readonly l: Float64Array;
  private readonly p: Float64Array;
  private readonly xt: Float64Array;
  private readonly c1: number;
  private readonly shrink: number;
  private readonly maxLs: number;
  private x: Float64Array;
  /** f(x + t·p), the line search's function (one closure per run, not per iteration). */
  private readonly phi: (t: number) => number;

  constructor(private readonly obj: Objective, private readonly n: number, options: MinimizeOptions) {
    this.c1 = options.c1 ?? 1e-4;
    this.shrink = options.shrink ?? 0.5;
    this.maxLs = options.maxLineSearch ?? 50;
    this.h = new Float64Array(n * n);
    this.l = new Float64Array(n * n);
    this.p = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.x = this.p;
    this.phi = (t) => trialValue(this.obj, this.x, this.p, t, this.xt);
  }

  step(x: Float64Array, f: number, g: Float64Array, out: Outcome): Outcome {
    const { obj, n, h, p } = this;
    obj.hessian(x, h, f);
    const damping = newtonDirection(h, g, n, p, this.l).damping;
    this.x = x;
    const ls = backtrackingArmijo(this.phi, f, dot(g, p), 1, this.c1, this.shrink, this.maxLs);
    if (!ls.ok) return out.fail(`; Newton damping τ = ${fmt(damping)}`);
    for (let i = 0; i < n; i++) x[i] += ls.t * p[i];
    obj.gradient(x, g);
    return out.moved(ls.f, ls.t, damping);
  }
}

/** torch's L-BFGS, one step() call of maxIter iterations. */
function runLbfgs(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const { obj, o, n } = run;
  const g0 = new Float64Array(n);
  const f0 = obj.start(x, g0);
  run.record(0, x, f0, g0);
  const toleranceGrad = options.toleranceGrad ?? options.tol ?? 1e-7;
  const toleranceChange = options.toleranceChange ?? 1e-9;
  const maxEval = options.maxEval ?? Math.floor((o.maxIter * 5) / 4);
  const lb = new Lbfgs(x, {
    lr: options.lr ?? 1,
    maxIter: o.maxIter,
    maxEval,
    toleranceGrad,
    toleranceChange,
    historySize: options.historySize ?? 100,
    lineSearchFn: options.lineSearch === 'none' ? null : 'strong-wolfe',
  });
  if (o.maxIter === 0 || run.aborted()) {
    const st: MinimizeStatus = normInf(g0) <= toleranceGrad ? 'gradient' : o.maxIter === 0 ? 'max-iter' : 'aborted';
    return run.finish(x, f0, g0, 0, st, lbfgsMessage(run, st, 0, f0, g0, toleranceGrad, toleranceChange, maxEval));
  }
  // the last iterate with finite f (for a diverged run)
  const xGood = Float64Array.from(x), gGood = Float64Array.from(g0);
  let fGood = f0, iterGood = 0;
  let first = true;
  const closure = (xx: Float64Array, gg: Float64Array): number => {
    if (first) {
      first = false; // torch evaluates x0 first: reuse the checked start evaluation
      gg.set(g0);
      return f0;
    }
    return obj.valueAndGradient(xx, gg);
  };
  let userStop: MinimizeStatus | null = null;
  let prevF = f0;
  const hook = (k: number, xx: Float64Array, loss: number, grad: Float64Array, fresh: boolean): boolean => {
    if (fresh) {
      xGood.set(xx);
      gGood.set(grad);
      fGood = loss;
      iterGood = k;
      run.record(k, xx, loss, grad);
      if (run.fChangeSmall(prevF, loss)) { userStop = 'f-change'; return false; }
      prevF = loss;
    }
    if (run.callbackStops(k, xx, loss)) { userStop = 'callback'; return false; }
    if (run.aborted()) { userStop = 'aborted'; return false; }
    return true;
  };
  let reason: LbfgsStopReason;
  try {
    const res = lb.step(closure, hook);
    reason = res.reason;
    if (!res.fresh) {
      // torch moved x on its last fixed step without evaluating there: evaluate for the result
      const g = new Float64Array(n);
      const f = obj.valueAndGradient(x, g);
      xGood.set(x); gGood.set(g); fGood = f; iterGood = lb.nIter;
      run.record(lb.nIter, x, f, g);
    }
  } catch (e) {
    if (!(e instanceof NonFiniteStop)) throw e;
    run.history.push({ iter: lb.nIter, f: e.what === 'f' ? e.value : NaN, gradNorm: NaN, nFev: obj.nFev });
    const hint = options.lineSearch === 'none' ? `; lr = ${options.lr ?? 1} may be too large without a line search` : '';
    return run.finish(xGood, fGood, gGood, iterGood, 'diverged', run.divergedMessage(lb.nIter, e, fGood, hint, iterGood));
  }
  const status: MinimizeStatus = userStop ?? lbfgsStatus(reason);
  return run.finish(xGood, fGood, gGood, lb.nIter, status, lbfgsMessage(run, status, lb.nIter, fGood, gGood, toleranceGrad, toleranceChange, maxEval, reason));
}

function lbfgsStatus(r: LbfgsStopReason): MinimizeStatus {
  switch (r) {
    case 'optimal-start':
    case 'optimal':
      return 'gradient';
    case 'gtd':
      return 'direction';
    case 'x-change':
      return 'x-change';
    case 'f-change':
      return 'f-change';
    case 'max-iter':
      return 'max-iter';
    case 'max-eval':
      return 'max-eval';
    case 'stopped':
      return 'callback';
  }
}

function lbfgsMessage(
  run: Run, status: MinimizeStatus, k: number, f: number, g: Float64Array,
  toleranceGrad: number, toleranceChange: number, maxEval: number, reason?: LbfgsStopReason,
): string {
  switch (status) {
    case 'gradient':
      return `converged: max|g| = ${fmt(normInf(g))} ≤ toleranceGrad = ${fmt(toleranceGrad)} after ${k} iterations`;
    case 'f-change':
      return run.message('f-change', k, f, g, reason === 'f-change' ? `|Δf| < toleranceChange = ${fmt(toleranceChange)}` : '');
    case 'x-change':
      return run.message('x-change', k, f, g, `step max|t·dᵢ| ≤ toleranceChange = ${fmt(toleranceChange)}`);
    case 'direction':
      return run.message('direction', k, f, g, `directional derivative gᵀd > −toleranceChange (toleranceChange = ${fmt(toleranceChange)})`);
    case 'max-eval':
      return run.message('max-eval', k, f, g, `reached maxEval = ${maxEval} closure calls after ${k} iterations`);
    default:
      return run.message(status, k, f, g);
  }
}

/** The random baselines. */
function runRandom(run: Run, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const { obj, o, n } = run;
  const local = o.method === 'random-local-search';
  const g = new Float64Array(n);
  let fBest = obj.start(x, g, options.grad !== undefined);
  const best = Float64Array.from(x);
  const x0 = Float64Array.from(x);
  run.record(0, best, fBest, null);
  const rng = new Prng(options.seed ?? 0);
  const box = options.bounds ? checkBounds(options.bounds, n) : null;
  const scale = options.stepScale ?? (local ? 0.1 : 1);
  const cand = new Float64Array(n);
  let status: MinimizeStatus = 'max-iter';
  let k = 0;
  while (k < o.maxIter) {
    if (run.aborted()) { status = 'aborted'; break; }
    k++;
    if (local) proposeGaussian(rng, best, scale, cand, box?.lo, box?.hi);
    else if (box) proposeUniform(rng, box.lo, box.hi, cand);
    else proposeGaussian(rng, x0, scale, cand);
    const fc = obj.rawValue(cand);
    // a non-finite sample is outside f's domain, not a divergence of the method: it is just not kept
    if (Number.isFinite(fc) && fc < fBest) {
      fBest = fc;
      best.set(cand);
    }
    run.record(k, best, fBest, null);
    if (run.callbackStops(k, best, fBest)) { status = 'callback'; break; }
  }
  try {
    obj.gradient(best, g);
  } catch (e) {
    if (!(e instanceof NonFiniteStop)) throw e;
    g.fill(NaN); // f is not finite next to the best sample; the result says so through grad
  }
  const what = local ? 'random local search' : 'random search';
  const message =
    status === 'max-iter'
      ? `not converged: ${what} has no convergence test; best of ${k} samples kept (f = ${fmt(fBest)}, max|g| = ${fmt(normInf(g))})`
      : run.message(status, k, fBest, g);
  return run.finish(best, fBest, g, k, status, message);
}
