/**
 * What the optimizer references share. Each reference takes the kernel's arguments (byte pointers
 * into `h`) plus an optional rounding function: Math.fround (the default) reproduces the Wasm float32
 * arithmetic bit for bit, rounding after every operation exactly where the kernel rounds; the
 * identity over a Float64Array heap gives the same rule in float64 (used by the float64 conformance
 * cases, see src/optim/engine.ts).
 */
import { MAXIMIZE } from '../../wasm/constants.gen.js';

/** A heap as the references read it: `f32` is the element array that byte pointers >>> 2 index. */
export interface OptimHeap {
  readonly f32: Float32Array | Float64Array;
}

/** Rounds one operation's result to the element type (Math.fround for f32, identity for f64). */
export type Round = (x: number) => number;

export const fround: Round = Math.fround;

/** The gradient an update uses: −g under MAXIMIZE (`neg`), plus wd·x under L2, rounded as the kernels round it. */
export function grad(g: number, x: number, neg: boolean, l2: boolean, wd: number, fr: Round): number {
  const d = neg ? -g : g;
  return l2 ? fr(d + fr(wd * x)) : d;
}

/** A moving average of d² as the kernels round it: v·b + (c·d)·d. */
export function ema2(v: number, b: number, d: number, c: number, fr: Round): number {
  return fr(fr(v * b) + fr(fr(c * d) * d));
}

/** The Adam family's moment constants, each rounded once (see {@link moments}). */
export interface Moments {
  readonly neg: boolean;
  readonly l2: boolean;
  readonly wd: number;
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
}

/** {@link Moments} from a kernel's arguments: `l2` is its L2 flag, MAXIMIZE gives `neg`. */
export function momentsOf(flags: number, l2: boolean, beta1: number, omBeta1: number, beta2: number, omBeta2: number, weightDecay: number, fr: Round): Moments {
  return { neg: (flags & MAXIMIZE) !== 0, l2, wd: fr(weightDecay), b1: fr(beta1), c1: fr(omBeta1), b2: fr(beta2), c2: fr(omBeta2) };
}

/**
 * The Adam family's shared step at element i (Adam, NAdam, RAdam): d = {@link grad}, then
 * m ← m·β1 + d·(1 − β1) and v ← v·β2 + ((1 − β2)·d)·d written back; returns d. x is the parameter
 * (only L2 reads it; decoupled decay and L2 are never on together, so x may be the decayed one).
 */
export function moments(M: Float32Array | Float64Array, i: number, x: number, gi: number, mi: number, vi: number, k: Moments, fr: Round): number {
  const d = grad(M[gi + i], x, k.neg, k.l2, k.wd, fr);
  M[mi + i] = fr(fr(M[mi + i] * k.b1) + fr(d * k.c1));
  M[vi + i] = ema2(M[vi + i], k.b2, d, k.c2, fr);
  return d;
}
