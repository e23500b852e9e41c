/**
 * Every bench suite speaks one language: it exports `title`, `run` and `targetsOf(data)`, and each
 * committed bench/results/<suite>.json carries `targets: [{ name, measured, goal, unit, met }]`
 * equal to what its suite computes from the data stored beside it (no figure typed by hand).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(__dirname, '../../bench');
const suites = readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).map((f) => f.replace('.bench.mjs', ''));
const results = readdirSync(join(dir, 'results')).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', ''));

describe('bench suites and their results files', () => {
  it('every suite exports title, run and targetsOf, and every results file belongs to a suite', async () => {
    expect(suites).toEqual(expect.arrayContaining(['blas1', 'gemm', 'mlp', 'optim', 'ovr', 'train', 'kernels']));
    for (const s of suites) {
      const mod = await import(join(dir, `${s}.bench.mjs`));
      expect(typeof mod.title).toBe('string');
      expect(typeof mod.default).toBe('function');
      expect(typeof mod.targetsOf).toBe('function');
    }
    // compare.json is written by bench/compare.mjs (every suite against an earlier commit's results)
    for (const r of results) expect([...suites, 'compare']).toContain(r);
  });

  it.each(results)('%s.json: targets recomputed from its own data by its suite, each { name, measured, goal, unit, met }', async (name) => {
    const { title, markdown, machine, targets, ...data } = JSON.parse(readFileSync(join(dir, 'results', `${name}.json`), 'utf8'));
    expect(typeof title).toBe('string');
    expect(typeof markdown).toBe('string');
    expect(machine.cores).toBeGreaterThan(0);
    expect(Array.isArray(targets) && targets.length > 0).toBe(true);
    for (const t of targets) {
      expect(Object.keys(t).sort()).toEqual(['goal', 'measured', 'met', 'name', 'unit']);
      expect(Number.isFinite(t.measured) && Number.isFinite(t.goal)).toBe(true);
      expect(typeof t.met).toBe('boolean');
    }
    const mod = await import(join(dir, name === 'compare' ? 'compare.mjs' : `${name}.bench.mjs`));
    expect(mod.targetsOf(data)).toEqual(targets);
  });
});
