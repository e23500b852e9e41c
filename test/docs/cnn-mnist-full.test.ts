// The CNN example of docs/autodiff-examples.md, full run (8,000 / 2,000 MNIST, 10 epochs) on wasm-simd:
// it must reach the 0.975 test accuracy and give exactly the figures the doc quotes
// (scripts/cnn-mnist.mjs --check, on the built package; about a minute of training).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('docs/autodiff-examples.md: the MNIST CNN, full run', () => {
  it('reaches at least 0.975 test accuracy with the per-epoch figures docs/cnn-mnist.json quotes', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    let out = '';
    let code = 0;
    try {
      out = execFileSync(process.execPath, ['scripts/cnn-mnist.mjs', '--check'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    } catch (e) {
      code = (e as { status: number }).status;
      out = String((e as { stdout: string }).stdout);
    }
    expect(out).toMatch(/per-epoch figures equal docs\/cnn-mnist\.json/);
    expect(code, out).toBe(0);
  }, 900_000);
});
