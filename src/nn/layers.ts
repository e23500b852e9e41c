/**
 * The layers: torch's `nn` layers of the same names, each a Module whose forward is a few ops.
 * Weights are stored in torch's layout (a Dense weight is [out, in], a Conv2d weight
 * [out, in, kh, kw]) so that `state_dict` names and shapes carry over to PyTorch unchanged.
 *
 * Every layer also knows its per-row output shape (`outputShape`, without the batch dimension), so a
 * Sequential checks its chain when it is built, and its constructor options (`config()`), so a model
 * is rebuilt from JSON (`layerFromConfig`).
 */
import { apply, type OpDef } from '../autograd/engine.js';
import { bmm } from '../autograd/ops/matmul.js';
import { ops } from '../autograd/ops.js';
import { IndexTensor } from '../autograd/values.js';
import { param, type Param, type Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';
import { BOOLEAN, COUNT, SEED, checkOptions, checkValue, type Rule, type Rules } from '../util/options.js';
import { Prng } from '../util/prng.js';
import { INIT_RULE, initWeights, type WeightInit } from './initializers.js';
import { Module } from './module.js';

/**
 * A layer: a Module that knows its per-row output shape and its constructor options (`config()`),
 * so a Sequential can check its chain of shapes and rebuild itself from JSON.
 * Reference: PyTorch `torch.nn.Module` subclasses in `torch.nn`.
 * @example
 * const fc = new Dense(4, 2);
 * fc instanceof Layer; // → true
 * fc.outputShape([4]); // → [2]
 */
export abstract class Layer extends Module {
  /** The per-row output shape for a per-row input shape (no batch dimension); throws a RangeError naming the layer on a mismatch. */
  abstract outputShape(input: readonly number[]): number[];
  /** The options that rebuild this layer (`layerFromConfig`), with its type. */
  abstract config(): LayerConfig;
  /** A short description, e.g. `Dense(784 → 10)`, for messages. */
  override toString(): string {
    return this.constructor.name;
  }
}

/** A layer's constructor options with its type name, as stored in a model's JSON. */
export interface LayerConfig {
  type: string;
  [option: string]: unknown;
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Common options of layers with weights. */
export interface WeightOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  /** 'torch' (default: torch's U(±1/√fan_in) for weight and bias), 'he', 'xavier' or 'lecun' (normal, bias 0). */
  init?: WeightInit;
  /** Seed of the initialization (default 0). A Sequential's `seed` option re-draws every layer. */
  seed?: number;
}

const WEIGHT_RULES: Rules = { bias: BOOLEAN, init: INIT_RULE, seed: SEED };
const POSITIVE: Rule = { ...COUNT, required: true };

function count(fn: string, name: string, v: unknown): number {
  return checkValue(fn, name, v, POSITIVE) as number;
}

/** A whole number >= min or a pair [h, w] of them (stride, padding, kernel size). */
function pairOf(fn: string, name: string, v: unknown, min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (p === null || !p.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min)) {
    throw new RangeError(`${fn}: ${name} must be a whole number >= ${min} or a pair [h, w] of them, got ${describe(v)}${Array.isArray(v) ? ` ${JSON.stringify(v)}` : ''}`);
  }
  return [p[0], p[1]];
}

// ---- Dense ---------------------------------------------------------------------------------------

/**
 * A fully connected layer, y = x·Wᵀ + b (torch's `nn.Linear`), over the last dimension of its input.
 * `weight` is [outFeatures, inFeatures] as in torch (read transposed by the GEMM, no copy), `bias`
 * [outFeatures]. Initialization: see {@link WeightOptions} (default torch's U(±1/√inFeatures)).
 * Reference: PyTorch `torch.nn.Linear`.
 * @example
 * await init();
 * const fc = new Dense(3, 2, { seed: 1 });
 * fc.weight.shape; // → [2, 3]
 * fc.forward(ops.tensor([[1, 2, 3]])).shape; // → [1, 2]
 */
export class Dense extends Layer {
  readonly weight: Param;
  readonly bias: Param | null;
  private readonly init: WeightInit;
  private readonly seed: number;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: WeightOptions = {}) {
    super();
    const fn = 'Dense';
    count(fn, 'inFeatures', inFeatures);
    count(fn, 'outFeatures', outFeatures);
    const o = checkOptions(fn, options, WEIGHT_RULES);
    this.init = o.init ?? 'torch';
    this.seed = o.seed ?? 0;
    this.weight = param.zeros([outFeatures, inFeatures], { name: 'weight' });
    try {
      this.bias = o.bias === false ? null : param.zeros(outFeatures, { name: 'bias' });
    } catch (e) {
      this.weight.dispose();
      throw e;
    }
    this.initialize(new Prng(this.seed));
  }

  protected override initialize(rng: Prng): void {
    initWeights(rng, this.init, this.weight, this.bias, this.inFeatures, this.outFeatures);
  }

  forward(x: Tensor): Tensor {
    const s = x.shape;
    // [..., in] rows through one GEMM with the weight read transposed (torch's layout, no copy)
    const rows = s.length === 2 ? x : ops.reshape(x, [-1, this.inFeatures]);
    let y: Tensor = bmm(rows, this.weight, false, true);
    if (this.bias) y = ops.add(y, this.bias);
    return s.length === 2 ? y : ops.reshape(y, [...s.slice(0, -1), this.outFeatures]);
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length === 0 || input[input.length - 1] !== this.inFeatures) {
      throw new RangeError(`${this} takes rows whose last dimension is ${this.inFeatures}, got ${fmt(input)}`);
    }
    return [...input.slice(0, -1), this.outFeatures];
  }

  config(): LayerConfig {
    return { type: 'Dense', inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, init: this.init, seed: this.seed };
  }

  override toString(): string {
    return `Dense(${this.inFeatures} → ${this.outFeatures})`;
  }
}

/**
 * torch's name for {@link Dense} (the same class).
 * @example
 * new Linear(3, 2).weight.shape; // → [2, 3]
 */
export const Linear = Dense;

// ---- Conv2d --------------------------------------------------------------------------------------

export interface Conv2dLayerOptions extends WeightOptions {
  /** Step between windows, a number or [h, w] (default 1). */
  stride?: number | [number, number];
  /** Zeros added on each side, a number or [h, w] (default 0). */
  padding?: number | [number, number];
}

const CONV_RULES: Rules = {
  ...WEIGHT_RULES,
  stride: { kind: 'custom', want: 'a whole number >= 1 or a pair [h, w]', test: (v) => typeof v === 'number' || Array.isArray(v) },
  padding: { kind: 'custom', want: 'a whole number >= 0 or a pair [h, w]', test: (v) => typeof v === 'number' || Array.isArray(v) },
};

/**
 * A 2-D convolution over NCHW inputs (torch's `nn.Conv2d`, cross-correlation, zero padding).
 * `weight` is [outChannels, inChannels, kh, kw], `bias` [outChannels]; fan_in = inChannels·kh·kw.
 * Input rows are [inChannels, H, W] (a Sequential's `inputShape`), output [outChannels, OH, OW] with
 * OH = ⌊(H + 2·padding − kh)/stride⌋ + 1.
 * Reference: PyTorch `torch.nn.Conv2d` (groups = dilation = 1).
 * @example
 * await init();
 * const conv = new Conv2d(1, 4, 3, { padding: 1 });
 * conv.outputShape([1, 28, 28]); // → [4, 28, 28]
 */
export class Conv2d extends Layer {
  readonly weight: Param;
  readonly bias: Param | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  private readonly init: WeightInit;
  private readonly seed: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | [number, number], options: Conv2dLayerOptions = {}) {
    super();
    const fn = 'Conv2d';
    count(fn, 'inChannels', inChannels);
    count(fn, 'outChannels', outChannels);
    this.kernelSize = pairOf(fn, 'kernelSize', kernelSize, 1);
    const o = checkOptions(fn, options, CONV_RULES);
    this.stride = pairOf(fn, 'options.stride', o.stride ?? 1, 1);
    this.padding = pairOf(fn, 'options.padding', o.padding ?? 0, 0);
    this.init = o.init ?? 'torch';
    this.seed = o.seed ?? 0;
    const [kh, kw] = this.kernelSize;
    this.weight = param.zeros([outChannels, inChannels, kh, kw], { name: 'weight' });
    try {
      this.bias = o.bias === false ? null : param.zeros(outChannels, { name: 'bias' });
    } catch (e) {
      this.weight.dispose();
      throw e;
    }
    this.initialize(new Prng(this.seed));
  }

  protected override initialize(rng: Prng): void {
    const area = this.kernelSize[0] * this.kernelSize[1];
    initWeights(rng, this.init, this.weight, this.bias, this.inChannels * area, this.outChannels * area);
  }

  forward(x: Tensor): Tensor {
    return ops.conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 3 || input[0] !== this.inChannels) {
      throw new RangeError(`${this} takes rows of shape [${this.inChannels}, height, width], got ${fmt(input)}`);
    }
    const [, H, W] = input;
    const OH = Math.floor((H + 2 * this.padding[0] - this.kernelSize[0]) / this.stride[0]) + 1;
    const OW = Math.floor((W + 2 * this.padding[1] - this.kernelSize[1]) / this.stride[1]) + 1;
    if (OH < 1 || OW < 1) throw new RangeError(`${this}: its ${this.kernelSize.join('×')} kernel does not fit rows of shape ${fmt(input)}`);
    return [this.outChannels, OH, OW];
  }

  config(): LayerConfig {
    return {
      type: 'Conv2d', inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize.slice(),
      stride: this.stride.slice(), padding: this.padding.slice(), bias: this.bias !== null, init: this.init, seed: this.seed,
    };
  }

  override toString(): string {
    return `Conv2d(${this.inChannels} → ${this.outChannels}, ${this.kernelSize.join('×')})`;
  }
}

// ---- pooling -------------------------------------------------------------------------------------

export interface Pool2dLayerOptions {
  /** Step between windows (default: the kernel size, as torch). */
  stride?: number | [number, number];
  /** Padding on each side (default 0; at most half the kernel). */
  padding?: number | [number, number];
}

const POOL_RULES: Rules = { stride: CONV_RULES.stride, padding: CONV_RULES.padding };

abstract class Pool2d extends Layer {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: number | [number, number], options: Pool2dLayerOptions, private readonly kind: 'MaxPool2d' | 'AvgPool2d') {
    super();
    this.kernelSize = pairOf(kind, 'kernelSize', kernelSize, 1);
    const o = checkOptions(kind, options, POOL_RULES);
    this.stride = o.stride === undefined ? this.kernelSize.slice() as [number, number] : pairOf(kind, 'options.stride', o.stride, 1);
    this.padding = pairOf(kind, 'options.padding', o.padding ?? 0, 0);
    if (2 * this.padding[0] > this.kernelSize[0] || 2 * this.padding[1] > this.kernelSize[1]) {
      throw new RangeError(`${kind}: options.padding [${this.padding.join(', ')}] must be at most half the kernel [${this.kernelSize.join(', ')}]`);
    }
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length !== 3) throw new RangeError(`${this} takes rows of shape [channels, height, width], got ${fmt(input)}`);
    const [C, H, W] = input;
    const OH = Math.floor((H + 2 * this.padding[0] - this.kernelSize[0]) / this.stride[0]) + 1;
    const OW = Math.floor((W + 2 * this.padding[1] - this.kernelSize[1]) / this.stride[1]) + 1;
    if (OH < 1 || OW < 1) throw new RangeError(`${this}: its ${this.kernelSize.join('×')} window does not fit rows of shape ${fmt(input)}`);
    return [C, OH, OW];
  }

  protected options() {
    return { kernel: this.kernelSize, stride: this.stride, padding: this.padding };
  }

  config(): LayerConfig {
    return { type: this.kind, kernelSize: this.kernelSize.slice(), stride: this.stride.slice(), padding: this.padding.slice() };
  }

  override toString(): string {
    return `${this.kind}(${this.kernelSize.join('×')})`;
  }
}

/**
 * Max over each window (torch's `nn.MaxPool2d`; stride defaults to the kernel size).
 * @example
 * await init();
 * new MaxPool2d(2).forward(ops.tensor([1, 5, 3, 4], [1, 1, 2, 2])).toArray(); // → [5]
 */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: number | [number, number], options: Pool2dLayerOptions = {}) {
    super(kernelSize, options, 'MaxPool2d');
  }

  forward(x: Tensor): Tensor {
    return ops.maxPool2d(x, this.options());
  }
}

/**
 * Mean over each window, padding counted (torch's `nn.AvgPool2d` with count_include_pad).
 * @example
 * await init();
 * new AvgPool2d(2).forward(ops.tensor([1, 5, 3, 4], [1, 1, 2, 2])).toArray(); // → [3.25]
 */
export class AvgPool2d extends Pool2d {
  constructor(kernelSize: number | [number, number], options: Pool2dLayerOptions = {}) {
    super(kernelSize, options, 'AvgPool2d');
  }

  forward(x: Tensor): Tensor {
    return ops.avgPool2d(x, this.options());
  }
}

// ---- shape and regularization --------------------------------------------------------------------

/**
 * Flattens every dimension after the first (torch's `nn.Flatten()`): [N, C, H, W] → [N, C·H·W]. No copy.
 * @example
 * await init();
 * new Flatten().forward(ops.full([2, 3, 4], 1)).shape; // → [2, 12]
 */
export class Flatten extends Layer {
  forward(x: Tensor): Tensor {
    return ops.reshape(x, [x.shape[0], -1]);
  }

  outputShape(input: readonly number[]): number[] {
    return [size(input)];
  }

  config(): LayerConfig {
    return { type: 'Flatten' };
  }
}

export interface DropoutLayerOptions {
  /** Seed of the masks (default 0); each training call draws a new mask from (seed, call count). */
  seed?: number;
}

/** 32-bit mix of a seed and a counter (murmur3's finalizer), for the per-call dropout masks. */
function mixSeed(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * Zeroes each element with probability p while training and scales the rest by 1/(1 − p) (torch's
 * `nn.Dropout`); the identity in eval mode. Seeded: call k of a layer with seed s uses the mask of
 * (s, k), the same bits on every backend. The call count is part of a model's checkpoint
 * (`getExtraState`), so a resumed run draws the masks the uninterrupted run would have.
 * Reference: PyTorch `torch.nn.Dropout`; Srivastava et al. 2014.
 * @example
 * await init();
 * const drop = new Dropout(0.5, { seed: 1 });
 * drop.forward(ops.full([8], 1)).toArray().every((v) => v === 0 || v === 2); // → true
 * drop.eval().forward(ops.full([2], 1)).toArray(); // → [1, 1]
 */
export class Dropout extends Layer {
  /** Training calls so far (the mask counter). */
  calls = 0;
  private seed: number;

  constructor(readonly p = 0.5, options: DropoutLayerOptions = {}) {
    super();
    checkValue('Dropout', 'p', p, { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Pass a probability in [0, 1) such as 0.5.' });
    const o = checkOptions('Dropout', options, { seed: SEED });
    this.seed = o.seed ?? 0;
  }

  protected override initialize(rng: Prng): void {
    this.seed = rng.nextU32() | 0;
    this.calls = 0;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return ops.dropout(x, { p: this.p, seed: mixSeed(this.seed, this.calls++) });
  }

  outputShape(input: readonly number[]): number[] {
    return input.slice();
  }

  config(): LayerConfig {
    return { type: 'Dropout', p: this.p, seed: this.seed };
  }

  override toString(): string {
    return `Dropout(${this.p})`;
  }
}

/** Float indices → int32 (Keras's Embedding casts its float input the same way); whole numbers only. */
const TO_INDICES: OpDef = {
  name: 'embedding indices',
  args: ['input'],
  infer: ([x]) => ({ shape: x.shape.slice(), dtype: 'i32' }),
  run(_k, node, dev) {
    const x = node.inputs[0], f = dev.f32(), ix = dev.i32(), s = x.ptr >>> 2, o = node.out!.ptr >>> 2;
    for (let i = 0; i < x.size; i++) {
      const v = f[s + i];
      if (!Number.isInteger(v)) throw new RangeError(`Embedding: input element ${i} is ${v}; embedding indices must be whole numbers (row indices)`);
      ix[o + i] = v;
    }
  },
};

export interface EmbeddingOptions {
  /** Seed of the initialization, N(0, 1) as torch (default 0). */
  seed?: number;
}

/**
 * A lookup table of `numEmbeddings` rows of size `embeddingDim` (torch's `nn.Embedding`): input
 * indices of any shape → [..., embeddingDim]. Takes index tensors (`indexTensor`, Int32Array) or
 * float tensors holding whole numbers (the columns of a data matrix, as in fit()). `weight`
 * [numEmbeddings, embeddingDim] starts N(0, 1) as torch; an index out of range is a RangeError.
 * Reference: PyTorch `torch.nn.Embedding`.
 * @example
 * await init();
 * const emb = new Embedding(10, 3);
 * emb.forward(ops.tensor([[1, 2], [3, 4]])).shape; // → [2, 2, 3]
 */
export class Embedding extends Layer {
  readonly weight: Param;
  private readonly seed: number;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    count('Embedding', 'numEmbeddings', numEmbeddings);
    count('Embedding', 'embeddingDim', embeddingDim);
    const o = checkOptions('Embedding', options, { seed: SEED });
    this.seed = o.seed ?? 0;
    this.weight = param.zeros([numEmbeddings, embeddingDim], { name: 'weight' });
    this.initialize(new Prng(this.seed));
  }

  protected override initialize(rng: Prng): void {
    const w = this.weight.data;
    for (let i = 0; i < w.length; i++) w[i] = rng.nextNormal();
  }

  forward(x: Tensor | IndexTensor): Tensor {
    const idx = x instanceof IndexTensor || (x as unknown) instanceof Int32Array ? x : apply(TO_INDICES, [x]);
    return ops.embedding(this.weight, idx as IndexTensor);
  }

  outputShape(input: readonly number[]): number[] {
    return [...input, this.embeddingDim];
  }

  config(): LayerConfig {
    return { type: 'Embedding', numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim, seed: this.seed };
  }

  override toString(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }
}

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5, as torch). */
  eps?: number;
  /** Learn a per-feature weight (starts 1) and bias (starts 0) (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalizes each row over its last dimension, then ·weight + bias (torch's `nn.LayerNorm` over one
 * dimension): y = (x − mean)/√(var + eps)·weight + bias, var the biased variance.
 * Reference: PyTorch `torch.nn.LayerNorm`; Ba et al. 2016.
 * @example
 * await init();
 * new LayerNorm(2).forward(ops.tensor([[1, 3]])).toArray(); // → [-0.99999505, 0.99999505]
 */
export class LayerNorm extends Layer {
  readonly weight: Param | null;
  readonly bias: Param | null;
  readonly eps: number;

  constructor(readonly normalizedShape: number, options: LayerNormOptions = {}) {
    super();
    count('LayerNorm', 'normalizedShape', normalizedShape);
    const o = checkOptions('LayerNorm', options, { eps: { kind: 'number', min: 0, fix: 'Pass a small number such as 1e-5.' }, elementwiseAffine: BOOLEAN });
    this.eps = o.eps ?? 1e-5;
    if (o.elementwiseAffine === false) {
      this.weight = null;
      this.bias = null;
    } else {
      this.weight = param.zeros(normalizedShape, { name: 'weight' });
      try {
        this.bias = param.zeros(normalizedShape, { name: 'bias' });
      } catch (e) {
        this.weight.dispose();
        throw e;
      }
      this.initialize();
    }
  }

  protected override initialize(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    return ops.layerNorm(x, this.weight, this.bias, this.eps);
  }

  outputShape(input: readonly number[]): number[] {
    if (input.length === 0 || input[input.length - 1] !== this.normalizedShape) {
      throw new RangeError(`${this} normalizes a last dimension of ${this.normalizedShape}, got rows of shape ${fmt(input)}`);
    }
    return input.slice();
  }

  config(): LayerConfig {
    return { type: 'LayerNorm', normalizedShape: this.normalizedShape, eps: this.eps, elementwiseAffine: this.weight !== null };
  }

  override toString(): string {
    return `LayerNorm(${this.normalizedShape})`;
  }
}

// ---- activations ---------------------------------------------------------------------------------

/** An element-wise activation: no parameters, same shape out. */
abstract class Activation extends Layer {
  outputShape(input: readonly number[]): number[] {
    return input.slice();
  }

  config(): LayerConfig {
    return { type: this.constructor.name };
  }
}

/**
 * max(x, 0) (torch's `nn.ReLU`).
 * @example
 * await init();
 * new ReLU().forward(ops.tensor([-1, 2])).toArray(); // → [0, 2]
 */
export class ReLU extends Activation {
  forward(x: Tensor): Tensor {
    return ops.relu(x);
  }
}

/**
 * x for x > 0, negativeSlope·x otherwise (torch's `nn.LeakyReLU`, default slope 0.01).
 * @example
 * await init();
 * new LeakyReLU(0.1).forward(ops.tensor([-10, 2])).toArray(); // → [-1, 2]
 */
export class LeakyReLU extends Activation {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkValue('LeakyReLU', 'negativeSlope', negativeSlope, { kind: 'number', fix: 'Pass a slope such as 0.01.' });
  }

  forward(x: Tensor): Tensor {
    return ops.leakyRelu(x, this.negativeSlope);
  }

  override config(): LayerConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
}

/**
 * tanh(x) (torch's `nn.Tanh`).
 * @example
 * await init();
 * new Tanh().forward(ops.tensor([0])).toArray(); // → [0]
 */
export class Tanh extends Activation {
  forward(x: Tensor): Tensor {
    return ops.tanh(x);
  }
}

/**
 * 1/(1 + e^−x) (torch's `nn.Sigmoid`).
 * @example
 * await init();
 * new Sigmoid().forward(ops.tensor([0])).toArray(); // → [0.5]
 */
export class Sigmoid extends Activation {
  forward(x: Tensor): Tensor {
    return ops.sigmoid(x);
  }
}

/**
 * x·Φ(x), the exact (erf) form (torch's `nn.GELU()` with approximate='none').
 * @example
 * await init();
 * new GELU().forward(ops.tensor([0])).toArray(); // → [0]
 */
export class GELU extends Activation {
  forward(x: Tensor): Tensor {
    return ops.gelu(x);
  }
}

/**
 * log(1 + e^x) (torch's `nn.Softplus()` with beta = 1).
 * @example
 * await init();
 * new Softplus().forward(ops.tensor([0])).toArray(); // → [0.6931472]
 */
export class Softplus extends Activation {
  forward(x: Tensor): Tensor {
    return ops.softplus(x);
  }
}

/**
 * e^x / Σ e^x along `dim` (default −1, the last; torch's `nn.Softmax`). A classifier trained with
 * the cross-entropy loss ends with logits, not with this layer (the loss applies log-softmax itself).
 * @example
 * await init();
 * new Softmax().forward(ops.tensor([[0, Math.log(3)]])).toArray(); // → [0.25, 0.75]
 */
export class Softmax extends Activation {
  constructor(readonly dim = -1) {
    super();
    checkValue('Softmax', 'dim', dim, { kind: 'number', integer: true, fix: 'Pass an axis such as -1 (the last).' });
  }

  forward(x: Tensor): Tensor {
    return ops.softmax(x, this.dim);
  }

  override outputShape(input: readonly number[]): number[] {
    // the batch dimension counts in dim: a row has input.length + 1 dimensions
    const nd = input.length + 1;
    if (this.dim >= nd || this.dim < -nd) throw new RangeError(`${this}: dim ${this.dim} is out of range for rows of shape ${fmt(input)} (with the batch, ${nd} dimensions)`);
    return input.slice();
  }

  override config(): LayerConfig {
    return { type: 'Softmax', dim: this.dim };
  }
}

// ---- JSON ----------------------------------------------------------------------------------------

type LayerMaker = (c: LayerConfig) => Layer;

const opt = (c: LayerConfig, keys: string[]): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const k of keys) if (c[k] !== undefined) o[k] = c[k];
  return o;
};

const LAYERS: Record<string, LayerMaker> = {
  Dense: (c) => new Dense(c.inFeatures as number, c.outFeatures as number, opt(c, ['bias', 'init', 'seed'])),
  Conv2d: (c) => new Conv2d(c.inChannels as number, c.outChannels as number, c.kernelSize as [number, number], opt(c, ['stride', 'padding', 'bias', 'init', 'seed'])),
  MaxPool2d: (c) => new MaxPool2d(c.kernelSize as [number, number], opt(c, ['stride', 'padding'])),
  AvgPool2d: (c) => new AvgPool2d(c.kernelSize as [number, number], opt(c, ['stride', 'padding'])),
  Flatten: () => new Flatten(),
  Dropout: (c) => new Dropout(c.p as number, opt(c, ['seed'])),
  Embedding: (c) => new Embedding(c.numEmbeddings as number, c.embeddingDim as number, opt(c, ['seed'])),
  LayerNorm: (c) => new LayerNorm(c.normalizedShape as number, opt(c, ['eps', 'elementwiseAffine'])),
  ReLU: () => new ReLU(),
  LeakyReLU: (c) => new LeakyReLU(c.negativeSlope as number),
  Tanh: () => new Tanh(),
  Sigmoid: () => new Sigmoid(),
  GELU: () => new GELU(),
  Softplus: () => new Softplus(),
  Softmax: (c) => new Softmax(c.dim as number),
};

/**
 * The names of the layers `layerFromConfig` builds.
 * @example
 * LAYER_TYPES.includes('Conv2d'); // → true
 */
export const LAYER_TYPES: readonly string[] = Object.keys(LAYERS);

/**
 * Builds a layer from its `config()` (its type and constructor options); the layer's own checks
 * refuse bad values. `where` names the config in messages.
 * @example
 * layerFromConfig(new LeakyReLU(0.2).config()).toString(); // → 'LeakyReLU'
 * layerFromConfig(new Dense(3, 1).config()).toString(); // → 'Dense(3 → 1)'
 */
export function layerFromConfig(c: unknown, where = 'config'): Layer {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new TypeError(`layerFromConfig: ${where} must be a layer's config() object, got ${describe(c)}`);
  const type = (c as LayerConfig).type;
  const make = typeof type === 'string' && Object.prototype.hasOwnProperty.call(LAYERS, type) ? LAYERS[type] : undefined;
  if (make === undefined) throw new TypeError(`layerFromConfig: ${where}.type is ${describe(type)}; expected one of ${LAYER_TYPES.join(', ')}`);
  return make(c as LayerConfig);
}
