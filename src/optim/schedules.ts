/**
 * Learning-rate schedules exactly as PyTorch 1.13's torch.optim.lr_scheduler computes them (recursive,
 * "chainable" form), driving any optimizer with `paramGroups: [{ lr, momentum?, betas? }]`.
 *
 * Per-epoch schedulers: call `step()` once per epoch, after the optimizer's steps. CyclicLR and
 * OneCycleLR have `stepsPerBatch === true`: call `step()` after every batch. ReduceLROnPlateau has
 * `requiresMetric === true`: call `step(metric)` once per epoch.
 */
export {
  LRScheduler,
  type EpochScheduler,
  type JsonValue,
  type SchedulableOptimizer,
  type SchedulableParamGroup,
  type SchedulerBase,
  type SchedulerState,
} from './schedules/base.js';
export {
  ConstantLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  MultiplicativeLR,
  PolynomialLR,
  StepLR,
  type ConstantLROptions,
  type ExponentialLROptions,
  type LambdaLROptions,
  type LinearLROptions,
  type LrLambda,
  type MultiStepLROptions,
  type MultiplicativeLROptions,
  type PolynomialLROptions,
  type StepLROptions,
} from './schedules/simple.js';
export {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingLROptions,
  type CosineAnnealingWarmRestartsOptions,
} from './schedules/cosine.js';
export { CyclicLR, OneCycleLR, type CyclicLROptions, type CyclicMode, type OneCycleLROptions } from './schedules/cyclic.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedules/plateau.js';
export { ChainedScheduler, SequentialLR, type SequentialLROptions } from './schedules/composite.js';

import type { EpochScheduler } from './schedules/base.js';
import type { ReduceLROnPlateau } from './schedules/plateau.js';

/** Any scheduler of this module. Dispatch on `requiresMetric` and `stepsPerBatch`. */
export type Scheduler = EpochScheduler | ReduceLROnPlateau;
