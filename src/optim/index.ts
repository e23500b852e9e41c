/** The optimizers, gradient utilities and parameter averaging (the LR schedules live in ./schedules.ts). */
export { Optimizer } from './optimizer.js';
export type {
  BaseOptions, ParamGroup, ParamGroupInput, ParamsInput, StepOptions, ParamStateView, OptimizerStateDict,
  OptimizerConfig, ParamState, BufferSpec,
} from './optimizer.js';
export type { Rule, NumberRule, BooleanRule, PairRule, StringRule } from './validate.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { NAdam, type NAdamOptions } from './nadam.js';
export { RAdam, type RAdamOptions } from './radam.js';
export { Rprop, type RpropOptions } from './rprop.js';
export { Lion, type LionOptions } from './lion.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
export { averaged, AveragedParams, type AveragedOptions, type AveragedStateDict } from './averaged.js';
