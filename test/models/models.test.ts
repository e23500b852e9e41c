import { describe, expect, it } from 'vitest';
import { memoryStats } from '../../src/entry/node.js';
import {
  gradcheckModel, LinearRegression, LinearSVM, LogisticRegression, MLP, modelFromJSON, SoftmaxRegression, type Model,
} from '../../src/models/index.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';

const ROWS = 7, F = 5;
const X = Array.from({ length: ROWS }, (_, i) => Array.from(seeded(F, 100 + i, 1.5)));
const Xflat = { data: Float32Array.from(X.flat()), shape: [ROWS, F] as [number, number] };
const weights = Array.from(seeded(ROWS, 7), (v) => Math.abs(v) + 0.3);

/** Random small parameters so gradients are not trivially zero (linear models start at 0). */
function randomize(m: Model, seed: number): void {
  m.parameters().forEach((p, i) => p.data.set(seeded(p.size, seed + i, 0.5).map((v) => (Math.abs(v) > 5 ? v / 100 : v))));
}

const classes = (k: number) => Array.from({ length: ROWS }, (_, i) => (i * 3 + 1) % k);
const targets = (out: number) => Array.from(seeded(ROWS * out, 55, 2)).map((v) => (Math.abs(v) > 10 ? v / 100 : v));

interface Case { name: string; make: () => Model; y: () => number[] }

const CASES: Case[] = [
  { name: 'LinearRegression mse', make: () => new LinearRegression({ nFeatures: F }), y: () => targets(1) },
  { name: 'LinearRegression mae + l1', make: () => new LinearRegression({ nFeatures: F, loss: 'mae', penalty: 'l1', alpha: 0.05 }), y: () => targets(1) },
  { name: 'LinearRegression huber 2 outputs + elasticnet', make: () => new LinearRegression({ nFeatures: F, nOutputs: 2, loss: 'huber', delta: 0.5, penalty: 'elasticnet', alpha: 0.1, l1Ratio: 0.3 }), y: () => targets(2) },
  { name: 'LogisticRegression', make: () => new LogisticRegression({ nFeatures: F, penalty: 'l2', alpha: 0.01 }), y: () => classes(2) },
  { name: 'LogisticRegression C', make: () => new LogisticRegression({ nFeatures: F, C: 0.7 }), y: () => classes(2) },
  { name: 'SoftmaxRegression', make: () => new SoftmaxRegression({ nFeatures: F, nClasses: 4, C: 2 }), y: () => classes(4) },
  { name: 'SoftmaxRegression no intercept', make: () => new SoftmaxRegression({ nFeatures: F, nClasses: 3, fitIntercept: false }), y: () => classes(3) },
  { name: 'LinearSVM hinge', make: () => new LinearSVM({ nFeatures: F }), y: () => classes(2) },
  { name: 'LinearSVM squared hinge', make: () => new LinearSVM({ nFeatures: F, loss: 'squared-hinge', C: 1 }), y: () => classes(2) },
  { name: 'LinearSVM multiclass', make: () => new LinearSVM({ nFeatures: F, nClasses: 4, alpha: 0.01 }), y: () => classes(4) },
  ...(['identity', 'relu', 'leaky-relu', 'tanh', 'sigmoid'] as const).map((activation) => ({
    name: `MLP ${activation}`,
    make: () => new MLP({ layers: [F, 6, 4, 3], activation, slope: 0.1, seed: 3, penalty: 'l2', alpha: 0.01 }),
    y: () => classes(3),
  })),
  { name: 'MLP bce', make: () => new MLP({ layers: [F, 6, 1], loss: 'bce', activation: 'tanh', seed: 4 }), y: () => classes(2) },
  { name: 'MLP mse 2 outputs', make: () => new MLP({ layers: [F, 8, 2], loss: 'mse', activation: 'sigmoid', seed: 5 }), y: () => targets(2) },
  { name: 'MLP multiclass hinge', make: () => new MLP({ layers: [F, 8, 3], loss: 'multiclass-hinge', activation: 'tanh', seed: 6 }), y: () => classes(3) },
  { name: 'MLP huber', make: () => new MLP({ layers: [F, 4, 1], loss: 'huber', activation: 'leaky-relu', seed: 7 }), y: () => targets(1) },
];

describe.each(BACKENDS)('models on %s', (backend) => {
  it.each(CASES)('$name: gradcheck (kernels vs float64 central differences), with and without sample weights', async (c) => {
    await useBackend(backend);
    const m = c.make();
    randomize(m, 9);
    const y = c.y();
    for (const sampleWeight of [undefined, weights]) {
      // the float32 objective agrees with the float64 mirror
      const l32 = m.loss(X, y, { sampleWeight }), l64 = m.loss64(X, y, { sampleWeight });
      expect(Math.abs(l32 - l64)).toBeLessThanOrEqual(1e-5 * (Math.abs(l64) + 1e-2));
      const r = gradcheckModel(m, X, y, { sampleWeight, eps: 1e-3, atol: 2e-5, rtol: 2e-3 });
      if (!r.ok) throw new Error(`${c.name} (weights ${!!sampleWeight}): worst ${JSON.stringify(r.worst)}`);
      expect(r.checked).toBe(m.parameters().reduce((a, p) => a + p.size, 0));
    }
    // a wrong gradient is caught: shift one element of the last parameter's gradient
    const bad = gradcheckModel({ lossAndGrad: (a: any, b: any) => { const l = m.lossAndGrad(a, b); const g = m.parameters().at(-1)!.grad; g[0] += 0.05 * (Math.abs(g[0]) + 1); return l; }, parameters: () => m.parameters(), loss64: (a: any, b: any) => m.loss64(a, b) } as any, X, y);
    expect(bad.ok).toBe(false);
    expect(bad.worst!.param).toBe(m.parameters().at(-1)!.name);
    expect(bad.worst!.index).toBe(0);
    m.dispose();
  });

  it('lossAndGrad overwrites gradients, accepts { data, shape } and rows alike, and a step allocates nothing after the first', async () => {
    await useBackend(backend);
    const m = new MLP({ layers: [F, 6, 3], seed: 1 }).reserve(ROWS);
    const y = classes(3);
    const reserved = memoryStats();
    const l1 = m.lossAndGrad(X, y);
    expect(memoryStats().bytesInUse).toBe(reserved.bytesInUse);
    const g1 = m.parameters().map((p) => p.grad.slice());
    const before = memoryStats();
    const l2 = m.lossAndGrad(Xflat, Int32Array.from(y));
    const after = memoryStats();
    expect(after.blocks).toBe(before.blocks);
    expect(after.bytesInUse).toBe(before.bytesInUse);
    expect(l2).toBe(l1);
    m.parameters().forEach((p, i) => expect(sameBits(p.grad, g1[i])).toBe(true));
    // a smaller batch reuses the workspace that fits
    m.lossAndGrad(X.slice(0, 3), y.slice(0, 3));
    expect(memoryStats().blocks).toBe(before.blocks);
    expect(m.loss(X, y)).toBe(l1);
    m.dispose();
  });

  it('predict, predictProba, decisionFunction: shapes, consistency, chunking over many rows', async () => {
    await useBackend(backend);
    const sm = new SoftmaxRegression({ nFeatures: F, nClasses: 3 });
    randomize(sm, 4);
    const P = sm.predictProba(X);
    expect(P.length).toBe(ROWS * 3);
    const z = sm.decisionFunction(X);
    const pred = sm.predict(X);
    for (let i = 0; i < ROWS; i++) {
      expect(Math.abs(P[i * 3] + P[i * 3 + 1] + P[i * 3 + 2] - 1)).toBeLessThan(1e-6);
      const best = [0, 1, 2].reduce((a, b) => (z[i * 3 + b] > z[i * 3 + a] ? b : a), 0);
      expect(pred[i]).toBe(best);
    }
    const lr = new LogisticRegression({ nFeatures: 1 });
    lr.parameters()[0].data[0] = 2;
    const p2 = lr.predictProba([[0], [10], [-10]]);
    expect(p2[0]).toBeCloseTo(0.5, 6); expect(p2[3]).toBeCloseTo(1, 6); expect(p2[5]).toBeCloseTo(0, 6);
    expect(Array.from(lr.predict([[-1], [1]]))).toEqual([0, 1]);
    // 1300 rows go through the 512-row chunks and give the same answer as row by row
    const big = Array.from({ length: 1300 }, (_, i) => X[i % ROWS]);
    const zb = sm.decisionFunction(big);
    for (let i = 0; i < 1300; i += 97) for (let j = 0; j < 3; j++) expect(zb[i * 3 + j]).toBe(z[(i % ROWS) * 3 + j]);
    expect(sm.predict([]).length).toBe(0);
    const reg = new LinearRegression({ nFeatures: 2 });
    reg.parameters()[0].data.set([2, -1]);
    expect(Array.from(reg.predict([[1, 1]]))).toEqual([1]);
    expect(reg.lossAndGrad([[1, 1]], [3])).toBe(4);
    expect(Array.from(reg.parameters()[0].grad)).toEqual([-4, -4]);
    expect(Array.from(reg.parameters()[1].grad)).toEqual([-4]);
    const svm = new LinearSVM({ nFeatures: 2, nClasses: 3 });
    expect(svm.lossAndGrad([[1, 0]], [1])).toBe(2);
    expect(() => (svm as any).probabilities(X, 'x')).toThrow(/no probabilities/);
    const net = new MLP({ layers: [4, 8, 3], activation: 'tanh', seed: 1 });
    const pp = net.predictProba([[0.1, 0.2, 0.3, 0.4]]);
    expect(pp.length).toBe(3);
    expect(Math.abs(pp[0] + pp[1] + pp[2] - 1)).toBeLessThan(1e-6);
    expect(() => new MLP({ layers: [2, 3, 1], loss: 'mse' }).predictProba([[1, 2]])).toThrow(TypeError);
    [sm, lr, reg, svm, net].forEach((m) => m.dispose());
  });

  it('toJSON / fromJSON round-trips every model exactly', async () => {
    await useBackend(backend);
    for (const c of CASES) {
      const m = c.make();
      randomize(m, 12);
      const json = JSON.parse(JSON.stringify(m.toJSON()));
      const copy = modelFromJSON(json);
      expect(copy.constructor).toBe(m.constructor);
      expect(sameBits(copy.decisionFunction(X), m.decisionFunction(X))).toBe(true);
      expect(copy.loss(X, c.y())).toBe(m.loss(X, c.y()));
      m.dispose();
      copy.dispose();
    }
    expect(() => modelFromJSON({ type: 'Nope' } as any)).toThrow(/unknown model type 'Nope'/);
    const j = new LinearRegression({ nFeatures: 2 }).toJSON();
    j.params.weight = [1];
    expect(() => LinearRegression.fromJSON(j)).toThrow(/json\.params\['weight'\] must hold 2 numbers/);
  });

  it('validates inputs: shape, NaN/Inf by row and column, labels, weights, options', async () => {
    await useBackend(backend);
    const m = new SoftmaxRegression({ nFeatures: 3, nClasses: 3 });
    expect(() => m.lossAndGrad([[1, 2]], [0])).toThrow(RangeError);
    expect(() => m.lossAndGrad([[1, 2]], [0])).toThrow(/X has 2 columns but this model takes 3 features/);
    expect(() => m.lossAndGrad([[1, 2, 3], [4, NaN, 6]], [0, 1])).toThrow(TypeError);
    expect(() => m.lossAndGrad([[1, 2, 3], [4, NaN, 6]], [0, 1])).toThrow(/X\[1\]\[1\] \(row 1, column 1\) is NaN/);
    const bigX = { data: new Float32Array(300 * 3), shape: [300, 3] as [number, number] };
    bigX.data[250 * 3 + 2] = -Infinity;
    expect(() => m.predict(bigX)).toThrow(/X\[250\]\[2\] \(row 250, column 2\) is -Infinity/);
    expect(() => m.lossAndGrad([[1, 2, 3]], [3])).toThrow(/y\[0\] is 3; class labels must be whole numbers from 0 to 2/);
    expect(() => m.lossAndGrad([[1, 2, 3]], [0, 1])).toThrow(/y has 2 values but X has 1 rows/);
    expect(() => m.lossAndGrad([[1, 2, 3]], [0], { sampleWeight: [NaN] })).toThrow(/sampleWeight\[0\] is NaN/);
    expect(() => m.lossAndGrad({ data: new Float32Array(5), shape: [2, 3] }, [0, 1])).toThrow(/shape \[2, 3\] needs 6 values/);
    expect(() => m.lossAndGrad([], [])).toThrow(/X has 0 rows/);
    const lr = new LogisticRegression({ nFeatures: 1 });
    expect(() => lr.lossAndGrad([[1]], [2])).toThrow(/y\[0\] is 2; a binary model takes labels 0 or 1/);
    expect(() => new LogisticRegression({ nFeatures: 2, C: 1, alpha: 0.1 })).toThrow(/either options\.C .* or options\.alpha/);
    expect(() => new MLP({ layers: [3, 2], foo: 1 } as any)).toThrow(/MLP: unknown option options\.foo\. The options are: layers, /);
    expect(() => new MLP({ layers: [3, 2], loss: 'bce' })).toThrow(/needs one output/);
    expect(() => new MLP({ layers: [3, 0, 2] })).toThrow(/layers\[1\] must be a whole number >= 1, got 0/);
    expect(() => new LinearRegression({ nFeatures: 0 })).toThrow(/nFeatures must be a whole number >= 1/);
    expect(() => new LinearRegression({ nFeatures: 2, penalty: 'l3' as any })).toThrow(/options\.penalty must be one of 'none', 'l2', 'l1', 'elasticnet', got 'l3'/);
    m.dispose();
    expect(() => m.predict([[1, 2, 3]])).toThrow(/disposed/);
    lr.dispose();
  });

  it('the intercept is never penalized', async () => {
    await useBackend(backend);
    const m = new LogisticRegression({ nFeatures: 2, penalty: 'l2', alpha: 10 });
    m.parameters()[1].data[0] = 5;
    const plain = new LogisticRegression({ nFeatures: 2 });
    plain.parameters()[1].data[0] = 5;
    expect(m.lossAndGrad([[0, 0]], [1])).toBe(plain.lossAndGrad([[0, 0]], [1]));
    expect(m.parameters()[1].grad[0]).toBe(plain.parameters()[1].grad[0]);
    m.dispose(); plain.dispose();
  });
});

describe('training converges on small problems (plain gradient descent on lossAndGrad)', () => {
  it.each(BACKENDS)('MLP learns XOR on %s; logistic regression separates two blobs', async (backend) => {
    await useBackend(backend);
    const Xx = [[0, 0], [0, 1], [1, 0], [1, 1]], yx = [0, 1, 1, 0];
    const net = new MLP({ layers: [2, 8, 2], activation: 'tanh', seed: 2 });
    let loss = Infinity;
    for (let t = 0; t < 2000; t++) {
      loss = net.lossAndGrad(Xx, yx);
      for (const p of net.parameters()) { const d = p.data, g = p.grad; for (let i = 0; i < d.length; i++) d[i] -= 0.5 * g[i]; }
    }
    expect(loss).toBeLessThan(0.05);
    expect(Array.from(net.predict(Xx))).toEqual(yx);
    const pts: number[][] = [], lab: number[] = [];
    const s = seeded(200, 3).map((v) => (Math.abs(v) > 1 ? v / 100 : v));
    for (let i = 0; i < 100; i++) { const c = i % 2; pts.push([s[2 * i] * 0.5 + (c ? 2 : -2), s[2 * i + 1] * 0.5]); lab.push(c); }
    const lr = new LogisticRegression({ nFeatures: 2 });
    for (let t = 0; t < 200; t++) {
      lr.lossAndGrad(pts, lab);
      for (const p of lr.parameters()) { const d = p.data, g = p.grad; for (let i = 0; i < d.length; i++) d[i] -= 1 * g[i]; }
    }
    const acc = Array.from(lr.predict(pts)).filter((v, i) => v === lab[i]).length / 100;
    expect(acc).toBe(1);
    net.dispose(); lr.dispose();
  });
});
