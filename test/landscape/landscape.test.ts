import { describe, expect, it } from 'vitest';
import {
  LinearRegression, MLP, StandardScaler, contourSVG, fit, heatmapSVG, loadIris, lossCurveSVG, lossLandscape1D, lossLandscape2D, param,
  type Param,
} from '../../src/entry/node.js';
import type { DataMatrix } from '../../src/data/matrix.js';
import { BACKENDS, sameBits, useBackend } from '../helpers/backends.js';

function iris() {
  const d = loadIris();
  return { X: new StandardScaler().fitTransform(d.X), y: d.y };
}

function trained(seed = 0) {
  const { X, y } = iris();
  const model = new MLP({ layers: [4, 16, 3], seed });
  fit(model, X, y, { maxEpochs: 30, optimizer: { name: 'adam', lr: 0.01 }, seed });
  return { model, X, y };
}

const snapshot = (ps: Param[]) => ps.map((p) => p.toArray());

/** A quadratic bowl over two parameters, in float64 from the float32 weights: L = Σ (w − c)² + 3·(b − 1)². */
class Bowl {
  readonly w: Param;
  readonly b: Param;
  calls = 0;
  failAt = Infinity;
  constructor() {
    this.w = param([0.5, -1, 2, 0.25], { name: 'weight' });
    this.b = param([0.1, 0.2], { name: 'bias' });
  }
  parameters() { return [this.w, this.b]; }
  loss(_X: DataMatrix<Float32Array>, _y: ArrayLike<number>): number {
    if (++this.calls >= this.failAt) throw new Error('disk on fire');
    let s = 0;
    this.w.data.forEach((v, i) => (s += (v - i) ** 2));
    this.b.data.forEach((v) => (s += 3 * (v - 1) ** 2));
    return s;
  }
}

const X0 = [[0, 0]], Y0 = [0];

/** Column norms of a row-major rows × cols matrix. */
function columnNorms(a: ArrayLike<number>, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let k = 0; k < a.length; k++) out[k % cols] += a[k] * a[k];
  return out.map(Math.sqrt);
}

describe.each(BACKENDS)('loss landscapes on %s', (backend) => {
  it('1-D: losses are L(θ + α·δ) with the weights written in float32, and the weights come back bit for bit', async () => {
    await useBackend(backend);
    const { model, X, y } = trained();
    const before = snapshot(model.parameters());
    const r = lossLandscape1D(model, X, y, { range: [-0.5, 1], steps: 7, seed: 3 });
    model.parameters().forEach((p, i) => expect(sameBits(p.data, before[i])).toBe(true));
    expect(Array.from(r.alphas)).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]);
    expect(r.centerLoss).toBe(model.loss(X, y));
    expect(r.losses[2]).toBe(r.centerLoss);
    // Recompute one point by hand: same float32 weights, same loss bits.
    const ps = model.parameters();
    ps.forEach((p, i) => p.data.set(before[i].map((w, j) => Math.fround(w + 0.75 * r.direction[i][j]))));
    expect(model.loss(X, y)).toBe(r.losses[5]);
    ps.forEach((p, i) => p.data.set(before[i]));
    expect(r.losses.every((v) => v >= r.centerLoss * 0.5)).toBe(true);
    model.dispose();
  });

  it("filter-normalizes the random direction: each output unit's column gets the weights' column norm, biases 0", async () => {
    await useBackend(backend);
    const { model, X, y } = trained(1);
    const r = lossLandscape1D(model, X, y, { steps: 3, seed: 5 });
    const [W0, b0, W1, b1] = model.parameters();
    expect([W0.name, b0.name, W1.name, b1.name]).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
    for (const [k, W, cols] of [[0, W0, 16], [2, W1, 3]] as const) {
      const dn = columnNorms(r.direction[k], cols), wn = columnNorms(W.data, cols);
      dn.forEach((v, c) => expect(v).toBeCloseTo(wn[c], 5));
    }
    expect(r.direction[1].every((v) => v === 0)).toBe(true);
    expect(r.direction[3].every((v) => v === 0)).toBe(true);
    // 'layer': each parameter as a whole; 'none': the raw Gaussian draw (same seed, same draw).
    const layer = lossLandscape1D(model, X, y, { steps: 3, seed: 5, normalization: 'layer' });
    const none = lossLandscape1D(model, X, y, { steps: 3, seed: 5, normalization: 'none' });
    const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
    expect(norm(layer.direction[0])).toBeCloseTo(norm(W0.data), 5);
    expect(norm(layer.direction[1])).toBe(0);
    const ratio = r.direction[2][0] / none.direction[2][0];
    for (let j = 0; j < W1.size; j += 3) expect(r.direction[2][j] / none.direction[2][j]).toBeCloseTo(ratio, 9); // column 0 scaled by one factor
    expect(none.direction[1].some((v) => v !== 0)).toBe(true);
    model.dispose();
  });

  it('is seeded: the same seed gives the same bits, another seed another direction', async () => {
    await useBackend(backend);
    const { model, X, y } = trained(2);
    const a = lossLandscape1D(model, X, y, { steps: 5, seed: 9 });
    const b = lossLandscape1D(model, X, y, { steps: 5, seed: 9 });
    const c = lossLandscape1D(model, X, y, { steps: 5, seed: 10 });
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    expect(a.direction[0]).toEqual(b.direction[0]);
    expect(a.direction[0]).not.toEqual(c.direction[0]);
    model.dispose();
  });

  it('2-D: the grid is row-major over betas, the centre is the model, and the weights come back bit for bit', async () => {
    await useBackend(backend);
    const bowl = new Bowl();
    const before = snapshot(bowl.parameters());
    const d = [[1, 0, 0, 0], [0, 0]], e = [[0, 0, 0, 0], [1, 0]];
    const r = lossLandscape2D(bowl, X0, Y0, { directions: [d, e], range: 2, steps: 5 });
    expect(Array.from(r.alphas)).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(r.betas)).toEqual([-2, -1, 0, 1, 2]);
    const L0 = bowl.loss([] as never, []);
    bowl.calls--;
    r.alphas.forEach((a, i) => r.betas.forEach((b, j) => {
      // Only w[0] and b[0] move: L = L0 − (0.5)² + (0.5 + a)² − 3·(0.1 − 1)² + 3·(0.1 + b − 1)², in float32 weights.
      const w0 = Math.fround(0.5 + a), b0 = Math.fround(Math.fround(0.1) + b);
      const expected = L0 - (Math.fround(0.5) - 0) ** 2 + w0 ** 2 - 3 * (Math.fround(0.1) - 1) ** 2 + 3 * (b0 - 1) ** 2;
      expect(r.losses[j * 5 + i]).toBeCloseTo(expected, 9);
    }));
    expect(r.centerLoss).toBe(r.losses[2 * 5 + 2]);
    bowl.parameters().forEach((p, i) => expect(sameBits(p.data, before[i])).toBe(true));
    // Given directions are used as they are (normalization 'none' by default), and returned as used.
    expect(Array.from(r.directions[0][0])).toEqual([1, 0, 0, 0]);
    expect(Array.from(r.directions[1][1])).toEqual([1, 0]);
  });

  it('puts the weights back when the loss throws midway, and checks X and y before changing anything', async () => {
    await useBackend(backend);
    const bowl = new Bowl();
    const before = snapshot(bowl.parameters());
    bowl.failAt = 4;
    expect(() => lossLandscape2D(bowl, X0, Y0, { steps: 3, normalization: 'none' })).toThrow('disk on fire');
    bowl.parameters().forEach((p, i) => expect(sameBits(p.data, before[i])).toBe(true));

    const { model, X, y } = trained(3);
    const w = snapshot(model.parameters());
    expect(() => lossLandscape1D(model, X, Int32Array.from(y, (v) => v + 5), { steps: 3 })).toThrow(/label|class/i);
    expect(() => lossLandscape1D(model, [[1, 2]], [0], { steps: 3 })).toThrow(/column|feature|4/);
    model.parameters().forEach((p, i) => expect(sameBits(p.data, w[i])).toBe(true));
    model.dispose();
  });

  it('infers filters for linear models without an intercept, and takes them when told', async () => {
    await useBackend(backend);
    const lin = new LinearRegression({ nFeatures: 3, nOutputs: 2, fitIntercept: false });
    lin.parameters()[0].data.set([1, 2, 3, 4, 5, 6]);
    const X = [[1, 0, 0], [0, 1, 1]], Y = [1, 2, 3, 4];
    const r = lossLandscape1D(lin, X, Y, { steps: 3, seed: 1 });
    const dn = columnNorms(r.direction[0], 2);
    expect(dn[0]).toBeCloseTo(Math.hypot(1, 3, 5), 5);
    expect(dn[1]).toBeCloseTo(Math.hypot(2, 4, 6), 5);
    // filters: [3] reads the 6 weights as 2 × 3: three columns.
    const r3 = lossLandscape1D(lin, X, Y, { steps: 3, seed: 1, filters: [3] });
    const d3 = columnNorms(r3.direction[0], 3);
    [Math.hypot(1, 4), Math.hypot(2, 5), Math.hypot(3, 6)].forEach((v, c) => expect(d3[c]).toBeCloseTo(v, 5));
    // A model at its zero initialization has a flat filter-normalized landscape.
    const zero = new LinearRegression({ nFeatures: 3 });
    const flat = lossLandscape1D(zero, X, [1, 2], { steps: 5 });
    expect(new Set(flat.losses).size).toBe(1);
    lin.dispose();
    zero.dispose();
  });

  it('runs its TSDoc examples, and the heat map / contour examples on its output', async () => {
    await useBackend(backend);
    const { X, y } = iris();
    const model = new MLP({ layers: [4, 16, 3], seed: 0 });
    fit(model, X, y, { maxEpochs: 50 });
    const r1 = lossLandscape1D(model, X, y, { range: 1, steps: 41, seed: 1 });
    const curve = lossCurveSVG([{ label: 'loss', x: r1.alphas, values: r1.losses }], { xLabel: 'α' });
    expect(curve.match(/<polyline /g)?.length).toBe(1);
    const r = lossLandscape2D(model, X, y, { range: 1, steps: 21, seed: 1 });
    expect(r.losses.length).toBe(441);
    expect(r.losses[10 * 21 + 10]).toBe(r.centerLoss);
    const svg = contourSVG({ x: r.alphas, y: r.betas, z: r.losses }, { levels: 12, logZ: true, markers: [{ point: [0, 0], label: 'trained' }] });
    expect(svg.match(/class="contour"/g)?.length).toBe(12);
    const r31 = lossLandscape2D(model, X, y, { steps: 31 });
    const heat = heatmapSVG({ x: r31.alphas, y: r31.betas, z: r31.losses }, {
      logZ: true, contours: 8, xLabel: 'α', yLabel: 'β', zLabel: 'loss', markers: [{ point: [0, 0], label: 'trained' }],
    });
    expect(heat.match(/<rect (class="missing" )?x=/g)?.length).toBeGreaterThanOrEqual(31 * 31);
    expect(heat).toContain('>trained</text>');
    model.dispose();
  });

  it('refuses bad options with a sentence naming the option, the value and the fix, leaving the weights alone', async () => {
    await useBackend(backend);
    const bowl = new Bowl();
    const before = snapshot(bowl.parameters());
    expect(() => lossLandscape1D(bowl, X0, Y0, { step: 5 } as never)).toThrow(/unknown option options\.step\. Did you mean steps\?/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { steps: 1 })).toThrow(/options\.steps must be a whole number >= 2/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { range: [1, -1] })).toThrow(/options\.range must be a number r > 0/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { range: 0 })).toThrow(RangeError);
    expect(() => lossLandscape1D(bowl, X0, Y0, { direction: [[1, 2, 3, 4]] })).toThrow(/options\.direction must hold one array per parameter \(2\), got 1/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { direction: [[1, 2, 3], [0, 0]] })).toThrow(/options\.direction\[0\] must have 4 numbers \(the size of parameter 0 'weight'\), got 3/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { direction: [[1, 2, NaN, 4], [0, 0]] })).toThrow(/options\.direction\[0\]\[2\] must be a finite number, got NaN/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { filters: [3, 0] })).toThrow(/options\.filters\[0\] must divide parameter 0's size 4/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { filters: [1] })).toThrow(/one entry per parameter \(2\)/);
    expect(() => lossLandscape1D(bowl, X0, Y0, { normalization: 'filters' as never })).toThrow(/Did you mean 'filter'\?/);
    expect(() => lossLandscape2D(bowl, X0, Y0, { directions: [[[1, 0, 0, 0], [0, 0]]] as never })).toThrow(/options\.directions must be an array with at least 2 items/);
    expect(() => lossLandscape1D({ parameters: () => [] } as never, X0, Y0)).toThrow(/model must have parameters\(\) and loss\(X, y\)/);
    expect(() => lossLandscape1D({ parameters: () => [], loss: () => 0 }, X0, Y0)).toThrow(/model\.parameters\(\) is empty/);
    expect(() => lossLandscape1D(bowl, 'X' as never, Y0)).toThrow(/lossLandscape1D: X must be/);
    expect(bowl.calls).toBe(0);
    bowl.parameters().forEach((p, i) => expect(sameBits(p.data, before[i])).toBe(true));
  });
});
