/**
 * Chainable op methods on every tensor (`x.matmul(W).add(b).relu()`), installed on Tensor.prototype
 * by installMethods() (as TF.js registers its chained ops); each calls the op of the same name. The
 * ops module installs them when it loads and valueAndGrad/grad/jacobian/hessian make sure of it, so
 * a bundler that drops side-effect-only imports (the package marks dist/ side-effect free) keeps them.
 */
import { Tensor } from '../tensor.js';
import type { Input } from './engine.js';
import type { AxisOptions } from './ops/reduce.js';

declare module '../tensor.js' {
  interface Tensor {
    add(b: Input): Tensor;
    sub(b: Input): Tensor;
    mul(b: Input): Tensor;
    div(b: Input): Tensor;
    maximum(b: Input): Tensor;
    minimum(b: Input): Tensor;
    neg(): Tensor;
    pow(exponent: number): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    softplus(): Tensor;
    gelu(): Tensor;
    clamp(lo: number, hi: number): Tensor;
    sum(options?: AxisOptions): Tensor;
    mean(options?: AxisOptions): Tensor;
    max(options?: AxisOptions): Tensor;
    logsumexp(options?: AxisOptions): Tensor;
    reshape(shape: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    narrow(axis: number, start: number, length: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    matmul(b: Input): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
  }
}

const METHODS = [
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'neg', 'pow', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid',
  'relu', 'leakyRelu', 'softplus', 'gelu', 'clamp', 'sum', 'mean', 'max', 'logsumexp', 'reshape', 'transpose',
  'narrow', 'expand', 'matmul', 'softmax', 'logSoftmax',
] as const;

/** Methods that take no argument besides the tensor. */
const UNARY = new Set(['neg', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'softplus', 'gelu']);
/** Methods with several arguments (the rest take one, possibly optional). */
const MANY = new Set(['clamp', 'transpose', 'narrow']);

let installed = false;

/** Puts the chained methods on Tensor.prototype (once). */
export function installMethods(ops: Record<(typeof METHODS)[number], (...a: any[]) => Tensor>): void {
  if (installed) return;
  installed = true;
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  for (const name of METHODS) {
    const op = ops[name] as (x: unknown, ...rest: unknown[]) => Tensor;
    // fixed arities keep the hot replay path free of rest-argument arrays
    proto[name] = UNARY.has(name)
      ? function (this: Tensor) {
        return op(this);
      }
      : !MANY.has(name)
        ? function (this: Tensor, b: unknown) {
          return (op as (x: unknown, y: unknown) => Tensor)(this, b);
        }
        : function (this: Tensor, ...rest: unknown[]) {
          return op(this, ...rest);
        };
  }
}
