import { beforeAll, describe, expect, it } from 'vitest';
import { float64Device, withDevice } from '../../src/autograd/device.js';
import { indexTensor, ops, valueAndGrad } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { draw, OP_CASES, type OpCase } from './op-table.js';

// Each op of the table: (1) gradcheck in float64 through the reference path: the engine on the
// float64 device (references with identity rounding, exact functions) against central differences;
// (2) forward and backward on every backend against that float64 result, recorded and then
// replayed (the replay must give the very same bits). The loss is Σ op(x)·R with a fixed random R,
// as autograd.json's programs are.

interface Run {
  value: number;
  grads: ArrayLike<number>[];
}

function makeInputs(c: OpCase): { data: number[][]; wrt: number[] } {
  const data = c.inputs.map((s, i) => draw(s, 100 + 7 * i));
  const wrt = c.wrt ?? c.inputs.map((s, i) => (s.draw === 'index' ? -1 : i)).filter((i) => i >= 0);
  return { data, wrt };
}

/** Builds the inputs on the current device and the step Σ f(x)·R; returns the tensors and the step. */
function setup(c: OpCase, data: number[][], wrt: number[]) {
  const xs = c.inputs.map((s, i) => (s.draw === 'index' ? indexTensor(data[i], { shape: s.shape }) : ops.tensor(data[i], s.shape)));
  const y = c.f(...xs);
  const R = ops.tensor(draw({ shape: [...y.shape] }, 999), y.shape);
  const step = valueAndGrad((...a: any[]) => ops.sum(ops.mul(c.f(...a), R)), { argnums: wrt });
  return { xs, step };
}

function reference(c: OpCase): Run & { numeric: Map<string, [number, number]> } {
  const dev = float64Device();
  return withDevice(dev, () => {
    const { data, wrt } = makeInputs(c);
    const { xs, step } = setup(c, data, wrt);
    const [value, gs] = step(...xs);
    const grads = wrt.map((_, k) => Float64Array.from(gs[k] as ArrayLike<number>));
    // central differences on up to 24 elements of each differentiated input
    const numeric = new Map<string, [number, number]>();
    wrt.forEach((j, k) => {
      const x = xs[j].data as unknown as Float64Array, n = x.length;
      const stride = Math.max(1, Math.floor(n / 24));
      for (let e = 0; e < n; e += stride) {
        const x0 = x[e], h = 1e-6 * Math.max(1, Math.abs(x0));
        x[e] = x0 + h;
        const up = step(...xs)[0];
        x[e] = x0 - h;
        const down = step(...xs)[0];
        x[e] = x0;
        numeric.set(`${k}:${e}`, [(up - down) / (2 * h), grads[k][e]]);
      }
    });
    return { value, grads, numeric };
  });
}

beforeAll(() => useBackend('js')); // tensors made on the float64 device still name a backend

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe.each(OP_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  let ref: ReturnType<typeof reference>;

  it('gradcheck in float64: the VJP equals central differences', () => {
    ref = reference(c);
    expect(ref.numeric.size).toBeGreaterThan(0);
    for (const [at, [num, ana]] of ref.numeric) {
      if (!(Math.abs(num - ana) <= 1e-6 * (1 + Math.abs(num)))) {
        throw new Error(`${c.name}: d/dx at ${at}: analytic ${ana}, central difference ${num}`);
      }
    }
  });

  it.each(BACKENDS)('forward and backward on %s match float64, and a replay gives the same bits', async (backend) => {
    ref ??= reference(c);
    await useBackend(backend);
    const { data, wrt } = makeInputs(c);
    const { xs, step } = setup(c, data, wrt);
    try {
      const runs: Run[] = [0, 1].map(() => {
        const [value, gs] = step(...xs);
        return { value, grads: wrt.map((_, k) => Float32Array.from(gs[k] as ArrayLike<number>)) };
      });
      const tol = c.tol ?? 2e-4;
      const close = (x: number, r: number, scale: number, what: string) => {
        if (!(Math.abs(x - r) <= tol * (Math.abs(r) + 0.1 * scale + 1e-3))) throw new Error(`${c.name} on ${backend}: ${what} = ${x}, float64 ${r}`);
      };
      close(runs[0].value, ref.value, Math.abs(ref.value), 'value');
      ref.grads.forEach((g, k) => {
        const s = maxAbs(g);
        for (let i = 0; i < g.length; i++) close(runs[0].grads[k][i], g[i], s, `grad of input ${wrt[k]} [${i}]`);
      });
      expect(runs[1].value).toBe(runs[0].value);
      runs[0].grads.forEach((g, k) => expect(Array.from(runs[1].grads[k])).toEqual(Array.from(g)));
    } finally {
      step.dispose();
      xs.forEach((x) => x.dispose());
    }
  });
});
