// 'wasm-relaxed' in Chromium, where relaxed SIMD is on by default: auto chooses it, its multiply-add
// is fused, its matrix products differ from wasm-simd's in the last bits within the dot bound, and
// its element-wise kernels give wasm-simd's bits.
import { describe, expect, it } from 'vitest';
import { probeMadd, type Backend } from '../../src/backend/index.js';
import * as descent from '../../src/entry/url.js';
import { getBackend } from '../../src/init.js';
import { relaxedSimdValidates } from '../../src/wasm/features.js';
import { sameBits, seeded } from '../helpers/data.js';

/** C = A·B (M×K times K×N) and a few element-wise results on backend `b`, read back. */
function compute(b: Backend, A: Float32Array, B: Float32Array, M: number, N: number, K: number) {
  const pa = b.arena.alloc(A.length * 4), pb = b.arena.alloc(B.length * 4), pc = b.arena.alloc(M * N * 4), po = b.arena.alloc(A.length * 4);
  try {
    new Float32Array(b.memory.buffer, pa, A.length).set(A);
    new Float32Array(b.memory.buffer, pb, B.length).set(B);
    b.k.f32_gemm(0, 0, M, N, K, 1, pa, K, pb, N, 0, pc, N);
    const C = new Float32Array(b.memory.buffer, pc, M * N).slice();
    const n = Math.min(A.length, B.length), elem: number[] = [];
    b.k.f32_axpy(po, 0.37, pa, pb, n); elem.push(...new Float32Array(b.memory.buffer, po, n));
    b.k.f32_sigmoid(po, pa, n); elem.push(...new Float32Array(b.memory.buffer, po, n));
    elem.push(b.k.f32_dot(pa, pb, n));
    return { C, elem };
  } finally {
    b.arena.free(pa); b.arena.free(pb); b.arena.free(pc); b.arena.free(po);
  }
}

describe('wasm-relaxed: Chromium', () => {
  it('relaxed SIMD validates, and auto chooses wasm-relaxed with a fused multiply-add', async () => {
    expect(relaxedSimdValidates()).toBe(true);
    const info = await descent.init();
    expect(info).toMatchObject({ name: 'wasm-relaxed', reason: 'relaxed SIMD validates and the probe computed right with a fused multiply-add' });
    expect(probeMadd(getBackend())).toBe('fused');
  });

  it('GEMM differs from wasm-simd in the last bits within the dot bound; element-wise kernels give the same bits', async () => {
    const M = 8, N = 12, K = 200;
    const A = seeded(M * K, 11), B = seeded(K * N, 12);
    await descent.init({ backend: 'wasm-relaxed' });
    const r = compute(getBackend(), A, B, M, N, K);
    await descent.init({ backend: 'wasm-simd' });
    const s = compute(getBackend(), A, B, M, N, K);
    expect(probeMadd(getBackend())).toBe('separate');
    expect(sameBits(r.C, s.C)).toBe(false);
    expect(sameBits(r.elem, s.elem)).toBe(true);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let abs = 0;
        for (let k = 0; k < K; k++) abs += Math.abs(A[i * K + k] * B[k * N + j]);
        expect(Math.abs(r.C[i * N + j] - s.C[i * N + j])).toBeLessThanOrEqual(2 * (K + 3) * 2 ** -23 * abs);
      }
    }
  });
});
