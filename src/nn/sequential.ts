/**
 * Sequential: layers applied in order, with a loss on the last one's output (torch's
 * `nn.Sequential` plus a criterion, Keras's `Sequential` with `compile(loss)`).
 */
import { ops } from '../autograd/ops.js';
import { LOSSES, type LossName } from '../losses/specs.js';
import { buildThen, checkModelJSON, DELTA, type ModelJSON, type Task } from '../models/base.js';
import type { Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';
import { checkOptions, COUNT, SEED } from '../util/options.js';
import { Conv2d, Dense, Embedding, Layer, layerFromConfig, type LayerConfig } from './layers.js';
import { loadParams, Model, type Target } from './model.js';
import type { Module } from './module.js';

/** The losses a Sequential trains with (the library's names; each is the torch loss of the same meaning, mean reduction). */
export type SequentialLoss = 'softmax-cross-entropy' | 'bce' | 'mse' | 'mae' | 'huber';
/**
 * Every `loss` a Sequential takes.
 * @example
 * SEQUENTIAL_LOSSES.includes('huber'); // → true
 */
export const SEQUENTIAL_LOSSES: readonly SequentialLoss[] = ['softmax-cross-entropy', 'bce', 'mse', 'mae', 'huber'];

export interface SequentialOptions {
  /**
   * The shape of one input row, e.g. [1, 28, 28] for MNIST images given as 784 columns (the rows
   * of X are reshaped to it, no copy). Default: [inFeatures] when the first layer is Dense;
   * required otherwise.
   */
  inputShape?: number[];
  /**
   * 'softmax-cross-entropy' (torch's `CrossEntropyLoss`; class labels; the default when the last
   * layer has 2+ outputs), 'bce' (`BCEWithLogitsLoss`; labels 0/1, one output), 'mse' (`MSELoss`;
   * the default with one output), 'mae' (`L1Loss`) or 'huber' (`HuberLoss`).
   */
  loss?: SequentialLoss;
  /** Huber's delta (default 1). */
  delta?: number;
  /** Re-draw every layer's initial weights (and Dropout seeds) from this seed, layer by layer; default: keep each layer's own. */
  seed?: number;
}

const RULES = {
  inputShape: { kind: 'array', minLength: 1, item: COUNT, fix: 'Pass the shape of one row, e.g. inputShape: [1, 28, 28].' },
  loss: { kind: 'enum', values: SEQUENTIAL_LOSSES },
  delta: DELTA,
  seed: SEED,
} as const;

/**
 * Layers in order with a loss: a `TrainableModel` for `fit()`, checkpoints, `toJSON()` /
 * `modelFromJSON()` and `saveSafetensors()` (parameters named as torch's `state_dict` of the same
 * `nn.Sequential`: `0.weight`, `0.bias`, `3.weight`, ...; a layer without parameters still takes
 * its index). The chain of shapes is checked when the model is built, each mismatch naming the layer.
 *
 * Task from the loss: 'softmax-cross-entropy' → 'multiclass', 'bce' → 'binary', the others →
 * 'regression'. See {@link Model} for lossAndGrad (one replayed valueAndGrad step), loss, predict,
 * predictProba and the train/eval modes.
 * Reference: PyTorch `torch.nn.Sequential`; Keras `Sequential`.
 * @example
 * await init();
 * const net = new Sequential([
 *   new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(4 * 3 * 3, 10),
 * ], { inputShape: [1, 8, 8], seed: 0 });
 * net.parameters().map((p) => `${p.name} ${p.shape.join('×')}`); // → ['0.weight 4×1×3×3', '0.bias 4', '4.weight 10×36', '4.bias 10']
 * net.task; // → 'multiclass'
 */
export class Sequential extends Model {
  readonly task: Task;
  readonly layers: readonly Layer[];
  /** The shape of one input row. */
  readonly inputShape: readonly number[];
  /** The shape of one output row. */
  readonly outputShape: readonly number[];
  readonly lossName: SequentialLoss;
  private readonly delta: number;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    super();
    const fn = 'Sequential';
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new TypeError(`${fn}: layers must be a non-empty array of layers, got ${describe(layers)}; pass e.g. [new Dense(4, 8), new ReLU(), new Dense(8, 3)]`);
    }
    layers.forEach((l, i) => {
      if (!(l instanceof Layer)) throw new TypeError(`${fn}: layers[${i}] is ${describe(l)}, not a layer; pass layers such as new Dense(4, 8) or new ReLU()`);
    });
    const o = checkOptions(fn, options, RULES);
    this.layers = layers.slice();
    this.inputShape = o.inputShape?.slice() ?? defaultInputShape(layers[0]);
    let shape: readonly number[] = this.inputShape;
    layers.forEach((l, i) => {
      try {
        shape = l.outputShape(shape);
      } catch (e) {
        if (e instanceof RangeError) throw new RangeError(`${fn}: layer ${i} (${l}) cannot follow ${i === 0 ? `the input rows ${fmt(this.inputShape)}` : `layer ${i - 1} (${layers[i - 1]}), which gives rows of shape ${fmt(shape)}`}: ${e.message}`);
        throw e;
      }
    });
    this.outputShape = shape;
    const width = shape.reduce((a, b) => a * b, 1);
    this.lossName = o.loss ?? (width > 1 ? 'softmax-cross-entropy' : 'mse');
    this.delta = o.delta ?? 1;
    const spec = LOSSES[this.lossName];
    this.task = spec.task;
    if (this.task === 'multiclass' && (shape.length !== 1 || width < 2)) {
      throw new RangeError(`${fn}: the '${this.lossName}' loss needs rows of one output per class (2 or more), but the last layer gives rows of shape ${fmt(shape)}; end with e.g. new Dense(n, classes)`);
    }
    if (this.task === 'binary' && width !== 1) {
      throw new RangeError(`${fn}: the 'bce' loss needs one output (a logit) per row, but the last layer gives rows of shape ${fmt(shape)}; end with new Dense(n, 1)`);
    }
    if (o.seed !== undefined) this.resetParameters(o.seed);
  }

  /** The layers, named by index as in torch's nn.Sequential. */
  override children(): [string, Module][] {
    return this.layers.map((l, i) => [String(i), l]);
  }

  forward(x: Tensor): Tensor {
    const s = x.shape, rowShape = this.inputShape;
    const asRows = s.length === rowShape.length + 1 && rowShape.every((d, i) => d === s[i + 1]);
    let h = asRows ? x : ops.reshape(x, [-1, ...rowShape]);
    for (const l of this.layers) h = l.forward(h);
    return h;
  }

  /** The Sequential's loss on the output (torch's criterion of the same meaning, mean reduction). */
  override criterion(output: Tensor, target: Target): Tensor {
    switch (this.lossName) {
      case 'softmax-cross-entropy':
        return ops.crossEntropy(output, target);
      case 'bce':
        return ops.bceWithLogits(ops.reshape(output, [-1]), target);
      case 'mse':
        return ops.mseLoss(output, ops.reshape(target, output.shape));
      case 'mae':
        return ops.mean(ops.abs(ops.sub(output, ops.reshape(target, output.shape))));
      case 'huber':
        return ops.huberLoss(output, ops.reshape(target, output.shape), this.delta);
    }
  }

  protected override inputWidth(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }

  protected override outputWidth(): number {
    return this.outputShape.reduce((a, b) => a * b, 1);
  }

  protected override jsonOptions(): Record<string, unknown> {
    const o: Record<string, unknown> = {
      layers: this.layers.map((l) => l.config()), inputShape: this.inputShape.slice(), loss: this.lossName,
    };
    if (this.lossName === 'huber') o.delta = this.delta;
    return JSON.parse(JSON.stringify(o));
  }

  /**
   * Rebuilds a Sequential from its toJSON() (layers from their configs, then the parameters, each
   * checked before any is copied); a malformed JSON is refused and nothing stays allocated.
   * @example
   * await init();
   * const net = new Sequential([new Dense(2, 3), new Tanh(), new Dense(3, 2)], { seed: 1 });
   * const again = Sequential.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
   * again.predict([[1, 2]])[0] === net.predict([[1, 2]])[0]; // → true
   */
  static override fromJSON<M extends Model>(this: new (config?: any) => M, json: ModelJSON): M;
  static override fromJSON(json: ModelJSON): Sequential {
    const fn = 'Sequential.fromJSON';
    const o = checkModelJSON(json, 'Sequential') as { layers?: unknown } & SequentialOptions;
    if (!Array.isArray(o.layers)) throw new TypeError(`${fn}: json.options.layers must be the array of layer configs toJSON() wrote, got ${describe(o.layers)}`);
    const made: Layer[] = [];
    try {
      (o.layers as unknown[]).forEach((c, i) => made.push(layerFromConfig(c, `json.options.layers[${i}]`)));
    } catch (e) {
      for (const l of made) l.dispose();
      throw e;
    }
    const { layers: _layers, ...rest } = o;
    let model: Sequential;
    try {
      model = new Sequential(made, rest);
    } catch (e) {
      for (const l of made) l.dispose();
      throw e;
    }
    return buildThen(() => model, (m) => loadParams(m, json, fn));
  }
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function defaultInputShape(first: Layer): number[] {
  if (first instanceof Dense) return [first.inFeatures];
  const why = first instanceof Conv2d ? "(a Conv2d needs each row's channels, height and width, e.g. [1, 28, 28])"
    : first instanceof Embedding ? '(an Embedding needs the number of indices per row, e.g. [10])' : '';
  throw new TypeError(`Sequential: options.inputShape is required when the first layer is ${first}${why ? ` ${why}` : ''}; pass the shape of one row of X`);
}

export type { LayerConfig };
