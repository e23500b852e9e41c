// The bad-input table (test/bad-input/cases.mjs) on every backend: each row must end 'clear' (the
// expected error class, naming the argument and the value as passed, with nothing changed and no
// bytes held) or 'correct'. scripts/probe.mjs runs the same rows and counts outcomes.
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { BACKENDS } from '../helpers/backends.js';
import { buildCases } from './cases.mjs';
import { runRow } from './harness.mjs';

const ROWS = buildCases();

describe('the bad-input table', () => {
  it('has at least 400 rows, each with an expectation', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(400);
    for (const r of ROWS) {
      expect(['ok', 'TypeError', 'RangeError', 'Error']).toContain(r.expect);
      if (r.expect !== 'ok') expect(r.has?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

describe.each(BACKENDS)('bad input on %s', (backend) => {
  it('every row is answered clearly, changes nothing and keeps no memory', async () => {
    // one thread: rows about views detached by growth need a memory that is not shared (a shared one grows in place)
    await descent.init({ backend, maxMemoryMB: 1024, threads: 1 });
    const failures: string[] = [];
    for (const row of ROWS) {
      const { outcome, detail } = await runRow(descent, row);
      if (outcome !== 'clear' && outcome !== 'correct') failures.push(`[${outcome}] ${row.id}: ${detail}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
