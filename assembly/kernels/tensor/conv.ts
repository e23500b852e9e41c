// conv2d over NCHW f32 as im2col + the existing f32_gemm, and max / average pooling over planes of
// H×W. The forward's columns hold every image side by side: [C·KH·KW, N·OH·OW], row (c·KH + kh)·KW
// + kw, column n·OH·OW + oh·OW + ow (kept for the backward), so one GEMM of O × N·OH·OW computes the
// whole batch (no per-image calls with a narrow tail tile) into `work` [O, N·OH·OW], and one pass
// moves it to NCHW adding the bias. GEMM sums in its own order (compare with a tolerance); the rest
// matches src/ref/tensor/conv.ts step for step. Outputs must not alias inputs; a 0 pointer skips an
// optional operand or gradient.
import { f32_gemm } from "../gemm";

/**
 * im2col (copy = true) or col2im-add (copy = false) between an image and its columns: row r of the
 * column matrix starts at col + r·ld (elements) and holds the OH·OW window positions.
 */
// @ts-ignore: decorator
@inline function cols(
  copy: bool, img: usize, col: usize, ld: usize, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const rowBytes = <usize>OW << 2;
  let r: usize = 0;
  for (let c = 0; c < C; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++, r++) {
        let q = col + ((r * ld) << 2);
        // the output columns whose input column iw = ow·SW − PW + kw lies inside [0, W)
        const lo = min<i32>(max<i32>(0, (PW - kw + SW - 1) / SW), OW);
        const last = W - 1 + PW - kw; // (negative: no column fits)
        const hi = last < 0 ? lo : max<i32>(min<i32>(OW, last / SW + 1), lo);
        for (let oh = 0; oh < OH; oh++, q += rowBytes) {
          const ih = oh * SH - PH + kh;
          if (ih < 0 || ih >= H) {
            if (copy) memory.fill(q, 0, rowBytes);
            continue;
          }
          const xr = img + ((<usize>(c * H + ih) * <usize>W) << 2) + (<usize>(lo * SW - PW + kw) << 2);
          if (copy) {
            if (lo > 0) memory.fill(q, 0, <usize>lo << 2);
            if (hi < OW) memory.fill(q + (<usize>hi << 2), 0, <usize>(OW - hi) << 2);
          }
          const qr = q + (<usize>lo << 2), n = hi - lo;
          if (SW == 1) {
            if (copy) memory.copy(qr, xr, <usize>n << 2);
            else {
              let i = 0;
              if (ASC_FEATURE_SIMD) {
                for (; i + 4 <= n; i += 4) {
                  const k = <usize>i << 2;
                  v128.store(xr + k, f32x4.add(v128.load(xr + k), v128.load(qr + k)));
                }
              }
              for (; i < n; i++) {
                const k = <usize>i << 2;
                store<f32>(xr + k, load<f32>(xr + k) + load<f32>(qr + k));
              }
            }
          } else {
            const step = <usize>SW << 2;
            for (let i = 0; i < n; i++) {
              const xp = xr + <usize>i * step, qp = qr + (<usize>i << 2);
              if (copy) store<f32>(qp, load<f32>(xp));
              else store<f32>(xp, load<f32>(xp) + load<f32>(qp));
            }
          }
        }
      }
    }
  }
}

/** out = conv(x, w) + bias; cols receives the batch's im2col matrix, work the GEMM's [O, N·OH·OW]. */
export function f32_conv2d(
  out: usize, x: usize, w: usize, bias: usize, col: usize, work: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const CKK = C * KH * KW, P = OH * OW, NP = N * P;
  for (let n = 0; n < N; n++) {
    cols(true, x + ((<usize>n * <usize>C * <usize>H * <usize>W) << 2), col + ((<usize>n * <usize>P) << 2), <usize>NP,
      C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
  }
  f32_gemm(0, 0, O, NP, CKK, 1, w, CKK, col, NP, 0, work, NP);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const src = work + ((<usize>o * <usize>NP + <usize>n * <usize>P) << 2), dst = out + ((<usize>(n * O + o) * <usize>P) << 2);
      if (bias == 0) {
        memory.copy(dst, src, <usize>P << 2);
        continue;
      }
      const bv = load<f32>(bias + (<usize>o << 2));
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        const vb = f32x4.splat(bv);
        for (; p + 4 <= P; p += 4) v128.store(dst + (<usize>p << 2), f32x4.add(v128.load(src + (<usize>p << 2)), vb));
      }
      for (; p < P; p++) store<f32>(dst + (<usize>p << 2), load<f32>(src + (<usize>p << 2)) + bv);
    }
  }
}

/** dx (via dcols, one image at a time), dw = Σ_n dy_n·cols_nᵀ, db = Σ dy; each skipped when its pointer is 0. */
export function f32_conv2d_backward(
  dx: usize, dw: usize, db: usize, dy: usize, w: usize, col: usize, dcol: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const CKK = C * KH * KW, P = OH * OW, NP = N * P;
  if (dw != 0) {
    memory.fill(dw, 0, (<usize>O * <usize>CKK) << 2);
    // dw += dy_n · (image n's columns)ᵀ: rows of the batch's column matrix from column n·P
    for (let n = 0; n < N; n++) {
      f32_gemm(0, 1, O, CKK, P, 1, dy + ((<usize>n * <usize>O * <usize>P) << 2), P,
        col + ((<usize>n * <usize>P) << 2), NP, n == 0 ? 0 : 1, dw, CKK);
    }
  }
  if (db != 0) {
    // four lane partials (lane k: positions p ≡ k mod 4 below P & ~3 of every image), combined as
    // (l0 + l1) + (l2 + l3), then the tails in order: the same bits on every build and in the reference
    const P4 = P & ~3;
    for (let o = 0; o < O; o++) {
      let s: f32 = 0;
      if (ASC_FEATURE_SIMD) {
        let acc = f32x4.splat(0);
        for (let n = 0; n < N; n++) {
          const r = dy + ((<usize>(n * O + o) * <usize>P) << 2);
          for (let p = 0; p < P4; p += 4) acc = f32x4.add(acc, v128.load(r + (<usize>p << 2)));
        }
        s = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      } else {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        for (let n = 0; n < N; n++) {
          const r = dy + ((<usize>(n * O + o) * <usize>P) << 2);
          for (let p = 0; p < P4; p += 4) {
            const q = r + (<usize>p << 2);
            s0 += load<f32>(q);
            s1 += load<f32>(q, 4);
            s2 += load<f32>(q, 8);
            s3 += load<f32>(q, 12);
          }
        }
        s = (s0 + s1) + (s2 + s3);
      }
      for (let n = 0; n < N; n++) {
        const r = dy + ((<usize>(n * O + o) * <usize>P) << 2);
        for (let p = P4; p < P; p++) s += load<f32>(r + (<usize>p << 2));
      }
      store<f32>(db + (<usize>o << 2), s);
    }
  }
  if (dx != 0) {
    const img = (<usize>C * <usize>H * <usize>W) << 2;
    memory.fill(dx, 0, <usize>N * img);
    for (let n = 0; n < N; n++) {
      f32_gemm(1, 0, CKK, P, O, 1, w, CKK, dy + ((<usize>n * <usize>O * <usize>P) << 2), P, 0, dcol, P);
      cols(false, dx + <usize>n * img, dcol, <usize>P, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
    }
  }
}

/**
 * Window maxima and their flat h·W + w positions. Each window scans its elements in row-major order
 * from -Infinity and takes an element when it is greater than the best so far or NaN (so NaN wins, as
 * torch; the first of equal maxima and the last NaN keep the position). The common 2×2, stride 2,
 * unpadded window runs four windows per v128 with the same updates in the same order.
 */
export function f32_max_pool2d(
  out: usize, argmax: usize, x: usize, planes: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const pool22 = KH == 2 && KW == 2 && SH == 2 && SW == 2 && PH == 0 && PW == 0;
  let o = out, a = argmax;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>H * <usize>W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const hs = max<i32>(oh * SH - PH, 0), he = min<i32>(oh * SH - PH + KH, H);
      let ow = 0;
      if (pool22) {
        const r0 = xp + ((<usize>(2 * oh) * <usize>W) << 2), r1 = r0 + (<usize>W << 2);
        if (ASC_FEATURE_SIMD) {
          const step = i32x4.splat(8), w1 = i32x4.splat(W);
          let pos = i32x4.add(i32x4.splat(2 * oh * W), i32x4(0, 2, 4, 6));
          for (; ow + 4 <= OW; ow += 4) {
            const k = <usize>ow << 3; // two floats per window
            const a0 = v128.load(r0 + k), a1 = v128.load(r0 + k, 16), b0 = v128.load(r1 + k), b1 = v128.load(r1 + k, 16);
            let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), arg = pos;
            // the first element is taken unless it is -Infinity (no effect then: arg is already its position)
            let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7), c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
            best = v128.bitselect(v, best, c);
            arg = v128.bitselect(i32x4.add(pos, i32x4.splat(1)), arg, c);
            v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
            c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
            best = v128.bitselect(v, best, c);
            arg = v128.bitselect(i32x4.add(pos, w1), arg, c);
            v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
            c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
            best = v128.bitselect(v, best, c);
            arg = v128.bitselect(i32x4.add(i32x4.add(pos, w1), i32x4.splat(1)), arg, c);
            v128.store(o, best);
            v128.store(a, arg);
            pos = i32x4.add(pos, step);
            o += 16;
            a += 16;
          }
        }
        for (; ow < OW; ow++) {
          const q = <usize>ow << 3, p0 = 2 * oh * W + 2 * ow;
          let best = load<f32>(r0 + q), arg = p0;
          let v = load<f32>(r0 + q, 4);
          if (v > best || v != v) { best = v; arg = p0 + 1; }
          v = load<f32>(r1 + q);
          if (v > best || v != v) { best = v; arg = p0 + W; }
          v = load<f32>(r1 + q, 4);
          if (v > best || v != v) { best = v; arg = p0 + W + 1; }
          store<f32>(o, best);
          store<i32>(a, arg);
          o += 4;
          a += 4;
        }
        continue;
      }
      for (; ow < OW; ow++) {
        const ws = max<i32>(ow * SW - PW, 0), we = min<i32>(ow * SW - PW + KW, W);
        let best: f32 = -Infinity, arg = hs * W + ws;
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const v = load<f32>(xp + (<usize>(ih * W + iw) << 2));
            if (v > best || v != v) {
              best = v;
              arg = ih * W + iw;
            }
          }
        }
        store<f32>(o, best);
        store<i32>(a, arg);
        o += 4;
        a += 4;
      }
    }
  }
}

/** dx = 0, then dx[p, argmax] += dy[p, o]. */
export function f32_max_pool2d_backward(dx: usize, dy: usize, argmax: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32): void {
  const plane = (<usize>H * <usize>W) << 2, outs = OH * OW;
  memory.fill(dx, 0, <usize>planes * plane);
  let g = dy, a = argmax;
  for (let pl = 0; pl < planes; pl++) {
    const dp = dx + <usize>pl * plane;
    for (let k = 0; k < outs; k++) {
      const j = dp + (<usize>load<i32>(a) << 2);
      store<f32>(j, load<f32>(j) + load<f32>(g));
      g += 4;
      a += 4;
    }
  }
}

/** Average pooling (torch's count_include_pad: the divisor counts padding inside H + PH, W + PW). */
// @ts-ignore: decorator
@inline function avgPool(
  forward: bool, y: usize, x: usize, planes: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  let o = y;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>H * <usize>W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * SH - PH, h1 = min<i32>(h0 + KH, H + PH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * SW - PW, w1 = min<i32>(w0 + KW, W + PW);
        const div = <f32>((h1 - h0) * (w1 - w0));
        const hs = max<i32>(h0, 0), he = min<i32>(h1, H), ws = max<i32>(w0, 0), we = min<i32>(w1, W);
        if (forward) {
          let s: f32 = 0;
          for (let ih = hs; ih < he; ih++) for (let iw = ws; iw < we; iw++) s += load<f32>(xp + (<usize>(ih * W + iw) << 2));
          store<f32>(o, s / div);
        } else {
          const g = load<f32>(o) / div;
          for (let ih = hs; ih < he; ih++) {
            for (let iw = ws; iw < we; iw++) {
              const k = xp + (<usize>(ih * W + iw) << 2);
              store<f32>(k, load<f32>(k) + g);
            }
          }
        }
        o += 4;
      }
    }
  }
}

/** out = mean of each window. */
export function f32_avg_pool2d(
  out: usize, x: usize, planes: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  avgPool(true, out, x, planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
}

/** dx = 0, then each window adds dy/divisor to its in-range elements. */
export function f32_avg_pool2d_backward(
  dx: usize, dy: usize, planes: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  memory.fill(dx, 0, (<usize>planes * <usize>H * <usize>W) << 2);
  avgPool(false, dy, dx, planes, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
}
