/** The metrics fit() can report each epoch, by name, computed from the model's predictions. */
import type { DataMatrix } from '../data/matrix.js';
import { accuracy, logLoss, meanAbsoluteError, meanSquaredError, precisionRecallF1, r2Score } from './metrics.js';
import type { TrainableModel } from './types.js';

export type MetricName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'logLoss' | 'mse' | 'mae' | 'r2';

export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'mse', 'mae', 'r2'];

/** True for scores (higher is better), false for losses and errors. Accepts 'val'-prefixed names. */
export function isHigherBetter(name: string): boolean {
  const base = name.startsWith('val') && name.length > 3 ? name[3].toLowerCase() + name.slice(4) : name;
  return ['accuracy', 'precision', 'recall', 'f1', 'r2'].includes(base);
}

/** Computes the named metrics of `model` on (X, y); precision/recall/F1 are macro-averaged. */
export function computeMetrics(model: TrainableModel, X: DataMatrix<Float32Array>, y: ArrayLike<number>, names: readonly MetricName[]): Record<string, number> {
  const out: Record<string, number> = {};
  let pred: ArrayLike<number> | undefined;
  const predict = () => (pred ??= model.predict(X));
  for (const name of names) {
    switch (name) {
      case 'accuracy': out.accuracy = accuracy(y, predict()); break;
      case 'precision': out.precision = precisionRecallF1(y, predict(), { average: 'macro' }).precision; break;
      case 'recall': out.recall = precisionRecallF1(y, predict(), { average: 'macro' }).recall; break;
      case 'f1': out.f1 = precisionRecallF1(y, predict(), { average: 'macro' }).f1; break;
      case 'logLoss': {
        if (!model.predictProba) throw new TypeError("fit(): metric 'logLoss' needs a model with predictProba()");
        const p = model.predictProba(X);
        const width = p.length / X.shape[0];
        out.logLoss = logLoss(y, p, width === 1 ? 2 : width); // one column: P(class 1) of a binary model
        break;
      }
      case 'mse': out.mse = meanSquaredError(y, predict()); break;
      case 'mae': out.mae = meanAbsoluteError(y, predict()); break;
      case 'r2': out.r2 = r2Score(y, predict()); break;
      default:
        throw new RangeError(`fit(): unknown metric ${JSON.stringify(name)}; the metrics are ${METRIC_NAMES.join(', ')}`);
    }
  }
  return out;
}
