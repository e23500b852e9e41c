import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lossesHandler } from '../../src/conformance/losses.js';
import { sklearnHandler } from '../../src/conformance/sklearn.js';
import type { BackendName, ConformanceContext } from '../../src/conformance/types.js';
import { useBackend } from '../helpers/backends.js';

const DIR = join(__dirname, '../../../shared/conformance');
const ctx = (backends: BackendName[]): ConformanceContext => ({
  readText: (rel) => readFileSync(join(DIR, rel), 'utf8'),
  backends,
  useBackend,
});
const load = (f: string) => JSON.parse(readFileSync(join(DIR, f), 'utf8'));

describe('conformance handlers of this family on the shared PyTorch / scikit-learn vectors', () => {
  it('losses.json: every case passes on every backend', async () => {
    const r = await lossesHandler.run('losses.json', load('losses.json'), ctx(['wasm-simd', 'wasm-scalar', 'js']));
    expect(r.length).toBe(30);
    for (const c of r) if (!c.passed) throw new Error(`${c.name} [${c.backend}]: ${c.detail}`);
  });

  it('sklearn_reference.json: tight logistic fits and linear regression pass on wasm-simd and js', async () => {
    const r = await sklearnHandler.run('sklearn_reference.json', load('sklearn_reference.json'), ctx(['wasm-simd', 'js']));
    expect(r.map((c) => c.name).sort()).toEqual([
      'breast_cancer/logistic_binary', 'breast_cancer/logistic_binary', 'breast_cancer/logistic_multinomial', 'breast_cancer/logistic_multinomial',
      'diabetes/linear_regression', 'diabetes/linear_regression', 'digits/logistic_multinomial', 'digits/logistic_multinomial',
    ]);
    for (const c of r) if (!c.passed) throw new Error(`${c.name} [${c.backend}]: ${c.detail}`);
  });

  it('the handlers fail when a reference is off by more than the tolerance', async () => {
    const losses = load('losses.json');
    losses.cases[0].loss *= 1 + 1e-4;
    const r = await lossesHandler.run('losses.json', losses, ctx(['js']));
    expect(r[0].passed).toBe(false);
    expect(r.slice(1).every((c) => c.passed)).toBe(true);
    const sk = load('sklearn_reference.json');
    const bc = sk.cases.find((c: any) => c.dataset === 'breast_cancer');
    bc.models.logistic_binary.tight_fit.train_objective *= 1 + 3e-4;
    // a different C changes the minimiser: the stored C = 1 objective is then missed
    bc.models.logistic_multinomial.params.C = 0.5;
    const s = await sklearnHandler.run('sklearn_reference.json', { cases: [bc] }, ctx(['wasm-simd']));
    expect(s.find((c) => c.name === 'breast_cancer/logistic_binary')!.passed).toBe(false);
    expect(s.find((c) => c.name === 'breast_cancer/logistic_multinomial')!.passed).toBe(false);
  });
});
