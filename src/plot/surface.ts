/**
 * Functions of two variables as standalone SVG: heat maps ({@link heatmapSVG}) and contour plots
 * ({@link contourSVG}, marching squares), both with optimizer paths (a `minimize` history) and
 * marked points drawn over them. No DOM and no dependencies, like {@link lossCurveSVG}, whose axes
 * and ticks these share (./axes.ts).
 */
import { describe } from '../util/describe.js';
import { checkOptions, checkValue, type Rule, type Rules } from '../util/options.js';
import {
  FRAME_RULES, drawAxes, drawGrid, drawLabels, drawLegend, escapeXML, formatShort, frame, innerTicks, px, svgOpen,
  type Frame, type FrameOptions, type PlotArea,
} from './axes.js';
import { LOSS_CURVE_PALETTE } from './loss-curve.js';

/**
 * Values of a function on a rectangular grid: `z[j * x.length + i]` is the value at (x[i], y[j])
 * (row-major, one row per y). x and y are strictly increasing (not necessarily evenly spaced).
 * A loss landscape is one: `{ x: r.alphas, y: r.betas, z: r.losses }`.
 */
export interface Grid {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
}

/** A function of a point [x, y], as `minimize` takes one (so `testFunctions.rosenbrock.f` works as is). */
export type SurfaceFunction = (p: Float64Array) => number;

/** What the surface plots draw: a grid, or a function sampled on `xRange` × `yRange`. */
export type SurfaceInput = Grid | SurfaceFunction;

/**
 * A path drawn over the surface: points [x, y] in order (e.g. `r.history.map((h) => h.x)` from
 * `minimize` with `recordX`). A missing point (null or undefined) or a non-finite one breaks the line.
 */
export interface SurfacePath {
  points: ArrayLike<ArrayLike<number> | null | undefined>;
  /** The legend label. Default "path 1", "path 2", .... */
  label?: string;
}

/** A marked point (e.g. the trained weights at (0, 0) of a loss landscape, or a known minimum). */
export interface SurfaceMarker {
  point: ArrayLike<number>;
  /** Text beside the marker. Default none. */
  label?: string;
}

/** Options of {@link heatmapSVG}, {@link contourSVG} and {@link surfaceScale}. */
export interface SurfaceOptions extends FrameOptions {
  /** A logarithmic z: log colour scale and log-spaced contour levels; z ≤ 0 is then drawn as missing. Default `false`. */
  logZ?: boolean;
  /** The z range of the colour scale (values beyond it get the end colours) and of the default levels. Default: the finite z values' range. */
  zRange?: readonly [number, number];
  /** For a function: the x interval sampled. Required with a function. */
  xRange?: readonly [number, number];
  /** For a function: the y interval sampled. Required with a function. */
  yRange?: readonly [number, number];
  /** For a function: grid points per axis (≥ 2), or [nx, ny]. Default 101 (contour), 61 (heat map). */
  resolution?: number | readonly [number, number];
  /** Paths drawn over the surface, each with a start circle, an end dot and a legend entry. Default none. */
  paths?: readonly SurfacePath[];
  /** Marked points, each a white circle with a black ring and an optional label. Default none. */
  markers?: readonly SurfaceMarker[];
  /** The x axis label. Default `'x'`. */
  xLabel?: string;
  /** The y axis label. Default `'y'`. */
  yLabel?: string;
  /** The colour bar's label. Default `'f(x, y)'`. */
  zLabel?: string;
}

/** Options of {@link heatmapSVG}. */
export interface HeatmapOptions extends SurfaceOptions {
  /** Contour lines over the heat map: a number of levels, or the levels. Default none. */
  contours?: number | readonly number[];
}

/** Options of {@link contourSVG}. */
export interface ContourOptions extends SurfaceOptions {
  /** A number of levels (evenly spaced strictly inside the z range; log-spaced with `logZ`), or the levels themselves. Default 10. */
  levels?: number | readonly number[];
  /** Fill the grid as a heat map under the lines. Default `false`. */
  fill?: boolean;
}

/** The data → pixel mapping and colour scale of a surface plot, as {@link heatmapSVG} and {@link contourSVG} draw it. */
export interface SurfaceScale {
  /** The plot area in SVG px (x from left to right, y from bottom (smallest) to top). */
  plot: PlotArea;
  /** The grid's x and y extent, which the axes show exactly. */
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: number[];
  yTicks: number[];
  /** The colour scale's z range (finite z, or `zRange`). */
  zDomain: [number, number];
  logZ: boolean;
  /** Data x → SVG px. */
  x(v: number): number;
  /** Data y → SVG px. */
  y(v: number): number;
  /** z → its position in the colour scale, 0 (zDomain[0]) to 1 (zDomain[1]), clamped; NaN for missing values. */
  t(z: number): number;
  /** The grid as sampled (for a function input: the samples). */
  grid: { x: Float64Array; y: Float64Array; z: Float64Array };
}

// Matplotlib's viridis (van der Walt & Smith, 2015) at 10 evenly spaced points, interpolated
// linearly: perceptually uniform, readable in grey and by colour-blind readers.
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725']
  .map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));

/**
 * The colour at position t ∈ [0, 1] of the viridis scale (dark purple at 0, yellow at 1), as
 * '#rrggbb'; t outside [0, 1] is clamped. The heat maps' and contours' colour scale.
 * @example
 * viridis(0); // '#440154'
 * viridis(1); // '#fde725'
 */
export function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - k;
  const a = VIRIDIS[k], b = VIRIDIS[k + 1];
  return `#${a.map((v, c) => Math.round(v + (b[c] - v) * f).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour of missing values (NaN, ±Infinity, or ≤ 0 with logZ). */
const MISSING = '#d9d9d9';
/** Contour lines without a fill use the scale up to here: its yellow end is too faint on white. */
const LINE_T_MAX = 0.85;
/** Room on the right for the colour bar, its labels and its title. */
const BAR_ROOM = 96;

const RANGE_PAIR: Rule = { kind: 'pair', items: [{ kind: 'number' }, { kind: 'number' }], check: (a, b) => (a < b ? null : 'must have lo < hi') };

const SURFACE_RULES: Rules = {
  ...FRAME_RULES,
  logZ: { kind: 'boolean' },
  zRange: { ...RANGE_PAIR, fix: 'Pass e.g. zRange: [0, 10].' },
  xRange: { ...RANGE_PAIR, fix: 'Pass e.g. xRange: [-2, 2].' },
  yRange: { ...RANGE_PAIR, fix: 'Pass e.g. yRange: [-1, 3].' },
  resolution: {
    kind: 'anyOf',
    rules: [
      { kind: 'number', integer: true, min: 2, max: 2000 },
      { kind: 'pair', items: [{ kind: 'number', integer: true, min: 2, max: 2000 }, { kind: 'number', integer: true, min: 2, max: 2000 }] },
    ],
    want: 'a whole number of grid points per axis in [2, 2000], or [nx, ny]',
  },
  paths: { kind: 'array', item: { kind: 'object', rules: { points: { kind: 'array', arrayLike: true, required: true }, label: { kind: 'string' } } } },
  markers: { kind: 'array', item: { kind: 'object', rules: { point: { kind: 'array', arrayLike: true, required: true }, label: { kind: 'string' } } } },
  xLabel: { kind: 'string' },
  yLabel: { kind: 'string' },
  zLabel: { kind: 'string' },
};

const LEVELS: Rule = {
  kind: 'anyOf',
  rules: [{ kind: 'number', integer: true, min: 1, max: 1000 }, { kind: 'array', item: { kind: 'number' }, minLength: 1 }],
  want: 'a number of levels in [1, 1000] or an array of level values',
  fix: 'Pass e.g. levels: 12 or levels: [0.1, 1, 10].',
};

/**
 * Samples `f` on a grid: `resolution` points per axis (or [nx, ny]) evenly spaced over `xRange`
 * × `yRange`, ends included; f gets a new Float64Array [x, y] per point. A value that is not a
 * number is a TypeError; NaN and ±Infinity are kept (drawn as missing).
 * @example
 * const g = sampleGrid(testFunctions.rosenbrock.f, { xRange: [-2, 2], yRange: [-1, 3], resolution: 5 });
 * g.z[2 * 5 + 3]; // f([1, 1]) = 0
 */
export function sampleGrid(f: SurfaceFunction, options: { xRange: readonly [number, number]; yRange: readonly [number, number]; resolution?: number | readonly [number, number] }): { x: Float64Array; y: Float64Array; z: Float64Array } {
  const fn = 'sampleGrid';
  if (typeof f !== 'function') throw new TypeError(`${fn}: f must be a function of a point [x, y], got ${describe(f)}.`);
  const o = checkOptions(fn, options, { xRange: { ...SURFACE_RULES.xRange, required: true }, yRange: { ...SURFACE_RULES.yRange, required: true }, resolution: SURFACE_RULES.resolution });
  return sample(fn, f, o.xRange, o.yRange, o.resolution ?? 101);
}

function sample(fn: string, f: SurfaceFunction, xr: readonly [number, number], yr: readonly [number, number], res: number | readonly [number, number]) {
  const [nx, ny] = typeof res === 'number' ? [res, res] : res;
  const x = linspace(xr[0], xr[1], nx), y = linspace(yr[0], yr[1], ny);
  const z = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = f(Float64Array.of(x[i], y[j]));
      if (typeof v !== 'number') throw new TypeError(`${fn}: f must return a number, got ${describe(v)} at [${x[i]}, ${y[j]}].`);
      z[j * nx + i] = v;
    }
  }
  return { x, y, z };
}

function linspace(lo: number, hi: number, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1);
  return a;
}

/** Checks and copies a grid (a function is sampled), checking options that depend on which it is. */
function gridOf(fn: string, input: SurfaceInput, o: SurfaceOptions, defaultRes: number): SurfaceScale['grid'] {
  if (typeof input === 'function') {
    if (o.xRange === undefined || o.yRange === undefined) {
      throw new TypeError(`${fn}: a function needs options.xRange and options.yRange (the area to sample), got ${describe(o.xRange)} and ${describe(o.yRange)}. Pass e.g. { xRange: [-2, 2], yRange: [-1, 3] }.`);
    }
    return sample(fn, input, o.xRange, o.yRange, o.resolution ?? defaultRes);
  }
  if (input === null || typeof input !== 'object') {
    throw new TypeError(`${fn}: input must be a grid { x, y, z } or a function of a point [x, y], got ${describe(input)}. Pass e.g. { x: r.alphas, y: r.betas, z: r.losses }.`);
  }
  for (const k of ['xRange', 'yRange', 'resolution'] as const) {
    if (o[k] !== undefined) throw new TypeError(`${fn}: options.${k} applies to a function input; a grid has its own x and y. Drop it.`);
  }
  const axis = (k: 'x' | 'y'): Float64Array => {
    checkValue(fn, `grid.${k}`, input[k], { kind: 'array', arrayLike: true, minLength: 2, required: true, fix: `Pass at least two increasing ${k} values.` });
    const a = Float64Array.from(input[k]);
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]) || (i > 0 && !(a[i] > a[i - 1]))) {
        throw new RangeError(`${fn}: grid.${k} must be finite and strictly increasing, got ${describe(input[k][i])} at grid.${k}[${i}]${i > 0 ? ` after ${describe(input[k][i - 1])}` : ''}.`);
      }
    }
    return a;
  };
  const x = axis('x'), y = axis('y');
  checkValue(fn, 'grid.z', input.z, { kind: 'array', arrayLike: true, required: true });
  if (input.z.length !== x.length * y.length) {
    throw new RangeError(`${fn}: grid.z must hold x.length × y.length = ${x.length} × ${y.length} = ${x.length * y.length} values (row-major, one row per y), got ${input.z.length}.`);
  }
  const z = new Float64Array(input.z.length);
  for (let k = 0; k < z.length; k++) {
    const v = input.z[k];
    if (typeof v !== 'number') throw new TypeError(`${fn}: grid.z[${k}] must be a number, got ${describe(v)}.`);
    z[k] = v;
  }
  return { x, y, z };
}

function scaleOf(fn: string, input: SurfaceInput, o: SurfaceOptions, defaultRes: number): { scale: SurfaceScale; frame: Frame } {
  const grid = gridOf(fn, input, o, defaultRes);
  const f = frame(o, BAR_ROOM);
  const { plot } = f;
  const logZ = o.logZ ?? false;
  const { x, y, z } = grid;
  const xDomain: [number, number] = [x[0], x[x.length - 1]];
  const yDomain: [number, number] = [y[0], y[y.length - 1]];
  let zDomain: [number, number];
  if (o.zRange) {
    if (logZ && !(o.zRange[0] > 0)) throw new RangeError(`${fn}: options.zRange must be positive with logZ, got ${describe(o.zRange)}.`);
    zDomain = [o.zRange[0], o.zRange[1]];
  } else {
    let lo = Infinity, hi = -Infinity;
    for (const v of z) if (usableZ(v, logZ)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    zDomain = lo > hi ? (logZ ? [1, 10] : [0, 1]) : [lo, hi];
  }
  const w = plot.right - plot.left, h = plot.bottom - plot.top;
  const g = logZ ? Math.log10 : (v: number) => v;
  const za = g(zDomain[0]), zb = g(zDomain[1]);
  const scale: SurfaceScale = {
    plot, xDomain, yDomain, zDomain, logZ, grid,
    xTicks: innerTicks(xDomain[0], xDomain[1], Math.max(2, Math.floor(w / 80)), false),
    yTicks: innerTicks(yDomain[0], yDomain[1], Math.max(2, Math.floor(h / 45)), false),
    x: (v) => plot.left + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * w,
    y: (v) => plot.bottom - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * h,
    t: (v) => (usableZ(v, logZ) ? (zb > za ? Math.min(1, Math.max(0, (g(v) - za) / (zb - za))) : 0.5) : NaN),
  };
  return { scale, frame: f };
}

function usableZ(v: number, logZ: boolean): boolean {
  return Number.isFinite(v) && (!logZ || v > 0);
}

function checkSurfaceOptions<T extends SurfaceOptions>(fn: string, options: T | undefined, extra: Rules): T {
  return checkOptions(fn, options, { ...SURFACE_RULES, ...extra });
}

/**
 * The data → pixel mapping and colour scale that {@link heatmapSVG} and {@link contourSVG} use for
 * the same input and options: the plot area, the axes (exactly the grid's extent, with nice ticks
 * inside it) and z's position in the colour scale.
 * @example
 * const s = surfaceScale({ x: [0, 1, 2], y: [0, 1], z: [0, 1, 2, 3, 4, 5] });
 * s.x(0);   // s.plot.left
 * s.t(5);   // 1 (the top of the colour scale)
 */
export function surfaceScale(input: SurfaceInput, options: HeatmapOptions & ContourOptions = {}): SurfaceScale {
  const o = checkSurfaceOptions('surfaceScale', options, { contours: { kind: 'any' }, levels: { kind: 'any' }, fill: { kind: 'any' } });
  return scaleOf('surfaceScale', input, o, typeof input === 'function' ? 101 : 0).scale;
}

/**
 * Draws a function of two variables as a heat map, a standalone SVG string: one rectangle per grid
 * point, centred on it and reaching halfway to its neighbours, coloured by viridis (dark = low,
 * yellow = high; `logZ` for a log scale), a colour bar with nice ticks, axes spanning the grid, and
 * optionally contour lines (`contours`), paths and marked points over it. Missing values (NaN,
 * ±Infinity, ≤ 0 with `logZ`) are light grey. Values outside `zRange` get the end colours.
 *
 * `input` is a {@link Grid} (`{ x, y, z }`, e.g. a 2-D loss landscape) or a function of a point
 * [x, y] sampled on `xRange` × `yRange` at `resolution` points per axis. Paths are drawn as lines
 * with a white halo, a hollow circle at the start and a dot at the end (a non-finite point breaks
 * the line; parts outside the plot are clipped), with a legend; markers as a ringed white circle
 * and a label. Text is XML-escaped; coordinates are rounded to 0.01 px; {@link surfaceScale} gives
 * the same mapping.
 *
 * Defaults: width 640, height 400, `logZ` false, `zRange` the finite values' range, resolution 61
 * for a function, labels 'x', 'y' and 'f(x, y)', no title, contours, paths or markers.
 *
 * @example
 * const r = lossLandscape2D(model, X, y, { steps: 31 });
 * const svg = heatmapSVG({ x: r.alphas, y: r.betas, z: r.losses }, {
 *   logZ: true, contours: 8, xLabel: 'α', yLabel: 'β', zLabel: 'loss', markers: [{ point: [0, 0], label: 'trained' }],
 * });
 */
export function heatmapSVG(input: SurfaceInput, options: HeatmapOptions = {}): string {
  const fn = 'heatmapSVG';
  const o = checkSurfaceOptions(fn, options, { contours: LEVELS });
  return draw(fn, input, o, { fill: true, levels: o.contours, defaultRes: 61 });
}

/**
 * Draws contour lines of a function of two variables, a standalone SVG string: marching squares on
 * the grid (Lorensen & Cline 1987's 2-D case; each line crosses a cell edge where linear
 * interpolation between the edge's two values equals the level; a saddle cell is resolved by the
 * mean of its four corners), one `<path class="contour" data-level="…">` per level, coloured by
 * level with viridis, and a colour bar that marks and labels the levels. Cells with a missing
 * corner draw no line. `levels` is a count (evenly spaced strictly inside the z range, or
 * geometrically spaced with `logZ`: the way to see a narrow valley such as Rosenbrock's) or the
 * values. With `fill` the grid is drawn as a heat map under the lines.
 *
 * Input, paths, markers, scales and text as {@link heatmapSVG}. Defaults: 10 levels, resolution
 * 101 for a function, `fill` false, the rest as heatmapSVG.
 *
 * @example
 * const { f, x0, minima } = testFunctions.rosenbrock;
 * const r = minimize(f, x0, { method: 'gd', lr: 1e-3, maxIter: 2000, recordX: true });
 * const svg = contourSVG(f, {
 *   xRange: [-2, 2], yRange: [-1, 3], levels: 15, logZ: true,
 *   paths: [{ points: r.history.map((h) => h.x!), label: 'gradient descent' }],
 *   markers: [{ point: minima[0], label: 'minimum' }],
 * });
 * Reference: W. E. Lorensen and H. E. Cline (1987), "Marching cubes", SIGGRAPH; matplotlib's contour.
 */
export function contourSVG(input: SurfaceInput, options: ContourOptions = {}): string {
  const fn = 'contourSVG';
  const o = checkSurfaceOptions(fn, options, { levels: LEVELS, fill: { kind: 'boolean' } });
  return draw(fn, input, o, { fill: o.fill ?? false, levels: o.levels ?? 10, defaultRes: 101 });
}

// ------------------------------------------------------------------------------------------------

function draw(fn: string, input: SurfaceInput, o: SurfaceOptions, how: { fill: boolean; levels: number | readonly number[] | undefined; defaultRes: number }): string {
  const { scale: s, frame: f } = scaleOf(fn, input, o, how.defaultRes);
  const levels = how.levels === undefined ? [] : levelValues(fn, how.levels, s);
  const paths = (o.paths ?? []).map((p, i) => pathPoints(fn, p, i));
  const markers = (o.markers ?? []).map((m, i) => pointOf(fn, `options.markers[${i}].point`, m.point));
  const { plot } = f;
  const out: string[] = [];
  const title = o.title;
  svgOpen(out, f.width, f.height, title ? escapeXML(title) : how.fill ? 'heat map' : 'contour plot');

  // Everything drawn in data coordinates lives in a nested viewport that clips it to the plot area.
  const w = plot.right - plot.left, h = plot.bottom - plot.top;
  out.push(`<svg class="plot-area" x="${px(plot.left)}" y="${px(plot.top)}" width="${px(w)}" height="${px(h)}" viewBox="${px(plot.left)} ${px(plot.top)} ${px(w)} ${px(h)}" overflow="hidden">`);
  if (how.fill) drawCells(out, s);
  drawContours(out, s, levels, how.fill, paths.length > 0);
  paths.forEach((p, i) => drawPath(out, s, p, i));
  markers.forEach((m, i) => drawMarker(out, s, m, o.markers![i].label, i));
  out.push('</svg>');

  drawGrid(out, plot, { ticks: s.xTicks, log: false, map: s.x }, { ticks: s.yTicks, log: false, map: s.y }, false);
  drawAxes(out, plot);
  drawColorBar(out, f, s, how.fill, levels, o.zLabel ?? 'f(x, y)');
  drawLabels(out, f, o.xLabel ?? 'x', o.yLabel ?? 'y', title);
  drawLegend(out, plot, paths.map((p, i) => ({ label: p.label, colour: pathColour(i), series: i })));
  out.push('</svg>');
  return out.join('\n');
}

function levelValues(fn: string, levels: number | readonly number[], s: SurfaceScale): number[] {
  const [lo, hi] = s.zDomain;
  if (typeof levels === 'number') {
    const n = levels;
    if (s.logZ) {
      // Geometric spacing strictly inside [lo, hi] (lo > 0 with logZ).
      return Array.from({ length: n }, (_, k) => lo * (hi / lo) ** ((k + 1) / (n + 1)));
    }
    return Array.from({ length: n }, (_, k) => lo + ((hi - lo) * (k + 1)) / (n + 1));
  }
  const out = Array.from(levels).sort((a, b) => a - b);
  out.forEach((v, k) => {
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: every level must be finite, got ${describe(v)}. Drop it.`);
    if (s.logZ && !(v > 0)) throw new RangeError(`${fn}: with logZ every level must be > 0, got ${describe(v)}. Drop it or turn logZ off.`);
    if (k > 0 && v === out[k - 1]) throw new RangeError(`${fn}: levels repeat ${describe(v)}; pass each level once.`);
  });
  return out;
}

function pointOf(fn: string, where: string, p: ArrayLike<number>): [number, number] | null {
  if (p.length !== 2) throw new RangeError(`${fn}: ${where} must be a point [x, y], got ${describe(p)}.`);
  const x = p[0], y = p[1];
  if (typeof x !== 'number' || typeof y !== 'number') throw new TypeError(`${fn}: ${where} must hold two numbers, got ${describe(p)}.`);
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

function pathPoints(fn: string, p: SurfacePath, i: number): { label: string; points: Array<[number, number] | null> } {
  const pts = p.points;
  const points: Array<[number, number] | null> = [];
  for (let k = 0; k < pts.length; k++) {
    const q = pts[k];
    if (q === null || q === undefined) { points.push(null); continue; }
    if (typeof q !== 'object' || typeof q.length !== 'number') {
      throw new TypeError(`${fn}: options.paths[${i}].points[${k}] must be a point [x, y], got ${describe(q)}.`);
    }
    points.push(pointOf(fn, `options.paths[${i}].points[${k}]`, q));
  }
  return { label: p.label ?? `path ${i + 1}`, points };
}

function pathColour(i: number): string {
  // Black and yellow are the palette's weakest on viridis; they come last.
  const order = [0, 1, 2, 3, 5, 4, 6, 7];
  return LOSS_CURVE_PALETTE[order[i % order.length]];
}

/** One rectangle per grid point, from halfway to its left/lower neighbour to halfway to its right/upper one. */
function drawCells(out: string[], s: SurfaceScale): void {
  const { x, y, z } = s.grid;
  const nx = x.length, ny = y.length;
  const edge = (a: Float64Array, k: number, side: -1 | 1) => {
    const j = k + side;
    return j < 0 || j >= a.length ? a[k] + (a[k] - a[k - side]) / 2 : (a[k] + a[j]) / 2;
  };
  out.push('<g class="cells" shape-rendering="crispEdges">');
  for (let j = 0; j < ny; j++) {
    const y0 = s.y(edge(y, j, 1)), y1 = s.y(edge(y, j, -1));
    for (let i = 0; i < nx; i++) {
      const x0 = s.x(edge(x, i, -1)), x1 = s.x(edge(x, i, 1));
      const t = s.t(z[j * nx + i]);
      const fill = Number.isNaN(t) ? MISSING : viridis(t);
      out.push(`<rect${Number.isNaN(t) ? ' class="missing"' : ''} x="${px(x0)}" y="${px(y0)}" width="${px(x1 - x0)}" height="${px(y1 - y0)}" fill="${fill}"/>`);
    }
  }
  out.push('</g>');
}

/**
 * Marching squares for one level: the segments of each cell, joined into polylines by the edges
 * they share (each crossing is identified by its edge, so joining is exact).
 */
export function contourLines(grid: { x: ArrayLike<number>; y: ArrayLike<number>; z: ArrayLike<number> }, level: number): Array<Array<[number, number]>> {
  const { x, y, z } = grid;
  const nx = x.length, ny = y.length;
  const at = (i: number, j: number) => z[j * nx + i];
  // Edge keys: horizontal edge (i, j)-(i+1, j) is 2·(j·nx + i); vertical edge (i, j)-(i, j+1) is 2·(j·nx + i) + 1.
  const point = new Map<number, [number, number]>();
  const links = new Map<number, number[]>();
  const cross = (key: number, xa: number, ya: number, za: number, xb: number, yb: number, zb: number): number => {
    if (!point.has(key)) {
      const t = (level - za) / (zb - za);
      point.set(key, [xa + t * (xb - xa), ya + t * (yb - ya)]);
    }
    return key;
  };
  const link = (a: number, b: number) => {
    (links.get(a) ?? links.set(a, []).get(a)!).push(b);
    (links.get(b) ?? links.set(b, []).get(b)!).push(a);
  };
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const z00 = at(i, j), z10 = at(i + 1, j), z11 = at(i + 1, j + 1), z01 = at(i, j + 1);
      if (!(Number.isFinite(z00) && Number.isFinite(z10) && Number.isFinite(z11) && Number.isFinite(z01))) continue;
      const c = (z00 > level ? 1 : 0) | (z10 > level ? 2 : 0) | (z11 > level ? 4 : 0) | (z01 > level ? 8 : 0);
      if (c === 0 || c === 15) continue;
      const x0 = x[i], x1 = x[i + 1], y0 = y[j], y1 = y[j + 1];
      const bottom = () => cross(2 * (j * nx + i), x0, y0, z00, x1, y0, z10);
      const top = () => cross(2 * ((j + 1) * nx + i), x0, y1, z01, x1, y1, z11);
      const left = () => cross(2 * (j * nx + i) + 1, x0, y0, z00, x0, y1, z01);
      const right = () => cross(2 * (j * nx + i + 1) + 1, x1, y0, z10, x1, y1, z11);
      switch (c) {
        case 1: case 14: link(left(), bottom()); break;
        case 2: case 13: link(bottom(), right()); break;
        case 3: case 12: link(left(), right()); break;
        case 4: case 11: link(right(), top()); break;
        case 6: case 9: link(bottom(), top()); break;
        case 7: case 8: link(left(), top()); break;
        case 5: case 10: {
          // Saddle: corners 00 and 11 on one side, 10 and 01 on the other; the cell's mean decides
          // whether the high corners connect through the centre.
          const centreHigh = (z00 + z10 + z11 + z01) / 4 > level;
          const highDiagonal00 = c === 5; // 00 and 11 are above the level
          if (centreHigh === highDiagonal00) { link(left(), top()); link(bottom(), right()); }
          else { link(left(), bottom()); link(right(), top()); }
          break;
        }
      }
    }
  }
  // Walk the links: open chains from their ends first, then the closed loops.
  const lines: Array<Array<[number, number]>> = [];
  const used = new Set<string>();
  const edgeId = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const walk = (start: number) => {
    const line: Array<[number, number]> = [point.get(start)!];
    let prev = -1, cur = start;
    for (;;) {
      const next = (links.get(cur) ?? []).find((n) => n !== prev && !used.has(edgeId(cur, n))) ??
        (links.get(cur) ?? []).find((n) => !used.has(edgeId(cur, n)));
      if (next === undefined) break;
      used.add(edgeId(cur, next));
      line.push(point.get(next)!);
      prev = cur;
      cur = next;
      if (cur === start) break;
    }
    if (line.length > 1) lines.push(line);
  };
  for (const [k, ns] of links) if (ns.length === 1 && !used.has(edgeId(k, ns[0]))) walk(k);
  for (const [k, ns] of links) for (const n of ns) if (!used.has(edgeId(k, n))) walk(k);
  return lines;
}

/** Contour lines per level: white over a fill, else viridis by level (fainter under paths, which must stand out). */
function drawContours(out: string[], s: SurfaceScale, levels: number[], filled: boolean, underPaths: boolean): void {
  if (levels.length === 0) return;
  out.push('<g class="contours" fill="none" stroke-linejoin="round">');
  for (const level of levels) {
    const lines = contourLines(s.grid, level);
    const d = lines.map((line) => {
      const closed = line.length > 2 && line[0] === line[line.length - 1];
      const pts = (closed ? line.slice(0, -1) : line).map(([x, y]) => `${px(s.x(x))},${px(s.y(y))}`);
      return `M${pts.join('L')}${closed ? 'Z' : ''}`;
    }).join('');
    const t = s.t(level);
    const colour = filled ? '#ffffff' : viridis((Number.isNaN(t) ? 0 : t) * LINE_T_MAX);
    const opacity = filled ? 0.75 : underPaths ? 0.5 : 1;
    out.push(`<path class="contour" data-level="${level}" stroke="${colour}" stroke-width="${filled || underPaths ? 1 : 1.5}"${opacity < 1 ? ` stroke-opacity="${opacity}"` : ''} d="${d}"/>`);
  }
  out.push('</g>');
}

/**
 * Liang–Barsky: the part of segment a→b inside the rectangle, or null. Points inside come back
 * unchanged, so unbroken runs of visible points join exactly.
 */
function clip(a: [number, number], b: [number, number], r: PlotArea): [[number, number], [number, number]] | null {
  let t0 = 0, t1 = 1;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const sides: Array<[number, number]> = [[-dx, a[0] - r.left], [dx, r.right - a[0]], [-dy, a[1] - r.top], [dy, r.bottom - a[1]]];
  for (const [p, q] of sides) {
    if (p === 0) { if (q < 0) return null; continue; }
    const t = q / p;
    if (p < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
  }
  return [t0 === 0 ? a : [a[0] + t0 * dx, a[1] + t0 * dy], t1 === 1 ? b : [a[0] + t1 * dx, a[1] + t1 * dy]];
}

function drawPath(out: string[], s: SurfaceScale, p: { label: string; points: Array<[number, number] | null> }, i: number): void {
  const colour = pathColour(i);
  // Clip in px to the plot area plus a margin, so far-away (diverging) points never reach the SVG.
  const m = 20;
  const box = { left: s.plot.left - m, right: s.plot.right + m, top: s.plot.top - m, bottom: s.plot.bottom + m };
  const P = p.points.map((q) => (q ? ([s.x(q[0]), s.y(q[1])] as [number, number]) : null));
  const runs: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> = [];
  const flush = () => { if (run.length > 1) runs.push(run); run = []; };
  for (let k = 0; k + 1 < P.length; k++) {
    const a = P[k], b = P[k + 1];
    const seg = a && b ? clip(a, b, box) : null;
    if (!seg) { flush(); continue; }
    if (run.length === 0 || run[run.length - 1] !== seg[0]) { flush(); run.push(seg[0]); }
    run.push(seg[1]);
  }
  flush();
  out.push(`<g class="path" data-series="${i}">`);
  for (const r of runs) {
    const pts = r.map(([x, y]) => `${px(x)},${px(y)}`).join(' ');
    out.push(`<polyline class="halo" fill="none" stroke="#ffffff" stroke-width="4" stroke-opacity="0.8" stroke-linejoin="round" points="${pts}"/>`);
    out.push(`<polyline class="line" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round" points="${pts}"/>`);
  }
  const inside = (q: [number, number] | null): q is [number, number] => q !== null && q[0] >= box.left && q[0] <= box.right && q[1] >= box.top && q[1] <= box.bottom;
  const first = P.find((q) => q !== null) ?? null;
  const last = [...P].reverse().find((q) => q !== null) ?? null;
  if (inside(first)) out.push(`<circle class="start" cx="${px(first[0])}" cy="${px(first[1])}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="2"/>`);
  if (inside(last) && P.length > 1) out.push(`<circle class="end" cx="${px(last[0])}" cy="${px(last[1])}" r="3.5" fill="${colour}" stroke="#ffffff" stroke-width="1"/>`);
  out.push('</g>');
}

function drawMarker(out: string[], s: SurfaceScale, q: [number, number] | null, label: string | undefined, i: number): void {
  if (!q) return;
  const X = s.x(q[0]), Y = s.y(q[1]);
  out.push(`<g class="marker" data-marker="${i}"><circle cx="${px(X)}" cy="${px(Y)}" r="5" fill="#ffffff" stroke="#000000" stroke-width="2"/>`);
  if (label) out.push(`<text x="${px(X + 8)}" y="${px(Y - 8)}" fill="#000000" stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="bold">${escapeXML(label)}</text>`);
  out.push('</g>');
}

/** The colour bar right of the plot: the scale (filled) or the levels' colours, ticks, and the z label. */
function drawColorBar(out: string[], f: Frame, s: SurfaceScale, filled: boolean, levels: number[], zLabel: string): void {
  const { plot } = f;
  const x0 = plot.right + 14, bw = 14;
  const top = plot.top, bottom = plot.bottom, h = bottom - top;
  const g = s.logZ ? Math.log10 : (v: number) => v;
  const [za, zb] = [g(s.zDomain[0]), g(s.zDomain[1])];
  const yOf = (v: number) => bottom - (zb > za ? (g(v) - za) / (zb - za) : 0.5) * h;
  out.push('<g class="colorbar">');
  if (filled) {
    const n = 64;
    for (let k = 0; k < n; k++) {
      const y1 = bottom - (k / n) * h, y0 = bottom - ((k + 1) / n) * h;
      out.push(`<rect x="${px(x0)}" y="${px(y0)}" width="${bw}" height="${px(y1 - y0 + 0.5)}" fill="${viridis((k + 0.5) / n)}"/>`);
    }
  } else {
    out.push(`<rect x="${px(x0)}" y="${px(top)}" width="${bw}" height="${px(h)}" fill="#ffffff"/>`);
  }
  for (const level of levels) {
    const Y = yOf(level);
    if (Y < top - 0.01 || Y > bottom + 0.01) continue;
    const t = s.t(level);
    out.push(`<line class="level-mark" data-level="${level}" x1="${px(x0)}" y1="${px(Y)}" x2="${px(x0 + bw)}" y2="${px(Y)}" stroke="${filled ? '#ffffff' : viridis(t * LINE_T_MAX)}" stroke-width="2"/>`);
  }
  out.push(`<rect x="${px(x0)}" y="${px(top)}" width="${bw}" height="${px(h)}" fill="none" stroke="#333333"/>`);
  // Ticks: nice values of the scale when filled; the levels (thinned to fit) for lines alone.
  let ticks: number[];
  if (filled || levels.length === 0) ticks = innerTicks(s.zDomain[0], s.zDomain[1], Math.max(2, Math.floor(h / 45)), s.logZ);
  else {
    const room = Math.max(2, Math.floor(h / 16));
    const every = Math.ceil(levels.length / room);
    ticks = levels.filter((_, k) => k % every === 0);
  }
  for (const v of ticks) {
    const Y = px(yOf(v));
    out.push(`<g class="tick z-tick" data-value="${v}"><line x1="${px(x0 + bw)}" y1="${Y}" x2="${px(x0 + bw + 4)}" y2="${Y}" stroke="#333333"/><text x="${px(x0 + bw + 7)}" y="${Y}" dy="0.32em" fill="#333333">${escapeXML(formatShort(v))}</text></g>`);
  }
  const lx = f.width - 10, cy = (top + bottom) / 2;
  out.push(`<text class="z-label" x="${px(lx)}" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 ${px(lx)} ${px(cy)})" fill="#111111">${escapeXML(zLabel)}</text>`);
  out.push('</g>');
}
