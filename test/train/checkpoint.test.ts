import { describe, expect, it } from 'vitest';
import { Adam, CosineAnnealingLR, MLP, fit, fitDetailed, loadCheckpoint, loadDigits, saveCheckpoint, type Checkpoint } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const digits = loadDigits();
const n = 300;
const X = { data: digits.X.data.slice(0, n * 64).map((v) => v / 16), shape: [n, 64] as [number, number] };
const y = digits.y.slice(0, n);
const snapshot = (m: MLP) => m.parameters().map((p) => Array.from(p.data));

describe.each(BACKENDS)('checkpoints on %s', (backend) => {
  const make = () => {
    const model = new MLP({ layers: [64, 16, 10], seed: 3 });
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
    const scheduler = new CosineAnnealingLR(optimizer, { TMax: 6 });
    return { model, optimizer, scheduler };
  };
  const options = (o: ReturnType<typeof make>) => ({ optimizer: o.optimizer, scheduler: o.scheduler, maxEpochs: 6, batchSize: 32, seed: 11, validationSplit: 0.2, metrics: ['accuracy' as const] });

  it('resuming after epoch k (model, Adam, cosine schedule, PRNG, epoch) is bit-identical to never stopping', async () => {
    await useBackend(backend);
    const a = make();
    const saved: string[] = [];
    const ha = fit(a.model, X, y, { ...options(a), onCheckpoint: (c) => saved.push(JSON.stringify(c)) });
    for (const k of [1, 3, 5]) {
      const b = make();
      const hb = fit(b.model, X, y, { ...options(b), resume: JSON.parse(saved[k - 1]) });
      expect(snapshot(b.model)).toEqual(snapshot(a.model));
      expect(hb.batchLoss).toEqual(ha.batchLoss);
      expect(hb.lr).toEqual(ha.lr);
      expect(b.optimizer.stateDict()).toEqual(a.optimizer.stateDict());
    }
  });

  it('a malformed, truncated or mismatched checkpoint is refused with a clear error and changes nothing', async () => {
    await useBackend(backend);
    const a = make();
    fitDetailed(a.model, X, y, { ...options(a), maxEpochs: 2 });
    const good = saveCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, prng: [1, 2, 3, 4], epoch: 2 });
    const text = JSON.stringify(good);

    const target = make();
    fitDetailed(target.model, X, y, { ...options(target), maxEpochs: 1, seed: 99 });
    const before = { params: snapshot(target.model), opt: target.optimizer.stateDict(), sched: target.scheduler.stateDict() };
    const unchanged = () => {
      expect(snapshot(target.model)).toEqual(before.params);
      expect(target.optimizer.stateDict()).toEqual(before.opt);
      expect(target.scheduler.stateDict()).toEqual(before.sched);
    };
    const into = { model: target.model, optimizer: target.optimizer, scheduler: target.scheduler };
    const cases: [string, unknown, RegExp][] = [
      ['truncated JSON text', text.slice(0, text.length >> 1), /not valid JSON.*truncated/],
      ['not a checkpoint', { hello: 1 }, /not a descent checkpoint/],
      ['another version', { ...good, version: 99 }, /version 99 is not supported/],
      ['a truncated parameter', { ...good, params: good.params.map((p, i) => (i === 1 ? { ...p, data: p.data.slice(0, 8) } : p)) }, /params\[1\] .*(truncated|holds)/],
      ['corrupted base64', { ...good, params: good.params.map((p, i) => (i === 0 ? { ...p, data: '@@@@' + p.data.slice(4) } : p)) }, /not valid base64/],
      ['a model of another shape', saveCheckpoint({ model: new MLP({ layers: [64, 8, 10], seed: 1 }), optimizer: target.optimizer, prng: [1, 2, 3, 4], epoch: 1 }), /size .* in the checkpoint but .* in the model/],
      ['optimizer state for other parameters', { ...good, optimizer: { ...(good.optimizer as object), paramGroups: [] } }, /parameter groups|state/],
      ['no scheduler state', { ...good, scheduler: null }, /no scheduler state/],
      ['a missing PRNG', { ...good, prng: [1] }, /prng must be four uint32 words/],
    ];
    for (const [what, ckpt, msg] of cases) {
      expect(() => loadCheckpoint(ckpt, into), what).toThrow(msg);
      unchanged();
    }
    // And the good one loads.
    loadCheckpoint(text, into);
    expect(snapshot(target.model)).toEqual(snapshot(a.model));
  });
});

it('a checkpoint is plain JSON: it survives a JSON round trip exactly', async () => {
  await useBackend('wasm-simd');
  const model = new MLP({ layers: [64, 4, 10], seed: 2 });
  const optimizer = new Adam(model.parameters());
  const c: Checkpoint = saveCheckpoint({ model, optimizer, prng: [5, 6, 7, 8], epoch: 0 });
  expect(JSON.parse(JSON.stringify(c))).toEqual(c);
});
