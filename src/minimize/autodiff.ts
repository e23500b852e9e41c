/**
 * minimize's `autodiff: true`: an objective written in ops gets its exact gradient from
 * `valueAndGrad` (one recorded plan, replayed at every point) and, for 'newton', its exact Hessian
 * from reverse-over-reverse differentiation (`hessian`). The arithmetic inside f is float32 (the
 * ops' precision): x is rounded to float32 on the way in, value, gradient and Hessian come back as
 * float32 numbers widened to float64.
 */
import { hessianAt, valueAndGrad, type ValueAndGrad } from '../autograd/grad.js';
import type { Tensor } from '../tensor.js';
import type { GradientFn, HessianFn, ObjectiveFn } from './objective.js';

/** An objective written in ops: it receives x as a tensor of shape [n] and returns a scalar tensor. */
export type OpsObjective = (x: Tensor) => Tensor;

export interface AutodiffObjective {
  f: ObjectiveFn;
  grad: GradientFn;
  hess: HessianFn;
  /** Frees the recorded plan. */
  dispose(): void;
}

/**
 * f, grad and hess for minimize from an ops objective. f and grad share one valueAndGrad call per
 * point: grad at the point f was last called reuses that call's gradient.
 */
export function autodiffObjective(opsF: OpsObjective, n: number): AutodiffObjective {
  const step: ValueAndGrad<[Float32Array]> = valueAndGrad((x: Float32Array) => opsF(x as unknown as Tensor));
  const x32 = new Float32Array(n);
  const lastX = new Float64Array(n).fill(NaN);
  const lastG = new Float64Array(n);
  let lastF = NaN;
  const at = (x: Float64Array): void => {
    for (let i = 0; i < n; i++) if (!Object.is(lastX[i], x[i])) return evaluate(x);
  };
  const evaluate = (x: Float64Array): void => {
    x32.set(x);
    const [v, g] = step(x32) as [number, Float32Array];
    lastF = v;
    lastG.set(g);
    lastX.set(x);
  };
  return {
    f: (x) => {
      evaluate(x);
      return lastF;
    },
    grad: (x, out) => {
      at(x);
      out.set(lastG);
    },
    hess: (x, out) => {
      x32.set(x);
      out.set(hessianAt(opsF as (x: unknown) => Tensor, x32).hessian);
    },
    dispose: () => step.dispose(),
  };
}
