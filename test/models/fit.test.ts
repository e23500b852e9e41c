import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fit } from '../../src/train/fit.js';
import { gradcheckModel, LinearRegression, MLP, SoftmaxRegression } from '../../src/models/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

/** iris from the shared fixtures, standardised. */
function iris() {
  const lines = readFileSync(join(__dirname, '../../../shared/conformance/data/iris.csv'), 'utf8').trim().split('\n').slice(1);
  const X = new Float32Array(lines.length * 4), y = new Int32Array(lines.length);
  lines.forEach((l, i) => { const f = l.split(',').map(Number); X.set(f.slice(0, 4), i * 4); y[i] = f[4]; });
  for (let j = 0; j < 4; j++) {
    let m = 0, s = 0;
    for (let i = 0; i < y.length; i++) m += X[i * 4 + j] / y.length;
    for (let i = 0; i < y.length; i++) s += (X[i * 4 + j] - m) ** 2 / y.length;
    for (let i = 0; i < y.length; i++) X[i * 4 + j] = (X[i * 4 + j] - m) / Math.sqrt(s);
  }
  return { X: { data: X, shape: [y.length, 4] as [number, number] }, y };
}

describe('models drive the training loop (fit) and the documented examples hold', () => {
  it.each(BACKENDS)('SoftmaxRegression and an MLP learn iris through fit() on %s', async (backend) => {
    await useBackend(backend);
    const { X, y } = iris();
    const sm = new SoftmaxRegression({ nFeatures: 4, nClasses: 3 });
    const h = fit(sm, X, y, { optimizer: { name: 'adam', lr: 0.05 }, batchSize: 16, maxEpochs: 60, seed: 1, metrics: ['accuracy', 'logLoss'] });
    expect(h.loss.at(-1)!).toBeLessThan(h.loss[0] / 3);
    const acc = Array.from(sm.predict(X)).filter((v, i) => v === y[i]).length / y.length;
    expect(acc).toBeGreaterThan(0.9);
    const net = new MLP({ layers: [4, 16, 3], activation: 'tanh', seed: 3 });
    fit(net, X, y, { optimizer: { name: 'adam', lr: 0.02 }, batchSize: 32, maxEpochs: 80, seed: 2 });
    expect(Array.from(net.predict(X)).filter((v, i) => v === y[i]).length / y.length).toBeGreaterThan(0.93);
    const reg = new LinearRegression({ nFeatures: 3 });
    const Xr = { data: new Float32Array(3 * 40).map((_, i) => Math.sin(i * 1.7)), shape: [40, 3] as [number, number] };
    const yr = new Float32Array(40).map((_, i) => 2 * Xr.data[i * 3] - Xr.data[i * 3 + 2] + 0.5);
    fit(reg, Xr, yr, { optimizer: { name: 'adam', lr: 0.05 }, batchSize: 'full', maxEpochs: 600 });
    expect(reg.loss(Xr, yr)).toBeLessThan(1e-4);
    [sm, net, reg].forEach((m) => m.dispose());
  });

  it('TSDoc examples: SoftmaxRegression starts at log K; gradcheckModel on a fresh MLP', async () => {
    await useBackend('wasm-simd');
    const m = new SoftmaxRegression({ nFeatures: 4, nClasses: 3 });
    expect(m.lossAndGrad([[1, 2, 3, 4]], [2])).toBeCloseTo(Math.log(3), 6);
    expect(gradcheckModel(new MLP({ layers: [3, 4, 2], seed: 1 }), [[1, 2, 3]], [1]).ok).toBe(true);
    const net = new MLP({ layers: [4, 8, 3], activation: 'tanh', seed: 1 });
    const loss = net.lossAndGrad([[0.1, 0.2, 0.3, 0.4]], [2]);
    expect(loss).toBeGreaterThan(0);
    expect(net.parameters().some((p) => p.grad.some((g) => g !== 0))).toBe(true);
    m.dispose(); net.dispose();
  });
});
