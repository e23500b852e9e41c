import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { figureBlocks, runBlock } from '../../scripts/readme-demo.mjs';

// The README's surface-plot blocks wrote docs/landscape.svg and docs/descent-paths.svg
// (scripts/readme-demo.mjs); run them again and compare with the committed files.
describe("README's loss-landscape and contour pictures", () => {
  it('are what the README blocks draw (run node scripts/readme-demo.mjs after changing them)', async () => {
    await descent.init();
    const blocks = figureBlocks(readFileSync('README.md', 'utf8')) as string[];
    expect(blocks.length).toBe(2);
    const files: string[] = [];
    for (const block of blocks) {
      const written = (await runBlock(block, descent, { writeFileSync: () => {} })) as Map<string, string>;
      for (const [path, svg] of written) {
        files.push(path);
        expect(svg, `${path} is stale: run node scripts/readme-demo.mjs`).toBe(readFileSync(path, 'utf8'));
      }
    }
    expect(files).toEqual(['docs/landscape.svg', 'docs/descent-paths.svg']);
    const readme = readFileSync('README.md', 'utf8');
    for (const f of files) expect(readme).toContain(`](${f.replace('.svg', '.png')})`);
  }, 120_000);
});
