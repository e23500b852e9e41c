import { describe, expect, it } from 'vitest';
import { History, MLP, StandardScaler, fit, loadDigits, lossCurveSVG } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';
import { TinyLinear, TinySGD, linearData } from './tiny.js';

const data = linearData(64);

/** The first `rows` digits, standardized (a deep net's gradients are then set by its activations, not the pixel scale). */
function digits(rows: number) {
  const d = loadDigits();
  const cols = d.shape[1];
  const X = { data: d.X.data.slice(0, rows * cols), shape: [rows, cols] as [number, number] };
  return { X: new StandardScaler().fitTransform(X), y: d.y.slice(0, rows) };
}

/** Each parameter's gradient 2-norm, in float64 from the gradient views. */
function norms(params: { grad: Float32Array }[]): number[] {
  return params.map((p) => Math.sqrt(p.grad.reduce((s, g) => s + g * g, 0)));
}

describe.each(BACKENDS)('fit recordGradNorms on %s', (backend) => {
  it("records the mean over each epoch's steps of every gradient's 2-norm, keyed by name, before clipping", async () => {
    await useBackend(backend);
    for (const clip of [undefined, 0.05]) {
      const m = new TinyLinear(2);
      const perStep: number[][] = [];
      // onBatchEnd runs after the step; the gradients the step used are still in .grad. With
      // clipping they were clipped in place, so the norms before clipping are read in lossAndGrad.
      const inner = m.lossAndGrad.bind(m);
      m.lossAndGrad = (X, y) => {
        const loss = inner(X, y);
        perStep.push(norms(m.parameters()));
        return loss;
      };
      const h = fit(m, data.X, data.y, {
        batchSize: 16, maxEpochs: 3, seed: 2, recordGradNorms: true, clipGradNorm: clip,
        optimizer: new TinySGD(m.parameters(), { lr: 0.05 }),
      });
      expect(perStep.length).toBe(12); // 64 rows / 16 = 4 steps per epoch
      expect(Object.keys(h.gradNorms)).toEqual(['w', 'b']);
      for (const [k, name] of ['w', 'b'].entries()) {
        expect(h.gradNorms[name].length).toBe(3);
        for (let e = 0; e < 3; e++) {
          const steps = perStep.slice(4 * e, 4 * e + 4).map((n) => n[k]);
          const mean = steps.reduce((s, v) => s + v, 0) / 4;
          expect(Math.abs(h.gradNorms[name][e] - mean)).toBeLessThanOrEqual(1e-6 * (mean + 1));
          expect(h.epochs[e].gradNorms![name]).toBe(h.gradNorms[name][e]);
        }
      }
      // The gradients here are far above 0.05: the recorded norms are the unclipped ones.
      if (clip !== undefined) expect(h.gradNorms.w[0]).toBeGreaterThan(10 * clip);
    }
  });

  it('records nothing unless asked, and refuses a non-boolean', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    const h = fit(m, data.X, data.y, { maxEpochs: 2, optimizer: new TinySGD(m.parameters(), { lr: 0.05 }) });
    expect(h.gradNorms).toEqual({});
    expect(h.epochs[0].gradNorms).toBeUndefined();
    expect(() => fit(m, data.X, data.y, { recordGradNorms: 1 as never })).toThrow(/recordGradNorms must be true or false, got 1/);
  });

  it('a deep sigmoid MLP has much smaller first-layer gradients than a ReLU one at init (the vanishing gradient)', async () => {
    await useBackend(backend);
    const { X, y } = digits(256);
    const layers = [64, 32, 32, 32, 32, 32, 10];
    const first = (activation: 'sigmoid' | 'relu') => {
      const net = new MLP({ layers, activation, seed: 3 });
      // lr 0: every step sees the initial weights, so the norms are the ones at init.
      const h = fit(net, X, y, { optimizer: { name: 'sgd', lr: 0 }, batchSize: 64, maxEpochs: 1, seed: 1, recordGradNorms: true });
      const g = h.gradNorms;
      expect(Object.keys(g)).toEqual(layers.slice(1).flatMap((_, l) => [`layers.${l}.weight`, `layers.${l}.bias`]));
      net.dispose();
      return { first: g['layers.0.weight'][0], last: g['layers.5.weight'][0] };
    };
    const sig = first('sigmoid'), relu = first('relu');
    expect(sig.first).toBeLessThan(relu.first / 10);
    // Through five sigmoid layers the gradient shrinks from the output layer to the first; with ReLU it does not collapse.
    expect(sig.first / sig.last).toBeLessThan(0.01);
    expect(relu.first / relu.last).toBeGreaterThan(0.1);
  });

  it('survives toJSON / fromJSON (and so checkpoints), and its TSDoc example draws it', async () => {
    await useBackend(backend);
    const { X, y } = digits(128);
    const h = fit(new MLP({ layers: [64, 32, 32, 10], activation: 'sigmoid' }), X, y, { recordGradNorms: true, maxEpochs: 3 });
    const copy = History.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
    expect(copy.gradNorms).toEqual(h.gradNorms);
    expect(Object.keys(copy.gradNorms).length).toBe(6);
    const svg = lossCurveSVG(Object.entries(h.gradNorms).map(([label, values]) => ({ label, values })), { logY: true });
    expect(svg.match(/<polyline /g)?.length).toBe(6);
    expect(svg).toContain('>layers.0.weight</text>');
    const bad = h.toJSON();
    (bad.epochs[1] as Record<string, unknown>).gradNorms = { 'layers.0.weight': 'x' };
    expect(() => History.fromJSON(bad)).toThrow(/epochs\[1\]\.gradNorms\.layers\.0\.weight must be a number/);
  });

  it('keys unnamed and repeated parameters apart', async () => {
    await useBackend(backend);
    const m = new TinyLinear(2);
    m.w.name = undefined;
    m.b.name = undefined;
    const h = fit(m, data.X, data.y, { maxEpochs: 1, recordGradNorms: true, optimizer: new TinySGD(m.parameters(), { lr: 0.05 }) });
    expect(Object.keys(h.gradNorms)).toEqual(['param0', 'param1']);
    m.w.name = 'p';
    m.b.name = 'p';
    const h2 = fit(m, data.X, data.y, { maxEpochs: 1, recordGradNorms: true, optimizer: new TinySGD(m.parameters(), { lr: 0.05 }) });
    expect(Object.keys(h2.gradNorms)).toEqual(['p', 'p#1']);
  });
});
