/**
 * Plain-JS references for assembly/kernels/blas1.ts, same arguments (byte pointers into `h`).
 * Every f32 operation is rounded with Math.fround exactly where the Wasm build rounds, and the
 * reductions keep the kernels' 16 partial sums in the same order, so results are bit-identical to
 * both Wasm builds.
 */
import type { Heap } from './heap.js';

const fr = Math.fround;

export function f32_fill(h: Heap, out: number, value: number, n: number): void {
  const o = out >>> 2;
  h.f32.fill(fr(value), o, o + n);
}

export function f32_copy(h: Heap, out: number, x: number, n: number): void {
  if (n > 0) h.f32.copyWithin(out >>> 2, x >>> 2, (x >>> 2) + n);
}

export function f32_scale(h: Heap, out: number, a: number, x: number, n: number): void {
  const m = h.f32, o = out >>> 2, xi = x >>> 2;
  a = fr(a);
  for (let i = 0; i < n; i++) m[o + i] = a * m[xi + i];
}

export function f32_axpy(h: Heap, out: number, a: number, x: number, y: number, n: number): void {
  const m = h.f32, o = out >>> 2, xi = x >>> 2, yi = y >>> 2;
  a = fr(a);
  for (let i = 0; i < n; i++) m[o + i] = fr(a * m[xi + i]) + m[yi + i];
}

export function f32_dot(h: Heap, x: number, y: number, n: number): number {
  return reduce16(h.f32, x >>> 2, y >>> 2, n, true);
}

export function f32_sum(h: Heap, x: number, n: number): number {
  return reduce16(h.f32, x >>> 2, 0, n, false);
}

export function f32_sumsq(h: Heap, x: number, n: number): number {
  return reduce16(h.f32, x >>> 2, x >>> 2, n, true);
}

const partial = new Float64Array(16);

/** The kernels' reduction order: 16 lanes, then 4, then ((a0+a1)+(a2+a3)) lane-wise, hsum, tail. */
function reduce16(m: Float32Array, xi: number, yi: number, n: number, mul: boolean): number {
  const s = partial;
  s.fill(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    for (let k = 0; k < 16; k++) s[k] = fr(s[k] + (mul ? fr(m[xi + i + k] * m[yi + i + k]) : m[xi + i + k]));
  }
  for (; i + 4 <= n; i += 4) {
    for (let k = 0; k < 4; k++) s[k] = fr(s[k] + (mul ? fr(m[xi + i + k] * m[yi + i + k]) : m[xi + i + k]));
  }
  const l0 = fr(fr(s[0] + s[4]) + fr(s[8] + s[12]));
  const l1 = fr(fr(s[1] + s[5]) + fr(s[9] + s[13]));
  const l2 = fr(fr(s[2] + s[6]) + fr(s[10] + s[14]));
  const l3 = fr(fr(s[3] + s[7]) + fr(s[11] + s[15]));
  let r = fr(fr(l0 + l1) + fr(l2 + l3));
  for (; i < n; i++) r = fr(r + (mul ? fr(m[xi + i] * m[yi + i]) : m[xi + i]));
  return r;
}
