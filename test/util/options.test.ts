import { describe, expect, it } from 'vitest';
import { checkOptions, checkValue, suggestName, type Rules } from '../../src/util/options.js';

const FIT_LIKE: Rules = {
  batchSize: { kind: 'anyOf', rules: [{ kind: 'enum', values: ['full'] }, { kind: 'number', integer: true, min: 1 }], want: "'full' or a whole number >= 1" },
  maxEpochs: { kind: 'number', integer: true, min: 0 },
  lr: { kind: 'number', min: 0, fix: 'Pass a learning rate such as 1e-3.' },
  shuffle: { kind: 'boolean' },
  mode: { kind: 'enum', values: ['min', 'max', 'auto'] },
  onEpochEnd: { kind: 'function' },
  validationSplit: { kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true },
  earlyStopping: { kind: 'object', rules: { patience: { kind: 'number', integer: true, min: 0 }, monitor: { kind: 'string' } } },
  betas: { kind: 'pair', items: [{ kind: 'number', min: 0, max: 1, maxOpen: true }, { kind: 'number', min: 0, max: 1, maxOpen: true }], check: (a, b) => (a <= b ? null : 'must be increasing') },
  metrics: { kind: 'array', item: { kind: 'enum', values: ['accuracy', 'f1'] } },
  seed: { kind: 'number', integer: true },
};

const check = (o: unknown) => checkOptions('fit', o as object, FIT_LIKE);

describe('checkOptions', () => {
  it('accepts undefined and valid options, returning them', () => {
    expect(check(undefined)).toEqual({});
    const o = { batchSize: 'full', maxEpochs: 0, shuffle: false, earlyStopping: { patience: 2 }, betas: [0.1, 0.2], metrics: ['f1'] };
    expect(check(o)).toBe(o);
    expect(check({ batchSize: 8, seed: -3 })).toEqual({ batchSize: 8, seed: -3 });
  });

  it('refuses a non-object', () => {
    for (const bad of [null, 5, 'fast', [1], true]) expect(() => check(bad)).toThrow(TypeError);
    expect(() => check(null)).toThrow(/^fit: options must be an object such as \{ batchSize: … \}, got null\.$/);
    expect(() => check([1])).toThrow(/got \[1\]/);
  });

  it('refuses unknown names, listing the valid ones and suggesting the closest', () => {
    expect(() => check({ batch_size: 8 })).toThrow(TypeError);
    expect(() => check({ batch_size: 8 })).toThrow(/^fit: unknown option options\.batch_size\. Did you mean batchSize\? The options are: batchSize, maxEpochs, lr,/);
    expect(() => check({ epochs: 8 })).toThrow(/Did you mean maxEpochs\?/);
    expect(() => check({ learningRate: 0.1 })).toThrow(/Did you mean lr\?/);
    expect(() => check({ learning_rate: 0.1 })).toThrow(/Did you mean lr\?/);
    expect(() => check({ 'validation-split': 0.1 })).toThrow(/Did you mean validationSplit\?/);
    expect(() => check({ SHUFFLE: true })).toThrow(/Did you mean shuffle\?/);
    expect(() => check({ zzzz: 1 })).not.toThrow(/Did you mean/);
    expect(() => check({ zzzz: 1 })).toThrow(/unknown option options\.zzzz\. The options are/);
  });

  it('checks nested options recursively with the path', () => {
    expect(() => check({ earlyStopping: { patiense: 2 } })).toThrow(/^fit: unknown option options\.earlyStopping\.patiense\. Did you mean patience\? The options of options\.earlyStopping are: patience, monitor\.$/);
    expect(() => check({ earlyStopping: { patience: -1 } })).toThrow(/^fit: options\.earlyStopping\.patience must be a whole number >= 0, got -1\.$/);
    expect(() => check({ earlyStopping: 5 })).toThrow(/^fit: options\.earlyStopping must be an object such as \{ patience: … \}, got 5\.$/);
  });

  it('number rules: type, NaN, bounds, integer, finiteness; the value shown as passed', () => {
    expect(() => check({ lr: '0.1' })).toThrow(TypeError);
    expect(() => check({ lr: '0.1' })).toThrow(/^fit: options\.lr must be a number, got '0\.1'\. Pass a learning rate such as 1e-3\.$/);
    expect(() => check({ lr: -1 })).toThrow(RangeError);
    expect(() => check({ lr: -1 })).toThrow(/options\.lr must be a finite number >= 0, got -1\./);
    expect(() => check({ lr: NaN })).toThrow(RangeError);
    expect(() => check({ lr: Infinity })).toThrow(/got Infinity/);
    expect(() => check({ seed: 1.5 })).toThrow(/^fit: options\.seed must be a whole number, got 1\.5\.$/);
    expect(() => check({ maxEpochs: '10' })).toThrow(/options\.maxEpochs must be a whole number, got '10'/);
    expect(() => check({ validationSplit: 1 })).toThrow(/options\.validationSplit must be in \(0, 1\), got 1\./);
    expect(() => check({ validationSplit: 0 })).toThrow(RangeError);
  });

  it('boolean rules refuse truthy and falsy stand-ins', () => {
    for (const v of ['no', 'false', 0, 1, null]) expect(() => check({ shuffle: v })).toThrow(TypeError);
    expect(() => check({ shuffle: 'no' })).toThrow(/^fit: options\.shuffle must be true or false, got 'no'\.$/);
  });

  it('enum rules suggest the closest value', () => {
    expect(() => check({ mode: 'mx' })).toThrow(RangeError);
    expect(() => check({ mode: 'mx' })).toThrow(/options\.mode must be one of 'min', 'max', 'auto', got 'mx'\. Did you mean 'max'\?/);
    expect(() => check({ mode: 1 })).toThrow(TypeError);
  });

  it('function, pair, array and anyOf rules', () => {
    expect(() => check({ onEpochEnd: 5 })).toThrow(/^fit: options\.onEpochEnd must be a function, got 5\.$/);
    expect(() => check({ betas: [0.9] })).toThrow(/options\.betas must be an array of two numbers, got \[0\.9\]/);
    expect(() => check({ betas: [0.9, 1] })).toThrow(/options\.betas\[1\] must be in \[0, 1\), got 1\./);
    expect(() => check({ betas: [0.5, 0.1] })).toThrow(/options\.betas must be increasing, got \[0\.5, 0\.1\]/);
    expect(() => check({ metrics: 'accuracy' })).toThrow(TypeError);
    expect(() => check({ metrics: ['acc'] })).toThrow(/options\.metrics\[0\] must be one of 'accuracy', 'f1', got 'acc'\. Did you mean 'accuracy'\?/);
    expect(() => check({ batchSize: 0 })).toThrow(RangeError);
    expect(() => check({ batchSize: 0 })).toThrow(/options\.batchSize must be 'full' or a whole number >= 1, got 0\./);
    expect(() => check({ batchSize: 'all' })).toThrow(RangeError);
    expect(() => check({ batchSize: true })).toThrow(TypeError);
    expect(() => check({ batchSize: 2.5 })).toThrow(RangeError);
  });

  it('required values and custom tests', () => {
    expect(() => checkValue('M', 'options.nFeatures', undefined, { kind: 'number', integer: true, min: 1, required: true, fix: 'Pass the number of columns.' }))
      .toThrow(/^M: options\.nFeatures must be a whole number >= 1, got undefined\. Pass the number of columns\.$/);
    const signal = { kind: 'custom' as const, want: 'an AbortSignal', test: (v: unknown) => typeof v === 'object' && v !== null && 'aborted' in v };
    expect(() => checkValue('f', 'options.signal', 5, signal)).toThrow(/options\.signal must be an AbortSignal, got 5\./);
    const even = { kind: 'custom' as const, want: 'an even number', test: (v: unknown) => (typeof v !== 'number' ? false : v % 2 === 0 || 'must be even') };
    expect(() => checkValue('f', 'x', 3, even)).toThrow(RangeError);
    expect(() => checkValue('f', 'x', '3', even)).toThrow(TypeError);
  });
});

describe('suggestName', () => {
  const names = ['batchSize', 'maxEpochs', 'lr', 'momentum', 'patience', 'nFeatures', 'nClasses'];
  it.each([
    ['batch_size', 'batchSize'],
    ['BatchSize', 'batchSize'],
    ['epochs', 'maxEpochs'],
    ['learningRate', 'lr'],
    ['patiense', 'patience'],
    ['patinece', 'patience'],
    ['mom', 'momentum'],
    ['numClasses', 'nClasses'],
    ['num_features', 'nFeatures'],
    ['qqqq', undefined],
  ])('%s → %s', (name, want) => {
    expect(suggestName(name, names)).toBe(want);
  });
});

describe('checkOptions refuses built-in objects whose entries are not properties', () => {
  it('a Map of options would read as empty: refused', () => {
    expect(() => checkOptions('fit', new Map([['maxEpochs', 5]]) as unknown as object, { maxEpochs: { kind: 'number' } })).toThrow(/^fit: options must be an object such as \{ maxEpochs: … \}, got a Map\.$/);
    expect(() => checkOptions('fit', new Float32Array(2) as unknown as object, {})).toThrow(TypeError);
    expect(() => checkOptions('fit', new Date() as unknown as object, {})).toThrow(TypeError);
  });
});
