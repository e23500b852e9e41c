/**
 * registerOptimizer: a class registered under a name is what fit({ optimizer: name }) builds, with
 * the options passed through, case-insensitively; an unknown name lists the registered ones.
 */
import { describe, expect, it } from 'vitest';
import { fit, registerOptimizer, SGD } from '../../src/entry/node.js';
import type { Param } from '../../src/tensor.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { TinyLinear } from './tiny.js';

const X = { data: Float32Array.from({ length: 40 }, (_, i) => ((i * 37) % 11) / 5 - 1), shape: [20, 2] as [number, number] };
const y = Float32Array.from({ length: 20 }, (_, i) => 0.5 * X.data[2 * i] - 2 * X.data[2 * i + 1] + 0.25);

/** SGD that records how it was built (the registry must call it with the model's params and the options). */
class RecordingSGD extends SGD {
  static built: Array<{ n: number; options: Record<string, unknown> }> = [];
  constructor(params: Param[], options: Record<string, unknown> = {}) {
    super(params, options);
    RecordingSGD.built.push({ n: params.length, options });
  }
}

describe.each(BACKENDS)('registerOptimizer on %s', (backend) => {
  it('fit() builds the registered class by name (any case) with the options, and trains as the same class given directly', async () => {
    await useBackend(backend);
    registerOptimizer('RecordingSGD', RecordingSGD as any);
    RecordingSGD.built = [];
    const byName = new TinyLinear(2);
    fit(byName, X, y, { optimizer: { name: 'recordingsgd', lr: 0.05, momentum: 0.9 }, batchSize: 5, maxEpochs: 3, shuffle: false });
    expect(RecordingSGD.built).toEqual([{ n: 2, options: { lr: 0.05, momentum: 0.9 } }]);
    const direct = new TinyLinear(2);
    const opt = new SGD(direct.parameters(), { lr: 0.05, momentum: 0.9 });
    fit(direct, X, y, { optimizer: opt, batchSize: 5, maxEpochs: 3, shuffle: false });
    expect(Array.from(byName.w.data)).toEqual(Array.from(direct.w.data));
    expect(Array.from(byName.b.data)).toEqual(Array.from(direct.b.data));
    expect(byName.w.data[0]).not.toBe(0);
    opt.dispose();
  });

  it('an unknown name is a RangeError that lists the registered names, including the new one', async () => {
    await useBackend(backend);
    registerOptimizer('RecordingSGD', RecordingSGD as any);
    expect(() => fit(new TinyLinear(2), X, y, { optimizer: 'recordingsdg', maxEpochs: 1 })).toThrow(RangeError);
    expect(() => fit(new TinyLinear(2), X, y, { optimizer: 'recordingsdg', maxEpochs: 1 })).toThrow(/unknown optimizer "recordingsdg"; the names are .*recordingsgd/);
  });
});
