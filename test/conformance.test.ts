import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The conformance runner as users run it (npm run conformance -- <dir>), on the shared vectors and
// on doctored copies, which it must fail. Needs the build (npm test builds first).
const SHARED = '../shared/conformance';
const run = (dir: string, ...extra: string[]) =>
  spawnSync('node', ['scripts/conformance.mjs', dir, ...extra], { encoding: 'utf8', timeout: 600_000 });
const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('conformance runner', () => {
  it(`passes every case in ${SHARED} on every backend`, () => {
    const r = run(SHARED);
    const last = r.stdout.trim().split('\n').pop()!;
    console.log(`conformance over ${SHARED}: ${last}`);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(last).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(last.split(' ')[0])).toBeGreaterThanOrEqual(26);
    expect(r.status).toBe(0);
  });

  it('judges another directory in the same format, and fails a case whose reference was changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-conf-'));
    tmp.push(dir);
    const src = JSON.parse(readFileSync(join(SHARED, 'lr_schedules.json'), 'utf8'));
    src.cases = src.cases.slice(0, 3);
    src.cases[1].lr[7] *= 1.001; // a reference nobody could match
    writeFileSync(join(dir, 'lr_schedules.json'), JSON.stringify(src));
    const r = run(dir);
    const last = r.stdout.trim().split('\n').pop()!;
    expect(last).toBe('2 passed, 1 failed');
    expect(r.stdout).toMatch(new RegExp(`FAIL  lr_schedules.json  ${src.cases[1].name}`));
    expect(r.status).toBe(1);
  });

  it('knows every case file of the shared set (sklearn_splits.json is an input of sklearn_reference.json)', () => {
    const r = run(SHARED);
    const skipped = r.stdout.split('\n').filter((l) => l.startsWith('skip')).map((l) => l.split(/\s+/)[1].replace(':', ''));
    expect(skipped).toEqual(['sklearn_splits.json']);
    for (const f of ['optim_adam.json', 'objective.json', 'lr_schedules.json', 'losses.json', 'lbfgs.json', 'sklearn_reference.json', 'autograd.json']) {
      expect(r.stdout).toMatch(new RegExp(`^PASS  ${f.replace('.', '\\.')}`, 'm'));
    }
  });

  it('judges autograd programs of other shapes, and fails doctored references and unknown ops', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-conf-ag-'));
    tmp.push(dir);
    const src = JSON.parse(readFileSync(join(SHARED, 'autograd.json'), 'utf8'));
    const pick = (name: string) => structuredClone(src.cases.find((c: { name: string }) => c.name === name));
    // a program of new shapes whose answer is known in closed form: out = Σ (a·b)·R, a [2, 3, 4], b [3, 1]
    const a = Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i + 1))), b = [0.5, -1.25, 2];
    const R = Array.from({ length: 24 }, (_, i) => Math.fround(Math.cos(3 * i)));
    const bAt = (i: number) => b[Math.floor(i / 4) % 3];
    const ga = R.map((r, i) => r * bAt(i)), gb = [0, 0, 0];
    let value = 0;
    a.forEach((x, i) => {
      value += x * bAt(i) * R[i];
      gb[Math.floor(i / 4) % 3] += x * R[i];
    });
    const fresh = {
      name: 'mul_fresh_shapes', kind: 'grad',
      inputs: { a: { shape: [2, 3, 4], dtype: 'float32', data: a }, b: { shape: [3, 1], dtype: 'float32', data: b }, R: { shape: [2, 3, 4], dtype: 'float32', data: R } },
      graph: [{ out: 'y', op: 'mul', args: ['a', 'b'] }, { out: 'yR', op: 'mul', args: ['y', 'R'] }, { out: 'out', op: 'sum', args: ['yR'] }],
      output: 'out', wrt: ['a', 'b'], tolerance: { rtol: 2e-4, atol: 2e-5 },
      expected: { value: { shape: [], dtype: 'float64', data: [value] }, grads: { a: { shape: [2, 3, 4], dtype: 'float64', data: ga }, b: { shape: [3, 1], dtype: 'float64', data: gb } } },
    };
    const badGrad = pick('conv2d_v0');
    badGrad.expected.grads.w.data[5] *= 1.01;
    const badHessian = pick('hessian_v0');
    badHessian.expected.hessian.data[3] += 1e-3;
    const badTrain = pick('train_mlp_adam_v0');
    badTrain.expected.steps[4].params.W2.data[0] += 1e-3;
    const unknownOp = pick('tanh_v0');
    unknownOp.graph[0].op = 'arctanh';
    src.cases = [fresh, pick('layer_norm_v1'), badGrad, badHessian, badTrain, unknownOp];
    writeFileSync(join(dir, 'autograd_more.json'), JSON.stringify(src));
    const r = run(dir, '--backend', 'wasm-scalar');
    const last = r.stdout.trim().split('\n').pop()!;
    expect(last).toBe('2 passed, 4 failed');
    expect(r.stdout).toMatch(/^PASS  autograd_more\.json  mul_fresh_shapes/m);
    expect(r.stdout).toMatch(/^FAIL  autograd_more\.json  conv2d_v0 .*grad w\[5\]/m);
    expect(r.stdout).toMatch(/^FAIL  autograd_more\.json  hessian_v0 .*hessian\[3\]/m);
    expect(r.stdout).toMatch(/^FAIL  autograd_more\.json  train_mlp_adam_v0 .*step 5 W2\[0\]/m);
    expect(r.stdout).toMatch(/^FAIL  autograd_more\.json  tanh_v0 .*unknown op "arctanh"/m);
    expect(r.status).toBe(1);
  });

  it('an empty directory is a failure, not a silent pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-conf-empty-'));
    tmp.push(dir);
    copyFileSync(join(SHARED, 'README.md'), join(dir, 'README.md'));
    const r = run(dir);
    expect(r.stdout.trim().split('\n').pop()).toBe('0 passed, 1 failed');
    expect(r.status).toBe(1);
  });
});
