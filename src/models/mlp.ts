/**
 * The multilayer perceptron: dense layers with a hidden activation, the output layer linear,
 * any loss of the registry on top.
 */
import { LOSS_NAMES, LOSSES, type LossName } from '../losses/specs.js';
import type { MatrixInput } from '../losses/validate.js';
import { checkOptions, SEED } from '../util/options.js';
import {
  ACTIVATIONS, buildThen, checkC, checkModelJSON, DELTA, DenseModel, PENALTY_RULES,
  type Activation, type Init, type ModelJSON, type PenaltyOptions,
} from './base.js';

export interface MLPOptions extends PenaltyOptions {
  /** [inputs, ...hidden, outputs], e.g. [784, 128, 10]. Required. */
  layers: number[];
  /** Hidden activation: 'relu' (default), 'leaky-relu', 'tanh', 'sigmoid' or 'identity'. */
  activation?: Activation;
  /** Leaky ReLU's negative slope (default 0.01, must be >= 0). */
  slope?: number;
  /** The loss on the output layer (default 'softmax-cross-entropy' for 2+ outputs, 'mse' for one). */
  loss?: LossName;
  /** Huber's delta or the multiclass hinge margin (default 1). */
  delta?: number;
  /** Weight initialization: 'he' (default for relu/leaky-relu), 'xavier' (default otherwise) or 'lecun'. Biases start at 0. */
  init?: 'he' | 'xavier' | 'lecun';
  /** Seed of the initialization (default 0). */
  seed?: number;
  /** sklearn-style objective C·Σ loss + R(W) instead of mean loss + α·R(W). */
  C?: number;
}

/**
 * A multilayer perceptron. Layer l computes act(A·W_l + b_l) with W_l of shape in×out
 * (row-major), the last layer without activation; the loss is applied to its output (logits for
 * the classification losses). Initialization (seeded by `seed` through Prng): he N(0, 2/fan_in),
 * xavier N(0, 2/(fan_in + fan_out)), lecun N(0, 1/fan_in); biases 0. Penalties apply to weights
 * only. Parameters are named 'layers.<l>.weight' and 'layers.<l>.bias'.
 *
 * Task by loss: 'softmax-cross-entropy' / 'multiclass-hinge' → multiclass (labels 0..out−1, out >= 2);
 * 'bce' / 'hinge' / 'squared-hinge' → binary (labels 0/1, out = 1); 'mse' / 'mae' / 'huber' → regression.
 * @example
 * const net = new MLP({ layers: [4, 8, 3], activation: 'tanh', seed: 1 });
 * const loss = net.lossAndGrad([[0.1, 0.2, 0.3, 0.4]], [2]); // gradients now in .grad
 * net.predictProba([[0.1, 0.2, 0.3, 0.4]]);                   // Float32Array of 3, sums to 1
 * Reference: sklearn.neural_network.MLPClassifier; He et al. (2015), Glorot & Bengio (2010).
 */
export class MLP extends DenseModel {
  /** Number of classes for classifiers (0 for regression). */
  readonly nClasses: number;
  private readonly opts: MLPOptions;

  constructor(options: MLPOptions) {
    const T = 'MLP';
    checkOptions(T, options, {
      layers: {
        kind: 'array', minLength: 2, required: true, item: { kind: 'number', integer: true, min: 1 },
        fix: 'Pass [inputs, ...hidden, outputs], e.g. layers: [784, 128, 10].',
      },
      activation: { kind: 'enum', values: ACTIVATIONS },
      slope: { kind: 'number', min: 0, fix: "Pass leaky ReLU's negative slope, e.g. 0.01." },
      loss: { kind: 'enum', values: LOSS_NAMES },
      delta: DELTA,
      init: { kind: 'enum', values: ['he', 'xavier', 'lecun'] },
      seed: SEED,
      ...PENALTY_RULES,
    });
    const sizes = options.layers;
    const activation = options.activation ?? 'relu';
    const slope = options.slope ?? 0.01;
    const out = sizes[sizes.length - 1];
    const loss = options.loss ?? (out > 1 ? 'softmax-cross-entropy' : 'mse');
    const spec = LOSSES[loss];
    if (spec.task === 'binary' && out !== 1) throw new RangeError(`MLP: the '${loss}' loss needs one output (a logit or score), but options.layers ends with ${out}; end layers with 1`);
    if (spec.task === 'multiclass' && out < 2) throw new RangeError(`MLP: the '${loss}' loss needs one output per class (>= 2), but options.layers ends with ${out}`);
    const init = options.init ?? (activation === 'relu' || activation === 'leaky-relu' ? 'he' : 'xavier');
    const seed = options.seed ?? 0;
    const C = checkC(T, options.C, options.alpha);
    super({
      type: T, task: spec.task, sizes: sizes.slice(), hiddenActivation: activation, slope, bias: true,
      loss, delta: options.delta ?? 1, numClasses: spec.task === 'regression' ? 0 : spec.task === 'binary' ? 2 : out,
      penalty: options.penalty ?? (C !== undefined ? 'l2' : 'none'), alpha: options.alpha ?? 1e-4, l1Ratio: options.l1Ratio ?? 0.15, C,
    }, init as Init, seed, (l, kind) => `layers.${l}.${kind}`);
    this.nClasses = spec.task === 'regression' ? 0 : spec.task === 'binary' ? 2 : out;
    this.opts = { ...options, layers: sizes.slice(), activation, slope, loss, init, seed };
  }

  /** @deprecated Use {@link nClasses}. */
  get numClasses(): number {
    return this.nClasses;
  }

  /** Probabilities (rows×classes, a new Float32Array) for the 'bce' and 'softmax-cross-entropy' losses. */
  predictProba(X: MatrixInput): Float32Array {
    return this.probabilities(X, 'MLP.predictProba');
  }

  protected jsonOptions(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.opts));
  }

  /**
   * Rebuilds an MLP from `toJSON()` output (the stored parameters replace the initialization), as
   * {@link LinearRegression.fromJSON}: a malformed JSON is refused and nothing is kept in memory.
   */
  static fromJSON(json: ModelJSON): MLP {
    const o = checkModelJSON(json, 'MLP') as unknown as MLPOptions;
    return buildThen(() => new MLP(o), (m) => m.loadParams(json));
  }
}
