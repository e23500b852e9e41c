import { describe, expect, it } from 'vitest';
import { lrFind, suggest } from '../../src/train/lr-find.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { TinyLinear, TinySGD, linearData } from './tiny.js';

const data = linearData(200);

describe.each(BACKENDS)('lrFind on %s', (backend) => {
  it('grows the lr exponentially, stops at divergence, restores model and optimizer, suggests an lr on the slope', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    m.w.data.set([0.5, -0.5]);
    const before = [...m.w.toArray(), ...m.b.toArray()];
    const opt = new TinySGD(m.parameters(), { lr: 0.123, momentum: 0.5 });
    const r = lrFind(m, data.X, data.y, { startLr: 1e-5, endLr: 100, numIt: 100, optimizer: opt, batchSize: 16 });
    // lr_i = start · (end/start)^(i/numIt)
    r.lrs.forEach((lr, i) => expect(lr).toBeCloseTo(1e-5 * (1e7) ** (i / 100), 12));
    expect(r.lrs.length).toBeLessThan(100); // this problem diverges before lr = 100
    const best = Math.min(...r.losses);
    expect(r.losses[r.losses.length - 1] > 4 * best || Number.isNaN(r.losses[r.losses.length - 1])).toBe(true);
    expect([...m.w.toArray(), ...m.b.toArray()]).toEqual(before);
    expect(opt.paramGroups[0].lr).toBe(0.123);
    for (const s of [r.suggestion.valley, r.suggestion.steepest]) {
      expect(s).toBeGreaterThan(1e-4);
      expect(s).toBeLessThan(2);
    }
    expect(r.suggestion.minimum).toBeCloseTo(r.lrs[r.losses.indexOf(Math.min(...r.losses.slice(10, -5)))] / 10, 12);
  });
});

describe('suggest (fastai rules)', () => {
  it('picks the steepest drop, the minimum / 10, and a point early in the longest valley', () => {
    const lrs = Array.from({ length: 40 }, (_, i) => 10 ** (-6 + i * 0.2));
    // flat, then a steep drop between indices 14 and 15, a valley down to index 28, then a rise
    const losses = lrs.map((_, i) => (i < 10 ? 2 : i < 29 ? 2 - (i - 9) * 0.1 - (i === 15 ? 0.5 : i > 15 ? 0.5 : 0) : 0.1 + (i - 28)));
    const s = suggest(lrs, losses, 40);
    expect(s.steepest).toBeCloseTo(lrs[14], 12);
    expect(s.minimum).toBeCloseTo(lrs[28] / 10, 12);
    expect(s.valley).toBeGreaterThan(lrs[9]);
    expect(s.valley).toBeLessThan(lrs[28]);
  });
});
