/**
 * Page 3, loss landscape: a model trained by fitAsync, then lossLandscape1D / lossLandscape2D
 * around its weights, drawn by lossCurveSVG and heatmapSVG with the trained point marked.
 */
import {
  accuracy, fitAsync, heatmapSVG, lossCurveSVG, lossLandscape1D, lossLandscape2D, MLP, SoftmaxRegression,
  type Normalization,
} from 'descent';
import { byId, fmt, h, nextFrame, reportError, setState, showSVG, slider, startPage } from './common.js';
import { DATASETS, fillSelect, prepare, type Prepared } from './train.js';

await startPage('landscape.html');

fillSelect(byId<HTMLSelectElement>('data'), Object.fromEntries(Object.entries(DATASETS).map(([k, d]) => [k, d.label])), 'iris');
const epochs = slider('epochs', (v) => v, String);
const range = slider('range', (v) => v, (v) => `[−${v}, ${v}]`);
const steps = slider('steps', (v) => v, (v) => `${v} × ${v}`);

let model: MLP | SoftmaxRegression | null = null;
let data: Prepared | null = null;
let busy = false;

function readSeed(): number | null {
  const el = byId<HTMLInputElement>('seed');
  const v = Number(el.value);
  const ok = el.value.trim() !== '' && Number.isInteger(v) && v >= 0 && v <= 2 ** 32 - 1;
  el.setAttribute('aria-invalid', String(!ok));
  return ok ? v : null;
}

async function trainAndMap(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    model?.dispose();
    model = null;
    data = prepare(byId<HTMLSelectElement>('data').value);
    const hidden = byId<HTMLSelectElement>('hidden').value;
    const layers = [data.nFeatures, ...(hidden ? hidden.split(',').map(Number) : []), data.nClasses];
    const m = hidden ? new MLP({ layers, seed: 0 }) : new SoftmaxRegression({ nFeatures: data.nFeatures, nClasses: data.nClasses });
    model = m;
    const losses: number[] = [];
    const n = epochs.get();
    setState('running', `Training ${hidden ? `an MLP ${layers.join('-')}` : 'a softmax regression'}…`);
    const history = await fitAsync(m, data.Xtr, data.ytr, {
      optimizer: { name: 'adam', lr: 0.01 }, maxEpochs: n, batchSize: 32, seed: 0,
      onEpochEnd: (e) => {
        losses.push(e.loss);
        if (e.epoch % 10 === 0 || e.epoch === n) byId('status').textContent = `Training: epoch ${e.epoch} of ${n}, loss ${fmt(e.loss)}`;
      },
    });
    showSVG(byId('plot-train'), lossCurveSVG([{ label: 'training loss', values: history.loss, x: history.loss.map((_, i) => i + 1) }],
      { logY: true, xLabel: 'epoch', yLabel: 'loss', title: 'Training (Adam, lr 0.01, batch 32)', width: 560, height: 420 }));
    const trainAcc = accuracy(data.ytr, m.predict(data.Xtr) as Int32Array);
    const testAcc = accuracy(data.yte, m.predict(data.Xte) as Int32Array);
    const count = m.parameters().reduce((s, p) => s + p.size, 0);
    byId('facts').replaceChildren(
      h('dt', {}, 'model'), h('dd', {}, hidden ? `MLP ${layers.join('-')} (ReLU)` : `softmax regression ${data.nFeatures}→${data.nClasses}`),
      h('dt', {}, 'parameters'), h('dd', {}, String(count)),
      h('dt', {}, 'last epoch\'s mean batch loss'), h('dd', {}, fmt(history.loss[history.loss.length - 1])),
      h('dt', {}, 'training loss at θ'), h('dd', { id: 'center-loss' }, '…'),
      h('dt', {}, 'train / test accuracy'), h('dd', { id: 'accuracy' }, `${(100 * trainAcc).toFixed(1)}% / ${(100 * testAcc).toFixed(1)}%`),
    );
    await map();
  } finally {
    busy = false;
  }
}

async function map(): Promise<void> {
  if (!model || !data) return;
  const seed = readSeed();
  if (seed === null) { setState('done', 'The direction seed must be a whole number ≥ 0.'); return; }
  const options = { range: range.get(), seed, normalization: byId<HTMLSelectElement>('normalization').value as Normalization };
  const n2 = steps.get();
  setState('running', 'Mapping the loss along δ…');
  await nextFrame();
  const t0 = performance.now();
  const r1 = lossLandscape1D(model, data.Xtr, data.ytr, { ...options, steps: 101 });
  showSVG(byId('plot-1d'), lossCurveSVG([
    { label: 'L(θ + α·δ)', values: r1.losses, x: r1.alphas },
    { label: 'trained weights θ (α = 0)', values: [r1.centerLoss], x: [0] },
  ], { logY: byId<HTMLInputElement>('logz').checked, xLabel: 'α (direction δ)', yLabel: 'training loss', title: '1-D slice', width: 560, height: 420 }));
  setState('running', `Mapping the loss on a ${n2} × ${n2} grid (${n2 * n2} evaluations on ${data.Xtr.shape[0]} rows)…`);
  await nextFrame();
  const r2 = lossLandscape2D(model, data.Xtr, data.ytr, { ...options, steps: n2 });
  showSVG(byId('plot-2d'), heatmapSVG({ x: r2.alphas, y: r2.betas, z: r2.losses }, {
    logZ: byId<HTMLInputElement>('logz').checked, contours: 10, xLabel: 'α (direction δ)', yLabel: 'β (direction η)', zLabel: 'training loss',
    title: '2-D slice around the trained weights', markers: [{ point: [0, 0], label: 'trained' }], width: 640, height: 520,
  }));
  byId('center-loss').textContent = fmt(r2.centerLoss);
  let lo = Infinity, hi = -Infinity;
  for (const v of r2.losses) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  setState('done', `Mapped in ${((performance.now() - t0) / 1000).toFixed(1)} s: the loss is ${fmt(r2.centerLoss)} at θ and ranges from ${fmt(lo)} to ${fmt(hi)} on the plane (${options.normalization} normalization, seed ${seed}).`);
}

byId('controls').addEventListener('submit', (ev) => { ev.preventDefault(); trainAndMap().catch(reportError); });
byId('remap').addEventListener('click', () => { if (!busy) { busy = true; map().catch(reportError).finally(() => { busy = false; }); } });
trainAndMap().catch(reportError);
