import { describe } from '../util/describe.js';
import { decodeArray } from '../util/json.js';
import { BOOLEAN, checkNumber, checkOptions } from '../util/options.js';
import { checkLabelVector, checkVector, type DataMatrix, type MatrixInput, type TableView, viewTable } from './matrix.js';

/**
 * What a scaler's `transform` returns for input of type `T`: a `{ data, shape }` matrix with the
 * same data type for a matrix, an array of plain rows (`number[][]`) for an array of rows.
 */
export type Transformed<T> = T extends DataMatrix<infer D> ? DataMatrix<D> : number[][];

const EPS = 2.220446049250313e-16; // float64 machine epsilon, as numpy's finfo(float64).eps

/** Options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the mean. Default `true`. */
  withMean?: boolean;
  /** Divide by the standard deviation. Default `true`. */
  withStd?: boolean;
}

/** The JSON form of a {@link StandardScaler} (from `toJSON()`, read by `StandardScaler.fromJSON`). */
export interface StandardScalerJSON {
  kind: 'StandardScaler';
  withMean: boolean;
  withStd: boolean;
  mean: number[];
  scale: number[];
}

/**
 * Standardizes features: `z = (x - mean) / scale`, per column, as scikit-learn's `StandardScaler`.
 *
 * `fit` computes each column's mean and population standard deviation (ddof = 0) in float64,
 * with scikit-learn's corrected two-pass variance; a column that is constant (its variance is
 * within rounding of zero, scikit-learn's `_is_constant_feature`) gets scale 1, so it maps to 0
 * instead of dividing by zero. Use `StandardScaler.fromParams({ mean, scale })` for a scaler
 * fitted elsewhere (e.g. the stored one of `digitsSplit()`).
 *
 * Inputs are a `{ data, shape }` matrix or an array of rows (see `MatrixInput`). `transform` and
 * `inverseTransform` return a new table of the same form (matrix in, matrix of the same data type
 * out; rows in, `number[][]` out) and never modify their input; values are computed in float64 and
 * rounded once to the output type. NaN passes through `transform` unchanged; `fit` rejects it.
 *
 * Defaults: `withMean = true`, `withStd = true`.
 *
 * @example
 * const scaler = new StandardScaler();
 * const Z = scaler.fitTransform([[1, 10], [3, 10]]);   // [[-1, 0], [1, 0]]
 * scaler.mean;                                          // Float64Array [2, 10]
 * scaler.scale;                                         // Float64Array [1, 1] (the constant column gets 1)
 * scaler.inverseTransform(Z);                           // [[1, 10], [3, 10]]
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private mean_: Float64Array | null = null;
  private scale_: Float64Array | null = null;

  constructor(options: StandardScalerOptions = {}) {
    const { withMean = true, withStd = true } = checkOptions('StandardScaler', options, { withMean: BOOLEAN, withStd: BOOLEAN });
    this.withMean = withMean;
    this.withStd = withStd;
  }

  /**
   * A fitted scaler from stored parameters: `mean` and `scale` (one per feature; scale > 0).
   *
   * @example
   * const s = StandardScaler.fromParams({ mean: [2, 10], scale: [1, 4] });
   * s.transform([[3, 2]]); // [[1, -2]]
   */
  static fromParams(params: { mean: ArrayLike<number>; scale: ArrayLike<number> }, options: StandardScalerOptions = {}): StandardScaler {
    const fn = 'StandardScaler.fromParams';
    if (params === null || typeof params !== 'object') {
      throw new TypeError(`${fn}: params must be { mean, scale }, got ${describe(params)}`);
    }
    const nm = checkLabelVector(params.mean, fn, 'params.mean');
    const ns = checkLabelVector(params.scale, fn, 'params.scale');
    if (nm !== ns) {
      throw new RangeError(`${fn}: params.mean has ${nm} entries but params.scale has ${ns}; pass one of each per feature`);
    }
    const mean = Float64Array.from(params.mean);
    const scale = Float64Array.from(params.scale);
    for (let j = 0; j < nm; j++) {
      if (!Number.isFinite(mean[j])) throw new RangeError(`${fn}: params.mean[${j}] is ${mean[j]}; every mean must be finite`);
      if (!(scale[j] > 0) || !Number.isFinite(scale[j])) {
        throw new RangeError(`${fn}: params.scale[${j}] is ${scale[j]}; every scale must be finite and > 0 (use 1 for a constant feature)`);
      }
    }
    const s = new StandardScaler(options);
    s.mean_ = mean;
    s.scale_ = scale;
    return s;
  }

  /** Rebuilds a scaler from `toJSON()` output. */
  static fromJSON(json: StandardScalerJSON): StandardScaler {
    if (json === null || typeof json !== 'object' || json.kind !== 'StandardScaler') {
      throw new TypeError(`StandardScaler.fromJSON: expected the object from StandardScaler#toJSON() (kind "StandardScaler"), got ${describe(json)}`);
    }
    return StandardScaler.fromParams(json, { withMean: json.withMean, withStd: json.withStd });
  }

  /** Whether `fit` (or `fromParams`) has set the parameters. */
  get fitted(): boolean {
    return this.mean_ !== null;
  }

  /** The number of features seen by `fit`. */
  get nFeatures(): number {
    return this.params('nFeatures').mean.length;
  }

  /** @deprecated Use {@link nFeatures} (the models' name for it). */
  get numFeatures(): number {
    return this.nFeatures;
  }

  /** A copy of the per-feature means. */
  get mean(): Float64Array {
    return this.params('mean').mean.slice();
  }

  /** A copy of the per-feature scales (population std; 1 for constant features). */
  get scale(): Float64Array {
    return this.params('scale').scale.slice();
  }

  /** Computes the mean and scale of each column of `X` (at least one row); returns `this`. */
  fit(X: MatrixInput): this {
    const v = fitTable(X, 'StandardScaler.fit'), { rows, cols } = v;
    const mean = new Float64Array(cols);
    const scale = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += v.get(i, j);
      const m = sum / rows;
      // scikit-learn's _incremental_mean_and_var: sum of squared deviations, minus the squared sum
      // of deviations / n, which cancels the rounding error of the mean.
      let sq = 0, corr = 0;
      for (let i = 0; i < rows; i++) {
        const d = v.get(i, j) - m;
        corr += d;
        sq += d * d;
      }
      const variance = Math.max(0, (sq - (corr * corr) / rows) / rows);
      const constant = variance <= rows * EPS * variance + (rows * m * EPS) ** 2;
      mean[j] = m;
      scale[j] = constant ? 1 : Math.sqrt(variance);
    }
    this.mean_ = mean;
    this.scale_ = scale;
    return this;
  }

  /** Returns `(X - mean) / scale` as a new table of the same form as `X`. */
  transform<T extends MatrixInput>(X: T): Transformed<T> {
    const { mean, scale } = this.params('transform');
    const m = this.withMean, s = this.withStd;
    return mapTable(X, 'StandardScaler.transform', mean.length, (x, j) => {
      const c = m ? x - mean[j] : x;
      return s ? c / scale[j] : c;
    });
  }

  /** `fit(X)` then `transform(X)`. */
  fitTransform<T extends MatrixInput>(X: T): Transformed<T> {
    return this.fit(X).transform(X);
  }

  /** Returns `Z * scale + mean` as a new table of the same form as `Z`: undoes `transform`. */
  inverseTransform<T extends MatrixInput>(Z: T): Transformed<T> {
    const { mean, scale } = this.params('inverseTransform');
    const m = this.withMean, s = this.withStd;
    return mapTable(Z, 'StandardScaler.inverseTransform', mean.length, (z, j) => {
      const c = s ? z * scale[j] : z;
      return m ? c + mean[j] : c;
    });
  }

  /** A plain-JSON form; `StandardScaler.fromJSON` restores it exactly (numbers round-trip). */
  toJSON(): StandardScalerJSON {
    const { mean, scale } = this.params('toJSON');
    return { kind: 'StandardScaler', withMean: this.withMean, withStd: this.withStd, mean: Array.from(mean), scale: Array.from(scale) };
  }

  private params(what: string): { mean: Float64Array; scale: Float64Array } {
    if (!this.mean_ || !this.scale_) {
      throw new TypeError(`StandardScaler.${what}: the scaler is not fitted; call fit(X) first, or build it with StandardScaler.fromParams({ mean, scale })`);
    }
    return { mean: this.mean_, scale: this.scale_ };
  }
}

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** The `[min, max]` each feature is mapped to, with min < max. Default `[0, 1]`. */
  featureRange?: readonly [number, number];
}

/** The JSON form of a {@link MinMaxScaler}. */
export interface MinMaxScalerJSON {
  kind: 'MinMaxScaler';
  featureRange: [number, number];
  dataMin: number[];
  dataMax: number[];
}

/**
 * Rescales each feature linearly so its fitted minimum and maximum map to `featureRange`, as
 * scikit-learn's `MinMaxScaler`: `z = x * scale + min` with
 * `scale = (hi - lo) / (dataMax - dataMin)` and `min = lo - dataMin * scale`. A constant column
 * (range below 10 machine epsilons) gets range 1, so it maps to `lo`. Values outside the fitted
 * range map outside `featureRange` (no clipping).
 *
 * Inputs and outputs follow {@link StandardScaler}: a matrix or an array of rows in, a new table
 * of the same form out; statistics in float64; the input is never modified.
 *
 * Defaults: `featureRange = [0, 1]`.
 *
 * @example
 * const s = new MinMaxScaler({ featureRange: [-1, 1] });
 * s.fitTransform([[0, 5], [10, 5], [5, 5]]); // [[-1, -1], [1, -1], [0, -1]]
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  private min_: Float64Array | null = null;
  private max_: Float64Array | null = null;

  constructor(options: MinMaxScalerOptions = {}) {
    const { featureRange = [0, 1] } = checkOptions('MinMaxScaler', options, {
      featureRange: {
        kind: 'pair', items: [{ kind: 'number' }, { kind: 'number' }], fix: 'Pass [min, max], e.g. [0, 1].',
        check: (a, b) => (a < b ? null : 'must have min < max'),
      },
    });
    this.featureRange = [featureRange[0], featureRange[1]];
  }

  /** Rebuilds a scaler from `toJSON()` output. */
  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    const fn = 'MinMaxScaler.fromJSON';
    if (json === null || typeof json !== 'object' || json.kind !== 'MinMaxScaler') {
      throw new TypeError(`${fn}: expected the object from MinMaxScaler#toJSON() (kind "MinMaxScaler"), got ${describe(json)}`);
    }
    const lo = decodeArray(json.dataMin, `${fn}: json.dataMin`, undefined, { finite: true });
    const hi = decodeArray(json.dataMax, `${fn}: json.dataMax`, lo.length, { finite: true });
    for (let j = 0; j < lo.length; j++) {
      if (!(lo[j] <= hi[j])) throw new RangeError(`${fn}: json.dataMin[${j}] is ${lo[j]} but json.dataMax[${j}] is ${hi[j]}; pass the object toJSON() returned`);
    }
    const s = new MinMaxScaler({ featureRange: json.featureRange });
    s.min_ = lo;
    s.max_ = hi;
    return s;
  }

  /** Whether `fit` has run. */
  get fitted(): boolean {
    return this.min_ !== null;
  }

  /** A copy of each feature's fitted minimum. */
  get dataMin(): Float64Array {
    return this.params('dataMin').lo.slice();
  }

  /** A copy of each feature's fitted maximum. */
  get dataMax(): Float64Array {
    return this.params('dataMax').hi.slice();
  }

  /** Records each column's minimum and maximum (at least one row, all finite); returns `this`. */
  fit(X: MatrixInput): this {
    const v = fitTable(X, 'MinMaxScaler.fit');
    const lo = new Float64Array(v.cols).fill(Infinity);
    const hi = new Float64Array(v.cols).fill(-Infinity);
    for (let i = 0; i < v.rows; i++) {
      for (let j = 0; j < v.cols; j++) {
        const x = v.get(i, j);
        if (x < lo[j]) lo[j] = x;
        if (x > hi[j]) hi[j] = x;
      }
    }
    this.min_ = lo;
    this.max_ = hi;
    return this;
  }

  /** Returns `X * scale + min` as a new table of the same form as `X`. */
  transform<T extends MatrixInput>(X: T): Transformed<T> {
    const { scale, offset } = this.affine('transform');
    return mapTable(X, 'MinMaxScaler.transform', scale.length, (x, j) => x * scale[j] + offset[j]);
  }

  /** `fit(X)` then `transform(X)`. */
  fitTransform<T extends MatrixInput>(X: T): Transformed<T> {
    return this.fit(X).transform(X);
  }

  /** Returns `(Z - min) / scale` as a new table of the same form as `Z`: undoes `transform`. */
  inverseTransform<T extends MatrixInput>(Z: T): Transformed<T> {
    const { scale, offset } = this.affine('inverseTransform');
    return mapTable(Z, 'MinMaxScaler.inverseTransform', scale.length, (z, j) => (z - offset[j]) / scale[j]);
  }

  /** A plain-JSON form; `MinMaxScaler.fromJSON` restores it exactly. */
  toJSON(): MinMaxScalerJSON {
    const { lo, hi } = this.params('toJSON');
    return { kind: 'MinMaxScaler', featureRange: [this.featureRange[0], this.featureRange[1]], dataMin: Array.from(lo), dataMax: Array.from(hi) };
  }

  private params(what: string): { lo: Float64Array; hi: Float64Array } {
    if (!this.min_ || !this.max_) {
      throw new TypeError(`MinMaxScaler.${what}: the scaler is not fitted; call fit(X) first`);
    }
    return { lo: this.min_, hi: this.max_ };
  }

  private affine(what: string): { scale: Float64Array; offset: Float64Array } {
    const { lo, hi } = this.params(what);
    const [a, b] = this.featureRange;
    const scale = new Float64Array(lo.length);
    const offset = new Float64Array(lo.length);
    for (let j = 0; j < lo.length; j++) {
      let range = hi[j] - lo[j];
      if (range < 10 * EPS) range = 1;
      scale[j] = (b - a) / range;
      offset[j] = a - lo[j] * scale[j];
    }
    return { scale, offset };
  }
}

/**
 * One-hot encodes integer class labels into a new `{ data: Float32Array, shape: [n, numClasses] }`
 * matrix: row i has a 1 in column `labels[i]` and 0 elsewhere.
 *
 * Labels must be integers in `[0, numClasses)`. Default `numClasses`: the largest label + 1.
 *
 * @example
 * oneHot([0, 2, 1]).data; // Float32Array [1,0,0, 0,0,1, 0,1,0]
 */
export function oneHot(labels: ArrayLike<number>, numClasses?: number): DataMatrix<Float32Array> {
  const fn = 'oneHot';
  const n = checkVector(labels, fn, 'labels');
  let max = -1;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (typeof c !== 'number') throw new TypeError(`${fn}: labels[${i}] is ${describe(c)}; labels must be integers ≥ 0 (class indices)`);
    if (!Number.isInteger(c) || c < 0 || c >= 2 ** 31) {
      throw new RangeError(`${fn}: labels[${i}] is ${describe(c)}; labels must be integers ≥ 0 (class indices)`);
    }
    if (c > max) max = c;
  }
  if (numClasses !== undefined) checkNumber(fn, 'numClasses', numClasses, { kind: 'number', integer: true, min: 1, fix: 'Omit it to use the largest label + 1.' });
  const k = numClasses ?? max + 1;
  if (max >= k) {
    throw new RangeError(`${fn}: a label is ${max} but numClasses is ${k}; labels must be < numClasses, so raise numClasses to at least ${max + 1}`);
  }
  const data = new Float32Array(n * k);
  for (let i = 0; i < n; i++) data[i * k + labels[i]] = 1;
  return { data, shape: [n, k] };
}

/** The table `fit` reads (as `fn`): at least one row, every value finite. */
function fitTable(X: MatrixInput, fn: string): TableView {
  const v = viewTable(X, fn);
  if (v.rows === 0) throw new RangeError(`${fn}: X has 0 rows; fit needs at least one row`);
  checkFinite(v, fn);
  return v;
}

function checkFinite(v: TableView, fn: string): void {
  for (let i = 0; i < v.rows; i++) {
    for (let j = 0; j < v.cols; j++) {
      const x = v.get(i, j);
      if (!Number.isFinite(x)) {
        throw new TypeError(`${fn}: X row ${i}, column ${j} is ${describe(x)}; fit needs finite numbers, so fill or drop missing values first`);
      }
    }
  }
}

function mapTable<T extends MatrixInput>(X: T, fn: string, cols: number, f: (x: number, j: number) => number): Transformed<T> {
  const v = viewTable(X, fn);
  if (v.cols !== cols && !(v.rows === 0 && v.rowList)) {
    throw new RangeError(`${fn}: X has ${v.cols} columns but the scaler was fitted on ${cols}; pass data with the same features`);
  }
  if (v.flat) {
    const src = v.flat;
    const out = new (src.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(src.length);
    for (let i = 0, k = 0; i < v.rows; i++) for (let j = 0; j < cols; j++, k++) out[k] = f(src[k], j);
    return { data: out, shape: [v.rows, cols] } as unknown as Transformed<T>;
  }
  const rows = v.rowList!;
  return rows.map((row) => {
    const r = new Array<number>(cols);
    for (let j = 0; j < cols; j++) r[j] = f(row[j], j);
    return r;
  }) as unknown as Transformed<T>;
}
