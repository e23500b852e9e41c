import { describe, expect, it } from 'vitest';
import { fit, fitAsync, fitDetailed } from '../../src/train/fit.js';
import { DivergenceError } from '../../src/train/errors.js';
import type { Checkpoint } from '../../src/train/checkpoint.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { TinyLinear, TinySGD, linearData } from './tiny.js';

const data = linearData(100);

describe.each(BACKENDS)('fit on %s', (backend) => {
  it('full batch is plain gradient descent: one epoch = one step from the full-data gradient', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const opt = new TinySGD(m.parameters(), { lr: 0.1 });
    // The expected step, from the gradient at w = 0, b = 0 over all rows.
    const ref = new TinyLinear(2);
    ref.lossAndGrad(data.X, data.y);
    const h = fit(m, data.X, data.y, { batchSize: 'full', maxEpochs: 1, optimizer: opt });
    expect(opt.steps).toBe(1);
    expect(h.batchLoss.length).toBe(1);
    for (let j = 0; j < 2; j++) expect(m.w.data[j]).toBeCloseTo(-0.1 * ref.w.grad[j], 6);
    expect(h.stopReason).toBe('maxEpochs');
  });

  it('stochastic (1) and mini-batch (k) take ceil(n/k) steps per epoch and converge', async () => {
    await useBackend(backend);
    for (const [bs, steps] of [[1, 100], [32, 4], [7, 15]] as const) {
      const m = new TinyLinear(2);
      const opt = new TinySGD(m.parameters(), { lr: bs === 1 ? 0.02 : 0.1, momentum: 0.5 });
      const h = fit(m, data.X, data.y, { batchSize: bs, maxEpochs: 60, optimizer: opt, seed: 3 });
      expect(opt.steps).toBe(60 * steps);
      expect(h.batchLoss.length).toBe(60 * steps);
      expect(m.w.data[0]).toBeCloseTo(2, 1);
      expect(m.w.data[1]).toBeCloseTo(-3, 1);
      expect(h.loss[59]).toBeLessThan(h.loss[0] / 100);
    }
  });

  it('shuffling is seeded: the same seed gives the same bits, another seed differs; shuffle: false is in order', async () => {
    await useBackend(backend);
    const run = (o: object) => {
      const m = new TinyLinear(2);
      fit(m, data.X, data.y, { batchSize: 8, maxEpochs: 3, optimizer: new TinySGD(m.parameters(), { lr: 0.05 }), ...o });
      return [...m.w.toArray(), ...m.b.toArray()];
    };
    expect(run({ seed: 1 })).toEqual(run({ seed: 1 }));
    expect(run({ seed: 1 })).not.toEqual(run({ seed: 2 }));
    expect(run({ shuffle: false, seed: 1 })).toEqual(run({ shuffle: false, seed: 2 }));
  });

  it("sklearn's convergence rule stops with 'converged' and says why", async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const h = fit(m, data.X, data.y, { batchSize: 'full', maxEpochs: 10000, tol: 1e-6, nIterNoChange: 5, optimizer: new TinySGD(m.parameters(), { lr: 0.2 }) });
    expect(h.stopReason).toBe('converged');
    expect(h.epochs.length).toBeLessThan(10000);
    expect(h.stopMessage).toMatch(/did not improve by tol = 0.000001 for 5 consecutive epochs/);
    // Replaying sklearn's rule over the recorded losses stops exactly at the last epoch.
    let best = Infinity, count = 0, stopAt = -1;
    h.loss.forEach((v, i) => {
      if (stopAt >= 0) return;
      count = v > best - 1e-6 ? count + 1 : 0;
      if (v < best) best = v;
      if (count > 5) stopAt = i + 1;
    });
    expect(stopAt).toBe(h.epochs.length);
  });

  it('validationSplit holds out rows (seeded) and reports valLoss and metrics every epoch', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const seen: number[] = [];
    const h = fit(m, data.X, data.y, {
      maxEpochs: 5, validationSplit: 0.2, metrics: ['mse', 'r2'], optimizer: new TinySGD(m.parameters(), { lr: 0.1 }),
      onEpochEnd: (e) => { seen.push(e.epoch); expect(e.valLoss).toBeDefined(); },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(h.batchLoss.length).toBe(5 * Math.ceil(80 / 32));
    for (const e of h.epochs) {
      expect(Number.isFinite(e.valLoss!)).toBe(true);
      expect(e.valMetrics.mse).toBeCloseTo(e.valLoss!, 5);
      expect(e.metrics.r2).toBeLessThanOrEqual(1);
    }
    expect(h.epochs[4].valMetrics.r2).toBeGreaterThan(0.9);
  });

  it('early stopping with restoreBestWeights puts back the best epoch (and stops after patience)', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    // Validation targets of the opposite sign: validation loss gets worse every epoch from the first.
    const valY = data.y.map((v) => -v);
    const weights: number[][] = [];
    const h = fit(m, data.X, data.y, {
      maxEpochs: 50, batchSize: 'full', validationData: [data.X, valY], optimizer: new TinySGD(m.parameters(), { lr: 0.05 }),
      earlyStopping: { patience: 3, restoreBestWeights: true },
      onEpochEnd: () => { weights.push([...m.w.toArray(), ...m.b.toArray()]); },
    });
    expect(h.stopReason).toBe('earlyStopping');
    expect(h.bestEpoch).toBe(1);
    expect(h.epochs.length).toBe(4);
    expect([...m.w.toArray(), ...m.b.toArray()]).toEqual(weights[0]);
    expect(weights[3]).not.toEqual(weights[0]);
  });

  it('a diverging run throws DivergenceError naming epoch and batch; the model keeps finite last-good parameters', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    let err: unknown;
    const before: number[][] = [];
    try {
      fit(m, data.X, data.y, {
        batchSize: 10, maxEpochs: 100, optimizer: new TinySGD(m.parameters(), { lr: 50 }),
        onBatchEnd: () => { before.push([...m.w.toArray(), ...m.b.toArray()]); },
      });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.message).toMatch(new RegExp(`epoch ${d.epoch}, batch ${d.batch}: the (loss|gradient) is (NaN|Infinity|-Infinity)`));
    expect(d.epoch).toBeGreaterThanOrEqual(1);
    const now = [...m.w.toArray(), ...m.b.toArray()];
    expect(now.every(Number.isFinite)).toBe(true);
    // The parameters in place are those of the last step whose loss and gradient were finite.
    expect(before.some((p) => p.every((v, i) => v === now[i])) || before.length === 0).toBe(true);
  });

  it('callbacks see every batch and epoch; returning false stops; verbose prints one line per epoch', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const batches: string[] = [];
    const lines: string[] = [];
    const h = fit(m, data.X, data.y, {
      batchSize: 25, maxEpochs: 3, verbose: true, log: (l) => lines.push(l), optimizer: new TinySGD(m.parameters(), { lr: 0.1 }),
      onBatchEnd: (b) => { batches.push(`${b.epoch}.${b.batch}`); expect(b.lr).toBe(0.1); },
    });
    expect(batches).toEqual(['1.1', '1.2', '1.3', '1.4', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '3.3', '3.4']);
    expect(lines.length).toBe(3);
    expect(lines[2]).toMatch(/^epoch 3\/3  loss \d\.\d{4}  lr 1\.00e-1  \d+ ms$/);
    const m2 = new TinyLinear(2);
    const h2 = fit(m2, data.X, data.y, { batchSize: 25, maxEpochs: 3, optimizer: new TinySGD(m2.parameters()), onBatchEnd: (b) => b.batch < 2 });
    expect(h2.stopReason).toBe('callback');
    expect(h2.batchLoss.length).toBe(2);
    expect(h.toJSON()).toMatchObject({ stopReason: 'maxEpochs' });
  });

  it('resuming from the checkpoint after epoch k gives bit-identical parameters to an uninterrupted run', async () => {
    await useBackend(backend);
    const opts = (m: TinyLinear) => ({ batchSize: 16, maxEpochs: 6, seed: 9, validationSplit: 0.2, earlyStopping: { monitor: 'loss', patience: 10 }, optimizer: new TinySGD(m.parameters(), { lr: 0.05, momentum: 0.9 }) });
    const a = new TinyLinear(2);
    const ckpts: Checkpoint[] = [];
    const ha = fit(a, data.X, data.y, { ...opts(a), onCheckpoint: (c) => ckpts.push(JSON.parse(JSON.stringify(c))) });
    expect(ckpts.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const b = new TinyLinear(2);
    const hb = fit(b, data.X, data.y, { ...opts(b), resume: ckpts[2] });
    expect([...b.w.toArray(), ...b.b.toArray()]).toEqual([...a.w.toArray(), ...a.b.toArray()]);
    expect(hb.loss).toEqual(ha.loss);
    expect(hb.batchLoss).toEqual(ha.batchLoss);
  });

  it('fitAsync yields to the event loop and stops on an AbortSignal', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const ctl = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; if (ticks === 2) ctl.abort(); }, 1);
    const h = await fitAsync(m, data.X, data.y, { batchSize: 1, maxEpochs: 100000, optimizer: new TinySGD(m.parameters(), { lr: 0.001 }), signal: ctl.signal });
    clearInterval(timer);
    expect(h.stopReason).toBe('aborted');
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(h.batchLoss.length).toBeLessThan(100000 * 100);
  });

  it('rejects bad options and data with errors naming them', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const o = { optimizer: new TinySGD(m.parameters()) };
    expect(() => fit(m, data.X, data.y, { ...o, batchSize: 0 })).toThrow(/batchSize must be 'full', 1 \(stochastic\) or a whole number/);
    expect(() => fit(m, data.X, data.y, { ...o, validationSplit: 1.5 })).toThrow(RangeError);
    expect(() => fit(m, data.X, data.y.subarray(0, 50), o)).toThrow(/y has 50 labels but X has 100 rows/);
    const bad = data.X.data.slice(); bad[2 * 7 + 1] = NaN;
    expect(() => fit(m, { data: bad, shape: [100, 2] }, data.y, o)).toThrow(/X\[7\]\[1\] \(row 7, column 1\) is NaN/);
    expect(() => fit(m, data.X, data.y, { ...o, signal: new AbortController().signal })).toThrow(/fitAsync/);
    expect(() => fit(m, data.X, data.y, { optimizer: 'nope' })).toThrow(/unknown optimizer "nope"/);
    expect(() => fit(m, data.X, data.y, { ...o, earlyStopping: { monitor: 'valLoss' } })).toThrow(/no validation data/);
    expect(() => fitDetailed(m, data.X, data.y, { ...o, clipGradNorm: -1 })).toThrow(/options\.clipGradNorm must be a finite number > 0, got -1/);
  });
});

describe('fit with the library optimizers and schedulers', () => {
  it('takes an optimizer by name with options, and steps per-epoch, per-batch and plateau schedulers as each needs', async () => {
    const { StepLR, OneCycleLR, ReduceLROnPlateau } = await import('../../src/optim/schedules.js');
    await useBackend('wasm-simd');
    const names = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'radam', 'lion', 'rprop'];
    for (const name of names) {
      const m = new TinyLinear(2);
      const lr = name === 'adadelta' ? 1 : name === 'lion' ? 0.02 : name === 'rprop' ? 0.01 : name === 'sgd' ? 0.1 : name === 'adagrad' ? 0.5 : 0.03;
      // Adadelta's default eps (1e-6) makes its first steps ~1e-3: give it a larger eps to move in 40 epochs.
      const h = fit(m, data.X, data.y, { optimizer: { name, lr, ...(name === 'adadelta' ? { eps: 1e-2 } : {}) }, batchSize: name === 'rprop' ? 'full' : 16, maxEpochs: 40, seed: 1 });
      expect(h.loss[h.loss.length - 1], name).toBeLessThan(h.loss[0] / 5);
    }
    // per epoch: StepLR halves the lr every 2 epochs
    let m = new TinyLinear(2);
    let r = fitDetailed(m, data.X, data.y, { optimizer: { name: 'sgd', lr: 0.1 }, scheduler: (o) => new StepLR(o, { stepSize: 2, gamma: 0.5 }), maxEpochs: 6 });
    expect(r.history.lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    // per batch: OneCycleLR over every optimizer step
    m = new TinyLinear(2);
    const lrs: number[] = [];
    r = fitDetailed(m, data.X, data.y, {
      optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, batchSize: 25, maxEpochs: 3,
      scheduler: (o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 12 }), onBatchEnd: (b) => { lrs.push(b.lr); },
    });
    expect(lrs.length).toBe(12);
    // The same schedule stepped by hand on a bare optimizer-like object: fit steps it once per batch.
    const fake = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
    const ref = new OneCycleLR(fake, { maxLr: 0.1, totalSteps: 12 });
    const expected: number[] = [];
    for (let i = 0; i < 12; i++) { expected.push(fake.paramGroups[0].lr); if (i < 11) ref.step(); }
    expect(lrs).toEqual(expected);
    expect(lrs[0]).toBeCloseTo(0.1 / 25, 9);
    // ReduceLROnPlateau sees the monitored value (valLoss) every epoch
    m = new TinyLinear(2);
    r = fitDetailed(m, data.X, data.y, {
      optimizer: { name: 'sgd', lr: 0.05 }, maxEpochs: 12, batchSize: 'full', validationData: [data.X, data.y.map((v) => -v)],
      scheduler: (o) => new ReduceLROnPlateau(o, { patience: 1, factor: 0.5 }),
    });
    expect(r.history.lr[r.history.lr.length - 1]).toBeLessThan(0.05);
  });

  it('clipGradNorm limits the step as torch.nn.utils.clip_grad_norm_ does', async () => {
    await useBackend('js');
    const m = new TinyLinear(2);
    const ref = new TinyLinear(2);
    ref.lossAndGrad(data.X, data.y);
    const g = [...ref.w.grad, ...ref.b.grad];
    const norm = Math.hypot(...g);
    fit(m, data.X, data.y, { optimizer: { name: 'sgd', lr: 1 }, batchSize: 'full', maxEpochs: 1, clipGradNorm: 0.5 });
    const coef = 0.5 / (norm + 1e-6);
    const after = [...m.w.toArray(), ...m.b.toArray()];
    after.forEach((v, i) => expect(v).toBeCloseTo(-coef * g[i], 5));
    expect(Math.hypot(...after)).toBeCloseTo(0.5, 4);
  });
});

describe('early stopping options (Keras semantics)', () => {
  // A scripted monitored value: a fake model whose loss on the validation rows follows a list.
  const scripted = (values: number[]) => {
    const m = new TinyLinear(2);
    let epochCalls = 0;
    const realLoss = m.loss.bind(m);
    m.loss = (X, y) => (X.shape[0] === 7 ? values[Math.min(epochCalls++, values.length - 1)] : realLoss(X, y));
    return m;
  };
  const val = { X: { data: new Float32Array(14), shape: [7, 2] as [number, number] }, y: new Float32Array(7) };
  const run = (values: number[], es: object) => {
    const m = scripted(values);
    return fit(m, data.X, data.y, { maxEpochs: values.length, batchSize: 'full', optimizer: new TinySGD(m.parameters()), validationData: [val.X, val.y], earlyStopping: es });
  };

  it('patience counts epochs without an improvement larger than minDelta', async () => {
    await useBackend('js');
    expect(run([5, 4, 3.95, 3.94, 3.93, 1], { patience: 3, minDelta: 0.1 }).epochs.length).toBe(5);
    expect(run([5, 4, 3.95, 3.94, 3.93, 1], { patience: 3, minDelta: 0 }).epochs.length).toBe(6);
    expect(run([5, 4, 4, 4, 4, 4], { patience: 2 }).epochs.length).toBe(4);
  });

  it("mode 'max' (and 'auto' for accuracy-like names) looks for increases", async () => {
    await useBackend('js');
    const h = run([0.5, 0.6, 0.55, 0.58, 0.59, 0.7], { patience: 2, mode: 'max' });
    expect(h.stopReason).toBe('earlyStopping');
    expect(h.epochs.length).toBe(4);
    expect(h.bestEpoch).toBe(2);
    expect(run([5, 6, 7, 8], { patience: 1, mode: 'min' }).epochs.length).toBe(2);
  });

  it('baseline: epochs count as no improvement until the value beats the baseline', async () => {
    await useBackend('js');
    // Improving every epoch, but never below 2: stops after patience epochs.
    expect(run([5, 4, 3, 2.5, 2.2, 2.1, 1], { patience: 3, baseline: 2 }).epochs.length).toBe(3);
    // Beats the baseline at epoch 2: then normal patience.
    expect(run([5, 1.5, 1.4, 1.45, 1.45, 1.45, 1.45], { patience: 3, baseline: 2 }).epochs.length).toBe(6);
    expect(() => run([1], { mode: 'sideways' })).toThrow(/options\.earlyStopping\.mode must be one of 'min', 'max', 'auto', got 'sideways'/);
  });
});

describe('fit TSDoc example', () => {
  it('runs as written (SoftmaxRegression({ nFeatures, nClasses }), SGD by name, validationSplit)', async () => {
    const { SoftmaxRegression, loadDigits, init } = await import('../../src/entry/node.js');
    await init();
    const { X, y } = loadDigits();
    const model = new SoftmaxRegression({ nFeatures: 64, nClasses: 10 });
    const scaled = { data: X.data.map((v) => v / 16), shape: X.shape };
    const history = fit(model, scaled, y, { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, batchSize: 32, maxEpochs: 20, validationSplit: 0.1 });
    expect(history.stopReason).toBe('maxEpochs');
    expect(history.epochs.length).toBe(20);
    expect(history.valLoss[19]).toBeLessThan(history.valLoss[0]);
  });
});
