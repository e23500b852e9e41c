/**
 * The seed experiment (docs/extending.md, scripts/seed-experiment.mjs) on a small MNIST subset, on
 * every backend: the PlainSGD class exactly as the page writes it, trained beside the built-in SGD
 * with the same seeds, gives the same loss history and the same parameters to the last bit.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { MLP, SGD, fit, type Optimizer, type Param } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { examples, run } from './markdown.js';

const mnist = createRequire(import.meta.url)('mnist') as Array<{ raw: number[]; length: number }>;
const PER_DIGIT = 50, ROWS = 10 * PER_DIGIT, IN = 784;
const X = new Float32Array(ROWS * IN), y = new Int32Array(ROWS);
for (let r = 0; r < ROWS; r++) {
  const d = r % 10, i = Math.floor(r / 10); // digits interleaved, the i-th image of each
  X.set(mnist[d].raw.slice(i * IN, (i + 1) * IN), r * IN);
  y[r] = d;
}

type Ctor = new (params: Param[], options: { lr: number }) => Optimizer<{ lr: number }>;

/** The PlainSGD class of docs/extending.md, as written there. */
async function documentedPlainSGD(): Promise<Ctor> {
  const page = examples(readFileSync(new URL('../../docs/extending.md', import.meta.url), 'utf8'));
  const block = page.find((b) => /class PlainSGD extends Optimizer/.test(b.code))!;
  const { values } = await run([block], { descent }, ['PlainSGD']);
  return values.PlainSGD as Ctor;
}

function train(Opt: Ctor, seed: number) {
  const net = new MLP({ layers: [IN, 32, 10], seed: 0 });
  const history = fit(net, { data: X, shape: [ROWS, IN] }, y, { optimizer: new Opt(net.parameters(), { lr: 0.1 }), maxEpochs: 3, batchSize: 50, seed });
  const params = net.parameters().map((p) => p.toArray());
  net.dispose();
  return { history, params };
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe.each(BACKENDS)('the seed experiment on %s (MNIST, 500 digits, MLP 784-32-10, 3 epochs)', (backend) => {
  it('the user-written PlainSGD and the built-in SGD agree to the last bit; another shuffling seed does not', async () => {
    await useBackend(backend);
    const PlainSGD = await documentedPlainSGD();
    expect(PlainSGD.name).toBe('PlainSGD');
    const ours = train(PlainSGD, 0), theirs = train(SGD as unknown as Ctor, 0);
    expect(ours.history.batchLoss.length).toBe(30);
    expect(sameBits(ours.history.batchLoss, theirs.history.batchLoss)).toBe(true);
    expect(sameBits(ours.history.loss, theirs.history.loss)).toBe(true);
    expect(ours.params.length).toBe(4);
    ours.params.forEach((p, i) => expect(sameBits(p, theirs.params[i]), `parameter ${i}`).toBe(true));
    // it trained, and the bits are not the same for a trivial reason: another seed gives others
    expect(ours.history.loss[2]).toBeLessThan(0.7 * ours.history.loss[0]);
    const other = train(SGD as unknown as Ctor, 1);
    expect(sameBits(other.history.batchLoss, theirs.history.batchLoss)).toBe(false);
  }, 60_000);
});
