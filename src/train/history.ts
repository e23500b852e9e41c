/**
 * What fit() returns: the loss per batch and per epoch, validation loss and metrics, the learning
 * rate and wall time per epoch, and why training stopped.
 */
import { describe } from '../util/describe.js';
import { decodeArray, decodeNumber, encodeArray, encodeJson, type JsonValue } from '../util/json.js';

export type StopReason = 'maxEpochs' | 'converged' | 'earlyStopping' | 'aborted' | 'callback';

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches, weighted by batch size. */
  loss: number;
  valLoss?: number;
  /** Training-set metrics at the end of the epoch (only those asked for with `metrics`). */
  metrics: Record<string, number>;
  /** Validation metrics at the end of the epoch. */
  valMetrics: Record<string, number>;
  /** The first parameter group's lr during this epoch (at its first batch). */
  lr: number;
  timeMs: number;
}

/**
 * What fit() returns: every batch's loss, every epoch's record (loss, validation loss and metrics,
 * lr, time), why training stopped, and the restored best epoch. `toJSON()` / `History.fromJSON()`
 * round-trip it through JSON (non-finite losses kept as strings).
 * @example
 * const history = fit(model, X, y, { maxEpochs: 3 });
 * history.loss;       // [epoch 1 loss, epoch 2 loss, epoch 3 loss]
 * history.stopReason; // 'maxEpochs'
 */
export class History {
  readonly epochs: EpochRecord[] = [];
  /** Loss of every batch, in order, across epochs. */
  readonly batchLoss: number[] = [];
  stopReason: StopReason = 'maxEpochs';
  /** A sentence saying why training stopped. */
  stopMessage = '';
  /** The epoch whose weights the model holds when early stopping restored the best ones. */
  bestEpoch: number | undefined;

  /** Training loss per epoch. */
  get loss(): number[] {
    return this.epochs.map((e) => e.loss);
  }

  /** Validation loss per epoch (NaN where there was none). */
  get valLoss(): number[] {
    return this.epochs.map((e) => e.valLoss ?? NaN);
  }

  /** lr per epoch. */
  get lr(): number[] {
    return this.epochs.map((e) => e.lr);
  }

  /**
   * A plain-JSON snapshot (non-finite numbers as strings, so a diverged loss survives the round
   * trip); `History.fromJSON` reads it back.
   * @example
   * const copy = History.fromJSON(JSON.parse(JSON.stringify(history.toJSON())));
   */
  toJSON(): HistoryJSON {
    return {
      epochs: this.epochs.map((e) => encodeJson(e) as { [key: string]: JsonValue }),
      batchLoss: encodeArray(this.batchLoss),
      stopReason: this.stopReason,
      stopMessage: this.stopMessage,
      ...(this.bestEpoch !== undefined ? { bestEpoch: this.bestEpoch } : {}),
    };
  }

  /**
   * Rebuilds a History from `toJSON()` output (checkpoints). Every field is checked; a malformed
   * history is a TypeError or RangeError naming the field.
   */
  static fromJSON(json: unknown, where = 'History.fromJSON: history'): History {
    const j = json as HistoryJSON;
    if (j === null || typeof j !== 'object' || !Array.isArray(j.epochs) || !Array.isArray(j.batchLoss)) {
      throw new TypeError(`${where} must be { epochs: [...], batchLoss: [...] } from History.toJSON(), got ${describe(json)}.`);
    }
    const h = new History();
    j.epochs.forEach((e, i) => h.epochs.push(decodeEpoch(e, `${where}.epochs[${i}]`, i)));
    h.batchLoss.push(...decodeArray(j.batchLoss, `${where}.batchLoss`));
    if (!STOP_REASONS.includes(j.stopReason as StopReason)) {
      throw new TypeError(`${where}.stopReason must be one of ${STOP_REASONS.map((r) => `'${r}'`).join(', ')}, got ${describe(j.stopReason)}.`);
    }
    h.stopReason = j.stopReason as StopReason;
    if (j.stopMessage !== undefined && typeof j.stopMessage !== 'string') throw new TypeError(`${where}.stopMessage must be a string, got ${describe(j.stopMessage)}.`);
    h.stopMessage = j.stopMessage ?? '';
    if (j.bestEpoch !== undefined && j.bestEpoch !== null) h.bestEpoch = decodeNumber(j.bestEpoch, `${where}.bestEpoch`, { integer: true, min: 1 });
    return h;
  }
}

/** The JSON form of a {@link History}. */
export interface HistoryJSON {
  epochs: Array<{ [key: string]: JsonValue }>;
  batchLoss: JsonValue[];
  stopReason: string;
  stopMessage: string;
  bestEpoch?: number;
}

const STOP_REASONS: readonly StopReason[] = ['maxEpochs', 'converged', 'earlyStopping', 'aborted', 'callback'];

function decodeMetrics(v: unknown, where: string): Record<string, number> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${where} must be an object of numbers, got ${describe(v)}.`);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decodeNumber(x, `${where}.${k}`);
  return out;
}

function decodeEpoch(e: unknown, where: string, i: number): EpochRecord {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new TypeError(`${where} must be an epoch record object, got ${describe(e)}.`);
  const r = e as Record<string, unknown>;
  const epoch = decodeNumber(r.epoch, `${where}.epoch`, { integer: true, min: 1 });
  if (epoch !== i + 1) throw new RangeError(`${where}.epoch must be ${i + 1} (epochs are numbered from 1 in order), got ${describe(r.epoch)}.`);
  return {
    epoch,
    loss: decodeNumber(r.loss, `${where}.loss`),
    valLoss: r.valLoss === undefined || r.valLoss === null ? undefined : decodeNumber(r.valLoss, `${where}.valLoss`),
    metrics: decodeMetrics(r.metrics, `${where}.metrics`),
    valMetrics: decodeMetrics(r.valMetrics, `${where}.valMetrics`),
    lr: decodeNumber(r.lr, `${where}.lr`),
    timeMs: decodeNumber(r.timeMs, `${where}.timeMs`),
  };
}
