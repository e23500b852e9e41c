/**
 * What the loss kernels compute, checked on the js backend (the references): loss and gradient
 * against float64 formulas, with and without sample weights, and the value-only and
 * gradient-over-input calls giving the same loss. That every backend agrees with these references
 * (gradients bit for bit, values to 1e-12) is test/kernels/parity.test.ts (from the manifest).
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/init.js';
import { sameBits, seeded, useBackend } from '../helpers/backends.js';

type Targets = 'values' | 'binary' | 'soft' | 'labels';
interface Spec {
  name: string;
  kernel: string;
  targets: Targets;
  param?: number;
  /** float64 loss and gradient of one row (x, targets of the row or [label]). */
  ref: (x: number[], t: number[], param: number) => { loss: number; grad: number[] };
}

const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const each = (f: (x: number, t: number, p: number) => [number, number]) => (x: number[], t: number[], p: number) => {
  let loss = 0;
  const grad = x.map((v, i) => { const [l, g] = f(v, t[i], p); loss += l; return g; });
  return { loss, grad };
};

const SPECS: Spec[] = [
  { name: 'mse', kernel: 'f32_mse_loss', targets: 'values', ref: each((p, t) => [(p - t) ** 2, 2 * (p - t)]) },
  { name: 'mae', kernel: 'f32_mae_loss', targets: 'values', ref: each((p, t) => [Math.abs(p - t), Math.sign(p - t)]) },
  {
    name: 'huber', kernel: 'f32_huber_loss', targets: 'values', param: 0.75,
    ref: each((p, t, d) => { const e = p - t; return Math.abs(e) <= d ? [0.5 * e * e, e] : [d * (Math.abs(e) - 0.5 * d), d * Math.sign(e)]; }),
  },
  {
    name: 'bce_logits', kernel: 'f32_bce_logits_loss', targets: 'soft',
    ref: each((z, t) => [Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))), sig(z) - t]),
  },
  {
    name: 'hinge', kernel: 'f32_hinge_loss', targets: 'binary',
    ref: each((s, t) => { const y = t > 0 ? 1 : -1; const m = 1 - y * s; return m > 0 ? [m, -y] : [0, 0]; }),
  },
  {
    name: 'squared_hinge', kernel: 'f32_squared_hinge_loss', targets: 'binary',
    ref: each((s, t) => { const y = t > 0 ? 1 : -1; const m = 1 - y * s; return m > 0 ? [m * m, -2 * y * m] : [0, 0]; }),
  },
  {
    name: 'softmax_xent', kernel: 'f32_softmax_xent_loss', targets: 'labels',
    ref: (z, [y]) => {
      const m = Math.max(...z);
      const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
      return { loss: m - z[y] + Math.log(s), grad: z.map((v, j) => Math.exp(v - m) / s - (j === y ? 1 : 0)) };
    },
  },
  {
    name: 'multiclass_hinge', kernel: 'f32_multiclass_hinge_loss', targets: 'labels', param: 1,
    ref: (s, [y], d) => {
      let loss = 0, count = 0;
      const grad = s.map((v, j) => { if (j === y) return 0; const m = v - s[y] + d; if (m > 0) { loss += m; count++; return 1; } return 0; });
      grad[y] = -count;
      return { loss, grad };
    },
  },
];

const SHAPES: Array<[number, number]> = [[0, 3], [1, 1], [5, 1], [4, 3], [7, 10], [33, 5]];

function makeData(spec: Spec, rows: number, cols: number, seed: number) {
  const x = seeded(rows * cols, seed, 3);
  // extreme logits where the loss must stay finite
  if (rows * cols > 8 && (spec.name === 'bce_logits' || spec.name === 'softmax_xent')) { x[0] = 1000; x[1] = -1000; x[5] = 800; x[7] = -600; }
  const nT = spec.targets === 'labels' ? rows : rows * cols;
  const t = new Float32Array(nT);
  const u = seeded(nT, seed + 1);
  for (let i = 0; i < nT; i++) {
    if (spec.targets === 'labels') t[i] = Math.floor(Math.abs(u[i]) * cols) % cols;
    else if (spec.targets === 'binary') t[i] = u[i] > 0 ? 1 : 0;
    else if (spec.targets === 'soft') t[i] = Math.fround(Math.abs(u[i]) % 1);
    else t[i] = u[i] * 2;
  }
  const w = seeded(rows, seed + 2).map((v) => Math.fround(Math.abs(v) + 0.1));
  // keep elementwise inputs away from kinks (|p − t| = δ, p = t, margin = 0)
  return { x, t, w };
}

function run(spec: Spec, rows: number, cols: number, d: ReturnType<typeof makeData>, opts: { weights: boolean; grad: 'separate' | 'none' | 'alias'; scale: number }) {
  const { k, arena, memory } = getBackend();
  const n = rows * cols;
  const px = arena.alloc(n * 4), pt = arena.alloc(d.t.length * 4), pw = arena.alloc(rows * 4), pg = arena.alloc(n * 4);
  try {
    new Float32Array(memory.buffer, px, n).set(d.x);
    if (spec.targets === 'labels') new Int32Array(memory.buffer, pt, d.t.length).set(d.t);
    else new Float32Array(memory.buffer, pt, d.t.length).set(d.t);
    new Float32Array(memory.buffer, pw, rows).set(d.w);
    new Float32Array(memory.buffer, pg, n).fill(NaN);
    const g = opts.grad === 'none' ? 0 : opts.grad === 'alias' ? px : pg;
    const args = [g, px, pt, opts.weights ? pw : 0, rows, cols, opts.scale];
    if (spec.param !== undefined) args.push(spec.param);
    const loss = (k as any)[spec.kernel](...args) as number;
    const grad = new Float32Array(getBackend().memory.buffer, opts.grad === 'alias' ? px : pg, n).slice();
    return { loss, grad };
  } finally {
    arena.free(px); arena.free(pt); arena.free(pw); arena.free(pg);
  }
}

describe.each(SPECS)('$name kernel', (spec) => {
  it.each(SHAPES)('at %i×%i: loss and gradient within tolerance of float64', async (rows, cols) => {
    const d = makeData(spec, rows, cols, rows * 31 + cols);
    for (const weights of [false, true]) {
      const scale = 1 / Math.max(1, rows);
      // float64 reference
      let refLoss = 0;
      const refGrad = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const x = Array.from(d.x.subarray(i * cols, (i + 1) * cols));
        const t = spec.targets === 'labels' ? [d.t[i]] : Array.from(d.t.subarray(i * cols, (i + 1) * cols));
        const r = spec.ref(x, t, spec.param ?? 0);
        const w = weights ? d.w[i] : 1;
        refLoss += w * r.loss;
        r.grad.forEach((g, j) => (refGrad[i * cols + j] = Math.fround(scale) * w * g));
      }
      refLoss *= Math.fround(scale);
      await useBackend('js');
      const r = run(spec, rows, cols, d, { weights, grad: 'separate', scale });
      // value only, and gradient written over the input: same loss, same gradient
      const noGrad = run(spec, rows, cols, d, { weights, grad: 'none', scale });
      expect(noGrad.loss).toBe(r.loss);
      const alias = run(spec, rows, cols, d, { weights, grad: 'alias', scale });
      expect(alias.loss).toBe(r.loss);
      expect(sameBits(alias.grad, r.grad)).toBe(true);
      expect(Math.abs(r.loss - refLoss)).toBeLessThanOrEqual(1e-6 * (Math.abs(refLoss) + 1e-3));
      for (let i = 0; i < rows * cols; i++) {
        const tol = (Math.abs(refGrad[i]) + Math.fround(scale) * (weights ? d.w[(i / cols) | 0] : 1)) * 2e-6;
        if (!(Math.abs(r.grad[i] - refGrad[i]) <= tol)) throw new Error(`${spec.name} grad[${i}] = ${r.grad[i]}, float64 ${refGrad[i]} (weights ${weights})`);
      }
    }
  });
});

// The SIMD build runs softmax cross-entropy with a gradient four rows at a time (whole-vector exps
// over each block, partial vectors for each row's last cols mod 4 logits) and the rest row by row:
// every block/tail split, at the softmax model's shape (32×10) among them, must give the js
// reference's gradient bits and its loss to 1e-12, writing nothing past the gradient.
describe('softmax_xent kernel: four-row blocks and row tails agree bit for bit across backends', () => {
  const GUARD = 4, SENT = -12.5;
  function runOn(rows: number, cols: number, seed: number, weights: boolean, alias: boolean) {
    const { k, arena, memory } = getBackend();
    const n = rows * cols;
    const x = seeded(n, seed, 3);
    if (n > 12) { x[0] = 1000; x[1] = -1000; x[cols + 1] = -Infinity; x[2 * cols] = 88; x[n - 1] = -90; }
    const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7 + seed) % cols);
    const w = seeded(rows, seed + 1).map((v) => Math.fround(Math.abs(v) + 0.1));
    const px = arena.alloc((n + 2 * GUARD) * 4), pl = arena.alloc(rows * 4), pw = arena.alloc(rows * 4), pg = arena.alloc((n + 2 * GUARD) * 4);
    try {
      const xs = new Float32Array(memory.buffer, px, n + 2 * GUARD).fill(SENT);
      xs.set(x, GUARD);
      new Float32Array(memory.buffer, pg, n + 2 * GUARD).fill(SENT);
      new Int32Array(memory.buffer, pl, rows).set(labels);
      new Float32Array(memory.buffer, pw, rows).set(w);
      const g = alias ? px : pg;
      const loss = k.f32_softmax_xent_loss(g + GUARD * 4, px + GUARD * 4, pl, weights ? pw : 0, rows, cols, 1 / rows) as number;
      return { loss, out: new Float32Array(getBackend().memory.buffer, g, n + 2 * GUARD).slice() };
    } finally {
      arena.free(px); arena.free(pl); arena.free(pw); arena.free(pg);
    }
  }
  it.each([4, 5, 6, 7, 8, 9, 31, 32, 33])('%i rows, cols 1-13, 16, 17, 64', async (rows) => {
    for (const cols of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 64]) {
      for (const weights of [false, true]) {
        for (const alias of [false, true]) {
          const seed = rows * 100 + cols;
          await useBackend('js');
          const ref = runOn(rows, cols, seed, weights, alias);
          for (let i = 0; i < GUARD; i++) {
            expect(ref.out[i]).toBe(SENT);
            expect(ref.out[ref.out.length - 1 - i]).toBe(SENT);
          }
          for (const b of ['wasm-simd', 'wasm-scalar'] as const) {
            await useBackend(b);
            const got = runOn(rows, cols, seed, weights, alias);
            const what = `${b} ${rows}×${cols} weights ${weights} alias ${alias}`;
            if (!sameBits(got.out, ref.out)) {
              const i = got.out.findIndex((v, j) => !Object.is(v, ref.out[j]));
              throw new Error(`${what}: element ${i - GUARD} is ${got.out[i]}, the reference ${ref.out[i]}`);
            }
            if (Number.isFinite(ref.loss)) expect(Math.abs(got.loss - ref.loss), what).toBeLessThanOrEqual(1e-12 * Math.abs(ref.loss));
            else expect(got.loss, what).toBe(ref.loss); // +Infinity where a label's logit is -Infinity
          }
        }
      }
    }
  });
});
