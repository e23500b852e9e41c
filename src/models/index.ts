/**
 * Models: LinearRegression, LogisticRegression, SoftmaxRegression, LinearSVM and MLP, sharing one
 * engine (src/models/base.ts), plus gradcheck and a JSON loader that dispatches on the type.
 */
import { describe } from '../util/describe.js';
import type { ModelJSON } from './base.js';
import { gradcheck as gradcheckImpl, type GradcheckOptions, type GradcheckReport } from './gradcheck.js';
import { LinearRegression, LinearSVM, LogisticRegression, SoftmaxRegression } from './linear.js';
import { MLP } from './mlp.js';
import { Sequential } from '../nn/sequential.js';

export { LinearRegression, LogisticRegression, SoftmaxRegression, LinearSVM } from './linear.js';
export type { LinearRegressionOptions, LogisticOptions, LogisticRegressionOptions, SoftmaxOptions, LinearSVMOptions } from './linear.js';
export { MLP } from './mlp.js';
export type { MLPOptions } from './mlp.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions, GradcheckReport, GradcheckWorst, GradcheckParam } from './gradcheck.js';
export type { ModelJSON, ModelLossOptions, DataNames, PenaltyOptions, Task, Activation } from './base.js';

export type Model = LinearRegression | LogisticRegression | SoftmaxRegression | LinearSVM | MLP;

/**
 * Rebuilds any model from its `toJSON()` output, dispatching on `json.type` (a built-in model or a
 * Sequential; a model class of your own has its own `fromJSON`).
 * @example
 * const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 */
export function modelFromJSON(json: ModelJSON): Model | Sequential {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TypeError(`modelFromJSON: json must be the output of a model's toJSON(), got ${describe(json)}`);
  }
  switch (json.type) {
    case 'LinearRegression': return LinearRegression.fromJSON(json);
    case 'LogisticRegression': return LogisticRegression.fromJSON(json);
    case 'SoftmaxRegression': return SoftmaxRegression.fromJSON(json);
    case 'LinearSVM': return LinearSVM.fromJSON(json);
    case 'MLP': return MLP.fromJSON(json);
    case 'Sequential': return Sequential.fromJSON(json);
    default:
      throw new TypeError(`modelFromJSON: unknown model type ${describe(json.type)}; expected the output of a model's toJSON() (LinearRegression, LogisticRegression, SoftmaxRegression, LinearSVM, MLP or Sequential; a model class of your own rebuilds with its own fromJSON)`);
  }
}

/**
 * gradcheck for a model: the kernels' gradient from `lossAndGrad` against central differences
 * of the float64 mirror `loss64`, on (X, y).
 * @example
 * gradcheckModel(new MLP({ layers: [3, 4, 2], seed: 1 }), [[1, 2, 3]], [1]).ok; // true
 */
export function gradcheckModel(
  model: Model, X: Parameters<Model['lossAndGrad']>[0], y: Parameters<Model['lossAndGrad']>[1],
  options: GradcheckOptions & { sampleWeight?: ArrayLike<number> } = {},
): GradcheckReport {
  const { sampleWeight, ...rest } = options;
  return gradcheckImpl(() => model.lossAndGrad(X, y, { sampleWeight }), model.parameters(), {
    value: () => model.loss64(X, y, { sampleWeight }),
    ...rest,
  });
}
