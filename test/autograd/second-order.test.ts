import { beforeAll, describe, expect, it } from 'vitest';
import { float64Device, withDevice } from '../../src/autograd/device.js';
import { hessianAt, jacobianAt } from '../../src/autograd/grad.js';
import { hessian, indexTensor, jacobian, ops, valueAndGrad } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { draw, OP_CASES, type OpCase } from './op-table.js';

// jacobian and hessian are exact (reverse over reverse), so in float64 they must equal central
// differences of the gradient (or of f) to ~1e-6, and on every float32 backend they must match the
// float64 result; an op without a second-order rule throws a sentence naming it.

beforeAll(() => useBackend('js')); // tensors made on the float64 device still name a backend

/**
 * A scalar function of one flat vector x through the op (x is the op's first float input):
 * L(x) = Σ R·y + ½ Σ y², y = op(x, fixed others), so the Hessian has both J^T J and R·∂²op.
 */
function scalarOf(c: OpCase) {
  const j = c.inputs.findIndex((s) => s.draw !== 'index');
  const data = c.inputs.map((s, i) => draw(s, 200 + 7 * i));
  const others = () => c.inputs.map((s, i) => (i === j ? null : s.draw === 'index' ? indexTensor(data[i], { shape: s.shape }) : ops.tensor(data[i], s.shape)));
  const shape = c.inputs[j].shape;
  const make = () => {
    const fixed = others();
    let R: any = null;
    return (x: any) => {
      const args = fixed.map((v, i) => (i === j ? ops.reshape(x, shape) : v));
      const y = c.f(...args);
      R ??= draw({ shape: [...y.shape] }, 998);
      return ops.add(ops.sum(ops.mul(y, ops.tensor(R, y.shape))), ops.mul(ops.sum(ops.mul(y, y)), 0.5));
    };
  };
  return { x0: data[j], make };
}

const SECOND = OP_CASES.filter((c) => c.second && c.inputs[0].shape.reduce((a, b) => a * b, 1) <= 40);

describe.each(SECOND.map((c) => [c.name, c] as const))('hessian through %s', (_n, c) => {
  let ref: { value: number; grad: ArrayLike<number>; hessian: ArrayLike<number>; n: number };

  it('float64: equals central differences of the gradient', () => {
    withDevice(float64Device(), () => {
      const { x0, make } = scalarOf(c);
      ref = hessianAt(make(), x0);
      const n = ref.n;
      const g = valueAndGrad(make());
      for (let jx = 0; jx < n; jx++) {
        const h = 1e-6 * Math.max(1, Math.abs(x0[jx]));
        const up = x0.slice(), down = x0.slice();
        up[jx] += h;
        down[jx] -= h;
        const gu = g(up)[1] as Float64Array, gd = g(down)[1] as Float64Array;
        for (let i = 0; i < n; i++) {
          const fd = (gu[i] - gd[i]) / (2 * h), an = ref.hessian[i * n + jx];
          if (!(Math.abs(fd - an) <= 1e-5 * (1 + Math.abs(fd)))) throw new Error(`${c.name}: H[${i}][${jx}] = ${an}, central difference of the gradient ${fd}`);
        }
      }
      g.dispose();
    });
  });

  it.each(BACKENDS)('on %s matches float64', async (backend) => {
    if (!ref) withDevice(float64Device(), () => { const { x0, make } = scalarOf(c); ref = hessianAt(make(), x0); });
    await useBackend(backend);
    const { x0, make } = scalarOf(c);
    const r = hessianAt(make(), x0);
    const scale = Array.from(ref.hessian).reduce((m, v) => Math.max(m, Math.abs(v)), 0) + 1e-3;
    expect(Math.abs(r.value - ref.value)).toBeLessThanOrEqual(1e-4 * (Math.abs(ref.value) + 1));
    for (let i = 0; i < ref.hessian.length; i++) {
      if (!(Math.abs(r.hessian[i] - ref.hessian[i]) <= 1e-3 * (Math.abs(ref.hessian[i]) + 0.1 * scale))) {
        throw new Error(`${c.name} on ${backend}: H[${i}] = ${r.hessian[i]}, float64 ${ref.hessian[i]}`);
      }
    }
  });
});

describe('jacobian', () => {
  const fns: Array<[string, (x: any) => any, number]> = [
    ['tanh(Wx + b)', (x) => ops.tanh(ops.add(ops.matmul([[0.5, -1, 2], [1.5, 0.25, -0.5], [0, 1, 1], [-2, 0.5, 0.75]], x), [0.1, -0.2, 0.3, 0])), 3],
    ['softmax', (x) => ops.softmax(x, 0), 5],
    ['x² concatenated with cumulative pieces', (x) => ops.concat([ops.mul(x, x), ops.narrow(ops.exp(x), 0, 1, 2)], 0), 4],
    ['log_softmax of a 2×3 reshape, flattened', (x) => ops.reshape(ops.logSoftmax(ops.reshape(x, [2, 3]), 1), [6]), 6],
  ];
  it.each(fns)('%s: float64 equals central differences; every backend matches float64', async (_n, f, n) => {
    const x0 = draw({ shape: [n] }, 300);
    const ref = withDevice(float64Device(), () => {
      const r = jacobianAt(f, x0);
      for (let j = 0; j < n; j++) {
        const up = x0.slice(), down = x0.slice();
        up[j] += 1e-6;
        down[j] -= 1e-6;
        const fu = ops.tensor(up, [n]), fd = ops.tensor(down, [n]);
        const yu = f(fu).data, yd = f(fd).data;
        for (let i = 0; i < r.m; i++) {
          const num = (yu[i] - yd[i]) / 2e-6;
          if (!(Math.abs(num - r.jacobian[i * n + j]) <= 1e-6 * (1 + Math.abs(num)))) throw new Error(`J[${i}][${j}] = ${r.jacobian[i * n + j]}, central difference ${num}`);
        }
      }
      return r;
    });
    for (const b of BACKENDS) {
      await useBackend(b);
      const J = jacobian(f)(x0);
      for (let i = 0; i < J.length; i++) expect(Math.abs(J[i] - ref.jacobian[i])).toBeLessThanOrEqual(2e-4 * (Math.abs(ref.jacobian[i]) + 0.1));
    }
  });
});

describe('second order: known answers and refusals', () => {
  it.each(BACKENDS)("Rosenbrock's exact Hessian on %s", async (b) => {
    await useBackend(b);
    const rosen = (v: any) => {
      const x = ops.narrow(v, 0, 0, 1), y = ops.narrow(v, 0, 1, 1);
      return ops.sum(ops.add(ops.pow(ops.sub(1, x), 2), ops.mul(ops.pow(ops.sub(y, ops.pow(x, 2)), 2), 100)));
    };
    const [x, y] = [-1.5, 2];
    const H = hessian(rosen)([x, y]);
    const exact = [1200 * x * x - 400 * y + 2, -400 * x, -400 * x, 200];
    H.forEach((v, i) => expect(Math.abs(v - exact[i])).toBeLessThanOrEqual(1e-5 * Math.abs(exact[i])));
  });

  it('a linear function has a zero Hessian; a constant one too', async () => {
    await useBackend('wasm-simd');
    expect(Array.from(hessian((x: any) => ops.sum(ops.mul(x, [1, 2, 3])))([1, 1, 1]))).toEqual(new Array(9).fill(0));
    expect(Array.from(hessian(() => ops.tensor([2], []))([1, 1]))).toEqual([0, 0, 0, 0]);
  });

  const refusals: Array<[string, (x: any) => any, RegExp]> = [
    ['conv2d', (x) => ops.sum(ops.pow(ops.conv2d(ops.reshape(x, [1, 1, 3, 3]), ops.tensor([0.5, -1, 2, 1], [1, 1, 2, 2])), 2)), /conv2d_backward: second-order derivatives are not implemented/],
    ['max_pool2d', (x) => ops.sum(ops.pow(ops.maxPool2d(ops.reshape(x, [1, 1, 3, 3]), 2), 2)), /max_pool2d_backward: second-order derivatives are not implemented/],
    ['avg_pool2d', (x) => ops.sum(ops.pow(ops.avgPool2d(ops.reshape(x, [1, 1, 3, 3]), 2), 2)), /avg_pool2d_backward: second-order derivatives are not implemented/],
    ['layer_norm', (x) => ops.sum(ops.pow(ops.layerNorm(ops.reshape(x, [3, 3])), 3)), /layer_norm_backward: second-order derivatives are not implemented/],
    ['embedding', (x) => ops.sum(ops.pow(ops.embedding(ops.reshape(x, [3, 3]), [0, 2]), 3)), /embedding_backward: second-order derivatives are not implemented/],
  ];
  it.each(refusals)('the Hessian through %s throws a sentence naming the op', async (_n, f, msg) => {
    await useBackend('wasm-scalar');
    const { memoryStats } = await import('../../src/index.js');
    const before = memoryStats().bytesInUse;
    expect(() => hessian(f)([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8, 0.9])).toThrow(msg);
    expect(memoryStats().bytesInUse).toBe(before); // the throw-away graph was freed
  });
});
