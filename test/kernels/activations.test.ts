/**
 * What the activation kernels compute, checked on the js backend (the references): accuracy
 * against float64, the exact float32 formulas of the backward kernels, softmax rows summing to 1,
 * and the fused bias + activation equal to its two steps. That every backend returns the same bits
 * as these references, in place too, is test/kernels/parity.test.ts (from the manifest).
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/init.js';
import { SIZES, sameBits, seeded, useBackend } from '../helpers/backends.js';

/** Inputs with mixed magnitudes plus the special values every activation must handle. */
function inputs(n: number, seed: number): Float32Array {
  const x = seeded(n, seed, 4);
  const special = [0, -0, 1e-6, -1e-6, 0.6249, 0.625, -0.625, 9, -9, 20, -20, 88, -88, 100, -100, 1e30, -1e30];
  for (let i = 0; i < n; i++) if (i % 5 === 2) x[i] = special[((i / 5) | 0) % special.length];
  return x;
}

/** Allocates the arrays in the running backend's memory, runs `f(pointers)`, returns copies. */
function withBuffers(arrays: Float32Array[], f: (ptrs: number[]) => void): Float32Array[] {
  const { arena, memory } = getBackend();
  const ptrs = arrays.map((a) => {
    const p = arena.alloc(a.length * 4);
    new Float32Array(memory.buffer, p, a.length).set(a);
    return p;
  });
  try {
    f(ptrs);
    return ptrs.map((p, i) => new Float32Array(getBackend().memory.buffer, p, arrays[i].length).slice());
  } finally {
    ptrs.forEach((p) => arena.free(p));
  }
}

/** Runs `f` on the js backend (the references); keyed like the old per-backend results. */
async function onReference<T>(f: () => T): Promise<{ js: T }> {
  await useBackend('js');
  return { js: f() };
}

const within = (x: number, ref: number) => Math.abs(x - ref) <= (Math.abs(ref) + 1) * 1e-6;
const sigmoid64 = (x: number) => 1 / (1 + Math.exp(-x));
const SLOPE = 0.01;

const FORWARD: Array<[string, (x: number) => number, (k: any, o: number, x: number, n: number) => void]> = [
  ['relu', (x) => Math.max(x, 0), (k, o, x, n) => k.f32_relu(o, x, n)],
  ['leaky_relu', (x) => (x > 0 ? x : Math.fround(SLOPE) * x), (k, o, x, n) => k.f32_leaky_relu(o, x, n, SLOPE)],
  ['tanh', Math.tanh, (k, o, x, n) => k.f32_tanh(o, x, n)],
  ['sigmoid', sigmoid64, (k, o, x, n) => k.f32_sigmoid(o, x, n)],
];

describe.each(SIZES)('activations at n = %i', (n) => {
  const x0 = inputs(n, 3);

  it.each(FORWARD)('%s: within (|ref|+1)·1e-6 of float64, in place the same', async (name, ref64, run) => {
    const r = await onReference(() => {
      const [, out] = withBuffers([x0, new Float32Array(n)], ([x, o]) => run(getBackend().k, o, x, n));
      const [inPlace] = withBuffers([x0], ([x]) => run(getBackend().k, x, x, n));
      return [out, inPlace];
    });
    for (let i = 0; i < n; i++) {
      const ref = ref64(x0[i]);
      if (!within(r.js[0][i], ref)) throw new Error(`${name}(${x0[i]}) = ${r.js[0][i]}, float64 ${ref}`);
      // near 0, tanh and leaky relu keep relative accuracy
      if (Math.abs(x0[i]) < 1e-3 && ref !== 0 && name !== 'sigmoid') {
        expect(Math.abs(r.js[0][i] - ref) / Math.abs(ref)).toBeLessThan(1e-6);
      }
    }
    expect(sameBits(r.js[1], r.js[0])).toBe(true);
  });

  it('backward kernels: dy ⊙ act\'(y) exactly as float32 formulas, dx may alias dy', async () => {
    const dy0 = seeded(n, 9);
    const r = await onReference(() => {
      const k = getBackend().k;
      const y = new Float32Array(n);
      const outs: Float32Array[] = [];
      const cases: Array<[(x: number, o: number, n: number) => void, (dx: number, dy: number, yy: number, n: number) => void]> = [
        [(x, o, m) => k.f32_relu(o, x, m), (dx, dy, yy, m) => k.f32_relu_backward(dx, dy, yy, m)],
        [(x, o, m) => k.f32_leaky_relu(o, x, m, SLOPE), (dx, dy, yy, m) => k.f32_leaky_relu_backward(dx, dy, yy, m, SLOPE)],
        [(x, o, m) => k.f32_tanh(o, x, m), (dx, dy, yy, m) => k.f32_tanh_backward(dx, dy, yy, m)],
        [(x, o, m) => k.f32_sigmoid(o, x, m), (dx, dy, yy, m) => k.f32_sigmoid_backward(dx, dy, yy, m)],
      ];
      for (const [fwd, bwd] of cases) {
        const [, yy] = withBuffers([x0, y], ([x, o]) => fwd(x, o, n));
        const [, , dx] = withBuffers([dy0, yy, new Float32Array(n)], ([dy, yp, dx]) => bwd(dx, dy, yp, n));
        const [aliased] = withBuffers([dy0, yy], ([dy, yp]) => bwd(dy, dy, yp, n));
        expect(sameBits(aliased, dx)).toBe(true);
        outs.push(yy, dx);
      }
      return outs;
    });
    const fr = Math.fround;
    const [, dRelu, , dLeaky, yTanh, dTanh, ySig, dSig] = r.js;
    const yRelu = r.js[0], yLeaky = r.js[2];
    for (let i = 0; i < n; i++) {
      expect(dRelu[i]).toBe(yRelu[i] > 0 ? dy0[i] : 0);
      expect(dLeaky[i]).toBe(yLeaky[i] > 0 ? dy0[i] : fr(fr(SLOPE) * dy0[i]));
      expect(dTanh[i]).toBe(fr(dy0[i] * fr(1 - fr(yTanh[i] * yTanh[i]))));
      expect(dSig[i]).toBe(fr(dy0[i] * fr(ySig[i] * fr(1 - ySig[i]))));
    }
  });
});

const SHAPES: Array<[number, number]> = [[0, 5], [3, 0], [1, 1], [3, 4], [2, 7], [5, 17], [4, 33], [2, 1000]];

describe.each(SHAPES)('row kernels at %i×%i', (rows, cols) => {
  const n = rows * cols;
  const x0 = seeded(n, 21, 5);
  if (n > 5) { x0[0] = 1000; x0[1] = -1000; x0[2] = 999.5; x0[3] = -750; }

  it('softmax_rows matches float64 softmax within (p+1)·1e-6, rows sum to 1, in place the same', async () => {
    const r = await onReference(() => {
      const k = getBackend().k;
      const [, out] = withBuffers([x0, new Float32Array(n)], ([x, o]) => k.f32_softmax_rows(o, x, rows, cols));
      const [inPlace] = withBuffers([x0], ([x]) => k.f32_softmax_rows(x, x, rows, cols));
      expect(sameBits(inPlace, out)).toBe(true);
      return out;
    });
    for (let i = 0; i < rows; i++) {
      const row = Array.from(x0.subarray(i * cols, (i + 1) * cols));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const got = r.js[i * cols + j];
        if (!within(got, e[j] / s)) throw new Error(`softmax[${i},${j}] = ${got}, float64 ${e[j] / s}`);
        sum += got;
      }
      if (cols > 0) expect(Math.abs(sum - 1)).toBeLessThan(cols * 2 ** -23 + 1e-7);
    }
  });

  it('softmax_rows_backward equals y·(dy − Σ dy·y) within tolerance', async () => {
    const dy0 = seeded(n, 5);
    const r = await onReference(() => {
      const k = getBackend().k;
      const [, y] = withBuffers([x0, new Float32Array(n)], ([x, o]) => k.f32_softmax_rows(o, x, rows, cols));
      const [, , dx] = withBuffers([dy0, y, new Float32Array(n)], ([dy, yp, dx]) => k.f32_softmax_rows_backward(dx, dy, yp, rows, cols));
      return [y, dx];
    });
    const [y, dx] = r.js;
    for (let i = 0; i < rows; i++) {
      let d = 0, dAbs = 0;
      for (let j = 0; j < cols; j++) { d += dy0[i * cols + j] * y[i * cols + j]; dAbs += Math.abs(dy0[i * cols + j] * y[i * cols + j]); }
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const ref = y[k] * (dy0[k] - d);
        expect(Math.abs(dx[k] - ref)).toBeLessThanOrEqual(y[k] * (cols + 2) * 2 ** -23 * (dAbs + Math.abs(dy0[k])) + 1e-30);
      }
    }
  });

  it('bias_act_rows equals bias add then the activation kernel, for every activation code', async () => {
    const b0 = seeded(cols, 8);
    const r = await onReference(() => {
      const k = getBackend().k;
      const outs: Float32Array[] = [];
      for (let act = 0; act <= 4; act++) {
        const [, , fused] = withBuffers([x0, b0, new Float32Array(n)], ([x, b, o]) => k.f32_bias_act_rows(o, x, b, rows, cols, act, SLOPE));
        const [, noBias] = withBuffers([x0, new Float32Array(n)], ([x, o]) => k.f32_bias_act_rows(o, x, 0, rows, cols, act, SLOPE));
        outs.push(fused, noBias);
      }
      return outs;
    });
    const fr = Math.fround;
    const added = x0.map((v, i) => fr(v + b0[i % Math.max(cols, 1)]));
    const k = (await (async () => { await useBackend('js'); return getBackend().k; })());
    const expectAct = (src: Float32Array, act: number) => {
      const [, o] = withBuffers([src, new Float32Array(n)], ([x, oo]) => {
        if (act === 0) getBackend().k.f32_copy(oo, x, n);
        if (act === 1) k.f32_relu(oo, x, n);
        if (act === 2) k.f32_leaky_relu(oo, x, n, SLOPE);
        if (act === 3) k.f32_tanh(oo, x, n);
        if (act === 4) k.f32_sigmoid(oo, x, n);
      });
      return o;
    };
    for (let act = 0; act <= 4; act++) {
      expect(sameBits(r.js[2 * act], expectAct(added, act))).toBe(true);
      expect(sameBits(r.js[2 * act + 1], expectAct(x0, act))).toBe(true);
    }
  });

  it('col_sum sums rows in order: within rows·2⁻²³·Σ|x| of float64', async () => {
    const r = await onReference(() => {
      const [, out] = withBuffers([x0, new Float32Array(cols).fill(NaN)], ([x, o]) => getBackend().k.f32_col_sum(o, x, rows, cols));
      return out;
    });
    for (let j = 0; j < cols; j++) {
      let s = 0, a = 0;
      for (let i = 0; i < rows; i++) { s += x0[i * cols + j]; a += Math.abs(x0[i * cols + j]); }
      expect(Math.abs(r.js[j] - s)).toBeLessThanOrEqual((rows + 1) * 2 ** -23 * a);
    }
  });
});
