/**
 * The registry of conformance handlers, one per file kind of the `../shared/conformance` format.
 * Add a handler here when a new file kind is supported; scripts/conformance.mjs runs them.
 */
import type { Handler } from './types.js';
import { lossesHandler } from './losses.js';
import { sklearnHandler } from './sklearn.js';
import { lrSchedulesHandler } from './lr_schedules.js';
import { lbfgsHandler } from './lbfgs.js';
import { objectiveHandler, optimHandler } from './optim.js';
import { autogradHandler } from './autograd.js';

export const HANDLERS: Handler[] = [
  lossesHandler,
  sklearnHandler,
  lrSchedulesHandler,
  lbfgsHandler,
  optimHandler, objectiveHandler,
  autogradHandler,
];

export type { Handler, CaseResult, ConformanceContext, BackendName } from './types.js';
