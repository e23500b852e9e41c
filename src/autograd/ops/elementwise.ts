/**
 * Element-wise ops and their fused backward ops, each with its VJP in ops. Kernels: the tensor
 * family's f32_exp ... f32_gelu_backward and the existing activation kernels (relu, leaky relu,
 * tanh, sigmoid and their backward, clamp).
 */
import type { DeviceKernels } from '../device.js';
import { apply, type Input, type Node, type OpDef } from '../engine.js';
import type { ATensor, Val } from '../values.js';
import { div, mul, neg, sub } from './broadcast.js';

function checkSame(op: string, a: Val, an: string, b: Val, bn: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${op}: ${an} [${a.shape.join(', ')}] and ${bn} [${b.shape.join(', ')}] must have the same shape`);
  }
}

/** A one-input element-wise op: out = f(x), `run(k, out, x, n, attrs)`. */
function unary(name: string, run: (k: DeviceKernels, out: number, x: number, n: number, a: any) => void, vjp?: OpDef['vjp']): OpDef {
  return {
    name,
    args: ['x'],
    infer: ([x]) => ({ shape: x.shape.slice() }),
    run: (k, node) => run(k, node.out!.ptr, node.inputs[0].ptr, node.out!.size, node.attrs),
    vjp,
  };
}

/** A fused backward op: out = dy ⊙ f'(v) from (dy, v), linear in dy; `second` gives its VJP in v. */
function backwardOp(
  name: string, run: (k: DeviceKernels, dx: number, dy: number, v: number, n: number, a: any) => void,
  second: ((node: Node, gg: Val) => Val | null) | null,
): OpDef {
  const op: OpDef = {
    name,
    args: ['g', 'v'],
    infer([g, v]) {
      checkSame(name, g, 'g', v, 'v');
      return { shape: g.shape.slice() };
    },
    run: (k, node) => run(k, node.out!.ptr, node.inputs[0].ptr, node.inputs[1].ptr, node.out!.size, node.attrs),
    vjp: (node, gg, needs) => [
      needs[0] ? apply(op, [gg, node.inputs[1]], node.attrs) : null,
      needs[1] && second !== null ? second(node, gg) : null,
    ],
  };
  return op;
}

// ---- fused backward ops -----------------------------------------------------------------------

export const TANH_BACKWARD = backwardOp('tanh_backward', (k, dx, dy, y, n) => k.f32_tanh_backward(dx, dy, y, n),
  // d/dy [g(1 − y²)] = −2yg
  (node, gg) => mul(mul(gg, node.inputs[0]), mul(node.inputs[1], -2)));
export const SIGMOID_BACKWARD = backwardOp('sigmoid_backward', (k, dx, dy, y, n) => k.f32_sigmoid_backward(dx, dy, y, n),
  // d/dy [g·y(1 − y)] = g(1 − 2y)
  (node, gg) => mul(mul(gg, node.inputs[0]), sub(1, mul(node.inputs[1], 2))));
export const RELU_BACKWARD = backwardOp('relu_backward', (k, dx, dy, y, n) => k.f32_relu_backward(dx, dy, y, n), null);
export const LEAKY_RELU_BACKWARD = backwardOp('leaky_relu_backward',
  (k, dx, dy, x, n, a) => k.f32_leaky_relu_backward(dx, dy, x, n, a.slope), null);
export const ABS_BACKWARD = backwardOp('abs_backward', (k, dx, dy, x, n) => k.f32_abs_backward(dx, dy, x, n), null);
export const SOFTPLUS_BACKWARD = backwardOp('softplus_backward', (k, dx, dy, x, n) => k.f32_softplus_backward(dx, dy, x, n),
  // d/dx [g·σ(x)] = g·σ(x)(1 − σ(x))
  (node, gg) => {
    const s = sigmoid(node.inputs[1]);
    return mul(mul(gg, node.inputs[0]), mul(s, sub(1, s)));
  });
export const GELU_BACKWARD = backwardOp('gelu_backward', (k, dx, dy, x, n) => k.f32_gelu_backward(dx, dy, x, n),
  // d/dx [g(Φ(x) + xφ(x))] = g·φ(x)(2 − x²)
  (node, gg) => {
    const x = node.inputs[1], x2 = mul(x, x);
    const pdf = mul(exp(mul(x2, -0.5)), 0.3989422804014327);
    return mul(mul(gg, node.inputs[0]), mul(pdf, sub(2, x2)));
  });
export const CLAMP_BACKWARD = backwardOp('clamp_backward', (k, dx, dy, x, n, a) => k.f32_clamp_backward(dx, dy, x, n, a.lo, a.hi), null);

// ---- forward ops ------------------------------------------------------------------------------

export const EXP = unary('exp', (k, o, x, n) => k.f32_exp(o, x, n), (node, g) => [mul(g, node.out!)]);
export const LOG = unary('log', (k, o, x, n) => k.f32_log(o, x, n), (node, g) => [div(g, node.inputs[0])]);
export const SQRT = unary('sqrt', (k, o, x, n) => k.f32_sqrt(o, x, n), (node, g) => [div(g, mul(node.out!, 2))]);
export const ABS = unary('abs', (k, o, x, n) => k.f32_abs(o, x, n), (node, g) => [apply(ABS_BACKWARD, [g, node.inputs[0]])]);
export const TANH = unary('tanh', (k, o, x, n) => k.f32_tanh(o, x, n), (node, g) => [apply(TANH_BACKWARD, [g, node.out!])]);
export const SIGMOID = unary('sigmoid', (k, o, x, n) => k.f32_sigmoid(o, x, n), (node, g) => [apply(SIGMOID_BACKWARD, [g, node.out!])]);
export const RELU = unary('relu', (k, o, x, n) => k.f32_relu(o, x, n), (node, g) => [apply(RELU_BACKWARD, [g, node.out!])]);
export const LEAKY_RELU = unary('leaky_relu', (k, o, x, n, a) => k.f32_leaky_relu(o, x, n, a.slope),
  (node, g) => [apply(LEAKY_RELU_BACKWARD, [g, node.inputs[0]], { slope: node.attrs.slope })]);
export const SOFTPLUS = unary('softplus', (k, o, x, n) => k.f32_softplus(o, x, n), (node, g) => [apply(SOFTPLUS_BACKWARD, [g, node.inputs[0]])]);
export const GELU = unary('gelu', (k, o, x, n) => k.f32_gelu(o, x, n), (node, g) => [apply(GELU_BACKWARD, [g, node.inputs[0]])]);
export const POW = unary('pow', (k, o, x, n, a) => k.f32_pow_scalar(o, x, n, a.exponent), (node, g) => {
  const p = node.attrs.exponent as number;
  if (p === 0) return [mul(g, 0)];
  if (p === 1) return [g];
  return [mul(g, mul(pow(node.inputs[0], p - 1), p))];
});
export const CLAMP = unary('clamp', (k, o, x, n, a) => k.f32_clamp(o, x, a.lo, a.hi, n),
  (node, g) => [apply(CLAMP_BACKWARD, [g, node.inputs[0]], { lo: node.attrs.lo, hi: node.attrs.hi })]);

function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: ${name} must be a number, got ${String(v)}`);
  return v;
}

/**
 * e^x element-wise (`torch.exp`).
 * @example
 * await init();
 * ops.exp([0, 1]).toArray(); // → [1, 2.7182817]
 */
export const exp = (x: Input): ATensor => apply(EXP, [x]);
/**
 * Natural logarithm element-wise (`torch.log`; −inf at 0, NaN below).
 * @example
 * await init();
 * ops.log([1, Math.E]).toArray(); // → [0, 1]
 */
export const log = (x: Input): ATensor => apply(LOG, [x]);
/**
 * Square root element-wise (`torch.sqrt`).
 * @example
 * await init();
 * ops.sqrt([4, 9]).toArray(); // → [2, 3]
 */
export const sqrt = (x: Input): ATensor => apply(SQRT, [x]);
/**
 * |x| element-wise (`torch.abs`; gradient 0 at 0).
 * @example
 * await init();
 * ops.abs([-3, 2]).toArray(); // → [3, 2]
 */
export const abs = (x: Input): ATensor => apply(ABS, [x]);
/**
 * Hyperbolic tangent element-wise (`torch.tanh`).
 * @example
 * await init();
 * ops.tanh([0, 1]).toArray(); // → [0, 0.7615942]
 */
export const tanh = (x: Input): ATensor => apply(TANH, [x]);
/**
 * 1/(1 + e^−x) element-wise (`torch.sigmoid`).
 * @example
 * await init();
 * ops.sigmoid([0, 2]).toArray(); // → [0.5, 0.8807971]
 */
export const sigmoid = (x: Input): ATensor => apply(SIGMOID, [x]);
/**
 * max(x, 0) element-wise (`torch.relu`; gradient 0 at 0).
 * @example
 * await init();
 * ops.relu([-1, 0, 2]).toArray(); // → [0, 0, 2]
 */
export const relu = (x: Input): ATensor => apply(RELU, [x]);
/**
 * x > 0 ? x : negativeSlope·x (`F.leaky_relu`, default slope 0.01).
 * @example
 * await init();
 * ops.leakyRelu([-10, 3], 0.1).toArray(); // → [-1, 3]
 */
export const leakyRelu = (x: Input, negativeSlope = 0.01): ATensor =>
  apply(LEAKY_RELU, [x], { slope: Math.fround(finite('leaky_relu', 'negativeSlope', negativeSlope)) });
/**
 * log(1 + e^x) (`F.softplus` with beta 1 and threshold 20: x > 20 gives x).
 * @example
 * await init();
 * ops.softplus([0, 30]).toArray(); // → [0.6931472, 30]
 */
export const softplus = (x: Input): ATensor => apply(SOFTPLUS, [x]);
/**
 * x·Φ(x), the exact (erf) GELU (`F.gelu`, approximate='none').
 * @example
 * await init();
 * ops.gelu([0, 1]).toArray(); // → [0, 0.8413447]
 */
export const gelu = (x: Input): ATensor => apply(GELU, [x]);
/**
 * x to a number power (`torch.pow` with a scalar exponent).
 * @example
 * await init();
 * ops.pow([2, 3], 2).toArray(); // → [4, 9]
 */
export const pow = (x: Input, exponent: number): ATensor => apply(POW, [x], { exponent: Math.fround(finite('pow', 'exponent', exponent)) });
/**
 * x limited to [lo, hi] (`torch.clamp`; the gradient passes where lo <= x <= hi).
 * @example
 * await init();
 * ops.clamp([-5, 0.5, 5], -1, 1).toArray(); // → [-1, 0.5, 1]
 */
export function clamp(x: Input, lo: number, hi: number): ATensor {
  finite('clamp', 'lo', lo);
  finite('clamp', 'hi', hi);
  if (lo > hi) throw new RangeError(`clamp: lo ${lo} is above hi ${hi}; pass lo <= hi`);
  return apply(CLAMP, [x], { lo: Math.fround(lo), hi: Math.fround(hi) });
}
