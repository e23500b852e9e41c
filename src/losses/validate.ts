/**
 * Input checks shared by the loss functions and the models: matrices (a `{ data, shape }` or an
 * array of rows), labels and sample weights. Every error is a TypeError (wrong type, NaN, Inf) or
 * a RangeError (wrong shape, label out of range) whose message names the caller, the argument,
 * the offending value and where it sits (row and column), and says how to fix it.
 */
import { assertAttached, describe } from '../util/describe.js';

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
  /**
   * The flat data when it was given flat (not copied; read only). For data that lives in the
   * backend's memory (a tensor's `.data`), this is re-derived after the memory grew, so it stays
   * readable across the caller's own allocations.
   */
  readonly flat: Float32Array | Float64Array | null;
  /** The byte offset in the backend's memory of data that lives there (float32), else -1. */
  residentOffset: number;
  /** Copies the values row-major into `out` (length rows·cols) as float32. */
  copyTo(out: Float32Array): void;
  /** Copies rows [r0, r1) row-major to the start of `out` as float32. */
  copyRows(out: Float32Array, r0: number, r1: number): void;
  /** The value at flat index i as the caller passed it (for messages). */
  valueAt(i: number): unknown;
}

/**
 * Checks the shape of a matrix argument (not its values: see {@link findNonFinite}) and, when
 * `cols` is given, that it has that many columns.
 */
export function checkMatrix(
  x: unknown, fn: string, arg: string, cols?: number, colsWhat = 'features', memory?: { readonly buffer: ArrayBufferLike },
): CheckedMatrix {
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
    // Every value a number, checked before the caller allocates anything (strings and booleans
    // would otherwise be coerced when copied into float32).
    for (let i = 0; i < rows; i++) {
      const r = rowList[i];
      if (r instanceof Float32Array || r instanceof Float64Array) continue;
      for (let j = 0; j < nc; j++) {
        const v = r[j];
        if (typeof v !== 'number') {
          throw new TypeError(`${fn}: ${arg}[${i}][${j}] (row ${i}, column ${j}) is ${describe(v)}; every value must be a finite number`);
        }
      }
    }
    const copyRows = (dst: Float32Array, r0: number, r1: number) => {
        for (let i = r0; i < r1; i++) {
          const r = rowList[i];
          const o = (i - r0) * nc;
          for (let j = 0; j < nc; j++) dst[o + j] = r[j];
        }
    };
    out = {
      rows, cols: nc, flat: null, residentOffset: -1, copyRows, copyTo: (dst) => copyRows(dst, 0, rows),
      valueAt: (i) => (nc > 0 ? (rowList[Math.floor(i / nc)] as ArrayLike<unknown>)[i % nc] : undefined),
    };
  } else if (x !== null && typeof x === 'object' && 'data' in (x as object) && 'shape' in (x as object)) {
    const m = x as MatrixData;
    assertAttached(m.data, fn, `${arg}.data`);
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
    const data0 = m.data;
    // Data in the backend's own memory is read where it lives; an allocation of the caller's may
    // grow that memory, which detaches the view but keeps its address and values: rebuild it.
    const resident = memory !== undefined && data0 instanceof Float32Array && data0.buffer === memory.buffer;
    const off = data0.byteOffset, len = data0.length;
    const data = (): Float32Array | Float64Array =>
      resident && data0.buffer !== memory!.buffer ? new Float32Array(memory!.buffer, off, len) : data0;
    out = {
      rows, cols: c, residentOffset: resident ? off : -1,
      get flat() { return data(); },
      valueAt: (i) => data()[i],
      copyTo: (dst) => dst.set(data()),
      copyRows: (dst, r0, r1) => dst.set(r0 === 0 && r1 === rows ? data() : data().subarray(r0 * c, r1 * c)),
    };
  } else if (ArrayBuffer.isView(x)) {
    throw new TypeError(`${fn}: ${arg} is ${describe(x)}, a flat array without a shape; pass { data: ${arg}, shape: [rows, cols] } or an array of rows`);
  } else {
    throw new TypeError(`${fn}: ${arg} must be { data: Float32Array, shape: [rows, cols] } or an array of rows, got ${describe(x)}`);
  }
  if (cols !== undefined && out.cols !== cols && !(out.rows === 0 && Array.isArray(x))) {
    throw new RangeError(`${fn}: ${arg} has ${out.cols} columns but this model takes ${cols} ${colsWhat}; pass rows of ${cols} values`);
  }
  return out;
}

/**
 * The flat index of the first value of `a` that is NaN or ±Inf once rounded to float32 (so 1e300 in
 * a Float64Array counts: the kernels would see Infinity), or -1.
 */
export function firstNonFinite(a: ArrayLike<number>): number {
  if (a instanceof Float32Array) {
    // x − x is +0 for a finite x and NaN otherwise, so four running sums stay 0 exactly when every
    // value is finite: no branch per element (fit scans whole data sets). Only then find the index.
    const n = a.length, n4 = n & ~3;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < n4; i += 4) {
      s0 += a[i] - a[i];
      s1 += a[i + 1] - a[i + 1];
      s2 += a[i + 2] - a[i + 2];
      s3 += a[i + 3] - a[i + 3];
    }
    for (let i = n4; i < n; i++) s0 += a[i] - a[i];
    if (s0 + s1 + s2 + s3 === 0) return -1;
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (v - v !== 0) return i;
    }
    return -1;
  }
  for (let i = 0; i < a.length; i++) {
    const v = Math.fround(a[i]);
    if (v - v !== 0) return i;
  }
  return -1;
}

/** The error for a non-finite value (`value` as the caller passed it) at flat index `i` of a rows×cols matrix argument. */
export function nonFiniteError(fn: string, arg: string, value: unknown, i: number, cols: number): TypeError {
  const r = cols > 0 ? Math.floor(i / cols) : i, c = cols > 0 ? i % cols : 0;
  const why = typeof value === 'number' && Number.isFinite(value) ? ', too large for float32' : '';
  return new TypeError(
    `${fn}: ${arg}[${r}][${c}] (row ${r}, column ${c}) is ${describe(value)}${why}; every value must be finite: drop or impute that row`,
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
  assertAttached(y, fn, arg);
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
    if (typeof v !== 'number' || v - v !== 0) {
      throw new TypeError(`${fn}: ${labelAt(arg, per, i)} is ${describe(v)}; labels and targets must be finite numbers`);
    }
    switch (kind) {
      case 'class':
        if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
          throw new RangeError(`${fn}: ${labelAt(arg, per, i)} is ${v}; class labels must be whole numbers from 0 to ${numClasses - 1} (this model has ${numClasses} classes)`);
        }
        break;
      case 'binary':
        if (v !== 0 && v !== 1) throw new RangeError(`${fn}: ${labelAt(arg, per, i)} is ${v}; a binary model takes labels 0 or 1`);
        break;
      case 'sign':
        if (v !== 0 && v !== 1 && v !== -1) throw new RangeError(`${fn}: ${labelAt(arg, per, i)} is ${v}; hinge labels must be 0 or 1 (or -1 or 1)`);
        break;
      case 'soft':
        if (v < 0 || v > 1) throw new RangeError(`${fn}: ${labelAt(arg, per, i)} is ${v}; binary cross-entropy targets must lie in [0, 1]`);
        break;
    }
    out[i] = v;
  }
}

/** The name of label `i` for a message, made only on error (models check every call's labels but fit's own batches). */
function labelAt(arg: string, per: number, i: number): string {
  return per > 1 ? `${arg}[${Math.floor(i / per)}][${i % per}]` : `${arg}[${i}]`;
}

/** Checks sample weights (finite, >= 0, one per row, not all zero) into `out`; returns their sum. */
export function checkWeights(w: unknown, rows: number, out: Float32Array, fn: string): number {
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: sampleWeight must be an array of numbers (one per row), got ${describe(w)}`);
  }
  assertAttached(w, fn, 'sampleWeight');
  const ww = w as ArrayLike<unknown>;
  if (ww.length !== rows) {
    throw new RangeError(`${fn}: sampleWeight has ${ww.length} values but X has ${rows} rows; pass one weight per row`);
  }
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = ww[i];
    if (typeof v !== 'number') throw new TypeError(`${fn}: sampleWeight[${i}] is ${describe(v)}; weights must be finite numbers >= 0`);
    if (!(v >= 0) || v === Infinity) throw new RangeError(`${fn}: sampleWeight[${i}] is ${describe(v)}; weights must be finite numbers >= 0`);
    out[i] = v;
    sum += out[i];
  }
  if (rows > 0 && !(sum > 0)) throw new RangeError(`${fn}: every sampleWeight is 0; at least one row must have a positive weight`);
  return sum;
}

/**
 * Copies labels already checked (by {@link checkLabels} over the whole data set, as fit() does) into
 * `out` without checking them again: `rows·per` values, flat.
 */
export function copyCheckedLabels(y: ArrayLike<number>, rows: number, per: number, out: Float32Array | Int32Array): void {
  const n = rows * per;
  if (ArrayBuffer.isView(y) && n <= y.length) out.set((y as Float32Array).subarray(0, n));
  else for (let i = 0; i < n; i++) out[i] = y[i];
}
