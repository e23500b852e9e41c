// exp for the activation and loss kernels, written out so that the SIMD build, the scalar build
// and src/ref/mathf.ts round at the same steps and return the same bits (AssemblyScript's Mathf.exp
// and JS Math.exp differ in the last bits). Cephes expf: x = n·ln2 + r with ln2 split in two,
// a degree-6 polynomial in r, then an exact scaling by 2^n. Relative error about 1 ulp.
// Domain: callers pass x <= 0 (softmax after the row max, sigmoid's exp(-|x|), tanh's
// exp(-2|x|)); x > 88.376 is clamped there; x < -87.337 gives 0; NaN gives NaN. Not exported.
import { lane } from "./lanes";

/**
 * Four Horner steps, ((((y·x + a)·x + b)·x + c)·x + d), each product and sum rounded as written
 * out (no fused multiply-add), on f32 or on four lanes; the polynomials of exp, log and erfc.
 */
// @ts-ignore: decorator
@inline export function horner4<T>(y: T, x: T, a: f32, b: f32, c: f32, d: f32): T {
  y = lane.add(lane.mul(y, x), lane.splat<T>(a));
  y = lane.add(lane.mul(y, x), lane.splat<T>(b));
  y = lane.add(lane.mul(y, x), lane.splat<T>(c));
  return lane.add(lane.mul(y, x), lane.splat<T>(d));
}

// @ts-ignore: decorator
@inline export const EXP_HI: f32 = 88.3762626647949;
// @ts-ignore: decorator
@inline export const EXP_LO: f32 = -87.33654475;
// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline export const C1: f32 = 0.693359375;
// @ts-ignore: decorator
@inline export const C2: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const P0: f32 = 1.9875691500e-4;
// @ts-ignore: decorator
@inline const P1: f32 = 1.3981999507e-3;
// @ts-ignore: decorator
@inline const P2: f32 = 8.3334519073e-3;
// @ts-ignore: decorator
@inline const P3: f32 = 4.1665795894e-2;
// @ts-ignore: decorator
@inline const P4: f32 = 1.6666665459e-1;
// @ts-ignore: decorator
@inline const P5: f32 = 5.0000001201e-1;

/** The reduced exponent of exp(x): n = round(x/ln 2) (shared by expf and the tensor kernels' full-range exp). */
// @ts-ignore: decorator
@inline export function expN(x: f32): f32 {
  return Mathf.floor(x * LOG2E + <f32>0.5);
}

/** exp(x − n·ln 2) by the degree-6 polynomial, ln 2 split in two (x in range, n = expN(x)). */
// @ts-ignore: decorator
@inline export function expP(x: f32, n: f32): f32 {
  let r = x - n * C1;
  r = r - n * C2;
  const z = r * r;
  let p = horner4<f32>(P0, r, P1, P2, P3, P4);
  p = p * r + P5;
  p = p * z + r;
  return p + <f32>1;
}

/** exp(x) in f32, the kernels' own (see the file's contract). */
// @ts-ignore: decorator
@inline export function expf(x: f32): f32 {
  if (x != x) return x;
  if (x < EXP_LO) return 0;
  x = min<f32>(x, EXP_HI);
  const n = expN(x);
  return expP(x, n) * reinterpret<f32>((<i32>n + 127) << 23);
}

/** expN on four lanes. */
// @ts-ignore: decorator
@inline export function expN4(x: v128): v128 {
  return f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
}

/** expP on four lanes. */
// @ts-ignore: decorator
@inline export function expP4(x: v128, n: v128): v128 {
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(C2)));
  const z = f32x4.mul(r, r);
  let p = horner4<v128>(f32x4.splat(P0), r, P1, P2, P3, P4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.mul(p, z), r);
  return f32x4.add(p, f32x4.splat(1));
}

/** expf on four lanes, bit-identical to the scalar expf lane by lane. */
// @ts-ignore: decorator
@inline export function expf4(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(EXP_LO));
  // pmin/pmax (one instruction each on x86; f32x4.min/max take several for NaN and ±0) give the
  // same lanes here: a NaN x stays NaN through both (pmin(a, b) is b < a ? b : a), and the bounds
  // are not zero
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const n = expN4(xc);
  const p = expP4(xc, n);
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, pow2n), tiny);
}
