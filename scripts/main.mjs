// The main job (npm start). Until training lands: init, print the backend, and compare axpy on the
// Wasm SIMD path with the plain-JS path on the same data.
import { init, tensor, axpy } from '../dist/entry/node.js';

function medianMs(fn, reps = 200) {
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[reps >> 1];
}

const n = 1e5;
const xs = Float32Array.from({ length: n }, (_, i) => (i % 17) - 8);
const ys = Float32Array.from({ length: n }, (_, i) => (i % 5) * 0.25);
const timings = {};
for (const backend of ['auto', 'js']) {
  const info = await init({ backend });
  const x = tensor(xs), y = tensor(ys), out = tensor.zeros(n);
  const ms = medianMs(() => axpy(out, 0.5, x, y));
  timings[info.name] = ms;
  console.log(`${info.name.padEnd(12)} axpy n=${n}: ${(ms * 1e3).toFixed(1)} µs (${((12 * n) / (ms * 1e-3) / 1e9).toFixed(1)} GB/s)  [${info.reason}]`);
  x.dispose(); y.dispose(); out.dispose();
}
const name = Object.keys(timings)[0];
console.log(`descent runs on ${name}; axpy is ${(timings.js / timings[name]).toFixed(1)}x faster than the js path here.`);
