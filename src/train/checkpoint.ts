/**
 * Checkpoints: everything needed to resume training exactly — the model's parameter values, the
 * optimizer's and scheduler's state, the PRNG, the epoch, the history and the trainer's own
 * counters — as one JSON-serializable object. Resuming after epoch k gives bit-identical parameters
 * to an uninterrupted run. Loading validates everything before changing anything.
 */
import type { Param } from '../tensor.js';
import { describe } from '../util/describe.js';
import { decodeNumber } from '../util/json.js';
import { checkOptions, type Rule } from '../util/options.js';
import { Prng } from '../util/prng.js';
import type { Scheduler, TrainableModel, TrainableOptimizer } from './types.js';

export const CHECKPOINT_FORMAT = 'descent-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Completed epochs. */
  epoch: number;
  /** Parameter values, each as base64 of its little-endian float32 bytes, with their sizes. */
  params: { size: number; name?: string; data: string }[];
  optimizer: unknown;
  scheduler: unknown;
  prng: [number, number, number, number];
  history: unknown;
  /** fit()'s own counters (early stopping, convergence, shuffle order). */
  trainer: unknown;
  /** The model's getExtraState(), for models that have one (a Dropout's mask counter). */
  extraState?: unknown;
}

export interface CheckpointParts {
  model: TrainableModel;
  optimizer: TrainableOptimizer;
  scheduler?: Scheduler;
  prng?: [number, number, number, number];
  epoch?: number;
  history?: unknown;
  trainer?: unknown;
}

export function captureCheckpoint(parts: CheckpointParts): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch: parts.epoch ?? 0,
    params: parts.model.parameters().map((p) => ({ size: p.size, ...(p.name ? { name: p.name } : {}), data: encodeF32(p.data) })),
    optimizer: parts.optimizer.stateDict(),
    scheduler: parts.scheduler ? parts.scheduler.stateDict() : null,
    prng: [...(parts.prng ?? new Prng(0).getState())] as [number, number, number, number],
    history: parts.history ?? null,
    trainer: parts.trainer ?? null,
    ...(typeof parts.model.getExtraState === 'function' ? { extraState: parts.model.getExtraState() } : {}),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const MODEL_RULE: Rule = {
  kind: 'custom', required: true, want: 'a model (with parameters())',
  test: (v) => isObject(v) && typeof v.parameters === 'function',
};
const OPTIMIZER_RULE: Rule = {
  kind: 'custom', required: true, want: 'an optimizer (with stateDict() and loadStateDict())',
  test: (v) => isObject(v) && typeof v.stateDict === 'function' && typeof v.loadStateDict === 'function',
};
const SCHEDULER_RULE: Rule = {
  kind: 'custom', want: 'a scheduler (with stateDict() and loadStateDict())',
  test: (v) => isObject(v) && typeof v.stateDict === 'function' && typeof v.loadStateDict === 'function',
};
const PRNG_RULE: Rule = {
  kind: 'custom', want: 'four uint32 words from Prng.getState()',
  test: (v) => prngProblem(v) === null || (Array.isArray(v) && v.length === 4 ? (prngProblem(v) as string) : false),
};

/** Why `v` is not a Prng state (four uint32 words, not all zero), or null. */
export function prngProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length !== 4) return 'must be four uint32 words';
  if (!v.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) return 'must hold four whole numbers in [0, 2^32)';
  if ((v[0] | v[1] | v[2] | v[3]) === 0) return 'must not be all zeros';
  return null;
}

/**
 * Saves a checkpoint of a model and its optimizer (and scheduler) outside fit(); fit() itself
 * hands checkpoints to `onCheckpoint`. Returns a plain object: `JSON.stringify` it to store it.
 * `parts`: `model`, `optimizer` (required), `scheduler`, `prng` (a Prng's `getState()`, default the
 * state of `new Prng(0)`), `epoch` (default 0), `history`, `trainer` (fit's own; leave it out).
 * @example
 * const ckpt = saveCheckpoint({ model, optimizer, prng: rng.getState(), epoch: 3 });
 * localStorage.setItem('run', JSON.stringify(ckpt));
 */
export function saveCheckpoint(parts: CheckpointParts): Checkpoint {
  const fn = 'saveCheckpoint';
  checkOptions(fn, parts, {
    model: MODEL_RULE, optimizer: OPTIMIZER_RULE, scheduler: SCHEDULER_RULE, prng: PRNG_RULE,
    epoch: { kind: 'number', integer: true, min: 0 }, history: { kind: 'any' }, trainer: { kind: 'any' },
  }, { where: 'parts' });
  return captureCheckpoint({ ...parts, prng: parts.prng ?? new Prng(0).getState(), epoch: parts.epoch ?? 0 });
}

/**
 * Loads a checkpoint into a model, optimizer and scheduler built the same way as when it was saved.
 * A malformed, truncated or mismatched checkpoint (wrong format or version, other sizes, NaN or
 * ±Infinity parameters, a malformed PRNG state, optimizer state out of range) throws a
 * TypeError/RangeError saying what is wrong, and leaves all three unchanged.
 * @example
 * const { epoch, prng } = loadCheckpoint(JSON.parse(text), { model, optimizer });
 */
export function loadCheckpoint(
  checkpoint: unknown,
  into: { model: TrainableModel; optimizer: TrainableOptimizer; scheduler?: Scheduler },
): { epoch: number; prng: [number, number, number, number]; history: unknown; trainer: unknown } {
  checkOptions('loadCheckpoint', into, { model: MODEL_RULE, optimizer: OPTIMIZER_RULE, scheduler: SCHEDULER_RULE }, { where: 'into' });
  return restoreCheckpoint(checkpoint, into);
}

/** A checkpoint whose every part except the optimizer's and scheduler's state has been checked. */
export interface ParsedCheckpoint {
  checkpoint: Checkpoint;
  /** The parameter values, decoded and checked (finite, the model's sizes). */
  values: Float32Array[];
}

/**
 * Checks a checkpoint against a model's parameters without changing anything: format, version,
 * epoch, PRNG state, parameter count, sizes, names and values (finite). `fn` and `where` name the
 * caller and the argument in messages (fit says `options.resume`).
 */
export function parseCheckpoint(raw: unknown, params: readonly Param[], fn = 'loadCheckpoint', where = 'checkpoint'): ParsedCheckpoint {
  const c = (typeof raw === 'string' ? parseJSON(raw, fn) : raw) as Checkpoint;
  if (c === null || typeof c !== 'object' || c.format !== CHECKPOINT_FORMAT) {
    throw new TypeError(`${fn}: ${where} is not a descent checkpoint (its format is ${describe((c as Partial<Checkpoint> | null)?.format)}); pass an object from saveCheckpoint() or fit's onCheckpoint`);
  }
  if (c.version !== CHECKPOINT_VERSION) {
    throw new RangeError(`${fn}: ${where}.version ${describe(c.version)} is not supported (this descent reads version ${CHECKPOINT_VERSION}); save the checkpoint again with this version`);
  }
  decodeNumber(c.epoch, `${fn}: ${where}.epoch`, { integer: true, min: 0 });
  const why = prngProblem(c.prng);
  if (why) throw new TypeError(`${fn}: ${where}.prng ${why}, got ${describe(c.prng)}; the checkpoint is truncated or edited`);
  if (!Array.isArray(c.params) || c.params.length !== params.length) {
    throw new RangeError(`${fn}: ${where} has ${Array.isArray(c.params) ? c.params.length : 'no'} parameter tensors but the model has ${params.length}; load it into a model built with the same options`);
  }
  const values = c.params.map((e, i) => {
    const at = `${where}.params[${i}]`;
    if (e === null || typeof e !== 'object' || typeof e.data !== 'string') {
      throw new TypeError(`${fn}: ${at} must be { size, name?, data } with base64 data, got ${describe(e)}; the checkpoint is truncated or edited`);
    }
    if (e.size !== params[i].size) {
      throw new RangeError(`${fn}: ${at} has size ${describe(e.size)} in the checkpoint but ${params[i].size} in the model; load it into a model built with the same options`);
    }
    if (e.name !== undefined && params[i].name !== undefined && e.name !== params[i].name) {
      throw new RangeError(`${fn}: ${at} is ${describe(e.name)} in the checkpoint but the model's parameter ${i} is ${describe(params[i].name)}; load it into a model built with the same options`);
    }
    const v = decodeF32(e.data, `${where}.params[${i}]`, fn);
    if (v.length !== e.size) throw new RangeError(`${fn}: ${at} holds ${v.length} values but says size ${e.size}; the checkpoint is truncated or edited`);
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) {
        throw new RangeError(`${fn}: ${at} value ${j} is ${v[j]}; a checkpoint holds finite parameters only (it is corrupted, or was saved after training diverged)`);
      }
    }
    return v;
  });
  return { checkpoint: c, values };
}

/**
 * Applies a parsed checkpoint: the optimizer's and scheduler's state (each checked by its own
 * loadStateDict before it changes anything; the optimizer is rolled back if the scheduler refuses),
 * then the parameter values.
 */
export function applyCheckpoint(parsed: ParsedCheckpoint, into: { model: TrainableModel; optimizer: TrainableOptimizer; scheduler?: Scheduler }, params: readonly Param[], fn = 'loadCheckpoint'): void {
  const c = parsed.checkpoint;
  // the model's extra state (checked by its setExtraState before it changes anything), put back if a later part is refused
  const model = into.model;
  const extra = c.extraState !== undefined && typeof model.setExtraState === 'function' && typeof model.getExtraState === 'function';
  const extraBefore = extra ? model.getExtraState!() : undefined;
  if (extra) model.setExtraState!(c.extraState);
  try {
    const optBefore = into.optimizer.stateDict();
    into.optimizer.loadStateDict(c.optimizer);
    try {
      if (into.scheduler) {
        if (c.scheduler === null || c.scheduler === undefined) throw new TypeError(`${fn}: the checkpoint has no scheduler state but a scheduler was given; pass the scheduler only if the checkpoint was saved with one`);
        into.scheduler.loadStateDict(c.scheduler as any);
      }
    } catch (e) {
      into.optimizer.loadStateDict(optBefore);
      throw e;
    }
  } catch (e) {
    if (extra) model.setExtraState!(extraBefore);
    throw e;
  }
  params.forEach((p, i) => p.data.set(parsed.values[i]));
}

export function restoreCheckpoint(
  raw: unknown,
  into: { model: TrainableModel; optimizer: TrainableOptimizer; scheduler?: Scheduler },
): { epoch: number; prng: [number, number, number, number]; history: unknown; trainer: unknown } {
  const params: Param[] = into.model.parameters();
  const parsed = parseCheckpoint(raw, params);
  applyCheckpoint(parsed, into, params);
  const c = parsed.checkpoint;
  return { epoch: c.epoch, prng: c.prng, history: c.history, trainer: c.trainer };
}

function parseJSON(s: string, fn: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new TypeError(`${fn}: the text is not valid JSON (${(e as Error).message}); the checkpoint is truncated or corrupted`);
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64 of a Float32Array's bytes (little-endian, as every Wasm host is). */
export function encodeF32(a: Float32Array): string {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u.length; i += 3) {
    const b0 = u[i], b1 = u[i + 1] ?? 0, b2 = u[i + 2] ?? 0;
    s += B64[b0 >> 2] + B64[((b0 & 3) << 4) | (b1 >> 4)] + (i + 1 < u.length ? B64[((b1 & 15) << 2) | (b2 >> 6)] : '=') + (i + 2 < u.length ? B64[b2 & 63] : '=');
  }
  return s;
}

export function decodeF32(s: string, what: string, fn = 'loadCheckpoint'): Float32Array {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new TypeError(`${fn}: ${what} is not valid base64; the checkpoint is truncated or corrupted`);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const bytes = (s.length / 4) * 3 - pad;
  if (bytes % 4 !== 0) throw new TypeError(`${fn}: ${what} is ${bytes} bytes, not a whole number of float32 values; the checkpoint is truncated`);
  const u = new Uint8Array(bytes);
  let j = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n = (B64.indexOf(s[i]) << 18) | (B64.indexOf(s[i + 1]) << 12) | ((B64.indexOf(s[i + 2]) & 63) << 6) | (B64.indexOf(s[i + 3]) & 63);
    if (j < bytes) u[j++] = n >> 16;
    if (j < bytes) u[j++] = (n >> 8) & 255;
    if (j < bytes) u[j++] = n & 255;
  }
  return new Float32Array(u.buffer);
}
