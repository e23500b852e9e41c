import { describe, expect, it } from 'vitest';
import { param } from '../../src/entry/node.js';
import {
  bceWithLogitsLoss, elasticNetPenalty, hingeLoss, huberLoss, l1Penalty, l2Penalty, lossValue64, maeLoss, mseLoss,
  multiclassHingeLoss, softmaxCrossEntropyLoss, squaredHingeLoss, type LossName, type LossOptions, type LossResult,
} from '../../src/losses/index.js';
import { gradcheck } from '../../src/models/gradcheck.js';
import { BACKENDS, seeded, useBackend } from '../helpers/backends.js';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (Math.abs(b[i]) + 1));
};

describe.each(BACKENDS)('loss functions on %s', (backend) => {
  it('the documented examples hold', async () => {
    await useBackend(backend);
    let r = mseLoss([1, 2], [0, 2]);
    expect(r.loss).toBeCloseTo(0.5, 12); close(r.grad, [1, 0]);
    r = maeLoss([1, 2], [0, 4]);
    expect(r.loss).toBeCloseTo(1.5, 12); close(r.grad, [0.5, -0.5]);
    expect(huberLoss([0, 3], [0, 0], { delta: 1 }).loss).toBeCloseTo(1.25, 12);
    expect(bceWithLogitsLoss([0], [1]).loss).toBeCloseTo(Math.LN2, 12);
    expect(hingeLoss([0.5, -2], [1, 0]).loss).toBeCloseTo(0.25, 12);
    expect(squaredHingeLoss([0.5], [1]).loss).toBeCloseTo(0.25, 12);
    expect(softmaxCrossEntropyLoss([[2, 0], [0, 2]], [0, 1]).loss).toBeCloseTo(Math.log1p(Math.exp(-2)), 7);
    expect(multiclassHingeLoss([[1, 2, 0]], [0]).loss).toBe(2);
    let p = l2Penalty([3, -4], 0.1);
    expect(p.value).toBeCloseTo(1.25, 6); close(p.grad, [0.3, -0.4]);
    p = l1Penalty([3, -4, 0], 0.1);
    expect(p.value).toBeCloseTo(0.7, 6); close(p.grad, [0.1, -0.1, 0]);
    p = elasticNetPenalty([2], { alpha: 1, l1Ratio: 0.5 });
    expect(p.value).toBe(2); close(p.grad, [1.5]);
    const w = param([1, 2]);
    const f = () => { w.grad[0] = 2 * w.data[0]; w.grad[1] = 2 * w.data[1]; return w.data[0] ** 2 + w.data[1] ** 2; };
    expect(gradcheck(f, [w]).ok).toBe(true);
  });

  const ROWS = 6, COLS = 4;
  const CASES: Array<{ name: LossName; fn: (x: any, y: any, o: LossOptions & { delta?: number }) => LossResult; labels: 'values' | 'soft' | 'binary' | 'class'; delta?: number }> = [
    { name: 'mse', fn: mseLoss, labels: 'values' },
    { name: 'mae', fn: maeLoss, labels: 'values' },
    { name: 'huber', fn: huberLoss, labels: 'values', delta: 0.7 },
    { name: 'bce', fn: bceWithLogitsLoss, labels: 'soft' },
    { name: 'hinge', fn: hingeLoss, labels: 'binary' },
    { name: 'squared-hinge', fn: squaredHingeLoss, labels: 'binary' },
    { name: 'softmax-cross-entropy', fn: softmaxCrossEntropyLoss, labels: 'class' },
    { name: 'multiclass-hinge', fn: multiclassHingeLoss, labels: 'class', delta: 1 },
  ];

  it.each(CASES)('$name: gradcheck against float64 differences (mean and sum, with and without weights)', async (c) => {
    await useBackend(backend);
    const x0 = seeded(ROWS * COLS, 17, 2);
    const u = seeded(ROWS * COLS, 18);
    const perRow = c.labels === 'class';
    const y = perRow
      ? Array.from({ length: ROWS }, (_, i) => i % COLS)
      : Array.from(u, (v) => (c.labels === 'values' ? v * 2 : c.labels === 'soft' ? Math.abs(v) % 1 : v > 0 ? 1 : 0));
    const weights = seeded(ROWS, 19).map((v) => Math.abs(v) + 0.2);
    for (const reduction of ['mean', 'sum'] as const) {
      for (const sampleWeight of [undefined, weights]) {
        const p = param(x0);
        const opts = { reduction, sampleWeight, delta: c.delta };
        const matrix = () => ({ data: p.data.slice(), shape: [ROWS, COLS] as [number, number] });
        const fn = () => { const r = c.fn(matrix(), y, opts); p.grad.set(r.grad); return r.loss; };
        const sumW = sampleWeight ? sampleWeight.reduce((a, b) => a + b, 0) : ROWS;
        const scale = reduction === 'sum' ? 1 : 1 / (sumW * (perRow ? 1 : COLS));
        const value = () => lossValue64(c.name, p.data, ROWS, COLS, y, sampleWeight ?? null, scale, c.delta);
        expect(Math.abs(fn() - value())).toBeLessThanOrEqual(1e-6 * (Math.abs(value()) + 1e-3));
        const report = gradcheck(fn, [p], { value, eps: 1e-3, atol: 1e-6, rtol: 1e-3 });
        if (!report.ok) throw new Error(`${c.name} ${reduction} weights=${!!sampleWeight}: ${JSON.stringify(report.worst)}`);
        expect(report.checked).toBe(ROWS * COLS);
        // and a corrupted gradient is caught
        const bad = gradcheck(() => { const l = fn(); p.grad[5] += 0.01; return l; }, [p], { value });
        expect(bad.ok).toBe(false);
        expect(bad.worst!.index).toBe(5);
      }
    }
  });

  it('rejects bad inputs with errors that name the argument, the place and the fix', async () => {
    await useBackend(backend);
    expect(() => mseLoss([[1, NaN], [0, 0]], [1, 2, 3, 4])).toThrow(TypeError);
    expect(() => mseLoss([[1, 2], [0, Infinity]], [1, 2, 3, 4])).toThrow(/predictions\[1\]\[1\] \(row 1, column 1\) is Infinity/);
    expect(() => mseLoss([1, 2], [1])).toThrow(/targets has 1 values but X has 2 rows/);
    expect(() => softmaxCrossEntropyLoss([[1, 2], [3, 4]], [0, 2])).toThrow(RangeError);
    expect(() => softmaxCrossEntropyLoss([[1, 2], [3, 4]], [0, 2])).toThrow(/labels\[1\] is 2; class labels must be whole numbers from 0 to 1/);
    expect(() => softmaxCrossEntropyLoss([[1, 2]], [0.5])).toThrow(/labels\[0\] is 0.5/);
    expect(() => bceWithLogitsLoss([1], [1.5])).toThrow(/targets\[0\] is 1.5; binary cross-entropy targets must lie in \[0, 1\]/);
    expect(() => hingeLoss([1], [2])).toThrow(/hinge labels must be 0 or 1/);
    expect(() => mseLoss([1], [1], { reduction: 'avg' as any })).toThrow(/options\.reduction must be one of 'mean', 'sum', got 'avg'/);
    expect(() => mseLoss([1, 2], [1, 2], { sampleWeight: [1, -1] })).toThrow(/sampleWeight\[1\] is -1/);
    expect(() => huberLoss([1], [1], { delta: 0 })).toThrow(/options\.delta must be a finite number > 0, got 0/);
    expect(() => mseLoss({ data: new Float32Array(3), shape: [2, 2] }, [1, 2, 3, 4])).toThrow(/shape \[2, 2\] needs 4 values but predictions.data has 3/);
    expect(() => l2Penalty([1, NaN], 1)).toThrow(/w\[1\] is NaN/);
  });

  it('stays finite and exact at saturated logits', async () => {
    await useBackend(backend);
    const r = bceWithLogitsLoss([1000, -1000, 800], [0, 1, 1], { reduction: 'sum' });
    expect(r.loss).toBeCloseTo(2000, 6);
    expect(Array.from(r.grad)).toEqual([1, -1, 0]);
    const s = softmaxCrossEntropyLoss([[1000, -1000, 0, 999.5]], [1], { reduction: 'sum' });
    expect(s.loss).toBeCloseTo(2000 + Math.log1p(Math.exp(-0.5)), 4);
    expect(s.grad[1]).toBe(-1);
    expect(s.grad[2]).toBe(0);
  });
});
