import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, maskTimes, readDemo, screen, terminal, writeDemoData } from '../../scripts/readme-demo.mjs';
import { assertBuilt } from './helpers.js';

// The README's command-line session was written by scripts/readme-demo.mjs from real runs; run the
// same commands again in a terminal and compare, with only the clock's numbers masked.
describe("README's command-line session", () => {
  let dir = '';
  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'descent-readme-'));
    await writeDemoData(dir);
  });

  it('shows every demo command, each with the output it gives today', () => {
    const shown = readDemo(readFileSync('README.md', 'utf8')) as Array<{ command: string; output: string }>;
    expect(shown.map((s) => s.command)).toEqual(DEMO);
    for (const { command, output } of shown) {
      const now = screen(terminal(dir, command).output);
      expect(maskTimes(now), command).toBe(maskTimes(output));
    }
  }, 120_000);

  it('masks only the clock: a changed metric or line is caught', () => {
    const a = 'epoch 60/60 [###] loss 0.07974  1s in all\nepoch  3/60  loss 0.5  12 ms';
    expect(maskTimes(a)).toBe(maskTimes(a.replace('1s in all', '2m03s in all').replace('12 ms', '7 ms')));
    expect(maskTimes(a)).not.toBe(maskTimes(a.replace('0.07974', '0.07975')));
    // A redraw leaves only the last frame on the screen.
    expect(screen('head\r\n\repoch 1/2 [#.] a\x1b[K\repoch 2/2 [##] b\x1b[K\r\nend\r\n')).toBe('head\nepoch 2/2 [##] b\nend');
  });
});
