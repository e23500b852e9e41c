/**
 * Plain-JS references for assembly/kernels/activations.ts, same arguments (byte pointers into
 * `h`). Rounded with Math.fround at the kernels' steps, exp from ./mathf.ts, softmax sums with the
 * kernels' four lane partials: bit-identical to both Wasm builds.
 */
import { ACT_LEAKY_RELU, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../wasm/constants.gen.js';
import type { Heap } from './heap.js';
import { expf } from './mathf.js';
import { sum4 } from './tensor/common.js';

const fr = Math.fround;

const T0 = fr(-5.70498872745e-3);
const T1 = fr(2.06390887954e-2);
const T2 = fr(-5.37397155531e-2);
const T3 = fr(1.33314422036e-1);
const T4 = fr(-3.33332819422e-1);

export function sigmoid1(x: number): number {
  const e = expf(-Math.abs(x));
  const d = fr(1 + e);
  return x >= 0 ? fr(1 / d) : fr(e / d);
}

export function tanh1(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.625) {
    const z = fr(x * x);
    let p = fr(fr(T0 * z) + T1);
    p = fr(fr(p * z) + T2);
    p = fr(fr(p * z) + T3);
    p = fr(fr(p * z) + T4);
    return fr(fr(fr(p * z) * x) + x);
  }
  const t = expf(-2 * ax);
  const y = fr(fr(1 - t) / fr(1 + t));
  return x < 0 ? -y : y;
}

export function act1(x: number, act: number, s: number): number {
  switch (act) {
    case ACT_RELU: return Math.max(x, 0);
    case ACT_LEAKY_RELU: return x > 0 ? x : fr(s * x);
    case ACT_TANH: return tanh1(x);
    case ACT_SIGMOID: return sigmoid1(x);
    default: return x;
  }
}

export function grad1(dy: number, y: number, act: number, s: number): number {
  switch (act) {
    case ACT_RELU: return y > 0 ? dy : 0;
    case ACT_LEAKY_RELU: return y > 0 ? dy : fr(s * dy);
    case ACT_TANH: return fr(dy * fr(1 - fr(y * y)));
    case ACT_SIGMOID: return fr(dy * fr(y * fr(1 - y)));
    default: return dy;
  }
}

function actForward(h: Heap, out: number, x: number, n: number, act: number, s: number): void {
  const m = h.f32, o = out >>> 2, xi = x >>> 2;
  s = fr(s);
  for (let i = 0; i < n; i++) m[o + i] = act1(m[xi + i], act, s);
}

function actBackward(h: Heap, dx: number, dy: number, y: number, n: number, act: number, s: number): void {
  const m = h.f32, o = dx >>> 2, di = dy >>> 2, yi = y >>> 2;
  s = fr(s);
  for (let i = 0; i < n; i++) m[o + i] = grad1(m[di + i], m[yi + i], act, s);
}

export const f32_relu = (h: Heap, out: number, x: number, n: number) => actForward(h, out, x, n, ACT_RELU, 0);
export const f32_relu_backward = (h: Heap, dx: number, dy: number, y: number, n: number) => actBackward(h, dx, dy, y, n, ACT_RELU, 0);
export const f32_leaky_relu = (h: Heap, out: number, x: number, n: number, slope: number) => actForward(h, out, x, n, ACT_LEAKY_RELU, slope);
export const f32_leaky_relu_backward = (h: Heap, dx: number, dy: number, y: number, n: number, slope: number) =>
  actBackward(h, dx, dy, y, n, ACT_LEAKY_RELU, slope);
export const f32_tanh = (h: Heap, out: number, x: number, n: number) => actForward(h, out, x, n, ACT_TANH, 0);
export const f32_tanh_backward = (h: Heap, dx: number, dy: number, y: number, n: number) => actBackward(h, dx, dy, y, n, ACT_TANH, 0);
export const f32_sigmoid = (h: Heap, out: number, x: number, n: number) => actForward(h, out, x, n, ACT_SIGMOID, 0);
export const f32_sigmoid_backward = (h: Heap, dx: number, dy: number, y: number, n: number) => actBackward(h, dx, dy, y, n, ACT_SIGMOID, 0);
export const f32_act_backward = actBackward;

export function f32_bias_act_rows(h: Heap, out: number, x: number, bias: number, rows: number, cols: number, act: number, slope: number): void {
  if (bias === 0) return actForward(h, out, x, rows * cols, act, slope);
  const m = h.f32, o = out >>> 2, xi = x >>> 2, bi = bias >>> 2;
  slope = fr(slope);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) m[o + base + j] = act1(fr(m[xi + base + j] + m[bi + j]), act, slope);
  }
}

export function f32_col_sum(h: Heap, out: number, x: number, rows: number, cols: number): void {
  const m = h.f32, o = out >>> 2, xi = x >>> 2;
  m.fill(0, o, o + cols);
  for (let r = 0; r < rows; r++) {
    const base = xi + r * cols;
    for (let j = 0; j < cols; j++) m[o + j] = fr(m[o + j] + m[base + j]);
  }
}

/** Σ over a row with the kernels' four lane partials, then the tail in order. */
const rowSum4 = (cols: number, term: (j: number) => number): number => sum4(fr, cols, term);

export function f32_softmax_rows(h: Heap, out: number, x: number, rows: number, cols: number): void {
  const m = h.f32;
  for (let r = 0; r < rows; r++) {
    const xr = (x >>> 2) + r * cols, or = (out >>> 2) + r * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) mx = Math.max(mx, m[xr + j]);
    const s = rowSum4(cols, (j) => (m[or + j] = expf(fr(m[xr + j] - mx))));
    for (let j = 0; j < cols; j++) m[or + j] = fr(m[or + j] / s);
  }
}

export function f32_softmax_rows_backward(h: Heap, dx: number, dy: number, y: number, rows: number, cols: number): void {
  const m = h.f32;
  for (let r = 0; r < rows; r++) {
    const dyr = (dy >>> 2) + r * cols, yr = (y >>> 2) + r * cols, dxr = (dx >>> 2) + r * cols;
    const d = rowSum4(cols, (j) => fr(m[dyr + j] * m[yr + j]));
    for (let j = 0; j < cols; j++) m[dxr + j] = fr(m[yr + j] * fr(m[dyr + j] - d));
  }
}
