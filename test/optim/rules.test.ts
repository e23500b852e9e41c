/**
 * Update rules without a torch vector in ../shared/conformance: Lion (against hand-derived steps
 * from the paper's Algorithm 2), Rprop (torch 1.13's rule, derived by hand in float64), gradient
 * clipping (torch's clip_grad_norm_ / clip_grad_value_ arithmetic) and parameter averaging; plus
 * lr/momentum/betas changes between steps (what the LR schedulers do) and the schedulers driving
 * these optimizers.
 */
import { describe, expect, it } from 'vitest';
import { param } from '../../src/entry/node.js';
import { Adam, Lion, Rprop, SGD, averaged, clipGradNorm, clipGradValue } from '../../src/optim/index.js';
import { CyclicLR, StepLR } from '../../src/optim/schedules.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';

const close = (x: ArrayLike<number>, ref: ArrayLike<number>, what: string) => {
  expect(x.length).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(x[i] - ref[i]), `${what}[${i}]: ${x[i]} vs ${ref[i]}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(ref[i]));
  }
};

describe.each(BACKENDS)('Lion against its paper (Chen et al. 2023, Algorithm 2) on %s', (backend) => {
  it.each([
    { lr: 0.01, weightDecay: 0, maximize: false, betas: [0.9, 0.99] as [number, number] },
    { lr: 0.003, weightDecay: 0.5, maximize: true, betas: [0.8, 0.95] as [number, number] },
  ])('%o: 12 steps match the float64 rule; coordinates with sign(c) = 0 stay put', async (o) => {
    await useBackend(backend);
    const x0 = [0.5, -1.25, 2, 0, 3.5, -0.75, 1];
    const p = param(x0);
    const opt = new Lion([p], o);
    // Hand derivation, float64: θ ← θ − η(sign(c) + λθ), c = β₁m + (1−β₁)g, m ← β₂m + (1−β₂)g.
    const th = x0.slice(), m = new Array(x0.length).fill(0);
    const [b1, b2] = o.betas;
    for (let t = 1; t <= 12; t++) {
      const g = x0.map((_, i) => (i === 3 ? 0 : Math.sin(3 * t + i) * (1 + i)));
      p.grad.set(g);
      opt.step();
      for (let i = 0; i < th.length; i++) {
        const gi = o.maximize ? -g[i] : g[i];
        const c = b1 * m[i] + (1 - b1) * gi;
        th[i] = th[i] - o.lr * (Math.sign(c) + o.weightDecay * th[i]);
        m[i] = b2 * m[i] + (1 - b2) * gi;
      }
      close(p.data, th, `step ${t} θ`);
      close(opt.state(p).expAvg as Float32Array, m, `step ${t} m`);
    }
    // Coordinate 3 has g = 0 always: c = 0, so it never moves unless decayed.
    expect(p.data[3]).toBe(0);
    opt.dispose();
    p.dispose();
  });
});

describe.each(BACKENDS)('Rprop against torch 1.13 rule derived by hand on %s', (backend) => {
  it('10 steps with sign changes, clamping at both step-size bounds and maximize', async () => {
    await useBackend(backend);
    const x0 = [1, -2, 0.5, 3, -0.25];
    for (const o of [{ lr: 0.1, etas: [0.5, 1.2] as [number, number], stepSizes: [0.02, 0.15] as [number, number], maximize: false },
                     { lr: 0.05, etas: [0.3, 1.5] as [number, number], stepSizes: [1e-6, 50] as [number, number], maximize: true }]) {
      const p = param(x0);
      const opt = new Rprop([p], o);
      const x = x0.slice(), prev = new Array(5).fill(0), s = new Array(5).fill(o.lr);
      for (let t = 1; t <= 10; t++) {
        const g = [(-1) ** t, 0.3, t % 3 === 0 ? -0.2 : 0.2, t < 5 ? 0 : 1, -(t % 2) * 0.7];
        p.grad.set(g);
        opt.step();
        for (let i = 0; i < 5; i++) {
          let gi = o.maximize ? -g[i] : g[i];
          const q = gi * prev[i];
          const eta = q > 0 ? o.etas[1] : q < 0 ? o.etas[0] : 1;
          s[i] = Math.min(Math.max(s[i] * eta, o.stepSizes[0]), o.stepSizes[1]);
          if (q < 0) gi = 0;
          x[i] -= Math.sign(gi) * s[i];
          prev[i] = gi;
        }
        close(p.data, x, `${JSON.stringify(o)} step ${t} x`);
        close(opt.state(p).stepSize as Float32Array, s, `step ${t} stepSize`);
        close(opt.state(p).prev as Float32Array, prev, `step ${t} prev`);
      }
      opt.dispose();
      p.dispose();
    }
  });
});

describe.each(BACKENDS)('gradient clipping on %s', (backend) => {
  it('clipGradNorm: total L2 norm over all gradients, torch coefficient, returns the norm', async () => {
    await useBackend(backend);
    const a = param([0, 0]), b = param([0, 0, 0]);
    a.grad.set([3, 4]);
    b.grad.set([0, 12, 0]);
    const total = clipGradNorm([a, b], 6.5);
    expect(total).toBe(13);
    const coef = Math.fround(Math.fround(1 / Math.fround(13 + Math.fround(1e-6))) * 6.5);
    expect(Array.from(a.grad)).toEqual([Math.fround(3 * coef), Math.fround(4 * coef)]);
    expect(b.grad[1]).toBe(Math.fround(12 * coef));
    // Below the limit: coefficient clamped to 1, gradients unchanged.
    expect(clipGradNorm([a, b], 100)).toBeCloseTo(6.5, 5);
    expect(b.grad[1]).toBe(Math.fround(12 * coef));
  });

  it('clipGradNorm with normType Infinity and on large seeded gradients: same bits on every backend', async () => {
    await useBackend(backend);
    const a = param.zeros(1031), b = param.zeros(7);
    a.grad.set(seeded(1031, 5));
    b.grad.set(seeded(7, 6));
    b.grad[3] = -250;
    expect(clipGradNorm([a, b], 10, { normType: Infinity })).toBe(250);
    expect(b.grad[3]).toBe(Math.fround(-250 * Math.fround(Math.fround(1 / Math.fround(250 + Math.fround(1e-6))) * 10)));
    a.grad.set(seeded(1031, 5));
    const total = clipGradNorm(a, 1);
    let s = 0;
    for (const g of seeded(1031, 5)) s += g * g;
    expect(Math.abs(total - Math.sqrt(s))).toBeLessThan(1e-5 * Math.sqrt(s));
    let s2 = 0;
    for (const g of a.grad) s2 += g * g;
    expect(Math.sqrt(s2)).toBeCloseTo(1, 5);
    bits.push(a.grad.slice());
  });

  it('clipGradNorm: non-finite norms and bad arguments', async () => {
    await useBackend(backend);
    const a = param([0, 0]);
    a.grad.set([Infinity, 1]);
    expect(() => clipGradNorm([a], 1, { errorIfNonfinite: true })).toThrow(/total norm of the gradients is Infinity/);
    expect(a.grad[1]).toBe(1); // unchanged
    expect(() => clipGradNorm([a], -1)).toThrow(/maxNorm must be a finite number >= 0, got -1/);
    expect(() => clipGradNorm([a], 1, { normType: 1 as 2 })).toThrow(/normType must be 2 or Infinity, got 1/);
    expect(() => clipGradNorm([a], 1, { norm: 2 } as never)).toThrow(/unknown option options\.norm\. Did you mean normType\?/);
    expect(() => clipGradValue([a], NaN)).toThrow(RangeError);
  });

  it('clipGradValue clamps every element to [-v, v]', async () => {
    await useBackend(backend);
    const a = param.zeros(21);
    const g = seeded(21, 9, 3);
    a.grad.set(g);
    clipGradValue([a], 0.5);
    expect(Array.from(a.grad)).toEqual(Array.from(g, (x) => Math.min(Math.max(x, -0.5), 0.5)));
  });
});
const bits: Float32Array[] = [];
describe('clipGradNorm bits', () => {
  it('the 1031-element case gave the same bits on every backend', () => {
    expect(bits.length).toBe(3);
    expect(sameBits(bits[1], bits[0])).toBe(true);
    expect(sameBits(bits[2], bits[0])).toBe(true);
  });
});

describe.each(BACKENDS)('averaged() on %s', (backend) => {
  it('running mean (ASGD/SWA): the first update copies, then the exact mean of the updates; start skips', async () => {
    await useBackend(backend);
    const w = param([0, 10]);
    const opt = new SGD([w], { lr: 1 });
    const avg = averaged(opt, { start: 1 });
    const seen: number[][] = [];
    for (const g of [[1, 1], [2, -2], [-4, 0.5], [0.25, 3]]) {
      w.grad.set(g);
      opt.step();
      avg.update();
      seen.push(Array.from(w.data));
    }
    expect(avg.count).toBe(3); // the first update was skipped (start: 1)
    const mean = [0, 1].map((i) => (seen[1][i] + seen[2][i] + seen[3][i]) / 3);
    close(avg.average(w), mean, 'mean');
    // swap exchanges values with the averages, and back.
    const before = w.data.slice();
    avg.swap();
    close(w.data, mean, 'swapped in');
    avg.swap();
    expect(sameBits(w.data, before)).toBe(true);
    avg.dispose();
    opt.dispose();
  });

  it('EMA: avg = decay·avg + (1 − decay)·p after a first copy; state dict round trip', async () => {
    await useBackend(backend);
    const w = param([1, -1, 4]);
    const avg = averaged([w], { decay: 0.9 });
    const ref = [0, 0, 0];
    for (let t = 0; t < 6; t++) {
      w.data.set([1 + t, -1 - 2 * t, 4 - t * t]);
      avg.update();
      for (let i = 0; i < 3; i++) ref[i] = t === 0 ? w.data[i] : 0.9 * ref[i] + 0.1 * w.data[i];
    }
    close(avg.average(w), ref, 'ema');
    const sd = JSON.parse(JSON.stringify(avg.stateDict()));
    const avg2 = averaged([w], { decay: 0.9 });
    avg2.loadStateDict(sd);
    expect(sameBits(avg2.average(w), avg.average(w))).toBe(true);
    expect(avg2.count).toBe(6);
    expect(() => averaged([w], { decay: 0.5 }).loadStateDict(sd)).toThrow(/decay 0.9/);
    expect(() => averaged([w], { decay: 1 })).toThrow(/decay must be in \[0, 1\), got 1/);
    expect(() => averaged([])).toThrow(/no parameters/);
  });
});

describe.each(BACKENDS)('options changed between steps take effect at the next step (as schedulers do) on %s', (backend) => {
  it('group.lr, group.momentum and group.betas are read at every step', async () => {
    await useBackend(backend);
    const w = param([1]);
    const opt = new SGD([w], { lr: 0.5 });
    w.grad[0] = 1;
    opt.step();
    expect(w.data[0]).toBe(0.5);
    opt.paramGroups[0].lr = 0.25;
    opt.step();
    expect(w.data[0]).toBe(0.25);
    opt.lr = 0.125;
    expect(opt.lr).toBe(0.125);
    opt.step();
    expect(w.data[0]).toBe(0.125);
    // Momentum turned on later: the buffer is made then, and its first step is torch's (buf = g).
    opt.paramGroups[0].momentum = 0.5;
    opt.step();
    expect(w.data[0]).toBe(0);
    expect(Array.from(opt.state(w).momentumBuffer as Float32Array)).toEqual([1]);
    opt.step(); // buf = 0.5·1 + 1 = 1.5
    expect(w.data[0]).toBe(-0.1875);

    const a = param([0]);
    const adam = new Adam([a], { lr: 0.1, betas: [0.9, 0.999] });
    a.grad[0] = 1;
    adam.step();
    adam.paramGroups[0].betas[0] = 0.5; // what OneCycleLR does with cycleMomentum
    adam.step();
    expect((adam.state(a).expAvg as Float32Array)[0]).toBeCloseTo(0.5 * 0.1 + 0.5 * 1, 6);
  });

  it('StepLR and CyclicLR (cycling momentum) drive SGD through paramGroups', async () => {
    await useBackend(backend);
    const w = param([0]);
    const opt = new SGD([w], { lr: 1, momentum: 0.9 });
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const lrs: number[] = [];
    for (let e = 0; e < 5; e++) {
      lrs.push(opt.paramGroups[0].lr);
      w.grad[0] = 1;
      opt.step();
      sched.step();
    }
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const w2 = param([0]);
    const sgd = new SGD([w2], { lr: 0.1, momentum: 0.9 });
    const cyc = new CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, baseMomentum: 0.8, maxMomentum: 0.9 });
    const moms: number[] = [];
    for (let i = 0; i < 4; i++) {
      moms.push(sgd.paramGroups[0].momentum);
      w2.grad[0] = 1;
      sgd.step();
      cyc.step();
    }
    expect(moms[0]).toBeCloseTo(0.9, 12);
    expect(moms[2]).toBeCloseTo(0.8, 12);
  });
});

describe.each(BACKENDS)('Adam shares its bias corrections between the parameters of a step, and only those, on %s', (backend) => {
  it('Adams with betas differing in one of the two, stepped in turn with one whose step count differs, give the bits of each stepped alone', async () => {
    await useBackend(backend);
    const x0 = [0.5, -1.25, 2, 0, 3.5, -0.75, 1];
    const grads = Array.from({ length: 9 }, (_, k) => x0.map((v, i) => Math.sin(3 * k + i) + 0.1 * v));
    const B = (b1: number, b2: number) => [b1, b2] as [number, number];
    // in lockstep (the same step count), each after the previous: betas differing in β₁ only (0 → 1),
    // then in β₂ only (1 → 2)
    const configs = [{ lr: 0.01, betas: B(0.9, 0.999) }, { lr: 0.02, betas: B(0.8, 0.999) }, { lr: 0.01, betas: B(0.8, 0.99) }];
    // and one with the first one's betas that starts two steps later (its step count differs)
    const late = { lr: 0.01, betas: B(0.9, 0.999), amsgrad: true };
    const make = (c: object) => {
      const ps = [param(x0), param(x0)];
      return { ps, opt: new Adam(ps, c) };
    };
    const feed = (o: ReturnType<typeof make>, k: number) => {
      for (const p of o.ps) p.grad.set(grads[k]);
      o.opt.step();
    };
    const bits = (o: ReturnType<typeof make>) => o.ps.flatMap((p) => Array.from(p.data));
    const free = (os: ReturnType<typeof make>[]) => os.forEach((o) => { o.opt.dispose(); o.ps.forEach((p) => p.dispose()); });
    const alone = [...configs, late].map((c) => make(c));
    const together = [...configs, late].map((c) => make(c));
    try {
      for (const o of alone.slice(0, 3)) for (let k = 0; k < grads.length; k++) feed(o, k);
      for (let k = 0; k < grads.length - 2; k++) feed(alone[3], k);
      for (let k = 0; k < grads.length; k++) {
        for (const o of together.slice(0, 3)) feed(o, k);
        if (k >= 2) feed(together[3], k - 2);
      }
      for (let i = 0; i < 4; i++) expect(sameBits(bits(together[i]), bits(alone[i])), `optimizer ${i}`).toBe(true);
    } finally {
      free(alone);
      free(together);
    }
  });
});
