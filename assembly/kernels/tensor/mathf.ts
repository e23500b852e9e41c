// Transcendental functions of the tensor kernels, one lane and four lanes with the same steps, so
// both builds and src/ref/tensor/mathf.ts return the same bits: exp over the whole f32 range (the
// scaling by 2^n split in two exact halves), Cephes logf, log1p by Goldberg's correction, and
// Numerical Recipes' erfcc (fractional error < 1.2e-7). Not exported from the module.
import { C2, C1, EXP_LO, expN, expN4, expP, expP4, horner4 } from "../mathf";

/** ln(FLT_MAX): above it exp overflows to +inf. */
// @ts-ignore: decorator
@inline const EXP_MAX: f32 = 88.72283935546875;

// @ts-ignore: decorator
@inline function pow2(k: i32): f32 {
  return reinterpret<f32>((k + 127) << 23);
}

/** exp(x) for any f32 x (0 below -87.34, +inf above 88.72). */
// @ts-ignore: decorator
@inline export function expFull(x: f32): f32 {
  if (x != x) return x;
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_LO) return 0;
  const n = expN(x);
  const ni = <i32>n, n1 = ni >> 1;
  return expP(x, n) * pow2(n1) * pow2(ni - n1);
}

/** expFull on four lanes, lane by lane the same bits. */
// @ts-ignore: decorator
@inline export function expFull4(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(EXP_LO));
  const huge = f32x4.gt(x, f32x4.splat(EXP_MAX));
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(EXP_MAX)), f32x4.splat(EXP_LO));
  const n = expN4(xc);
  const p = expP4(xc, n);
  const ni = i32x4.trunc_sat_f32x4_s(n), n1 = i32x4.shr_s(ni, 1), n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  const v = f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(n1, bias), 23)), i32x4.shl(i32x4.add(n2, bias), 23));
  return v128.bitselect(f32x4.splat(Infinity), v128.andnot(v, tiny), huge);
}

// @ts-ignore: decorator
@inline const SQRTHF: f32 = 0.707106781186547524;
// @ts-ignore: decorator
@inline const L0: f32 = 7.0376836292e-2;
// @ts-ignore: decorator
@inline const L1: f32 = -1.1514610310e-1;
// @ts-ignore: decorator
@inline const L2: f32 = 1.1676998740e-1;
// @ts-ignore: decorator
@inline const L3: f32 = -1.2420140846e-1;
// @ts-ignore: decorator
@inline const L4: f32 = 1.4249322787e-1;
// @ts-ignore: decorator
@inline const L5: f32 = -1.6668057665e-1;
// @ts-ignore: decorator
@inline const L6: f32 = 2.0000714765e-1;
// @ts-ignore: decorator
@inline const L7: f32 = -2.4999993993e-1;
// @ts-ignore: decorator
@inline const L8: f32 = 3.3333331174e-1;

/** log(x) (Cephes logf): x = m·2^e, m in [√½, √2), a degree-8 polynomial in m − 1. */
// @ts-ignore: decorator
@inline export function logF(x: f32): f32 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let bits = reinterpret<i32>(x);
  let e: i32 = 0;
  if (bits < 0x00800000) {
    bits = reinterpret<i32>(x * <f32>33554432);
    e = -25;
  }
  e += (bits >> 23) - 126;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000);
  if (m < SQRTHF) {
    e -= 1;
    m = (m + m) - <f32>1;
  } else {
    m = m - <f32>1;
  }
  const z = m * m;
  let y = horner4<f32>(horner4<f32>(L0, m, L1, L2, L3, L4), m, L5, L6, L7, L8);
  y = y * m * z;
  const fe = <f32>e;
  y = y + C2 * fe;
  y = y + <f32>-0.5 * z;
  let r = m + y;
  r = r + C1 * fe;
  return r;
}

/** logF on four lanes. */
// @ts-ignore: decorator
@inline export function logF4(x: v128): v128 {
  const sub = i32x4.lt_s(x, i32x4.splat(0x00800000));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(33554432)), x, sub);
  let e = i32x4.add(i32x4.sub(i32x4.shr_s(xs, 23), i32x4.splat(126)), v128.and(sub, i32x4.splat(-25)));
  let m: v128 = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(SQRTHF));
  e = i32x4.add(e, small);
  m = v128.bitselect(f32x4.sub(f32x4.add(m, m), f32x4.splat(1)), f32x4.sub(m, f32x4.splat(1)), small);
  const z = f32x4.mul(m, m);
  let y = horner4<v128>(horner4<v128>(f32x4.splat(L0), m, L1, L2, L3, L4), m, L5, L6, L7, L8);
  y = f32x4.mul(f32x4.mul(y, m), z);
  const fe = f32x4.convert_i32x4_s(e);
  y = f32x4.add(y, f32x4.mul(f32x4.splat(C2), fe));
  y = f32x4.add(y, f32x4.mul(f32x4.splat(-0.5), z));
  let r = f32x4.add(m, y);
  r = f32x4.add(r, f32x4.mul(f32x4.splat(C1), fe));
  // x <= 0, NaN, +inf
  r = v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.gt(x, f32x4.splat(0))));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  return v128.bitselect(x, r, f32x4.eq(x, f32x4.splat(Infinity)));
}

/** log(1 + u), u >= 0: log(w)·u/(w − 1) with w = 1 + u, or u when w rounds to 1. */
// @ts-ignore: decorator
@inline export function log1pF(u: f32): f32 {
  const w = <f32>1 + u;
  if (w == 1) return u;
  return (logF(w) * u) / (w - <f32>1);
}

// @ts-ignore: decorator
@inline export function log1pF4(u: v128): v128 {
  const w = f32x4.add(f32x4.splat(1), u);
  const r = f32x4.div(f32x4.mul(logF4(w), u), f32x4.sub(w, f32x4.splat(1)));
  return v128.bitselect(u, r, f32x4.eq(w, f32x4.splat(1)));
}

// @ts-ignore: decorator
@inline const E0: f32 = -1.26551223;
// @ts-ignore: decorator
@inline const E1: f32 = 1.00002368;
// @ts-ignore: decorator
@inline const E2: f32 = 0.37409196;
// @ts-ignore: decorator
@inline const E3: f32 = 0.09678418;
// @ts-ignore: decorator
@inline const E4: f32 = -0.18628806;
// @ts-ignore: decorator
@inline const E5: f32 = 0.27886807;
// @ts-ignore: decorator
@inline const E6: f32 = -1.13520398;
// @ts-ignore: decorator
@inline const E7: f32 = 1.48851587;
// @ts-ignore: decorator
@inline const E8: f32 = -0.82215223;
// @ts-ignore: decorator
@inline const E9: f32 = 0.17087277;

/** erfc(x) (Numerical Recipes' erfcc). */
// @ts-ignore: decorator
@inline export function erfcF(x: f32): f32 {
  const z = Mathf.abs(x);
  const t = <f32>1 / (<f32>1 + <f32>0.5 * z);
  const p = horner4<f32>(horner4<f32>(E9, t, E8, E7, E6, E5), t, E4, E3, E2, E1) * t + E0;
  const ans = t * expFull(p - z * z);
  return x >= 0 ? ans : <f32>2 - ans;
}

// @ts-ignore: decorator
@inline export function erfcF4(x: v128): v128 {
  const z = f32x4.abs(x);
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(0.5), z)));
  const p = f32x4.add(f32x4.mul(horner4<v128>(horner4<v128>(f32x4.splat(E9), t, E8, E7, E6, E5), t, E4, E3, E2, E1), t), f32x4.splat(E0));
  const ans = f32x4.mul(t, expFull4(f32x4.sub(p, f32x4.mul(z, z))));
  return v128.bitselect(ans, f32x4.sub(f32x4.splat(2), ans), f32x4.ge(x, f32x4.splat(0)));
}
