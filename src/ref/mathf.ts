/**
 * Plain-JS twin of assembly/kernels/mathf.ts: the kernels' own exp, rounded with Math.fround at
 * exactly the kernel's steps, so activations and loss gradients match the Wasm builds bit for bit.
 */
const fr = Math.fround;

const EXP_HI = fr(88.3762626647949);
export const EXP_LO = fr(-87.33654475);
const LOG2E = fr(1.44269504088896341);
export const C1 = fr(0.693359375);
export const C2 = fr(-2.12194440e-4);
const P0 = fr(1.9875691500e-4);
const P1 = fr(1.3981999507e-3);
const P2 = fr(8.3334519073e-3);
const P3 = fr(4.1665795894e-2);
const P4 = fr(1.6666665459e-1);
const P5 = fr(5.0000001201e-1);

/** The reduced exponent n = round(x/ln 2) (shared with the tensor kernels' full-range exp). */
/** Four Horner steps ((((y·x + a)·x + b)·x + c)·x + d) in float32, rounded after each operation (no fused multiply-add). */
export function horner4(y: number, x: number, a: number, b: number, c: number, d: number): number {
  y = fr(fr(y * x) + a);
  y = fr(fr(y * x) + b);
  y = fr(fr(y * x) + c);
  return fr(fr(y * x) + d);
}

export function expN(x: number): number {
  return Math.floor(fr(fr(x * LOG2E) + 0.5));
}

/** exp(x − n·ln 2) by the degree-6 polynomial (n = expN(x)). */
export function expP(x: number, n: number): number {
  let r = fr(x - fr(n * C1));
  r = fr(r - fr(n * C2));
  const z = fr(r * r);
  let p = fr(fr(horner4(P0, r, P1, P2, P3, P4) * r) + P5);
  p = fr(fr(p * z) + r);
  return fr(p + 1);
}

/** exp(x) for f32 x (callers pass x <= 0; see the kernel file's contract). */
export function expf(x: number): number {
  if (x !== x) return x;
  if (x < EXP_LO) return 0;
  if (x > EXP_HI) x = EXP_HI;
  const n = expN(x);
  return fr(expP(x, n) * 2 ** n);
}
