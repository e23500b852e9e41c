// Weight penalties over one f32 vector w of n elements (a weight matrix, never a bias: callers
// pass weights only). Returns R = l1·Σ|w| + ½·l2·Σw² and, when grad != 0, adds
// l2·w + l1·sign(w) to grad (sign(0) = 0, the subgradient chosen at the kink). grad may not alias
// w. L2 is (l1 = 0, l2 = λ), L1 is (l1 = λ, l2 = 0), elastic net (sklearn's SGD naming) is
// (l1 = α·ρ, l2 = α·(1 − ρ)). Loops: v128 main loop, scalar tail; the sums keep four lane
// partials (lane k: indices ≡ k mod 4 below n & ~3), combined as (l0 + l1) + (l2 + l3) then the
// tail in order, in both builds and in src/ref/penalties.ts: the same bits on every backend.

export function f32_elasticnet_penalty(grad: usize, w: usize, n: i32, l1: f32, l2: f32): f64 {
  const n4 = n & ~3;
  let sa: f32 = 0, sq: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let va = f32x4.splat(0), vq = f32x4.splat(0);
    const vl1 = f32x4.splat(l1), vl2 = f32x4.splat(l2), zero = f32x4.splat(0);
    for (let i = 0; i < n4; i += 4) {
      const o = <usize>i << 2;
      const x = v128.load(w + o);
      va = f32x4.add(va, f32x4.abs(x));
      vq = f32x4.add(vq, f32x4.mul(x, x));
      if (grad != 0) {
        // l1·sign(x): +l1 where x > 0, −l1 where x < 0, 0 at 0 (and NaN)
        const s = v128.or(v128.and(f32x4.gt(x, zero), vl1), v128.and(f32x4.lt(x, zero), f32x4.neg(vl1)));
        v128.store(grad + o, f32x4.add(v128.load(grad + o), f32x4.add(f32x4.mul(vl2, x), s)));
      }
    }
    sa = (f32x4.extract_lane(va, 0) + f32x4.extract_lane(va, 1)) + (f32x4.extract_lane(va, 2) + f32x4.extract_lane(va, 3));
    sq = (f32x4.extract_lane(vq, 0) + f32x4.extract_lane(vq, 1)) + (f32x4.extract_lane(vq, 2) + f32x4.extract_lane(vq, 3));
  } else {
    let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0, q0: f32 = 0, q1: f32 = 0, q2: f32 = 0, q3: f32 = 0;
    for (let i = 0; i < n4; i += 4) {
      const o = <usize>i << 2;
      const x0 = load<f32>(w + o), x1 = load<f32>(w + o, 4), x2 = load<f32>(w + o, 8), x3 = load<f32>(w + o, 12);
      a0 += Mathf.abs(x0); a1 += Mathf.abs(x1); a2 += Mathf.abs(x2); a3 += Mathf.abs(x3);
      q0 += x0 * x0; q1 += x1 * x1; q2 += x2 * x2; q3 += x3 * x3;
      if (grad != 0) {
        store<f32>(grad + o, load<f32>(grad + o) + penaltyGrad(x0, l1, l2));
        store<f32>(grad + o, load<f32>(grad + o, 4) + penaltyGrad(x1, l1, l2), 4);
        store<f32>(grad + o, load<f32>(grad + o, 8) + penaltyGrad(x2, l1, l2), 8);
        store<f32>(grad + o, load<f32>(grad + o, 12) + penaltyGrad(x3, l1, l2), 12);
      }
    }
    sa = (a0 + a1) + (a2 + a3);
    sq = (q0 + q1) + (q2 + q3);
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(w + o);
    sa += Mathf.abs(x);
    sq += x * x;
    if (grad != 0) store<f32>(grad + o, load<f32>(grad + o) + penaltyGrad(x, l1, l2));
  }
  return <f64>l1 * <f64>sa + 0.5 * <f64>l2 * <f64>sq;
}

// @ts-ignore: decorator
@inline function penaltyGrad(x: f32, l1: f32, l2: f32): f32 {
  return l2 * x + (x > 0 ? l1 : x < 0 ? -l1 : 0);
}
