/**
 * Property-based tests (fast-check) for every kernel of the manifest against its plain-JS
 * reference, on every backend: random sizes (0, the SIMD tails and beyond), random enum values,
 * flag sets, optional pointers and aliasing among the pairs the manifest allows, and values drawn
 * from each argument's domain together with ±0, subnormals, huge magnitudes, NaN and ±Infinity.
 * The comparison is the parity suite's (scripts/kernel-harness.mjs: bit-exact unless the manifest
 * states a tolerance; guard zones around every buffer). Runs are seeded and bounded.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { admissible, counts, specialsFor } from '../../scripts/kernel-harness.mjs';
import type { Backend } from '../../src/backend/index.js';
import { KERNELS, checkCase, everyBackend, type Kernel } from '../helpers/kernels.js';

let backends: Array<[string, Backend]>;
beforeAll(async () => {
  backends = await everyBackend();
});

const f = Math.fround;

/** Floats of a domain: mostly ordinary values, often any float32 (fast-check biases to the edges), sometimes a listed special. */
function floats(domain: any): fc.Arbitrary<number> {
  const special = fc.constantFrom(...specialsFor(domain));
  if (!domain) return fc.oneof({ weight: 4, arbitrary: fc.float({ min: -8, max: 8, noNaN: true }) }, { weight: 2, arbitrary: fc.float() }, { weight: 1, arbitrary: special });
  if (domain.max !== undefined) return fc.oneof({ weight: 5, arbitrary: fc.float({ min: f(domain.min), max: f(domain.max), noNaN: true }) }, { weight: 1, arbitrary: special });
  const low = { min: 0, minExcluded: !!domain.open, noNaN: true };
  return fc.oneof({ weight: 4, arbitrary: fc.float({ ...low, max: 8 }) }, { weight: 2, arbitrary: fc.float(low) }, { weight: 1, arbitrary: special });
}

/** Random structural choices of a kernel's call: sizes, enums, flags, leading-dimension padding, optional pointers, aliasing. */
function structure(k: Kernel) {
  const dims = k.args.filter((a) => a.kind === 'dim').length;
  const max = dims >= 3 ? 24 : dims === 2 ? 48 : 300;
  const ints: Record<string, fc.Arbitrary<number>> = {};
  const present: Record<string, fc.Arbitrary<boolean>> = {};
  for (const a of k.args) {
    if (a.kind === 'dim') ints[a.name] = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max }) });
    if (a.kind === 'enum') ints[a.name] = fc.constantFrom(...a.values);
    if (a.kind === 'flags') ints[a.name] = fc.subarray(a.bits).map((bits: number[]) => bits.reduce((x, b) => x | b, 0));
    if (a.kind === 'fixed') ints[a.name] = fc.constant(a.value);
    if (a.kind === 'ld') ints[a.name] = fc.integer({ min: 0, max: 4 }); // padding, resolved below
    if (a.kind === 'ptr') present[a.name] = a.optional ? fc.boolean() : fc.constant(true);
  }
  return fc.record({ ints: fc.record(ints), present: fc.record(present), alias: fc.constantFrom(null, ...k.alias) })
    .map(({ ints: raw, present: p, alias }) => {
      const resolved: Record<string, number> = {};
      for (const a of k.args) {
        if (a.kind === 'ld') resolved[a.name] = new Function(...Object.keys(resolved), `return (${a.min});`)(...Object.values(resolved)) + raw[a.name];
        else if (a.kind !== 'ptr' && a.kind !== 'f32') resolved[a.name] = raw[a.name];
      }
      return { ints: resolved, present: p, alias: alias && p[alias[0]] && p[alias[1]] ? alias : null };
    })
    .filter((c) => admissible(k, c.ints));
}

/** A whole case: the structure, then every buffer's contents and every float scalar. */
function caseOf(k: Kernel) {
  return structure(k).chain((c) => {
    const n = counts(k, c.ints);
    const values: Record<string, fc.Arbitrary<unknown>> = {};
    for (const a of k.args) {
      if (a.kind === 'f32') values[a.name] = floats(a.domain);
      if (a.kind !== 'ptr') continue;
      if (a.elem === 'i32') {
        const bound = new Function(...Object.keys(c.ints), `return (${a.domain.below});`)(...Object.values(c.ints));
        values[a.name] = fc.array(fc.integer({ min: 0, max: Math.max(0, bound - 1) }), { minLength: n[a.name], maxLength: n[a.name] }).map((v) => Int32Array.from(v));
      } else {
        values[a.name] = fc.array(floats(a.domain), { minLength: n[a.name], maxLength: n[a.name] }).map((v) => Float32Array.from(v));
      }
    }
    return fc.record(values).map((v) => ({ ...c, values: v }));
  });
}

/** Runs per kernel; PROPERTY_RUNS (and PROPERTY_SEED) widen a local search. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 0x5eed);

describe.each([...new Set(KERNELS.map((k) => k.family))])('%s kernels: random cases against the reference on every backend', (family) => {
  const kernels = KERNELS.filter((k) => k.family === family && k.parity === null);
  it.each(kernels.map((k, i) => [k.name, k, i] as const))('%s', (_name, k, i) => {
    let runs = 0;
    fc.assert(
      fc.property(caseOf(k), (c) => {
        runs++;
        const why = checkCase(k, c, backends);
        if (why) throw new Error(why);
      }),
      { seed: SEED + KERNELS.indexOf(k) * 7919 + i, numRuns: RUNS },
    );
    expect(runs).toBeGreaterThanOrEqual(RUNS);
  });
});
