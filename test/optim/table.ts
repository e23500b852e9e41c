/** The optimizers under test, each with several option sets, shared by the optim tests. */
import {
  Adadelta, Adagrad, Adam, AdamW, Adamax, Lion, NAdam, RAdam, RMSprop, Rprop, SGD, type Optimizer,
} from '../../src/optim/index.js';
import type { Param } from '../../src/entry/node.js';

export const CTORS = { SGD, Adam, AdamW, Adagrad, Adadelta, RMSprop, Adamax, NAdam, RAdam, Rprop, Lion } as const;
export type OptimName = keyof typeof CTORS;

export interface OptimCase {
  name: OptimName;
  options: Record<string, unknown>;
}

export const OPTIMIZERS_UNDER_TEST: OptimCase[] = [
  { name: 'SGD', options: { lr: 0.1 } },
  { name: 'SGD', options: { lr: 0.05, momentum: 0.9 } },
  { name: 'SGD', options: { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 } },
  { name: 'SGD', options: { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: true } },
  { name: 'Adam', options: {} },
  { name: 'Adam', options: { lr: 0.01, amsgrad: true, weightDecay: 0.1 } },
  { name: 'Adam', options: { lr: 0.02, betas: [0.8, 0.95], eps: 1e-6, maximize: true } },
  { name: 'Adam', options: { lr: 0.01, decoupledWeightDecay: true, weightDecay: 0.1, amsgrad: true } },
  { name: 'AdamW', options: { lr: 0.01 } },
  { name: 'AdamW', options: { lr: 0.01, amsgrad: true, maximize: true, weightDecay: 0.05 } },
  { name: 'Adagrad', options: { lr: 0.1 } },
  { name: 'Adagrad', options: { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.2, weightDecay: 0.01, maximize: true } },
  { name: 'Adadelta', options: {} },
  { name: 'Adadelta', options: { lr: 2, rho: 0.5, eps: 1e-3, weightDecay: 0.1, maximize: true } },
  { name: 'RMSprop', options: { lr: 0.01 } },
  { name: 'RMSprop', options: { lr: 0.01, centered: true } },
  { name: 'RMSprop', options: { lr: 0.01, momentum: 0.9 } },
  { name: 'RMSprop', options: { lr: 0.005, centered: true, momentum: 0.8, weightDecay: 0.01, maximize: true, alpha: 0.9 } },
  { name: 'Adamax', options: { lr: 0.01 } },
  { name: 'Adamax', options: { lr: 0.01, weightDecay: 0.1, maximize: true, eps: 1e-4 } },
  { name: 'NAdam', options: { lr: 0.01 } },
  { name: 'NAdam', options: { lr: 0.01, weightDecay: 0.1, momentumDecay: 0.01 } },
  { name: 'NAdam', options: { lr: 0.01, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true } },
  { name: 'RAdam', options: { lr: 0.01 } },
  { name: 'RAdam', options: { lr: 0.01, weightDecay: 0.1, betas: [0.9, 0.99] } },
  { name: 'RAdam', options: { lr: 0.01, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true } },
  { name: 'Rprop', options: { lr: 0.01 } },
  { name: 'Rprop', options: { lr: 0.05, etas: [0.3, 1.5], stepSizes: [1e-3, 0.2], maximize: true } },
  { name: 'Lion', options: { lr: 0.01 } },
  { name: 'Lion', options: { lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.95], maximize: true } },
];

export function make(c: OptimCase, params: Param[] | Array<{ params: Param[]; [k: string]: unknown }>): Optimizer<any> {
  const Ctor = CTORS[c.name] as unknown as new (p: unknown, o: unknown) => Optimizer<any>;
  return new Ctor(params, c.options);
}

export const label = (c: OptimCase) => `${c.name} ${JSON.stringify(c.options)}`;
