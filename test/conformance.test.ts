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

  // autograd.json has no handler until automatic differentiation lands (issue 12); this allowance
  // comes out with that handler, so the test then demands that it is judged like every other file.
  const NOT_YET_HANDLED = ['autograd.json'];
  it('knows every case file of the shared set (sklearn_splits.json is an input of sklearn_reference.json)', () => {
    const r = run(SHARED);
    const skipped = r.stdout.split('\n').filter((l) => l.startsWith('skip')).map((l) => l.split(/\s+/)[1].replace(':', ''));
    expect(skipped).toEqual([...NOT_YET_HANDLED, 'sklearn_splits.json']);
    for (const f of ['optim_adam.json', 'objective.json', 'lr_schedules.json', 'losses.json', 'lbfgs.json', 'sklearn_reference.json']) {
      expect(r.stdout).toMatch(new RegExp(`^PASS  ${f.replace('.', '\\.')}`, 'm'));
    }
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
