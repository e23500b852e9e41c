/**
 * Loss curves as standalone SVG strings: no DOM, no dependencies, so they work in every runtime and
 * can be written to a file, inlined in HTML or returned from a worker.
 */

import { describe } from '../util/describe.js';
import { checkOptions, type Rules } from '../util/options.js';

/** One curve: its y values, and optionally a label and x values (default x: 0, 1, 2, ...). */
export interface LossSeries {
  label?: string;
  values: ArrayLike<number>;
  /** One x per value. Default: the index, starting at 0. */
  x?: ArrayLike<number>;
}

/** What {@link lossCurveSVG} plots: one curve (an array of numbers) or several (arrays or {@link LossSeries}). */
export type LossCurveInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number> | LossSeries>;

/** Options of {@link lossCurveSVG} and {@link lossCurveScale}. */
export interface LossCurveOptions {
  /** A logarithmic y axis with ticks at decades. Non-positive values are then skipped. Default `false`. */
  logY?: boolean;
  /** A logarithmic x axis with ticks at decades (e.g. learning rates from lrFind). Non-positive x are then skipped. Default `false`. */
  logX?: boolean;
  /** The legend labels, one per series; they override `LossSeries.label`. Default: each series' label, else "series 1", "series 2", .... */
  labels?: readonly string[];
  /** A title above the plot. Default: none. */
  title?: string;
  /** The SVG's width in px (≥ 160). Default `640`. */
  width?: number;
  /** The SVG's height in px (≥ 120). Default `400`. */
  height?: number;
  /** The x axis label. Default `'epoch'`. */
  xLabel?: string;
  /** The y axis label. Default `'loss'`. */
  yLabel?: string;
}

/** The data → pixel mapping of a plot, as {@link lossCurveSVG} draws it. */
export interface LossCurveScale {
  /** The plot area in SVG px: x from `left` to `right`, y from `top` (largest value) to `bottom`. */
  plot: { left: number; right: number; top: number; bottom: number };
  /** The x range shown, in data units (extended to tick boundaries). */
  xDomain: [number, number];
  /** The y range shown, in data units (for `logY` these are powers of ten). */
  yDomain: [number, number];
  logY: boolean;
  logX: boolean;
  /** The tick positions in data units. */
  xTicks: number[];
  yTicks: number[];
  /** Data x → SVG px. */
  x(v: number): number;
  /** Data y → SVG px (log10 first when `logY`). */
  y(v: number): number;
}

/** Okabe & Ito's colour-blind-safe palette (Wong, Nature Methods 8:441, 2011), yellow last (weak on white). */
export const LOSS_CURVE_PALETTE: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
/** After the 8 colours repeat, the line pattern changes so series stay distinct. */
const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

interface Series { label: string; xs: Float64Array; ys: Float64Array }

const FN = 'lossCurveSVG';

function isNumberList(v: unknown): v is ArrayLike<number> {
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number');
}

const PLOT_RULES: Rules = {
  logY: { kind: 'boolean' },
  logX: { kind: 'boolean' },
  labels: { kind: 'array', item: { kind: 'string' } },
  title: { kind: 'string' },
  width: { kind: 'number', min: 160, fix: 'The default is 640.' },
  height: { kind: 'number', min: 120, fix: 'The default is 400.' },
  xLabel: { kind: 'string' },
  yLabel: { kind: 'string' },
};

function normalize(input: LossCurveInput, options: LossCurveOptions): Series[] {
  checkOptions(FN, options, PLOT_RULES);
  if (input === null || typeof input !== 'object' || typeof (input as ArrayLike<unknown>).length !== 'number') {
    throw new TypeError(`${FN}: series must be an array of numbers, an array of such arrays, or an array of { label, values, x? }, got ${describe(input)}; pass e.g. [[0.9, 0.5, 0.3]]`);
  }
  const list: ReadonlyArray<ArrayLike<number> | LossSeries> =
    ArrayBuffer.isView(input) || (Array.isArray(input) && input.length > 0 && typeof input[0] === 'number')
      ? [input as ArrayLike<number>]
      : (input as ReadonlyArray<ArrayLike<number> | LossSeries>);
  if (list.length === 0) {
    throw new RangeError(`${FN}: series is empty; pass at least one series, e.g. [[0.9, 0.5, 0.3]]`);
  }
  const { labels } = options;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length !== list.length)) {
    throw new RangeError(`${FN}: options.labels has ${Array.isArray(labels) ? labels.length : 'no'} entries but there are ${list.length} series; pass one label per series`);
  }
  return list.map((item, i) => {
    let values: ArrayLike<number>;
    let x: ArrayLike<number> | undefined;
    let label: string | undefined;
    if (isNumberList(item)) {
      values = item;
    } else if (item !== null && typeof item === 'object' && isNumberList((item as LossSeries).values)) {
      ({ values, x, label } = item as LossSeries);
      if (x !== undefined && (!isNumberList(x) || x.length !== values.length)) {
        throw new RangeError(`${FN}: series[${i}].x has ${isNumberList(x) ? x.length : 'no'} entries but its values have ${values.length}; pass one x per value or omit x`);
      }
    } else {
      throw new TypeError(`${FN}: series[${i}] must be an array of numbers or { label, values, x? }, got ${describe(item)}`);
    }
    const n = values.length;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const where = isNumberList(item) ? `series[${i}]` : `series[${i}].values`;
    for (let k = 0; k < n; k++) {
      // Non-finite values are skipped when drawing; other types would be coerced: refuse them.
      if (typeof values[k] !== 'number') throw new TypeError(`${FN}: ${where}[${k}] is ${describe(values[k])}; values must be numbers`);
      if (x && typeof x[k] !== 'number') throw new TypeError(`${FN}: series[${i}].x[${k}] is ${describe(x[k])}; x values must be numbers`);
      xs[k] = x ? x[k] : k;
      ys[k] = values[k];
    }
    const name = labels?.[i] ?? label ?? `series ${i + 1}`;
    return { label: String(name), xs, ys };
  });
}

function usable(x: number, y: number, logY: boolean, logX = false): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0) && (!logX || x > 0);
}

/** The smallest step of the form {1, 2, 5} × 10^k that is ≥ raw. */
function niceStep(raw: number): number {
  const p = Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const s = m * 10 ** p;
    if (s >= raw * (1 - 1e-12)) return clean(s);
  }
  return clean(10 ** (p + 1));
}

/** Removes binary noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

function linearTicks(lo: number, hi: number, target: number, minStep = 0): { domain: [number, number]; ticks: number[]; step: number } {
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const step = Math.max(niceStep((hi - lo) / Math.max(1, target)), minStep);
  const a = Math.floor(lo / step + 1e-9);
  const b = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = a; k <= b; k++) ticks.push(clean(k * step));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, step };
}

function logTicks(lo: number, hi: number, target: number): { domain: [number, number]; ticks: number[] } {
  let a = Math.floor(Math.log10(lo) + 1e-12);
  let b = Math.ceil(Math.log10(hi) - 1e-12);
  if (b <= a) b = a + 1;
  let s = 1;
  while ((b - a) / s > target) s = niceStep(s * 1.0001);
  a = Math.floor(a / s) * s;
  b = Math.ceil(b / s) * s;
  const ticks: number[] = [];
  for (let k = a; k <= b; k += s) ticks.push(Number(`1e${k}`));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

function layout(options: LossCurveOptions): { width: number; height: number; plot: LossCurveScale['plot'] } {
  const { width = 640, height = 400, title } = options;
  const top = title ? 36 : 16;
  return { width, height, plot: { left: 68, right: width - 16, top, bottom: height - 46 } };
}

function scaleOf(series: Series[], options: LossCurveOptions): LossCurveScale {
  const logY = options.logY ?? false;
  const logX = options.logX ?? false;
  const { plot } = layout(options);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  let allIntX = true;
  for (const s of series) {
    for (let k = 0; k < s.xs.length; k++) {
      const x = s.xs[k], y = s.ys[k];
      if (!usable(x, y, logY, logX)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (!Number.isInteger(x)) allIntX = false;
    }
  }
  if (x0 > x1) { x0 = logX ? 1 : 0; x1 = logX ? 10 : 1; }
  if (y0 > y1) { y0 = logY ? 1 : 0; y1 = logY ? 10 : 1; }
  const w = plot.right - plot.left, h = plot.bottom - plot.top;
  const xt = logX ? logTicks(x0, x1, Math.max(2, Math.floor(w / 60))) : linearTicks(x0, x1, Math.max(2, Math.floor(w / 80)), allIntX ? 1 : 0);
  const yt = logY ? logTicks(y0, y1, Math.max(2, Math.floor(h / 40))) : linearTicks(y0, y1, Math.max(2, Math.floor(h / 45)));
  const tx = logX ? Math.log10 : (v: number) => v;
  const xa = tx(xt.domain[0]), xb = tx(xt.domain[1]);
  const t = logY ? Math.log10 : (v: number) => v;
  const ya = t(yt.domain[0]), yb = t(yt.domain[1]);
  return {
    plot,
    xDomain: xt.domain,
    yDomain: yt.domain,
    logY,
    logX,
    xTicks: xt.ticks,
    yTicks: yt.ticks,
    x: (v) => plot.left + ((tx(v) - xa) / (xb - xa)) * w,
    y: (v) => plot.bottom - ((t(v) - ya) / (yb - ya)) * h,
  };
}

/**
 * The data → pixel mapping that {@link lossCurveSVG} uses for the same series and options: the
 * plot area, the axis domains (extended to 'nice' tick boundaries) and the tick values.
 *
 * @example
 * const s = lossCurveScale([[1, 0.5, 0.25]]);
 * s.yTicks;      // [0.2, 0.4, ...] steps of 1, 2 or 5 × 10^k
 * s.x(0);        // s.plot.left
 */
export function lossCurveScale(series: LossCurveInput, options: LossCurveOptions = {}): LossCurveScale {
  return scaleOf(normalize(series, options), options);
}

/**
 * Escapes text for XML content and attributes (`&`, `<`, `>`, `"`, `'`), dropping the control
 * characters XML 1.0 forbids.
 *
 * @example
 * escapeXML('lr < 0.1 & "fast"'); // 'lr &lt; 0.1 &amp; &quot;fast&quot;'
 */
export function escapeXML(text: string): string {
  return String(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function formatLinear(v: number, step: number, maxAbs: number): string {
  if (v === 0) return '0';
  if (maxAbs >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.min(15, Math.floor(Math.log10(maxAbs)) - Math.floor(Math.log10(step))));
    return v.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals);
}

function formatDecade(v: number): string {
  const k = Math.round(Math.log10(v));
  return k < -4 || k > 5 ? `1e${k}` : String(v);
}

/**
 * Draws loss curves as a standalone SVG string: axes with 'nice' ticks (steps of 1, 2 or 5 × 10^k;
 * one tick per decade, or every 2nd/5th/10th decade, with `logY`), tick labels, grid lines, axis
 * labels, an optional title, a legend with one entry per series, and each series as `<polyline>`s
 * in its own colour (Okabe–Ito's colour-blind-safe palette; after 8 series the colours repeat
 * with dashed lines).
 *
 * `series` is one curve (an array or typed array of numbers) or several: arrays of numbers or
 * `{ label, values, x? }` objects (x defaults to 0, 1, 2, ...). Points whose x or y is NaN or
 * ±Infinity (and, with `logY`, whose y is ≤ 0) are skipped and break the line: each unbroken run
 * is its own `<polyline data-series="i">`, and a run of one point is drawn as a small `<circle>`.
 * Axis domains cover the drawn points, extended to tick boundaries; for x values that are all
 * integers the x step is at least 1. Text (title, labels) is XML-escaped. Coordinates are rounded
 * to 0.01 px; {@link lossCurveScale} gives the same mapping.
 *
 * Defaults: `logY = false`, `width = 640`, `height = 400`, `xLabel = 'epoch'`, `yLabel = 'loss'`,
 * no title, labels "series 1", "series 2", ... unless the series carry them.
 *
 * @example
 * const svg = lossCurveSVG(
 *   [{ label: 'SGD', values: [2.3, 1.1, 0.7] }, { label: 'Adam', values: [2.3, 0.6, 0.2] }],
 *   { logY: true, title: 'digits' },
 * );
 * // '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" ...>...</svg>'
 */
export function lossCurveSVG(series: LossCurveInput, options: LossCurveOptions = {}): string {
  const list = normalize(series, options);
  const sc = scaleOf(list, options);
  const { width, height, plot } = layout(options);
  const { title, xLabel = 'epoch', yLabel = 'loss' } = options;
  const out: string[] = [];
  const label = title ? escapeXML(title) : 'loss curve';
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<title>${label}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);

  // Grid lines and ticks.
  const xStep = sc.xTicks.length > 1 ? sc.xTicks[1] - sc.xTicks[0] : 1;
  const xMaxAbs = Math.max(...sc.xTicks.map(Math.abs));
  for (const v of sc.xTicks) {
    const X = px(sc.x(v));
    out.push(`<g class="tick x-tick" data-value="${v}"><line x1="${X}" y1="${px(plot.top)}" x2="${X}" y2="${px(plot.bottom)}" stroke="#e5e5e5"/><line x1="${X}" y1="${px(plot.bottom)}" x2="${X}" y2="${px(plot.bottom + 5)}" stroke="#333333"/><text x="${X}" y="${px(plot.bottom + 18)}" text-anchor="middle" fill="#333333">${escapeXML(sc.logX ? formatDecade(v) : formatLinear(v, xStep, xMaxAbs))}</text></g>`);
  }
  const yStep = sc.yTicks.length > 1 ? sc.yTicks[1] - sc.yTicks[0] : 1;
  const yMaxAbs = Math.max(...sc.yTicks.map(Math.abs));
  for (const v of sc.yTicks) {
    const Y = px(sc.y(v));
    const text = sc.logY ? formatDecade(v) : formatLinear(v, yStep, yMaxAbs);
    out.push(`<g class="tick y-tick" data-value="${v}"><line x1="${px(plot.left)}" y1="${Y}" x2="${px(plot.right)}" y2="${Y}" stroke="#e5e5e5"/><line x1="${px(plot.left - 5)}" y1="${Y}" x2="${px(plot.left)}" y2="${Y}" stroke="#333333"/><text x="${px(plot.left - 8)}" y="${Y}" dy="0.32em" text-anchor="end" fill="#333333">${escapeXML(text)}</text></g>`);
  }
  // Axes.
  out.push(`<path class="axes" d="M${px(plot.left)},${px(plot.top)}V${px(plot.bottom)}H${px(plot.right)}" fill="none" stroke="#333333"/>`);

  // Series.
  list.forEach((s, i) => {
    const colour = LOSS_CURVE_PALETTE[i % LOSS_CURVE_PALETTE.length];
    const dash = DASHES[Math.floor(i / LOSS_CURVE_PALETTE.length) % DASHES.length];
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    let run: string[] = [];
    const flush = (): void => {
      if (run.length === 1) {
        const [cx, cy] = run[0].split(',');
        out.push(`<circle class="series" data-series="${i}" cx="${cx}" cy="${cy}" r="2" fill="${colour}"/>`);
      } else if (run.length > 1) {
        out.push(`<polyline class="series" data-series="${i}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-linejoin="round"${dashAttr} points="${run.join(' ')}"/>`);
      }
      run = [];
    };
    for (let k = 0; k < s.xs.length; k++) {
      if (!usable(s.xs[k], s.ys[k], sc.logY, sc.logX)) { flush(); continue; }
      run.push(`${px(sc.x(s.xs[k]))},${px(sc.y(s.ys[k]))}`);
    }
    flush();
  });

  // Axis labels and title.
  const cx = (plot.left + plot.right) / 2, cy = (plot.top + plot.bottom) / 2;
  out.push(`<text class="x-label" x="${px(cx)}" y="${px(height - 10)}" text-anchor="middle" fill="#111111">${escapeXML(xLabel)}</text>`);
  out.push(`<text class="y-label" x="16" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 16 ${px(cy)})" fill="#111111">${escapeXML(yLabel)}</text>`);
  if (title) out.push(`<text class="title" x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold" fill="#111111">${escapeXML(title)}</text>`);

  // Legend, top right inside the plot area.
  const rowH = 16;
  // ~7.2 px per character of 12 px system-ui (wide enough for capitals and "+"; measured in Chromium).
  const textW = Math.max(...list.map((s) => s.label.length)) * 7.2;
  const boxW = Math.min(plot.right - plot.left - 8, textW + 36);
  const boxX = plot.right - boxW - 6, boxY = plot.top + 6;
  out.push(`<g class="legend"><rect x="${px(boxX)}" y="${px(boxY)}" width="${px(boxW)}" height="${px(list.length * rowH + 8)}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
  list.forEach((s, i) => {
    const colour = LOSS_CURVE_PALETTE[i % LOSS_CURVE_PALETTE.length];
    const dash = DASHES[Math.floor(i / LOSS_CURVE_PALETTE.length) % DASHES.length];
    const y = boxY + 4 + rowH * i + rowH / 2;
    out.push(`<g class="legend-entry" data-series="${i}"><line x1="${px(boxX + 6)}" y1="${px(y)}" x2="${px(boxX + 26)}" y2="${px(y)}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${px(boxX + 32)}" y="${px(y)}" dy="0.32em" fill="#111111">${escapeXML(s.label)}</text></g>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
