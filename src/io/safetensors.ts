/**
 * safetensors: the tensor file format of Hugging Face's `safetensors` library, which PyTorch,
 * JAX and TensorFlow read and write. The layout: an 8-byte little-endian unsigned header length N,
 * N bytes of JSON (`{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {...} }`,
 * padded with spaces to a multiple of 8 bytes as the reference writer does), then the raw
 * little-endian values, each tensor at [begin, end) of that byte buffer, contiguous, no holes.
 * Reference: https://github.com/huggingface/safetensors (format described in its README).
 */
import { Param } from '../tensor.js';
import { Module } from '../nn/module.js';
import { describe } from '../util/describe.js';
import { BOOLEAN, checkOptions } from '../util/options.js';

/** The element types loadSafetensors reads (each converted to float32); saveSafetensors writes F32. */
export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16';
const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

/** One tensor of a parsed file: dtype as stored, shape, and its values as float32 (a copy). */
export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

/** A parsed file: the tensors by name (in file order) and the `__metadata__` strings. */
export interface SafetensorsFile {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export interface SaveSafetensorsOptions {
  /** Free-form strings stored as `__metadata__` (e.g. `{ format: 'pt' }`, which transformers expects). */
  metadata?: Record<string, string>;
}

export interface LoadSafetensorsOptions {
  /**
   * true (the default): the file must hold exactly the model's parameters, as torch's
   * `load_state_dict(strict=True)`. false: tensors the model does not have are ignored, and
   * parameters the file lacks keep their values.
   */
  strict?: boolean;
}

/** The header size the reference reader accepts at most (100 MB). */
const MAX_HEADER = 100_000_000;

/** What a save or load works on: the named parameters of a module, or a record of them. */
export type ParamSource = Module | Record<string, Param>;

function namedParams(source: ParamSource, fn: string, arg: string): [string, Param][] {
  if (source instanceof Module) return source.namedParameters();
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new TypeError(`${fn}: ${arg} must be a model or layer (a Module) or a record of Params by name, got ${describe(source)}`);
  }
  const out: [string, Param][] = [];
  for (const [k, p] of Object.entries(source)) {
    if (!(p instanceof Param)) throw new TypeError(`${fn}: ${arg}['${k}'] is ${describe(p)}, not a Param; pass { name: param, ... }`);
    out.push([k, p]);
  }
  return out;
}

/**
 * The parameters of a model (named as its `namedParameters()`: torch's `state_dict` names for a
 * Sequential, `0.weight`, `0.bias`, ...) or of a record, as a safetensors file of F32 tensors.
 * The layers store their weights in torch's layout (Linear [out, in], Conv2d [out, in, kh, kw],
 * Embedding [num, dim]), so the file loads into the same torch model with
 * `model.load_state_dict(safetensors.torch.load_file(path))`. Tensors are written sorted by name
 * (as the reference writer orders tensors of one dtype).
 * Reference: huggingface/safetensors `serialize` (header padded with spaces to 8 bytes).
 * @example
 * await init();
 * const net = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1)], { seed: 0 });
 * const bytes = saveSafetensors(net, { metadata: { format: 'pt' } });
 * Object.keys(readSafetensors(bytes).tensors); // → ['0.bias', '0.weight', '2.bias', '2.weight']
 */
export function saveSafetensors(source: ParamSource, options: SaveSafetensorsOptions = {}): Uint8Array {
  const fn = 'saveSafetensors';
  checkOptions(fn, options, { metadata: { kind: 'any' } });
  const named = namedParams(source, fn, 'source');
  const meta = options.metadata;
  if (meta !== undefined) {
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new TypeError(`${fn}: options.metadata must be an object of strings, got ${describe(meta)}`);
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') throw new TypeError(`${fn}: options.metadata['${k}'] is ${describe(v)}; safetensors metadata values are strings (use String(v) or JSON.stringify(v))`);
    }
  }
  const seen = new Set<string>();
  for (const [k] of named) {
    if (k === '__metadata__') throw new RangeError(`${fn}: a parameter is named '__metadata__', which the format reserves; rename it`);
    if (seen.has(k)) throw new RangeError(`${fn}: two parameters are named '${k}'; names must be unique`);
    seen.add(k);
  }
  const sorted = named.slice().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (meta !== undefined) header.__metadata__ = { ...meta };
  let offset = 0;
  for (const [k, p] of sorted) {
    const bytes = p.size * 4;
    header[k] = { dtype: 'F32', shape: p.shape.slice(), data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  const out = new Uint8Array(8 + json.length + pad + offset);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(json.length + pad), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + json.length + pad);
  let at = 8 + json.length + pad;
  for (const [, p] of sorted) {
    const v = p.data;
    for (let i = 0; i < v.length; i++, at += 4) dv.setFloat32(at, v[i], true);
  }
  return out;
}

/**
 * Reads a safetensors file: every tensor (F32, F64, F16 or BF16, converted to float32) and the
 * metadata. Everything the format requires is checked (header length, JSON, each entry's dtype,
 * shape and offsets, the values contiguous and filling the file); a bad file is a TypeError or
 * RangeError saying what is wrong.
 * Reference: huggingface/safetensors `SafeTensors::deserialize` and its validation.
 * @example
 * await init();
 * const bytes = saveSafetensors({ w: param([1, 2, 3]) });
 * readSafetensors(bytes).tensors.w.data; // → [1, 2, 3]
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  return parse(bytes, 'readSafetensors');
}

function parse(bytes: Uint8Array, fn: string): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fn}: bytes must be a Uint8Array (the file's contents), got ${describe(bytes)}`);
  const bad = (why: string): never => {
    throw new RangeError(`${fn}: not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) bad(`it is ${bytes.length} bytes long, shorter than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) bad(`the header length is ${n64} bytes, more than the 100 MB the format allows`);
  const n = Number(n64);
  if (8 + n > bytes.length) bad(`the header length is ${n} bytes but the file has only ${bytes.length - 8} after it (truncated?)`);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith('{')) bad(`the header does not start with '{'`);
    header = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError && e.message.startsWith(fn)) throw e;
    bad(`the header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) bad('the header is not a JSON object');
  const dataStart = 8 + n, dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (e === null || typeof e !== 'object' || Array.isArray(e)) bad(`__metadata__ must be an object of strings, got ${describe(e)}`);
      for (const [k, v] of Object.entries(e as Record<string, unknown>)) {
        if (typeof v !== 'string') bad(`__metadata__['${k}'] is ${describe(v)}, not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (e === null || typeof e !== 'object' || Array.isArray(e)) bad(`tensor '${name}' is ${describe(e)}, not { dtype, shape, data_offsets }`);
    const { dtype, shape, data_offsets: off } = e as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      bad(`tensor '${name}' has dtype ${describe(dtype)}; descent reads ${Object.keys(DTYPE_BYTES).join(', ')} (convert the tensor to float32 before saving)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad(`tensor '${name}' has shape ${describe(shape)}; expected an array of whole numbers >= 0`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[1] < off[0]) {
      bad(`tensor '${name}' has data_offsets ${describe(off)}; expected [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = off as number[];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const size = DTYPE_BYTES[dtype as SafetensorsDtype];
    if (end - begin !== count * size) bad(`tensor '${name}' (${dtype}, shape [${(shape as number[]).join(', ')}]) needs ${count * size} bytes but its data_offsets [${begin}, ${end}] span ${end - begin}`);
    if (end > dataLen) bad(`tensor '${name}' ends at byte ${end} of the data but the data is ${dataLen} bytes (truncated?)`);
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: (shape as number[]).slice(), begin, end });
  }
  const byStart = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const e of byStart) {
    if (e.begin !== expect) bad(`tensor '${e.name}' starts at byte ${e.begin} of the data but the previous one ends at ${expect}; the values must be contiguous, without holes or overlaps`);
    expect = e.end;
  }
  if (expect !== dataLen) bad(`the tensors cover ${expect} bytes of data but the file holds ${dataLen} after the header`);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: decode(dv, dataStart + e.begin, (e.end - e.begin) / DTYPE_BYTES[e.dtype], e.dtype) };
  }
  return { tensors, metadata };
}

/** Little-endian values at byte `at` as float32, whatever the host's byte order and the alignment. */
function decode(dv: DataView, at: number, count: number, dtype: SafetensorsDtype): Float32Array {
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = dv.getFloat32(at + 4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = dv.getFloat64(at + 8 * i, true);
      break;
    case 'BF16': {
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(at + 2 * i, true) << 16;
      break;
    }
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(at + 2 * i, true));
      break;
  }
  return out;
}

/** IEEE 754 binary16 → number (exact). */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f === 0 ? s * Infinity : NaN;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Loads a safetensors file into a model's parameters (or a record of Params), by name and shape:
 * the names `saveSafetensors` writes, which are torch's `state_dict` names for a Sequential, so a
 * file saved from the same `nn.Sequential` in PyTorch (`safetensors.torch.save_file(net.state_dict(),
 * path)`) loads as is. Everything is checked before any parameter changes: the file's validity,
 * each tensor's shape against its parameter, finite values, and (with `strict`, the default) that
 * the names match exactly. Returns the names loaded.
 * Reference: torch `Module.load_state_dict(strict=True)`; huggingface/safetensors.
 * @example
 * await init();
 * const a = new Sequential([new Dense(2, 2)], { seed: 1 }), b = new Sequential([new Dense(2, 2)], { seed: 2 });
 * loadSafetensors(saveSafetensors(a), b); // → ['0.bias', '0.weight']
 * b.parameters()[0].data[0] === a.parameters()[0].data[0]; // → true
 */
export function loadSafetensors(bytes: Uint8Array, into: ParamSource, options: LoadSafetensorsOptions = {}): string[] {
  const fn = 'loadSafetensors';
  const o = checkOptions(fn, options, { strict: BOOLEAN });
  const strict = o.strict ?? true;
  const named = namedParams(into, fn, 'into');
  const file = parse(bytes, fn);
  const mine = new Map(named);
  if (strict) {
    const extra = Object.keys(file.tensors).filter((k) => !mine.has(k));
    const missing = named.map(([k]) => k).filter((k) => !(k in file.tensors));
    if (extra.length > 0 || missing.length > 0) {
      throw new RangeError(`${fn}: the file's tensors do not match the model's parameters${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; not in the model: ${extra.join(', ')}` : ''} (the model has ${named.map(([k]) => k).join(', ')}); pass { strict: false } to load only the names both have`);
    }
  }
  const plan: [Param, Float32Array][] = [];
  for (const [k, p] of named) {
    const t = file.tensors[k];
    if (t === undefined) continue;
    const same = t.shape.length === p.shape.length && t.shape.every((d, i) => d === p.shape[i]);
    if (!same) throw new RangeError(`${fn}: tensor '${k}' has shape [${t.shape.join(', ')}] but the parameter is [${p.shape.join(', ')}]; save from a model built the same way (a Linear weight is [out, in])`);
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) throw new RangeError(`${fn}: tensor '${k}' holds ${t.data[i]} at index ${i}; parameters must be finite`);
    }
    plan.push([p, t.data]);
  }
  for (const [p, v] of plan) p.data.set(v);
  return named.filter(([k]) => k in file.tensors).map(([k]) => k).sort();
}
