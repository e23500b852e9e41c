/**
 * The gradient-free baselines of cs231n's "Optimization: Stochastic Gradient Descent" notes
 * (strategy #1 random search, strategy #2 random local search), seeded through the library's Prng.
 * They exist to show, next to the gradient methods, how much a gradient is worth.
 */
import type { Prng } from '../util/prng.js';

/** One [lo, hi] per coordinate. */
export type Bounds = readonly (readonly [number, number])[];

/**
 * Validates `bounds` for n coordinates: an array of n pairs [lo, hi] of finite numbers with lo < hi.
 * Returns them as two Float64Arrays.
 */
export function checkBounds(bounds: unknown, n: number): { lo: Float64Array; hi: Float64Array } {
  if (!Array.isArray(bounds) || bounds.length !== n) {
    throw new RangeError(
      `bounds must be an array of ${n} pairs [lo, hi], one per coordinate of x0, got ${Array.isArray(bounds) ? `${bounds.length} pairs` : typeof bounds}`,
    );
  }
  const lo = new Float64Array(n), hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = bounds[i] as unknown;
    if (!Array.isArray(b) || b.length !== 2 || !Number.isFinite(b[0]) || !Number.isFinite(b[1]) || !(b[0] < b[1])) {
      throw new RangeError(`bounds[${i}] must be [lo, hi] with finite lo < hi, got ${JSON.stringify(b)}`);
    }
    lo[i] = b[0];
    hi[i] = b[1];
  }
  return { lo, hi };
}

/** out = a uniform draw from the box [lo, hi]. */
export function proposeUniform(rng: Prng, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = lo[i] + (hi[i] - lo[i]) * rng.nextFloat();
}

/** out = center + scale·N(0, I), clipped to [lo, hi] when bounds are given. */
export function proposeGaussian(
  rng: Prng,
  center: Float64Array,
  scale: number,
  out: Float64Array,
  lo?: Float64Array,
  hi?: Float64Array,
): void {
  for (let i = 0; i < out.length; i++) {
    let v = center[i] + scale * rng.nextNormal();
    if (lo && hi) v = Math.min(hi[i], Math.max(lo[i], v));
    out[i] = v;
  }
}
