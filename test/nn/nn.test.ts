/** src/nn: Module, Model, Sequential and the layers, on every backend. */
import { describe, expect, it } from 'vitest';
import {
  Adam, AvgPool2d, DivergenceError, Conv2d, Dense, Dropout, Embedding, Flatten, GELU, LayerNorm, LeakyReLU, MaxPool2d, Model, Module, ReLU,
  Sequential, Sigmoid, Softmax, Softplus, Tanh, fit, loadDigits, lrFind, memoryStats, modelFromJSON, ops, param,
  type Tensor, type Target,
} from '../../src/entry/node.js';
import { getBackend } from '../../src/init.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const digits = loadDigits();
const n = 240;
const X = { data: digits.X.data.slice(0, n * 64).map((v) => v / 16), shape: [n, 64] as [number, number] };
const y = digits.y.slice(0, n);
const snapshot = (m: Module) => m.parameters().map((p) => Array.from(p.data));

/** A model that is not a stack of layers: two branches added, with its own loss (a class of the user's). */
class TwoBranch extends Model {
  readonly task = 'multiclass' as const;
  a = new Dense(64, 10, { init: 'he' });
  b = new Sequential([new Dense(64, 8), new Tanh(), new Dense(8, 10)]);
  temperature = param([1]);
  constructor(config: { seed?: number } = {}) {
    super(config);
    this.resetParameters(config.seed ?? 0);
    this.temperature.data[0] = 1;
  }
  forward(x: Tensor): Tensor {
    return ops.mul(ops.add(this.a.forward(x), this.b.forward(x)), this.temperature);
  }
  override criterion(out: Tensor, target: Target): Tensor {
    return ops.crossEntropy(out, target);
  }
}

const cnn = (seed: number) => new Sequential([
  new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Dropout(0.2), new Dense(4 * 3 * 3, 10),
], { inputShape: [1, 8, 8], seed });

describe.each(BACKENDS)('nn on %s', (backend) => {
  it('Dense computes x Wᵀ + b with torch\'s [out, in] weight and names', async () => {
    await useBackend(backend);
    const d = new Dense(3, 2, { seed: 1 });
    expect(d.namedParameters().map(([k, p]) => `${k} ${p.shape.join('×')}`)).toEqual(['weight 2×3', 'bias 2']);
    const W = d.weight.data, b = d.bias!.data, x = [0.5, -1, 2, 3, 0.25, -0.75];
    const out = d.forward(ops.tensor(x, [2, 3])).toArray();
    for (let r = 0; r < 2; r++) for (let o = 0; o < 2; o++) {
      let s = b[o];
      for (let i = 0; i < 3; i++) s += x[r * 3 + i] * W[o * 3 + i];
      expect(out[r * 2 + o]).toBeCloseTo(s, 5);
    }
    d.dispose();
  });

  it('Conv2d, pools, activations and LayerNorm match a direct computation', async () => {
    await useBackend(backend);
    const c = new Conv2d(2, 3, 3, { seed: 2, padding: 1 });
    const H = 5, x = Array.from({ length: 2 * H * H }, (_, i) => Math.sin(i));
    const out = c.forward(ops.tensor(x, [1, 2, H, H]));
    expect(out.shape).toEqual([1, 3, H, H]);
    const got = out.toArray(), w = c.weight.data, bias = c.bias!.data;
    for (let o = 0; o < 3; o++) for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) {
      let s = bias[o];
      for (let ci = 0; ci < 2; ci++) for (let ki = 0; ki < 3; ki++) for (let kj = 0; kj < 3; kj++) {
        const ii = i + ki - 1, jj = j + kj - 1;
        if (ii >= 0 && ii < H && jj >= 0 && jj < H) s += w[((o * 2 + ci) * 3 + ki) * 3 + kj] * x[(ci * H + ii) * H + jj];
      }
      expect(got[(o * H + i) * H + j]).toBeCloseTo(s, 5);
    }
    const img = ops.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 1, 4, 4]);
    expect(Array.from(new MaxPool2d(2).forward(img).toArray())).toEqual([6, 8, 14, 16]);
    expect(Array.from(new AvgPool2d(2).forward(img).toArray())).toEqual([3.5, 5.5, 11.5, 13.5]);
    const v = ops.tensor([-2, -0.5, 0, 1.5], [1, 4]);
    const close = (t: Tensor, want: number[]) => t.toArray().forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    close(new ReLU().forward(v), [0, 0, 0, 1.5]);
    close(new LeakyReLU(0.1).forward(v), [-0.2, -0.05, 0, 1.5]);
    close(new Tanh().forward(v), [-2, -0.5, 0, 1.5].map(Math.tanh));
    close(new Sigmoid().forward(v), [-2, -0.5, 0, 1.5].map((z) => 1 / (1 + Math.exp(-z))));
    close(new Softplus().forward(v), [-2, -0.5, 0, 1.5].map((z) => Math.log1p(Math.exp(z))));
    // torch.nn.GELU() (erf form) at -2, -0.5, 0, 1.5
    close(new GELU().forward(v), [-0.04550026, -0.15426877, 0, 1.39978652]);
    const e = [-2, -0.5, 0, 1.5].map(Math.exp), se = e.reduce((a, b) => a + b);
    close(new Softmax().forward(v), e.map((z) => z / se));
    const ln = new LayerNorm(4);
    const mean = -0.25, vr = [-2, -0.5, 0, 1.5].reduce((a, z) => a + (z - mean) ** 2, 0) / 4;
    close(ln.forward(v), [-2, -0.5, 0, 1.5].map((z) => (z - mean) / Math.sqrt(vr + 1e-5)));
    const emb = new Embedding(5, 2, { seed: 3 });
    expect(Array.from(emb.forward(ops.tensor([4, 0], [1, 2])).toArray())).toEqual([...emb.weight.data.slice(8, 10), ...emb.weight.data.slice(0, 2)]);
    c.dispose(); ln.dispose(); emb.dispose();
  });

  it('a Sequential names its parameters as torch\'s state_dict and checks its chain of shapes', async () => {
    await useBackend(backend);
    const net = cnn(0);
    expect(net.parameters().map((p) => `${p.name} ${p.shape.join('×')}`)).toEqual(['0.weight 4×1×3×3', '0.bias 4', '5.weight 10×36', '5.bias 10']);
    expect(net.task).toBe('multiclass');
    expect(() => new Sequential([new Conv2d(1, 4, 3), new Flatten(), new Dense(35, 10)], { inputShape: [1, 8, 8] }))
      .toThrow(/layer 2 \(Dense.*layer 1 \(Flatten\)/);
    expect(() => new Sequential([new Dense(2, 2)], { lr: 1 } as never)).toThrow(/lr/);
    expect(() => new Sequential([new Conv2d(1, 2, 3)])).toThrow(/inputShape is required/);
    net.dispose();
  });

  it('same seed, same weights; fit trains a CNN and a user class; predictions agree with predictProba', async () => {
    await useBackend(backend);
    const a = cnn(5), b = cnn(5), c = cnn(6);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(snapshot(a)).not.toEqual(snapshot(c));
    const before = a.loss(X, y);
    const h = fit(a, X, y, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 32, maxEpochs: 8, seed: 1 });
    expect(h.epochs.at(-1)!.loss).toBeLessThan(before * 0.5);
    const pred = a.predict(X) as Int32Array, proba = a.predictProba(X);
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const row = proba.subarray(i * 10, i * 10 + 10);
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
      expect(row.indexOf(Math.max(...row))).toBe(pred[i]);
      if (pred[i] === y[i]) hits++;
    }
    expect(hits / n).toBeGreaterThan(0.8);
    const t = new TwoBranch({ seed: 2 });
    expect(t.parameters().map((p) => p.name)).toEqual(['temperature', 'a.weight', 'a.bias', 'b.0.weight', 'b.0.bias', 'b.2.weight', 'b.2.bias']);
    const l0 = t.loss(X, y);
    fit(t, X, y, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 'full', maxEpochs: 40 });
    expect(t.loss(X, y)).toBeLessThan(l0 * 0.5);
    const r = lrFind(new TwoBranch({ seed: 2 }), X, y, { numIt: 30 });
    expect(r.lrs.length).toBeGreaterThan(5);
    for (const m of [a, b, c, t]) m.dispose();
  });

  it('a training step is one replayed plan: after the first batch, no allocation and bytesInUse flat', async () => {
    await useBackend(backend);
    const net = cnn(1);
    const opt = new Adam(net.parameters(), { lr: 1e-3 });
    const xb = { data: new Float32Array(X.data.slice(0, 16 * 64)), shape: [16, 64] as [number, number] }, yb = y.slice(0, 16);
    net.lossAndGrad(xb, yb);
    opt.step();
    const arena = getBackend().arena, alloc = arena.alloc.bind(arena);
    const base = memoryStats().bytesInUse;
    let allocs = 0;
    arena.alloc = (bytes: number) => { allocs++; return alloc(bytes); };
    try {
      for (let i = 0; i < 200; i++) {
        net.lossAndGrad(xb, yb);
        opt.step();
      }
    } finally {
      arena.alloc = alloc;
    }
    expect(allocs).toBe(0);
    expect(memoryStats().bytesInUse).toBe(base);
    opt.dispose?.();
    net.dispose();
  });

  it('Dropout is seeded, on in training and off in eval; a checkpoint resumes bit for bit', async () => {
    await useBackend(backend);
    const d = new Dropout(0.5, { seed: 4 }), d2 = new Dropout(0.5, { seed: 4 });
    const ones = ops.tensor(new Float32Array(64).fill(1), [1, 64]);
    const m1 = Array.from(d.forward(ones).toArray()), m2 = Array.from(d2.forward(ones).toArray());
    expect(m1).toEqual(m2);
    expect(new Set(m1)).toEqual(new Set([0, 2]));
    expect(Array.from(d.forward(ones).toArray())).not.toEqual(m1); // a new mask per call
    d.eval();
    expect(Array.from(d.forward(ones).toArray())).toEqual(Array(64).fill(1));

    const make = () => {
      const model = cnn(3);
      return { model, optimizer: new Adam(model.parameters(), { lr: 3e-3 }) };
    };
    const opts = { maxEpochs: 4, batchSize: 32, seed: 11 };
    const a = make(), saved: string[] = [];
    const ha = fit(a.model, X, y, { ...opts, optimizer: a.optimizer, onCheckpoint: (c) => saved.push(JSON.stringify(c)) });
    const b = make();
    const hb = fit(b.model, X, y, { ...opts, optimizer: b.optimizer, resume: JSON.parse(saved[1]) });
    expect(snapshot(b.model)).toEqual(snapshot(a.model));
    expect(hb.batchLoss).toEqual(ha.batchLoss);
    a.model.dispose(); b.model.dispose();
  });

  it('fit in every mode: batches of 1 and k, early stopping, callbacks; divergence rolls back to finite parameters', async () => {
    await useBackend(backend);
    const small = { data: X.data.slice(0, 40 * 64), shape: [40, 64] as [number, number] }, ys = y.slice(0, 40);
    const one = cnn(2);
    const h1 = fit(one, small, ys, { optimizer: { name: 'sgd', lr: 0.01 }, batchSize: 1, maxEpochs: 1, seed: 0 });
    expect(h1.batchLoss.length).toBe(40);
    const es = cnn(2), seen: number[] = [];
    const h2 = fit(es, X, y, {
      optimizer: { name: 'adam', lr: 0.01 }, batchSize: 64, maxEpochs: 50, seed: 0, validationSplit: 0.25,
      earlyStopping: { patience: 1, minDelta: 10 }, onEpochEnd: (e) => { seen.push(e.epoch); },
    });
    expect(h2.stopReason).toBe('earlyStopping');
    expect(seen.length).toBe(h2.epochs.length);
    const cb = cnn(2);
    const h3 = fit(cb, X, y, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 64, maxEpochs: 50, onEpochEnd: (e) => e.epoch < 2 });
    expect(h3.stopReason).toBe('callback');
    expect(h3.epochs.length).toBe(2);
    const div = new Sequential([new Dense(64, 32), new ReLU(), new Dense(32, 1)], { loss: 'mse', seed: 0 });
    const big = Float32Array.from(y, (v) => v * 1e6);
    let err: unknown;
    try {
      fit(div, X, big, { optimizer: { name: 'sgd', lr: 1e6 }, batchSize: 16, maxEpochs: 5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    for (const p of div.parameters()) expect(p.data.every(Number.isFinite)).toBe(true);
    for (const m of [one, es, cb, div]) m.dispose();
  });

  it('toJSON / modelFromJSON / fromJSON round trip; a bad JSON is refused and nothing leaks', async () => {
    await useBackend(backend);
    const net = cnn(7);
    const json = JSON.parse(JSON.stringify(net.toJSON()));
    const copy = modelFromJSON(json) as Sequential;
    expect(snapshot(copy)).toEqual(snapshot(net));
    expect(Array.from(copy.predict(X))).toEqual(Array.from(net.predict(X)));
    const t = new TwoBranch({ seed: 9 });
    const t2 = TwoBranch.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
    expect(snapshot(t2)).toEqual(snapshot(t));
    const base = memoryStats().bytesInUse;
    const bad = { ...json, params: { ...json.params, '0.weight': [1, 2] } };
    expect(() => modelFromJSON(bad)).toThrow(/0\.weight/);
    expect(() => modelFromJSON({ ...json, params: { ...json.params, nope: [1] } })).toThrow(/nope/);
    expect(memoryStats().bytesInUse).toBe(base);
    for (const m of [net, copy, t, t2]) m.dispose();
  });

  it('bad data is refused with the argument named', async () => {
    await useBackend(backend);
    const net = cnn(0);
    expect(() => net.lossAndGrad({ data: new Float32Array(63), shape: [1, 63] }, [1])).toThrow(/X/);
    expect(() => net.lossAndGrad({ data: new Float32Array(64), shape: [1, 64] }, [10])).toThrow(/y/);
    const nanX = new Float32Array(64); nanX[5] = NaN;
    expect(() => net.loss({ data: nanX, shape: [1, 64] }, [1])).toThrow(/NaN/);
    expect(() => new Dense(0, 2)).toThrow(RangeError);
    expect(() => new Dropout(1.5)).toThrow(/p/);
    net.dispose();
    expect(() => net.predict(X)).toThrow(/disposed/);
  });
});
