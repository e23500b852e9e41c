/**
 * stateDict() / loadStateDict(): stopping, saving through JSON, loading into a fresh optimizer and
 * stepping on gives bit-identical results to never having stopped; mismatches throw and change nothing.
 */
import { describe, expect, it } from 'vitest';
import { param, type Param } from '../../src/entry/node.js';
import { Adam, SGD, NAdam, Rprop } from '../../src/optim/index.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';
import { OPTIMIZERS_UNDER_TEST, label, make } from './table.js';

const SIZES = [1, 5, 33];

function grad(n: number, t: number): Float32Array {
  const g = seeded(n, 300 + t, 1);
  for (let i = 0; i < n; i++) if ((i + t) % 4 === 0) g[i] = 0; // zeros: with maximize these become -0
  return g;
}

function stepN(opt: ReturnType<typeof make>, ps: Param[], from: number, to: number): void {
  for (let t = from; t < to; t++) {
    ps.forEach((p) => p.grad.set(grad(p.size, t)));
    opt.step();
  }
}

describe.each(BACKENDS)('stateDict round trip on %s', (backend) => {
  it.each(OPTIMIZERS_UNDER_TEST.map((c) => [label(c), c] as const))('%s: stop, save (JSON), load, continue == never stopped', async (_, c) => {
    await useBackend(backend);
    const init = SIZES.map((n, i) => seeded(n, 50 + i, 1));
    // Uninterrupted: 9 steps.
    const a = init.map((v) => param(v));
    const optA = make(c, [{ params: a.slice(0, 2) }, { params: a.slice(2), lr: 0.003 }]);
    stepN(optA, a, 0, 9);
    // Interrupted after 4 steps: everything goes through JSON text.
    const b = init.map((v) => param(v));
    const optB = make(c, [{ params: b.slice(0, 2) }, { params: b.slice(2), lr: 0.003 }]);
    stepN(optB, b, 0, 4);
    const saved = JSON.stringify({ params: b.map((p) => Array.from(p.data, (x) => (Object.is(x, -0) ? '-0' : x))), opt: optB.stateDict() });
    optB.dispose();
    b.forEach((p) => p.dispose());

    const parsed = JSON.parse(saved);
    const c2 = parsed.params.map((v: Array<number | string>) => param(v.map((x) => (x === '-0' ? -0 : (x as number)))));
    const optC = make(c, [{ params: c2.slice(0, 2) }, { params: c2.slice(2), lr: 0.1 }]); // lr restored by the load
    optC.loadStateDict(parsed.opt);
    expect(optC.paramGroups[1].lr).toBe(0.003);
    stepN(optC, c2, 4, 9);
    for (let i = 0; i < a.length; i++) {
      expect(sameBits(c2[i].data, a[i].data), `param ${i}`).toBe(true);
      const sa = optA.state(a[i]), sc = optC.state(c2[i]);
      expect(Object.keys(sc).sort()).toEqual(Object.keys(sa).sort());
      for (const k of Object.keys(sa)) {
        const x = sa[k], y = sc[k];
        if (x instanceof Float32Array) expect(sameBits(y as Float32Array, x), `param ${i} ${k}`).toBe(true);
        else expect(y).toBe(x);
      }
    }
    optA.dispose();
    optC.dispose();
  });
});

describe('stateDict format and loadStateDict validation', () => {
  it('is plain JSON data: groups with options and param indices, per-param step and arrays', async () => {
    await useBackend('js');
    const w = param([1, 2, 3]), b = param([0.5]);
    const opt = new Adam([{ params: [w] }, { params: [b], lr: 0.1 }], { amsgrad: true });
    w.grad.set([1, -1, 0]);
    b.grad.set([2]);
    opt.step({ skip: [b] });
    const sd = opt.stateDict();
    expect(JSON.parse(JSON.stringify(sd))).toEqual(sd);
    expect(sd.optimizer).toBe('Adam');
    expect(sd.paramGroups).toEqual([
      { params: [0], lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, decoupledWeightDecay: false },
      { params: [1], lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, decoupledWeightDecay: false },
    ]);
    expect(sd.state[0].step).toBe(1);
    expect(sd.state[1]).toEqual({ step: 0, expAvg: [0], expAvgSq: [0], maxExpAvgSq: [0] });
    expect(sd.state[0].expAvg).toEqual(Array.from(opt.state(w).expAvg as Float32Array));
  });

  it('SGD: the momentum buffer is null until the first step; NAdam keeps muProduct; NaN/-0 survive as strings', async () => {
    await useBackend('wasm-simd');
    const w = param([1, 2]);
    const sgd = new SGD([w], { lr: 0.1, momentum: 0.9, maximize: true });
    expect(sgd.stateDict().state[0]).toEqual({ step: 0, momentumBuffer: null });
    expect(sgd.state(w).momentumBuffer).toBeNull();
    w.grad.set([0, NaN]);
    sgd.step();
    expect(sgd.stateDict().state[0]).toEqual({ step: 1, momentumBuffer: ['-0', 'NaN'] });
    const n = new NAdam([w]);
    n.step();
    expect(n.stateDict().state[0].muProduct).toBe(Math.fround(0.9 * (1 - 0.5 * Math.pow(0.96, 0.004))));
  });

  it('Rprop saved before its first step fills its step sizes with lr at the first step after loading', async () => {
    await useBackend('js');
    const w = param([1, 2]);
    const r = new Rprop([w], { lr: 0.25 });
    const sd = r.stateDict();
    const w2 = param([1, 2]);
    const r2 = new Rprop([w2], { lr: 0.5 });
    r2.loadStateDict(sd);
    w2.grad.set([1, -1]);
    r2.step();
    expect(Array.from(w2.data)).toEqual([0.75, 2.25]);
  });

  it('mismatches throw a clear error and change nothing', async () => {
    await useBackend('js');
    const w = param([1, 2, 3]);
    const opt = new Adam([w], { lr: 0.01 });
    w.grad.set([1, 2, 3]);
    opt.step();
    const good = opt.stateDict();
    const before = JSON.stringify(opt.stateDict());
    const clone = () => JSON.parse(JSON.stringify(good));
    const bad: Array<[string, any, RegExp]> = [
      ['another optimizer', { ...clone(), optimizer: 'SGD' }, /from 'SGD', not Adam/],
      ['group count', { ...clone(), paramGroups: [] }, /0 parameter groups, this optimizer 1/],
      ['param count', (() => { const s = clone(); s.paramGroups[0].params = [0, 1]; return s; })(), /has 2 parameters/],
      ['buffer size', (() => { const s = clone(); s.state[0].expAvg = [1, 2]; return s; })(), /expAvg must be an array of 3 numbers/],
      ['missing buffer', (() => { const s = clone(); delete s.state[0].expAvgSq; return s; })(), /expAvgSq must be an array/],
      ['unknown buffer', (() => { const s = clone(); s.state[0].momentumBuffer = [0, 0, 0]; return s; })(), /momentumBuffer, which Adam/],
      ['amsgrad without its buffer', (() => { const s = clone(); s.paramGroups[0].amsgrad = true; return s; })(), /maxExpAvgSq must be an array/],
      ['bad option value', (() => { const s = clone(); s.paramGroups[0].betas = [1, 0.999]; return s; })(), /paramGroups\[0\]\.betas\[0\] must be in \[0, 1\), got 1/],
      ['missing option', (() => { const s = clone(); delete s.paramGroups[0].eps; return s; })(), /has no option eps/],
      ['bad step', (() => { const s = clone(); s.state[0].step = -1; return s; })(), /step must be a whole number/],
      ['bad number', (() => { const s = clone(); s.state[0].expAvg[1] = 'x'; return s; })(), /expAvg\[1\] must be a number/],
    ];
    for (const [what, sd, msg] of bad) {
      expect(() => opt.loadStateDict(sd), what).toThrow(msg);
      expect(JSON.stringify(opt.stateDict()), what).toBe(before);
    }
    // The good one still loads.
    opt.loadStateDict(good);
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
});
