/**
 * Plain-JS references for assembly/kernels/losses.ts, same arguments (byte pointers into `h`;
 * `weight` and `grad` may be 0). Gradients round at the kernels' steps (bit-identical); loss
 * values accumulate in float64 as the kernels do, with JS's Math.log/log1p/exp (a few ulps of
 * float64 from AssemblyScript's).
 */
import type { Heap } from './heap.js';
import { expf } from './mathf.js';

const fr = Math.fround;

type Elem = (p: number, t: number, sw: number, param: number) => [loss: number, grad: number];

/**
 * A loss's row r (the kernels' op.row): returns its loss and, when grad != 0, writes its gradient
 * scaled by sw. `target` holds f32 targets or i32 labels; k is the loss's parameter (rounded to
 * f32); `f` is the element rule of an element-wise loss. Module-level functions, not closures: a
 * closure around the element loop runs it 1.4-2.5x slower in V8.
 */
type Row = (m: Float32Array, lab: Int32Array, grad: number, x: number, target: number, r: number, cols: number, sw: number, k: number, f: Elem) => number;

/** The row loop every loss runs (the kernels' lossRows): rows summed weighted by w_r, then scaled. */
function lossRows(h: Heap, grad: number, x: number, target: number, weight: number, rows: number, cols: number, scale: number, k: number, row: Row, f: Elem = noElem): number {
  const m = h.f32, lab = h.i32, wi = weight >>> 2;
  scale = fr(scale);
  k = fr(k);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const w = weight === 0 ? 1 : m[wi + r];
    const sw = weight === 0 ? scale : fr(scale * w);
    total += w * row(m, lab, grad, x, target, r, cols, sw, k, f);
  }
  return scale * total;
}

const noElem: Elem = () => [0, 0];

/** The row of an element-wise loss: f gives each element's term and gradient from its x and t. */
function eachRow(m: Float32Array, _lab: Int32Array, grad: number, x: number, target: number, r: number, cols: number, sw: number, k: number, f: Elem): number {
  const xi = (x >>> 2) + r * cols, ti = (target >>> 2) + r * cols, gi = (grad >>> 2) + r * cols;
  let row = 0;
  for (let c = 0; c < cols; c++) {
    const [l, g] = f(m[xi + c], m[ti + c], sw, k);
    row += l;
    if (grad !== 0) m[gi + c] = g;
  }
  return row;
}

function elementwise(h: Heap, grad: number, x: number, target: number, weight: number, rows: number, cols: number, scale: number, param: number, f: Elem): number {
  return lossRows(h, grad, x, target, weight, rows, cols, scale, param, eachRow, f);
}

export function f32_mse_loss(h: Heap, grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number): number {
  return elementwise(h, grad, pred, target, weight, rows, cols, scale, 0, mse);
}
const mse: Elem = (p, t, sw) => {
  const d = fr(p - t);
  return [(p - t) * (p - t), fr(fr(d + d) * sw)];
};

export function f32_mae_loss(h: Heap, grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number): number {
  return elementwise(h, grad, pred, target, weight, rows, cols, scale, 0, mae);
}
const mae: Elem = (p, t, sw) => {
  const d = fr(p - t);
  return [Math.abs(p - t), d > 0 ? sw : d < 0 ? -sw : 0];
};

export function f32_huber_loss(h: Heap, grad: number, pred: number, target: number, weight: number, rows: number, cols: number, scale: number, delta: number): number {
  return elementwise(h, grad, pred, target, weight, rows, cols, scale, delta, huber);
}
const huber: Elem = (p, t, sw, dl) => {
  const d64 = p - t, a64 = Math.abs(d64);
  const d = fr(p - t);
  const g = d > dl ? dl : d < -dl ? -dl : d;
  return [a64 <= dl ? 0.5 * d64 * d64 : dl * (a64 - 0.5 * dl), fr(g * sw)];
};

export function f32_bce_logits_loss(h: Heap, grad: number, logits: number, target: number, weight: number, rows: number, cols: number, scale: number): number {
  return elementwise(h, grad, logits, target, weight, rows, cols, scale, 0, bceLogits);
}
const bceLogits: Elem = (z, t, sw) => {
  const e = expf(-Math.abs(z));
  const d = fr(1 + e);
  const s = z >= 0 ? fr(1 / d) : fr(e / d);
  return [Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))), fr(fr(s - t) * sw)];
};

export function f32_hinge_loss(h: Heap, grad: number, scores: number, target: number, weight: number, rows: number, cols: number, scale: number): number {
  return elementwise(h, grad, scores, target, weight, rows, cols, scale, 0, hinge);
}
const hinge: Elem = (s, t, sw) => {
  const y = t > 0 ? 1 : -1;
  const m64 = 1 - y * s;
  return [m64 > 0 ? m64 : 0, m64 > 0 ? -y * sw : 0];
};

export function f32_squared_hinge_loss(h: Heap, grad: number, scores: number, target: number, weight: number, rows: number, cols: number, scale: number): number {
  return elementwise(h, grad, scores, target, weight, rows, cols, scale, 0, squaredHinge);
}
const squaredHinge: Elem = (s, t, sw) => {
  const y = t > 0 ? 1 : -1;
  const m64 = 1 - y * s;
  const m = fr(1 - y * s);
  return [m64 > 0 ? m64 * m64 : 0, m64 > 0 ? fr(fr(-2 * y * m) * sw) : 0];
};

export function f32_softmax_xent_loss(h: Heap, grad: number, logits: number, labels: number, weight: number, rows: number, cols: number, scale: number): number {
  return lossRows(h, grad, logits, labels, weight, rows, cols, scale, 0, softmaxXentRow);
}

function softmaxXentRow(m: Float32Array, lab: Int32Array, grad: number, logits: number, labels: number, r: number, cols: number, sw: number): number {
  const zr = (logits >>> 2) + r * cols, gr = (grad >>> 2) + r * cols;
  const y = lab[(labels >>> 2) + r];
  const zy = m[zr + y];
  let mx = -Infinity;
  for (let c = 0; c < cols; c++) mx = Math.max(mx, m[zr + c]);
  let s = 0;
  for (let c = 0; c < cols; c++) {
    const e = expf(fr(m[zr + c] - mx));
    s = fr(s + e);
    if (grad !== 0) m[gr + c] = e;
  }
  if (grad !== 0) {
    for (let c = 0; c < cols; c++) {
      const p = fr(m[gr + c] / s);
      m[gr + c] = fr((c === y ? fr(p - 1) : p) * sw);
    }
  }
  return (mx - zy) + Math.log(s);
}

export function f32_multiclass_hinge_loss(h: Heap, grad: number, scores: number, labels: number, weight: number, rows: number, cols: number, scale: number, delta: number): number {
  return lossRows(h, grad, scores, labels, weight, rows, cols, scale, delta, multiclassHingeRow);
}

function multiclassHingeRow(m: Float32Array, lab: Int32Array, grad: number, scores: number, labels: number, r: number, cols: number, sw: number, delta: number): number {
  const sr = (scores >>> 2) + r * cols, gr = (grad >>> 2) + r * cols;
  const y = lab[(labels >>> 2) + r];
  const sy = m[sr + y];
  let row = 0, count = 0;
  for (let c = 0; c < cols; c++) {
    if (c === y) continue;
    const mg = m[sr + c] - sy + delta;
    if (mg > 0) {
      row += mg;
      count++;
    }
    if (grad !== 0) m[gr + c] = mg > 0 ? sw : 0;
  }
  if (grad !== 0) m[gr + y] = fr(-count * sw);
  return row;
}
