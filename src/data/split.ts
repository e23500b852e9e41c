import { Prng } from '../util/prng.js';
import { describe } from '../util/describe.js';
import { BOOLEAN, checkOptions } from '../util/options.js';
import { checkLabelVector, checkVector, type DataMatrix, type MatrixInput, type TableView, viewTable } from './matrix.js';

/** Typed arrays that labels may come in; the split returns labels in the same kind. */
export type LabelArray =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/** The label kind a split returns for input labels of kind `Y`: plain arrays become `Float64Array`. */
export type SplitLabels<Y> = Y extends LabelArray ? Y : Float64Array;

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /**
   * The test set's size: a fraction in (0, 1) of the rows (rounded up, as scikit-learn does), or an
   * integer count ≥ 1. Default `0.25`.
   */
  testSize?: number;
  /**
   * The seed of the shuffle, or a {@link Prng} to draw from (it advances). Default `0`, so a split
   * is reproducible unless you ask for another.
   */
  seed?: number | Prng;
  /** Keep each class's share of rows (up to rounding) in both parts, using `y` as the classes. Default `false`. Needs `shuffle`. */
  stratify?: boolean;
  /** Shuffle before splitting. With `false` the first rows are the train set and the last the test set. Default `true`. */
  shuffle?: boolean;
}

/** What {@link trainTestSplit} returns. Every array is new; nothing aliases the input. */
export interface TrainTestSplit<D extends Float32Array | Float64Array, Y> {
  XTrain: DataMatrix<D>;
  XTest: DataMatrix<D>;
  yTrain: Y;
  yTest: Y;
  /** The input rows that went to the train set, in train order. */
  trainIndices: Uint32Array;
  /** The input rows that went to the test set, in test order. */
  testIndices: Uint32Array;
}

/**
 * Splits rows into a train and a test set, shuffled by a seeded {@link Prng}.
 *
 * `X` is a `{ data, shape }` row-major matrix (`Float32Array` or `Float64Array`) or, for
 * convenience, an array of equal-length rows. `XTrain`/`XTest` are new `{ data, shape }` matrices
 * whose `data` has the input's type (`Float32Array` for an array of rows). `y` is any array of
 * numbers with one entry per row; `yTrain`/`yTest` have the same typed-array type (`Float64Array`
 * for a plain array).
 *
 * The test set has `ceil(testSize * rows)` rows for a fractional `testSize` (scikit-learn's
 * rule). With `stratify`, each class's test count is its proportional share, rounded so the
 * total is exact (largest remainders, ties broken by the seed), so class proportions match in both
 * parts up to one row per class; as in scikit-learn, every class needs at least 2 rows and each
 * part needs at least as many rows as there are classes. The same seed gives the same split; it is not the same split as
 * scikit-learn's for the same `random_state` (different generator) — for that use fixed indices,
 * e.g. `digitsSplit()`.
 *
 * Defaults: `testSize = 0.25`, `seed = 0`, `stratify = false`, `shuffle = true`.
 *
 * @example
 * const X = { data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), shape: [4, 2] as [number, number] };
 * const y = Int32Array.from([0, 0, 1, 1]);
 * const s = trainTestSplit(X, y, { testSize: 0.5, seed: 42, stratify: true });
 * // s.XTrain.shape = [2, 2]; s.yTrain is an Int32Array with one 0 and one 1
 */
export function trainTestSplit<Y extends LabelArray | ReadonlyArray<number>>(
  X: DataMatrix<Float64Array>, y: Y, options?: TrainTestSplitOptions): TrainTestSplit<Float64Array, SplitLabels<Y>>;
export function trainTestSplit<Y extends LabelArray | ReadonlyArray<number>>(
  X: MatrixInput, y: Y, options?: TrainTestSplitOptions): TrainTestSplit<Float32Array, SplitLabels<Y>>;
export function trainTestSplit(
  X: MatrixInput, y: LabelArray | ReadonlyArray<number>, options: TrainTestSplitOptions = {},
): TrainTestSplit<Float32Array | Float64Array, LabelArray> {
  const fn = 'trainTestSplit';
  const o = checkOptions(fn, options, {
    testSize: { kind: 'number', min: 0, minOpen: true, fix: 'Pass a fraction in (0, 1) such as 0.2, or a whole count of test rows such as 30.' },
    seed: { kind: 'custom', want: 'a whole number or a Prng', test: (v) => v instanceof Prng || (typeof v === 'number' && (Number.isInteger(v) || 'must be a whole number')), fix: 'Pass e.g. seed: 42.' },
    stratify: BOOLEAN,
    shuffle: BOOLEAN,
  });
  const view = viewTable(X, fn);
  const n = view.rows;
  const ny = checkLabelVector(y, fn, 'y');
  if (ny !== n) {
    throw new RangeError(`${fn}: y has ${ny} labels but X has ${n} rows; pass one label per row`);
  }
  const { testSize = 0.25, seed = 0, stratify = false, shuffle = true } = o;
  const [trainIdx, testIdx] = splitIndices(n, y, testSize, seed instanceof Prng ? seed : new Prng(seed), stratify, shuffle, TRAIN_TEST_SPLIT);

  const train = takeRowsOf(view, y, trainIdx), test = takeRowsOf(view, y, testIdx);
  return {
    XTrain: train.X, XTest: test.X,
    yTrain: train.y, yTest: test.y,
    trainIndices: trainIdx, testIndices: testIdx,
  };
}

/**
 * The rows `indices` of (X, y), in that order, as new arrays: X as a `{ data, shape }` matrix of
 * X's float type (float32 for an array of rows), y of y's typed-array kind (Float64Array for a
 * plain array). Useful with stored splits such as {@link digitsSplit}.
 * @example
 * const { X, y } = loadDigits(), s = digitsSplit();
 * const train = takeRows(X, y, s.trainIndices); // { X: { data, shape: [1437, 64] }, y: Int32Array }
 */
export function takeRows<Y extends LabelArray | ReadonlyArray<number>>(
  X: MatrixInput, y: Y, indices: ArrayLike<number>,
): { X: DataMatrix; y: SplitLabels<Y> } {
  const fn = 'takeRows';
  const view = viewTable(X, fn);
  const ny = checkLabelVector(y, fn, 'y');
  if (ny !== view.rows) throw new RangeError(`${fn}: y has ${ny} labels but X has ${view.rows} rows; pass one label per row`);
  checkVector(indices, fn, 'indices');
  const idx = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (typeof r !== 'number') throw new TypeError(`${fn}: indices[${i}] is ${describe(r)}; row indices must be whole numbers from 0 to ${view.rows - 1}`);
    if (!Number.isInteger(r) || r < 0 || r >= view.rows) {
      throw new RangeError(`${fn}: indices[${i}] is ${describe(r)}; row indices must be whole numbers from 0 to ${view.rows - 1}`);
    }
    idx[i] = r;
  }
  return takeRowsOf(view, y, idx) as { X: DataMatrix; y: SplitLabels<Y> };
}

function takeRowsOf(view: TableView, y: LabelArray | ReadonlyArray<number>, idx: Uint32Array): { X: DataMatrix; y: LabelArray } {
  const cols = view.cols;
  const Out = view.flat instanceof Float64Array ? Float64Array : Float32Array;
  const data = new Out(idx.length * cols);
  if (view.flat) {
    for (let r = 0; r < idx.length; r++) data.set(view.flat.subarray(idx[r] * cols, idx[r] * cols + cols), r * cols);
  } else {
    const rows = view.rowList!;
    for (let r = 0; r < idx.length; r++) {
      const row = rows[idx[r]];
      for (let j = 0; j < cols; j++) data[r * cols + j] = row[j];
    }
  }
  const YOut = (ArrayBuffer.isView(y) ? (y as LabelArray).constructor : Float64Array) as { new (n: number): LabelArray };
  const ys = new YOut(idx.length);
  for (let r = 0; r < idx.length; r++) ys[r] = y[idx[r]];
  return { X: { data, shape: [idx.length, cols] }, y: ys };
}

/** How the split's messages name the caller and its options (fit names its own). */
export interface SplitNames {
  fn: string;
  /** The option holding the test size, e.g. 'options.testSize'. */
  testSize: string;
  /** What to do when stratification is impossible. */
  stratifyFix: string;
}

const TRAIN_TEST_SPLIT: SplitNames = { fn: 'trainTestSplit', testSize: 'options.testSize', stratifyFix: 'set stratify: false' };

/**
 * The row indices of a split: `[train, test]`. Shared by trainTestSplit and fit's validationSplit,
 * each naming its own options in messages.
 */
export function splitIndices(
  n: number, y: ArrayLike<number>, testSize: number, rng: Prng, stratify: boolean, shuffle: boolean, names: SplitNames,
): [Uint32Array, Uint32Array] {
  const nTest = testCount(testSize, n, names);
  const nTrain = n - nTest;
  if (!shuffle) {
    if (stratify) {
      throw new TypeError(`${names.fn}: stratify needs shuffle, got stratify: true with shuffle: false; set shuffle: true (or stratify: false)`);
    }
    const trainIdx = new Uint32Array(nTrain);
    const testIdx = new Uint32Array(nTest);
    for (let i = 0; i < nTrain; i++) trainIdx[i] = i;
    for (let i = 0; i < nTest; i++) testIdx[i] = nTrain + i;
    return [trainIdx, testIdx];
  }
  if (!stratify) {
    const p = rng.permutation(n);
    return [p.slice(nTest), p.slice(0, nTest)];
  }
  return stratifiedIndices(y, n, nTest, rng, names);
}

function testCount(testSize: number, n: number, names: SplitNames): number {
  const { fn, testSize: opt } = names;
  let nTest: number;
  if (testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize)) nTest = testSize;
  else {
    throw new RangeError(`${fn}: ${opt} ${testSize} is neither a fraction in (0, 1) nor a whole count; pass e.g. 0.2 or 30`);
  }
  if (nTest < 1 || nTest > n - 1) {
    throw new RangeError(`${fn}: ${opt} ${testSize} gives ${nTest} held-out rows out of ${n}; both parts need at least one row, so pass a ${opt} that leaves some of each`);
  }
  return nTest;
}

function stratifiedIndices(y: ArrayLike<number>, n: number, nTest: number, rng: Prng, names: SplitNames): [Uint32Array, Uint32Array] {
  const { fn, testSize: opt, stratifyFix } = names;
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = y[i];
    if (Number.isNaN(c)) {
      throw new TypeError(`${fn}: y[${i}] is NaN, which is not a class; stratify needs a class label for every row`);
    }
    let list = members.get(c);
    if (!list) members.set(c, (list = []));
    list.push(i);
  }
  const classes = [...members.keys()].sort((a, b) => a - b);
  const k = classes.length;
  for (const c of classes) {
    const m = members.get(c)!.length;
    if (m < 2) {
      throw new RangeError(`${fn}: class ${c} has only ${m} row, but a stratified split (${opt}) needs at least 2 rows per class; drop that class or ${stratifyFix}`);
    }
  }
  if (nTest < k || n - nTest < k) {
    throw new RangeError(`${fn}: with ${k} classes both parts need at least ${k} rows, but ${opt} gives ${nTest} held-out and ${n - nTest} other rows; change ${opt} or ${stratifyFix}`);
  }
  // Proportional test counts, floored, then the leftover rows go to the largest remainders
  // (ties in random order), like scikit-learn's _approximate_mode.
  const counts = classes.map((c) => members.get(c)!.length);
  const ideal = counts.map((m) => (m * nTest) / n);
  const alloc = ideal.map(Math.floor);
  let left = nTest - alloc.reduce((a, b) => a + b, 0);
  const order = rng.permutation(k);
  const byRemainder = Array.from(order).sort((a, b) => (ideal[b] - alloc[b]) - (ideal[a] - alloc[a]));
  for (let t = 0; left > 0; t = (t + 1) % k) {
    const c = byRemainder[t];
    // Keep at least one row of each class in the train part.
    if (alloc[c] < counts[c] - 1) { alloc[c]++; left--; }
  }
  const test = new Uint32Array(nTest);
  const train = new Uint32Array(n - nTest);
  let a = 0, b = 0;
  classes.forEach((c, ci) => {
    const list = rng.shuffle(members.get(c)!.slice());
    for (let r = 0; r < list.length; r++) {
      if (r < alloc[ci]) test[a++] = list[r];
      else train[b++] = list[r];
    }
  });
  // Mix the classes so neither part is ordered by class.
  rng.shuffle(test);
  rng.shuffle(train);
  return [train, test];
}
