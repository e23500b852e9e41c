/**
 * Function minimisation: `minimize`, `classifyCriticalPoint`, `Lbfgs` and the classic test
 * functions. The first-order methods run the library's optimizers (float64 below 4096 coordinates,
 * the fused Wasm kernels above; see first-order.ts).
 */
export { minimize, MINIMIZE_METHODS } from './minimize.js';
export type { MinimizeMethod, MinimizeOptions, MinimizeResult, MinimizeStatus, HistoryEntry } from './minimize.js';
export { classifyCriticalPoint } from './classify.js';
export type { ClassifyOptions, CriticalPointClass } from './classify.js';
export { testFunctions, sphere, rosenbrock, beale, booth, himmelblau, illConditionedQuadratic, saddle } from './test-functions.js';
export type { TestFunction, CriticalKind } from './test-functions.js';
export type { ObjectiveFn, GradientFn, HessianFn } from './objective.js';
export type { OpsObjective } from './autodiff.js';
export type { FirstOrderMethod, FirstOrderOptions } from './first-order.js';
export { Lbfgs } from './lbfgs.js';
export type { LbfgsOptions, LbfgsStopReason, LbfgsStepResult, LbfgsClosure, LegacyStrongWolfe } from './lbfgs.js';
export type { Bounds } from './random-search.js';
