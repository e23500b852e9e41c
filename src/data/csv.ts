import { describe } from '../util/describe.js';
import { BOOLEAN, checkOptions } from '../util/options.js';

/** Options of {@link parseCSV}. */
export interface ParseCSVOptions {
  /** Whether the first record holds the column names. Default `true`. Without a header the columns are named "0", "1", .... */
  header?: boolean;
  /**
   * The column to return as `y`: a column name, or a 0-based index (negative counts from the end, so
   * `-1` is the last column). Default: none, every column goes to `X`.
   */
  target?: string | number;
  /** The field separator, one character other than `"`, CR or LF. Default `','`. */
  delimiter?: string;
}

/** What {@link parseCSV} returns. All arrays are new. */
export interface ParsedCSV {
  /** The feature columns, row-major: value (i, j) is `X[i * shape[1] + j]`. */
  X: Float32Array;
  /** `[rows, feature columns]`; the target column is not counted. */
  shape: [number, number];
  /** The target column, when `target` was given. */
  y?: Float64Array;
  /** The names of the `X` columns, in order. */
  featureNames: string[];
  /** The name of the target column, when `target` was given. */
  targetName?: string;
}

/**
 * Parses numeric CSV text into a row-major `Float32Array` (and an optional `Float64Array` target).
 *
 * Follows RFC 4180: fields may be quoted with `"`; inside quotes `""` is a literal quote, and the
 * delimiter, CR and LF are plain characters. Records end at LF or CRLF (a lone CR also ends one).
 * A leading byte-order mark, one trailing line break and empty lines are ignored. Unquoted fields
 * are trimmed of spaces and tabs. Values must be decimal numbers (`12`, `-0.5`, `1e-3`, `.5`);
 * `NaN`, `Infinity`, hex and empty fields are rejected, so missing data never passes silently.
 *
 * Errors name the line as a person counts lines in the file (the header is line 1), the column by
 * name and 0-based index, and the offending text: a non-numeric or missing value is a `TypeError`,
 * a row with the wrong number of fields is a `RangeError`.
 *
 * Defaults: `header = true`, `target` none, `delimiter = ','`. Values are parsed as float64 and
 * rounded once to float32 for `X`; `y` keeps float64.
 *
 * @example
 * const { X, shape, y, featureNames } = parseCSV('a,b,label\n1,2,0\n3,"4",1\n', { target: 'label' });
 * // X = Float32Array [1, 2, 3, 4], shape = [2, 2], y = Float64Array [0, 1], featureNames = ['a', 'b']
 */
export function parseCSV(text: string, options: ParseCSVOptions = {}): ParsedCSV {
  if (typeof text !== 'string') {
    throw new TypeError(`parseCSV: text must be a string, got ${describe(text)}; read the file as text first (e.g. await response.text())`);
  }
  const { header = true, target, delimiter = ',' } = checkOptions('parseCSV', options, {
    header: BOOLEAN, target: { kind: 'any' }, delimiter: { kind: 'any' },
  });
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new TypeError(`parseCSV: options.delimiter must be one character other than a quote or line break, got ${describe(delimiter)}; pass e.g. ',' or ';' or '\\t'`);
  }
  if (target !== undefined && typeof target !== 'string' && !Number.isInteger(target)) {
    throw new TypeError(`parseCSV: options.target must be a column name or an integer index, got ${describe(target)}`);
  }

  const records = tokenize(text, delimiter);
  if (records.length === 0) {
    throw new RangeError('parseCSV: text has no records; pass CSV text with at least ' + (header ? 'a header line' : 'one row'));
  }

  const cols = records[0].fields.length;
  let names: string[];
  let firstData: number;
  if (header) {
    names = records[0].fields.map((f) => f.text);
    firstData = 1;
  } else {
    names = Array.from({ length: cols }, (_, j) => String(j));
    firstData = 0;
  }

  let t = -1;
  if (target !== undefined) {
    if (typeof target === 'number') {
      t = target < 0 ? cols + target : target;
      if (t < 0 || t >= cols) {
        throw new RangeError(`parseCSV: options.target index ${target} is outside the ${cols} columns; pass an index in [${-cols}, ${cols - 1}] or a column name`);
      }
    } else {
      const hits: number[] = [];
      names.forEach((n, j) => { if (n === target) hits.push(j); });
      if (hits.length === 0) {
        throw new RangeError(`parseCSV: options.target ${JSON.stringify(target)} is not a column name; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}${header ? '' : ' (header is false, so columns are named by index)'}`);
      }
      if (hits.length > 1) {
        throw new RangeError(`parseCSV: options.target ${JSON.stringify(target)} names ${hits.length} columns (indices ${hits.join(', ')}); pass the index of the one you mean`);
      }
      t = hits[0];
    }
  }

  const rows = records.length - firstData;
  const fcols = t >= 0 ? cols - 1 : cols;
  const X = new Float32Array(rows * fcols);
  const y = t >= 0 ? new Float64Array(rows) : undefined;
  for (let r = 0; r < rows; r++) {
    const rec = records[firstData + r];
    if (rec.fields.length !== cols) {
      throw new RangeError(`parseCSV: line ${rec.line} has ${rec.fields.length} fields but ${header ? 'the header' : 'the first row'} has ${cols}; every row needs the same number of fields (check for a missing or extra delimiter, or an unquoted "${delimiter === '\t' ? '\\t' : delimiter}" inside a value)`);
    }
    let k = r * fcols;
    for (let j = 0; j < cols; j++) {
      const f = rec.fields[j];
      const v = toNumber(f.quoted ? f.text.trim() : f.text);
      if (v === undefined) {
        const what = f.text.trim() === '' ? 'is missing (empty field)' : `is ${JSON.stringify(f.text)}, not a number`;
        throw new TypeError(`parseCSV: line ${rec.line}, column ${JSON.stringify(names[j])} (index ${j}) ${what}; every value must be a decimal number, so fill or drop that row before parsing`);
      }
      if (j === t) y![r] = v;
      else X[k++] = v;
    }
  }
  const result: ParsedCSV = { X, shape: [rows, fcols], featureNames: names.filter((_, j) => j !== t) };
  if (y) {
    result.y = y;
    result.targetName = names[t];
  }
  return result;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(s: string): number | undefined {
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

interface Field { text: string; quoted: boolean }
interface CsvRecord { line: number; fields: Field[] }

/** Splits text into records of fields (RFC 4180), remembering the line each record starts on. */
function tokenize(text: string, delim: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const DQ = 34, CR = 13, LF = 10, D = delim.charCodeAt(0);
  while (i < n) {
    const startLine = line;
    // An empty line is skipped (its line number still counts).
    const c0 = text.charCodeAt(i);
    if (c0 === LF || c0 === CR) {
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const fields: Field[] = [];
    for (;;) {
      // One field starting at i.
      let c = text.charCodeAt(i);
      if (c === DQ) {
        const openLine = line;
        let s = '';
        let from = ++i;
        for (;;) {
          if (i >= n) {
            throw new RangeError(`parseCSV: the quoted field that starts on line ${openLine} is never closed; add the closing " (write "" for a quote inside a quoted field)`);
          }
          c = text.charCodeAt(i);
          if (c === DQ) {
            if (text.charCodeAt(i + 1) === DQ) { s += text.slice(from, i + 1); i += 2; from = i; continue; }
            s += text.slice(from, i);
            i++;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        // After the closing quote only spaces, a delimiter or the end of the record may follow.
        while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) && text.charCodeAt(i) !== D) i++;
        c = i < n ? text.charCodeAt(i) : -1;
        if (c !== -1 && c !== D && c !== LF && c !== CR) {
          throw new RangeError(`parseCSV: line ${line} has ${JSON.stringify(text[i])} right after a closing quote; a quoted field must end at a delimiter or line break (write "" for a quote inside it)`);
        }
        fields.push({ text: s, quoted: true });
      } else {
        const from = i;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === D || c === LF || c === CR) break;
          i++;
        }
        fields.push({ text: text.slice(from, i).replace(/^[ \t]+|[ \t]+$/g, ''), quoted: false });
        c = i < n ? c : -1;
      }
      if (c === D) { i++; continue; }
      // End of record: LF, CRLF, CR or end of text.
      if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      if (c !== -1) line++;
      break;
    }
    records.push({ line: startLine, fields });
  }
  return records;
}
