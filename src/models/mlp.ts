/**
 * The multilayer perceptron: dense layers with a hidden activation, the output layer linear,
 * any loss of the registry on top.
 */
import { LOSS_NAMES, LOSSES, type LossName } from '../losses/specs.js';
import type { MatrixInput } from '../losses/validate.js';
import { ACTIVATIONS, checkC, checkCount, checkOptionNames, DenseModel, type Activation, type Init, type ModelJSON, type PenaltyOptions } from './base.js';
import { checkDelta } from './linear.js';

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
  readonly numClasses: number;
  private readonly opts: MLPOptions;

  constructor(options: MLPOptions) {
    const T = 'MLP';
    checkOptionNames(T, options, ['layers', 'activation', 'slope', 'loss', 'delta', 'init', 'seed', 'penalty', 'alpha', 'l1Ratio', 'C']);
    const sizes = options.layers;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new TypeError(`MLP: layers must be [inputs, ...hidden, outputs] with at least two sizes, got ${JSON.stringify(sizes)}; e.g. layers: [784, 128, 10]`);
    }
    sizes.forEach((s, i) => checkCount(T, `layers[${i}]`, s, 1));
    const activation = options.activation ?? 'relu';
    if (!ACTIVATIONS.includes(activation)) throw new RangeError(`MLP: activation must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(activation)}`);
    const slope = options.slope ?? 0.01;
    if (typeof slope !== 'number' || !(slope >= 0) || !Number.isFinite(slope)) throw new RangeError(`MLP: slope must be a finite number >= 0, got ${String(slope)}`);
    const out = sizes[sizes.length - 1];
    const loss = options.loss ?? (out > 1 ? 'softmax-cross-entropy' : 'mse');
    if (!LOSS_NAMES.includes(loss)) throw new RangeError(`MLP: loss must be one of ${LOSS_NAMES.map((l) => `'${l}'`).join(', ')}, got ${JSON.stringify(loss)}`);
    const spec = LOSSES[loss];
    if (spec.task === 'binary' && out !== 1) throw new RangeError(`MLP: the '${loss}' loss needs one output (a logit or score), but layers ends with ${out}; end layers with 1`);
    if (spec.task === 'multiclass' && out < 2) throw new RangeError(`MLP: the '${loss}' loss needs one output per class (>= 2), but layers ends with ${out}`);
    const init = options.init ?? (activation === 'relu' || activation === 'leaky-relu' ? 'he' : 'xavier');
    if (init !== 'he' && init !== 'xavier' && init !== 'lecun') throw new RangeError(`MLP: init must be 'he', 'xavier' or 'lecun', got ${JSON.stringify(init)}`);
    const seed = options.seed ?? 0;
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError(`MLP: seed must be a finite number, got ${String(seed)}`);
    const C = checkC(T, options.C, options.alpha);
    super({
      type: T, task: spec.task, sizes: sizes.slice(), hiddenActivation: activation, slope, bias: true,
      loss, delta: checkDelta(T, options.delta), numClasses: spec.task === 'regression' ? 0 : spec.task === 'binary' ? 2 : out,
      penalty: options.penalty ?? (C !== undefined ? 'l2' : 'none'), alpha: options.alpha ?? 1e-4, l1Ratio: options.l1Ratio ?? 0.15, C,
    }, init as Init, seed, (l, kind) => `layers.${l}.${kind}`);
    this.numClasses = spec.task === 'regression' ? 0 : spec.task === 'binary' ? 2 : out;
    this.opts = { ...options, layers: sizes.slice(), activation, slope, loss, init, seed };
  }

  /** Probabilities (rows×classes, a new Float32Array) for the 'bce' and 'softmax-cross-entropy' losses. */
  predictProba(X: MatrixInput): Float32Array {
    return this.probabilities(X, 'MLP.predictProba');
  }

  protected jsonOptions(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.opts));
  }

  /** Rebuilds an MLP from `toJSON()` output (the stored parameters replace the initialization). */
  static fromJSON(json: ModelJSON): MLP {
    if (!json || json.format !== 'descent-model' || json.type !== 'MLP') {
      throw new TypeError(`MLP.fromJSON: expected the output of MLP.toJSON() (format 'descent-model', type 'MLP'), got type ${JSON.stringify((json as any)?.type)}`);
    }
    return new MLP(json.options as unknown as MLPOptions).loadParams(json);
  }
}
