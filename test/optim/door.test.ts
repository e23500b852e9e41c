/**
 * The door for users' own optimizers: a subclass of Optimizer written only against the public API
 * (super(params, options, { name, defaults }), buffers(), update(p, state, group), the tensor ops)
 * works everywhere the built-ins do — fit() by instance and by registered name, every kind of LR
 * scheduler, clipGradNorm, lrFind, checkpoints with bit-exact resume, parameter groups, step({ skip })
 * — and, being SGD written again with the same roundings, gives the built-in SGD's bits throughout.
 */
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR, CyclicLR, LambdaLR, OneCycleLR, Optimizer, ReduceLROnPlateau, SGD, SequentialLR, StepLR, axpy, copy, fit, lrFind,
  memoryStats, param, registerOptimizer,
  type BufferSpec, type Param, type ParamGroup, type ParamsInput, type ParamState, type Tensor,
} from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { TinyLinear, linearData } from '../train/tiny.js';

interface MomentumOptions {
  lr: number;
  momentum: number;
}
const MOMENTUM_BUFFER: readonly BufferSpec[] = [{ name: 'momentumBuffer', unset: true }];

/** SGD with momentum written by a user: torch's rule, with the tensor ops' float32 roundings. */
class UserSGD extends Optimizer<MomentumOptions> {
  constructor(params: ParamsInput<MomentumOptions>, options?: Partial<MomentumOptions>) {
    super(params, options, {
      name: 'UserSGD',
      defaults: { lr: 0.01, momentum: 0 },
      rules: { momentum: { kind: 'number', min: 0, fix: 'Pass momentum >= 0 such as 0.9.' } },
    });
  }

  protected override buffers(group: ParamGroup<MomentumOptions>): readonly BufferSpec[] {
    return group.momentum !== 0 ? MOMENTUM_BUFFER : [];
  }

  protected update(p: Param, state: ParamState, group: ParamGroup<MomentumOptions>): void {
    let d: Tensor = p.gradTensor;
    if (group.momentum !== 0) {
      const buf = state.buffers.momentumBuffer;
      if (state.unset.has('momentumBuffer')) {
        copy(buf, d); // buf = g on its first step, as torch
        state.unset.delete('momentumBuffer');
      } else {
        axpy(buf, group.momentum, buf, d); // buf = μ·buf + g
      }
      d = buf;
    }
    axpy(p, -group.lr, d, p); // p = p − lr·d
  }
}

const data = linearData(96, 7);
const snapshot = (m: TinyLinear) => m.parameters().map((p) => Array.from(p.data));

/** Trains the tiny model twice, once per optimizer class, and returns both runs. */
function twin(options: (opt: Optimizer<any>) => Record<string, unknown>, o: Partial<MomentumOptions> = { lr: 0.05, momentum: 0.9 }) {
  const run = (Ctor: new (p: Param[], o: Partial<MomentumOptions>) => Optimizer<any>) => {
    const model = new TinyLinear(2);
    const opt = new Ctor(model.parameters(), o);
    const history = fit(model, data.X, data.y, { optimizer: opt, maxEpochs: 6, batchSize: 16, seed: 3, ...options(opt) });
    return { params: snapshot(model), loss: history.batchLoss, lr: history.lr, state: opt.stateDict() };
  };
  return { user: run(UserSGD), builtIn: run(SGD as never) };
}

describe.each(BACKENDS)('a user-written optimizer on %s', (backend) => {
  it('gives the built-in SGD bit for bit under fit(), with and without momentum', async () => {
    await useBackend(backend);
    for (const o of [{ lr: 0.05 }, { lr: 0.05, momentum: 0.9 }]) {
      const { user, builtIn } = twin(() => ({}), o);
      expect(user.params).toEqual(builtIn.params);
      expect(user.loss).toEqual(builtIn.loss);
      expect(user.loss.length).toBe(36);
      expect(user.state.state).toEqual(builtIn.state.state); // step counts and momentum buffers
      expect(user.state.optimizer).toBe('UserSGD');
    }
  });

  it.each([
    ['StepLR', (o: Optimizer<any>) => new StepLR(o, { stepSize: 2, gamma: 0.5 })],
    ['CosineAnnealingLR', (o: Optimizer<any>) => new CosineAnnealingLR(o, { TMax: 6 })],
    ['LambdaLR', (o: Optimizer<any>) => new LambdaLR(o, { lrLambda: (e: number) => 1 / (1 + e) })],
    ['OneCycleLR (cycles momentum)', (o: Optimizer<any>) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 36 })],
    ['CyclicLR (cycles momentum)', (o: Optimizer<any>) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 })],
    ['ReduceLROnPlateau', (o: Optimizer<any>) => new ReduceLROnPlateau(o, { patience: 0, factor: 0.5 })],
    ['SequentialLR', (o: Optimizer<any>) => new SequentialLR(o, { schedulers: [new StepLR(o, { stepSize: 1, gamma: 0.9 }), new CosineAnnealingLR(o, { TMax: 3 })], milestones: [2] })],
  ])('drives %s, as the built-in', async (_name, make) => {
    await useBackend(backend);
    const { user, builtIn } = twin((opt) => ({ scheduler: make(opt) }));
    expect(user.lr).toEqual(builtIn.lr);
    expect(new Set(user.lr).size).toBeGreaterThan(1); // the schedule did change the lr
    expect(user.loss).toEqual(builtIn.loss);
    expect(user.params).toEqual(builtIn.params);
    const pick = (g: Record<string, unknown>) => ({ lr: g.lr, momentum: g.momentum });
    expect(user.state.paramGroups.map(pick)).toEqual(builtIn.state.paramGroups.map(pick)); // the lr (and momentum) the scheduler left
  });

  it('takes clipGradNorm in fit(), as the built-in', async () => {
    await useBackend(backend);
    const { user, builtIn } = twin(() => ({ clipGradNorm: 0.5 }));
    const plain = twin(() => ({}));
    expect(user.loss).toEqual(builtIn.loss);
    expect(user.params).toEqual(builtIn.params);
    expect(user.loss).not.toEqual(plain.user.loss); // clipping did change the run
  });

  it('resumes from a checkpoint bit-exactly, through JSON', async () => {
    await useBackend(backend);
    const make = () => {
      const model = new TinyLinear(2);
      const optimizer = new UserSGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      return { model, optimizer, scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }) };
    };
    const opts = (o: ReturnType<typeof make>) => ({ optimizer: o.optimizer, scheduler: o.scheduler, maxEpochs: 6, batchSize: 16, seed: 5 });
    const a = make();
    const saved: string[] = [];
    const ha = fit(a.model, data.X, data.y, { ...opts(a), onCheckpoint: (c) => saved.push(JSON.stringify(c)) });
    for (const k of [1, 4]) {
      const b = make();
      const hb = fit(b.model, data.X, data.y, { ...opts(b), resume: JSON.parse(saved[k - 1]) });
      expect(snapshot(b.model)).toEqual(snapshot(a.model));
      expect(hb.batchLoss).toEqual(ha.batchLoss);
      expect(b.optimizer.stateDict()).toEqual(a.optimizer.stateDict());
    }
  });

  it('runs lrFind and leaves the model and its own state as they were', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const opt = new UserSGD(m.parameters(), { lr: 0.123, momentum: 0.5 });
    const before = opt.stateDict();
    const r = lrFind(m, data.X, data.y, { startLr: 1e-5, endLr: 100, numIt: 60, optimizer: opt, batchSize: 16 });
    expect(r.lrs.length).toBeGreaterThan(10);
    expect(opt.stateDict()).toEqual(before);
    const m2 = new TinyLinear(2);
    const r2 = lrFind(m2, data.X, data.y, { startLr: 1e-5, endLr: 100, numIt: 60, optimizer: new SGD(m2.parameters(), { lr: 0.123, momentum: 0.5 }), batchSize: 16 });
    expect(r.rawLosses).toEqual(r2.rawLosses);
  });

  it('keeps parameter groups with their own options, and step({ skip }) leaves a parameter, its state and its count alone', async () => {
    await useBackend(backend);
    const make = <T extends Optimizer<any>>(Ctor: new (p: unknown, o?: Partial<MomentumOptions>) => T) => {
      const w = param([1, -2, 3]), b = param([0.5]);
      const opt = new Ctor([{ params: [w], lr: 0.1, momentum: 0.9 }, { params: [b], lr: 0.01 }]);
      for (let s = 0; s < 4; s++) {
        w.grad.set([0.3 * s, -1, 2]);
        b.grad.set([1 - s]);
        opt.step(s === 2 ? { skip: [b] } : undefined);
      }
      return { w: Array.from(w.data), b: Array.from(b.data), state: opt.stateDict(), bState: opt.state(b) };
    };
    const u = make(UserSGD), s = make(SGD as never);
    expect(u.w).toEqual(s.w);
    expect(u.b).toEqual(s.b);
    expect(u.bState.step).toBe(3);
    expect(u.state.state).toEqual(s.state.state);
    expect(u.state.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.01]);
  });

  it('is found by name once registered: fit({ optimizer: { name, ...options } })', async () => {
    await useBackend(backend);
    registerOptimizer('UserSGD', UserSGD as never);
    const byName = new TinyLinear(2);
    const h1 = fit(byName, data.X, data.y, { optimizer: { name: 'usersgd', lr: 0.05, momentum: 0.9 }, maxEpochs: 3, batchSize: 16, seed: 3 });
    const byBuiltIn = new TinyLinear(2);
    const h2 = fit(byBuiltIn, data.X, data.y, { optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, maxEpochs: 3, batchSize: 16, seed: 3 });
    expect(h1.batchLoss).toEqual(h2.batchLoss);
    expect(snapshot(byName)).toEqual(snapshot(byBuiltIn));
    expect(() => fit(new TinyLinear(2), data.X, data.y, { optimizer: { name: 'UserSGD', lr: 0.05, moment: 0.9 }, maxEpochs: 1 }))
      .toThrow(/UserSGD: unknown option options\.moment\. Did you mean momentum\? The options are: lr, momentum/);
  });
});

describe('registerOptimizer', () => {
  it('refuses a name that is not a non-empty string, a ctor that is not a class, and the built-in names', () => {
    expect(() => registerOptimizer('', UserSGD as never)).toThrow(TypeError);
    expect(() => registerOptimizer(3 as never, UserSGD as never)).toThrow(/name must be a non-empty string such as 'MyOptimizer', got 3$/);
    expect(() => registerOptimizer('mine', (() => 0) as never)).toThrow(/ctor must be an optimizer class .*got an anonymous function \(an arrow function or method, not a class\)/);
    expect(() => registerOptimizer('mine', null as never)).toThrow(/ctor must be an optimizer class .*got null/);
    expect(() => registerOptimizer('Adam', UserSGD as never)).toThrow(RangeError);
    expect(() => registerOptimizer('SGD', UserSGD as never)).toThrow("registerOptimizer('SGD', ctor): 'sgd' is a built-in optimizer and cannot be replaced; register your class under another name");
  });

  it('an unregistered name lists the registered ones', async () => {
    await useBackend('js');
    expect(() => fit(new TinyLinear(2), data.X, data.y, { optimizer: 'nope', maxEpochs: 1 })).toThrow(/unknown optimizer "nope"; the names are .*adam.*sgd/);
  });
});

describe('the protected API refuses a broken subclass, and checks options from defaults', () => {
  class Bare extends Optimizer<{ lr: number; beta: number; flag: boolean; pair: [number, number]; mode: string }> {
    constructor(params: ParamsInput<any>, options?: object, config?: object) {
      super(params, options as never, (config ?? { name: 'Bare', defaults: { lr: 0.1, beta: -2, flag: false, pair: [1, 2], mode: 'a' } }) as never);
    }
    protected update(p: Param, state: ParamState): void {
      if (state.step === 3) throw new Error('boom');
      p.data[0] += 1;
    }
  }

  it('config mistakes are TypeErrors naming the field', async () => {
    await useBackend('js');
    const p = param([0]);
    expect(() => new Bare([p], {}, { defaults: { lr: 1 } })).toThrow(/config.name must be a non-empty string such as 'MyOptimizer', got undefined/);
    expect(() => new Bare([p], {}, { name: 'B', defaults: { momentum: 0.9 } })).toThrow(/B: config.defaults must be an object with every option's default, including a number lr/);
    expect(() => new Bare([p], {}, { name: 'B', defaults: { lr: 1, fn: () => 0 } })).toThrow(/B: config.defaults.fn is function fn; give config.rules.fn, or a number, boolean/);
    expect(() => new Bare([p], {}, { name: 'B', defaults: { lr: 1 }, rules: { eps: { kind: 'boolean' } } })).toThrow('B: config.rules.eps has no default; add eps to config.defaults.');
  });

  it('rules inferred from the defaults: lr >= 0, finite numbers of any sign, booleans, pairs, strings; unknown names refused', async () => {
    await useBackend('js');
    const p = param([0]);
    expect(() => new Bare([p], { lr: -1 })).toThrow(/Bare: lr must be a finite number >= 0, got -1/);
    expect(() => new Bare([p], { beta: Infinity })).toThrow(/Bare: beta must be a finite number, got Infinity/);
    expect(() => new Bare([p], { flag: 'yes' })).toThrow(/Bare: flag must be true or false, got 'yes'/);
    expect(() => new Bare([p], { pair: [1] })).toThrow(/Bare: pair must be an array of two numbers/);
    expect(() => new Bare([p], { mode: 3 })).toThrow(/Bare: mode must be a string, got 3/);
    expect(() => new Bare([p], { lrr: 0.1 })).toThrow(/Bare: unknown option options\.lrr\. Did you mean lr\? The options are: lr, beta, flag, pair, mode/);
    const ok = new Bare([p], { beta: -5, pair: [-1, 3], mode: 'b' });
    expect(ok.defaults).toMatchObject({ lr: 0.1, beta: -5, flag: false, pair: [-1, 3], mode: 'b' });
    ok.paramGroups[0].beta = NaN; // changed between steps: checked at the next step
    expect(() => ok.step()).toThrow(/Bare: paramGroups\[0\].beta must be a finite number, got NaN/);
    expect(ok.state(p).step).toBe(0);
  });

  it('a config seen before is not trusted blindly: new defaults, a changed rule or a bad default in a shared rules table are checked again', async () => {
    await useBackend('js');
    const p = param([0]);
    const rules: Record<string, object> = { lr: { kind: 'number', min: 0 }, beta: { kind: 'number', min: 0, fix: 'Pass beta >= 0.' } };
    const make = (defaults: object, options?: object) => new Bare([p], options ?? {}, { name: 'Shared', defaults, rules });
    expect(make({ lr: 0.1, beta: 1 }).defaults).toEqual({ lr: 0.1, beta: 1 });
    expect(make({ lr: 0.1, beta: 1 }).defaults).toEqual({ lr: 0.1, beta: 1 }); // the second build: from what the first checked
    expect(() => make({ lr: 0.1, beta: 1 }, { beta: -1 })).toThrow(/Shared: beta must be a finite number >= 0, got -1/); // given options: always checked
    expect(() => make({ lr: 0.1, beta: -3 })).toThrow(/Shared: beta must be a finite number >= 0, got -3/); // other defaults, same table
    rules.beta = { kind: 'number', max: 0, fix: 'Pass beta <= 0.' }; // the table edited after use
    expect(() => make({ lr: 0.1, beta: 1 })).toThrow(/Shared: beta must be a finite number <= 0, got 1/);
    expect(make({ lr: 0.1, beta: -1 }).defaults).toEqual({ lr: 0.1, beta: -1 });
  });

  it('state.step counts the step being taken; if update throws, the count is put back', async () => {
    await useBackend('js');
    const p = param([0]);
    const before = memoryStats().bytesInUse;
    const opt = new Bare([p]);
    opt.step();
    opt.step();
    expect(opt.state(p).step).toBe(2);
    expect(() => opt.step()).toThrow('boom');
    expect(opt.state(p).step).toBe(2);
    expect(p.data[0]).toBe(2);
    opt.dispose();
    expect(memoryStats().bytesInUse).toBe(before);
  });
});
