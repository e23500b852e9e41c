/**
 * softmax and log_softmax along an axis, and their fused backward ops (each with its own VJP, so
 * Hessians through them work). Kernels: f32_softmax_axis, f32_log_softmax_axis and backward.
 */
import { apply, type Input, type OpDef } from '../engine.js';
import { normAxis, splitAt } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { mul, neg, sub } from './broadcast.js';
import { exp } from './elementwise.js';
import { sum } from './reduce.js';

type Split = [outer: number, n: number, inner: number];

function axisOp(name: string, run: (k: any, out: number, x: number, s: Split) => void, vjp: OpDef['vjp']): OpDef {
  return {
    name,
    args: ['x'],
    infer([x], a) {
      const ax = normAxis(name, a.axis, x.shape.length);
      return { shape: x.shape.slice(), cache: splitAt(x.shape, ax) };
    },
    run: (k, node) => run(k, node.out!.ptr, node.inputs[0].ptr, node.cache),
    vjp,
  };
}

function axisBackward(name: string, run: (k: any, dx: number, dy: number, y: number, s: Split) => void, vjp: OpDef['vjp']): OpDef {
  return {
    name,
    args: ['g', 'y'],
    infer([g, y], a) {
      if (g.size !== y.size) throw new RangeError(`${name}: g and y must have the same shape`);
      return { shape: y.shape.slice(), cache: splitAt(y.shape, normAxis(name, a.axis, y.shape.length)) };
    },
    run: (k, node) => run(k, node.out!.ptr, node.inputs[0].ptr, node.inputs[1].ptr, node.cache),
    vjp,
  };
}

const keep = (v: Val, axis: number) => sum(v, { axis, keepdim: true });

/** y·(g − Σ g·y). VJP: in g the same op; in y: gg·(g − Σ g·y) − g·Σ gg·y. */
export const SOFTMAX_BACKWARD: OpDef = axisBackward('softmax_backward',
  (k, dx, dy, y, [o, n, i]) => k.f32_softmax_axis_backward(dx, dy, y, o, n, i),
  (node, gg, needs) => {
    const [g, y] = node.inputs, ax = node.attrs.axis;
    return [
      needs[0] ? apply(SOFTMAX_BACKWARD, [gg, y], node.attrs) : null,
      needs[1] ? sub(mul(gg, sub(g, keep(mul(g, y), ax))), mul(g, keep(mul(gg, y), ax))) : null,
    ];
  });

/** g − exp(y)·Σ g. VJP: in g: gg − Σ gg·exp(y); in y: −gg·exp(y)·Σ g. */
export const LOG_SOFTMAX_BACKWARD: OpDef = axisBackward('log_softmax_backward',
  (k, dx, dy, y, [o, n, i]) => k.f32_log_softmax_axis_backward(dx, dy, y, o, n, i),
  (node, gg, needs) => {
    const [g, y] = node.inputs, ax = node.attrs.axis, ey = exp(y);
    return [
      needs[0] ? sub(gg, keep(mul(gg, ey), ax)) : null,
      needs[1] ? neg(mul(mul(gg, ey), keep(g, ax))) : null,
    ];
  });

export const SOFTMAX = axisOp('softmax', (k, o, x, [a, n, i]) => k.f32_softmax_axis(o, x, a, n, i),
  (node, g) => [apply(SOFTMAX_BACKWARD, [g, node.out!], { axis: node.attrs.axis })]);
export const LOG_SOFTMAX = axisOp('log_softmax', (k, o, x, [a, n, i]) => k.f32_log_softmax_axis(o, x, a, n, i),
  (node, g) => [apply(LOG_SOFTMAX_BACKWARD, [g, node.out!], { axis: node.attrs.axis })]);

/**
 * e^x / Σ e^x along `axis` (`F.softmax`, default the last).
 * @example
 * await init();
 * ops.softmax([0, Math.log(3)]).toArray(); // → [0.25, 0.75]
 */
export const softmax = (x: Input, axis = -1): ATensor => apply(SOFTMAX, [x], { axis });
/**
 * x − logsumexp(x) along `axis` (`F.log_softmax`, default the last).
 * @example
 * await init();
 * ops.logSoftmax([0, 0]).toArray(); // → [-0.6931472, -0.6931472]
 */
export const logSoftmax = (x: Input, axis = -1): ATensor => apply(LOG_SOFTMAX, [x], { axis });
