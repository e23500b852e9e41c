/** Layers and models on the autodiff ops: Module, Model, Sequential and torch's layers. */
export { Module } from './module.js';
export { Model, EVAL_CHUNK } from './model.js';
export type { Target, ModelExtraState } from './model.js';
export { Sequential, SEQUENTIAL_LOSSES } from './sequential.js';
export type { SequentialOptions, SequentialLoss } from './sequential.js';
export {
  Layer, Dense, Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, Dropout, Embedding, LayerNorm,
  ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Softplus, Softmax, layerFromConfig, LAYER_TYPES,
} from './layers.js';
export type {
  LayerConfig, WeightOptions, Conv2dLayerOptions, Pool2dLayerOptions, DropoutLayerOptions, EmbeddingOptions, LayerNormOptions,
} from './layers.js';
export { WEIGHT_INITS } from './initializers.js';
export type { WeightInit } from './initializers.js';
