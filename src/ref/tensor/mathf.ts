/**
 * The transcendental functions of the tensor kernels. F32 is the plain-JS twin of
 * assembly/kernels/tensor/mathf.ts: Cephes expf (full range) and logf, log1p by Goldberg's
 * correction, erfc by Numerical Recipes' erfcc (fractional error < 1.2e-7), each rounded with
 * Math.fround at exactly the kernel's steps, so all backends return the same bits. F64 uses exact
 * float64 functions (Math.exp, Math.log, Math.log1p, and an erfc good to ~1e-14), so float64
 * gradchecks against finite differences are not disturbed by a float32 polynomial's steps.
 */
import { sigmoid1, tanh1 } from '../activations.js';
import { C1, C2, EXP_LO, expN, expP, horner4 } from '../mathf.js';
import type { Arith } from './common.js';

const fr = Math.fround;

/** ln(FLT_MAX): above it exp overflows to +inf. */
export const EXP_MAX = fr(88.72283935546875);
/** exp(x) in float32 over the whole range: the scaling by 2^n is split in two exact halves. */
export function expf(x: number): number {
  if (x !== x) return x;
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_LO) return 0;
  const n = expN(x), n1 = n >> 1;
  return fr(fr(expP(x, n) * 2 ** n1) * 2 ** (n - n1));
}

const SQRTHF = fr(0.707106781186547524);
const L0 = fr(7.0376836292e-2);
const L1 = fr(-1.1514610310e-1);
const L2 = fr(1.1676998740e-1);
const L3 = fr(-1.2420140846e-1);
const L4 = fr(1.4249322787e-1);
const L5 = fr(-1.6668057665e-1);
const L6 = fr(2.0000714765e-1);
const L7 = fr(-2.4999993993e-1);
const L8 = fr(3.3333331174e-1);
const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);

/** log(x) in float32 (Cephes logf): x = m·2^e with m in [√½, √2), a degree-8 polynomial in m − 1. */
export function logf(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN; // negative or NaN
  if (x === Infinity) return x;
  bitsF[0] = x;
  let bits = bitsI[0];
  let e = 0;
  if (bits < 0x00800000) {
    // subnormal: scale into the normal range (exact)
    bitsF[0] = fr(x * 33554432);
    bits = bitsI[0];
    e = -25;
  }
  e += (bits >> 23) - 126;
  bitsI[0] = (bits & 0x007fffff) | 0x3f000000;
  let m = bitsF[0];
  if (m < SQRTHF) {
    e -= 1;
    m = fr(fr(m + m) - 1);
  } else {
    m = fr(m - 1);
  }
  const z = fr(m * m);
  let y = horner4(horner4(L0, m, L1, L2, L3, L4), m, L5, L6, L7, L8);
  y = fr(fr(y * m) * z);
  const fe = e;
  y = fr(y + fr(C2 * fe));
  y = fr(y + fr(-0.5 * z));
  let r = fr(m + y);
  r = fr(r + fr(C1 * fe));
  return r;
}

/** log(1 + u) for u >= 0 in float32: log(w)·u/(w − 1) with w = 1 + u (Goldberg), u when w rounds to 1. */
export function log1pf(u: number): number {
  const w = fr(1 + u);
  if (w === 1) return u;
  return fr(fr(logf(w) * u) / fr(w - 1));
}

const E0 = fr(-1.26551223), E1 = fr(1.00002368), E2 = fr(0.37409196), E3 = fr(0.09678418), E4 = fr(-0.18628806);
const E5 = fr(0.27886807), E6 = fr(-1.13520398), E7 = fr(1.48851587), E8 = fr(-0.82215223), E9 = fr(0.17087277);

/** erfc(x) in float32 (Numerical Recipes' erfcc; fractional error < 1.2e-7 before rounding). */
export function erfcf(x: number): number {
  const z = Math.abs(x);
  const t = fr(1 / fr(1 + fr(0.5 * z)));
  const p = fr(fr(horner4(horner4(E9, t, E8, E7, E6, E5), t, E4, E3, E2, E1) * t) + E0);
  const ans = fr(t * expf(fr(p - fr(z * z))));
  return x >= 0 ? ans : fr(2 - ans);
}

/** erfc in float64: a Taylor series of erf below 2.5, a continued fraction above (~1e-14 relative). */
export function erfc64(x: number): number {
  if (x !== x) return x;
  if (x < 0) return 2 - erfc64(-x);
  if (x < 2.5) {
    // erf(x) = 2/√π Σ (-1)^k x^(2k+1) / (k! (2k+1))
    let term = x, sum = x;
    const x2 = x * x;
    for (let k = 1; k < 200; k++) {
      term *= -x2 / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let t = x;
  for (let k = 160; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * t);
}

export const F32: Arith = {
  name: 'float32',
  fr,
  exp: expf,
  log: logf,
  log1p: log1pf,
  erfc: erfcf,
  tanh: tanh1,
  sigmoid: sigmoid1,
};

export const F64: Arith = {
  name: 'float64',
  fr: (x) => x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  erfc: erfc64,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
};

/** The arithmetic of a rounding function: Math.fround gives F32, anything else (the identity) F64. */
export function arith(fr: (x: number) => number): Arith {
  return fr === Math.fround ? F32 : F64;
}
