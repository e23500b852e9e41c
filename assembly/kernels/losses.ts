// Losses with their gradient in one pass. Inputs are row-major rows×cols f32 (predictions, logits
// or scores); `target` is f32 of the same shape, or i32 class labels (one per row, in [0, cols),
// checked by the caller) for softmax cross-entropy and multiclass hinge. `weight` is one f32 per
// row, or 0 for unit weights; `grad` is written (never accumulated) with the input's shape, or
// skipped when 0; it may alias the input. Returns scale·Σ_i w_i·Σ_c ℓ_ic accumulated in f64
// (the caller picks scale: 1 for sum, 1/(Σw·cols) or 1/Σw for mean), and writes
// grad = (scale·w_i)·∂ℓ/∂x in f32. Loops are scalar in both builds except softmax cross-entropy's
// in the SIMD build (whole vectors over blocks of four rows: at a softmax model's 10 classes it is
// as long as the model's GEMMs); the gradients round at the same steps as src/ref/losses.ts and use
// ./mathf.ts exp, so they are bit-identical on every backend; loss values use f64 log/exp and
// agree to a few ulps of f64.
import { expf, expf4 } from "./mathf";
import { loadPartial, storePartial } from "./lanes";

// @ts-ignore: decorator
@inline function rowScale(weight: usize, r: i32, scale: f32): f32 {
  return weight == 0 ? scale : scale * load<f32>(weight + (<usize>r << 2));
}
// @ts-ignore: decorator
@inline function rowWeight(weight: usize, r: i32): f64 {
  return weight == 0 ? 1.0 : <f64>load<f32>(weight + (<usize>r << 2));
}

/**
 * The row loop every loss runs: op.row(grad, x, target, r, cols, sw, k) gives row r's Σ_c ℓ_rc in
 * f64 and writes its gradient scaled by sw = scale·w_r; the rows are summed weighted by w_r, then
 * scaled. `op` is a final class with an @inline row method; k is the loss's own parameter (Huber's
 * and the multiclass hinge's delta, the hinges' power 1 or 2, else 0).
 */
// @ts-ignore: decorator
@inline function lossRows<Op>(op: Op, grad: usize, x: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32, k: f32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const sw = rowScale(weight, r, scale);
    // @ts-ignore: Op is a final class with an @inline row
    const row: f64 = op.row(grad, x, target, r, cols, sw, k);
    total += rowWeight(weight, r) * row;
  }
  return <f64>scale * total;
}

/**
 * The row of an element-wise loss E, a final class with an @inline add(row, x, t, k, sw, grad, o):
 * f64 that returns row plus the term of element o (a byte offset) and, when grad != 0, writes its
 * gradient (scaled by sw) at grad + o. Targets are f32 of the input's shape.
 */
@final @unmanaged class Each<E> {
  // @ts-ignore: decorator
  @inline row(grad: usize, x: usize, target: usize, r: i32, cols: i32, sw: f32, k: f32): f64 {
    let row: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const o = (<usize>r * <usize>cols + <usize>c) << 2;
      // @ts-ignore: E is a final class with an @inline add
      row = changetype<E>(0).add(row, load<f32>(x + o), load<f32>(target + o), k, sw, grad, o);
    }
    return row;
  }
}

/** ℓ = (p − t)², ∂ℓ/∂p = 2(p − t) (PyTorch mse_loss). */
export function f32_mse_loss(grad: usize, pred: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  return lossRows(changetype<Each<Mse>>(0), grad, pred, target, weight, rows, cols, scale, 0);
}
@final @unmanaged class Mse {
  // @ts-ignore: decorator
  @inline add(row: f64, p: f32, t: f32, _k: f32, sw: f32, grad: usize, o: usize): f64 {
    const d64 = <f64>p - <f64>t;
    if (grad != 0) {
      const d = p - t;
      store<f32>(grad + o, (d + d) * sw);
    }
    return row + d64 * d64;
  }
}

/** ℓ = |p − t|, ∂ℓ/∂p = sign(p − t) (0 at p = t). */
export function f32_mae_loss(grad: usize, pred: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  return lossRows(changetype<Each<Mae>>(0), grad, pred, target, weight, rows, cols, scale, 0);
}
@final @unmanaged class Mae {
  // @ts-ignore: decorator
  @inline add(row: f64, p: f32, t: f32, _k: f32, sw: f32, grad: usize, o: usize): f64 {
    if (grad != 0) {
      const d = p - t;
      store<f32>(grad + o, d > 0 ? sw : d < 0 ? -sw : 0);
    }
    return row + Math.abs(<f64>p - <f64>t);
  }
}

/** ℓ = ½d² if |d| <= δ else δ(|d| − ½δ), d = p − t; ∂ℓ/∂p = d or δ·sign(d) (PyTorch huber_loss). */
export function f32_huber_loss(grad: usize, pred: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32, delta: f32): f64 {
  return lossRows(changetype<Each<Huber>>(0), grad, pred, target, weight, rows, cols, scale, delta);
}
@final @unmanaged class Huber {
  // @ts-ignore: decorator
  @inline add(row: f64, p: f32, t: f32, delta: f32, sw: f32, grad: usize, o: usize): f64 {
    const dl = <f64>delta, d64 = <f64>p - <f64>t, a64 = Math.abs(d64);
    if (grad != 0) {
      const d = p - t;
      const g: f32 = d > delta ? delta : d < -delta ? -delta : d;
      store<f32>(grad + o, g * sw);
    }
    return row + (a64 <= dl ? 0.5 * d64 * d64 : dl * (a64 - 0.5 * dl));
  }
}

/**
 * Binary cross-entropy on logits z with targets t in [0, 1]:
 * ℓ = max(z, 0) − z·t + log(1 + exp(−|z|)), ∂ℓ/∂z = σ(z) − t. Stable for any finite z.
 */
export function f32_bce_logits_loss(grad: usize, logits: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  return lossRows(changetype<Each<BceLogits>>(0), grad, logits, target, weight, rows, cols, scale, 0);
}
@final @unmanaged class BceLogits {
  // @ts-ignore: decorator
  @inline add(row: f64, z: f32, t: f32, _k: f32, sw: f32, grad: usize, o: usize): f64 {
    const z64 = <f64>z;
    if (grad != 0) {
      const e = expf(-Mathf.abs(z));
      const d = <f32>1 + e;
      const s: f32 = z >= 0 ? <f32>1 / d : e / d;
      store<f32>(grad + o, (s - t) * sw);
    }
    return row + (Math.max(z64, 0) - z64 * <f64>t + Math.log1p(Math.exp(-Math.abs(z64))));
  }
}

/** Hinge on scores s with labels t (t > 0: class +1, else −1): ℓ = max(0, 1 − y·s), ∂ℓ/∂s = −y when 1 − y·s > 0. */
export function f32_hinge_loss(grad: usize, scores: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  return lossRows(changetype<Each<Hinge>>(0), grad, scores, target, weight, rows, cols, scale, 1);
}

/** Squared hinge: ℓ = max(0, 1 − y·s)², ∂ℓ/∂s = −2y·max(0, 1 − y·s). */
export function f32_squared_hinge_loss(grad: usize, scores: usize, target: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  return lossRows(changetype<Each<Hinge>>(0), grad, scores, target, weight, rows, cols, scale, 2);
}

/** Both hinges on the margin m = 1 − y·s; k, a literal 1 or 2, is the power. */
@final @unmanaged class Hinge {
  // @ts-ignore: decorator
  @inline add(row: f64, s: f32, t: f32, k: f32, sw: f32, grad: usize, o: usize): f64 {
    const y: f32 = t > 0 ? 1 : -1;
    const m64 = 1.0 - <f64>y * <f64>s;
    if (grad != 0) {
      const g: f32 = k == 2 ? <f32>-2 * y * (<f32>1 - y * s) : -y;
      store<f32>(grad + o, m64 > 0 ? g * sw : 0);
    }
    return m64 > 0 ? row + (k == 2 ? m64 * m64 : m64) : row;
  }
}

/**
 * Softmax cross-entropy on logits with integer labels, through log-sum-exp:
 * ℓ_i = (m − z_y) + log Σ_j exp(z_j − m), ∂ℓ/∂z_j = softmax(z)_j − [j = y]. Stable for any
 * finite logits (±1e3 included). The exp sum runs in column order.
 */
export function f32_softmax_xent_loss(grad: usize, logits: usize, labels: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  if (ASC_FEATURE_SIMD && grad != 0 && rows >= 4) return softmaxBlocks(grad, logits, labels, weight, rows, cols, scale);
  return lossRows(changetype<SoftmaxXent>(0), grad, logits, labels, weight, rows, cols, scale, 0);
}

/**
 * The SIMD build's softmax cross-entropy with a gradient, four rows at a time: the same bits as
 * SoftmaxXent.row (and src/ref/losses.ts) row by row, the loss summed in the same order. Four rows
 * of cols floats are exactly cols whole vectors, so their exps run as whole vectors (expf4 is expf
 * lane by lane) after each row's max is subtracted in place in grad; for cols = 10 that is 2.5
 * expf4 a row instead of two expf4 and two scalar expf. The four rows' sums run as four independent
 * chains, each in column order. The rows past the last block of four take SoftmaxXent.row.
 */
function softmaxBlocks(grad: usize, logits: usize, labels: usize, weight: usize, rows: i32, cols: i32, scale: f32): f64 {
  const C4 = cols & ~3, R = cols & 3, rowB = <usize>cols << 2;
  let total: f64 = 0;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const z0 = logits + <usize>r * rowB, g0 = grad + <usize>r * rowB, lr = labels + (<usize>r << 2);
    const y0 = load<i32>(lr), y1 = load<i32>(lr, 4), y2 = load<i32>(lr, 8), y3 = load<i32>(lr, 12);
    // the labels' logits are read before grad (which may alias the logits) is written
    const zy0 = load<f32>(z0 + (<usize>y0 << 2)), zy1 = load<f32>(z0 + rowB + (<usize>y1 << 2));
    const zy2 = load<f32>(z0 + 2 * rowB + (<usize>y2 << 2)), zy3 = load<f32>(z0 + 3 * rowB + (<usize>y3 << 2));
    const m0 = softmaxRowShift(g0, z0, C4, R), m1 = softmaxRowShift(g0 + rowB, z0 + rowB, C4, R);
    const m2 = softmaxRowShift(g0 + 2 * rowB, z0 + 2 * rowB, C4, R), m3 = softmaxRowShift(g0 + 3 * rowB, z0 + 3 * rowB, C4, R);
    for (let v = 0; v < cols; v++) {
      const o = <usize>v << 4;
      v128.store(g0 + o, expf4(v128.load(g0 + o)));
    }
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const p = g0 + (<usize>c << 2);
      s0 += load<f32>(p);
      s1 += load<f32>(p + rowB);
      s2 += load<f32>(p + 2 * rowB);
      s3 += load<f32>(p + 3 * rowB);
    }
    total += softmaxRowEnd(g0, C4, R, cols, y0, s0, m0, zy0, weight, r, scale);
    total += softmaxRowEnd(g0 + rowB, C4, R, cols, y1, s1, m1, zy1, weight, r + 1, scale);
    total += softmaxRowEnd(g0 + 2 * rowB, C4, R, cols, y2, s2, m2, zy2, weight, r + 2, scale);
    total += softmaxRowEnd(g0 + 3 * rowB, C4, R, cols, y3, s3, m3, zy3, weight, r + 3, scale);
  }
  for (; r < rows; r++) {
    const row = changetype<SoftmaxXent>(0).row(grad, logits, labels, r, cols, rowScale(weight, r, scale), 0);
    total += rowWeight(weight, r) * row;
  }
  return <f64>scale * total;
}

/**
 * Row max m of the cols = C4 + R floats at zr (NaN if any is NaN, as the scalar loop's max<f32>),
 * then gr[c] = zr[c] − m; returns m. The last R floats are one partial vector, -inf past them for
 * the max, and only R lanes are stored.
 */
// @ts-ignore: decorator
@inline function softmaxRowShift(gr: usize, zr: usize, C4: i32, R: i32): f32 {
  const ninf = f32x4.splat(-Infinity);
  let vm = ninf;
  for (let c = 0; c < C4; c += 4) vm = f32x4.max(vm, v128.load(zr + (<usize>c << 2)));
  const ot = <usize>C4 << 2;
  let zt = ninf;
  if (R != 0) {
    const keep = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(R));
    zt = v128.bitselect(loadPartial(zr + ot, R), ninf, keep);
    vm = f32x4.max(vm, zt);
  }
  vm = f32x4.max(vm, v128.shuffle<f32>(vm, vm, 2, 3, 0, 1));
  vm = f32x4.max(vm, v128.shuffle<f32>(vm, vm, 1, 0, 3, 2));
  const m = f32x4.extract_lane(vm, 0);
  vm = f32x4.splat(m);
  for (let c = 0; c < C4; c += 4) {
    const o = <usize>c << 2;
    v128.store(gr + o, f32x4.sub(v128.load(zr + o), vm));
  }
  if (R != 0) storePartial(gr + ot, f32x4.sub(zt, vm), R);
  return m;
}

/**
 * A row's end once its exps are in gr and their column-order sum is s: gr[c] = (gr[c] / s)·sw, the
 * label's (e_y / s − 1)·sw, as SoftmaxXent.row rounds them; returns w_r·((m − z_y) + log s).
 */
// @ts-ignore: decorator
@inline function softmaxRowEnd(gr: usize, C4: i32, R: i32, cols: i32, y: i32, s: f32, m: f32, zy: f32, weight: usize, r: i32, scale: f32): f64 {
  const sw = rowScale(weight, r, scale);
  const inRange = <u32>y < <u32>cols;
  const ey: f32 = inRange ? load<f32>(gr + (<usize>y << 2)) : 0;
  const vs = f32x4.splat(s), vw = f32x4.splat(sw);
  for (let c = 0; c < C4; c += 4) {
    const o = <usize>c << 2;
    v128.store(gr + o, f32x4.mul(f32x4.div(v128.load(gr + o), vs), vw));
  }
  if (R != 0) {
    const o = <usize>C4 << 2;
    storePartial(gr + o, f32x4.mul(f32x4.div(loadPartial(gr + o, R), vs), vw), R);
  }
  if (inRange) store<f32>(gr + (<usize>y << 2), (ey / s - <f32>1) * sw);
  return rowWeight(weight, r) * ((<f64>m - <f64>zy) + Math.log(<f64>s));
}
@final @unmanaged class SoftmaxXent {
  // @ts-ignore: decorator
  @inline row(grad: usize, logits: usize, labels: usize, r: i32, cols: i32, sw: f32, _k: f32): f64 {
    const zr = logits + ((<usize>r * <usize>cols) << 2);
    const gr = grad + ((<usize>r * <usize>cols) << 2);
    const y = load<i32>(labels + (<usize>r << 2));
    const zy = load<f32>(zr + (<usize>y << 2)); // read before grad (which may alias) is written
    let m: f32 = -Infinity;
    for (let c = 0; c < cols; c++) m = max<f32>(m, load<f32>(zr + (<usize>c << 2)));
    let s: f32 = 0;
    if (ASC_FEATURE_SIMD && grad != 0) {
      // The same bits as the scalar loop below: expf4 is expf lane by lane, the exps are summed in
      // column order from where they were stored, and f32 division and product round the same.
      const vm = f32x4.splat(m);
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        v128.store(gr + o, expf4(f32x4.sub(v128.load(zr + o), vm)));
      }
      for (; c < cols; c++) store<f32>(gr + (<usize>c << 2), expf(load<f32>(zr + (<usize>c << 2)) - m));
      for (c = 0; c < cols; c++) s += load<f32>(gr + (<usize>c << 2));
      const inRange = <u32>y < <u32>cols;
      const ey: f32 = inRange ? load<f32>(gr + (<usize>y << 2)) : 0;
      const vs = f32x4.splat(s), vw = f32x4.splat(sw);
      for (c = 0; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        v128.store(gr + o, f32x4.mul(f32x4.div(v128.load(gr + o), vs), vw));
      }
      for (; c < cols; c++) store<f32>(gr + (<usize>c << 2), (load<f32>(gr + (<usize>c << 2)) / s) * sw);
      if (inRange) store<f32>(gr + (<usize>y << 2), (ey / s - <f32>1) * sw);
      return (<f64>m - <f64>zy) + Math.log(<f64>s);
    }
    for (let c = 0; c < cols; c++) {
      const e = expf(load<f32>(zr + (<usize>c << 2)) - m);
      s += e;
      if (grad != 0) store<f32>(gr + (<usize>c << 2), e);
    }
    if (grad != 0) {
      for (let c = 0; c < cols; c++) {
        const o = <usize>c << 2;
        const p = load<f32>(gr + o) / s;
        store<f32>(gr + o, (c == y ? p - <f32>1 : p) * sw);
      }
    }
    return (<f64>m - <f64>zy) + Math.log(<f64>s);
  }
}

/**
 * Multiclass hinge (Weston–Watkins, cs231n's SVM loss) with integer labels:
 * ℓ_i = Σ_{j≠y} max(0, s_j − s_y + δ); ∂ℓ/∂s_j = [margin_j > 0], ∂ℓ/∂s_y = −#{j: margin_j > 0}.
 */
export function f32_multiclass_hinge_loss(grad: usize, scores: usize, labels: usize, weight: usize, rows: i32, cols: i32, scale: f32, delta: f32): f64 {
  return lossRows(changetype<MulticlassHinge>(0), grad, scores, labels, weight, rows, cols, scale, delta);
}
@final @unmanaged class MulticlassHinge {
  // @ts-ignore: decorator
  @inline row(grad: usize, scores: usize, labels: usize, r: i32, cols: i32, sw: f32, delta: f32): f64 {
    const sr = scores + ((<usize>r * <usize>cols) << 2);
    const gr = grad + ((<usize>r * <usize>cols) << 2);
    const y = load<i32>(labels + (<usize>r << 2));
    const sy = <f64>load<f32>(sr + (<usize>y << 2));
    let row: f64 = 0;
    let count = 0;
    for (let c = 0; c < cols; c++) {
      if (c == y) continue;
      const m = <f64>load<f32>(sr + (<usize>c << 2)) - sy + <f64>delta;
      if (m > 0) {
        row += m;
        count++;
      }
      if (grad != 0) store<f32>(gr + (<usize>c << 2), m > 0 ? sw : 0);
    }
    if (grad != 0) store<f32>(gr + (<usize>y << 2), -(<f32>count) * sw);
    return row;
  }
}
