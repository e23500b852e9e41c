import { describe, expect, it } from 'vitest';
import {
  accuracy, confusionMatrix, logLoss, meanAbsoluteError, meanSquaredError, precisionRecallF1, r2Score,
} from '../../src/train/metrics.js';
import { Prng } from '../../src/util/prng.js';

describe('accuracy', () => {
  it('runs its TSDoc example and accepts typed arrays', () => {
    expect(accuracy([0, 1, 2, 2], [0, 2, 2, 2])).toBe(0.75);
    expect(accuracy(Int32Array.from([1, 1]), Float64Array.from([1, 0]))).toBe(0.5);
  });

  it('validates lengths', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/yTrue has 2 entries but yPred has 1/);
    expect(() => accuracy([], [])).toThrow(/empty/);
    expect(() => accuracy(null as never, [1])).toThrow(TypeError);
  });
});

describe('confusionMatrix', () => {
  it('runs its TSDoc example: rows are true classes, columns predictions', () => {
    expect(confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2])).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
  });

  it('uses numClasses for the size and checks labels', () => {
    expect(confusionMatrix([0, 0], [1, 1], 3)).toEqual([[0, 2, 0], [0, 0, 0], [0, 0, 0]]);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/yTrue\[1\] is 3; a label must be an integer in \[0, 2\]/);
    expect(() => confusionMatrix([0, 1], [0, -1])).toThrow(/yPred\[1\] is -1/);
    expect(() => confusionMatrix([0.5], [0])).toThrow(RangeError);
  });
});

describe('precisionRecallF1', () => {
  it('runs its TSDoc example', () => {
    const s = precisionRecallF1([0, 0, 1, 1], [0, 1, 1, 1], { average: 'none' });
    expect(Array.from(s.labels)).toEqual([0, 1]);
    expect(s.precision[0]).toBe(1);
    expect(s.precision[1]).toBeCloseTo(2 / 3, 15);
    expect(Array.from(s.recall)).toEqual([0.5, 1]);
    expect(s.f1[0]).toBeCloseTo(2 / 3, 15);
    expect(s.f1[1]).toBeCloseTo(0.8, 15);
    expect(Array.from(s.support)).toEqual([2, 2]);
    expect(precisionRecallF1([0, 0, 1, 1], [0, 1, 1, 1]).f1).toBeCloseTo((2 / 3 + 0.8) / 2, 15);
  });

  it("matches scikit-learn's documented example (macro, micro, weighted)", () => {
    // sklearn.metrics.precision_recall_fscore_support docs: y_true = [0,1,2,0,1,2], y_pred = [0,2,1,0,0,1]
    const yt = [0, 1, 2, 0, 1, 2], yp = [0, 2, 1, 0, 0, 1];
    const macro = precisionRecallF1(yt, yp, { average: 'macro' });
    expect(macro.precision).toBeCloseTo(0.22222222222222224, 15);
    expect(macro.recall).toBeCloseTo(0.3333333333333333, 15);
    expect(macro.f1).toBeCloseTo(0.26666666666666666, 15);
    const micro = precisionRecallF1(yt, yp, { average: 'micro' });
    expect([micro.precision, micro.recall, micro.f1].map((v) => +v.toFixed(15))).toEqual([0.333333333333333, 0.333333333333333, 0.333333333333333]);
    const weighted = precisionRecallF1(yt, yp, { average: 'weighted' });
    expect(weighted.precision).toBeCloseTo(0.22222222222222224, 15);
    expect(weighted.f1).toBeCloseTo(0.26666666666666666, 15);
  });

  it('counts a zero division as 0 (class 2 is never predicted) and macro-averages it in', () => {
    const s = precisionRecallF1([0, 0, 1, 1, 2], [0, 0, 1, 1, 1], { average: 'none' });
    expect(Array.from(s.precision).map((v) => +v.toFixed(12))).toEqual([1, +(2 / 3).toFixed(12), 0]);
    expect(Array.from(s.recall)).toEqual([1, 1, 0]);
    expect(s.f1[2]).toBe(0);
    const macro = precisionRecallF1([0, 0, 1, 1, 2], [0, 0, 1, 1, 1]);
    expect(macro.precision).toBeCloseTo((1 + 2 / 3 + 0) / 3, 15);
    expect(macro.f1).toBeCloseTo((1 + 0.8 + 0) / 3, 15);
    expect(macro.support).toBe(5);
  });

  it('scores only labels present in either input unless numClasses is given', () => {
    const a = precisionRecallF1([0, 2], [0, 2]);
    expect(a.f1).toBe(1);
    const none = precisionRecallF1([0, 2], [0, 2], { average: 'none' });
    expect(Array.from(none.labels)).toEqual([0, 2]);
    const b = precisionRecallF1([0, 2], [0, 2], { numClasses: 4 });
    expect(b.f1).toBe(0.5);
  });

  it('agrees with scores derived from the confusion matrix, and micro F1 equals accuracy, on random labels', () => {
    const rng = new Prng(2024);
    for (let trial = 0; trial < 20; trial++) {
      const k = 2 + rng.nextInt(5), n = 1 + rng.nextInt(60);
      const yt = Int32Array.from({ length: n }, () => rng.nextInt(k));
      const yp = Int32Array.from({ length: n }, () => (rng.nextFloat() < 0.6 ? yt[0] : rng.nextInt(k)));
      const C = confusionMatrix(yt, yp, k);
      const s = precisionRecallF1(yt, yp, { average: 'none', numClasses: k });
      let total = 0;
      for (let c = 0; c < k; c++) {
        const tp = C[c][c];
        const col = C.reduce((acc, row) => acc + row[c], 0);
        const row = C[c].reduce((acc, v) => acc + v, 0);
        total += row;
        expect(s.precision[c]).toBe(col ? tp / col : 0);
        expect(s.recall[c]).toBe(row ? tp / row : 0);
        expect(s.support[c]).toBe(row);
      }
      expect(total).toBe(n);
      const micro = precisionRecallF1(yt, yp, { average: 'micro', numClasses: k });
      expect(micro.f1).toBeCloseTo(accuracy(yt, yp), 14);
      expect(micro.precision).toBeCloseTo(accuracy(yt, yp), 14);
    }
  });

  it('rejects an unknown average', () => {
    expect(() => precisionRecallF1([0], [0], { average: 'binary' as never })).toThrow(/options\.average must be one of 'macro', 'micro', 'weighted', 'none', got 'binary'/);
  });
});

describe('logLoss', () => {
  it('runs its TSDoc example (2-column and 1-column binary forms)', () => {
    const expected = (-Math.log(0.9) - Math.log(0.8)) / 2;
    expect(logLoss([0, 1], Float64Array.from([0.9, 0.1, 0.2, 0.8]), 2)).toBeCloseTo(expected, 14);
    expect(logLoss([0, 1], Float64Array.from([0.1, 0.8]), 2)).toBeCloseTo(expected, 14);
  });

  it("matches scikit-learn's documented example", () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616...
    const v = logLoss([1, 0, 0, 1], Float32Array.from([0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65]), 2);
    expect(v).toBeCloseTo(0.21616187468057912, 6); // float32 inputs
    const w = logLoss([1, 0, 0, 1], [0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65], 2);
    expect(w).toBeCloseTo(0.21616187468057912, 14);
  });

  it('clips zero probabilities to eps instead of returning Infinity', () => {
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(1e-15), 10);
    expect(logLoss([0], [0, 1], 2, { eps: 1e-7 })).toBeCloseTo(-Math.log(1e-7), 8);
    expect(logLoss([2], [0.2, 0.3, 0.5], 3)).toBeCloseTo(-Math.log(0.5), 14);
  });

  it('renormalizes rows that do not sum to 1, as scikit-learn 1.2 does', () => {
    expect(logLoss([0], [2, 2], 2)).toBeCloseTo(Math.log(2), 14);
  });

  it('validates shapes, labels and eps', () => {
    expect(() => logLoss([0, 1], [0.5, 0.5, 0.5], 2)).toThrow(/probs has 3 values but yTrue has 2 samples/);
    expect(() => logLoss([3], [0.2, 0.3, 0.5], 3)).toThrow(/yTrue\[0\] is 3/);
    expect(() => logLoss([0], [1], 1)).toThrow(/numClasses must be a whole number >= 2, got 1/);
    expect(() => logLoss([0], [NaN, 1], 2)).toThrow(/NaN/);
    expect(() => logLoss([0], [0.5, 0.5], 2, { eps: 0 })).toThrow(/eps/);
  });
});

describe('regression metrics', () => {
  it("run their TSDoc examples (scikit-learn's documented values)", () => {
    const yt = [3, -0.5, 2, 7], yp = [2.5, 0, 2, 8];
    expect(meanSquaredError(yt, yp)).toBe(0.375);
    expect(meanAbsoluteError(yt, yp)).toBe(0.5);
    expect(r2Score(yt, yp)).toBeCloseTo(0.9486081370449679, 15);
  });

  it('r2 is 0 for predicting the mean, negative for worse, and 1/0 for a constant target', () => {
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2Score([1, 2, 3], [3, 2, 1])).toBe(-3);
    expect(r2Score([5, 5], [5, 5])).toBe(1);
    expect(r2Score([5, 5], [5, 6])).toBe(0);
  });

  it('validate lengths', () => {
    expect(() => meanSquaredError([1], [1, 2])).toThrow(RangeError);
    expect(() => meanAbsoluteError([], [])).toThrow(/empty/);
    expect(() => r2Score([1, 2], [1])).toThrow(/yTrue has 2 entries but yPred has 1/);
  });
});
