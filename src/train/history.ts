/**
 * What fit() returns: the loss per batch and per epoch, validation loss and metrics, the learning
 * rate and wall time per epoch, and why training stopped.
 */

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

  toJSON(): object {
    return {
      epochs: this.epochs.map((e) => ({ ...e, loss: num(e.loss), valLoss: e.valLoss === undefined ? undefined : num(e.valLoss) })),
      batchLoss: this.batchLoss.map(num),
      stopReason: this.stopReason,
      stopMessage: this.stopMessage,
      bestEpoch: this.bestEpoch,
    };
  }

  /** Rebuilds a History from `toJSON()` output (checkpoints). */
  static fromJSON(json: any): History {
    const h = new History();
    if (!json || !Array.isArray(json.epochs) || !Array.isArray(json.batchLoss)) {
      throw new TypeError('History.fromJSON: expected { epochs: [...], batchLoss: [...] } from History.toJSON()');
    }
    for (const e of json.epochs) h.epochs.push({ ...e, loss: unnum(e.loss), valLoss: e.valLoss === undefined ? undefined : unnum(e.valLoss) });
    for (const v of json.batchLoss) h.batchLoss.push(unnum(v));
    h.stopReason = json.stopReason;
    h.stopMessage = json.stopMessage ?? '';
    h.bestEpoch = json.bestEpoch;
    return h;
  }
}

// JSON has no NaN or Infinity; keep them as strings so a history survives a round trip.
function num(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}
function unnum(v: number | string): number {
  return typeof v === 'string' ? Number(v) : v;
}
