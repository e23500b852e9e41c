/**
 * descent: gradient-descent optimization with hot loops in WebAssembly SIMD and a plain-JS path
 * with the same API. Import it through the package (`import { init } from 'descent'`), whose entry
 * knows how to load the .wasm in your runtime, then `await init()`.
 */
export { init, initSync, backendName, backendInfo, threadsReady, memoryStats, isInitialized, dispose } from './init.js';
export type { InitOptions, BackendInfo, BackendChoice, BackendName, WasmSource } from './init.js';
export type { MemoryStats } from './memory/arena.js';
export { Tensor, Param, param, tensor } from './tensor.js';
export { fill, copy, scale, axpy, dot, sum, sumsq } from './ops/blas1.js';
export {
  gemm, addBias, colSum, relu, reluBackward, leakyRelu, leakyReluBackward, tanh, tanhBackward, sigmoid, sigmoidBackward,
  softmax, softmaxBackward, tensorLoss,
} from './ops/nn.js';
export type { GemmOptions, TensorLossOptions } from './ops/nn.js';
export { Prng } from './util/prng.js';
export * from './autograd/index.js';
export * from './nn/index.js';
export * from './minimize/index.js';
export * from './optim/schedules.js';
export * from './data/index.js';
export * from './train/metrics.js';
export * from './plot/loss-curve.js';
export { heatmapSVG, contourSVG, surfaceScale, sampleGrid, viridis } from './plot/surface.js';
export type { Grid, SurfaceFunction, SurfaceInput, SurfacePath, SurfaceMarker, SurfaceOptions, HeatmapOptions, ContourOptions, SurfaceScale } from './plot/surface.js';
export { lossLandscape1D, lossLandscape2D } from './landscape/landscape.js';
export type { LandscapeModel, Direction, Normalization, LandscapeOptions, Landscape1DOptions, Landscape2DOptions, Landscape1D, Landscape2D } from './landscape/landscape.js';
export * from './optim/index.js';
export { fit, fitAsync, fitDetailed, fitAsyncDetailed } from './train/fit.js';
export type { FitOptions, FitResult, EarlyStoppingOptions, EpochInfo, BatchInfo } from './train/fit.js';
export { History } from './train/history.js';
export type { EpochRecord, StopReason } from './train/history.js';
export { DivergenceError } from './train/errors.js';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint.js';
export type { Checkpoint } from './train/checkpoint.js';
export { registerOptimizer } from './train/optimizer-spec.js';
export type { OptimizerSpec } from './train/optimizer-spec.js';
export { lrFind } from './train/lr-find.js';
export type { LrFindOptions, LrFindResult } from './train/lr-find.js';
export { METRIC_NAMES } from './train/metric-set.js';
export type { MetricName } from './train/metric-set.js';
export type { TrainableModel, TrainableOptimizer, Labels, Task } from './train/types.js';
export { LinearRegression, LogisticRegression, SoftmaxRegression, LinearSVM, MLP, gradcheck, gradcheckModel, modelFromJSON } from './models/index.js';
export type {
  LinearRegressionOptions, LogisticOptions, LogisticRegressionOptions, SoftmaxOptions, LinearSVMOptions, MLPOptions, GradcheckOptions, GradcheckReport,
  ModelJSON, PenaltyOptions, Activation, Model as BuiltinModel, ModelLossOptions, DataNames,
} from './models/index.js';
export {
  mseLoss, maeLoss, huberLoss, bceWithLogitsLoss, hingeLoss, squaredHingeLoss, softmaxCrossEntropyLoss, softmaxCrossEntropy, multiclassHingeLoss,
  l2Penalty, l1Penalty, elasticNetPenalty, LOSSES, LOSS_NAMES, lossValue64,
} from './losses/index.js';
export type { LossName, LossOptions, LossResult, Reduction, PenaltyResult } from './losses/index.js';
export type { GradcheckWorst, GradcheckParam } from './models/index.js';
export { saveSafetensors, loadSafetensors, readSafetensors } from './io/safetensors.js';
export type { SafetensorsDtype, SafetensorsTensor, SafetensorsFile, SaveSafetensorsOptions, LoadSafetensorsOptions, ParamSource } from './io/safetensors.js';
