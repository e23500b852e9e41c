/** docs/autodiff-examples.md: every TypeScript example runs, top to bottom, and prints what the page shows. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { examples, run } from './markdown.js';

const md = readFileSync(new URL('../../docs/autodiff-examples.md', import.meta.url), 'utf8');
const mnist = createRequire(import.meta.url)('mnist');

describe('docs/autodiff-examples.md', () => {
  const blocks = examples(md);

  it('has the CNN, the matrix factorization and Newton on Rosenbrock, each followed by its output, and the CNN loss curve', () => {
    expect(blocks.length).toBe(3);
    expect(blocks[0].code).toMatch(/new Conv2d\(1, 16, 3\)[\s\S]*new MaxPool2d[\s\S]*new Conv2d\(16, 32, 3\)[\s\S]*new Dense/);
    expect(blocks[1].code).toMatch(/class MatrixFactorization extends Model/);
    expect(blocks[2].code).toMatch(/method: 'newton', autodiff: true/);
    for (const b of blocks) expect(b.expected, `the example at line ${b.line} has no text block`).not.toBeNull();
    expect(md).toMatch(/!\[[^\]]*\]\(cnn-mnist-loss\.svg\)/);
    expect(readFileSync(new URL('../../docs/cnn-mnist-loss.svg', import.meta.url), 'utf8')).toMatch(/^<svg/);
    expect(md).not.toMatch(/CNN_ACCURACY|CNN_TIME/);
  });

  it("quotes the full run's figures as scripts/cnn-mnist.mjs wrote them, and they meet the 0.975 goal", () => {
    const full = JSON.parse(readFileSync(new URL('../../docs/cnn-mnist.json', import.meta.url), 'utf8'));
    expect(full).toMatchObject({ backend: 'wasm-simd', trainRows: 8000, testRows: 2000, epochs: 10, batchSize: 64 });
    expect(full.testAccuracy).toBeGreaterThanOrEqual(0.975);
    expect(full.perEpoch.at(-1).testAccuracy).toBe(full.testAccuracy);
    expect(md).toContain(`**${full.testAccuracy.toFixed(4)}**`);
    expect(md).toContain(`${full.trainingSeconds} s of training`);
  });

  it('runs every example on wasm-simd and each prints exactly what the page shows', async () => {
    await descent.init({ backend: 'wasm-simd' });
    const { printed } = await run(blocks, { descent, mnist });
    if (process.env.SHOW_DOC) console.log(printed);
    for (const [i, b] of blocks.entries()) expect(printed[i], `example at line ${b.line}`).toBe(b.expected);
  }, 120_000);
});

describe('docs/minimize.md, "An objective written in ops"', () => {
  const page = readFileSync(new URL('../../docs/minimize.md', import.meta.url), 'utf8');
  const blocks = examples(page);

  it('runs on wasm-simd and prints what the page shows', async () => {
    expect(blocks.length).toBe(1);
    expect(blocks[0].code).toMatch(/autodiff: true/);
    await descent.init({ backend: 'wasm-simd' });
    const { printed } = await run(blocks, { descent });
    if (process.env.SHOW_DOC) console.log(printed);
    expect(printed[0]).toBe(blocks[0].expected);
  });
});

describe('README.md, "Automatic differentiation"', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n## Automatic differentiation\n')[1]?.split('\n## ')[0] ?? '';

  it('links the examples and runs its example, printing what the README shows', async () => {
    expect(section).toMatch(/\]\(docs\/autodiff-examples\.md\)/);
    const blocks = examples(section);
    expect(blocks.length).toBe(1);
    await descent.init({ backend: 'wasm-simd' });
    const { printed } = await run(blocks, { descent });
    if (process.env.SHOW_DOC) console.log(printed);
    expect(printed[0]).toBe(blocks[0].expected);
  });
});
