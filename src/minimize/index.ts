/**
 * Function minimisation in float64 plain JS: `minimize`, `classifyCriticalPoint` and the classic
 * test functions. Large-n first-order runs are meant to move to the Wasm kernels later, behind
 * first-order.ts.
 */
export { minimize, MINIMIZE_METHODS } from './minimize.js';
export type { MinimizeMethod, MinimizeOptions, MinimizeResult, MinimizeStatus, HistoryEntry } from './minimize.js';
export { classifyCriticalPoint } from './classify.js';
export type { ClassifyOptions, CriticalPointClass } from './classify.js';
export { testFunctions, sphere, rosenbrock, beale, booth, himmelblau, illConditionedQuadratic, saddle } from './test-functions.js';
export type { TestFunction, CriticalKind } from './test-functions.js';
export type { ObjectiveFn, GradientFn, HessianFn } from './objective.js';
export type { FirstOrderMethod, FirstOrderOptions } from './first-order.js';
export { Lbfgs } from './lbfgs.js';
export type { LbfgsOptions, LbfgsStopReason, LbfgsStepResult, LbfgsClosure } from './lbfgs.js';
export type { Bounds } from './random-search.js';
