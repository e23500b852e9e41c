/**
 * minimize's options: the first-order methods' options are the optimizer classes' (accepted and
 * refused identically below and above the kernel threshold, and as the class itself does), unknown
 * names are refused with a suggestion, options of another method are refused, and Lbfgs speaks the
 * library's 'strong-wolfe'.
 */
import { describe, expect, it } from 'vitest';
import { init, memoryStats, param } from '../../src/entry/node.js';
import { KERNEL_THRESHOLD } from '../../src/minimize/first-order.js';
import { Lbfgs, minimize, testFunctions, type FirstOrderMethod, type MinimizeOptions } from '../../src/minimize/index.js';
import { Adagrad, Adam, RMSprop, SGD } from '../../src/optim/index.js';

const quad = (n: number) => ({
  f: (x: Float64Array) => { let s = 0; for (let i = 0; i < n; i++) s += (x[i] - 1) ** 2; return s; },
  grad: (x: Float64Array, out: Float64Array) => { for (let i = 0; i < n; i++) out[i] = 2 * (x[i] - 1); },
});

/** The class a method runs, with minimize's defaults, as a user would build it. */
function classFor(method: FirstOrderMethod, o: Record<string, unknown>) {
  const p = param.zeros(3);
  try {
    switch (method) {
      case 'gd': return new SGD([p], { lr: 0.01, ...o }).dispose();
      case 'momentum': return new SGD([p], { lr: 0.01, momentum: 0.9, ...o }).dispose();
      case 'nesterov': return new SGD([p], { lr: 0.01, momentum: 0.9, ...o, nesterov: true }).dispose();
      case 'adam': return new Adam([p], { lr: 1e-3, ...o }).dispose();
      case 'rmsprop': return new RMSprop([p], { lr: 0.01, ...o }).dispose();
      case 'adagrad': return new Adagrad([p], { lr: 0.01, ...o }).dispose();
    }
  } finally {
    p.dispose();
  }
}

type Outcome = { ok: true } | { ok: false; type: string; message: string };
function outcome(run: () => unknown): Outcome {
  try {
    run();
    return { ok: true };
  } catch (e) {
    return { ok: false, type: (e as Error).constructor.name, message: (e as Error).message };
  }
}

const VALUES: Array<[FirstOrderMethod, Record<string, unknown>]> = [
  ['adam', { eps: 0 }], ['adam', { eps: 1e-8 }], ['adam', { eps: -1 }], ['adam', { betas: [0.9, 1] }], ['adam', { betas: [0, 0.5] }],
  ['adam', { betas: [0.9] }], ['adam', { lr: 0 }], ['adam', { lr: -1 }], ['adam', { lr: Infinity }], ['adam', { amsgrad: 'yes' }], ['adam', { amsgrad: true }],
  ['gd', { lr: 0 }], ['gd', { lr: NaN }], ['gd', { lr: '0.1' }], ['gd', { lr: 5 }],
  ['momentum', { momentum: 0 }], ['momentum', { momentum: 1.5 }], ['momentum', { momentum: -0.1 }],
  ['momentum', { dampening: 0.5 }], ['momentum', { dampening: 2 }], ['momentum', { dampening: Infinity }],
  ['nesterov', { momentum: 0 }], ['nesterov', { dampening: 0.1 }], ['nesterov', { momentum: 0.5 }],
  ['rmsprop', { alpha: 0.5 }], ['rmsprop', { alpha: -1 }], ['rmsprop', { eps: 0 }], ['rmsprop', { centered: 1 }], ['rmsprop', { momentum: -1 }],
  ['adagrad', { lrDecay: -1 }], ['adagrad', { lrDecay: 0.1 }], ['adagrad', { initialAccumulatorValue: -1 }], ['adagrad', { eps: 0 }],
];

describe('minimize accepts and refuses what the optimizer classes do, at every size', () => {
  it('minimize({ method: "adam", eps: 0 }) is refused below and above 4096 coordinates alike, as new Adam(...) refuses it', async () => {
    await init({ backend: 'wasm-simd' });
    const msgs = [8, KERNEL_THRESHOLD + 4].map((n) => {
      const { f, grad } = quad(n);
      return outcome(() => minimize(f, new Float64Array(n), { method: 'adam', eps: 0, grad, maxIter: 3 }));
    });
    expect(msgs[0]).toEqual(msgs[1]);
    expect(msgs[0]).toEqual({ ok: false, type: 'RangeError', message: expect.stringMatching(/^minimize\(\{ method: 'adam' \}\): Adam: eps must be/) });
    const cls = outcome(() => classFor('adam', { eps: 0 }));
    expect(cls.ok).toBe(false);
    expect((msgs[0] as { message: string }).message).toBe(`minimize({ method: 'adam' }): ${(cls as { message: string }).message}`);
  });

  it.each(VALUES.map(([m, o]) => [m, JSON.stringify(o), o] as const))('%s %s: float64 path, float32 kernels and the class agree', async (method, _label, o) => {
    await init({ backend: 'wasm-simd' });
    const before = memoryStats().bytesInUse;
    const results = [8, KERNEL_THRESHOLD + 4].map((n) => {
      const { f, grad } = quad(n);
      let calls = 0;
      const r = outcome(() => minimize((x) => (calls++, f(x)), new Float64Array(n), { method, ...o, grad, maxIter: 2 } as MinimizeOptions));
      return { r, calls };
    });
    expect(memoryStats().bytesInUse).toBe(before); // the float32 path frees its parameter and state on every path
    expect(results[0].r).toEqual(results[1].r);
    const cls = outcome(() => classFor(method, o));
    expect(results[0].r.ok).toBe(cls.ok);
    if (!cls.ok && !results[0].r.ok) {
      expect(results[0].r.type).toBe(cls.type);
      expect(results[0].r.message).toBe(`minimize({ method: '${method}' }): ${cls.message}`);
      for (const x of results) expect(x.calls).toBe(0); // refused before f was evaluated
    }
  });
});

describe('minimize refuses unknown option names and options of another method', () => {
  const { f, grad } = testFunctions.sphere;

  it.each([
    ['maxiter', 'maxIter'], ['max_iter', 'maxIter'], ['MaxIter', 'maxIter'], ['learningRate', 'lr'], ['learning_rate', 'lr'],
    ['ftol', 'fTol'], ['gtol', 'tol'], ['jac', 'grad'], ['history_size', 'historySize'], ['line-search', 'lineSearch'],
    ['tolerance', 'tol'], ['beta', 'betas'],
  ])('%s → did you mean %s?', (wrong, right) => {
    const call = () => minimize(f, [1, 2], { method: 'lbfgs', grad, [wrong]: 1 } as MinimizeOptions);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^minimize: unknown option options\\.${wrong}\\. Did you mean ${right}\\? The options are: method, grad, `));
  });

  it('a name with nothing close is refused with the list of options and no guess', () => {
    expect(() => minimize(f, [1, 2], { zzzzzz: 1 } as MinimizeOptions)).toThrow(/^minimize: unknown option options\.zzzzzz\. The options are: method, /);
  });

  it('an option of another method is a RangeError naming the methods that take it; undefined counts as absent', () => {
    expect(() => minimize(f, [1, 2], { method: 'gd', grad, betas: [0.9, 0.99] })).toThrow(RangeError);
    expect(() => minimize(f, [1, 2], { method: 'gd', grad, betas: [0.9, 0.99] })).toThrow(
      "minimize: options.betas does not apply to method 'gd'; it is used by 'adam'. Remove it, or pick one of those methods.",
    );
    expect(() => minimize(f, [1, 2], { method: 'adam', grad, momentum: 0.9 })).toThrow(/options.momentum does not apply to method 'adam'; it is used by 'momentum', 'nesterov', 'rmsprop'/);
    expect(() => minimize(f, [1, 2], { method: 'newton', grad, lr: 0.1 })).toThrow(/options.lr does not apply to method 'newton'/);
    expect(() => minimize(f, [1, 2], { method: 'gd', grad, historySize: 5 })).toThrow(/options.historySize does not apply to method 'gd'; it is used by 'lbfgs'/);
    expect(() => minimize(f, [1, 2], { method: 'adam', grad, lineSearch: 'armijo' })).toThrow(/options.lineSearch does not apply to method 'adam'/);
    expect(() => minimize(f, [1, 2], { method: 'lbfgs', grad, seed: 3 })).toThrow(/options.seed does not apply to method 'lbfgs'/);
    expect(minimize(f, [1, 2], { method: 'gd', grad, betas: undefined, lr: 0.1 }).converged).toBe(true);
  });

  it('useKernels and recordX are checked', () => {
    expect(() => minimize(f, [1, 2], { method: 'gd', grad, useKernels: 'yes' as unknown as boolean })).toThrow("minimize: options.useKernels must be one of true, false, 'auto', got 'yes'.");
    expect(() => minimize(f, [1, 2], { method: 'gd', grad, recordX: 1 as unknown as boolean })).toThrow('minimize: options.recordX must be true or false, got 1.');
    expect(() => minimize(f, [1, 2], null as unknown as MinimizeOptions)).toThrow(/^minimize: options must be an object such as \{ method: … \}, got null\.$/);
  });
});

describe("Lbfgs speaks the library's 'strong-wolfe'", () => {
  const { f, grad } = testFunctions.rosenbrock;
  const run = (lineSearchFn: LbfgsLs) => {
    const x = Float64Array.of(-1.5, 2);
    const opt = new Lbfgs(x, { lineSearchFn, historySize: 10 });
    for (let k = 0; k < 10; k++) opt.step((xx, g) => { grad(xx, g); return f(xx); });
    return { x: Array.from(x), evals: opt.funcEvals, fn: opt.lineSearchFn };
  };
  type LbfgsLs = ConstructorParameters<typeof Lbfgs>[1] extends infer O ? (O extends { lineSearchFn?: infer L } ? L : never) : never;

  it("'strong-wolfe' and torch's 'strong_wolfe' (kept as a deprecated alias) run the same search", () => {
    const a = run('strong-wolfe');
    const b = run('strong_wolfe');
    expect(a).toEqual(b);
    expect(a.fn).toBe('strong-wolfe');
    expect(a.evals).toBe(59); // torch's count for this case (lbfgs.json)
    expect(run(null).evals).not.toBe(59);
  });

  it('another value is refused naming it', () => {
    expect(() => new Lbfgs(new Float64Array(2), { lineSearchFn: 'armijo' as 'strong-wolfe' })).toThrow(/Lbfgs: lineSearchFn must be 'strong-wolfe' or null, got "armijo"/);
  });
});
