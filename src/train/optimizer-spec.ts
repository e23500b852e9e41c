/**
 * How fit() and lrFind() take an optimizer: an instance already built over the model's
 * parameters, or a name with options ('adam', { name: 'sgd', lr: 0.1, momentum: 0.9 }).
 */
import type { Param } from '../tensor.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, Rprop, SGD } from '../optim/index.js';
import type { TrainableOptimizer } from './types.js';

export type OptimizerSpec = TrainableOptimizer | string | ({ name: string } & Record<string, unknown>);

type OptimizerCtor = new (params: Param[], options?: Record<string, unknown>) => TrainableOptimizer;

const registry = new Map<string, OptimizerCtor>(
  Object.entries({ SGD, Adam, AdamW, Adagrad, Adadelta, RMSprop, Adamax, NAdam, RAdam, Rprop, Lion }).map(
    ([name, ctor]) => [name.toLowerCase(), ctor as unknown as OptimizerCtor],
  ),
);

/** Makes an optimizer class available by name to fit({ optimizer: 'name' }). Names are case-insensitive. */
export function registerOptimizer(name: string, ctor: OptimizerCtor): void {
  registry.set(name.toLowerCase(), ctor);
}

export function optimizerNames(): string[] {
  return [...registry.keys()].sort();
}

export function resolveOptimizer(spec: OptimizerSpec | undefined, params: Param[]): TrainableOptimizer {
  if (spec === undefined) spec = { name: 'adam', lr: 1e-3 };
  if (typeof spec === 'object' && spec !== null && typeof (spec as TrainableOptimizer).step === 'function') {
    return spec as TrainableOptimizer;
  }
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : (spec as { name: string });
  if (typeof name !== 'string') {
    throw new TypeError(`fit(): optimizer must be an optimizer instance, a name such as 'adam', or { name, ...options }, got ${JSON.stringify(spec)}`);
  }
  const Ctor = registry.get(name.toLowerCase());
  if (!Ctor) {
    throw new RangeError(`fit(): unknown optimizer ${JSON.stringify(name)}; the names are ${optimizerNames().join(', ') || '(none registered)'}`);
  }
  return new Ctor(params, options);
}
