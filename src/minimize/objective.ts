/**
 * The objective as `minimize` sees it: the user's f, optional grad and hess, evaluation counters,
 * finite-difference fallbacks, and the checks that turn a bad user function into a clear error at the
 * start point and into a "diverged" stop later on.
 */
import { fdGradient, fdHessianFromF, fdHessianFromGrad } from './finite-diff.js';
import { symmetrize } from './linalg.js';
import { describe } from '../util/describe.js';
import { Tensor } from '../tensor.js';

/** f(x) → number. `x` is a buffer owned by the caller of f: read it, do not keep or modify it. */
export type ObjectiveFn = (x: Float64Array) => number;
/**
 * ∇f(x): assigns every entry of `out` (length n; it is not zeroed beforehand), or returns an array
 * of length n.
 */
export type GradientFn = (x: Float64Array, out: Float64Array) => void | ArrayLike<number>;
/**
 * ∇²f(x): assigns every entry of `out` (n·n, row-major), or returns an n·n flat array or n rows of
 * length n.
 */
export type HessianFn = (x: Float64Array, out: Float64Array) => void | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Control flow inside a run, never seen by users: thrown when f, the gradient or an iterate stops
 * being finite, caught by `minimize`, which then stops with status 'diverged' and returns the last
 * finite iterate. (Divergence that reaches users as an error is fit()'s `DivergenceError`.)
 */
export class NonFiniteStop {
  // not an Error: nothing outside minimize sees it, and an Error's stack trace cost more than a
  // short run (a gd run that diverges after 5 iterations spent a third of its time capturing it)
  constructor(readonly what: string, readonly value: number) {}
}

export class Objective {
  /** f evaluations, including those made for finite differences. */
  nFev = 0;
  /** gradient evaluations (analytic calls, or finite-difference gradients). */
  nGev = 0;
  /** Hessian evaluations (analytic calls, or finite-difference Hessians). */
  nHev = 0;
  /** False while the start point is being checked: problems there are the caller's bug, not divergence. */
  private started = false;
  /** False until hess has returned a finite matrix once: a bad first Hessian is the caller's bug. */
  private hessChecked = false;
  private readonly fAt: ObjectiveFn;

  constructor(
    private readonly f: ObjectiveFn,
    readonly grad: GradientFn | undefined,
    readonly hess: HessianFn | undefined,
    readonly n: number,
  ) {
    this.fAt = (x) => this.rawValue(x);
  }

  /** f(x) as a number (counted); TypeError if f returns something else. */
  rawValue(x: Float64Array): number {
    this.nFev++;
    const v = this.f(x);
    if (typeof v !== 'number') {
      if ((v as unknown) instanceof Tensor) {
        throw new TypeError('f returned a tensor: for an objective written in ops, pass { autodiff: true } (minimize then gives f a tensor and takes exact derivatives), or return a plain number');
      }
      throw new TypeError(
        `f must return a number, got ${describe(v)}; return the objective value as a plain JS number (e.g. Number(loss))`,
      );
    }
    return v;
  }

  /** f(x); a non-finite value throws NonFiniteStop (RangeError while checking the start point). */
  value(x: Float64Array): number {
    const v = this.rawValue(x);
    if (!Number.isFinite(v)) {
      if (!this.started) {
        throw new RangeError(`f returned ${v} at x0 = [${preview(x)}]; x0 must be a point where f is finite`);
      }
      throw new NonFiniteStop('f', v);
    }
    return v;
  }

  /** The gradient at x into `out`, analytic or by central differences; non-finite → NonFiniteStop. */
  gradient(x: Float64Array, out: Float64Array): void {
    this.nGev++;
    if (this.grad) {
      this.callGrad(x, out);
    } else {
      fdGradient(this.fAt, x, out);
    }
    for (let i = 0; i < this.n; i++) {
      if (!Number.isFinite(out[i])) {
        if (!this.started) {
          if (this.grad) {
            throw new RangeError(
              `grad left out[${i}] = ${out[i]} at x0 (out has length ${this.n}); grad(x, out) must assign all ${this.n} entries ` +
                `of out (it is not zeroed) with finite numbers, or return an array of length ${this.n}`,
            );
          }
          throw new RangeError(
            `the finite-difference gradient at x0 has entry ${i} = ${out[i]} because f is not finite next to x0; ` +
              `start inside f's domain, away from its edge, or pass an analytic grad`,
          );
        }
        throw new NonFiniteStop(`gradient entry ${i}`, out[i]);
      }
    }
  }

  valueAndGradient(x: Float64Array, out: Float64Array): number {
    const v = this.value(x);
    this.gradient(x, out);
    return v;
  }

  /**
   * Checks and evaluates the start point: f(x0) must be a finite number and the gradient a finite
   * vector of length n. Errors here are TypeError/RangeError naming the culprit.
   */
  start(x0: Float64Array, gOut: Float64Array, withGradient = true): number {
    this.started = false;
    const v = this.value(x0);
    if (withGradient) this.gradient(x0, gOut);
    this.started = true;
    return v;
  }

  /** Marks the start as checked without evaluating (for callers that checked it themselves). */
  markStarted(): void {
    this.started = true;
  }

  /** The symmetrised Hessian at x into `out` (n·n row-major): hess, else differences of grad, else of f. */
  hessian(x: Float64Array, out: Float64Array, fx?: number): void {
    const n = this.n;
    this.nHev++;
    if (this.hess) {
      out.fill(NaN);
      const r = this.hess(x, out);
      if (r !== undefined && r !== null && (r as unknown) !== out) copyHessian(r, out, n);
    } else if (this.grad) {
      fdHessianFromGrad((xx, g) => this.gradient(xx, g), x, out);
    } else {
      fdHessianFromF(this.fAt, x, out, fx ?? this.rawValue(x));
    }
    for (let i = 0; i < n * n; i++) {
      if (!Number.isFinite(out[i])) {
        const where = `[${Math.floor(i / n)}][${i % n}]`;
        if (!this.started || (this.hess && !this.hessChecked)) {
          throw new RangeError(
            this.hess
              ? `hess left entry ${where} = ${out[i]} (out is ${n}×${n} row-major, length ${n * n}); hess(x, out) must assign every entry ` +
                `with a finite number, or return ${n} rows of length ${n}`
              : `the finite-difference Hessian has entry ${where} = ${out[i]} because f is not finite near x; pass hess or grad`,
          );
        }
        throw new NonFiniteStop(`Hessian entry ${where}`, out[i]);
      }
    }
    this.hessChecked = true;
    symmetrize(out, n);
  }

  private callGrad(x: Float64Array, out: Float64Array): void {
    out.fill(NaN);
    const r = (this.grad as GradientFn)(x, out);
    if (r === undefined || r === null || (r as unknown) === out) return;
    if (typeof r !== 'object' || typeof (r as ArrayLike<number>).length !== 'number') {
      throw new TypeError(
        `grad returned ${describe(r)}; grad(x, out) must write into out (length ${this.n}) and return nothing, or return an array of length ${this.n}`,
      );
    }
    const arr = r as ArrayLike<number>;
    if (arr.length !== this.n) {
      throw new RangeError(
        `grad returned an array of length ${arr.length}, but x has length ${this.n}; return one partial derivative per coordinate of x`,
      );
    }
    for (let i = 0; i < this.n; i++) out[i] = arr[i];
  }
}

function copyHessian(r: unknown, out: Float64Array, n: number): void {
  const a = r as ArrayLike<unknown>;
  if (typeof r !== 'object' || typeof a.length !== 'number') {
    throw new TypeError(`hess returned ${describe(r)}; hess(x, out) must write into out (n·n = ${n * n} entries) or return an n×n array`);
  }
  if (a.length === n * n && typeof a[0] === 'number') {
    for (let i = 0; i < n * n; i++) out[i] = a[i] as number;
    return;
  }
  if (a.length === n) {
    for (let i = 0; i < n; i++) {
      const row = a[i] as ArrayLike<number> | undefined;
      if (!row || typeof row !== 'object' || row.length !== n) {
        throw new RangeError(`hess returned row ${i} of length ${row && typeof row === 'object' ? row.length : 'none'}; every row must have length ${n}`);
      }
      for (let j = 0; j < n; j++) out[i * n + j] = row[j];
    }
    return;
  }
  throw new RangeError(`hess returned an array of length ${a.length}; return ${n * n} entries row-major or ${n} rows of length ${n}`);
}


/** The first few entries of x, for messages. */
export function preview(x: ArrayLike<number>, max = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(x.length, max); i++) parts.push(String(x[i]));
  if (x.length > max) parts.push(`… (${x.length} entries)`);
  return parts.join(', ');
}
