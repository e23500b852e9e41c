/**
 * Plain-JS twin of assembly/kernels/mathf.ts: the kernels' own exp, rounded with Math.fround at
 * exactly the kernel's steps, so activations and loss gradients match the Wasm builds bit for bit.
 */
const fr = Math.fround;

export const EXP_HI = fr(88.3762626647949);
export const EXP_LO = fr(-87.33654475);
export const LOG2E = fr(1.44269504088896341);
export const C1 = fr(0.693359375);
export const C2 = fr(-2.12194440e-4);
export const P0 = fr(1.9875691500e-4);
export const P1 = fr(1.3981999507e-3);
export const P2 = fr(8.3334519073e-3);
export const P3 = fr(4.1665795894e-2);
export const P4 = fr(1.6666665459e-1);
export const P5 = fr(5.0000001201e-1);

/** exp(x) for f32 x (callers pass x <= 0; see the kernel file's contract). */
export function expf(x: number): number {
  if (x !== x) return x;
  if (x < EXP_LO) return 0;
  if (x > EXP_HI) x = EXP_HI;
  const n = Math.floor(fr(fr(x * LOG2E) + 0.5));
  let r = fr(x - fr(n * C1));
  r = fr(r - fr(n * C2));
  const z = fr(r * r);
  let p = fr(fr(P0 * r) + P1);
  p = fr(fr(p * r) + P2);
  p = fr(fr(p * r) + P3);
  p = fr(fr(p * r) + P4);
  p = fr(fr(p * r) + P5);
  p = fr(fr(p * z) + r);
  p = fr(p + 1);
  return fr(p * 2 ** n);
}
