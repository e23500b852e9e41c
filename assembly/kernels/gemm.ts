// GEMM: C = alpha·op(A)·op(B) + beta·C over row-major f32; op(X) is X or Xᵀ; lda/ldb/ldc count
// elements, pointers are byte addresses. No alignment is assumed (v128 loads and stores may be
// unaligned). C must not overlap A or B; A and B may be the same matrix. Nothing outside the M×N
// window of C (nor outside op(A)'s M×K, op(B)'s K×N windows) is read or written: column and row
// edges fall back to narrower tiles and a scalar tail, never to over-reads. beta == 0 writes C
// without reading it (NaN in C is ignored); alpha == 0 or K == 0 only scales C by beta.
//
// Dispatch (SIMD build): NN, TN and TT run one "broadcast" micro-kernel (a 4×8 tile of eight f32x4
// accumulators: one splat of op(A)[i,k] times two vectors of a contiguous row of op(B)), TT by
// computing Cᵀ = B·A and storing transposed; the last 1-3 columns run the same tile with partial
// loads and stores, or, when op(A)'s rows are adjacent floats (TN) and the panel is small, a
// "column" tile: vectors down 4 or 8 rows of one output column times a splat of B (no lanes spent
// past the edge: Xᵀ·G with 10 classes). NT runs a "dot" micro-kernel (2×4 tile, f32x4
// accumulators along k, horizontal sums at the end), because both operands are contiguous along
// k there. K is blocked by KC so the broadcast kernel's B panel stays in L1; blocks after the
// first add alpha·partial into C. The scalar build runs a 2×4 register tile over strided operands.
// Summation order differs between builds and from src/ref/gemm.ts: compare with a tolerance.
// The relaxed build (ASC_FEATURE_RELAXED_SIMD, backend 'wasm-relaxed') accumulates the SIMD tiles
// with f32x4.relaxed_madd (fused where the CPU has FMA: one rounding per term instead of two), which
// stays within the same 'dot' tolerance; the scalar tail and the alpha/beta epilogue stay unfused.

import { loadPartial } from "./lanes";

/** acc + a·b on four lanes: fused (relaxed_madd) in the relaxed build, mul then add elsewhere. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

// K block. A thread's scratch (the manifest's GEMM_SCRATCH_BYTES, 16 KiB) must hold KC rows of an
// 8-float strip (8 KiB) and a small panel of at most KC·NARROW / 2 floats (16 KiB).
// @ts-ignore: decorator
@inline const KC: i32 = 256;
/**
 * A kc×Nq panel of B of at most KC·NARROW floats (32 KiB) stays in L1 across row blocks: up to 32
 * columns for a full KC block, up to 128 for the MLP's backward dW = Xᵀ·G (kc = the batch, 64).
 */
// @ts-ignore: decorator
@inline const NARROW: i32 = 32;

export function f32_gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  alpha: f32, A: usize, lda: i32, B: usize, ldb: i32,
  beta: f32, C: usize, ldc: i32,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == 0) {
    scaleC(M, N, beta, C, ldc);
    return;
  }
  // element strides of op(A) (row i, column k) and op(B) (row k, column j)
  const rsA: usize = transA ? 1 : <usize>lda, csA: usize = transA ? <usize>lda : 1;
  const rsB: usize = transB ? 1 : <usize>ldb, csB: usize = transB ? <usize>ldb : 1;
  if (ASC_FEATURE_SIMD) {
    if (!transB) {
      // D = op(A)·B with B's rows contiguous; D is C.
      bcast(M, N, K, alpha, A, rsA, csA, B, <usize>ldb, beta, C, <usize>ldc, false);
    } else if (transA) {
      // Cᵀ = B·A: B stored N×K gives the broadcast side, A stored K×M the contiguous rows.
      bcast(N, M, K, alpha, B, <usize>ldb, 1, A, <usize>lda, beta, C, <usize>ldc, true);
    } else {
      dotNT(M, N, K, alpha, A, <usize>lda, B, <usize>ldb, beta, C, <usize>ldc);
    }
  } else {
    scalarBlock(0, M, 0, N, K, alpha, A, rsA, csA, B, rsB, csB, beta, C, <usize>ldc);
  }
}

/** C = beta·C over the M×N window (beta == 0 writes zeros without reading C). */
function scaleC(M: i32, N: i32, beta: f32, C: usize, ldc: i32): void {
  for (let i = 0; i < M; i++) {
    const row = C + ((<usize>i * <usize>ldc) << 2);
    let j = 0;
    if (beta == 0) {
      if (ASC_FEATURE_SIMD) {
        const z = f32x4.splat(0);
        for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), z);
      }
      for (; j < N; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      if (ASC_FEATURE_SIMD) {
        const vb = f32x4.splat(beta);
        for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), f32x4.mul(vb, v128.load(row + (<usize>j << 2))));
      }
      for (; j < N; j++) store<f32>(row + (<usize>j << 2), beta * load<f32>(row + (<usize>j << 2)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Broadcast kernel: D[p, q] = Σ_k P[p, k]·Q[k, q], P read through element strides (rsP, csP),
// Q's rows contiguous with row stride ldq; D[p, q] lives at C[p·ldc + q], or at C[q·ldc + p]
// when `tr` (the TT case).

function bcast(
  Mp: i32, Nq: i32, K: i32, alpha: f32,
  P: usize, rsP: usize, csP: usize, Q: usize, ldq: usize,
  beta: f32, C: usize, ldc: usize, tr: bool,
): void {
  const N8 = Nq & ~7;
  const N4 = Nq & ~3;
  const ldqB = ldq << 2, stepP = csP << 2, rowP = rsP << 2;
  for (let kb = 0; kb < K; kb += KC) {
    const kc = min(KC, K - kb);
    const first = kb == 0;
    const Pk = P + ((<usize>kb * csP) << 2);
    const Qk = Q + ((<usize>kb * ldq) << 2);
    if (kc * Nq <= KC * NARROW) {
      // A small panel of B (kc×Nq fits in L1): row blocks outermost, so each 4-row block of P is
      // read from memory once and reused by every column tile (column tiles outermost would stream
      // all of P once per tile: for dW1 = Xᵀ·G, 784×64 strided reads, 16 times).
      // B's columns in chunks whose kc×nc panel (at most 16 KiB) leaves room in L1 for P's rows
      const nc = max(8, (4096 / kc) & ~7);
      // With many row blocks and rows of B far apart, the chunk's strips are copied to the scratch
      // first (strip after strip, 32 bytes a row), as for a large panel: rows 512 bytes apart (dW1 =
      // Xᵀ·G, 128 columns) share a quarter of L1's sets. Rows closer than 256 bytes (10 classes) pack
      // densely enough in place, and the copy would only cost.
      const pack = scratch != 0 && Mp >= PACK_ROWS && ldqB >= 256;
      for (let jb = 0; jb < N8; jb += nc) {
        const je = min(N8, jb + nc);
        // strip j (8 columns from jb) starts at qb + (j − jb)·sj, its rows ld apart
        let qb = Qk + (<usize>jb << 2), sj: usize = 4, ld = ldqB;
        if (pack) {
          for (let j = jb; j < je; j += 8) packStrip(Qk + (<usize>j << 2), ldqB, kc, scratch + <usize>(j - jb) * <usize>kc * 4);
          qb = scratch;
          sj = <usize>kc << 2;
          ld = 32;
        }
        for (let i = 0; i < Mp; i += 4) {
          const mr = min(4, Mp - i);
          const p0 = Pk + <usize>i * rowP, p1 = rowAfter(p0, rowP, 1, mr), p2 = rowAfter(p1, rowP, 2, mr), p3 = rowAfter(p2, rowP, 3, mr);
          if (rowP == 4 && mr == 4) {
            // the four rows of P are adjacent floats (TN: Xᵀ's rows are X's columns): one pointer,
            // the others at constant offsets, so the k loop advances one address instead of four
            for (let j = jb; j < je; j += 8) {
              tile(8, p0, p0, p0, p0, stepP, qb + <usize>(j - jb) * sj, ld, kc, alpha, beta, first, C, ldc, i, j, 4, tr, 0, true);
            }
          } else {
            for (let j = jb; j < je; j += 8) {
              tile(8, p0, p1, p2, p3, stepP, qb + <usize>(j - jb) * sj, ld, kc, alpha, beta, first, C, ldc, i, j, mr, tr, 0);
            }
          }
        }
      }
      if (Nq > N8) {
        let i = 0;
        if (rowP == 4 && N4 == N8) {
          // 1-3 last columns with P's rows adjacent (TN): vectors run down 8 rows of one column
          // (P[i..i+8, k] is two loads) times a splat of Q[k, j], so no lane is wasted on columns
          // past the edge; the last Mp mod 8 rows take the row tiles below. Each element is still
          // one lane's sum in k order.
          const r = Nq - N4, q = Qk + (<usize>N4 << 2);
          for (; i + 8 <= Mp; i += 8) colTile(r, Pk + <usize>i * rowP, stepP, q, ldqB, kc, alpha, beta, first, C, ldc, i, N4, tr);
        }
        for (; i < Mp; i += 4) {
          const mr = min(4, Mp - i);
          const p0 = Pk + <usize>i * rowP, p1 = rowAfter(p0, rowP, 1, mr), p2 = rowAfter(p1, rowP, 2, mr), p3 = rowAfter(p2, rowP, 3, mr);
          if (N4 > N8) tile(4, p0, p1, p2, p3, stepP, Qk + (<usize>N8 << 2), ldqB, kc, alpha, beta, first, C, ldc, i, N8, mr, tr, 0);
          // the last 1-3 columns: r is a literal in each branch, so the partial load and the stores
          // fold to straight-line code (a runtime r inside the k loop cost as much as a 4-wide tile)
          const r = Nq - N4, qr = Qk + (<usize>N4 << 2);
          if (r == 1) tile(0, p0, p1, p2, p3, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, i, N4, mr, tr, 1);
          else if (r == 2) tile(0, p0, p1, p2, p3, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, i, N4, mr, tr, 2);
          else if (r == 3) tile(0, p0, p1, p2, p3, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, i, N4, mr, tr, 3);
        }
      }
      continue;
    }
    // A large panel: one 8-column strip of B against every 4-row block of P. The strip is copied
    // first to this thread's scratch (32 bytes a row): read in place, its kc rows ldq apart fall
    // into a few L1 sets (ldq = 128 or 256 floats: every 8th or 16th set) and evict each other, so
    // each row block would fetch it from L2 again. Copying moves data only: the same bits.
    const buf = scratch;
    for (let j = 0; j < N8; j += 8) {
      let q = Qk + (<usize>j << 2), ld = ldqB;
      if (buf) {
        packStrip(q, ldqB, kc, buf);
        q = buf;
        ld = 32;
      }
      column(8, Mp, Pk, rowP, stepP, q, ld, kc, alpha, beta, first, C, ldc, j, tr, 0);
    }
    if (N4 > N8) column(4, Mp, Pk, rowP, stepP, Qk + (<usize>N8 << 2), ldqB, kc, alpha, beta, first, C, ldc, N8, tr, 0);
    // The last 1-3 columns: a 4-wide tile whose B loads and C stores touch only those columns.
    const r = Nq - N4, qr = Qk + (<usize>N4 << 2);
    if (r == 1) column(0, Mp, Pk, rowP, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, N4, tr, 1);
    else if (r == 2) column(0, Mp, Pk, rowP, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, N4, tr, 2);
    else if (r == 3) column(0, Mp, Pk, rowP, stepP, qr, ldqB, kc, alpha, beta, first, C, ldc, N4, tr, 3);
  }
}

/**
 * This instance's GEMM scratch: GEMM_SCRATCH_BYTES at this address (strips of B copied before use),
 * or 0 for none (B is then read in place). A Wasm global, so each thread's instance over a
 * shared memory has its own; set once per instance by set_scratch (assembly/abi.ts).
 */
let scratch: usize = 0;

/** Sets this instance's GEMM scratch (see `scratch`). */
export function setGemmScratch(p: usize): void {
  scratch = p;
}

/** Row count of P from which a small panel's strips are copied to the scratch (16 row blocks reuse each copy). */
// @ts-ignore: decorator
@inline const PACK_ROWS: i32 = 64;

/** kc rows of an 8-column strip of Q (row stride ldqB bytes) to buf, 32 bytes a row. */
// @ts-ignore: decorator
@inline function packStrip(q: usize, ldqB: usize, kc: i32, buf: usize): void {
  for (let k = 0; k < kc; k++) {
    v128.store(buf, v128.load(q));
    v128.store(buf, v128.load(q, 16), 16);
    q += ldqB;
    buf += 32;
  }
}

/** The row after p when row k of the block exists (k < n), else p again (read, never stored). */
// @ts-ignore: decorator
@inline function rowAfter(p: usize, step: usize, k: i32, n: i32): usize {
  return n > k ? p + step : p;
}

/**
 * D[i..i+8, j..j+r) for P's rows adjacent (rowP == 4): two vectors down the rows, one accumulator
 * per vector and column (r = 1..3 columns, a literal in each branch), each column of Q splat per k;
 * each vector is stored as a column of D. Not inlined: one copy per r.
 */
function colTile(r: i32, p: usize, stepP: usize, q: usize, ldqB: usize, kc: i32, alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, i: i32, j: i32, tr: bool): void {
  if (r == 1) colTileR(1, p, stepP, q, ldqB, kc, alpha, beta, first, C, ldc, i, j, tr);
  else if (r == 2) colTileR(2, p, stepP, q, ldqB, kc, alpha, beta, first, C, ldc, i, j, tr);
  else colTileR(3, p, stepP, q, ldqB, kc, alpha, beta, first, C, ldc, i, j, tr);
}

// @ts-ignore: decorator
@inline function colTileR(r: i32, p: usize, stepP: usize, q: usize, ldqB: usize, kc: i32, alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, i: i32, j: i32, tr: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const a0 = v128.load(p), a1 = v128.load(p, 16);
    let b = v128.load32_splat(q);
    c00 = madd(a0, b, c00);
    c10 = madd(a1, b, c10);
    if (r > 1) {
      b = v128.load32_splat(q, 4);
      c01 = madd(a0, b, c01);
      c11 = madd(a1, b, c11);
    }
    if (r > 2) {
      b = v128.load32_splat(q, 8);
      c02 = madd(a0, b, c02);
      c12 = madd(a1, b, c12);
    }
    p += stepP;
    q += ldqB;
  }
  // a vector down rows i..i+4 of column j is a column of D: storeRow4 with the roles swapped
  storeRow4(c00, alpha, beta, first, C, ldc, j, i, !tr);
  storeRow4(c10, alpha, beta, first, C, ldc, j, i + 4, !tr);
  if (r > 1) {
    storeRow4(c01, alpha, beta, first, C, ldc, j + 1, i, !tr);
    storeRow4(c11, alpha, beta, first, C, ldc, j + 1, i + 4, !tr);
  }
  if (r > 2) {
    storeRow4(c02, alpha, beta, first, C, ldc, j + 2, i, !tr);
    storeRow4(c12, alpha, beta, first, C, ldc, j + 2, i + 4, !tr);
  }
}

/** One column tile (width W, at q in Q and column j of D) against every 4-row block of P. */
// @ts-ignore: decorator
@inline function column(
  W: i32, Mp: i32, Pk: usize, rowP: usize, stepP: usize, q: usize, ldqB: usize, kc: i32,
  alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, j: i32, tr: bool, r: i32,
): void {
  for (let i = 0; i < Mp; i += 4) {
    const mr = min(4, Mp - i);
    const p0 = Pk + <usize>i * rowP, p1 = rowAfter(p0, rowP, 1, mr), p2 = rowAfter(p1, rowP, 2, mr), p3 = rowAfter(p2, rowP, 3, mr);
    tile(W, p0, p1, p2, p3, stepP, q, ldqB, kc, alpha, beta, first, C, ldc, i, j, mr, tr, r);
  }
}

/**
 * The 4×W register tile: D[i..i+mr, j..j+W) from rows p0..p3 of P (stepping stepP along k) and the
 * kc rows of Q from q (stepping ldqB). W is a compile-time 8 (two f32x4 per row, eight
 * accumulators), 4, or 0 for the last r = 1..3 columns (a partial load; lanes past r stay zero).
 * Rows past mr repeat the last valid one and are never stored.
 */
// @ts-ignore: decorator
@inline function tile(
  W: i32, p0: usize, p1: usize, p2: usize, p3: usize, stepP: usize, q: usize, ldqB: usize, kc: i32,
  alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, i: i32, j: i32, mr: i32, tr: bool, r: i32,
  adjacent: bool = false,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = W == 0 ? loadPartial(q, r) : v128.load(q);
    const b1 = W == 8 ? v128.load(q, 16) : b0;
    let a = v128.load32_splat(p0);
    c00 = madd(a, b0, c00);
    if (W == 8) c01 = madd(a, b1, c01);
    a = adjacent ? v128.load32_splat(p0, 4) : v128.load32_splat(p1);
    c10 = madd(a, b0, c10);
    if (W == 8) c11 = madd(a, b1, c11);
    a = adjacent ? v128.load32_splat(p0, 8) : v128.load32_splat(p2);
    c20 = madd(a, b0, c20);
    if (W == 8) c21 = madd(a, b1, c21);
    a = adjacent ? v128.load32_splat(p0, 12) : v128.load32_splat(p3);
    c30 = madd(a, b0, c30);
    if (W == 8) c31 = madd(a, b1, c31);
    q += ldqB;
    p0 += stepP;
    if (!adjacent) {
      p1 += stepP; p2 += stepP; p3 += stepP;
    }
  }
  storeRow(W, c00, c01, alpha, beta, first, C, ldc, i, j, tr, r);
  if (mr > 1) storeRow(W, c10, c11, alpha, beta, first, C, ldc, i + 1, j, tr, r);
  if (mr > 2) storeRow(W, c20, c21, alpha, beta, first, C, ldc, i + 2, j, tr, r);
  if (mr > 3) storeRow(W, c30, c31, alpha, beta, first, C, ldc, i + 3, j, tr, r);
}

/** Row p of a W-wide tile (v0, then v1 when W is 8) to D[p, q..]: W columns, or r when W is 0. */
// @ts-ignore: decorator
@inline function storeRow(W: i32, v0: v128, v1: v128, alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, p: i32, q: i32, tr: bool, r: i32): void {
  if (W == 0) {
    const va = f32x4.mul(f32x4.splat(alpha), v0);
    const c = tr ? C + ((<usize>q * ldc + <usize>p) << 2) : C + ((<usize>p * ldc + <usize>q) << 2);
    storeLanes(va, c, tr ? ldc << 2 : 4, r, beta, first);
  } else {
    storeRow4(v0, alpha, beta, first, C, ldc, p, q, tr);
    if (W == 8) storeRow4(v1, alpha, beta, first, C, ldc, p, q + 4, tr);
  }
}

/** D[p, q..q+3] = alpha·v + beta·D (first K block) or D + alpha·v (later blocks). */
// @ts-ignore: decorator
@inline function storeRow4(v: v128, alpha: f32, beta: f32, first: bool, C: usize, ldc: usize, p: i32, q: i32, tr: bool): void {
  const va = f32x4.mul(f32x4.splat(alpha), v);
  if (!tr) {
    const c = C + ((<usize>p * ldc + <usize>q) << 2);
    if (!first) v128.store(c, f32x4.add(v128.load(c), va));
    else if (beta == 0) v128.store(c, va);
    else v128.store(c, f32x4.add(va, f32x4.mul(f32x4.splat(beta), v128.load(c))));
  } else {
    const c = C + ((<usize>q * ldc + <usize>p) << 2), s = ldc << 2;
    storeLanes(va, c, s, 3, beta, first);
    storeOne(c + 3 * s, f32x4.extract_lane(va, 3), beta, first);
  }
}

/** The first n (1..3) lanes of va to c, c + s, c + 2s, each as storeOne stores. */
// @ts-ignore: decorator
@inline function storeLanes(va: v128, c: usize, s: usize, n: i32, beta: f32, first: bool): void {
  storeOne(c, f32x4.extract_lane(va, 0), beta, first);
  if (n > 1) storeOne(c + s, f32x4.extract_lane(va, 1), beta, first);
  if (n > 2) storeOne(c + 2 * s, f32x4.extract_lane(va, 2), beta, first);
}

// @ts-ignore: decorator
@inline function storeOne(c: usize, x: f32, beta: f32, first: bool): void {
  if (!first) store<f32>(c, load<f32>(c) + x);
  else if (beta == 0) store<f32>(c, x);
  else store<f32>(c, x + beta * load<f32>(c));
}

// ---------------------------------------------------------------------------------------------
// NT: C[i, j] = Σ_k A[i·lda + k]·B[j·ldb + k]. Both rows are contiguous along k.

function dotNT(M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: usize, B: usize, ldb: usize, beta: f32, C: usize, ldc: usize): void {
  const K4 = K & ~3;
  const ldaB = lda << 2, ldbB = ldb << 2;
  for (let j = 0; j < N; j += 4) {
    const nr = min(4, N - j);
    const b0 = B + <usize>j * ldbB, b1 = rowAfter(b0, ldbB, 1, nr), b2 = rowAfter(b1, ldbB, 2, nr), b3 = rowAfter(b2, ldbB, 3, nr);
    for (let i = 0; i < M; i += 2) {
      const mr = min(2, M - i);
      const a0 = A + <usize>i * ldaB, a1 = rowAfter(a0, ldaB, 1, mr);
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = madd(x0, y, s00);
        s10 = madd(x1, y, s10);
        y = v128.load(b1 + o);
        s01 = madd(x0, y, s01);
        s11 = madd(x1, y, s11);
        y = v128.load(b2 + o);
        s02 = madd(x0, y, s02);
        s12 = madd(x1, y, s12);
        y = v128.load(b3 + o);
        s03 = madd(x0, y, s03);
        s13 = madd(x1, y, s13);
      }
      // fold the four lanes of each accumulator: transpose-add so lane c holds Σ s0c
      let r0 = hsum4(s00, s01, s02, s03);
      let r1 = hsum4(s10, s11, s12, s13);
      for (let k = K4; k < K; k++) {
        const o = <usize>k << 2;
        const x0 = v128.load32_splat(a0 + o), x1 = v128.load32_splat(a1 + o);
        let y = f32x4.replace_lane(f32x4.splat(load<f32>(b0 + o)), 1, load<f32>(b1 + o));
        y = f32x4.replace_lane(y, 2, load<f32>(b2 + o));
        y = f32x4.replace_lane(y, 3, load<f32>(b3 + o));
        r0 = madd(x0, y, r0);
        r1 = madd(x1, y, r1);
      }
      storeDot(r0, alpha, beta, C + ((<usize>i * ldc + <usize>j) << 2), nr);
      if (mr > 1) storeDot(r1, alpha, beta, C + (((<usize>i + 1) * ldc + <usize>j) << 2), nr);
    }
  }
}

/** [Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d] */
// @ts-ignore: decorator
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  // pairwise: [a0+a2, a1+a3, b0+b2, b1+b3] then [.., ..] and a final lane-pair add
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 1, 4, 5), v128.shuffle<f32>(a, b, 2, 3, 6, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 1, 4, 5), v128.shuffle<f32>(c, d, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 2, 4, 6), v128.shuffle<f32>(ab, cd, 1, 3, 5, 7));
}

// @ts-ignore: decorator
@inline function storeDot(r: v128, alpha: f32, beta: f32, c: usize, nr: i32): void {
  const v = f32x4.mul(f32x4.splat(alpha), r);
  if (nr == 4) {
    if (beta == 0) v128.store(c, v);
    else v128.store(c, f32x4.add(v, f32x4.mul(f32x4.splat(beta), v128.load(c))));
  } else {
    storeLanes(v, c, 4, nr, beta, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Scalar path (the whole scalar build, and the SIMD build's last 1-3 columns): a 2×4 register
// tile over strided operands. Rows/columns past the window reuse the last valid one for loads and
// are never stored.

function scalarBlock(
  i0: i32, i1: i32, j0: i32, j1: i32, K: i32, alpha: f32,
  A: usize, rsA: usize, csA: usize, B: usize, rsB: usize, csB: usize,
  beta: f32, C: usize, ldc: usize,
): void {
  for (let kb = 0; kb < K; kb += KC) {
    const kc = min(KC, K - kb);
    scalarBlockD(i0, i1, j0, j1, kc, alpha,
      A + ((<usize>kb * csA) << 2), rsA, csA, B + ((<usize>kb * rsB) << 2), rsB, csB,
      kb == 0 ? beta : 1, C, ldc, 1);
  }
}

/** D[p, q] = alpha·Σ_k P[p, k]·Q[k, q] + beta·D[p, q] for p in [i0, i1), q in [j0, j1); D[p, q] at C + (p·sp + q·sq)·4. */
function scalarBlockD(
  i0: i32, i1: i32, j0: i32, j1: i32, kc: i32, alpha: f32,
  P: usize, rsP: usize, csP: usize, Q: usize, rsQ: usize, csQ: usize,
  beta: f32, C: usize, sp: usize, sq: usize,
): void {
  const stepP = csP << 2, stepQ = rsQ << 2;
  for (let i = i0; i < i1; i += 2) {
    const mr = min(2, i1 - i);
    const pa = P + ((<usize>i * rsP) << 2), pb = rowAfter(pa, rsP << 2, 1, mr);
    for (let j = j0; j < j1; j += 4) {
      const nr = min(4, j1 - j);
      const cq = csQ << 2;
      const q0 = Q + ((<usize>j * csQ) << 2), q1 = rowAfter(q0, cq, 1, nr), q2 = rowAfter(q1, cq, 2, nr), q3 = rowAfter(q2, cq, 3, nr);
      let s00: f32 = 0, s01: f32 = 0, s02: f32 = 0, s03: f32 = 0;
      let s10: f32 = 0, s11: f32 = 0, s12: f32 = 0, s13: f32 = 0;
      let a0 = pa, a1 = pb, o: usize = 0;
      for (let k = 0; k < kc; k++) {
        const x0 = load<f32>(a0), x1 = load<f32>(a1);
        const y0 = load<f32>(q0 + o), y1 = load<f32>(q1 + o), y2 = load<f32>(q2 + o), y3 = load<f32>(q3 + o);
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        a0 += stepP; a1 += stepP; o += stepQ;
      }
      const c0 = C + ((<usize>i * sp + <usize>j * sq) << 2), s = sq << 2;
      storeScalars(c0, s, nr, s00, s01, s02, s03, alpha, beta);
      if (mr > 1) storeScalars(c0 + (sp << 2), s, nr, s10, s11, s12, s13, alpha, beta);
    }
  }
}

/** The first n (1..4) of x0..x3 to c, c + s, c + 2s, c + 3s, each as storeScalar stores. */
// @ts-ignore: decorator
@inline function storeScalars(c: usize, s: usize, n: i32, x0: f32, x1: f32, x2: f32, x3: f32, alpha: f32, beta: f32): void {
  storeScalar(c, x0, alpha, beta);
  if (n > 1) storeScalar(c + s, x1, alpha, beta);
  if (n > 2) storeScalar(c + 2 * s, x2, alpha, beta);
  if (n > 3) storeScalar(c + 3 * s, x3, alpha, beta);
}

// @ts-ignore: decorator
@inline function storeScalar(c: usize, s: f32, alpha: f32, beta: f32): void {
  if (beta == 0) store<f32>(c, alpha * s);
  else store<f32>(c, alpha * s + beta * load<f32>(c));
}

// ---------------------------------------------------------------------------------------------

/**
 * The same-run peak probe for the GEMM benchmark: `iters` iterations of twelve independent f32x4
 * multiply-add chains (acc = acc·m + c, a mul then an add, as in the GEMM micro-kernel) kept in
 * registers. Performs iters·12·8 flops (iters·96); returns a lane of the result so the work is
 * not optimized away. The scalar build runs the same chains on f32 (iters·24 flops).
 */
export function f32_peak_probe(iters: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    const m = f32x4.splat(0.999999), c = f32x4.splat(1e-7);
    let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4);
    let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8);
    let a8 = f32x4.splat(9), a9 = f32x4.splat(10), a10 = f32x4.splat(11), a11 = f32x4.splat(12);
    for (let i = 0; i < iters; i++) {
      a0 = f32x4.add(f32x4.mul(a0, m), c); a1 = f32x4.add(f32x4.mul(a1, m), c);
      a2 = f32x4.add(f32x4.mul(a2, m), c); a3 = f32x4.add(f32x4.mul(a3, m), c);
      a4 = f32x4.add(f32x4.mul(a4, m), c); a5 = f32x4.add(f32x4.mul(a5, m), c);
      a6 = f32x4.add(f32x4.mul(a6, m), c); a7 = f32x4.add(f32x4.mul(a7, m), c);
      a8 = f32x4.add(f32x4.mul(a8, m), c); a9 = f32x4.add(f32x4.mul(a9, m), c);
      a10 = f32x4.add(f32x4.mul(a10, m), c); a11 = f32x4.add(f32x4.mul(a11, m), c);
    }
    const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
    return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))), 0);
  } else {
    const m: f32 = 0.999999, c: f32 = 1e-7;
    let a0: f32 = 1, a1: f32 = 2, a2: f32 = 3, a3: f32 = 4, a4: f32 = 5, a5: f32 = 6;
    let a6: f32 = 7, a7: f32 = 8, a8: f32 = 9, a9: f32 = 10, a10: f32 = 11, a11: f32 = 12;
    for (let i = 0; i < iters; i++) {
      a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
      a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
      a8 = a8 * m + c; a9 = a9 * m + c; a10 = a10 * m + c; a11 = a11 * m + c;
    }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11));
  }
}

/**
 * The same-run fused peak probe (issue 13): `iters` iterations of eight independent f32x4 chains
 * acc = madd(acc, m, c), fused (f32x4.relaxed_madd) in the relaxed build and a mul then an add in
 * the SIMD build, so both builds' figures are comparable. Performs iters·8·8 flops (iters·64);
 * returns a lane of the sum so the work is not optimized away. The scalar build runs the chains on
 * f32 (iters·16 flops).
 */
export function f32_madd_peak_probe(iters: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    const m = f32x4.splat(0.999999), c = f32x4.splat(1e-7);
    let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4);
    let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8);
    for (let i = 0; i < iters; i++) {
      a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
      a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
    }
    const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
    return f32x4.extract_lane(s, 0);
  } else {
    const m: f32 = 0.999999, c: f32 = 1e-7;
    let a0: f32 = 1, a1: f32 = 2, a2: f32 = 3, a3: f32 = 4, a4: f32 = 5, a5: f32 = 6, a6: f32 = 7, a7: f32 = 8;
    for (let i = 0; i < iters; i++) {
      a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c;
      a4 = a4 * m + c; a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c;
    }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
  }
}
