// conv2d over NCHW f32 as im2col + the existing f32_gemm per image (columns [C·KH·KW, OH·OW], row
// (c·KH + kh)·KW + kw, kept for the backward), and max / average pooling over planes of H×W. GEMM
// sums in its own order (compare with a tolerance); the rest matches src/ref/tensor/conv.ts step
// for step. Outputs must not alias inputs; a 0 pointer skips an optional operand or gradient.
import { f32_gemm } from "../gemm";

/** im2col (copy = true) or col2im-add (copy = false) between an image and its columns. */
// @ts-ignore: decorator
@inline function cols(
  copy: bool, img: usize, col: usize, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  let q = col;
  for (let c = 0; c < C; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * SH - PH + kh;
          const rowOk = ih >= 0 && ih < H;
          const xr = img + ((<usize>(c * H + ih) * <usize>W) << 2);
          for (let ow = 0; ow < OW; ow++, q += 4) {
            const iw = ow * SW - PW + kw;
            const ok = rowOk && iw >= 0 && iw < W;
            if (copy) store<f32>(q, ok ? load<f32>(xr + (<usize>iw << 2)) : <f32>0);
            else if (ok) store<f32>(xr + (<usize>iw << 2), load<f32>(xr + (<usize>iw << 2)) + load<f32>(q));
          }
        }
      }
    }
  }
}

/** out = conv(x, w) + bias; cols receives every image's im2col matrix. */
export function f32_conv2d(
  out: usize, x: usize, w: usize, bias: usize, col: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const CKK = C * KH * KW, P = OH * OW;
  for (let n = 0; n < N; n++) {
    const cn = col + ((<usize>n * <usize>CKK * <usize>P) << 2), on = out + ((<usize>n * <usize>O * <usize>P) << 2);
    cols(true, x + ((<usize>n * <usize>C * <usize>H * <usize>W) << 2), cn, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
    f32_gemm(0, 0, O, P, CKK, 1, w, CKK, cn, P, 0, on, P);
    if (bias != 0) {
      for (let o = 0; o < O; o++) {
        const bv = load<f32>(bias + (<usize>o << 2)), r = on + ((<usize>o * <usize>P) << 2);
        let p = 0;
        if (ASC_FEATURE_SIMD) {
          const vb = f32x4.splat(bv);
          for (; p + 4 <= P; p += 4) v128.store(r + (<usize>p << 2), f32x4.add(v128.load(r + (<usize>p << 2)), vb));
        }
        for (; p < P; p++) store<f32>(r + (<usize>p << 2), load<f32>(r + (<usize>p << 2)) + bv);
      }
    }
  }
}

/** dx (via dcols), dw = Σ_n dy_n·cols_nᵀ, db = Σ dy; each skipped when its pointer is 0. */
export function f32_conv2d_backward(
  dx: usize, dw: usize, db: usize, dy: usize, w: usize, col: usize, dcol: usize,
  N: i32, C: i32, H: i32, W: i32, O: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const CKK = C * KH * KW, P = OH * OW;
  if (dw != 0) {
    memory.fill(dw, 0, (<usize>O * <usize>CKK) << 2);
    for (let n = 0; n < N; n++) {
      f32_gemm(0, 1, O, CKK, P, 1, dy + ((<usize>n * <usize>O * <usize>P) << 2), P,
        col + ((<usize>n * <usize>CKK * <usize>P) << 2), P, n == 0 ? 0 : 1, dw, CKK);
    }
  }
  if (db != 0) {
    for (let o = 0; o < O; o++) {
      let s: f32 = 0;
      for (let n = 0; n < N; n++) {
        const r = dy + ((<usize>(n * O + o) * <usize>P) << 2);
        for (let p = 0; p < P; p++) s += load<f32>(r + (<usize>p << 2));
      }
      store<f32>(db + (<usize>o << 2), s);
    }
  }
  if (dx != 0) {
    const img = (<usize>C * <usize>H * <usize>W) << 2;
    memory.fill(dx, 0, <usize>N * img);
    for (let n = 0; n < N; n++) {
      f32_gemm(1, 0, CKK, P, O, 1, w, CKK, dy + ((<usize>n * <usize>O * <usize>P) << 2), P, 0, dcol, P);
      cols(false, dx + <usize>n * img, dcol, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW);
    }
  }
}

/** Window maxima (NaN wins, as torch) and their flat h·W + w positions. */
export function f32_max_pool2d(
  out: usize, argmax: usize, x: usize, planes: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  let o = out, a = argmax;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>H * <usize>W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const hs = max<i32>(oh * SH - PH, 0), he = min<i32>(oh * SH - PH + KH, H);
      for (let ow = 0; ow < OW; ow++) {
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
