/**
 * Input checks shared by the loss functions and the models: matrices (a `{ data, shape }` or an
 * array of rows), labels and sample weights. Every error is a TypeError (wrong type, NaN, Inf) or
 * a RangeError (wrong shape, label out of range) whose message names the caller, the argument,
 * the offending value and where it sits (row and column), and says how to fix it.
 */
import { describe } from '../util/describe.js';

/** A dense row-major matrix: element (i, j) is `data[i * shape[1] + j]`. */
export interface MatrixData {
  data: Float32Array | Float64Array;
  shape: readonly [number, number] | readonly number[];
}

/** What functions taking a table accept: `{ data, shape }` or an array of equal-length rows. */
export type MatrixInput = MatrixData | ReadonlyArray<ArrayLike<number>>;

/** Labels or targets: one number per row (or rows×outputs values, row-major, for multi-output regression). */
export type LabelInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** A checked matrix: its shape and a way to copy it (as float32) into a destination. */
export interface CheckedMatrix {
  rows: number;
  cols: number;
  /** The flat data when it was given flat (not copied; read only). */
  flat: Float32Array | Float64Array | null;
  /** Copies the values row-major into `out` (length rows·cols) as float32. */
  copyTo(out: Float32Array): void;
  /** Copies rows [r0, r1) row-major to the start of `out` as float32. */
  copyRows(out: Float32Array, r0: number, r1: number): void;
}

/**
 * Checks the shape of a matrix argument (not its values: see {@link findNonFinite}) and, when
 * `cols` is given, that it has that many columns.
 */
export function checkMatrix(x: unknown, fn: string, arg: string, cols?: number, colsWhat = 'features'): CheckedMatrix {
  let out: CheckedMatrix;
  if (Array.isArray(x)) {
    const rowList = x as ReadonlyArray<ArrayLike<number>>;
    const rows = rowList.length;
    let c = -1;
    for (let i = 0; i < rows; i++) {
      const r = rowList[i];
      if (r === null || typeof r !== 'object' || typeof (r as ArrayLike<number>).length !== 'number') {
        throw new TypeError(`${fn}: ${arg}[${i}] is ${describe(r)}; ${arg} must be an array of rows (arrays of numbers) or { data, shape }`);
      }
      if (c < 0) c = r.length;
      else if (r.length !== c) {
        throw new RangeError(`${fn}: ${arg}[${i}] has ${r.length} values but ${arg}[0] has ${c}; every row must have the same length`);
      }
    }
    if (c < 0) c = cols ?? 0;
    const nc = c;
    const copyRows = (dst: Float32Array, r0: number, r1: number) => {
        for (let i = r0; i < r1; i++) {
          const r = rowList[i];
          const o = (i - r0) * nc;
          for (let j = 0; j < nc; j++) {
            const v = r[j];
            if (typeof v !== 'number') {
              throw new TypeError(`${fn}: ${arg}[${i}][${j}] (row ${i}, column ${j}) is ${describe(v)}; every value must be a finite number`);
            }
            dst[o + j] = v;
          }
        }
    };
    out = { rows, cols: nc, flat: null, copyRows, copyTo: (dst) => copyRows(dst, 0, rows) };
  } else if (x !== null && typeof x === 'object' && 'data' in (x as object) && 'shape' in (x as object)) {
    const m = x as MatrixData;
    if (!(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
      throw new TypeError(`${fn}: ${arg}.data must be a Float32Array or Float64Array, got ${describe(m.data)}; wrap numbers with Float32Array.from(...) or pass an array of rows`);
    }
    const s = m.shape;
    if (!s || s.length !== 2 || !Number.isInteger(s[0]) || !Number.isInteger(s[1]) || s[0] < 0 || s[1] < 0) {
      throw new RangeError(`${fn}: ${arg}.shape must be [rows, cols] with whole numbers >= 0, got ${JSON.stringify(s)}; pass e.g. shape: [150, 4]`);
    }
    const [rows, c] = s as [number, number];
    if (rows * c !== m.data.length) {
      throw new RangeError(`${fn}: ${arg}.shape [${rows}, ${c}] needs ${rows * c} values but ${arg}.data has ${m.data.length}; fix the shape or the data`);
    }
    const data = m.data;
    out = {
      rows, cols: c, flat: data,
      copyTo: (dst) => dst.set(data),
      copyRows: (dst, r0, r1) => dst.set(r0 === 0 && r1 === rows ? data : data.subarray(r0 * c, r1 * c)),
    };
  } else {
    throw new TypeError(`${fn}: ${arg} must be { data: Float32Array, shape: [rows, cols] } or an array of rows, got ${describe(x)}`);
  }
  if (cols !== undefined && out.cols !== cols && !(out.rows === 0 && Array.isArray(x))) {
    throw new RangeError(`${fn}: ${arg} has ${out.cols} columns but this model takes ${cols} ${colsWhat}; pass rows of ${cols} values`);
  }
  return out;
}

/** The flat index of the first NaN or ±Inf in `a`, or -1 (a fast path over typed arrays). */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/** The error for a non-finite value at flat index `i` of a rows×cols matrix argument. */
export function nonFiniteError(fn: string, arg: string, value: number, i: number, cols: number): TypeError {
  const r = cols > 0 ? Math.floor(i / cols) : i, c = cols > 0 ? i % cols : 0;
  return new TypeError(
    `${fn}: ${arg}[${r}][${c}] (row ${r}, column ${c}) is ${value}; every value must be finite: drop or impute that row`,
  );
}

export type LabelKind = 'values' | 'binary' | 'soft' | 'class' | 'sign';

/**
 * Checks labels/targets for `rows` rows and writes them into `out` (float32 or int32):
 * - 'values': finite numbers, `rows·outputs` of them (flat or as rows);
 * - 'soft': numbers in [0, 1] (BCE targets), `rows·outputs`;
 * - 'binary': exactly 0 or 1;  'sign': 0/1 or −1/+1 (hinge);
 * - 'class': whole numbers in [0, numClasses).
 */
export function checkLabels(
  y: unknown, rows: number, kind: LabelKind, out: Float32Array | Int32Array,
  fn: string, arg = 'y', outputs = 1, numClasses = 0,
): void {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${arg} must be an array or typed array of labels, got ${describe(y)}`);
  }
  const yy = y as ArrayLike<unknown>;
  const nested = yy.length > 0 && typeof yy[0] === 'object' && yy[0] !== null;
  const per = kind === 'class' ? 1 : outputs;
  const expected = rows * per;
  if (nested ? yy.length !== rows : yy.length !== expected) {
    throw new RangeError(
      `${fn}: ${arg} has ${yy.length} ${nested ? 'rows' : 'values'} but X has ${rows} rows` +
        `${per > 1 ? ` and the model has ${per} outputs (so ${expected} values)` : ''}; pass one ${per > 1 ? 'row of targets' : 'label'} per row of X`,
    );
  }
  for (let i = 0; i < expected; i++) {
    let v: unknown;
    if (nested) {
      const row = yy[Math.floor(i / per)] as ArrayLike<unknown>;
      if (row === null || typeof row !== 'object' || row.length !== per) {
        throw new RangeError(`${fn}: ${arg}[${Math.floor(i / per)}] must hold ${per} value(s)`);
      }
      v = row[i % per];
    } else v = yy[i];
    const where = per > 1 ? `${arg}[${Math.floor(i / per)}][${i % per}]` : `${arg}[${i}]`;
    if (typeof v !== 'number' || v - v !== 0) {
      throw new TypeError(`${fn}: ${where} is ${typeof v === 'number' ? v : describe(v)}; labels and targets must be finite numbers`);
    }
    switch (kind) {
      case 'class':
        if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
          throw new RangeError(`${fn}: ${where} is ${v}; class labels must be whole numbers from 0 to ${numClasses - 1} (this model has ${numClasses} classes)`);
        }
        break;
      case 'binary':
        if (v !== 0 && v !== 1) throw new RangeError(`${fn}: ${where} is ${v}; a binary model takes labels 0 or 1`);
        break;
      case 'sign':
        if (v !== 0 && v !== 1 && v !== -1) throw new RangeError(`${fn}: ${where} is ${v}; hinge labels must be 0 or 1 (or -1 or 1)`);
        break;
      case 'soft':
        if (v < 0 || v > 1) throw new RangeError(`${fn}: ${where} is ${v}; binary cross-entropy targets must lie in [0, 1]`);
        break;
    }
    out[i] = v;
  }
}

/** Checks sample weights (finite, >= 0, one per row, not all zero) into `out`; returns their sum. */
export function checkWeights(w: unknown, rows: number, out: Float32Array, fn: string): number {
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: sampleWeight must be an array of numbers (one per row), got ${describe(w)}`);
  }
  const ww = w as ArrayLike<unknown>;
  if (ww.length !== rows) {
    throw new RangeError(`${fn}: sampleWeight has ${ww.length} values but X has ${rows} rows; pass one weight per row`);
  }
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = ww[i];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new RangeError(`${fn}: sampleWeight[${i}] is ${String(v)}; weights must be finite numbers >= 0`);
    }
    out[i] = v;
    sum += out[i];
  }
  if (rows > 0 && !(sum > 0)) throw new RangeError(`${fn}: every sampleWeight is 0; at least one row must have a positive weight`);
  return sum;
}
