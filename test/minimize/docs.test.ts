import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { extractExamples, runExample } from '../../scripts/minimize-examples.mjs';
import * as lib from '../../src/minimize/index.js';

const md = readFileSync(new URL('../../docs/minimize.md', import.meta.url), 'utf8');

describe('docs/minimize.md', () => {
  const examples: { code: string; expected: string }[] = extractExamples(md);

  it('has the x² and Rosenbrock examples, each followed by its output', () => {
    expect(examples.length).toBe(4);
    expect(examples[0].code).toMatch(/x\[0\] \* x\[0\]/);
    expect(examples[2].code).toMatch(/testFunctions\.rosenbrock/);
    for (const ex of examples) expect(ex.expected.trim().length).toBeGreaterThan(0);
  });

  it.each(examples.map((ex, i) => [i + 1, ex]))('example %i prints exactly what the page shows', (_i, ex) => {
    expect(runExample(ex.code, lib)).toBe(ex.expected);
  });
});

describe('README.md minimize examples', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const examples: { code: string; expected: string }[] = extractExamples(readme);

  it('shows the x² and Rosenbrock examples with their output', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.some((e) => /x\[0\] \* x\[0\]/.test(e.code))).toBe(true);
    expect(examples.some((e) => /testFunctions\.rosenbrock/.test(e.code))).toBe(true);
  });

  it.each(examples.map((ex, i) => [i + 1, ex]))('README example %i prints exactly what the README shows', (_i, ex) => {
    expect(runExample(ex.code, lib)).toBe(ex.expected);
  });
});
