/**
 * The public model kernels over tensors (src/ops/nn.ts): each against a plain float64 computation on
 * every backend, the documented aliasing (in place gives the out-of-place bits), the losses against
 * the array-level loss functions (same kernel: same bits), and every refusal.
 */
import { describe, expect, it } from 'vitest';
import {
  addBias, init, bceWithLogitsLoss, colSum, gemm, huberLoss, leakyRelu, leakyReluBackward, maeLoss, memoryStats, mseLoss, multiclassHingeLoss,
  param, relu, reluBackward, sigmoid, sigmoidBackward, softmax, softmaxBackward, softmaxCrossEntropy, tanh, tanhBackward, tensor, tensorLoss,
  hingeLoss, squaredHingeLoss, type Tensor, type LossName,
} from '../../src/entry/node.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';

const within = (x: number, ref: number, tol = 1e-6) => Math.abs(x - ref) <= (Math.abs(ref) + 1) * tol;
const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-6) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(within(got[i], want[i], tol), `[${i}] ${got[i]} vs ${want[i]}`).toBe(true);
};

/** C = op(A)·op(B) in float64. */
function matmul64(a: Float32Array, b: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += (ta ? a[q * m + i] : a[i * k + q]) * (tb ? b[j * k + q] : b[q * n + j]);
    c[i * n + j] = s;
  }
  return c;
}

const ELEMENTWISE: Array<{ name: string; fwd: (o: Tensor, x: Tensor) => Tensor; bwd: (dx: Tensor, dy: Tensor, y: Tensor) => Tensor; f: (x: number) => number; df: (y: number) => number }> = [
  { name: 'relu', fwd: relu, bwd: reluBackward, f: (x) => Math.max(x, 0), df: (y) => (y > 0 ? 1 : 0) },
  { name: 'leakyRelu', fwd: (o, x) => leakyRelu(o, x, 0.1), bwd: (dx, dy, y) => leakyReluBackward(dx, dy, y, 0.1), f: (x) => (x > 0 ? x : 0.1 * x), df: (y) => (y > 0 ? 1 : 0.1) },
  { name: 'tanh', fwd: tanh, bwd: tanhBackward, f: Math.tanh, df: (y) => 1 - y * y },
  { name: 'sigmoid', fwd: sigmoid, bwd: sigmoidBackward, f: (x) => 1 / (1 + Math.exp(-x)), df: (y) => y * (1 - y) },
];

describe.each(BACKENDS)('model kernels over tensors on %s', (backend) => {
  it.each([[false, false], [true, false], [false, true], [true, true]])('gemm transA=%s transB=%s, with alpha and beta', async (ta, tb) => {
    await useBackend(backend);
    const m = 5, n = 7, k = 9;
    const av = seeded(m * k, 1), bv = seeded(k * n, 2), cv = seeded(m * n, 3);
    const a = tensor(av), b = tensor(bv), c = tensor(cv);
    expect(gemm(c, a, b, { m, n, k, transA: ta, transB: tb, alpha: 0.5, beta: 2 })).toBe(c);
    const ref = matmul64(av, bv, m, n, k, ta, tb).map((v, i) => 0.5 * v + 2 * cv[i]);
    expectClose(c.data, ref, 1e-5);
    [a, b, c].forEach((t) => t.dispose());
  });

  it.each(ELEMENTWISE.map((e) => [e.name, e]))('%s and its backward; in place gives the same bits', async (_n, e) => {
    await useBackend(backend);
    const xv = seeded(37, 4, 3), dyv = seeded(37, 5);
    const x = tensor(xv), y = tensor.zeros(37), dy = tensor(dyv), dx = tensor.zeros(37);
    e.fwd(y, x);
    expectClose(y.data, Array.from(xv, e.f));
    e.bwd(dx, dy, y);
    expectClose(dx.data, Array.from(y.data, (yy, i) => dyv[i] * e.df(yy)));
    const inPlace = tensor(xv);
    e.fwd(inPlace, inPlace);
    expect(sameBits(inPlace.data, y.data)).toBe(true);
    e.bwd(dy, dy, y); // dx may be dy
    expect(sameBits(dy.data, dx.data)).toBe(true);
    [x, y, dy, dx, inPlace].forEach((t) => t.dispose());
  });

  it('addBias, colSum, softmax and softmaxBackward', async () => {
    await useBackend(backend);
    const rows = 3, cols = 4;
    const xv = seeded(rows * cols, 6, 2), bv = seeded(cols, 7);
    const x = tensor(xv), bias = tensor(bv), out = tensor.zeros(rows * cols);
    addBias(out, x, bias, rows);
    expectClose(out.data, Array.from(xv, (v, i) => v + bv[i % cols]));
    const sums = tensor.zeros(cols);
    colSum(sums, x, rows);
    expectClose(sums.data, Array.from({ length: cols }, (_, j) => xv[j] + xv[cols + j] + xv[2 * cols + j]));
    const p = tensor.zeros(rows * cols);
    softmax(p, x, rows);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(xv.subarray(r * cols, (r + 1) * cols));
      const mx = Math.max(...row), z = row.reduce((s, v) => s + Math.exp(v - mx), 0);
      expectClose(p.data.subarray(r * cols, (r + 1) * cols), row.map((v) => Math.exp(v - mx) / z));
    }
    const dyv = seeded(rows * cols, 8), dy = tensor(dyv), dx = tensor.zeros(rows * cols);
    softmaxBackward(dx, dy, p, rows);
    const pv = p.toArray();
    const want = Array.from(pv, (y, i) => {
      const r = Math.floor(i / cols);
      let s = 0;
      for (let j = 0; j < cols; j++) s += dyv[r * cols + j] * pv[r * cols + j];
      return y * (dyv[i] - s);
    });
    expectClose(dx.data, want);
    addBias(x, x, bias, rows); // out may be x
    expect(sameBits(x.data, out.data)).toBe(true);
    [x, bias, out, sums, p, dy, dx].forEach((t) => t.dispose());
  });

  const LOSS_CASES: Array<[LossName, (p: Float32Array, t: number[], o: object) => { loss: number; grad: Float32Array }, number[]]> = [
    ['mse', (p, t, o) => mseLoss({ data: p, shape: [3, 2] }, t, o), [0.5, -1, 2, 0, 1, 3]],
    ['mae', (p, t, o) => maeLoss({ data: p, shape: [3, 2] }, t, o), [0.5, -1, 2, 0, 1, 3]],
    ['huber', (p, t, o) => huberLoss({ data: p, shape: [3, 2] }, t, o), [0.5, -1, 2, 0, 1, 3]],
    ['bce', (p, t, o) => bceWithLogitsLoss({ data: p, shape: [3, 2] }, t, o), [1, 0, 0.5, 1, 0, 0]],
    ['hinge', (p, t, o) => hingeLoss({ data: p, shape: [3, 2] }, t, o), [1, 0, 1, 1, 0, 0]],
    ['squared-hinge', (p, t, o) => squaredHingeLoss({ data: p, shape: [3, 2] }, t, o), [1, 0, 1, 1, 0, 0]],
    ['softmax-cross-entropy', (p, t, o) => softmaxCrossEntropy({ data: p, shape: [3, 2] }, t, o), [1, 0, 1]],
    ['multiclass-hinge', (p, t, o) => multiclassHingeLoss({ data: p, shape: [3, 2] }, t, o), [0, 1, 1]],
  ];

  it.each(LOSS_CASES)('tensorLoss(%s) gives the bits of the array-level loss function, for both reductions and with weights', async (name, arrayFn, targets) => {
    await useBackend(backend);
    const pv = seeded(6, 9, 2);
    for (const o of [{}, { reduction: 'sum' as const }, { sampleWeight: [1, 0.5, 2] }]) {
      const want = arrayFn(pv, targets, o);
      const pred = tensor(pv), g = tensor.zeros(6);
      const before = memoryStats().bytesInUse;
      const loss = tensorLoss(name, pred, targets, { rows: 3, grad: g, ...o });
      expect(memoryStats().bytesInUse).toBe(before);
      expect(loss).toBe(want.loss);
      expect(sameBits(g.data, want.grad)).toBe(true);
      expect(tensorLoss(name, pred, targets, { rows: 3, ...o })).toBe(want.loss); // value only
      tensorLoss(name, pred, targets, { rows: 3, grad: pred, ...o }); // the gradient may overwrite the predictions
      expect(sameBits(pred.data, want.grad)).toBe(true);
      pred.dispose();
      g.dispose();
    }
  });
});

describe.each(BACKENDS)('tensorLoss with targets that live in Wasm memory (%s)', (backend) => {
  it('reads them right even when its own allocation grows memory and detaches the caller\'s view', async () => {
    // one thread: a memory that is not shared, so growth detaches (a shared memory grows in place)
    await init({ backend, threads: 1 });
    const n = 1 << 20;
    const values = seeded(n, 11), targetsHost = seeded(n, 12);
    const pred = tensor(values), t = tensor(targetsHost);
    const want = mseLoss(values, targetsHost);
    // leave less free room than the call's own block of n floats, so that allocating it must grow memory
    const s = memoryStats();
    const filler = tensor.zeros(Math.max(0, Math.floor((s.bytesReserved - s.bytesInUse - 2 * n) / 4)));
    const view = t.data;
    const before = memoryStats().bytesReserved;
    const loss = tensorLoss('mse', pred, view, { rows: n });
    filler.dispose();
    expect(memoryStats().bytesReserved).toBeGreaterThan(before); // the call grew memory...
    expect(view.length).toBe(0); // ...which detached the caller's view
    expect(loss).toBe(want.loss);
    pred.dispose();
    t.dispose();
  });
});

describe('model kernels refuse bad arguments, naming them, before touching anything', () => {
  it('sizes, shapes, overlaps, non-tensors, disposed tensors and unknown options', async () => {
    await useBackend('wasm-simd');
    const a = tensor.zeros(6), b = tensor.zeros(6), c = tensor.zeros(4);
    expect(() => gemm(c, a, b, { m: 2, n: 2, k: 2 })).toThrow("gemm(): a has 6 elements, but m×k = 2×2 needs 4");
    expect(() => gemm(c, a, b, { m: 2, n: 2, k: 3, transB: true, tA: true } as never)).toThrow('gemm(): unknown option options.tA. The options are: m, n, k, transA, transB, alpha, beta.');
    expect(() => gemm(c, a, b, { m: 2, n: 2, k: 3.5 })).toThrow('gemm(): options.k must be a whole number >= 0, got 3.5.');
    expect(() => gemm(c, a, b, { m: 2, n: 2, k: 3, alpha: NaN })).toThrow('gemm(): options.alpha must be a finite number, got NaN.');
    const sq = tensor.zeros(4);
    expect(() => gemm(sq, sq, sq, { m: 2, n: 2, k: 2 })).toThrow('gemm(): c overlaps a; pass a separate tensor for c');
    expect(() => gemm(c, [1, 2, 3, 4, 5, 6] as never, b, { m: 2, n: 2, k: 3 })).toThrow(/gemm\(\): a must be a tensor or parameter .*got \[1, 2, 3, 4, 5, 6\]/);
    expect(() => relu(c, a)).toThrow('relu(): x has 6 elements but out has 4; pass tensors of equal size');
    expect(() => addBias(a, a, tensor.zeros(2), 2)).toThrow('addBias(): bias has 2 elements but x has 3 columns; pass one bias per column');
    expect(() => addBias(a, a, tensor.zeros(3), 4)).toThrow('addBias(): x has 6 elements, not a whole number of rows of 4; pass rows that divide its size');
    expect(() => colSum(a, a, 1)).toThrow('colSum(): out overlaps x; pass a separate tensor for out');
    expect(() => softmax(a, a, 0)).toThrow('softmax(): rows must be a whole number >= 1, got 0.');
    expect(() => leakyRelu(a, a, -1)).toThrow(/^leakyRelu\(\): slope must be a finite number >= 0, got -1\./);
    const p = param([1, 2]);
    p.dispose();
    expect(() => relu(p, p)).toThrow(/disposed/);
    expect(() => tensorLoss('xent' as LossName, a, [0, 1], { rows: 2 })).toThrow(/^tensorLoss\(\): name must be one of 'mse', .*'multiclass-hinge', got 'xent'\.$/);
    expect(() => tensorLoss('softmax-cross-entropy', a, [0, 3], { rows: 2 })).toThrow(/labels\[1\] is 3; class labels must be whole numbers from 0 to 2/);
    expect(() => tensorLoss('mse', a, [0, 1], { rows: 2 })).toThrow(/targets has 2 values but X has 2 rows/);
    expect(() => tensorLoss('mse', a, [0, 1, 2, 3, 4, 5], { rows: 2, grad: c })).toThrow('tensorLoss(): options.grad has 4 elements but the predictions 6; pass a gradient tensor of the same size');
    expect(() => tensorLoss('mse', a, [0, 1, 2, 3, 4, 5], { rows: 2, reduce: 'sum' } as never)).toThrow(/^tensorLoss\(\): unknown option options\.reduce\. The options are: rows, grad, reduction, sampleWeight, delta\.$/);
    expect(() => tensorLoss('mse', a, [0, 1, 2, 3, 4, 5], { rows: 2, sampleWeight: [1, -1] })).toThrow(/sampleWeight\[1\] is -1/);
  });

  it('a refused loss leaves the gradient and the memory as they were', async () => {
    await useBackend('js');
    const pred = tensor([1, 2, 3, 4]), g = tensor([7, 7, 7, 7]);
    const before = memoryStats().bytesInUse;
    expect(() => tensorLoss('softmax-cross-entropy', pred, [0, 2], { rows: 2, grad: g })).toThrow(RangeError);
    expect(Array.from(g.data)).toEqual([7, 7, 7, 7]);
    expect(memoryStats().bytesInUse).toBe(before);
  });
});

describe('TSDoc examples of the model kernels', () => {
  it('run as written', async () => {
    await useBackend('wasm-simd');
    const a = tensor([1, 2, 3, 4, 5, 6]);
    const b = tensor([1, 0, 0, 1, 1, 1]);
    const c = tensor.zeros(4);
    gemm(c, a, b, { m: 2, n: 2, k: 3 });
    expect(Array.from(c.data)).toEqual([4, 5, 10, 11]);
    const z = tensor([1, 2, 3, 4]);
    addBias(z, z, tensor([10, 20]), 2);
    expect(Array.from(z.data)).toEqual([11, 22, 13, 24]);
    const g = tensor([1, 2, 3, 4]), db = tensor.zeros(2);
    colSum(db, g, 2);
    expect(Array.from(db.data)).toEqual([4, 6]);
    const p = tensor.zeros(2);
    softmax(p, tensor([0, Math.log(3)]), 1);
    expectClose(p.data, [0.25, 0.75]);
    const logits = tensor([0, 0, 0, 0]);
    const dz = tensor.zeros(4);
    expect(tensorLoss('softmax-cross-entropy', logits, [0, 1], { rows: 2, grad: dz })).toBeCloseTo(Math.log(2), 6);
    expect(Array.from(dz.data)).toEqual([-0.25, 0.25, 0.25, -0.25]);
    const h = tensor([-1, 2]);
    relu(h, h);
    expect(Array.from(h.data)).toEqual([0, 2]);
    const dh = tensor([5, 5]);
    reluBackward(dh, dh, tensor([0, 2]));
    expect(Array.from(dh.data)).toEqual([0, 5]);
    const l = tensor([-1, 2]);
    leakyRelu(l, l, 0.1);
    expect(Array.from(l.data)).toEqual([Math.fround(-0.1), 2]);
    const dl = tensor([5, 5]);
    leakyReluBackward(dl, dl, tensor([-0.1, 2]), 0.1);
    expect(Array.from(dl.data)).toEqual([0.5, 5]);
    const t = tensor([0, 100]);
    tanh(t, t);
    expect(Array.from(t.data)).toEqual([0, 1]);
    const dt = tensor([2, 2]);
    tanhBackward(dt, dt, tensor([0, 0.5]));
    expect(Array.from(dt.data)).toEqual([2, 1.5]);
    const sg = tensor([0]);
    sigmoid(sg, sg);
    expect(Array.from(sg.data)).toEqual([0.5]);
    const ds = tensor([4]);
    sigmoidBackward(ds, ds, tensor([0.5]));
    expect(Array.from(ds.data)).toEqual([1]);
    const dsm = tensor([1, 0]);
    softmaxBackward(dsm, dsm, tensor([0.5, 0.5]), 1);
    expect(Array.from(dsm.data)).toEqual([0.25, -0.25]);
  });
});
