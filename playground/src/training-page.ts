/**
 * Page 2, learning rates and batch sizes: several fitAsync runs at once on a built-in data set,
 * their curves (lossCurveSVG) redrawn as epochs end; and the vanishing gradient of a deep sigmoid
 * MLP against a ReLU one, from fit's recordGradNorms.
 */
import { LOSS_CURVE_PALETTE, lossCurveSVG, MLP, type LossSeries } from 'descent';
import { byId, fmt, h, rateSlider, reportError, showSVG, slider, startPage, tabs } from './common.js';
import { buildModel, DATASETS, fillSelect, MODELS, OPTIMIZERS, prepare, trainAll, type ModelKind, type RunSpec, type RunState } from './train.js';

await startPage('training.html');

type PanelId = 'lr' | 'batch' | 'vanish';

const running = new Set<PanelId>();
const controllers = new Map<PanelId, AbortController>();

function panelState(id: PanelId, state: 'running' | 'done', text: string): void {
  byId(`panel-${id}`).dataset.state = state;
  byId(`${id}-status`).textContent = text;
  if (state === 'running') running.add(id); else running.delete(id);
  document.body.dataset.state = running.size > 0 ? 'running' : 'done';
}

/** Calls `draw` at most once per animation frame, however often runs report. */
function throttled(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  };
}

/** 1, 2, …, n: epoch or layer numbers. */
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const colour = (i: number) => LOSS_CURVE_PALETTE[i % LOSS_CURVE_PALETTE.length];
const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(1)}%`);

/** The loss and test-accuracy plots of a set of runs. */
function drawCurves(runs: readonly RunState[], lossEl: HTMLElement, accEl: HTMLElement, title: string): void {
  const loss: LossSeries[] = runs.map((r) => ({ label: r.label, values: r.losses, x: oneTo(r.losses.length) }));
  const acc: LossSeries[] = runs.map((r) => ({ label: r.label, values: r.testAccuracy, x: oneTo(r.testAccuracy.length) }));
  const positive = runs.every((r) => r.losses.every((v) => !(v <= 0)));
  showSVG(lossEl, lossCurveSVG(loss, { logY: positive, xLabel: 'epoch', yLabel: 'training loss', title, width: 600, height: 400 }));
  showSVG(accEl, lossCurveSVG(acc, { xLabel: 'epoch', yLabel: 'test accuracy', title: 'Test accuracy', width: 600, height: 400 }));
}

/** The results table: one row per run, with its colour, last epoch and outcome. */
function drawTable(table: HTMLElement, runs: readonly RunState[], last: (r: RunState) => string = (r) => r.outcome): void {
  table.querySelector('tbody')!.replaceChildren(...runs.map((r, i) => h('tr', { 'data-run': r.label, class: r.status === 'diverged' ? 'diverged' : '' },
    h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${colour(i)}`, 'aria-hidden': 'true' }), r.label),
    h('td', { class: 'num' }, String(r.losses.length)),
    h('td', { class: 'num' }, r.losses.length ? fmt(r.losses[r.losses.length - 1]) : '—'),
    h('td', { class: 'num' }, pct(r.trainAccuracy[r.trainAccuracy.length - 1])),
    h('td', { class: 'num test-accuracy' }, pct(r.testAccuracy[r.testAccuracy.length - 1])),
    h('td', {}, last(r)))));
}

/** Runs a panel's experiment: aborts its previous one, trains, keeps the plots live, reports. */
async function experiment(id: PanelId, specs: RunSpec[], dataName: string, draw: (runs: RunState[]) => void): Promise<void> {
  controllers.get(id)?.abort();
  const controller = new AbortController();
  controllers.set(id, controller);
  panelState(id, 'running', `Training ${specs.length} models on ${DATASETS[dataName].label.split(' (')[0]}…`);
  const data = prepare(dataName);
  let runs: RunState[] = [];
  const redraw = throttled(() => { if (controllers.get(id) === controller) draw(runs); });
  const t0 = performance.now();
  runs = await trainAll(specs, data, controller.signal, (r) => { runs = r; redraw(); });
  if (controllers.get(id) !== controller) return; // a newer run of this panel took over
  draw(runs);
  const diverged = runs.filter((r) => r.status === 'diverged').map((r) => r.label);
  panelState(id, 'done', `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${data.Xtr.shape[0]} training and ${data.Xte.shape[0]} test rows.` +
    (diverged.length ? ` Diverged: ${diverged.join(', ')} (the loss became infinite or NaN: too high a learning rate).` : ''));
}

function readCount(input: HTMLInputElement, min: number, max: number): number | null {
  const v = Number(input.value);
  const ok = input.value.trim() !== '' && Number.isInteger(v) && v >= min && v <= max;
  input.setAttribute('aria-invalid', String(!ok));
  return ok ? v : null;
}

for (const el of document.querySelectorAll<HTMLSelectElement>('.data-select')) fillSelect(el, Object.fromEntries(Object.entries(DATASETS).map(([k, d]) => [k, d.label])), 'digits');
for (const el of document.querySelectorAll<HTMLSelectElement>('.model-select')) fillSelect(el, MODELS, 'mlp');
for (const el of document.querySelectorAll<HTMLSelectElement>('.optimizer-select')) fillSelect(el, Object.fromEntries(Object.entries(OPTIMIZERS).map(([k, o]) => [k, o.label])), 'sgd');
for (const id of ['lr', 'batch', 'vanish'] as const) byId(`${id}-stop`).addEventListener('click', () => controllers.get(id)?.abort());

// ---- learning rates ---------------------------------------------------------------------------

const RATES = [0.001, 0.01, 0.1, 1, 10];
byId('lr-rates').append(...RATES.map((lr) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: String(lr), checked: true }), String(lr))));
const lrEpochs = slider('lr-epochs', (v) => v, String);

function runRates(): Promise<void> {
  const dataName = byId<HTMLSelectElement>('lr-data').value;
  const kind = byId<HTMLSelectElement>('lr-model').value as ModelKind;
  const opt = OPTIMIZERS[byId<HTMLSelectElement>('lr-optimizer').value];
  const batch = readCount(byId<HTMLInputElement>('lr-batch'), 1, 100_000);
  const rates = Array.from(byId('lr-rates').querySelectorAll<HTMLInputElement>('input:checked'), (el) => Number(el.value));
  if (batch === null || rates.length === 0) {
    panelState('lr', 'done', batch === null ? 'The batch size must be a whole number ≥ 1.' : 'Choose at least one learning rate.');
    return Promise.resolve();
  }
  const data = prepare(dataName);
  const specs = rates.map((lr) => ({ label: `lr = ${lr}`, model: () => buildModel(kind, data), options: { optimizer: opt.spec(lr), batchSize: batch, maxEpochs: lrEpochs.get() } }));
  return experiment('lr', specs, dataName, (runs) => {
    drawCurves(runs, byId('lr-loss'), byId('lr-acc'), `${opt.label}, batch ${batch}: training loss`);
    drawTable(byId('lr-results'), runs);
  });
}

// ---- batch sizes ------------------------------------------------------------------------------

const BATCHES: ReadonlyArray<[string, 'full' | number]> = [['full batch', 'full'], ['stochastic (1)', 1], ['mini-batch 32', 32], ['mini-batch 64', 64], ['mini-batch 128', 128]];
byId('batch-sizes').append(...BATCHES.map(([label], i) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: String(i), checked: true }), label)));
const batchLr = rateSlider('batch-lr', 1e-4, 1, 0.05);
const batchEpochs = slider('batch-epochs', (v) => v, String);

function runBatches(): Promise<void> {
  const dataName = byId<HTMLSelectElement>('batch-data').value;
  const kind = byId<HTMLSelectElement>('batch-model').value as ModelKind;
  const opt = OPTIMIZERS[byId<HTMLSelectElement>('batch-optimizer').value];
  const chosen = Array.from(byId('batch-sizes').querySelectorAll<HTMLInputElement>('input:checked'), (el) => BATCHES[Number(el.value)]);
  if (chosen.length === 0) { panelState('batch', 'done', 'Choose at least one batch size.'); return Promise.resolve(); }
  const lr = batchLr.get();
  const data = prepare(dataName);
  const rows = data.Xtr.shape[0];
  const specs = chosen.map(([label, batchSize]) => ({ label, model: () => buildModel(kind, data), options: { optimizer: opt.spec(lr), batchSize, maxEpochs: batchEpochs.get() } }));
  return experiment('batch', specs, dataName, (runs) => {
    drawCurves(runs, byId('batch-loss'), byId('batch-acc'), `${opt.label}, lr ${lr}: training loss`);
    drawTable(byId('batch-results'), runs, (r) => {
      const b = chosen.find(([label]) => label === r.label)![1];
      const steps = b === 'full' ? 1 : Math.ceil(rows / b);
      return `${r.outcome}; ${steps} step${steps === 1 ? '' : 's'} per epoch`;
    });
  });
}

// ---- vanishing gradient -----------------------------------------------------------------------

const depth = slider('vanish-depth', (v) => v, String);
const vanishLr = rateSlider('vanish-lr', 1e-3, 1, 0.1);
const vanishEpochs = slider('vanish-epochs', (v) => v, String);

/** A run's weight-gradient norms per layer (input side first): `[layer][epoch]`. */
function layerNorms(r: RunState): number[][] {
  return Object.entries(r.gradNorms)
    .filter(([k]) => /^layers\.\d+\.weight$/.test(k))
    .sort(([a], [b]) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .map(([, v]) => v);
}

function runVanish(): Promise<void> {
  const dataName = byId<HTMLSelectElement>('vanish-data').value;
  const width = readCount(byId<HTMLInputElement>('vanish-width'), 2, 256);
  if (width === null) { panelState('vanish', 'done', 'Units per hidden layer must be a whole number from 2 to 256.'); return Promise.resolve(); }
  const data = prepare(dataName);
  const layers = [data.nFeatures, ...Array<number>(depth.get()).fill(width), data.nClasses];
  const specs = (['sigmoid', 'relu'] as const).map((activation) => ({
    label: activation === 'sigmoid' ? 'sigmoid' : 'ReLU',
    model: () => new MLP({ layers, activation, seed: 0 }),
    options: { optimizer: { name: 'sgd', lr: vanishLr.get() }, batchSize: 32, maxEpochs: vanishEpochs.get(), recordGradNorms: true },
  }));
  const nLayers = layers.length - 1;
  return experiment('vanish', specs, dataName, (runs) => {
    const per = runs.map(layerNorms);
    const latest = runs.map((r, i) => ({ label: r.label, values: per[i].map((v) => v[v.length - 1] ?? NaN), x: oneTo(per[i].length) }));
    showSVG(byId('vanish-layers'), lossCurveSVG(latest, { logY: true, xLabel: `layer (1 = next to the input, ${nLayers} = output)`, yLabel: 'gradient norm', title: `Gradient norm by layer, epoch ${runs[0].losses.length}`, width: 600, height: 400 }));
    showSVG(byId('vanish-loss'), lossCurveSVG(runs.map((r) => ({ label: r.label, values: r.losses, x: oneTo(r.losses.length) })), { logY: true, xLabel: 'epoch', yLabel: 'training loss', title: 'Training loss', width: 600, height: 400 }));
    runs.forEach((r, i) => {
      const series = per[i].map((v, l) => ({ label: `layer ${l + 1}`, values: v, x: oneTo(v.length) }));
      showSVG(byId(i === 0 ? 'vanish-sigmoid' : 'vanish-relu'), lossCurveSVG(series.length ? series : [[]], { logY: true, xLabel: 'epoch', yLabel: 'gradient norm', title: `${r.label}: gradient norm per layer`, width: 600, height: 400 }));
    });
    drawTable(byId('vanish-results'), runs, (r) => {
      const n = layerNorms(r);
      const first = n[0]?.at(-1), last = n[n.length - 1]?.at(-1);
      return first === undefined || last === undefined ? '—' : `${fmt(first, 2)} / ${fmt(last, 2)} (×${fmt(last / first, 2)})`;
    });
  });
}

// ---- wiring -----------------------------------------------------------------------------------

const RUN: Record<PanelId, () => Promise<void>> = { lr: runRates, batch: runBatches, vanish: runVanish };
const started = new Set<PanelId>();
const start = (id: PanelId) => { started.add(id); RUN[id]().catch(reportError); };
for (const id of ['lr', 'batch', 'vanish'] as const) {
  byId(`${id}-controls`).addEventListener('submit', (ev) => { ev.preventDefault(); start(id); });
}
tabs(byId('tabs'), (panel) => {
  const id = panel.replace('panel-', '') as PanelId;
  if (!started.has(id)) start(id);
});
start('lr');
