// One computation whose bits must not depend on the thread count: Adam steps on parameters above the
// optimizer threshold, a GEMM above the GEMM threshold with its gradient (autodiff), and fixed-block
// reductions over several blocks. Plain JS with no imports, so the same code runs in Node with
// threads (test/threads/fallback.test.ts) and in workerd and edge-runtime, where one thread runs
// (test/runtimes/workerd/worker.js, test/runtimes/edge/entry.js). `descent` is the library namespace
// of that runtime, already initialized. Returns { threads, threadsReason, bits }.

function values(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2;
  }
  return out;
}

function hex(x) {
  if (typeof x === 'number') return Array.from(new Uint32Array(new Float64Array([x]).buffer), (w) => w.toString(16)).join(':');
  return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length), (w) => w.toString(16)).join(',');
}

/** FNV-1a of a string: the bits of a large result in a few characters. */
function digest(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

export function sameBitsProbe(descent) {
  const { param, tensor, ops, valueAndGrad, Adam, sum, dot } = descent;
  const parts = [];
  // optimizer: 3 Adam steps on 100 003 parameters (above the optimizer threshold; odd size: a tail)
  const p = param(values(100_003, 1));
  const opt = new Adam([p], { lr: 0.01, amsgrad: true, weightDecay: 0.01 });
  for (let s = 0; s < 3; s++) {
    p.grad.set(values(100_003, 10 + s));
    opt.step();
  }
  parts.push(hex(p.data));
  // autodiff: a 160 × 256 × 200 GEMM (above the GEMM threshold), bias, softmax and their gradient
  const w = param(values(256 * 200, 5).map((v) => v * 0.05), { shape: [256, 200] });
  const x = tensor(values(160 * 256, 7), { shape: [160, 256] });
  const b = param(values(200, 6), { shape: [200] });
  const step = valueAndGrad((w2) => ops.sum(ops.mul(ops.softmax(ops.add(ops.matmul(x, w2), b), 1), ops.matmul(x, w2))));
  const [value, gw] = step(w);
  parts.push(hex(value), hex(Float32Array.from(gw)));
  // fixed-block reductions over several blocks
  const big = tensor(values(300_007, 9)), other = tensor(values(300_007, 11));
  parts.push(hex(sum(big)), hex(dot(big, other)));
  for (const t of [p, w, x, b, big, other]) t.dispose();
  step.dispose?.();
  const info = descent.backendInfo();
  return { threads: info.threads, threadsReason: info.threadsReason, backend: info.name, bits: parts.map(digest).join('-') };
}
