/**
 * Page 4, critical points: click (or type) a point of a surface; its gradient, the Hessian's
 * eigenvalues and the second-derivative test's verdict by classifyCriticalPoint; Newton's method on
 * ∇f = 0 finds the nearest critical point, drawn as a path on heatmapSVG.
 */
import { classifyCriticalPoint, heatmapSVG, surfaceScale, type CriticalPointClass } from 'descent';
import { byId, fmt, h, reportError, setState, showSVG, startPage } from './common.js';
import { BUILT_IN, clickedPoint, newtonCritical, surfaceGrid, typedSurface, type Surface } from './surfaces.js';

const EXPLAIN: Record<CriticalPointClass['kind'], string> = {
  minimum: 'Both eigenvalues are positive: f curves up in every direction, so this is a (local) minimum.',
  maximum: 'Both eigenvalues are negative: f curves down in every direction, so this is a (local) maximum.',
  saddle: 'One eigenvalue is positive and one negative: f curves up along one eigenvector and down along the other, a saddle point.',
  inconclusive: 'An eigenvalue is zero (to rounding): the second-derivative test cannot decide here; higher derivatives would.',
};

await startPage('critical.html');

const fnSelect = byId<HTMLSelectElement>('fn');
const exprInput = byId<HTMLInputElement>('expr');
const px = byId<HTMLInputElement>('px'), py = byId<HTMLInputElement>('py');
for (const [i, b] of BUILT_IN.entries()) fnSelect.append(h('option', { value: String(i), selected: b.surface.id === 'himmelblau' }, b.surface.label));
fnSelect.append(h('option', { value: 'custom' }, 'Your function (typed above)'));

let surface: Surface = BUILT_IN.find((b) => b.surface.id === 'himmelblau')!.surface;
let grid = surfaceGrid(surface, 81);
let path: Array<[number, number]> = [];
let found: Array<{ x: [number, number]; kind: string }> = [];

function showKnown(): void {
  byId('known').replaceChildren(...(surface.criticalPoints.length === 0
    ? [h('span', { class: 'hint' }, 'none listed for a typed function: find them with Newton')]
    : surface.criticalPoints.map((c) => {
      const b = h('button', { type: 'button', class: 'secondary', 'data-kind': c.kind }, `${c.kind} (${fmt(c.x[0], 3)}, ${fmt(c.x[1], 3)})`);
      b.addEventListener('click', () => { path = []; setPoint([c.x[0], c.x[1]]); });
      return b;
    })));
}

function readPoint(): [number, number] | null {
  const x = Number(px.value), y = Number(py.value);
  const okX = px.value.trim() !== '' && Number.isFinite(x), okY = py.value.trim() !== '' && Number.isFinite(y);
  px.setAttribute('aria-invalid', String(!okX));
  py.setAttribute('aria-invalid', String(!okY));
  return okX && okY ? [x, y] : null;
}

function setPoint(p: [number, number]): void {
  px.value = String(Number(p[0].toPrecision(6)));
  py.value = String(Number(p[1].toPrecision(6)));
  show(p);
}

/** Classifies the point and draws everything. */
function show(p: [number, number]): void {
  const c = classifyCriticalPoint((q) => surface.f(q), p, { grad: (q, out) => surface.grad(q, out), hess: (q, out) => surface.hess(q, out) });
  const g = new Float64Array(2);
  surface.grad(Float64Array.from(p), g);
  const critical = c.gradNorm <= surface.tol * 10;
  const kindText = critical ? c.kind : `not a critical point (the curvature there is that of a ${c.kind === 'inconclusive' ? 'degenerate point' : c.kind})`;
  if (critical && !found.some((f) => Math.hypot(f.x[0] - p[0], f.x[1] - p[1]) < 1e-6)) found = [...found, { x: p, kind: c.kind }].slice(-6);
  byId('kind').textContent = kindText;
  byId('kind').dataset.kind = critical ? c.kind : 'not-critical';
  byId('explain').textContent = critical ? EXPLAIN[c.kind]
    : `∇f = (${fmt(g[0])}, ${fmt(g[1])}) is not zero, so f changes to first order here and the second-derivative test does not apply. Find the nearest critical point to test one.`;
  const H = c.hessian;
  byId('facts').replaceChildren(
    h('dt', {}, 'point (x, y)'), h('dd', { id: 'fact-point' }, `(${fmt(p[0], 6)}, ${fmt(p[1], 6)})`),
    h('dt', {}, 'f(x, y)'), h('dd', {}, fmt(surface.f(Float64Array.from(p)), 6)),
    h('dt', {}, '∇f'), h('dd', { id: 'fact-grad' }, `(${fmt(g[0])}, ${fmt(g[1])})`),
    h('dt', {}, 'max|∂f/∂xᵢ|'), h('dd', {}, fmt(c.gradNorm)),
    h('dt', {}, 'Hessian ∇²f'), h('dd', { id: 'fact-hessian' }, `[[${fmt(H[0])}, ${fmt(H[1])}], [${fmt(H[2])}, ${fmt(H[3])}]]`),
    h('dt', {}, 'eigenvalues λ₁ ≤ λ₂'), h('dd', { id: 'fact-eigenvalues' }, `${fmt(c.eigenvalues[0])}, ${fmt(c.eigenvalues[1])}`),
    h('dt', {}, 'derivatives'), h('dd', {}, surface.source),
  );
  draw(p, critical ? c.kind : 'not critical');
}

function draw(p: [number, number], label: string): void {
  const near = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1]) < 1e-4;
  // Known points, then the critical points found here that are not known; the one at the user's point is
  // left to the "you" marker (which names its kind too), so two labels never print over each other.
  const known = surface.criticalPoints.filter((c) => !near(c.x, p)).map((c) => ({ point: c.x, label: c.kind }));
  const mine = found.filter((f) => !near(f.x, p) && !surface.criticalPoints.some((c) => near(c.x, f.x))).map((f) => ({ point: f.x, label: f.kind }));
  const options = {
    logZ: grid.logZ, zRange: grid.zRange, contours: 12, title: surface.label, width: 640, height: 540,
    paths: path.length > 1 ? [{ label: 'Newton on ∇f = 0', points: path }] : [],
    markers: [...known, ...mine, { point: p, label: `you: ${label}` }],
  };
  const svg = showSVG(byId('plot'), heatmapSVG(grid.grid, options));
  const scale = surfaceScale(grid.grid, options);
  svg.addEventListener('click', (ev) => {
    const q = clickedPoint(svg, scale, ev);
    if (!q) return;
    path = [];
    setPoint(q);
    setState('done', `Clicked (${fmt(q[0], 3)}, ${fmt(q[1], 3)}).`);
  });
}

function snap(): void {
  const p = readPoint();
  if (!p) { setState('done', 'Type a number in both x and y.'); return; }
  const r = newtonCritical(surface, p);
  path = r.points;
  const end = r.points[r.points.length - 1];
  setPoint(end);
  setState('done', r.converged ? `Newton's method found a critical point: ${r.why}.` : `Newton's method stopped: ${r.why}.`);
}

function useSurface(s: Surface): void {
  if (s !== surface) surface.dispose();
  surface = s;
  grid = surfaceGrid(surface, 81);
  path = [];
  found = [];
  showKnown();
}

fnSelect.addEventListener('change', () => {
  if (fnSelect.value === 'custom') {
    const s = typedSurface(exprInput, byId('expr-error'), [-3, 3], [-3, 3], [0, 0]);
    if (!s) return;
    useSurface(s);
  } else {
    useSurface(BUILT_IN[Number(fnSelect.value)].surface);
  }
  const p = readPoint();
  if (p) show(p);
});
exprInput.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter') return;
  ev.preventDefault();
  const s = typedSurface(exprInput, byId('expr-error'), [-3, 3], [-3, 3], [0, 0]);
  if (!s) return;
  fnSelect.value = 'custom';
  useSurface(s);
  const p = readPoint();
  if (p) show(p);
});
byId('controls').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = readPoint();
  path = [];
  if (p) show(p); else setState('done', 'Type a number in both x and y.');
});
byId('snap').addEventListener('click', () => { try { snap(); } catch (e) { reportError(e); } });

try {
  showKnown();
  const p = readPoint()!;
  show(p);
  snap();
} catch (e) {
  reportError(e);
}
