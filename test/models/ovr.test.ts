import { describe, expect, it } from 'vitest';
import { LogisticRegression, fit, gradcheckModel, loadIris, modelFromJSON, accuracy } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const X = [[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.1, 0.1, -2.0], [2.2, -0.3, 0.6]];
const y = [0, 2, 1, 3, 2];
const K = 4;

describe.each(BACKENDS)('LogisticRegression one-vs-rest (nClasses > 2) on %s', (backend) => {
  const build = () => {
    const m = new LogisticRegression({ nFeatures: 3, nClasses: K, penalty: 'l2', alpha: 0.01 });
    const [W, b] = m.parameters();
    W.data.set(Array.from({ length: W.size }, (_, i) => Math.sin(i + 1) * 0.7));
    b.data.set([0.1, -0.2, 0.05, 0.3]);
    return m;
  };

  it('passes gradcheck', async () => {
    await useBackend(backend);
    const r = gradcheckModel(build(), X, y);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  });

  it("class c's gradient is the binary model's on targets [y = c], divided by K (mean over rows×K)", async () => {
    await useBackend(backend);
    const m = new LogisticRegression({ nFeatures: 3, nClasses: K });
    const [W, b] = m.parameters();
    W.data.set(Array.from({ length: W.size }, (_, i) => Math.cos(i) * 0.5));
    b.data.set([0.2, 0, -0.1, 0.4]);
    m.lossAndGrad(X, y);
    for (let c = 0; c < K; c++) {
      const bin = new LogisticRegression({ nFeatures: 3 });
      const [w1, b1] = bin.parameters();
      for (let f = 0; f < 3; f++) w1.data[f] = W.data[f * K + c]; // weights are features×outputs
      b1.data[0] = b.data[c];
      bin.lossAndGrad(X, y.map((v) => (v === c ? 1 : 0)));
      for (let f = 0; f < 3; f++) expect(W.grad[f * K + c]).toBeCloseTo(w1.grad[f] / K, 6);
      expect(b.grad[c]).toBeCloseTo(b1.grad[0] / K, 6);
    }
  });

  it('predicts the largest logit; predictProba normalizes the K sigmoids per row', async () => {
    await useBackend(backend);
    const m = build();
    const z = m.decisionFunction(X), p = m.predictProba(X), pred = m.predict(X);
    for (let i = 0; i < X.length; i++) {
      const row = Array.from(z.subarray(i * K, (i + 1) * K));
      expect(pred[i]).toBe(row.indexOf(Math.max(...row)));
      const s = row.map((v) => 1 / (1 + Math.exp(-v)));
      const sum = s.reduce((a, v) => a + v, 0);
      for (let j = 0; j < K; j++) expect(p[i * K + j]).toBeCloseTo(s[j] / sum, 5);
    }
  });

  it('takes class indices and names a label out of range; survives toJSON/fromJSON', async () => {
    await useBackend(backend);
    const m = build();
    expect(() => m.lossAndGrad(X, [0, 1, 2, 4, 0])).toThrow(/y\[3\] is 4; class labels must be whole numbers from 0 to 3/);
    const copy = modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(copy).toBeInstanceOf(LogisticRegression);
    expect((copy as LogisticRegression).numClasses).toBe(K);
    expect(Array.from(copy.predict(X))).toEqual(Array.from(m.predict(X)));
  });

  it('trains on iris with fit', async () => {
    await useBackend(backend);
    const iris = loadIris();
    const m = new LogisticRegression({ nFeatures: 4, nClasses: 3 });
    fit(m, iris.X, iris.y, { optimizer: { name: 'adam', lr: 0.05 }, maxEpochs: 100, batchSize: 'full' });
    expect(accuracy(iris.y, m.predict(iris.X))).toBeGreaterThan(0.9);
  });
});
