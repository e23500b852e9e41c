/**
 * Page 1, descent on a surface: several of minimize's methods from one start point on a function
 * of two variables, their paths over contourSVG and f per iteration by lossCurveSVG, animated.
 */
import { contourSVG, lossCurveScale, lossCurveSVG, minimize, surfaceScale, type MinimizeMethod, type MinimizeOptions, type MinimizeResult } from 'descent';
import { animate, curveTracks, pathTracks, showUpTo, type Track } from './animate.js';
import { byId, fmt, h, nextFrame, rateSlider, reportError, setState, showSVG, slider, startPage } from './common.js';
import { BUILT_IN, clickedPoint, CUSTOM_TUNING, surfaceGrid, typedSurface, type Range, type Surface, type Tuning } from './surfaces.js';

type Kind = 'lr' | 'adaptive' | 'search';

const METHODS: ReadonlyArray<{ id: MinimizeMethod; label: string; kind: Kind }> = [
  { id: 'gd', label: 'GD', kind: 'lr' },
  { id: 'momentum', label: 'Momentum', kind: 'lr' },
  { id: 'nesterov', label: 'Nesterov', kind: 'lr' },
  { id: 'adam', label: 'Adam', kind: 'adaptive' },
  { id: 'rmsprop', label: 'RMSprop', kind: 'adaptive' },
  { id: 'adagrad', label: 'Adagrad', kind: 'adaptive' },
  { id: 'lbfgs', label: 'L-BFGS', kind: 'search' },
  { id: 'newton', label: 'Newton', kind: 'search' },
];

/** How long an animation of the runs takes, whatever their length. */
const ANIMATION_MS = 3000;

interface Settings { start: [number, number]; lr: number; adaptiveLr: number; momentum: number; iterations: number }

interface Run {
  label: string;
  kind: Kind;
  result: MinimizeResult;
  points: Array<[number, number] | null>;
  outcome: string;
  diverged: boolean;
}

/** Runs one method; stops it once f has grown 10⁴-fold (diverging) or x has left the plot far behind. */
function runMethod(s: Surface, m: (typeof METHODS)[number], set: Settings): Run {
  const f0 = s.f(Float64Array.from(set.start));
  const limit = f0 + 1e4 * Math.max(1, Math.abs(f0));
  const [xa, xb] = s.xRange, [ya, yb] = s.yRange;
  const far = (x: Float64Array) => x[0] < xa - 2 * (xb - xa) || x[0] > xb + 2 * (xb - xa) || x[1] < ya - 2 * (yb - ya) || x[1] > yb + 2 * (yb - ya);
  let stop: { why: 'rising' | 'left'; iter: number; f: number } | null = null;
  const options: MinimizeOptions = {
    method: m.id, grad: s.grad, maxIter: set.iterations, tol: s.tol, recordX: true,
    callback: (iter, x, f) => {
      if (f > limit) stop = { why: 'rising', iter, f };
      else if (far(x)) stop = { why: f > f0 ? 'rising' : 'left', iter, f };
      return stop === null;
    },
  };
  if (m.kind === 'lr') options.lr = set.lr;
  if (m.kind === 'adaptive') options.lr = set.adaptiveLr;
  if (m.id === 'momentum' || m.id === 'nesterov') options.momentum = set.momentum;
  if (m.id === 'newton') options.hess = s.hess;
  const result = minimize((p) => s.f(p), set.start, options);
  const points = result.history.map((e) => (e.x ? [e.x[0], e.x[1]] as [number, number] : null));
  const lr = m.kind === 'lr' ? set.lr : set.adaptiveLr;
  const tooHigh = m.kind === 'search' ? '' : `: learning rate ${lr} is too high for this function`;
  const s2 = stop as { why: 'rising' | 'left'; iter: number; f: number } | null;
  let outcome: string, diverged = false;
  if (result.status === 'diverged' || s2?.why === 'rising') {
    diverged = true;
    const at = s2 ? `f rose to ${fmt(s2.f)} by iteration ${s2.iter}` : result.message;
    outcome = `diverged (${at})${tooHigh}`;
  } else if (s2?.why === 'left') {
    outcome = `left the plot at iteration ${s2.iter}, f still falling (${fmt(s2.f)}): no minimum that way`;
  } else {
    outcome = result.message;
  }
  return { label: m.label, kind: m.kind, result, points, outcome, diverged };
}

await startPage('surface.html');

const fnSelect = byId<HTMLSelectElement>('fn');
const exprInput = byId<HTMLInputElement>('expr');
const exprError = byId('expr-error');
const num = (id: string) => byId<HTMLInputElement>(id);
const rangeInputs = { xmin: num('xmin'), xmax: num('xmax'), ymin: num('ymin'), ymax: num('ymax'), x0: num('x0'), y0: num('y0') };
const methodsBox = byId('methods');
const animateBox = byId<HTMLInputElement>('animate');
const surfaceEl = byId('surface-plot');
const lossEl = byId('loss-plot');
const divergence = byId('divergence');

for (const [i, b] of BUILT_IN.entries()) fnSelect.append(h('option', { value: String(i) }, b.surface.label));
fnSelect.append(h('option', { value: 'custom' }, 'Your function (typed above)'));
for (const m of METHODS) {
  methodsBox.append(h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: m.id, checked: true, id: `m-${m.id}` }), m.label));
}

const rerun = () => void run();
const lr = rateSlider('lr', 1e-5, 1, 1e-3);
const alr = rateSlider('alr', 1e-4, 5, 0.05);
const momentum = slider('momentum', (v) => v, (v) => v.toFixed(2));
const iters = slider('iters', (v) => v, (v) => String(v));
for (const id of ['lr', 'alr', 'momentum', 'iters']) byId(id).addEventListener('change', rerun);
methodsBox.addEventListener('change', rerun);
byId('controls').addEventListener('submit', (ev) => ev.preventDefault());

let surface: Surface = BUILT_IN[0].surface;

/** The plot area as typed, or null (and the inputs marked) when it is not a valid box. */
function readRanges(): { x: Range; y: Range; start: [number, number] } | null {
  const v = Object.fromEntries(Object.entries(rangeInputs).map(([k, el]) => [k, Number(el.value)])) as Record<keyof typeof rangeInputs, number>;
  let ok = true;
  for (const [k, el] of Object.entries(rangeInputs)) {
    const bad = el.value.trim() === '' || !Number.isFinite(v[k as keyof typeof v]) ||
      (k === 'xmax' && !(v.xmax > v.xmin)) || (k === 'ymax' && !(v.ymax > v.ymin));
    el.setAttribute('aria-invalid', String(bad));
    if (bad) ok = false;
  }
  return ok ? { x: [v.xmin, v.xmax], y: [v.ymin, v.ymax], start: [v.x0, v.y0] } : null;
}

function setRanges(s: Surface, start = s.start): void {
  rangeInputs.xmin.value = String(s.xRange[0]);
  rangeInputs.xmax.value = String(s.xRange[1]);
  rangeInputs.ymin.value = String(s.yRange[0]);
  rangeInputs.ymax.value = String(s.yRange[1]);
  rangeInputs.x0.value = String(start[0]);
  rangeInputs.y0.value = String(start[1]);
}

function setTuning(t: Tuning): void {
  lr.set(t.lr);
  alr.set(t.adaptiveLr);
  momentum.set(t.momentum);
  iters.set(t.iterations);
}

/** Builds the typed function over the current plot area; false (and the message shown) if it does not parse. */
function useTyped(): boolean {
  const r = readRanges();
  const s = r && typedSurface(exprInput, exprError, r.x, r.y, r.start);
  if (!s) return false;
  surface.dispose();
  surface = s;
  return true;
}

fnSelect.addEventListener('change', () => {
  if (fnSelect.value === 'custom') {
    setTuning(CUSTOM_TUNING);
    setRanges({ ...surface, xRange: [-3, 3], yRange: [-3, 3] }, [2.5, 2]);
    if (useTyped()) rerun();
    return;
  }
  const b = BUILT_IN[Number(fnSelect.value)];
  surface.dispose();
  surface = b.surface;
  setRanges(surface);
  setTuning(b.tuning);
  rerun();
});

exprInput.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter') return;
  ev.preventDefault();
  if (fnSelect.value !== 'custom') {
    fnSelect.value = 'custom';
    setTuning(CUSTOM_TUNING);
    setRanges({ ...surface, xRange: [-3, 3], yRange: [-3, 3] }, [2.5, 2]);
  }
  if (useTyped()) rerun();
});

for (const el of Object.values(rangeInputs)) {
  el.addEventListener('change', () => {
    const r = readRanges();
    if (!r) return;
    if (fnSelect.value === 'custom') { if (useTyped()) rerun(); return; }
    surface = { ...BUILT_IN[Number(fnSelect.value)].surface, xRange: r.x, yRange: r.y };
    rerun();
  });
}

byId('run').addEventListener('click', rerun);
byId('replay').addEventListener('click', () => play());

let runs: Run[] = [];
let tracks: Track[] = [];
let ends: Array<{ el: Element; time: number }> = [];
let stopAnimation: (() => void) | null = null;
let generation = 0;
let grid: ReturnType<typeof surfaceGrid> | null = null;
let gridOf: Surface | null = null;

async function run(): Promise<void> {
  const my = ++generation;
  const r = readRanges();
  if (!r) { setState('done', 'Fix the plot area: every box needs a number, and "to" must be above "from".'); return; }
  stopAnimation?.();
  setState('running', 'Running…');
  await nextFrame();
  const set: Settings = { start: r.start, lr: lr.get(), adaptiveLr: alr.get(), momentum: momentum.get(), iterations: iters.get() };
  const chosen = METHODS.filter((m) => byId<HTMLInputElement>(`m-${m.id}`).checked);
  if (chosen.length === 0) { setState('done', 'Choose at least one optimizer.'); return; }
  const out: Run[] = [];
  for (const m of chosen) {
    out.push(runMethod(surface, m, set));
    await nextFrame(); // a typed function's autodiff runs take a moment each: keep the page responsive
    if (my !== generation) return;
  }
  if (gridOf !== surface) { grid = surfaceGrid(surface); gridOf = surface; }
  runs = out;
  draw(set);
  play();
}

function draw(set: Settings): void {
  const g = grid!;
  const minima = surface.criticalPoints.filter((c) => c.kind === 'minimum');
  const marked = minima.length > 0 ? minima : surface.criticalPoints;
  const options = {
    levels: 16, logZ: g.logZ, zRange: g.zRange, width: 640, height: 540, title: surface.label,
    paths: runs.map((r) => ({ label: r.label, points: r.points })),
    markers: marked.map((c) => ({ point: c.x, label: c.kind })),
  };
  const svg = showSVG(surfaceEl, contourSVG(g.grid, options));
  const scale = surfaceScale(g.grid, options);
  tracks = pathTracks(svg, runs.map((r) => r.points.map((p) => (p ? [scale.x(p[0]), scale.y(p[1])] as [number, number] : null))));
  ends = runs.flatMap((r, i) => Array.from(svg.querySelectorAll(`g.path[data-series="${i}"] circle.end`), (el) => ({ el, time: r.points.length - 1 })));
  svg.addEventListener('click', (ev) => {
    const p = clickedPoint(svg, scale, ev);
    if (!p) return;
    rangeInputs.x0.value = String(Number(p[0].toPrecision(3)));
    rangeInputs.y0.value = String(Number(p[1].toPrecision(3)));
    if (fnSelect.value === 'custom' && !useTyped()) return;
    rerun();
  });

  const series = runs.map((r) => ({ label: r.label, values: r.result.history.map((e) => e.f) }));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const lossOptions = { logY: finite.length > 0 && finite.every((v) => v > 0), xLabel: 'iteration', yLabel: 'f(x, y)', title: 'f per iteration', width: 560, height: 540 };
  const lossSvg = showSVG(lossEl, lossCurveSVG(series, lossOptions));
  const ls = lossCurveScale(series, lossOptions);
  tracks.push(...curveTracks(lossSvg, (X) => ls.xDomain[0] + ((X - ls.plot.left) / (ls.plot.right - ls.plot.left)) * (ls.xDomain[1] - ls.xDomain[0])));
  // One colour per optimizer in both plots: the loss curves take the paths' colours.
  runs.forEach((_, i) => {
    const colour = svg.querySelector(`g.legend-entry[data-series="${i}"] line`)?.getAttribute('stroke');
    if (!colour) return;
    for (const el of lossSvg.querySelectorAll(`[data-series="${i}"]`)) {
      if (el.tagName === 'circle') el.setAttribute('fill', colour);
      else if (el.tagName === 'polyline') el.setAttribute('stroke', colour);
      else el.querySelector('line')?.setAttribute('stroke', colour);
    }
  });

  const tbody = byId('results').querySelector('tbody')!;
  tbody.replaceChildren(...runs.map((r, i) => {
    const colour = svg.querySelector(`g.legend-entry[data-series="${i}"] line`)?.getAttribute('stroke') ?? '#000';
    const x = r.result.x;
    return h('tr', { 'data-method': r.label, 'data-points': r.points.length, class: r.diverged ? 'diverged' : '' },
      h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' }), r.label),
      h('td', { class: 'num' }, String(r.result.nIter)),
      h('td', { class: 'num' }, fmt(r.result.fun)),
      h('td', { class: 'num' }, `(${fmt(x[0])}, ${fmt(x[1])})`),
      h('td', {}, r.outcome));
  }));
  const bad = runs.filter((r) => r.diverged);
  const lrBad = bad.filter((r) => r.kind !== 'search');
  divergence.textContent = bad.length === 0 ? '' :
    `Diverged: ${bad.map((r) => r.label).join(', ')}. ${lrBad.length > 0
      ? `With learning rate ${[...new Set(lrBad.map((r) => (r.kind === 'lr' ? set.lr : set.adaptiveLr)))].join(' / ')} each step overshoots the valley by more than it gains, so f grows without bound: lower the learning rate.`
      : ''}`;
  byId('source').textContent = `Gradients: ${surface.source}. Start (${fmt(set.start[0])}, ${fmt(set.start[1])}).`;
}

function play(): void {
  stopAnimation?.();
  const end = Math.max(0, ...runs.map((r) => r.points.length - 1));
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const done = () => {
    stopAnimation = null;
    setState('done', `${runs.length} runs from (${rangeInputs.x0.value}, ${rangeInputs.y0.value}); the longest took ${end} iterations.`);
  };
  if (!animateBox.checked || reduce || end === 0) {
    showUpTo(tracks, Infinity, ends);
    done();
    return;
  }
  setState('running', 'Animating…');
  showUpTo(tracks, 0, ends); // the start points at once, not a flash of the whole paths
  stopAnimation = animate(end, ANIMATION_MS, (t) => showUpTo(tracks, t, ends), done);
}

setRanges(surface);
setTuning(BUILT_IN[0].tuning);
run().catch(reportError);
