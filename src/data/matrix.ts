/**
 * The one table type of the data utilities: a dense row-major matrix, plus the array-of-rows form
 * that every function taking a table also accepts for convenience.
 */
import { assertAttached, describe } from '../util/describe.js';

/** A dense row-major matrix: element (i, j) is `data[i * shape[1] + j]`. */
export interface DataMatrix<D extends Float32Array | Float64Array = Float32Array | Float64Array> {
  data: D;
  shape: readonly [number, number];
}

/**
 * What functions that read a table accept: a {@link DataMatrix}, or an array of equal-length rows
 * (e.g. `[[1, 2], [3, 4]]`, or an array of `Float32Array`s).
 */
export type MatrixInput = DataMatrix | ReadonlyArray<ArrayLike<number>>;

/** A read-only accessor over an input table; `flat` or `rowList` says which form it came in. */
export interface TableView {
  rows: number;
  cols: number;
  get(i: number, j: number): number;
  /** The flat row-major data when the input was a DataMatrix (not copied; only read). */
  flat?: Float32Array | Float64Array;
  /** The rows when the input was an array of rows (not copied; only read). */
  rowList?: ReadonlyArray<ArrayLike<number>>;
}

/** Checks `x` and returns a read-only accessor over it; `fn` and `arg` name the caller in errors. */
export function viewTable(x: MatrixInput, fn: string, arg = 'X'): TableView {
  if (x === null || typeof x !== 'object') {
    throw new TypeError(`${fn}: ${arg} must be a { data, shape } matrix or an array of rows, got ${describe(x)}; pass e.g. { data: new Float32Array(6), shape: [2, 3] } or [[1, 2, 3], [4, 5, 6]]`);
  }
  if (ArrayBuffer.isView(x)) {
    throw new TypeError(`${fn}: ${arg} is ${describe(x)}, a flat array without a shape; pass { data: ${arg}, shape: [rows, cols] } or an array of rows`);
  }
  if (Array.isArray(x)) {
    const rowList = x as ReadonlyArray<ArrayLike<number>>;
    const rows = rowList.length;
    const cols = rows === 0 ? 0 : lengthOf(rowList[0], fn, arg, 0);
    for (let i = 1; i < rows; i++) {
      const len = lengthOf(rowList[i], fn, arg, i);
      if (len !== cols) {
        throw new RangeError(`${fn}: ${arg}[${i}] has ${len} values but ${arg}[0] has ${cols}; every row must have the same length`);
      }
    }
    // Every value must be a number: a string or a boolean would be coerced silently downstream.
    for (let i = 0; i < rows; i++) {
      const r = rowList[i];
      if (r instanceof Float32Array || r instanceof Float64Array) continue;
      for (let j = 0; j < cols; j++) {
        if (typeof r[j] !== 'number') {
          throw new TypeError(`${fn}: ${arg}[${i}][${j}] (row ${i}, column ${j}) is ${describe(r[j])}; every value must be a number (parse text with parseCSV or Number() first)`);
        }
      }
    }
    return { rows, cols, rowList, get: (i, j) => rowList[i][j] };
  }
  const m = x as DataMatrix;
  assertAttached(m.data, fn, `${arg}.data`);
  if (!(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw new TypeError(`${fn}: ${arg}.data must be a Float32Array or Float64Array, got ${describe(m.data)}; wrap plain numbers with Float32Array.from(...) or pass an array of rows`);
  }
  const shape = m.shape;
  if (!shape || shape.length !== 2 || !Number.isInteger(shape[0]) || !Number.isInteger(shape[1]) || shape[0] < 0 || shape[1] < 0) {
    throw new TypeError(`${fn}: ${arg}.shape must be [rows, cols] with non-negative integers, got ${JSON.stringify(shape)}; pass e.g. shape: [150, 4]`);
  }
  const [rows, cols] = shape;
  if (rows * cols !== m.data.length) {
    throw new RangeError(`${fn}: ${arg}.shape [${rows}, ${cols}] needs ${rows * cols} values but ${arg}.data has ${m.data.length}; fix the shape or the data`);
  }
  const flat = m.data;
  return { rows, cols, flat, get: (i, j) => flat[i * cols + j] };
}

function lengthOf(row: unknown, fn: string, arg: string, i: number): number {
  if (row === null || typeof row !== 'object' || typeof (row as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${arg}[${i}] must be an array of numbers, got ${describe(row)}; pass an array of equal-length rows`);
  }
  assertAttached(row, fn, `${arg}[${i}]`);
  return (row as ArrayLike<number>).length;
}

/** Checks that `a` is array-like (and not a detached view) and returns its length. */
export function checkVector(a: unknown, fn: string, arg: string): number {
  if (a === null || typeof a !== 'object' || typeof (a as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${arg} must be an array or typed array of numbers, got ${describe(a)}; pass e.g. [0, 1, 1] or an Int32Array`);
  }
  assertAttached(a, fn, arg);
  return (a as ArrayLike<number>).length;
}

/**
 * {@link checkVector}, plus every entry a number (a typed array always is; a plain array may hold
 * strings or booleans, which would be coerced silently). Returns the length.
 */
export function checkLabelVector(a: unknown, fn: string, arg: string): number {
  const n = checkVector(a, fn, arg);
  if (!ArrayBuffer.isView(a)) {
    const v = a as ArrayLike<unknown>;
    for (let i = 0; i < n; i++) {
      if (typeof v[i] !== 'number') throw new TypeError(`${fn}: ${arg}[${i}] is ${describe(v[i])}; every entry of ${arg} must be a number`);
    }
  }
  return n;
}
