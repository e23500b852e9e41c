/** The @example of every optimizer, clipping function and averaged(), run as written, checking what the comments claim. */
import { describe, expect, it } from 'vitest';
import { init, param } from '../../src/entry/node.js';
import {
  Adadelta, Adagrad, Adam, AdamW, Adamax, Lion, NAdam, Optimizer, RAdam, RMSprop, Rprop, SGD, averaged, clipGradNorm, clipGradValue,
  type ParamGroup, type ParamState, type ParamsInput,
} from '../../src/optim/index.js';
import { axpy } from '../../src/ops/blas1.js';
import type { Param } from '../../src/tensor.js';

const f = Math.fround;

describe('TSDoc examples', () => {
  it('Optimizer (a subclass)', async () => {
    await init();
    class PlainSGD extends Optimizer<{ lr: number }> {
      constructor(params: ParamsInput<{ lr: number }>, options?: Partial<{ lr: number }>) {
        super(params, options, { name: 'PlainSGD', defaults: { lr: 0.01 } });
      }
      protected update(p: Param, state: ParamState, group: ParamGroup<{ lr: number }>): void {
        axpy(p, -group.lr, p.gradTensor, p);
      }
    }
    const w = param([1, -2]);
    const opt = new PlainSGD([w], { lr: 0.5 });
    w.grad.set([2, -4]);
    opt.step();
    expect(Array.from(w.data)).toEqual([0, 0]);
  });

  it('SGD', async () => {
    await init();
    const w = param([1, -2]);
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad.set([2 * w.data[0], 2 * w.data[1]]);
    opt.step();
    expect(Array.from(w.data)).toEqual([f(0.8), f(-1.6)]);
  });

  it('Adam and AdamW', async () => {
    await init();
    const w = param([1, -2]);
    const opt = new Adam([w], { lr: 0.1 });
    w.grad.set([2, -4]);
    opt.step();
    expect(w.data[0]).toBeCloseTo(0.9, 6);
    expect(w.data[1]).toBeCloseTo(-1.9, 6);
    const v = param([1, -2]);
    const o2 = new AdamW([v], { lr: 0.1, weightDecay: 0.1 });
    v.grad.set([2, -4]);
    o2.step();
    expect(v.data[0]).toBeCloseTo(0.99 - 0.1, 6);
    expect(v.data[1]).toBeCloseTo(-1.98 + 0.1, 6);
  });

  it('Adagrad, Adadelta, RMSprop, Adamax', async () => {
    await init();
    const a = param([1]);
    new Adagrad([a], { lr: 0.5 }).step(); // zero gradient: no move
    a.grad[0] = 3;
    const ag = new Adagrad([a], { lr: 0.5 });
    ag.step();
    expect(a.data[0]).toBeCloseTo(0.5, 6);
    const d = param([1, -1]);
    const ad = new Adadelta([d]);
    d.grad.set([0.5, -0.5]);
    ad.step();
    expect(Math.abs(d.data[0] - 1)).toBeLessThan(1e-2); // tiny first step
    expect(d.data[0]).toBeLessThan(1);
    const r = param([1]);
    const rm = new RMSprop([r], { lr: 0.01 });
    r.grad[0] = 2;
    rm.step();
    expect(r.data[0]).toBeCloseTo(0.9, 5);
    const m = param([1]);
    const mx = new Adamax([m], { lr: 0.1 });
    m.grad[0] = 4;
    mx.step();
    expect(m.data[0]).toBeCloseTo(0.9, 6);
  });

  it('NAdam, RAdam, Rprop, Lion', async () => {
    await init();
    const w = param([1, -1]);
    const opt = new NAdam([w], { lr: 0.01 });
    w.grad.set([1, -1]);
    opt.step();
    expect(opt.state(w).muProduct).toBeCloseTo(0.45007, 5);
    const r = param([1]);
    const ra = new RAdam([r], { lr: 0.1 });
    r.grad[0] = 3;
    ra.step();
    expect(r.data[0]).toBeCloseTo(0.7, 6);
    const p = param([1, 1]);
    const rp = new Rprop([p], { lr: 0.1 });
    p.grad.set([3, -0.001]);
    rp.step();
    expect(Array.from(p.data)).toEqual([f(0.9), f(1.1)]);
    const l = param([1, -1, 0.5]);
    const li = new Lion([l], { lr: 0.1 });
    l.grad.set([2, -3, 0]);
    li.step();
    expect(Array.from(l.data)).toEqual([f(0.9), f(-0.9), 0.5]);
  });

  it('clipGradNorm, clipGradValue, averaged', async () => {
    await init();
    const w = param([0, 0]);
    w.grad.set([3, 4]);
    expect(clipGradNorm([w], 1)).toBe(5);
    expect(w.grad[0]).toBeCloseTo(0.6, 6);
    expect(w.grad[1]).toBeCloseTo(0.8, 6);
    const v = param([0, 0, 0]);
    v.grad.set([-5, 0.5, 5]);
    clipGradValue([v], 1);
    expect(Array.from(v.grad)).toEqual([-1, 0.5, 1]);
    const x = param([0]);
    const opt = new SGD([x], { lr: 0.1 });
    const avg = averaged(opt);
    for (const g of [1, -1, 1]) {
      x.grad[0] = g;
      opt.step();
      avg.update();
    }
    expect(avg.average(x)[0]).toBeCloseTo(-0.2 / 3, 6);
  });
});
