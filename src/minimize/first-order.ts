/**
 * The first-order update rules `minimize` applies to f, one function per rule, each a single pass
 * over Float64Array state (PyTorch 1.13's single-tensor `torch.optim` code, float64 throughout).
 * `createFirstOrder` is the one place that picks a rule; a faster path for large x (the library's
 * Wasm optimizer kernels) is meant to be swapped in there and nowhere else.
 *
 * Rules, with t the step number starting at 1 and g the gradient at x
 * (also ../shared/conformance/README.md §1):
 * - gd:       x -= lr·g
 * - momentum: buf = g at t = 1, else μ·buf + (1 − dampening)·g;  x -= lr·buf
 * - nesterov: buf as momentum;  x -= lr·(g + μ·buf)
 * - adam:     m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  (amsgrad: v̂ = max(v̂, v));
 *             x -= lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + eps)
 * - rmsprop:  v = αv + (1−α)g²;  centered: a = αa + (1−α)g, den = √(v − a²) + eps, else den = √v + eps;
 *             momentum μ > 0: buf = μ·buf + g/den, x -= lr·buf;  else x -= lr·g/den
 * - adagrad:  clr = lr / (1 + (t−1)·lrDecay);  s += g²;  x -= clr·g / (√s + eps)
 */

import { backendName, isInitialized } from '../init.js';
import { param } from '../tensor.js';
import { Adagrad, Adam, RMSprop, SGD } from '../optim/index.js';

export type FirstOrderMethod = 'gd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop' | 'adagrad';

export const FIRST_ORDER_METHODS: readonly FirstOrderMethod[] = ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad'];

/** Options of the first-order rules, named as PyTorch names them (camelCase). */
export interface FirstOrderOptions {
  /** Learning rate. Defaults: 0.01 (gd, momentum, nesterov, rmsprop, adagrad), 0.001 (adam). */
  lr?: number;
  /** Momentum factor μ for 'momentum' / 'nesterov' (default 0.9) and 'rmsprop' (default 0). */
  momentum?: number;
  /** SGD dampening (default 0; torch forbids it with nesterov). */
  dampening?: number;
  /** Adam (β₁, β₂), default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Denominator term: 1e-8 (adam, rmsprop), 1e-10 (adagrad). */
  eps?: number;
  /** Adam's AMSGrad variant (default false). */
  amsgrad?: boolean;
  /** RMSprop smoothing constant α (default 0.99). */
  alpha?: number;
  /** Centered RMSprop (default false). */
  centered?: boolean;
  /** Adagrad learning-rate decay (default 0). */
  lrDecay?: number;
  /** Adagrad's initial accumulator value (default 0). */
  initialAccumulatorValue?: number;
}

/** x -= lr·g. */
export function gdStep(x: Float64Array, g: Float64Array, lr: number): void {
  for (let i = 0; i < x.length; i++) x[i] -= lr * g[i];
}

/** SGD with (optionally Nesterov) momentum; `t` is the 1-based step, `buf` the momentum buffer. */
export function sgdMomentumStep(
  x: Float64Array, g: Float64Array, buf: Float64Array, t: number,
  lr: number, momentum: number, dampening: number, nesterov: boolean,
): void {
  for (let i = 0; i < x.length; i++) {
    const b = t === 1 ? g[i] : momentum * buf[i] + (1 - dampening) * g[i];
    buf[i] = b;
    x[i] -= lr * (nesterov ? g[i] + momentum * b : b);
  }
}

/** Adam (optionally AMSGrad, max over the raw v as torch's code does); `vmax` is used only then. */
export function adamStep(
  x: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, vmax: Float64Array | null, t: number,
  lr: number, beta1: number, beta2: number, eps: number,
): void {
  const stepSize = lr / (1 - Math.pow(beta1, t));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
  for (let i = 0; i < x.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    let vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    if (vmax) {
      if (vi > vmax[i]) vmax[i] = vi;
      vi = vmax[i];
    }
    x[i] -= (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/** RMSprop; `gAvg` is used when centered, `buf` when momentum > 0. */
export function rmspropStep(
  x: Float64Array, g: Float64Array, sq: Float64Array, gAvg: Float64Array | null, buf: Float64Array | null,
  lr: number, alpha: number, eps: number, momentum: number,
): void {
  for (let i = 0; i < x.length; i++) {
    const gi = g[i];
    const si = alpha * sq[i] + (1 - alpha) * gi * gi;
    sq[i] = si;
    let den: number;
    if (gAvg) {
      const ai = alpha * gAvg[i] + (1 - alpha) * gi;
      gAvg[i] = ai;
      den = Math.sqrt(si - ai * ai) + eps;
    } else {
      den = Math.sqrt(si) + eps;
    }
    if (buf && momentum > 0) {
      const b = momentum * buf[i] + gi / den;
      buf[i] = b;
      x[i] -= lr * b;
    } else {
      x[i] -= (lr * gi) / den;
    }
  }
}

/** Adagrad; `sum` starts at initialAccumulatorValue, `t` is the 1-based step. */
export function adagradStep(
  x: Float64Array, g: Float64Array, sum: Float64Array, t: number,
  lr: number, lrDecay: number, eps: number,
): void {
  const clr = lr / (1 + (t - 1) * lrDecay);
  for (let i = 0; i < x.length; i++) {
    const gi = g[i];
    const s = sum[i] + gi * gi;
    sum[i] = s;
    x[i] -= (clr * gi) / (Math.sqrt(s) + eps);
  }
}

/** A first-order optimizer over n float64 coordinates: `step(x, g)` updates x in place. */
export interface FirstOrderStepper {
  readonly method: FirstOrderMethod;
  readonly lr: number;
  /** The number of steps taken so far. */
  readonly t: number;
  step(x: Float64Array, g: Float64Array): void;
  /** Float32 Wasm path only: the precision of x and the state ('float32'), else 'float64'. */
  readonly dtype: 'float64' | 'float32';
  /** Frees Wasm memory held by the float32 path; a no-op for the float64 path. */
  dispose(): void;
}

/**
 * From this many coordinates on, `minimize` runs the first-order rules on the library's fused
 * optimizer kernels (Wasm SIMD when the library is initialized on a Wasm backend): x and the
 * optimizer state are then float32, rounded once per step; f and grad still receive and fill
 * Float64Arrays. Below it (or before init()), everything is float64 JS.
 */
export const KERNEL_THRESHOLD = 4096;

/**
 * The float32 kernel path: x lives in a parameter in Wasm memory and the library's optimizer (the
 * same fused kernel as for training) takes each step. Per step: x and g are copied in (rounded to
 * float32), one fused kernel pass updates x and the state, and x is copied back out.
 */
function createKernelStepper(method: FirstOrderMethod, n: number, o: FirstOrderOptions): FirstOrderStepper {
  const lr = o.lr ?? defaultLr(method);
  const p = param.zeros(n, { name: 'x' });
  let opt: { step(): void; dispose(): void };
  switch (method) {
    case 'gd': opt = new SGD([p], { lr }); break;
    case 'momentum':
    case 'nesterov':
      opt = new SGD([p], { lr, momentum: o.momentum ?? 0.9, dampening: o.dampening ?? 0, nesterov: method === 'nesterov' });
      break;
    case 'adam': opt = new Adam([p], { lr, betas: (o.betas ?? [0.9, 0.999]) as [number, number], eps: o.eps ?? 1e-8, amsgrad: o.amsgrad ?? false }); break;
    case 'rmsprop': opt = new RMSprop([p], { lr, alpha: o.alpha ?? 0.99, eps: o.eps ?? 1e-8, centered: o.centered ?? false, momentum: o.momentum ?? 0 }); break;
    case 'adagrad': opt = new Adagrad([p], { lr, lrDecay: o.lrDecay ?? 0, eps: o.eps ?? 1e-10, initialAccumulatorValue: o.initialAccumulatorValue ?? 0 }); break;
    default:
      p.dispose();
      throw new RangeError(`method must be one of ${FIRST_ORDER_METHODS.join(', ')}, got ${String(method)}`);
  }
  let t = 0;
  return {
    method,
    lr,
    dtype: 'float32',
    get t() { return t; },
    step(x, g) {
      t++;
      p.data.set(x);
      p.grad.set(g);
      opt.step();
      x.set(p.data);
    },
    dispose() {
      opt.dispose();
      p.dispose();
    },
  };
}

/** The default learning rate of each first-order method (PyTorch's where it has one). */
export function defaultLr(method: FirstOrderMethod): number {
  return method === 'adam' ? 1e-3 : 1e-2;
}

/**
 * Builds the stepper for `method` over n coordinates, with the state buffers it needs.
 * Options are assumed validated by the caller (`minimize`).
 */
export function createFirstOrder(method: FirstOrderMethod, n: number, o: FirstOrderOptions = {}, useKernels: boolean | 'auto' = 'auto'): FirstOrderStepper {
  if (useKernels === true || (useKernels === 'auto' && n >= KERNEL_THRESHOLD && isInitialized() && backendName() !== 'js')) {
    return createKernelStepper(method, n, o);
  }
  const lr = o.lr ?? defaultLr(method);
  let t = 0;
  let step: (x: Float64Array, g: Float64Array) => void;
  switch (method) {
    case 'gd':
      step = (x, g) => gdStep(x, g, lr);
      break;
    case 'momentum':
    case 'nesterov': {
      const buf = new Float64Array(n);
      const mu = o.momentum ?? 0.9;
      const damp = o.dampening ?? 0;
      const nesterov = method === 'nesterov';
      step = (x, g) => sgdMomentumStep(x, g, buf, t, lr, mu, damp, nesterov);
      break;
    }
    case 'adam': {
      const m = new Float64Array(n);
      const v = new Float64Array(n);
      const vmax = o.amsgrad ? new Float64Array(n) : null;
      const [b1, b2] = o.betas ?? [0.9, 0.999];
      const eps = o.eps ?? 1e-8;
      step = (x, g) => adamStep(x, g, m, v, vmax, t, lr, b1, b2, eps);
      break;
    }
    case 'rmsprop': {
      const sq = new Float64Array(n);
      const gAvg = o.centered ? new Float64Array(n) : null;
      const mu = o.momentum ?? 0;
      const buf = mu > 0 ? new Float64Array(n) : null;
      const alpha = o.alpha ?? 0.99;
      const eps = o.eps ?? 1e-8;
      step = (x, g) => rmspropStep(x, g, sq, gAvg, buf, lr, alpha, eps, mu);
      break;
    }
    case 'adagrad': {
      const sum = new Float64Array(n).fill(o.initialAccumulatorValue ?? 0);
      const lrDecay = o.lrDecay ?? 0;
      const eps = o.eps ?? 1e-10;
      step = (x, g) => adagradStep(x, g, sum, t, lr, lrDecay, eps);
      break;
    }
    default:
      throw new RangeError(`method must be one of ${FIRST_ORDER_METHODS.join(', ')}, got ${String(method)}`);
  }
  return {
    method,
    lr,
    dtype: 'float64',
    get t() { return t; },
    step(x, g) { t++; step(x, g); },
    dispose() {},
  };
}
