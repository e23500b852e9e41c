// The bounded run of the soak script (scripts/soak.mjs) in npm test: 5,000 optimizer steps and 200
// build -> fit -> dispose cycles of each model family on every backend, with refused resumes,
// refused fromJSON and refused fits in the loop; bytesInUse must return to its start after every
// cycle and the JS heap (after gc) must stay flat. It runs the built package (npm test builds
// first) in a child process started with --expose-gc.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('soak (bounded)', () => {
  it('holds bytesInUse and the JS heap flat on every backend', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', 'scripts/soak.mjs', '--steps', '5000', '--cycles', '200'], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    expect(out, out).toMatch(/wasm-simd: flat/);
    expect(out, out).toMatch(/wasm-scalar: flat/);
    expect(out, out).toMatch(/js: flat/);
    expect(r.status, out).toBe(0);
  }, 240_000);
});
