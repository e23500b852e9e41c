/** Automatic differentiation: ops, index tensors, valueAndGrad / grad / jacobian / hessian. */
// the chained methods' type declarations (Tensor augmentation); ops installs the methods themselves
import './methods.js';

export { ops, indexTensor } from './ops.js';
export { valueAndGrad, grad, jacobian, hessian } from './grad.js';
export type { GradOptions, ValueAndGrad, Grad } from './grad.js';
export { IndexTensor } from './values.js';
export type { Input } from './engine.js';
export type { AxisOptions } from './ops/reduce.js';
export type { Conv2dOptions, Pool2dOptions } from './ops/conv.js';
export type { DropoutOptions } from './ops/nn.js';
