import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler, StandardScaler, oneHot } from '../../src/data/preprocess.js';
import { digitsSplit, loadDigits } from '../../src/data/datasets.js';

const SHARED = new URL('../../../shared/conformance/', import.meta.url);

describe('StandardScaler', () => {
  it('runs its TSDoc examples', () => {
    const scaler = new StandardScaler();
    const Z = scaler.fitTransform([[1, 10], [3, 10]]);
    expect(Z).toEqual([[-1, 0], [1, 0]]);
    expect(Array.from(scaler.mean)).toEqual([2, 10]);
    expect(Array.from(scaler.scale)).toEqual([1, 1]);
    expect(scaler.inverseTransform(Z)).toEqual([[1, 10], [3, 10]]);
    const s = StandardScaler.fromParams({ mean: [2, 10], scale: [1, 4] });
    expect(s.transform([[3, 2]])).toEqual([[1, -2]]);
  });

  it('matches hand-computed population statistics (ddof = 0)', () => {
    // column 0: 1, 3, 5 -> mean 3, variance (4 + 0 + 4) / 3 = 8/3; column 1: 2, 2, 8 -> mean 4, variance (4 + 4 + 16) / 3 = 8
    const X = { data: Float64Array.from([1, 2, 3, 2, 5, 8]), shape: [3, 2] as [number, number] };
    const s = new StandardScaler().fit(X);
    expect(Array.from(s.mean)).toEqual([3, 4]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(8), 15);
    const Z = s.transform(X);
    expect(Z.data).toBeInstanceOf(Float64Array);
    expect(Z.shape).toEqual([3, 2]);
    const r = Math.sqrt(3 / 2);
    const expected = [-r, -2 / Math.sqrt(8), 0, -2 / Math.sqrt(8), r, 4 / Math.sqrt(8)];
    Array.from(Z.data).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
  });

  it('gives constant columns scale 1, including ones whose float mean is not exact', () => {
    const rows = Array.from({ length: 10 }, () => [0.1, 1e8 / 3, 5]);
    const s = new StandardScaler().fit(rows);
    expect(Array.from(s.scale)).toEqual([1, 1, 1]);
    const Z = s.transform(rows);
    for (const row of Z) for (const v of row) expect(Math.abs(v)).toBeLessThan(1e-6);
    // one-ulp wobble is rounding, not signal: scikit-learn's _is_constant_feature treats it as constant
    const wobble = new StandardScaler().fit([[1], [1 + 2 ** -52], [1], [1 + 2 ** -52]]);
    expect(wobble.scale[0]).toBe(1);
    // while a real (if small) spread is kept
    expect(new StandardScaler().fit([[1], [1 + 1e-9]]).scale[0]).toBeCloseTo(5e-10, 15);
  });

  it('returns new arrays of the input form and never modifies the input', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const before = Array.from(data);
    const X = { data, shape: [3, 2] as [number, number] };
    const s = new StandardScaler();
    const Z = s.fitTransform(X);
    expect(Z.data).toBeInstanceOf(Float32Array);
    expect(Z.data).not.toBe(data);
    expect(Array.from(data)).toEqual(before);
    const back = s.inverseTransform(Z);
    Array.from(back.data).forEach((v, k) => expect(v).toBeCloseTo(before[k], 5));
    // the mean getter hands out a copy
    s.mean[0] = 99;
    expect(s.mean[0]).toBe(3);
  });

  it('round-trips random data in float64 within 1e-12', () => {
    let x = 12345;
    const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 100 - 50;
    const data = Float64Array.from({ length: 200 }, rnd);
    const X = { data, shape: [40, 5] as [number, number] };
    const s = new StandardScaler().fit(X);
    const Z = s.transform(X);
    for (let j = 0; j < 5; j++) {
      let m = 0, v = 0;
      for (let i = 0; i < 40; i++) m += Z.data[i * 5 + j];
      m /= 40;
      for (let i = 0; i < 40; i++) v += (Z.data[i * 5 + j] - m) ** 2;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(v / 40).toBeCloseTo(1, 12);
    }
    const back = s.inverseTransform(Z);
    back.data.forEach((v, k) => expect(Math.abs(v - data[k])).toBeLessThan(1e-12 * (1 + Math.abs(data[k]))));
  });

  it('respects withMean / withStd', () => {
    const a = new StandardScaler({ withMean: false }).fitTransform([[1], [3]]);
    expect(a).toEqual([[1], [3]]);
    const b = new StandardScaler({ withStd: false }).fitTransform([[1], [3]]);
    expect(b).toEqual([[-1], [1]]);
  });

  it('reproduces the stored scikit-learn scaler of the digits train split', () => {
    const { X } = loadDigits();
    const { trainIndices, scalerMean, scalerScale } = digitsSplit();
    const rows = Array.from(trainIndices, (i) => X.data.subarray(i * 64, i * 64 + 64));
    const s = new StandardScaler().fit(rows);
    const mean = s.mean, scale = s.scale;
    for (let j = 0; j < 64; j++) {
      expect(Math.abs(mean[j] - scalerMean[j])).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(scalerMean[j])));
      expect(Math.abs(scale[j] - scalerScale[j])).toBeLessThanOrEqual(1e-13 * scalerScale[j]);
    }
    // constant pixels get 1, as in scikit-learn
    expect(scale.filter((v) => v === 1).length).toBe(scalerScale.filter((v) => v === 1).length);
    expect(scalerScale.filter((v) => v === 1).length).toBeGreaterThan(0);
    // and it agrees with the reference JSON directly
    const ref = JSON.parse(readFileSync(new URL('sklearn_reference.json', SHARED), 'utf8')).cases.find((c: { dataset: string }) => c.dataset === 'digits');
    expect(Array.from(scalerMean)).toEqual(ref.scaler.mean);
  });

  it('fromParams builds a scaler that transforms like the formula', () => {
    const s = StandardScaler.fromParams({ mean: Float64Array.from([1, -2]), scale: [2, 0.5] });
    const Z = s.transform({ data: Float32Array.from([3, -1, 1, -2]), shape: [2, 2] });
    expect(Array.from(Z.data)).toEqual([1, 2, 0, 0]);
    expect(s.numFeatures).toBe(2);
    expect(s.fitted).toBe(true);
  });

  it('round-trips through JSON text exactly', () => {
    const s = new StandardScaler().fit([[0.1, 7], [0.7, 9], [1.3, 2]]);
    const t = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(Array.from(t.mean)).toEqual(Array.from(s.mean));
    expect(Array.from(t.scale)).toEqual(Array.from(s.scale));
    expect(t.transform([[0.5, 5]])).toEqual(s.transform([[0.5, 5]]));
    const u = StandardScaler.fromJSON(new StandardScaler({ withMean: false }).fit([[1], [2]]).toJSON());
    expect(u.withMean).toBe(false);
  });

  it('throws sentences naming the problem', () => {
    expect(() => new StandardScaler().transform([[1]])).toThrow(/not fitted; call fit\(X\) first/);
    const s = new StandardScaler().fit([[1, 2], [3, 4]]);
    expect(() => s.transform([[1, 2, 3]])).toThrow(/3 columns but the scaler was fitted on 2/);
    expect(() => new StandardScaler().fit([[1, NaN]])).toThrow(/row 0, column 1 is NaN/);
    expect(() => new StandardScaler().fit([])).toThrow(/0 rows/);
    expect(() => StandardScaler.fromParams({ mean: [0, 0], scale: [1, 0] })).toThrow(/params.scale\[1\] is 0/);
    expect(() => StandardScaler.fromParams({ mean: [0], scale: [1, 1] })).toThrow(RangeError);
    expect(() => StandardScaler.fromJSON({ kind: 'MinMaxScaler' } as never)).toThrow(TypeError);
  });
});

describe('MinMaxScaler', () => {
  it('runs its TSDoc example', () => {
    const s = new MinMaxScaler({ featureRange: [-1, 1] });
    expect(s.fitTransform([[0, 5], [10, 5], [5, 5]])).toEqual([[-1, -1], [1, -1], [0, -1]]);
  });

  it('maps min/max to [0, 1] by default, extrapolates linearly, and inverts', () => {
    const X = { data: Float64Array.from([2, -1, 4, 3, 6, 1]), shape: [3, 2] as [number, number] };
    const s = new MinMaxScaler().fit(X);
    expect(Array.from(s.dataMin)).toEqual([2, -1]);
    expect(Array.from(s.dataMax)).toEqual([6, 3]);
    expect(Array.from(s.transform(X).data)).toEqual([0, 0, 0.5, 1, 1, 0.5]);
    expect(s.transform([[8, -3]])).toEqual([[1.5, -0.5]]);
    expect(Array.from(s.inverseTransform(s.transform(X)).data)).toEqual(Array.from(X.data));
    expect(Array.from(X.data)).toEqual([2, -1, 4, 3, 6, 1]);
  });

  it('round-trips through JSON', () => {
    const s = new MinMaxScaler({ featureRange: [5, 6] }).fit([[1], [3]]);
    const t = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(t.transform([[2]])).toEqual([[5.5]]);
    expect(t.featureRange).toEqual([5, 6]);
  });

  it('rejects bad ranges and unfitted use', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(/min < max/);
    expect(() => new MinMaxScaler().transform([[1]])).toThrow(/not fitted/);
    expect(() => new MinMaxScaler().fit([[Infinity]])).toThrow(TypeError);
  });
});

describe('oneHot', () => {
  it('runs its TSDoc example', () => {
    expect(Array.from(oneHot([0, 2, 1]).data)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
  });

  it('uses numClasses for the width and checks labels', () => {
    const m = oneHot(Int32Array.from([1, 1]), 4);
    expect(m.shape).toEqual([2, 4]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual([0, 1, 0, 0, 0, 1, 0, 0]);
    expect(() => oneHot([0, 3], 3)).toThrow(/a label is 3 but numClasses is 3/);
    expect(() => oneHot([0, 1.5])).toThrow(/labels\[1\] is 1.5/);
    expect(() => oneHot([-1])).toThrow(RangeError);
  });
});
