/**
 * L-BFGS as torch.optim.LBFGS (PyTorch 1.13, torch/optim/lbfgs.py) runs it, in float64 on one flat
 * parameter vector: the same state carried across `step()` calls, the same two-loop recursion, the
 * same first-step scaling, the same stopping tests in the same order, and the same strong-Wolfe line
 * search, so that it makes the same closure calls as torch (../shared/conformance/lbfgs.json checks
 * this evaluation by evaluation).
 */
import { strongWolfe } from './line-search.js';

/** Options named as torch names them, in camelCase. */
export interface LbfgsOptions {
  /** Step scale (default 1). */
  lr?: number;
  /** Iterations per `step()` call (default 20). */
  maxIter?: number;
  /** Closure calls per `step()` call (default ⌊maxIter·5/4⌋). */
  maxEval?: number;
  /** Stop when max|gᵢ| ≤ toleranceGrad (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when a step, a change in f or the directional derivative is below this (default 1e-9). */
  toleranceChange?: number;
  /** Number of (s, y) pairs kept (default 100). */
  historySize?: number;
  /**
   * 'strong-wolfe' (the library's spelling, as minimize's `lineSearch`) or null (no line search, a
   * fixed step lr; the default). 'strong_wolfe', torch's spelling, is accepted too.
   */
  lineSearchFn?: 'strong-wolfe' | LegacyStrongWolfe | null;
}

/** @deprecated torch's spelling; use 'strong-wolfe'. */
export type LegacyStrongWolfe = 'strong_wolfe';

/** Evaluates f at `x` and writes ∇f(x) into `gOut`. */
export type LbfgsClosure = (x: Float64Array, gOut: Float64Array) => number;

/** Why a `step()` call returned. */
export type LbfgsStopReason =
  | 'optimal-start' // max|g| ≤ toleranceGrad at the first evaluation of the call
  | 'optimal' // max|g| ≤ toleranceGrad after an iteration
  | 'gtd' // directional derivative gᵀd > −toleranceChange
  | 'x-change' // max|t·dᵢ| ≤ toleranceChange
  | 'f-change' // |f − f_prev| < toleranceChange
  | 'max-iter'
  | 'max-eval'
  | 'stopped'; // the onIteration hook returned false

export interface LbfgsStepResult {
  /** f at the start of the call (torch's return value). */
  origLoss: number;
  reason: LbfgsStopReason;
  /** The latest f and gradient torch holds; they belong to `x` unless `fresh` is false. */
  loss: number;
  grad: Float64Array;
  /** False when the last iteration moved x without evaluating (fixed step at maxIter, as torch does). */
  fresh: boolean;
}

/**
 * Called after each iteration with the global iteration count, x, and torch's current loss and
 * gradient (which belong to x when `fresh`). Return false to stop the call.
 */
export type LbfgsHook = (nIter: number, x: Float64Array, loss: number, grad: Float64Array, fresh: boolean) => boolean | void;

/**
 * torch.optim.LBFGS over one float64 vector `x`, which the optimizer updates in place (as torch
 * updates its parameter).
 *
 * Per iteration: d = −H·g by the two-loop recursion over the last `historySize` pairs
 * (s = t·d, y = Δg, kept only when yᵀs > 1e-10; H₀ = yᵀs / yᵀy); the very first step is
 * t = min(1, 1/‖g‖₁)·lr, later ones t = lr; then either the strong-Wolfe search or a fixed step.
 *
 * @example
 * const { f, grad } = testFunctions.rosenbrock;
 * const x = Float64Array.of(-1.5, 2);
 * const opt = new Lbfgs(x, { lineSearchFn: 'strong-wolfe', historySize: 10 });
 * for (let k = 0; k < 10; k++) opt.step((xx, g) => { grad(xx, g); return f(xx); });
 * // x ≈ [0.99998, 0.99997] after 59 closure calls, as torch
 */
export class Lbfgs {
  readonly lr: number;
  readonly maxIter: number;
  readonly maxEval: number;
  readonly toleranceGrad: number;
  readonly toleranceChange: number;
  readonly historySize: number;
  /** 'strong-wolfe' or null ('strong_wolfe' given to the constructor reads 'strong-wolfe' here). */
  readonly lineSearchFn: 'strong-wolfe' | null;

  /** torch's state['func_evals'] and state['n_iter'], cumulative over calls. */
  funcEvals = 0;
  nIter = 0;

  private d: Float64Array | null = null;
  private t = 0;
  private oldDirs: Float64Array[] = [];
  private oldStps: Float64Array[] = [];
  private ro: number[] = [];
  private hDiag = 1;
  private prevFlatGrad: Float64Array | null = null;
  private al: number[] | null = null;

  constructor(readonly x: Float64Array, options: LbfgsOptions = {}) {
    this.lr = options.lr ?? 1;
    this.maxIter = options.maxIter ?? 20;
    this.maxEval = options.maxEval ?? Math.floor((this.maxIter * 5) / 4);
    this.toleranceGrad = options.toleranceGrad ?? 1e-7;
    this.toleranceChange = options.toleranceChange ?? 1e-9;
    this.historySize = options.historySize ?? 100;
    const ls = options.lineSearchFn ?? null;
    if (ls !== null && ls !== 'strong-wolfe' && ls !== 'strong_wolfe') {
      throw new RangeError(`Lbfgs: lineSearchFn must be 'strong-wolfe' or null, got ${JSON.stringify(ls)}. Pass 'strong-wolfe', or null for fixed steps of lr.`);
    }
    this.lineSearchFn = ls === null ? null : 'strong-wolfe';
  }

  /** One torch `opt.step(closure)`: up to maxIter iterations / maxEval closure calls. */
  step(closure: LbfgsClosure, onIteration?: LbfgsHook): LbfgsStepResult {
    const x = this.x;
    const n = x.length;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize } = this;

    let flatGrad: Float64Array = new Float64Array(n);
    const origLoss = closure(x, flatGrad);
    let loss = origLoss;
    let currentEvals = 1;
    this.funcEvals++;
    let fresh = true;

    let optCond = maxAbs(flatGrad) <= toleranceGrad;
    if (optCond) return { origLoss, reason: 'optimal-start', loss, grad: flatGrad, fresh };

    let d = this.d as Float64Array;
    let t = this.t;
    let prevFlatGrad = this.prevFlatGrad;
    let prevLoss: number;
    let reason: LbfgsStopReason = 'max-iter';

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      this.nIter++;

      // direction
      if (this.nIter === 1) {
        d = new Float64Array(n);
        for (let i = 0; i < n; i++) d[i] = -flatGrad[i];
        this.oldDirs = [];
        this.oldStps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        const y = new Float64Array(n);
        const s = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          y[i] = flatGrad[i] - (prevFlatGrad as Float64Array)[i];
          s[i] = d[i] * t;
        }
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (this.oldDirs.length === historySize) {
            this.oldDirs.shift();
            this.oldStps.shift();
            this.ro.shift();
          }
          this.oldDirs.push(y);
          this.oldStps.push(s);
          this.ro.push(1 / ys);
          this.hDiag = ys / dot(y, y);
        }
        const numOld = this.oldDirs.length;
        if (!this.al) this.al = new Array<number>(historySize).fill(0);
        const al = this.al;
        const q = new Float64Array(n);
        for (let i = 0; i < n; i++) q[i] = -flatGrad[i];
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = dot(this.oldStps[i], q) * this.ro[i];
          const a = al[i];
          const od = this.oldDirs[i];
          for (let j = 0; j < n; j++) q[j] += -a * od[j];
        }
        const r = q;
        for (let j = 0; j < n; j++) r[j] = q[j] * this.hDiag;
        for (let i = 0; i < numOld; i++) {
          const beI = dot(this.oldDirs[i], r) * this.ro[i];
          const c = al[i] - beI;
          const os = this.oldStps[i];
          for (let j = 0; j < n; j++) r[j] += c * os[j];
        }
        d = r;
      }

      if (prevFlatGrad === null) prevFlatGrad = Float64Array.from(flatGrad);
      else prevFlatGrad.set(flatGrad);
      prevLoss = loss;

      // step length
      if (this.nIter === 1) {
        const invSum = 1 / sumAbs(flatGrad);
        t = (invSum < 1 ? invSum : 1) * lr;
      } else {
        t = lr;
      }

      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) {
        reason = 'gtd';
        break;
      }

      let lsFuncEvals = 0;
      if (this.lineSearchFn === 'strong-wolfe') {
        const xInit = Float64Array.from(x);
        const dir = d;
        const obj = (tt: number) => {
          for (let i = 0; i < n; i++) x[i] += tt * dir[i];
          const g = new Float64Array(n);
          const f = closure(x, g);
          x.set(xInit);
          return { f, g };
        };
        const ls = strongWolfe(obj, d, t, loss, flatGrad, gtd);
        loss = ls.f;
        flatGrad = ls.g;
        t = ls.t;
        lsFuncEvals = ls.evals;
        for (let i = 0; i < n; i++) x[i] += t * d[i];
        optCond = maxAbs(flatGrad) <= toleranceGrad;
        fresh = true;
      } else {
        for (let i = 0; i < n; i++) x[i] += t * d[i];
        if (nIter !== maxIter) {
          flatGrad = new Float64Array(n);
          loss = closure(x, flatGrad);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lsFuncEvals = 1;
          fresh = true;
        } else {
          fresh = false;
        }
      }

      currentEvals += lsFuncEvals;
      this.funcEvals += lsFuncEvals;

      if (onIteration && onIteration(this.nIter, x, loss, flatGrad, fresh) === false) {
        reason = 'stopped';
        break;
      }

      // stopping tests, in torch's order
      if (nIter === maxIter) { reason = 'max-iter'; break; }
      if (currentEvals >= maxEval) { reason = 'max-eval'; break; }
      if (optCond) { reason = 'optimal'; break; }
      let stepMax = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.abs(d[i] * t);
        if (v > stepMax) stepMax = v;
      }
      if (stepMax <= toleranceChange) { reason = 'x-change'; break; }
      if (Math.abs(loss - prevLoss) < toleranceChange) { reason = 'f-change'; break; }
    }

    this.d = d;
    this.t = t;
    this.prevFlatGrad = prevFlatGrad;
    return { origLoss, reason, loss, grad: flatGrad, fresh };
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (Number.isNaN(v)) return NaN; // as torch's max() does
    if (v > m) m = v;
  }
  return m;
}

function sumAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}
