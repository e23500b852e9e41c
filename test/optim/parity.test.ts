/**
 * Optimizer parity (PyTorch's test_foreach_matches_forloop, in spirit): every entry of
 * OPTIMIZERS_UNDER_TEST runs on wasm-simd, wasm-scalar and js over parameters of sizes
 * 0, 1, 3, 4, 5, 7 and 1031 (two groups), for 8 steps, with one parameter's gradient skipped at
 * step 3; parameters and every state buffer must be bit-identical across backends.
 */
import { describe, expect, it } from 'vitest';
import { backendName, param } from '../../src/entry/node.js';
import { BACKENDS, sameBits, seeded, useBackend } from '../helpers/backends.js';
import { OPTIMIZERS_UNDER_TEST, label, make } from './table.js';

const SIZES = [0, 1, 3, 4, 5, 7, 1031];
const STEPS = 8;
const SKIPPED = 5; // index into SIZES: the 7-element parameter
const SKIP_AT = 3;

type Snapshot = Array<{ data: Float32Array; step: number; buffers: Record<string, Float32Array | null>; scalars: Record<string, number> }>;

function gradFor(n: number, step: number, size: number): Float32Array {
  const g = seeded(n, 1000 * step + size + 7, 1);
  for (let i = 0; i < n; i++) {
    if ((i + step) % 5 === 0) g[i] = 0; // exact zeros, as the conformance vectors have
    else if (i % 3 === 1) g[i] *= 1e-3; // mixed magnitudes
  }
  return g;
}

function run(c: (typeof OPTIMIZERS_UNDER_TEST)[number]): { trace: Snapshot[]; skippedBefore: Snapshot[number]; skippedAfter: Snapshot[number] } {
  const ps = SIZES.map((n, i) => param(seeded(n, 17 + i, 2)));
  // Two groups, the second with its own lr, so per-group options are exercised too.
  const opt = make(c, [{ params: ps.slice(0, 4) }, { params: ps.slice(4), lr: 0.5 * ((c.options.lr as number) ?? 1e-3) }]);
  const snap = (): Snapshot =>
    ps.map((p) => {
      const s = opt.state(p);
      const buffers: Record<string, Float32Array | null> = {};
      const scalars: Record<string, number> = {};
      for (const [k, v] of Object.entries(s)) {
        if (k === 'step') continue;
        if (v === null || v instanceof Float32Array) buffers[k] = v === null ? null : v.slice();
        else if (typeof v === 'number') scalars[k] = v;
      }
      return { data: p.data.slice(), step: s.step, buffers, scalars };
    });
  const trace: Snapshot[] = [];
  let skippedBefore!: Snapshot[number], skippedAfter!: Snapshot[number];
  for (let t = 1; t <= STEPS; t++) {
    ps.forEach((p, i) => p.grad.set(gradFor(p.size, t, SIZES[i])));
    if (t === SKIP_AT) {
      skippedBefore = snap()[SKIPPED];
      opt.step({ skip: [ps[SKIPPED]] });
      skippedAfter = snap()[SKIPPED];
    } else {
      opt.step();
    }
    trace.push(snap());
  }
  opt.dispose();
  ps.forEach((p) => p.dispose());
  return { trace, skippedBefore, skippedAfter };
}

describe.each(OPTIMIZERS_UNDER_TEST)('parity: %s', (c) => {
  it(`${label(c)}: params and state bit-identical on wasm-simd, wasm-scalar and js; skip leaves a param untouched`, async () => {
    const r: Record<string, ReturnType<typeof run>> = {};
    for (const b of BACKENDS) {
      await useBackend(b);
      expect(backendName()).toBe(b);
      r[b] = run(c);
    }
    const ref = r.js;
    // The parameters moved (a stub kernel would leave them alone) and stayed finite.
    const last = ref.trace[STEPS - 1];
    for (let i = 1; i < SIZES.length; i++) {
      const p0 = seeded(SIZES[i], 17 + i, 2);
      expect(sameBits(last[i].data, p0)).toBe(false);
      for (const x of last[i].data) expect(Number.isFinite(x)).toBe(true);
    }
    for (const b of ['wasm-simd', 'wasm-scalar']) {
      for (let t = 0; t < STEPS; t++) {
        for (let i = 0; i < SIZES.length; i++) {
          const mine = r[b].trace[t][i], want = ref.trace[t][i];
          const where = `${b} step ${t + 1} param of size ${SIZES[i]}`;
          expect(sameBits(mine.data, want.data), `${where}: data`).toBe(true);
          expect(mine.step, `${where}: step`).toBe(want.step);
          expect(Object.keys(mine.buffers).sort(), `${where}: buffer names`).toEqual(Object.keys(want.buffers).sort());
          for (const k of Object.keys(want.buffers)) {
            const a = mine.buffers[k], w = want.buffers[k];
            expect(a === null, `${where}: ${k} null`).toBe(w === null);
            if (a && w) expect(sameBits(a, w), `${where}: ${k}`).toBe(true);
          }
          expect(mine.scalars, `${where}: scalars`).toEqual(want.scalars);
        }
      }
    }
    // The skipped parameter: no change to its values, state or step count at that step.
    for (const b of BACKENDS) {
      const { skippedBefore: s0, skippedAfter: s1, trace } = r[b];
      expect(sameBits(s1.data, s0.data)).toBe(true);
      expect(s1.step).toBe(SKIP_AT - 1);
      for (const k of Object.keys(s0.buffers)) {
        const x = s0.buffers[k], y = s1.buffers[k];
        expect(x === null).toBe(y === null);
        if (x && y) expect(sameBits(x, y)).toBe(true);
      }
      expect(s1.scalars).toEqual(s0.scalars);
      expect(trace[STEPS - 1][SKIPPED].step).toBe(STEPS - 1);
      expect(trace[STEPS - 1][0].step).toBe(STEPS);
    }
  });
});
