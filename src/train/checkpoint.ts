/**
 * Checkpoints: everything needed to resume training exactly — the model's parameter values, the
 * optimizer's and scheduler's state, the PRNG, the epoch, the history and the trainer's own
 * counters — as one JSON-serializable object. Resuming after epoch k gives bit-identical parameters
 * to an uninterrupted run. Loading validates everything before changing anything.
 */
import type { Param } from '../tensor.js';
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
}

export interface CheckpointParts {
  model: TrainableModel;
  optimizer: TrainableOptimizer;
  scheduler?: Scheduler;
  prng: [number, number, number, number];
  epoch: number;
  history?: unknown;
  trainer?: unknown;
}

export function captureCheckpoint(parts: CheckpointParts): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch: parts.epoch,
    params: parts.model.parameters().map((p) => ({ size: p.size, ...(p.name ? { name: p.name } : {}), data: encodeF32(p.data) })),
    optimizer: parts.optimizer.stateDict(),
    scheduler: parts.scheduler ? parts.scheduler.stateDict() : null,
    prng: [...parts.prng] as [number, number, number, number],
    history: parts.history ?? null,
    trainer: parts.trainer ?? null,
  };
}

/**
 * Saves a checkpoint of a model and its optimizer (and scheduler) outside fit(); fit() itself
 * hands checkpoints to `onCheckpoint`. Returns a plain object: `JSON.stringify` it to store it.
 * @example
 * const ckpt = saveCheckpoint({ model, optimizer, prng: rng.getState(), epoch: 3 });
 * localStorage.setItem('run', JSON.stringify(ckpt));
 */
export function saveCheckpoint(parts: CheckpointParts): Checkpoint {
  return captureCheckpoint(parts);
}

/**
 * Loads a checkpoint into a model, optimizer and scheduler built the same way as when it was saved.
 * A malformed, truncated or mismatched checkpoint throws a TypeError/RangeError saying what is
 * wrong, and leaves all three unchanged.
 */
export function loadCheckpoint(
  checkpoint: unknown,
  into: { model: TrainableModel; optimizer: TrainableOptimizer; scheduler?: Scheduler },
): { epoch: number; prng: [number, number, number, number]; history: unknown; trainer: unknown } {
  return restoreCheckpoint(checkpoint, into);
}

export function restoreCheckpoint(
  raw: unknown,
  into: { model: TrainableModel; optimizer: TrainableOptimizer; scheduler?: Scheduler },
): { epoch: number; prng: [number, number, number, number]; history: unknown; trainer: unknown } {
  const c = (typeof raw === 'string' ? parseJSON(raw) : raw) as Checkpoint;
  if (c === null || typeof c !== 'object' || c.format !== CHECKPOINT_FORMAT) {
    throw new TypeError(`loadCheckpoint: not a descent checkpoint (format is ${JSON.stringify((c as any)?.format)}); pass an object from saveCheckpoint() or fit's onCheckpoint`);
  }
  if (c.version !== CHECKPOINT_VERSION) {
    throw new RangeError(`loadCheckpoint: checkpoint version ${c.version} is not supported (this descent reads version ${CHECKPOINT_VERSION})`);
  }
  if (!Number.isInteger(c.epoch) || c.epoch < 0) throw new TypeError(`loadCheckpoint: epoch must be a whole number >= 0, got ${JSON.stringify(c.epoch)}`);
  if (!Array.isArray(c.prng) || c.prng.length !== 4) throw new TypeError('loadCheckpoint: prng must be four uint32 words; the checkpoint is truncated or edited');
  const params: Param[] = into.model.parameters();
  if (!Array.isArray(c.params) || c.params.length !== params.length) {
    throw new RangeError(`loadCheckpoint: the checkpoint has ${Array.isArray(c.params) ? c.params.length : 'no'} parameter tensors but the model has ${params.length}; load it into a model built with the same options`);
  }
  const values = c.params.map((e, i) => {
    if (!e || typeof e.data !== 'string' || e.size !== params[i].size) {
      throw new RangeError(`loadCheckpoint: parameter ${i} has size ${e?.size} in the checkpoint but ${params[i].size} in the model; load it into a model built with the same options`);
    }
    const v = decodeF32(e.data, `parameter ${i}`);
    if (v.length !== e.size) throw new RangeError(`loadCheckpoint: parameter ${i} holds ${v.length} values but says size ${e.size}; the checkpoint is truncated or edited`);
    return v;
  });
  // Optimizer and scheduler validate their own state; roll back if a later part fails.
  const optBefore = into.optimizer.stateDict();
  into.optimizer.loadStateDict(c.optimizer);
  try {
    if (into.scheduler) {
      if (c.scheduler === null || c.scheduler === undefined) throw new TypeError('loadCheckpoint: the checkpoint has no scheduler state but a scheduler was given');
      into.scheduler.loadStateDict(c.scheduler as any);
    }
  } catch (e) {
    into.optimizer.loadStateDict(optBefore);
    throw e;
  }
  params.forEach((p, i) => p.data.set(values[i]));
  return { epoch: c.epoch, prng: c.prng, history: c.history, trainer: c.trainer };
}

function parseJSON(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new TypeError(`loadCheckpoint: the text is not valid JSON (${(e as Error).message}); the checkpoint is truncated or corrupted`);
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

export function decodeF32(s: string, what: string): Float32Array {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new TypeError(`loadCheckpoint: ${what} is not valid base64; the checkpoint is truncated or corrupted`);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const bytes = (s.length / 4) * 3 - pad;
  if (bytes % 4 !== 0) throw new TypeError(`loadCheckpoint: ${what} is ${bytes} bytes, not a whole number of float32 values; the checkpoint is truncated`);
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
