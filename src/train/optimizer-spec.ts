/**
 * How fit() and lrFind() take an optimizer: an instance already built over the model's
 * parameters, or a name with options ('adam', { name: 'sgd', lr: 0.1, momentum: 0.9 }).
 */
import type { Param } from '../tensor.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, Rprop, SGD } from '../optim/index.js';
import type { TrainableOptimizer } from './types.js';
import { describe } from '../util/describe.js';

export type OptimizerSpec = TrainableOptimizer | string | ({ name: string } & Record<string, unknown>);

type OptimizerCtor = new (params: Param[], options?: Record<string, unknown>) => TrainableOptimizer;

const BUILT_IN = Object.entries({ SGD, Adam, AdamW, Adagrad, Adadelta, RMSprop, Adamax, NAdam, RAdam, Rprop, Lion }).map(
  ([name, ctor]) => [name.toLowerCase(), ctor as unknown as OptimizerCtor] as const,
);
const registry = new Map<string, OptimizerCtor>(BUILT_IN);
const builtInNames = new Set(BUILT_IN.map(([name]) => name));

/**
 * Makes an optimizer class available by name to `fit({ optimizer: 'name' })`,
 * `fit({ optimizer: { name, ...options } })` and `lrFind`. Names are case-insensitive; registering a
 * name again replaces your earlier class. The built-in names ('sgd', 'adam', ...) cannot be replaced.
 * `ctor` is called as `new ctor(model.parameters(), options)`.
 * @example
 * registerOptimizer('PlainSGD', PlainSGD); // a subclass of Optimizer (docs/extending.md)
 * fit(model, X, y, { optimizer: { name: 'plainsgd', lr: 0.1 } });
 */
export function registerOptimizer(name: string, ctor: OptimizerCtor): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`registerOptimizer(name, ctor): name must be a non-empty string such as 'MyOptimizer', got ${describe(name)}`);
  }
  if (typeof ctor !== 'function' || ctor.prototype === undefined) {
    throw new TypeError(`registerOptimizer('${name}', ctor): ctor must be an optimizer class (called as new ctor(params, options)), got ${describe(ctor)}${typeof ctor === 'function' ? ' (an arrow function or method, not a class)' : ''}`);
  }
  const key = name.toLowerCase();
  if (builtInNames.has(key)) {
    throw new RangeError(`registerOptimizer('${name}', ctor): '${key}' is a built-in optimizer and cannot be replaced; register your class under another name`);
  }
  registry.set(key, ctor);
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
