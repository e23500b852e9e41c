/**
 * Plain-JS reference for assembly/kernels/penalties.ts (same arguments, byte pointers into `h`),
 * with the kernel's four lane partial sums: bit-identical on every backend.
 */
import type { Heap } from './heap.js';

const fr = Math.fround;

export function f32_elasticnet_penalty(h: Heap, grad: number, w: number, n: number, l1: number, l2: number): number {
  const m = h.f32, wi = w >>> 2, gi = grad >>> 2;
  l1 = fr(l1);
  l2 = fr(l2);
  const n4 = n & ~3;
  const a = [0, 0, 0, 0], q = [0, 0, 0, 0];
  const step = (i: number): number => {
    const x = m[wi + i];
    if (grad !== 0) m[gi + i] = fr(m[gi + i] + fr(fr(l2 * x) + (x > 0 ? l1 : x < 0 ? -l1 : 0)));
    return x;
  };
  for (let i = 0; i < n4; i++) {
    const x = step(i), k = i & 3;
    a[k] = fr(a[k] + Math.abs(x));
    q[k] = fr(q[k] + fr(x * x));
  }
  let sa = fr(fr(a[0] + a[1]) + fr(a[2] + a[3]));
  let sq = fr(fr(q[0] + q[1]) + fr(q[2] + q[3]));
  for (let i = n4; i < n; i++) {
    const x = step(i);
    sa = fr(sa + Math.abs(x));
    sq = fr(sq + fr(x * x));
  }
  return l1 * sa + 0.5 * l2 * sq;
}
