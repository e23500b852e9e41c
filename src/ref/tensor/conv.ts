/**
 * References for assembly/kernels/tensor/conv.ts: conv2d as im2col + one GEMM over the batch, its
 * backward, and max / average pooling (NCHW). The forward's column matrix is [C·KH·KW, N·OH·OW],
 * row (c·KH + kh)·KW + kw, column n·OH·OW + oh·OW + ow; the backward's per-image dcols are
 * [C·KH·KW, OH·OW].
 */
import type { TensorHeap, Round } from './common.js';
import { f32_gemm_batched } from './matmul.js';

/** im2col (copy) or col2im-add (!copy) between one image and its columns (row r at col + r·ld), element by element in order. */
function colsPass(
  copy: boolean, m: Float32Array | Float64Array, fr: (x: number) => number, img: number, col: number, ld: number, C: number, H: number, W: number,
  KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
): void {
  let r = 0;
  for (let c = 0; c < C; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++, r++) {
        let q = col + r * ld;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * SH - PH + kh;
          const rowOk = ih >= 0 && ih < H;
          const xr = img + (c * H + ih) * W;
          for (let ow = 0; ow < OW; ow++, q++) {
            const iw = ow * SW - PW + kw;
            const ok = rowOk && iw >= 0 && iw < W;
            if (copy) m[q] = ok ? m[xr + iw] : 0;
            else if (ok) m[xr + iw] = fr(m[xr + iw] + m[q]);
          }
        }
      }
    }
  }
}

export function f32_conv2d(
  h: TensorHeap, out: number, x: number, w: number, bias: number, cols: number, work: number,
  N: number, C: number, H: number, W: number, O: number, KH: number, KW: number,
  SH: number, SW: number, PH: number, PW: number, OH: number, OW: number, fr: Round = Math.fround,
): void {
  const m = h.f32, CKK = C * KH * KW, P = OH * OW, NP = N * P;
  for (let n = 0; n < N; n++) colsPass(true, m, fr, (x >>> 2) + n * C * H * W, (cols >>> 2) + n * P, NP, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
  f32_gemm_batched(h, 0, 0, 1, O, NP, CKK, 1, w, CKK, 0, cols, NP, 0, 0, work, NP, 0, fr);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const src = (work >>> 2) + o * NP + n * P, dst = (out >>> 2) + (n * O + o) * P;
      const bv = bias === 0 ? 0 : m[(bias >>> 2) + o];
      for (let p = 0; p < P; p++) m[dst + p] = bias === 0 ? m[src + p] : fr(m[src + p] + bv);
    }
  }
}

export function f32_conv2d_backward(
  h: TensorHeap, dx: number, dw: number, db: number, dy: number, w: number, cols: number, dcols: number,
  N: number, C: number, H: number, W: number, O: number, KH: number, KW: number,
  SH: number, SW: number, PH: number, PW: number, OH: number, OW: number, fr: Round = Math.fround,
): void {
  const m = h.f32, CKK = C * KH * KW, P = OH * OW, NP = N * P;
  if (dw !== 0) {
    m.fill(0, dw >>> 2, (dw >>> 2) + O * CKK);
    for (let n = 0; n < N; n++) {
      f32_gemm_batched(h, 0, 1, 1, O, CKK, P, 1, dy + 4 * n * O * P, P, 0, cols + 4 * n * P, NP, 0, n === 0 ? 0 : 1, dw, CKK, 0, fr);
    }
  }
  if (db !== 0) {
    // four lane partials, combined as (l0 + l1) + (l2 + l3), then the tails (the kernel's order)
    const P4 = P & ~3;
    for (let o = 0; o < O; o++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let n = 0; n < N; n++) {
        const r = (dy >>> 2) + (n * O + o) * P;
        for (let p = 0; p < P4; p += 4) {
          s0 = fr(s0 + m[r + p]);
          s1 = fr(s1 + m[r + p + 1]);
          s2 = fr(s2 + m[r + p + 2]);
          s3 = fr(s3 + m[r + p + 3]);
        }
      }
      let s = fr(fr(s0 + s1) + fr(s2 + s3));
      for (let n = 0; n < N; n++) {
        const r = (dy >>> 2) + (n * O + o) * P;
        for (let p = P4; p < P; p++) s = fr(s + m[r + p]);
      }
      m[(db >>> 2) + o] = s;
    }
  }
  if (dx !== 0) {
    m.fill(0, dx >>> 2, (dx >>> 2) + N * C * H * W);
    for (let n = 0; n < N; n++) {
      f32_gemm_batched(h, 1, 0, 1, CKK, P, O, 1, w, CKK, 0, dy + 4 * n * O * P, P, 0, 0, dcols, P, 0, fr);
      colsPass(false, m, fr, (dx >>> 2) + n * C * H * W, dcols >>> 2, P, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
    }
  }
}

export function f32_max_pool2d(
  h: TensorHeap, out: number, argmax: number, x: number, planes: number, H: number, W: number,
  KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
): void {
  const m = h.f32, t = h.i32;
  let o = out >>> 2, ai = argmax >>> 2;
  for (let pl = 0; pl < planes; pl++) {
    const xp = (x >>> 2) + pl * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const hs = Math.max(oh * SH - PH, 0), he = Math.min(oh * SH - PH + KH, H);
      for (let ow = 0; ow < OW; ow++) {
        const ws = Math.max(ow * SW - PW, 0), we = Math.min(ow * SW - PW + KW, W);
        let best = -Infinity, arg = hs * W + ws;
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const v = m[xp + ih * W + iw];
            if (v > best || v !== v) {
              best = v;
              arg = ih * W + iw;
            }
          }
        }
        m[o++] = best;
        t[ai++] = arg;
      }
    }
  }
}

export function f32_max_pool2d_backward(
  h: TensorHeap, dx: number, dy: number, argmax: number, planes: number, H: number, W: number, OH: number, OW: number, fr: Round = Math.fround,
): void {
  const m = h.f32, t = h.i32, d0 = dx >>> 2;
  m.fill(0, d0, d0 + planes * H * W);
  let g = dy >>> 2, ai = argmax >>> 2;
  for (let pl = 0; pl < planes; pl++) {
    const dp = d0 + pl * H * W;
    for (let k = 0; k < OH * OW; k++) {
      const j = dp + t[ai++];
      m[j] = fr(m[j] + m[g++]);
    }
  }
}

/** Calls f(outIndex, hs, he, ws, we, divisor) per window, torch's avg_pool2d bounds (count_include_pad). */
function eachWindow(
  planes: number, H: number, W: number, KH: number, KW: number, SH: number, SW: number, PH: number, PW: number,
  OH: number, OW: number, f: (o: number, plane: number, hs: number, he: number, ws: number, we: number, div: number) => void,
): void {
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    for (let oh = 0; oh < OH; oh++) {
      let hs = oh * SH - PH, he = Math.min(hs + KH, H + PH);
      for (let ow = 0; ow < OW; ow++) {
        let ws = ow * SW - PW, we = Math.min(ws + KW, W + PW);
        const div = (he - hs) * (we - ws);
        f(o++, pl, Math.max(hs, 0), Math.min(he, H), Math.max(ws, 0), Math.min(we, W), div);
      }
    }
  }
}

export function f32_avg_pool2d(
  h: TensorHeap, out: number, x: number, planes: number, H: number, W: number,
  KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number, fr: Round = Math.fround,
): void {
  const m = h.f32, o0 = out >>> 2, x0 = x >>> 2;
  eachWindow(planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW, (o, pl, hs, he, ws, we, div) => {
    const xp = x0 + pl * H * W;
    let s = 0;
    for (let ih = hs; ih < he; ih++) for (let iw = ws; iw < we; iw++) s = fr(s + m[xp + ih * W + iw]);
    m[o0 + o] = fr(s / div);
  });
}

export function f32_avg_pool2d_backward(
  h: TensorHeap, dx: number, dy: number, planes: number, H: number, W: number,
  KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number, fr: Round = Math.fround,
): void {
  const m = h.f32, d0 = dx >>> 2, g0 = dy >>> 2;
  m.fill(0, d0, d0 + planes * H * W);
  eachWindow(planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW, (o, pl, hs, he, ws, we, div) => {
    const dp = d0 + pl * H * W, g = fr(m[g0 + o] / div);
    for (let ih = hs; ih < he; ih++) for (let iw = ws; iw < we; iw++) m[dp + ih * W + iw] = fr(m[dp + ih * W + iw] + g);
  });
}
