/**
 * conv2d (NCHW, stride, zero padding, optional bias) as im2col + GEMM, and max / average pooling.
 * Their backward ops have no second-order rule (they throw a sentence naming the op). Kernels:
 * f32_conv2d (+ backward), f32_max_pool2d (+ backward), f32_avg_pool2d (+ backward).
 */
import { checkOptions, type Rule, type Rules } from '../../util/options.js';
import { apply, type Input, type OpDef } from '../engine.js';
import { fmt } from '../shape.js';
import type { ATensor } from '../values.js';

export interface Conv2dOptions {
  /** Step between windows, one number or [h, w] (default 1). */
  stride?: number | readonly number[];
  /** Zeros added on each side, one number or [h, w] (default 0). */
  padding?: number | readonly number[];
}

export interface Pool2dOptions {
  /** Window size, one number or [h, w]. */
  kernel: number | readonly number[];
  /** Step between windows (default: the kernel size, as torch). */
  stride?: number | readonly number[];
  /** Padding on each side (default 0; at most half the kernel). */
  padding?: number | readonly number[];
}

function pair(op: string, name: string, v: unknown, min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (p === null || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new RangeError(`${op}: ${name} must be a whole number >= ${min} or a pair [h, w] of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

export function noSecondOrder(op: string, of: string): () => never {
  return () => {
    throw new Error(`${op}: second-order derivatives are not implemented for this op (the backward of ${of}); hessian() and jacobian() of gradients cannot pass through it`);
  };
}

interface ConvGeom {
  N: number; C: number; H: number; W: number; O: number; KH: number; KW: number;
  SH: number; SW: number; PH: number; PW: number; OH: number; OW: number;
}

const geomArgs = (g: ConvGeom) => [g.N, g.C, g.H, g.W, g.O, g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.OH, g.OW] as const;

export const CONV2D: OpDef = {
  name: 'conv2d',
  args: ['input', 'weight', 'bias'],
  infer([x, w, b], a) {
    if (x.shape.length !== 4) throw new RangeError(`conv2d: input must be [N, C, H, W], got ${fmt(x.shape)}`);
    if (w.shape.length !== 4) throw new RangeError(`conv2d: weight must be [out channels, in channels, KH, KW], got ${fmt(w.shape)}`);
    const [N, C, H, W] = x.shape, [O, C2, KH, KW] = w.shape;
    if (C2 !== C) throw new RangeError(`conv2d: input ${fmt(x.shape)} has ${C} channels but weight ${fmt(w.shape)} expects ${C2}`);
    if (b !== undefined && (b.shape.length !== 1 || b.shape[0] !== O)) throw new RangeError(`conv2d: bias must be [${O}], got ${fmt(b.shape)}`);
    const [SH, SW] = pair('conv2d', 'stride', a.stride, 1), [PH, PW] = pair('conv2d', 'padding', a.padding, 0);
    const OH = Math.floor((H + 2 * PH - KH) / SH) + 1, OW = Math.floor((W + 2 * PW - KW) / SW) + 1;
    if (OH < 1 || OW < 1) throw new RangeError(`conv2d: a ${KH}×${KW} kernel does not fit input ${fmt(x.shape)} with padding [${PH}, ${PW}]`);
    const g: ConvGeom = { N, C, H, W, O, KH, KW, SH, SW, PH, PW, OH, OW };
    // saved: the batch's columns (read by the backward) and the GEMM's [O, N·OH·OW] result
    return { shape: [N, O, OH, OW], saved: [{ dtype: 'f32', size: N * C * KH * KW * OH * OW }, { dtype: 'f32', size: N * O * OH * OW }], cache: g };
  },
  run(k, node) {
    const [x, w, b] = node.inputs;
    k.f32_conv2d(node.out!.ptr, x.ptr, w.ptr, b === undefined ? 0 : b.ptr, node.saved[0].ptr, node.saved[1].ptr, ...geomArgs(node.cache));
  },
  vjp(node, g, needs) {
    const [, w, b] = node.inputs, cols = node.saved[0], geom = node.cache;
    return [
      needs[0] ? apply(CONV2D_GRAD, [g, w, cols], { part: 'input', geom }) : null,
      needs[1] ? apply(CONV2D_GRAD, [g, w, cols], { part: 'weight', geom }) : null,
      b !== undefined && needs[2] ? apply(CONV2D_GRAD, [g, w, cols], { part: 'bias', geom }) : null,
    ];
  },
};

/** One of conv2d's gradients (input, weight or bias) from dy, the weight and the forward's columns. */
const CONV2D_GRAD: OpDef = {
  name: 'conv2d_backward',
  args: ['g', 'weight', 'cols'],
  infer(_v, a) {
    const s = a.geom as ConvGeom;
    const shape = a.part === 'input' ? [s.N, s.C, s.H, s.W] : a.part === 'weight' ? [s.O, s.C, s.KH, s.KW] : [s.O];
    return { shape, saved: a.part === 'input' ? [{ dtype: 'f32', size: s.C * s.KH * s.KW * s.OH * s.OW }] : [], cache: s };
  },
  run(k, node) {
    const [g, w, cols] = node.inputs, o = node.out!.ptr, part = node.attrs.part;
    k.f32_conv2d_backward(part === 'input' ? o : 0, part === 'weight' ? o : 0, part === 'bias' ? o : 0, g.ptr, w.ptr, cols.ptr,
      part === 'input' ? node.saved[0].ptr : 0, ...geomArgs(node.cache));
  },
  vjp: noSecondOrder('conv2d_backward', 'conv2d'),
};

/**
 * 2-D convolution of NCHW input by OIHW weight plus bias (`F.conv2d`; stride default 1, padding default 0; im2col + GEMM).
 * @example
 * await init();
 * ops.conv2d(ops.tensor([1, 2, 3, 4], [1, 1, 2, 2]), ops.tensor([1, 1, 1, 1], [1, 1, 2, 2])).toArray(); // → [10]
 */
/** stride, padding, kernel: a whole number or a pair [h, w] (their ranges are checked with the shapes). */
const SIZE_OR_PAIR: Rule = { kind: 'custom', want: 'a whole number or a pair [h, w] of them', test: (v) => typeof v === 'number' || Array.isArray(v) };
const CONV_RULES: Rules = { stride: SIZE_OR_PAIR, padding: SIZE_OR_PAIR };
const POOL_RULES: Rules = { kernel: { ...SIZE_OR_PAIR, required: true }, stride: SIZE_OR_PAIR, padding: SIZE_OR_PAIR };

export function conv2d(input: Input, weight: Input, bias?: Input | null, options: Conv2dOptions = {}): ATensor {
  checkOptions('conv2d', options, CONV_RULES);
  const attrs = { stride: options.stride ?? 1, padding: options.padding ?? 0 };
  return apply(CONV2D, bias === undefined || bias === null ? [input, weight] : [input, weight, bias], attrs);
}

interface PoolGeom {
  planes: number; H: number; W: number; KH: number; KW: number; SH: number; SW: number; PH: number; PW: number; OH: number; OW: number;
}
const poolArgs = (g: PoolGeom) => [g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.OH, g.OW] as const;

function poolGeom(op: string, shape: readonly number[], a: any): PoolGeom {
  if (shape.length !== 4 && shape.length !== 3) throw new RangeError(`${op}: input must be [N, C, H, W] or [C, H, W], got ${fmt(shape)}`);
  const [KH, KW] = pair(op, 'kernel', a.kernel, 1);
  const [SH, SW] = a.stride === undefined || a.stride === null ? [KH, KW] : pair(op, 'stride', a.stride, 1);
  const [PH, PW] = pair(op, 'padding', a.padding ?? 0, 0);
  if (2 * PH > KH || 2 * PW > KW) throw new RangeError(`${op}: padding [${PH}, ${PW}] must be at most half the kernel [${KH}, ${KW}]`);
  const H = shape[shape.length - 2], W = shape[shape.length - 1];
  const OH = Math.floor((H + 2 * PH - KH) / SH) + 1, OW = Math.floor((W + 2 * PW - KW) / SW) + 1;
  if (OH < 1 || OW < 1) throw new RangeError(`${op}: a ${KH}×${KW} window does not fit input ${fmt(shape)}`);
  const planes = shape.slice(0, -2).reduce((x, y) => x * y, 1);
  return { planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW };
}

export const MAX_POOL2D: OpDef = {
  name: 'max_pool2d',
  args: ['input'],
  infer([x], a) {
    const g = poolGeom('max_pool2d', x.shape, a);
    const shape = [...x.shape.slice(0, -2), g.OH, g.OW];
    return { shape, saved: [{ dtype: 'i32', size: g.planes * g.OH * g.OW }], cache: g };
  },
  run(k, node) {
    const g = node.cache as PoolGeom;
    k.f32_max_pool2d(node.out!.ptr, node.saved[0].ptr, node.inputs[0].ptr, g.planes, g.H, g.W, ...poolArgs(g));
  },
  vjp: (node, g) => [apply(MAX_POOL2D_GRAD, [g, node.saved[0]], { shape: node.inputs[0].shape, geom: node.cache })],
};

const MAX_POOL2D_GRAD: OpDef = {
  name: 'max_pool2d_backward',
  args: ['g', 'argmax'],
  infer: (_v, a) => ({ shape: a.shape.slice(), cache: a.geom }),
  run(k, node) {
    const g = node.cache as PoolGeom;
    k.f32_max_pool2d_backward(node.out!.ptr, node.inputs[0].ptr, node.inputs[1].ptr, g.planes, g.H, g.W, g.OH, g.OW);
  },
  vjp: noSecondOrder('max_pool2d_backward', 'max_pool2d'),
};

export const AVG_POOL2D: OpDef = {
  name: 'avg_pool2d',
  args: ['input'],
  infer([x], a) {
    const g = poolGeom('avg_pool2d', x.shape, a);
    return { shape: [...x.shape.slice(0, -2), g.OH, g.OW], cache: g };
  },
  run(k, node) {
    const g = node.cache as PoolGeom;
    k.f32_avg_pool2d(node.out!.ptr, node.inputs[0].ptr, g.planes, g.H, g.W, ...poolArgs(g));
  },
  vjp: (node, g) => [apply(AVG_POOL2D_GRAD, [g], { shape: node.inputs[0].shape, geom: node.cache })],
};

const AVG_POOL2D_GRAD: OpDef = {
  name: 'avg_pool2d_backward',
  args: ['g'],
  infer: (_v, a) => ({ shape: a.shape.slice(), cache: a.geom }),
  run(k, node) {
    const g = node.cache as PoolGeom;
    k.f32_avg_pool2d_backward(node.out!.ptr, node.inputs[0].ptr, g.planes, g.H, g.W, ...poolArgs(g));
  },
  vjp: noSecondOrder('avg_pool2d_backward', 'avg_pool2d'),
};

function poolAttrs(op: string, o: Pool2dOptions | number): Pool2dOptions {
  const opts = checkOptions(op, typeof o === 'number' ? { kernel: o } : o, POOL_RULES);
  return { kernel: opts.kernel, stride: opts.stride, padding: opts.padding ?? 0 };
}

/**
 * Max over each window of an NCHW (or CHW) input (`F.max_pool2d`; stride defaults to the kernel, padding 0).
 * @example
 * await init();
 * ops.maxPool2d(ops.tensor([1, 5, 3, 4], [1, 1, 2, 2]), 2).toArray(); // → [5]
 */
export const maxPool2d = (input: Input, options: Pool2dOptions | number): ATensor => apply(MAX_POOL2D, [input], poolAttrs('max_pool2d', options));
/**
 * Mean over each window (`F.avg_pool2d`, count_include_pad; stride defaults to the kernel).
 * @example
 * await init();
 * ops.avgPool2d(ops.tensor([1, 5, 3, 4], [1, 1, 2, 2]), 2).toArray(); // → [3.25]
 */
export const avgPool2d = (input: Input, options: Pool2dOptions | number): ATensor => apply(AVG_POOL2D, [input], poolAttrs('avg_pool2d', options));
