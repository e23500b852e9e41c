import { describe, expect, it } from 'vitest';
import { float64Device } from '../../src/autograd/device.js';
import { getBackend } from '../../src/init.js';
import * as C from '../../src/wasm/constants.gen.js';

const BINARY = { add: C.BINARY_ADD, sub: C.BINARY_SUB, mul: C.BINARY_MUL, div: C.BINARY_DIV, max: C.BINARY_MAX, min: C.BINARY_MIN, maxgrad: C.BINARY_MAXGRAD };
import { BACKENDS, SIZES, sameBits, seeded, useBackend } from '../helpers/backends.js';

// Every tensor kernel on every backend against its JS reference (the js backend): bit-identical for
// every kernel but the GEMM-based ones (matmul, conv2d), whose summation order differs by build and
// which are held to a GEMM tolerance. The float32 reference is also held to the float64 reference
// (the same kernel over a Float64Array with exact functions), which checks the polynomials.

type Arr = Float32Array | Int32Array;
interface Case {
  name: string;
  /** Inputs and outputs, in the order `call` receives their pointers. */
  arrays: Arr[];
  /** Indices of the arrays the kernel writes. */
  outputs: number[];
  call(k: any, p: number[]): void;
  /** Agreement of float32 with float64: relative to (|ref| + 1) (default 2e-6); Infinity skips. */
  tol64?: number;
  /** Tolerance across backends instead of equal bits (GEMM-based kernels). */
  gemm?: boolean;
}

/** Places the arrays in the running backend's memory, runs, returns copies of everything. */
function onBackend(c: Case): Arr[] {
  const { arena } = getBackend();
  const ptrs = c.arrays.map((a) => {
    const p = arena.alloc(Math.max(a.length, 1) * 4);
    (a instanceof Int32Array ? new Int32Array(getBackend().memory.buffer, p, a.length) : new Float32Array(getBackend().memory.buffer, p, a.length)).set(a as never);
    return p;
  });
  try {
    c.call(getBackend().k, ptrs);
    const buf = getBackend().memory.buffer;
    return ptrs.map((p, i) => (c.arrays[i] instanceof Int32Array ? new Int32Array(buf, p, c.arrays[i].length).slice() : new Float32Array(buf, p, c.arrays[i].length).slice()));
  } finally {
    ptrs.forEach((p) => arena.free(p));
  }
}

function onFloat64(c: Case): Float64Array[] {
  const dev = float64Device();
  const ptrs = c.arrays.map((a) => {
    const p = dev.alloc(Math.max(a.length, 1) * 4);
    (a instanceof Int32Array ? dev.i32() : dev.f32()).set(a as never, p >>> 2);
    return p;
  });
  c.call(dev.k, ptrs);
  return ptrs.map((p, i) => Float64Array.from((c.arrays[i] instanceof Int32Array ? dev.i32() : dev.f32()).subarray(p >>> 2, (p >>> 2) + c.arrays[i].length)));
}

async function check(c: Case): Promise<void> {
  const got: Record<string, Arr[]> = {};
  for (const b of BACKENDS) {
    await useBackend(b);
    got[b] = onBackend(c);
  }
  for (const b of BACKENDS) {
    for (const o of c.outputs) {
      if (c.gemm) {
        // GEMM sums in another order per build: hold it to float32 rounding of the output's scale
        const ref = got.js[o] as Float32Array, x = got[b][o] as Float32Array;
        const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0) + 1;
        for (let i = 0; i < ref.length; i++) {
          if (!(Math.abs(x[i] - ref[i]) <= 1e-5 * scale)) throw new Error(`${c.name} on ${b}: output ${o}[${i}] = ${x[i]}, js ${ref[i]}`);
        }
      } else if (!sameBits(got[b][o], got.js[o])) {
        const i = Array.from(got[b][o]).findIndex((v, j) => !Object.is(v, got.js[o][j]) && !(Number.isNaN(v) && Number.isNaN(got.js[o][j])));
        throw new Error(`${c.name} on ${b}: output ${o}[${i}] = ${got[b][o][i]}, js ${got.js[o][i]} (bits differ)`);
      }
    }
  }
  const tol = c.tol64 ?? 2e-6;
  if (tol === Infinity) return;
  const r64 = onFloat64(c);
  for (const o of c.outputs) {
    const x = got.js[o], ref = r64[o];
    for (let i = 0; i < ref.length; i++) {
      // beyond float32's range the float64 value rounds to what float32 must give (±inf, ±0)
      const ok = x[i] === ref[i] || x[i] === Math.fround(ref[i]) || Math.abs(x[i] - ref[i]) <= tol * (Math.abs(ref[i]) + 1) ||
        (Number.isNaN(x[i]) && Number.isNaN(ref[i]));
      if (!ok) throw new Error(`${c.name}: float32 output ${o}[${i}] = ${x[i]}, float64 ${ref[i]} (tolerance ${tol}·(|ref|+1))`);
    }
  }
}

/** Inputs with mixed magnitudes and the special values every kernel must survive. */
function inputs(n: number, seed: number, scale = 4): Float32Array {
  const x = seeded(n, seed, scale);
  const special = [0, -0, 1e-6, -1e-6, 0.5, -0.625, 9, -9, 20, -20, 21, 88, -88, 100, -100, 1e-30, 1e30, -1e30];
  for (let i = 0; i < n; i++) if (i % 5 === 2) x[i] = special[((i / 5) | 0) % special.length];
  return x;
}
const positive = (n: number, seed: number) => inputs(n, seed).map((v) => Math.abs(v) + 1e-3);
const zeros = (n: number) => new Float32Array(n);

describe.each(SIZES)('element-wise kernels at n = %i', (n) => {
  const x = inputs(n, 3), dy = seeded(n, 7), px = positive(n, 5);
  const unary: Array<[string, Float32Array, number?]> = [
    ['f32_exp', x], ['f32_log', px], ['f32_sqrt', px], ['f32_abs', x], ['f32_softplus', x], ['f32_gelu', x],
  ];
  it.each(unary)('%s: bit-identical, within float32 of float64, in place too', async (name, input) => {
    await check({ name, arrays: [input, zeros(n)], outputs: [1], call: (k, [a, o]) => k[name](o, a, n) });
    await check({ name: `${name} in place`, arrays: [input.slice()], outputs: [0], call: (k, [a]) => k[name](a, a, n), tol64: Infinity });
  });

  it.each([2, 3, 0.5, -0.5, -1, -2, 0, 1, 4, 1.5, -3])('f32_pow_scalar with exponent %f', async (p) => {
    const base = Number.isInteger(p) ? inputs(n, 11, 2) : px;
    await check({ name: `pow ${p}`, arrays: [base, zeros(n)], outputs: [1], call: (k, [a, o]) => k.f32_pow_scalar(o, a, n, p), tol64: 4e-6 });
  });

  const backward: Array<[string, (k: any, p: number[]) => void]> = [
    ['f32_abs_backward', (k, [g, v, o]) => k.f32_abs_backward(o, g, v, n)],
    ['f32_softplus_backward', (k, [g, v, o]) => k.f32_softplus_backward(o, g, v, n)],
    ['f32_gelu_backward', (k, [g, v, o]) => k.f32_gelu_backward(o, g, v, n)],
    ['f32_clamp_backward', (k, [g, v, o]) => k.f32_clamp_backward(o, g, v, n, -0.5, 9)],
  ];
  it.each(backward)('%s: bit-identical, within float32 of float64, dx may alias dy', async (name, call) => {
    await check({ name, arrays: [dy, x, zeros(n)], outputs: [2], call });
    await check({ name: `${name} aliased`, arrays: [dy.slice(), x], outputs: [0], call: (k, [g, v]) => call(k, [g, v, g]), tol64: Infinity });
  });

  it('f32_dropout: the same mask on every backend, about p dropped, kept scaled by 1/(1−p)', async () => {
    for (const [p, seed] of [[0.3, 7], [0, 1], [1, 2], [0.5, -5]] as const) {
      await check({ name: `dropout p=${p}`, arrays: [x, zeros(n), zeros(n)], outputs: [1, 2], call: (k, [a, o, m]) => k.f32_dropout(o, m, a, n, p, seed) });
    }
    await useBackend('js');
    const [, , mask] = onBackend({ name: '', arrays: [x, zeros(n), zeros(n)], outputs: [], call: (k, [a, o, m]) => k.f32_dropout(o, m, a, n, 0.3, 7) });
    const dropped = Array.from(mask).filter((v) => v === 0).length;
    if (n >= 1000) expect(Math.abs(dropped / n - 0.3)).toBeLessThan(0.05);
    for (const v of mask) expect(v === 0 || v === Math.fround(1 / Math.fround(1 - Math.fround(0.3)))).toBe(true);
  });
});

describe('broadcast kernels', () => {
  const codes = Object.entries(BINARY);
  // [n0..n3, sa0..sa3, sb0..sb3]: same shape, row broadcast, column broadcast, outer product, scalar
  const layouts: Array<[string, number[], number[], number[]]> = [
    ['same 1000', [1, 1, 1, 1000], [0, 0, 0, 1], [0, 0, 0, 1]],
    ['rows 7×33 + row', [1, 1, 7, 33], [0, 0, 33, 1], [0, 0, 0, 1]],
    ['rows 5×17 + column', [1, 1, 5, 17], [0, 0, 17, 1], [0, 0, 1, 0]],
    ['column + row 9×6', [1, 1, 9, 6], [0, 0, 1, 0], [0, 0, 0, 1]],
    ['scalar ∘ 15', [1, 1, 1, 15], [0, 0, 0, 0], [0, 0, 0, 1]],
    ['4-D 2×3×4×5 + [3,1,5]', [2, 3, 4, 5], [60, 20, 5, 1], [0, 5, 0, 1]],
    ['empty', [1, 1, 0, 4], [0, 0, 4, 1], [0, 0, 0, 1]],
  ];
  const size = (d: number[], s: number[]) => 1 + d.reduce((m, di, i) => m + Math.max(di - 1, 0) * s[i], 0);
  it.each(layouts)('f32_binary over %s: every op bit-identical and equal to the float64 op rounded', async (_n, d, sa, sb) => {
    const a = inputs(size(d, sa), 13), b = positive(size(d, sb), 17).map((v, i) => (i % 3 === 0 ? -v : v));
    if (b.length > 2) b[2] = a[2]; // a tie for maximum's weight
    const out = d.reduce((x, y) => x * y, 1);
    for (const [name, op] of codes) {
      await check({
        name: `binary ${name}`, arrays: [a, b, zeros(out)], outputs: [2],
        call: (k, [pa, pb, o]) => k.f32_binary(op, o, pa, pb, ...d, ...sa, ...sb),
      });
    }
  });

  it('f32_binary in place (out === a) gives the same bits', async () => {
    const a = inputs(37, 2), b = inputs(37, 3);
    await useBackend('js');
    const [, , ref] = onBackend({ name: '', arrays: [a, b, zeros(37)], outputs: [], call: (k, [x, y, o]) => k.f32_binary(BINARY.mul, o, x, y, 1, 1, 1, 37, 0, 0, 0, 1, 0, 0, 0, 1) });
    for (const bk of BACKENDS) {
      await useBackend(bk);
      const [inPlace] = onBackend({ name: '', arrays: [a.slice(), b], outputs: [], call: (k, [x, y]) => k.f32_binary(BINARY.mul, x, x, y, 1, 1, 1, 37, 0, 0, 0, 1, 0, 0, 0, 1) });
      expect(sameBits(inPlace, ref)).toBe(true);
    }
  });

  it.each([
    ['transpose 7×9', [1, 1, 9, 7], [0, 0, 7, 1], [0, 0, 1, 9], 63],
    ['expand [5] to 3×5', [1, 1, 3, 5], [0, 0, 5, 1], [0, 0, 0, 1], 15],
    ['expand [3,1] to 3×17', [1, 1, 3, 17], [0, 0, 17, 1], [0, 0, 1, 0], 51],
    ['narrow rows 2..4 of 6×10 (offset in the caller)', [1, 1, 3, 10], [0, 0, 10, 1], [0, 0, 10, 1], 30],
    ['4-D permute 2×3×4×5', [2, 3, 4, 5], [60, 20, 5, 1], [1, 2, 6, 24], 120],
  ] as Array<[string, number[], number[], number[], number]>)('f32_copy_strided: %s', async (_n, d, so, sx, out) => {
    const x = inputs(200, 5);
    await check({ name: 'copy_strided', arrays: [x, zeros(out)], outputs: [1], call: (k, [px, o]) => k.f32_copy_strided(o, px, ...d, ...so, ...sx) });
  });
});

describe('reduction and softmax kernels', () => {
  const layouts: Array<[number, number, number]> = [[1, 1000, 1], [3, 17, 1], [4, 5, 7], [2, 33, 4], [1, 6, 1000], [5, 1, 3], [2, 0, 3], [0, 4, 2], [3, 4, 1]];
  it.each(layouts)('[outer %i, n %i, inner %i]: sum, max, logsumexp, softmax, log_softmax and backward', async (outer, n, inner) => {
    const x = inputs(outer * n * inner, 29).map((v) => Math.max(Math.min(v, 50), -50));
    const dyFull = seeded(outer * n * inner, 31), dyRed = seeded(outer * inner, 37);
    const size = outer * n * inner, red = outer * inner;
    await check({ name: 'sum', arrays: [x, zeros(red)], outputs: [1], call: (k, [a, o]) => k.f32_sum_axis(o, a, outer, n, inner, 1), tol64: 1e-5 });
    await check({ name: 'mean', arrays: [x, zeros(red)], outputs: [1], call: (k, [a, o]) => k.f32_sum_axis(o, a, outer, n, inner, 1 / Math.max(n, 1)), tol64: 1e-5 });
    await check({ name: 'max', arrays: [x, zeros(red)], outputs: [1], call: (k, [a, o]) => k.f32_max_axis(o, a, outer, n, inner) });
    await check({ name: 'logsumexp', arrays: [x, zeros(red)], outputs: [1], call: (k, [a, o]) => k.f32_logsumexp_axis(o, a, outer, n, inner), tol64: 1e-5 });
    await check({ name: 'softmax', arrays: [x, zeros(size)], outputs: [1], call: (k, [a, o]) => k.f32_softmax_axis(o, a, outer, n, inner), tol64: 1e-5 });
    await check({ name: 'log_softmax', arrays: [x, zeros(size)], outputs: [1], call: (k, [a, o]) => k.f32_log_softmax_axis(o, a, outer, n, inner), tol64: 1e-5 });
    await check({ name: 'softmax in place', arrays: [x.slice()], outputs: [0], call: (k, [a]) => k.f32_softmax_axis(a, a, outer, n, inner), tol64: 1e-5 });
    await useBackend('js');
    const [, y] = onBackend({ name: '', arrays: [x, zeros(size)], outputs: [], call: (k, [a, o]) => k.f32_softmax_axis(o, a, outer, n, inner) });
    const [, ly] = onBackend({ name: '', arrays: [x, zeros(size)], outputs: [], call: (k, [a, o]) => k.f32_log_softmax_axis(o, a, outer, n, inner) });
    const [, my] = onBackend({ name: '', arrays: [x, zeros(red)], outputs: [], call: (k, [a, o]) => k.f32_max_axis(o, a, outer, n, inner) });
    await check({ name: 'softmax_backward', arrays: [dyFull, y, zeros(size)], outputs: [2], call: (k, [g, yy, o]) => k.f32_softmax_axis_backward(o, g, yy, outer, n, inner), tol64: 1e-5 });
    await check({ name: 'log_softmax_backward', arrays: [dyFull, ly, zeros(size)], outputs: [2], call: (k, [g, yy, o]) => k.f32_log_softmax_axis_backward(o, g, yy, outer, n, inner), tol64: 1e-5 });
    await check({ name: 'max_backward', arrays: [dyRed, x, my, zeros(size)], outputs: [3], call: (k, [g, a, m, o]) => k.f32_max_axis_backward(o, g, a, m, outer, n, inner) });
  });

  it('max splits the gradient between ties, as torch amax', async () => {
    const x = Float32Array.from([1, 3, 3, 2]);
    for (const b of BACKENDS) {
      await useBackend(b);
      const [, , , dx] = onBackend({ name: '', arrays: [Float32Array.from([1]), x, Float32Array.from([3]), zeros(4)], outputs: [], call: (k, [g, a, m, o]) => k.f32_max_axis_backward(o, g, a, m, 1, 4, 1) });
      expect(Array.from(dx)).toEqual([0, 0.5, 0.5, 0]);
    }
  });
});

describe('loss kernels', () => {
  it.each([0, 1, 3, 4, 5, 17, 1000])('mse, bce on logits, huber and nll at n = %i', async (n) => {
    const p = inputs(n, 41, 3), t = seeded(n, 43, 2), tb = seeded(n, 47).map((v) => Math.abs(v) % 1);
    const one = Float32Array.from([0]);
    await check({ name: 'mse', arrays: [p, t, one], outputs: [2], call: (k, [a, b, o]) => k.f32_mse_loss_sum(o, a, b, n, 1 / Math.max(n, 1)), tol64: 1e-5 });
    await check({ name: 'bce', arrays: [p.map((v) => Math.max(Math.min(v, 80), -80)), tb, one], outputs: [2], call: (k, [a, b, o]) => k.f32_bce_logits_sum(o, a, b, n, 1 / Math.max(n, 1)), tol64: 1e-5 });
    await check({ name: 'huber', arrays: [p, t, one], outputs: [2], call: (k, [a, b, o]) => k.f32_huber_loss_sum(o, a, b, n, 1 / Math.max(n, 1), 0.75), tol64: 1e-5 });
    const rows = n, classes = 7;
    const lp = seeded(rows * classes, 53), tg = Int32Array.from({ length: rows }, (_, i) => (i * 5) % classes);
    await check({ name: 'nll', arrays: [lp, tg, one], outputs: [2], call: (k, [a, b, o]) => k.f32_nll_loss(o, a, b, rows, classes, 1 / Math.max(rows, 1)), tol64: 1e-5 });
    await check({ name: 'nll_backward', arrays: [Float32Array.from([0.75]), tg, zeros(rows * classes)], outputs: [2], call: (k, [g, b, o]) => k.f32_nll_loss_backward(o, g, b, rows, classes, 1 / Math.max(rows, 1)) });
  });
});

describe('matmul, conv and pooling kernels', () => {
  it.each([[1, 1, 1, 1], [3, 5, 7, 2], [2, 17, 9, 33], [4, 8, 16, 8], [2, 0, 3, 4]])('gemm_batched: batch %i, M %i, K %i, N %i, all four transposes, a broadcast operand, beta 0.5', async (batch, M, K, N) => {
    const A = seeded(batch * M * K, 61), B = seeded(batch * K * N, 67), C = seeded(batch * M * N, 71);
    for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const lda = ta ? M : K, ldb = tb ? K : N;
      await check({
        name: `gemm_batched ${ta}${tb}`, arrays: [A, B, C.slice()], outputs: [2], gemm: true, tol64: 1e-5,
        call: (k, [a, b, c]) => k.f32_gemm_batched(ta, tb, batch, M, N, K, 1, a, lda, M * K, b, ldb, 0, 0.5, c, N, M * N),
      });
    }
  });

  const convs: Array<[string, number[]]> = [
    // N, C, H, W, O, KH, KW, SH, SW, PH, PW
    ['3×3 stride 1', [2, 3, 7, 7, 4, 3, 3, 1, 1, 0, 0]],
    ['3×3 stride 2 pad 1', [1, 2, 8, 6, 3, 3, 3, 2, 2, 1, 1]],
    ['1×1', [2, 5, 4, 4, 3, 1, 1, 1, 1, 0, 0]],
    ['2×3 kernel, stride [1, 2], padding [1, 0]', [3, 1, 6, 9, 2, 2, 3, 1, 2, 1, 0]],
  ];
  it.each(convs)('conv2d and its backward: %s', async (_n, [N, C, H, W, O, KH, KW, SH, SW, PH, PW]) => {
    const OH = Math.floor((H + 2 * PH - KH) / SH) + 1, OW = Math.floor((W + 2 * PW - KW) / SW) + 1;
    const geom = [N, C, H, W, O, KH, KW, SH, SW, PH, PW, OH, OW];
    const x = seeded(N * C * H * W, 73), w = seeded(O * C * KH * KW, 79), b = seeded(O, 83), dy = seeded(N * O * OH * OW, 89);
    const cols = N * C * KH * KW * OH * OW;
    const fwd = (k: any, [px, pw, pb, o, c, wk]: number[]) => k.f32_conv2d(o, px, pw, pb, c, wk, ...geom);
    await check({ name: 'conv2d', arrays: [x, w, b, zeros(N * O * OH * OW), zeros(cols), zeros(N * O * OH * OW)], outputs: [3, 4], gemm: true, tol64: 1e-5, call: fwd });
    await check({ name: 'conv2d without bias', arrays: [x, w, b, zeros(N * O * OH * OW), zeros(cols), zeros(N * O * OH * OW)], outputs: [3], gemm: true, tol64: 1e-5, call: (k, [px, pw, , o, c, wk]) => k.f32_conv2d(o, px, pw, 0, c, wk, ...geom) });
    await useBackend('js');
    const [, , , , colsOut] = onBackend({ name: '', arrays: [x, w, b, zeros(N * O * OH * OW), zeros(cols), zeros(N * O * OH * OW)], outputs: [], call: fwd });
    await check({
      name: 'conv2d_backward', arrays: [dy, w, colsOut, zeros(N * C * H * W), zeros(O * C * KH * KW), zeros(O), zeros(C * KH * KW * OH * OW)], outputs: [3, 4, 5], gemm: true, tol64: 1e-5,
      call: (k, [g, pw, c, dx, dw, db, dc]) => k.f32_conv2d_backward(dx, dw, db, g, pw, c, dc, ...geom),
    });
  });

  const pools: Array<[string, number[]]> = [
    // planes, H, W, KH, KW, SH, SW, PH, PW
    ['2×2 stride 2', [6, 6, 6, 2, 2, 2, 2, 0, 0]],
    ['2×2 stride 2 on 9×13 (a v128 block of windows and a tail; odd sizes leave a row and a column out)', [3, 9, 13, 2, 2, 2, 2, 0, 0]],
    ['2×2 stride 2 on 26×26', [2, 26, 26, 2, 2, 2, 2, 0, 0]],
    ['3×3 stride 2 on 7×5', [2, 7, 5, 3, 3, 2, 2, 0, 0]],
    ['3×3 stride 1 padding 1', [3, 5, 5, 3, 3, 1, 1, 1, 1]],
    ['2×3 stride [2, 1] padding [1, 0]', [2, 6, 7, 2, 3, 2, 1, 1, 0]],
  ];
  it.each(pools)('max and average pooling and backward: %s', async (_n, [P, H, W, KH, KW, SH, SW, PH, PW]) => {
    const OH = Math.floor((H + 2 * PH - KH) / SH) + 1, OW = Math.floor((W + 2 * PW - KW) / SW) + 1;
    const win = [KH, KW, SH, SW, PH, PW, OH, OW];
    const x = seeded(P * H * W, 97), dy = seeded(P * OH * OW, 101);
    await check({ name: 'max_pool2d', arrays: [x, zeros(P * OH * OW), new Int32Array(P * OH * OW)], outputs: [1, 2], call: (k, [px, o, am]) => k.f32_max_pool2d(o, am, px, P, H, W, ...win) });
    await useBackend('js');
    const [, , argmax] = onBackend({ name: '', arrays: [x, zeros(P * OH * OW), new Int32Array(P * OH * OW)], outputs: [], call: (k, [px, o, am]) => k.f32_max_pool2d(o, am, px, P, H, W, ...win) });
    await check({ name: 'max_pool2d_backward', arrays: [dy, argmax, zeros(P * H * W)], outputs: [2], call: (k, [g, am, o]) => k.f32_max_pool2d_backward(o, g, am, P, H, W, OH, OW) });
    await check({ name: 'avg_pool2d', arrays: [x, zeros(P * OH * OW)], outputs: [1], call: (k, [px, o]) => k.f32_avg_pool2d(o, px, P, H, W, ...win), tol64: 1e-5 });
    await check({ name: 'avg_pool2d_backward', arrays: [dy, zeros(P * H * W)], outputs: [1], call: (k, [g, o]) => k.f32_avg_pool2d_backward(o, g, P, H, W, ...win), tol64: 1e-5 });
  });
});

describe('max_pool2d 2×2 stride 2 (the v128 path) keeps the scalar rules', () => {
  // windows of a 2×16 plane (8 windows: two v128 blocks), each [top-left, top-right, bottom-left, bottom-right]
  const windows: Array<[number[], number, number]> = [
    // elements, expected max, expected position within the window (0..3)
    [[1, 3, 3, 2], 3, 1], // the first of equal maxima
    [[-Infinity, -Infinity, -Infinity, -Infinity], -Infinity, 0], // nothing beats -Infinity: the first position
    [[NaN, 5, 1, 2], NaN, 0],
    [[4, NaN, 9, NaN], NaN, 3], // NaN wins, the last NaN keeps the position (torch's rule)
    [[-0, 0, -1, -2], -0, 0], // -0 == 0: the first
    [[2, 1, 7, 7], 7, 2],
    [[-3, -2, -1, -Infinity], -1, 2],
    [[0, 0, 0, 1e-30], Math.fround(1e-30), 3],
  ];
  it.each(['wasm-simd', 'wasm-scalar', 'js'] as const)('on %s: max, position, NaN and ties as the scalar scan', async (b) => {
    await useBackend(b);
    const W = 16, x = new Float32Array(2 * W);
    windows.forEach(([e], i) => {
      x[2 * i] = e[0]; x[2 * i + 1] = e[1]; x[W + 2 * i] = e[2]; x[W + 2 * i + 1] = e[3];
    });
    const [, out, argmax] = onBackend({ name: '', arrays: [x, zeros(8), new Int32Array(8)], outputs: [], call: (k, [px, o, am]) => k.f32_max_pool2d(o, am, px, 1, 2, W, 2, 2, 2, 2, 0, 0, 1, 8) });
    windows.forEach(([, max, at], i) => {
      expect(Object.is(out[i], max) || (Number.isNaN(max) && Number.isNaN(out[i]))).toBe(true);
      expect(argmax[i]).toBe(2 * i + (at & 1) + (at >> 1) * W);
    });
  });
});

describe('embedding and layer norm kernels', () => {
  it.each([[0, 3], [1, 1], [5, 4], [9, 17], [33, 5]])('embedding of %i rows of dim %i and its scatter-add', async (n, dim) => {
    const rows = 11, w = seeded(rows * dim, 103), idx = Int32Array.from({ length: n }, (_, i) => (i * 7) % rows), dy = seeded(n * dim, 107);
    await check({ name: 'embedding', arrays: [w, idx, zeros(n * dim)], outputs: [2], call: (k, [pw, pi, o]) => k.f32_embedding(o, pw, pi, n, dim, rows) });
    await check({ name: 'embedding_backward', arrays: [dy, idx, zeros(rows * dim)], outputs: [2], call: (k, [g, pi, o]) => k.f32_embedding_backward(o, g, pi, n, dim, rows) });
  });

  it.each([[1, 1], [3, 5], [7, 4], [2, 33], [4, 1000], [0, 3]])('layer_norm of %i×%i with and without weight and bias, and backward', async (rows, cols) => {
    const x = seeded(rows * cols, 109, 3), g = seeded(cols, 113), b = seeded(cols, 127), dy = seeded(rows * cols, 131);
    for (const affine of [true, false]) {
      const fwd = (k: any, [px, pg, pb, o, mu, rs]: number[]) => k.f32_layer_norm(o, mu, rs, px, affine ? pg : 0, affine ? pb : 0, rows, cols, 1e-5);
      await check({ name: `layer_norm ${affine}`, arrays: [x, g, b, zeros(rows * cols), zeros(rows), zeros(rows)], outputs: [3, 4, 5], call: fwd, tol64: 1e-5 });
      await useBackend('js');
      const [, , , , mu, rs] = onBackend({ name: '', arrays: [x, g, b, zeros(rows * cols), zeros(rows), zeros(rows)], outputs: [], call: fwd });
      await check({
        name: `layer_norm_backward ${affine}`, arrays: [dy, x, mu, rs, g, zeros(rows * cols), zeros(cols), zeros(cols)], outputs: [5, 6, 7], tol64: 1e-4,
        call: (k, [pg, px, pm, pr, pw, dx, dg, db]) => k.f32_layer_norm_backward(dx, dg, db, pg, px, pm, pr, affine ? pw : 0, rows, cols),
      });
    }
  });
});
