import { describe, expect, it } from 'vitest';
import { trainTestSplit } from '../../src/data/split.js';
import { Prng } from '../../src/util/prng.js';

function table(n: number, cols: number): { data: Float32Array; shape: [number, number] } {
  const data = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = i * 10 + j;
  return { data, shape: [n, cols] };
}

function labels(counts: number[]): Int32Array {
  const y: number[] = [];
  counts.forEach((m, c) => { for (let i = 0; i < m; i++) y.push(c); });
  // interleave so classes are not in blocks
  const rng = new Prng(99);
  return Int32Array.from(rng.shuffle(y));
}

function count(y: ArrayLike<number>, c: number): number {
  let k = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === c) k++;
  return k;
}

describe('trainTestSplit', () => {
  it('runs its TSDoc example', () => {
    const X = { data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), shape: [4, 2] as [number, number] };
    const y = Int32Array.from([0, 0, 1, 1]);
    const s = trainTestSplit(X, y, { testSize: 0.5, seed: 42, stratify: true });
    expect(s.XTrain.shape).toEqual([2, 2]);
    expect(s.yTrain).toBeInstanceOf(Int32Array);
    expect(Array.from(s.yTrain).sort()).toEqual([0, 1]);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const X = table(100, 3), y = new Float64Array(100);
    const a = trainTestSplit(X, y, { seed: 7 });
    const b = trainTestSplit(X, y, { seed: 7 });
    const c = trainTestSplit(X, y, { seed: 8 });
    expect(Array.from(a.testIndices)).toEqual(Array.from(b.testIndices));
    expect(Array.from(a.trainIndices)).toEqual(Array.from(b.trainIndices));
    expect(Array.from(a.testIndices)).not.toEqual(Array.from(c.testIndices));
    // the default seed is fixed too
    expect(Array.from(trainTestSplit(X, y).testIndices)).toEqual(Array.from(trainTestSplit(X, y, { seed: 0 }).testIndices));
  });

  it('gives disjoint, complete indices and ceil(testSize * n) test rows', () => {
    for (const [n, testSize, nTest] of [[100, 0.25, 25], [10, 0.33, 4], [7, 0.2, 2], [50, 12, 12]] as const) {
      const s = trainTestSplit(table(n, 2), new Float64Array(n), { testSize, seed: 3 });
      expect(s.testIndices.length).toBe(nTest);
      expect(s.trainIndices.length).toBe(n - nTest);
      const all = [...s.trainIndices, ...s.testIndices].sort((p, q) => p - q);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('copies the rows and labels the indices name, keeping data types', () => {
    const X = table(20, 3);
    const y = Float64Array.from({ length: 20 }, (_, i) => i * 0.5);
    const s = trainTestSplit(X, y, { seed: 1 });
    expect(s.XTrain.data).toBeInstanceOf(Float32Array);
    expect(s.yTrain).toBeInstanceOf(Float64Array);
    s.trainIndices.forEach((row, r) => {
      expect(Array.from(s.XTrain.data.subarray(r * 3, r * 3 + 3))).toEqual([row * 10, row * 10 + 1, row * 10 + 2]);
      expect(s.yTrain[r]).toBe(row * 0.5);
    });
    s.testIndices.forEach((row, r) => {
      expect(s.XTest.data[r * 3]).toBe(row * 10);
      expect(s.yTest[r]).toBe(row * 0.5);
    });
    // the input is untouched and not aliased
    expect(Array.from(X.data)).toEqual(Array.from(table(20, 3).data));
    s.XTrain.data[0] = -1;
    expect(Array.from(X.data).includes(-1)).toBe(false);
  });

  it('accepts an array of rows (-> Float32Array) and Float64Array data (-> Float64Array), plain-array labels (-> Float64Array)', () => {
    const rows = [[1, 2], [3, 4], [5, 6], [7, 8]];
    const s = trainTestSplit(rows, [0, 1, 0, 1], { testSize: 0.5, seed: 5 });
    expect(s.XTrain.data).toBeInstanceOf(Float32Array);
    expect(s.yTrain).toBeInstanceOf(Float64Array);
    s.testIndices.forEach((row, r) => expect(Array.from(s.XTest.data.subarray(r * 2, r * 2 + 2))).toEqual(rows[row]));
    const d = trainTestSplit({ data: new Float64Array([0.1, 0.2, 0.3, 0.4]), shape: [4, 1] }, Int32Array.from([0, 1, 2, 3]), { testSize: 1 });
    expect(d.XTest.data).toBeInstanceOf(Float64Array);
    expect(d.XTest.data[0]).toBe([0.1, 0.2, 0.3, 0.4][d.testIndices[0]]);
  });

  it('keeps class proportions exactly when they divide evenly', () => {
    const y = labels([50, 30, 20]);
    for (const seed of [0, 1, 2, 3]) {
      const s = trainTestSplit(table(100, 1), y, { testSize: 0.2, seed, stratify: true });
      expect([count(s.yTest, 0), count(s.yTest, 1), count(s.yTest, 2)]).toEqual([10, 6, 4]);
      expect([count(s.yTrain, 0), count(s.yTrain, 1), count(s.yTrain, 2)]).toEqual([40, 24, 16]);
      s.testIndices.forEach((row, r) => expect(s.yTest[r]).toBe(y[row]));
    }
  });

  it('rounds stratified counts by largest remainder', () => {
    // 15 rows, classes 7/5/3, 6 test rows: ideal 2.8/2/1.2 -> floor 2/2/1, the spare row goes to class 0
    const y = labels([7, 5, 3]);
    const s = trainTestSplit(table(15, 1), y, { testSize: 0.4, seed: 11, stratify: true });
    expect([count(s.yTest, 0), count(s.yTest, 1), count(s.yTest, 2)]).toEqual([3, 2, 1]);
    // unstratified splits of the same data do drift from the proportions for some seeds
    const drift = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].some((seed) => {
      const u = trainTestSplit(table(15, 1), y, { testSize: 0.4, seed });
      return count(u.yTest, 0) !== 3 || count(u.yTest, 2) !== 1;
    });
    expect(drift).toBe(true);
  });

  it('shuffles within and across classes in a stratified split', () => {
    const y = labels([30, 30]);
    const s = trainTestSplit(table(60, 1), y, { testSize: 0.5, seed: 4, stratify: true });
    const sorted = Array.from(s.testIndices).sort((p, q) => p - q);
    expect(Array.from(s.testIndices)).not.toEqual(sorted);
    const firstHalf = Array.from(s.yTest.subarray(0, 15));
    expect(new Set(firstHalf).size).toBe(2);
  });

  it('without shuffle takes the first rows for training and the last for testing', () => {
    const s = trainTestSplit(table(8, 1), new Float64Array(8), { testSize: 0.25, shuffle: false });
    expect(Array.from(s.trainIndices)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(s.testIndices)).toEqual([6, 7]);
  });

  it('draws from a Prng passed as seed, advancing it', () => {
    const rng = new Prng(5);
    const a = trainTestSplit(table(30, 1), new Float64Array(30), { seed: rng });
    const b = trainTestSplit(table(30, 1), new Float64Array(30), { seed: rng });
    expect(Array.from(a.testIndices)).not.toEqual(Array.from(b.testIndices));
    const again = trainTestSplit(table(30, 1), new Float64Array(30), { seed: new Prng(5) });
    expect(Array.from(again.testIndices)).toEqual(Array.from(a.testIndices));
  });

  it('rejects bad input with a sentence naming the argument', () => {
    const X = table(10, 2);
    expect(() => trainTestSplit(X, new Float64Array(9))).toThrow(/y has 9 labels but X has 10 rows/);
    expect(() => trainTestSplit(X, new Float64Array(10), { testSize: 0 })).toThrow(RangeError);
    expect(() => trainTestSplit(X, new Float64Array(10), { testSize: 1.5 })).toThrow(/neither a fraction/);
    expect(() => trainTestSplit(X, new Float64Array(10), { testSize: 10 })).toThrow(/gives 10 held-out rows out of 10/);
    expect(() => trainTestSplit(X, Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 2]), { stratify: true })).toThrow(/class 2 has only 1 row/);
    expect(() => trainTestSplit(X, new Float64Array(10), { stratify: true, shuffle: false })).toThrow(/stratify needs shuffle/);
    expect(() => trainTestSplit({ data: new Float32Array(5), shape: [3, 2] }, new Float64Array(3))).toThrow(/needs 6 values/);
    expect(() => trainTestSplit([[1, 2], [3]], [0, 1])).toThrow(/X\[1\] has 1 values/);
    expect(() => trainTestSplit({ data: [1, 2] as unknown as Float32Array, shape: [1, 2] }, [0])).toThrow(TypeError);
  });
});

describe('takeRows', () => {
  it('takes the given rows in order, keeping the float and label types, and checks the indices', async () => {
    const { takeRows } = await import('../../src/data/split.js');
    const X = { data: Float64Array.from([0, 1, 10, 11, 20, 21, 30, 31]), shape: [4, 2] as [number, number] };
    const r = takeRows(X, Int32Array.from([5, 6, 7, 8]), [3, 0, 3]);
    expect(r.X.shape).toEqual([3, 2]);
    expect(r.X.data).toBeInstanceOf(Float64Array);
    expect(Array.from(r.X.data)).toEqual([30, 31, 0, 1, 30, 31]);
    expect(r.y).toBeInstanceOf(Int32Array);
    expect(Array.from(r.y)).toEqual([8, 5, 8]);
    const rows = takeRows([[1, 2], [3, 4]], [0, 1], [1]);
    expect(rows.X.data).toBeInstanceOf(Float32Array);
    expect(Array.from(rows.y)).toEqual([1]);
    expect(() => takeRows(X, [1, 2, 3, 4], [4])).toThrow(/indices\[0\] is 4; row indices must be whole numbers from 0 to 3/);
    expect(() => takeRows(X, [1, 2], [0])).toThrow(/y has 2 labels but X has 4 rows/);
  });
});
