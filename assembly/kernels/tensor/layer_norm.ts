// Layer norm over the last dimension of a contiguous [rows, cols] f32 tensor (biased variance, as
// torch), and its backward. Row sums keep four partials (lane k: columns j ≡ k mod 4 below
// cols & ~3, combined (s0 + s1) + (s2 + s3), then the tail in order); dgamma/dbeta sum rows in
// order. The same steps as src/ref/tensor/layer_norm.ts, in both builds. gamma/beta (and the
// gradients) may be 0 (none); outputs must not alias inputs.

// Row terms.
// @ts-ignore: decorator
@inline const R_X = 0;      // x
// @ts-ignore: decorator
@inline const R_SQDEV = 1;  // (x − mu)²
// @ts-ignore: decorator
@inline const R_DXHAT = 2;  // dy·gamma (or dy)
// @ts-ignore: decorator
@inline const R_DXHAT_XHAT = 3; // dy·gamma·x̂

// @ts-ignore: decorator
@inline function term(t: i32, x: usize, dy: usize, gamma: usize, j: i32, mu: f32, rs: f32): f32 {
  const k = <usize>j << 2;
  if (t == R_X) return load<f32>(x + k);
  if (t == R_SQDEV) {
    const d = load<f32>(x + k) - mu;
    return d * d;
  }
  const dh = gamma != 0 ? load<f32>(dy + k) * load<f32>(gamma + k) : load<f32>(dy + k);
  if (t == R_DXHAT) return dh;
  return dh * ((load<f32>(x + k) - mu) * rs);
}

// @ts-ignore: decorator
@inline function rowSum4(t: i32, x: usize, dy: usize, gamma: usize, cols: i32, mu: f32, rs: f32): f32 {
  const c4 = cols & ~3;
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  for (let j = 0; j < c4; j += 4) {
    s0 += term(t, x, dy, gamma, j, mu, rs);
    s1 += term(t, x, dy, gamma, j + 1, mu, rs);
    s2 += term(t, x, dy, gamma, j + 2, mu, rs);
    s3 += term(t, x, dy, gamma, j + 3, mu, rs);
  }
  let s = (s0 + s1) + (s2 + s3);
  for (let j = c4; j < cols; j++) s += term(t, x, dy, gamma, j, mu, rs);
  return s;
}

/** out = (x − mean)·rstd·gamma + beta per row; mean[r], rstd[r] = 1/sqrt(var + eps) saved. */
export function f32_layer_norm(out: usize, mean: usize, rstd: usize, x: usize, gamma: usize, beta: usize, rows: i32, cols: i32, eps: f32): void {
  const fc = <f32>cols;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>cols) << 2, xr = x + base, or = out + base;
    const mu = rowSum4(R_X, xr, 0, 0, cols, 0, 0) / fc;
    const v = rowSum4(R_SQDEV, xr, 0, 0, cols, mu, 0) / fc;
    const rs = <f32>1 / Mathf.sqrt(v + eps);
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    for (let j = 0; j < cols; j++) {
      const k = <usize>j << 2;
      let y = (load<f32>(xr + k) - mu) * rs;
      if (gamma != 0) y = y * load<f32>(gamma + k);
      if (beta != 0) y = y + load<f32>(beta + k);
      store<f32>(or + k, y);
    }
  }
}

/** dx, dgamma = Σ_rows dy·x̂, dbeta = Σ_rows dy (0 pointers skip). */
export function f32_layer_norm_backward(
  dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize, rstd: usize,
  gamma: usize, rows: i32, cols: i32,
): void {
  const fc = <f32>cols, rowBytes = <usize>cols << 2;
  if (dgamma != 0) memory.fill(dgamma, 0, rowBytes);
  if (dbeta != 0) memory.fill(dbeta, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes, xr = x + base, gr = dy + base;
    const mu = load<f32>(mean + (<usize>r << 2)), rs = load<f32>(rstd + (<usize>r << 2));
    for (let j = 0; j < cols; j++) {
      const k = <usize>j << 2;
      const g = load<f32>(gr + k);
      if (dgamma != 0) store<f32>(dgamma + k, load<f32>(dgamma + k) + g * ((load<f32>(xr + k) - mu) * rs));
      if (dbeta != 0) store<f32>(dbeta + k, load<f32>(dbeta + k) + g);
    }
    if (dx != 0) {
      const ma = rowSum4(R_DXHAT, xr, gr, gamma, cols, mu, rs) / fc;
      const mb = rowSum4(R_DXHAT_XHAT, xr, gr, gamma, cols, mu, rs) / fc;
      for (let j = 0; j < cols; j++) {
        const k = <usize>j << 2;
        const xh = (load<f32>(xr + k) - mu) * rs;
        const dh = gamma != 0 ? load<f32>(gr + k) * load<f32>(gamma + k) : load<f32>(gr + k);
        store<f32>(dx + base + k, rs * ((dh - ma) - xh * mb));
      }
    }
  }
}
