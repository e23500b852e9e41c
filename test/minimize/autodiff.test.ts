/** minimize with { autodiff: true }: an objective written in ops, exact gradients and Hessians, on every backend. */
import { describe, expect, it } from 'vitest';
import { memoryStats, minimize, ops, testFunctions, type Tensor } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const rosenbrock = (v: Tensor) => {
  const x = ops.narrow(v, 0, 0, 1), y = ops.narrow(v, 0, 1, 1);
  return ops.sum(ops.add(ops.pow(ops.sub(1, x), 2), ops.mul(100, ops.pow(ops.sub(y, ops.pow(x, 2)), 2))));
};
const ref = testFunctions.rosenbrock;

describe.each(BACKENDS)('minimize with an ops objective on %s', (backend) => {
  it('the gradient and Hessian are exact (float32) and Newton converges to (1, 1) as with the analytic ones', async () => {
    await useBackend(backend);
    const base = memoryStats().bytesInUse;
    for (const at of [[-1.5, 2], [0.3, -0.7]]) {
      const r = minimize(rosenbrock, at, { method: 'gd', autodiff: true, maxIter: 0 });
      const g = new Float64Array(2);
      ref.grad!(Float64Array.from(at, (v) => Math.fround(v)), g);
      for (let i = 0; i < 2; i++) expect(r.grad[i]).toBeCloseTo(g[i], 3);
      expect(r.fun).toBeCloseTo(ref.f(Float64Array.from(at)), 4);
    }
    const ours = minimize(rosenbrock, ref.x0, { method: 'newton', autodiff: true, tol: 1e-4 });
    const theirs = minimize(ref.f, ref.x0, { method: 'newton', grad: ref.grad, hess: ref.hess, tol: 1e-4 });
    expect(ours.converged).toBe(true);
    expect(ours.nHev).toBeGreaterThan(5);
    expect(Math.abs(ours.nIter - theirs.nIter)).toBeLessThanOrEqual(2);
    for (const v of ours.x) expect(v).toBeCloseTo(1, 5);
    // finite differences would cost 2n f evaluations per gradient: autodiff costs one
    expect(ours.nFev).toBe(theirs.nFev);
    const lb = minimize(rosenbrock, ref.x0, { autodiff: true, tol: 1e-4 });
    expect(lb.converged).toBe(true);
    for (const v of lb.x) expect(v).toBeCloseTo(1, 3);
    expect(memoryStats().bytesInUse).toBe(base);
  });

  it('refuses grad/hess with autodiff, a non-boolean autodiff, a non-scalar or tensor-returning f; frees on errors', async () => {
    await useBackend(backend);
    // (this f's own eager tensors are the test's to leak: checked before the memory baseline)
    expect(() => minimize(((x: Float64Array) => ops.sum(ops.tensor(Array.from(x)))) as never, [0, 0])).toThrow(/autodiff: true/);
    const base = memoryStats().bytesInUse;
    expect(() => minimize(rosenbrock, [0, 0], { autodiff: true, grad: ref.grad } as never)).toThrow(/options\.grad is given with autodiff: true/);
    expect(() => minimize(rosenbrock, [0, 0], { method: 'newton', autodiff: true, hess: ref.hess } as never)).toThrow(/options\.hess/);
    expect(() => minimize(rosenbrock, [0, 0], { autodiff: 'yes' } as never)).toThrow(/autodiff/);
    expect(() => minimize((x: Tensor) => ops.mul(x, 2), [0, 0], { autodiff: true })).toThrow(/scalar/);
    expect(() => minimize((() => { throw new Error('boom'); }) as never, [0, 0], { autodiff: true })).toThrow(/boom/);
    expect(memoryStats().bytesInUse).toBe(base);
  });
});
