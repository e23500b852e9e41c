/**
 * The one float ↔ JSON codec. JSON has no NaN, ±Infinity or -0 (`JSON.stringify` writes the first
 * three as null and the last as 0), so every state the library serializes (optimizer and scheduler
 * state dicts, checkpoints, histories, models) writes those four as the strings "NaN", "Infinity",
 * "-Infinity" and "-0", and every other number as itself: a float32 or float64 value survives
 * `JSON.parse(JSON.stringify(...))` bit for bit. Decoding checks as it goes and names the path of
 * a bad value.
 */
import { describe } from './describe.js';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A number as JSON can carry it: itself, or "NaN", "Infinity", "-Infinity", "-0". */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

const SPECIAL: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/**
 * Encodes one number for JSON: finite numbers other than -0 as themselves, the rest as strings.
 * @example
 * encodeNumber(0.5);       // 0.5
 * encodeNumber(-Infinity); // '-Infinity'
 * encodeNumber(-0);        // '-0'
 */
export function encodeNumber(x: number): JsonNumber {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return Object.is(x, -0) ? '-0' : (String(x) as JsonNumber);
}

/**
 * Encodes an array or typed array of numbers with {@link encodeNumber} (a new plain array).
 * @example
 * encodeArray(Float32Array.from([1, NaN])); // [1, 'NaN']
 */
export function encodeArray(a: ArrayLike<number>): JsonNumber[] {
  const out = new Array<JsonNumber>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = encodeNumber(a[i]);
  return out;
}

/** What {@link decodeNumber} and {@link decodeArray} accept beyond "any float". */
export interface DecodeRule {
  /** Refuse NaN and ±Infinity. */
  finite?: boolean;
  /** Refuse values below this. */
  min?: number;
  /** Refuse values that are not whole numbers. */
  integer?: boolean;
}

/**
 * Decodes a number written by {@link encodeNumber}. Anything else (null, a numeric string such as
 * "1", an object) is a TypeError naming `where` and the value; a value outside `rule` a RangeError.
 * @example
 * decodeNumber('Infinity', 'state.best'); // Infinity
 * decodeNumber(null, 'state.best');       // throws TypeError: state.best must be a number ..., got null
 */
export function decodeNumber(v: unknown, where: string, rule: DecodeRule = {}): number {
  let x: number;
  if (typeof v === 'number') x = v;
  else if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, v)) x = SPECIAL[v];
  else throw new TypeError(`${where} must be a number (or "NaN", "Infinity", "-Infinity", "-0"), got ${describe(v)}.`);
  if (rule.finite && !Number.isFinite(x)) throw new RangeError(`${where} must be finite, got ${describe(x)}. The data is corrupted or was saved after training diverged.`);
  if (rule.integer && !Number.isInteger(x)) throw new RangeError(`${where} must be a whole number, got ${describe(x)}.`);
  if (rule.min !== undefined && !(x >= rule.min)) throw new RangeError(`${where} must be >= ${rule.min}, got ${describe(x)}.`);
  return x;
}

/**
 * Decodes an array written by {@link encodeArray} into a new Float64Array (exact for float32 and
 * float64 values), checking its length when `length` is given and every value against `rule`.
 * @example
 * decodeArray([1, '-0'], 'params.w', 2); // Float64Array [1, -0]
 */
export function decodeArray(v: unknown, where: string, length?: number, rule: DecodeRule = {}): Float64Array {
  if (!Array.isArray(v)) throw new TypeError(`${where} must be an array of numbers${length === undefined ? '' : ` (${length} of them)`}, got ${describe(v)}.`);
  if (length !== undefined && v.length !== length) {
    throw new RangeError(`${where} must hold ${length} numbers, got ${v.length}; the data is truncated or belongs to another model.`);
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = decodeNumber(v[i], `${where}[${i}]`, rule);
  return out;
}

/**
 * Encodes a value for JSON: numbers with {@link encodeNumber}, arrays and plain objects
 * recursively, strings, booleans and null as themselves. Functions, undefined and class instances
 * are left out (`undefined` is returned for them, and object keys holding them are dropped), as
 * torch's state dicts leave out lambdas.
 * @example
 * encodeJson({ best: Infinity, lrs: [0.1, -0], fn: () => 1 }); // { best: 'Infinity', lrs: [0.1, '-0'] }
 */
export function encodeJson(v: unknown): JsonValue | undefined {
  if (typeof v === 'number') return encodeNumber(v);
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return encodeArray(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const e = encodeJson(x);
      if (e === undefined) return undefined; // an array with a hole would shift indices: leave it out whole
      out.push(e);
    }
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) {
      const e = encodeJson(x);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  return undefined;
}

/**
 * Decodes what {@link encodeJson} wrote, turning the four special strings back into numbers
 * everywhere (use it only where no genuine string can read "NaN" etc.; typed fields should use
 * {@link decodeNumber}).
 */
export function decodeJsonNumbers(v: unknown): unknown {
  if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, v)) return SPECIAL[v];
  if (Array.isArray(v)) return v.map(decodeJsonNumbers);
  return v;
}

/** True for a string {@link encodeNumber} writes for a non-finite number or -0. */
export function isEncodedSpecial(v: unknown): v is 'NaN' | 'Infinity' | '-Infinity' | '-0' {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, v);
}
