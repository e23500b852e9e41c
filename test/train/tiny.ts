// A tiny model and optimizer for testing the training layer on its own: linear regression
// (y = X·w + b, mean squared error) and SGD with momentum, both in plain JS over param views.
import { param, type Param } from '../../src/entry/node.js';
import type { DataMatrix } from '../../src/data/matrix.js';
import type { TrainableModel, TrainableOptimizer } from '../../src/train/types.js';

export class TinyLinear implements TrainableModel {
  readonly task = 'regression' as const;
  readonly w: Param;
  readonly b: Param;
  calls = 0;
  constructor(inputs: number) {
    this.w = param.zeros(inputs, { name: 'w' });
    this.b = param.zeros(1, { name: 'b' });
  }
  parameters() { return [this.w, this.b]; }
  predict(X: DataMatrix<Float32Array>): Float32Array {
    const [n, d] = X.shape, w = this.w.data, b = this.b.data[0];
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) { let s = b; for (let j = 0; j < d; j++) s += X.data[i * d + j] * w[j]; out[i] = s; }
    return out;
  }
  loss(X: DataMatrix<Float32Array>, y: ArrayLike<number>): number {
    const p = this.predict(X);
    let s = 0;
    for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
    return s / p.length;
  }
  lossAndGrad(X: DataMatrix<Float32Array>, y: ArrayLike<number>): number {
    this.calls++;
    const [n, d] = X.shape, p = this.predict(X), gw = this.w.grad, gb = this.b.grad;
    gw.fill(0); gb[0] = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i] - y[i];
      s += r * r;
      for (let j = 0; j < d; j++) gw[j] += (2 * r * X.data[i * d + j]) / n;
      gb[0] += (2 * r) / n;
    }
    return s / n;
  }
}

export class TinySGD implements TrainableOptimizer {
  paramGroups: { lr: number; momentum: number; [k: string]: unknown }[];
  private bufs: Float32Array[];
  steps = 0;
  constructor(readonly params: Param[], options: { lr?: number; momentum?: number } = {}) {
    this.paramGroups = [{ lr: options.lr ?? 0.01, momentum: options.momentum ?? 0 }];
    this.bufs = params.map((p) => new Float32Array(p.size));
  }
  step() {
    const { lr, momentum } = this.paramGroups[0];
    this.params.forEach((p, i) => {
      const d = p.data, g = p.grad, m = this.bufs[i];
      for (let j = 0; j < p.size; j++) { m[j] = momentum * m[j] + g[j]; d[j] -= lr * m[j]; }
    });
    this.steps++;
  }
  zeroGrad() { this.params.forEach((p) => p.grad.fill(0)); }
  stateDict() { return { groups: this.paramGroups.map((g) => ({ ...g })), bufs: this.bufs.map((b) => Array.from(b)), steps: this.steps }; }
  loadStateDict(s: any) {
    if (!s || !Array.isArray(s.bufs) || s.bufs.length !== this.bufs.length) throw new TypeError('TinySGD.loadStateDict: wrong state');
    this.paramGroups = s.groups.map((g: any) => ({ ...g }));
    s.bufs.forEach((b: number[], i: number) => this.bufs[i].set(b));
    this.steps = s.steps;
  }
}

/** y = 2·x0 − 3·x1 + 0.5 + small noise, seeded. */
export function linearData(n: number, seed = 1): { X: DataMatrix<Float32Array>; y: Float32Array } {
  let s = seed >>> 0 || 1;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296 - 0.5; };
  const X = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) { X[2 * i] = 2 * u(); X[2 * i + 1] = 2 * u(); y[i] = 2 * X[2 * i] - 3 * X[2 * i + 1] + 0.5 + 0.01 * u(); }
  return { X: { data: X, shape: [n, 2] }, y };
}
