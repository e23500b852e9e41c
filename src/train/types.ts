/**
 * What the training layer needs of a model and an optimizer, structurally. The models in
 * src/models/ and the optimizers in src/optim/ satisfy these; so can a user's own.
 */
import type { Param } from '../tensor.js';
import type { DataMatrix } from '../data/matrix.js';
import type { SchedulableOptimizer, SchedulerBase } from '../optim/schedules/base.js';

/** Labels: class indices for classifiers, targets for regression (one per row, or rows×outputs). */
export type Labels = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array | number[];

export type Task = 'regression' | 'binary' | 'multiclass';

export interface TrainableModel {
  /** The trainable parameters; lossAndGrad writes their `.grad`. */
  parameters(): Param[];
  /** Mean loss on (X, y) (including any penalty), writing the gradient into every parameter's `.grad`. */
  lossAndGrad(X: DataMatrix<Float32Array>, y: Labels, options?: object): number;
  /** Mean loss without gradients. */
  loss(X: DataMatrix<Float32Array>, y: Labels): number;
  /** Predictions: class indices for classifiers, values for regression. */
  predict(X: DataMatrix<Float32Array>): ArrayLike<number>;
  /** Class probabilities, row-major rows × classes (classifiers only). */
  predictProba?(X: DataMatrix<Float32Array>): ArrayLike<number>;
  readonly task: Task;
}

export interface TrainableOptimizer extends SchedulableOptimizer {
  step(): void;
  zeroGrad(): void;
  stateDict(): unknown;
  loadStateDict(state: any): void;
}

export type Scheduler = SchedulerBase & { step(metric?: number): void };
