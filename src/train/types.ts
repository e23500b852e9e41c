/**
 * What the training layer needs of a model and an optimizer, structurally. The models in
 * src/models/ and the optimizers in src/optim/ satisfy these; so can a user's own.
 */
import type { Param } from '../tensor.js';
import type { DataMatrix } from '../data/matrix.js';
import type { DataNames, Task } from '../models/base.js';
import type { SchedulableOptimizer, SchedulerBase } from '../optim/schedules/base.js';

export type { DataNames, Task };

/** Labels: class indices for classifiers, targets for regression (one per row, or rows×outputs). */
export type Labels = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array | number[];

/**
 * What fit(), fitAsync() and lrFind() need of a model. The library's models implement all of it;
 * a model of your own needs `parameters`, `lossAndGrad`, `loss`, `predict` and `task`.
 *
 * The contract for speed: fit() checks the whole data set once before the first step (X finite,
 * labels numbers, class labels whole numbers; then `checkData` if the model has it, with
 * `names.xFinite: true`, which checks what only the model knows: columns, class ranges) and then passes every batch to `lossAndGrad`
 * with `{ checked: true }`, so a model may skip re-scanning X for NaN/Inf at every step.
 */
export interface TrainableModel {
  /** The trainable parameters; lossAndGrad writes their `.grad`. */
  parameters(): Param[];
  /**
   * Mean loss on (X, y) (including any penalty), writing the gradient into every parameter's
   * `.grad`. fit() passes `{ checked: true }`: X comes from rows it has already checked (see above).
   */
  lossAndGrad(X: DataMatrix<Float32Array>, y: Labels, options?: { checked?: boolean }): number;
  /** Mean loss without gradients. */
  loss(X: DataMatrix<Float32Array>, y: Labels): number;
  /** Predictions: class indices for classifiers, values for regression. */
  predict(X: DataMatrix<Float32Array>): ArrayLike<number>;
  /** Class probabilities, row-major rows × classes (classifiers only). */
  predictProba?(X: DataMatrix<Float32Array>): ArrayLike<number>;
  /**
   * Optional: checks a whole data set once, before training, throwing a TypeError/RangeError that
   * uses `names` (the caller's function and argument names) and the row index in the caller's
   * arrays. fit() calls it on the training data and on `validationData`.
   */
  checkData?(X: DataMatrix<Float32Array>, y: Labels, names: DataNames): void;
  /**
   * Optional, with `setExtraState`: state other than the parameters that a resumed run needs to
   * continue bit for bit (a Dropout's mask counter), JSON-serializable. Checkpoints keep it
   * (torch's `get_extra_state` / `set_extra_state`).
   */
  getExtraState?(): unknown;
  /** Puts back what getExtraState() returned; throws (changing nothing) when it does not fit the model. */
  setExtraState?(state: unknown): void;
  readonly task: Task;
}

/** A parameter's optimizer state as `state(p)` shows it: step count, buffer views (null: unset), scalars. */
export interface ParamStateLike {
  step: number;
  [buffer: string]: number | Float32Array | Float64Array | null;
}

/**
 * What fit() needs of an optimizer. The library's optimizers implement all of it; your own needs
 * `paramGroups`, `step`, `zeroGrad`, `stateDict` and `loadStateDict`.
 */
export interface TrainableOptimizer extends SchedulableOptimizer {
  step(): void;
  zeroGrad(): void;
  stateDict(): unknown;
  loadStateDict(state: any): void;
  /** Optional: frees the optimizer's state buffers. fit() calls it on an optimizer it built from a name. */
  dispose?(): void;
  /**
   * Optional, with `state`: the parameters in `stateDict().state` order. With both, fit() rolls the
   * optimizer's state back together with the parameters when training diverges.
   */
  readonly params?: Param[];
  /** Optional: a parameter's state (step count, zero-copy buffer views, scalars), as the library's optimizers have it. */
  state?(p: Param): ParamStateLike;
}

export type Scheduler = SchedulerBase & { step(metric?: number): void };
