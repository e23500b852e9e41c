/** Bad input: every message names the optimizer, the option (or argument), the value and a fix. */
import { describe, expect, it } from 'vitest';
import { init, param } from '../../src/entry/node.js';
import { Adam, AdamW, Adadelta, Adagrad, Lion, NAdam, RMSprop, Rprop, SGD } from '../../src/optim/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe('optimizer option validation', () => {
  it('lr: negative or NaN is a RangeError naming lr and the value', async () => {
    await useBackend('js');
    const w = param([1]);
    expect(() => new SGD([w], { lr: -0.1 })).toThrow(RangeError);
    expect(() => new SGD([w], { lr: -0.1 })).toThrow(/^SGD: lr must be a finite number >= 0, got -0\.1\. Pass a learning rate/);
    expect(() => new Adam([w], { lr: NaN })).toThrow(/^Adam: lr must be a finite number >= 0, got NaN/);
    expect(() => new Adam([w], { lr: Infinity })).toThrow(RangeError);
    expect(() => new Adam([w], { lr: '0.1' as unknown as number })).toThrow(TypeError);
    expect(() => new Adam([w], { lr: '0.1' as unknown as number })).toThrow(/lr must be a number, got '0\.1'/);
  });

  it('betas outside [0, 1) are a RangeError naming the beta', async () => {
    await useBackend('js');
    const w = param([1]);
    expect(() => new Adam([w], { betas: [1, 0.999] })).toThrow(/^Adam: betas\[0\] must be in \[0, 1\), got 1\./);
    expect(() => new AdamW([w], { betas: [0.9, -0.1] })).toThrow(/^AdamW: betas\[1\] must be in \[0, 1\), got -0\.1/);
    expect(() => new NAdam([w], { betas: [0.9, NaN] })).toThrow(RangeError);
    expect(() => new Lion([w], { betas: [0.9] as unknown as [number, number] })).toThrow(TypeError);
    expect(() => new Lion([w], { betas: [0.9] as unknown as [number, number] })).toThrow(/betas must be an array of two numbers, got \[0\.9\]/);
  });

  it('eps <= 0, momentum < 0, bad rho / alpha / etas are RangeErrors', async () => {
    await useBackend('js');
    const w = param([1]);
    expect(() => new Adam([w], { eps: 0 })).toThrow(/^Adam: eps must be a finite number > 0, got 0\. Pass a small positive eps/);
    expect(() => new Adagrad([w], { eps: -1e-10 })).toThrow(/eps must be a finite number > 0, got -1e-10/);
    expect(() => new SGD([w], { momentum: -0.9 })).toThrow(/^SGD: momentum must be a finite number >= 0, got -0\.9/);
    expect(() => new RMSprop([w], { momentum: -1 })).toThrow(RangeError);
    expect(() => new Adadelta([w], { rho: 1.5 })).toThrow(/rho must be in \[0, 1\], got 1\.5/);
    expect(() => new Rprop([w], { etas: [1.2, 0.5] })).toThrow(/etas\[0\] must be in \(0, 1\), got 1\.2/);
    expect(() => new Rprop([w], { stepSizes: [1, 0.5] })).toThrow(/stepSizes must have min <= max, got \[1, 0\.5\]/);
    expect(() => new SGD([w], { weightDecay: -1 })).toThrow(/weightDecay must be a finite number >= 0, got -1/);
    expect(() => new Adam([w], { amsgrad: 1 as unknown as boolean })).toThrow(/^Adam: amsgrad must be true or false, got 1/);
  });

  it('nesterov without momentum, or with dampening, is a RangeError as in torch', async () => {
    await useBackend('js');
    const w = param([1]);
    expect(() => new SGD([w], { nesterov: true })).toThrow(/^SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0/);
    expect(() => new SGD([w], { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(RangeError);
    expect(() => new SGD([{ params: [w], nesterov: true }], { momentum: 0 })).toThrow(/paramGroups\[0\]\.nesterov needs momentum/);
  });

  it('unknown options are a TypeError listing the known ones', async () => {
    await useBackend('js');
    const w = param([1]);
    expect(() => new Adam([w], { learningRate: 0.1 } as never)).toThrow(/^Adam: unknown option options\.learningRate\. Did you mean lr\? The options are: lr, betas, eps/);
    expect(() => new SGD([{ params: [w], mom: 0.9 } as never])).toThrow(/unknown option paramGroups\[0\]\.mom\. Did you mean momentum\?/);
  });

  it('group options name their group', async () => {
    await useBackend('js');
    const a = param([1]), b = param([2]);
    expect(() => new Adam([{ params: [a] }, { params: [b], lr: -1 }])).toThrow(/^Adam: paramGroups\[1\]\.lr must be a finite number >= 0, got -1/);
  });
});

describe('optimizer parameter validation', () => {
  it('an empty parameter list is a RangeError', async () => {
    await useBackend('js');
    expect(() => new Adam([])).toThrow(RangeError);
    expect(() => new Adam([])).toThrow(/^Adam: params is an empty list\. Pass at least one parameter/);
    expect(() => new SGD([{ params: [] }])).toThrow(/paramGroups\[0\]\.params is an empty list/);
  });

  it('a disposed parameter is a TypeError naming its position', async () => {
    await useBackend('js');
    const a = param([1]), b = param([2], { name: 'bias' });
    b.dispose();
    expect(() => new Adam([a, b])).toThrow(TypeError);
    expect(() => new Adam([a, b])).toThrow(/^Adam: params\[1\] \(parameter 'bias'\) was disposed/);
    const c = param([3]);
    const opt = new SGD([c]);
    c.dispose();
    expect(() => opt.step()).toThrow(/SGD: paramGroups\[0\]\.params\[0\] .*was disposed/);
  });

  it('things that are not parameters are a TypeError', async () => {
    await useBackend('js');
    expect(() => new Adam([new Float32Array(3) as never])).toThrow(/params\[0\] must be a parameter made by param\(\), got Float32Array\(3\) \[0, 0, 0\]/);
    expect(() => new Adam(42 as never)).toThrow(TypeError);
    expect(() => new Adam([{ params: [param([1])] }, param([2])] as never)).toThrow(/params\[1\] must be a group/);
  });

  it('a parameter listed twice is a RangeError', async () => {
    await useBackend('js');
    const a = param([1]);
    expect(() => new Adam([{ params: [a] }, { params: [a] }])).toThrow(/appears more than once/);
    // within one group, in a short list and in a long one (searched differently), naming the second place
    const b = param([2]);
    expect(() => new Adam([a, b, a])).toThrow(/Adam: paramGroups\[0\]\.params\[2\] appears more than once/);
    const many = Array.from({ length: 40 }, (_, i) => param([i]));
    expect(() => new Adam([...many, many[7]])).toThrow(/Adam: paramGroups\[0\]\.params\[40\] appears more than once/);
    expect(new Adam(many).params.length).toBe(40);
  });

  it('a parameter from a replaced backend is refused (assertLive)', async () => {
    await useBackend('js');
    const a = param([1]);
    const opt = new Adam([a]);
    await init({ backend: 'wasm-scalar' });
    expect(() => new Adam([a])).toThrow(/created on the js backend, which init\(\) has since replaced with wasm-scalar/);
    expect(() => opt.step()).toThrow(/js backend/);
    expect(() => opt.zeroGrad()).toThrow(/js backend/);
  });

  it('zeroGrad (the optimizer\'s and a parameter\'s) zeroes every gradient, and nothing else, on every backend', async () => {
    for (const backend of BACKENDS) {
      await useBackend(backend);
      const a = param([1, 2, 3, 4, 5]), b = param.zeros(70_000), c = param([7]);
      a.grad.set([1, -2, 3, NaN, Infinity]);
      b.grad.fill(0.5);
      c.grad[0] = 9;
      const opt = new SGD([a, b], { lr: 0.1 });
      opt.zeroGrad();
      expect(Array.from(a.grad)).toEqual([0, 0, 0, 0, 0]);
      expect(b.grad.every((x) => x === 0)).toBe(true);
      expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5]);
      expect(c.grad[0]).toBe(9); // not in the optimizer
      c.zeroGrad();
      expect(c.grad[0]).toBe(0);
      expect(c.data[0]).toBe(7);
    }
  });

  it('a value changed to something invalid between steps is caught at the next step', async () => {
    await useBackend('js');
    const a = param([1]);
    const opt = new Adam([a], { lr: 0.1 });
    opt.paramGroups[0].lr = NaN;
    expect(() => opt.step()).toThrow(/^Adam: paramGroups\[0\]\.lr must be a finite number >= 0, got NaN/);
    expect(a.data[0]).toBe(1);
    expect(() => { opt.lr = -1; }).toThrow(RangeError);
  });

  it('options changed after steps are checked again before the next (step() skips only unchanged ones)', async () => {
    await useBackend('js');
    const a = param([1]);
    const opt = new Adam([a], { lr: 0.1 });
    a.grad[0] = 1;
    opt.step();
    opt.step(); // unchanged options: the same check passes
    const after = a.data[0];
    opt.paramGroups[0].lr = NaN;
    expect(() => opt.step()).toThrow(/^Adam: paramGroups\[0\]\.lr must be a finite number >= 0, got NaN/);
    opt.paramGroups[0].lr = 0.1;
    opt.step();
    opt.paramGroups[0].betas[0] = 2; // edited in place: the same array, another value
    expect(() => opt.step()).toThrow(/^Adam: paramGroups\[0\]\.betas/);
    opt.paramGroups[0].betas[0] = 0.9;
    (opt.paramGroups[0] as any).amsgrad = 'yes'; // a value of the wrong type
    expect(() => opt.step()).toThrow(/^Adam: paramGroups\[0\]\.amsgrad/);
    (opt.paramGroups[0] as any).amsgrad = false;
    opt.step();
    expect(a.data[0]).toBeLessThan(after); // the refused steps changed nothing, the others stepped
    expect(opt.state(a).step).toBe(4);
  });

  it('step({ skip }) must list parameters of this optimizer; dispose() makes the optimizer unusable', async () => {
    await useBackend('js');
    const a = param([1]), other = param([2]);
    const opt = new SGD([a], { lr: 0.1 });
    expect(() => opt.step({ skip: [other] })).toThrow(/lists a parameter that is not in this optimizer/);
    expect(() => opt.step({ skip: other as never })).toThrow(TypeError);
    opt.dispose();
    expect(() => opt.step()).toThrow(/after dispose\(\)/);
    expect(opt.disposed).toBe(true);
  });
});
