/**
 * The optimizer conformance handlers against the PyTorch vectors in ../shared/conformance
 * (optim_*.json and objective.json), on every backend, and on doctored cases they must fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectiveHandler, optimHandler } from '../../src/conformance/optim.js';
import type { ConformanceContext } from '../../src/conformance/types.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const SHARED = '../shared/conformance';
const ctx: ConformanceContext = {
  readText: (rel) => readFileSync(join(SHARED, rel), 'utf8'),
  backends: BACKENDS,
  useBackend,
};
const load = (f: string) => JSON.parse(readFileSync(join(SHARED, f), 'utf8'));
const OPTIM_FILES = readdirSync(SHARED).filter((f) => optimHandler.matches(f)).sort();

describe('optimizer conformance against torch 1.13', () => {
  it('finds the nine optim_*.json files', () => {
    expect(OPTIM_FILES.length).toBe(9);
    expect(objectiveHandler.matches('objective.json')).toBe(true);
    expect(optimHandler.matches('objective.json')).toBe(false);
  });

  it.each(OPTIM_FILES)('%s: every case passes on every backend', async (file) => {
    const json = load(file);
    const results = await optimHandler.run(file, json, ctx);
    expect(results.length).toBe(json.cases.length * BACKENDS.length);
    const failed = results.filter((r) => !r.passed).map((r) => `${r.name} [${r.backend}] ${r.detail}`);
    expect(failed).toEqual([]);
  });

  it('objective.json: all 56 cases pass (float32 on every backend, float64 on the float64 path)', async () => {
    const json = load('objective.json');
    const results = await objectiveHandler.run('objective.json', json, ctx);
    const f32 = json.cases.filter((c: any) => c.dtype === 'float32').length;
    const f64 = json.cases.length - f32;
    expect(f64).toBe(28);
    expect(results.length).toBe(f32 * BACKENDS.length + f64);
    const failed = results.filter((r) => !r.passed).map((r) => `${r.name} [${r.backend}] ${r.detail}`);
    expect(failed).toEqual([]);
  });

  it('fails a case whose reference trajectory was changed by 1e-4 relative', async () => {
    const json = load('optim_adam.json');
    json.cases = [json.cases[0], json.cases[1]];
    json.cases[1].steps[12].params[3] *= 1 + 1e-4;
    const results = await optimHandler.run('optim_adam.json', json, { ...ctx, backends: ['js'] });
    expect(results.map((r) => r.passed)).toEqual([true, false]);
    expect(results[1].detail).toMatch(/step 13 params\[3\]/);
  });

  it('an unknown optimizer or option is a failed case naming it, not a crash', async () => {
    const json = load('optim_sgd.json');
    const base = json.cases[0];
    json.cases = [
      { ...base, name: 'x/unknown-optimizer', optimizer: 'Shampoo' },
      { ...base, name: 'x/unknown-option', options: { lr: 0.1, nesterov_momentum: 0.9 } },
      { ...base, name: 'x/bad-value', options: { lr: -0.1 } },
      base,
    ];
    const results = await optimHandler.run('optim_sgd.json', json, { ...ctx, backends: ['wasm-simd'] });
    expect(results.map((r) => r.passed)).toEqual([false, false, false, true]);
    expect(results[0].detail).toMatch(/unknown optimizer "Shampoo"/);
    expect(results[1].detail).toMatch(/unknown option options\.nesterovMomentum/);
    expect(results[2].detail).toMatch(/lr must be .*got -0\.1/);
  });

  it('a wrong rule is caught: objective float64 with eps in the wrong place fails', async () => {
    const json = load('objective.json');
    const c = json.cases.find((x: any) => x.name === 'objective/rosenbrock/Adam#3/float64');
    // A different eps changes the trajectory by far more than rtol 1e-9.
    const doctored = { ...c, options: { ...c.options, eps: 1e-4 } };
    const results = await objectiveHandler.run('objective.json', { cases: [c, doctored] }, ctx);
    expect(results.map((r) => r.passed)).toEqual([true, false]);
  });
});
