/**
 * What the tensor references share. Each reference takes its kernel's arguments (byte pointers into
 * `h`) plus the arithmetic `m` (see ./mathf.ts): F32 rounds every operation with Math.fround where the
 * Wasm kernel rounds and uses the kernels' own exp/log/erfc polynomials, so element-wise results are
 * bit-identical to both Wasm builds; F64 is the same rule in float64 with exact functions, over a
 * Float64Array heap whose pointers index elements with `ptr >>> 2` (the gradcheck path).
 */

/** Rounds one operation's result to the element type (Math.fround, or the identity for float64). */
export type Round = (x: number) => number;

/** A heap as the references read it: `f32` holds the floats and `i32` the indices, both indexed by `ptr >>> 2`. */
export interface TensorHeap {
  readonly f32: Float32Array | Float64Array;
  readonly i32: Int32Array;
}

/** The arithmetic a reference runs in: rounding and the transcendental functions. */
export interface Arith {
  readonly name: 'float32' | 'float64';
  /** Rounds one operation's result to the element type (Math.fround or the identity). */
  readonly fr: (x: number) => number;
  exp(x: number): number;
  log(x: number): number;
  /** log(1 + u). */
  log1p(u: number): number;
  /** The complementary error function. */
  erfc(x: number): number;
  tanh(x: number): number;
  sigmoid(x: number): number;
}

/** Σ_j term(j) for j < n with the kernels' four lane partials ((s0+s1)+(s2+s3), then the tail in order). */
export function sum4(fr: (x: number) => number, n: number, term: (j: number) => number): number {
  const n4 = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < n4; j += 4) {
    s0 = fr(s0 + term(j));
    s1 = fr(s1 + term(j + 1));
    s2 = fr(s2 + term(j + 2));
    s3 = fr(s3 + term(j + 3));
  }
  let s = fr(fr(s0 + s1) + fr(s2 + s3));
  for (let j = n4; j < n; j++) s = fr(s + term(j));
  return s;
}
