/**
 * The CLI's data: a CSV file read into features and a target column (by name or 0-based index),
 * the task inferred from the target unless given, and class labels (text or numbers) mapped to
 * indices 0..K−1 and back.
 */
import { parseCSV, toNumber, type ParsedCSV } from '../data/csv.js';
import type { DataMatrix } from '../data/matrix.js';
import type { Dataset } from '../data/datasets.js';
import { suggestName } from '../util/options.js';
import { describe } from '../util/describe.js';
import { UsageError, type CliIO } from './io.js';

export type CliTask = 'regression' | 'classification';

/** Whole-number targets with at most this many distinct values are taken as classes. */
export const MAX_INFERRED_CLASSES = 20;

/** A CSV file's features and target, labels encoded. */
export interface Table {
  file: string;
  X: DataMatrix<Float32Array>;
  featureNames: string[];
  target: string;
  task: CliTask;
  /** Why the task is what it is, for the header line ("3 distinct text labels", "--task"). */
  taskReason: string;
  /** Class indices (classification) or values (regression), one per row. */
  y: Int32Array | Float64Array;
  /** Classification: the label of class k at index k. */
  classes?: string[];
}

/** Reads a file as text, turning Node's errors into one-line usage errors. */
export function readFile(io: CliIO, path: string, what: string): string {
  try {
    return io.readText(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`cannot read the ${what} ${describe(path)}: ${why}`);
  }
}

/** parseCSV's messages, with the file name instead of the function's. */
function parse(file: string, text: string, options: Parameters<typeof parseCSV>[1]): ParsedCSV {
  try {
    return parseCSV(text, options);
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`${file}: ${e.message.replace(/^parseCSV: /, '')}`);
    throw e;
  }
}

/** The header's column names (the first record), or null when it cannot be read on its own. */
function headerNames(text: string): string[] | null {
  const nl = text.search(/\r?\n/);
  try {
    return parseCSV(nl < 0 ? text : text.slice(0, nl), { header: true }).featureNames;
  } catch {
    return null;
  }
}

/**
 * The target column's name from `--target`: a column name, else a 0-based index (a name made of
 * digits wins over the index). An unknown name suggests the closest column.
 */
export function resolveTarget(file: string, names: string[], target: string): string {
  if (names.includes(target)) return target;
  if (/^\d+$/.test(target)) {
    const k = Number(target);
    if (k < names.length) return names[k];
    throw new UsageError(`--target ${target} is outside the ${names.length} columns of ${file} (indices 0 to ${names.length - 1}); pass a column name or an index in that range`);
  }
  const hint = suggestName(target, names);
  throw new UsageError(`${file} has no column ${describe(target)}${hint !== undefined ? `; did you mean ${describe(hint)}?` : '.'} The columns are: ${names.map((n) => describe(n)).join(', ')}`);
}

/** Reads a CSV with a header and splits off the target column. */
export function readTable(io: CliIO, file: string, target: string, task: CliTask | undefined): Table {
  const text = readFile(io, file, 'data file');
  const names = headerNames(text) ?? parse(file, text, {}).featureNames;
  const name = resolveTarget(file, names, target);
  const p = parse(file, text, { target: name, targetAsText: true });
  if (p.shape[0] === 0) throw new UsageError(`${file} has a header but no rows; pass a file with data`);
  if (p.shape[1] === 0) throw new UsageError(`${file} has only the target column ${describe(name)}; there are no features to learn from`);
  const labels = p.yText!;
  const numbers = labels.map((s) => toNumber(s.trim()));
  const firstText = numbers.findIndex((v) => v === undefined);
  const table = { file, X: { data: p.X, shape: p.shape }, featureNames: p.featureNames, target: name };
  let chosen: CliTask, reason: string;
  if (task !== undefined) {
    chosen = task;
    reason = '--task';
  } else if (firstText >= 0) {
    chosen = 'classification';
    reason = `text labels such as ${describe(labels[firstText].trim())}`;
  } else {
    const distinct = new Set(numbers as number[]);
    const whole = (numbers as number[]).every(Number.isInteger);
    chosen = whole && distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
    reason = chosen === 'classification'
      ? `${distinct.size} distinct whole-number labels`
      : whole ? `${distinct.size} distinct values (more than ${MAX_INFERRED_CLASSES})` : 'fractional values';
  }
  if (chosen === 'regression') {
    if (firstText >= 0) {
      throw new UsageError(`${file}: column ${describe(name)} holds text (${describe(labels[firstText])} in row ${firstText + 1}); regression needs numbers. Use --task classification, or another --target`);
    }
    return { ...table, task: chosen, taskReason: reason, y: Float64Array.from(numbers as number[]) };
  }
  const { classes, y } = encodeLabels(labels, firstText < 0 ? (numbers as number[]) : null);
  if (classes.length < 2) {
    throw new UsageError(`${file}: column ${describe(name)} has a single class ${describe(classes[0])}; classification needs at least two`);
  }
  return { ...table, task: chosen, taskReason: reason, y, classes };
}

/**
 * Class labels → indices: the distinct labels sorted (numerically when all are numbers, which are
 * then written as numbers, e.g. "1.0" and "1" are one class "1"; otherwise as text, trimmed), class k
 * being the k-th.
 */
export function encodeLabels(text: string[], numbers: number[] | null): { classes: string[]; y: Int32Array } {
  const keys = numbers ? numbers.map(String) : text.map((s) => s.trim());
  const distinct = [...new Set(keys)];
  if (numbers) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((c, k) => [c, k]));
  return { classes: distinct, y: Int32Array.from(keys, (k) => index.get(k)!) };
}

/**
 * Reads a CSV for a saved model: the model's feature columns by name (in any order), the target
 * column when `withTarget` (else ignored if present). Any other column is refused (as
 * scikit-learn refuses unseen feature names).
 */
export function readForModel(io: CliIO, file: string, features: string[], target: string, withTarget: boolean): { X: DataMatrix<Float32Array>; labels?: string[] } {
  const text = readFile(io, file, 'data file');
  const names = headerNames(text) ?? parse(file, text, {}).featureNames;
  const hasTarget = names.includes(target);
  if (withTarget && !hasTarget) {
    throw new UsageError(`${file} has no column ${describe(target)}, the target the model was trained on; evaluate needs it (predict does not)`);
  }
  // The columns first (from the header), so a file for another model is named as such before any row is read.
  const inFile = names.filter((n) => !(hasTarget && n === target));
  const missing = features.filter((f) => !inFile.includes(f));
  if (missing.length) {
    throw new UsageError(`${file} has no column ${describe(missing[0])}${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}, a feature of the model; the model needs ${features.map((f) => describe(f)).join(', ')}`);
  }
  const extra = inFile.filter((f) => !features.includes(f));
  if (extra.length) {
    throw new UsageError(`${file} has column ${describe(extra[0])}, which the model was not trained on; drop it (the model's features are ${features.map((f) => describe(f)).join(', ')})`);
  }
  const p = parse(file, text, hasTarget ? { target, targetAsText: true } : {});
  const [rows, cols] = p.shape;
  if (rows === 0) throw new UsageError(`${file} has a header but no rows; pass a file with data`);
  const order = features.map((f) => p.featureNames.indexOf(f));
  let data = p.X;
  if (order.some((c, j) => c !== j)) {
    data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = p.X[i * cols + order[j]];
  }
  return { X: { data, shape: [rows, cols] }, labels: hasTarget ? p.yText : undefined };
}

/** A CSV field, quoted when it holds a delimiter, quote, line break or edge spaces (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A built-in data set as CSV text: a header, then one row per sample, the features as their
 * float32 values print and the target last in a column named `target`, as class names when
 * `labels` are given (e.g. iris's species). What the CLI's tests and README demo train on.
 */
export function datasetCSV(d: Dataset, target: string, labels?: readonly string[]): string {
  const [n, m] = d.shape;
  const lines = [[...d.featureNames, target].map(csvField).join(',')];
  for (let i = 0; i < n; i++) {
    const row = Array.from(d.X.data.subarray(i * m, (i + 1) * m), String);
    row.push(labels ? csvField(labels[d.y[i]]) : String(d.y[i]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
