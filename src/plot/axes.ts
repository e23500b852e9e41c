/**
 * What every plot shares: 'nice' ticks (1, 2, 5 × 10^k, or decades), tick labels, the frame and
 * its checks, axes, grid lines, axis labels, the legend and XML escaping. The plots in this folder
 * (loss curves, heat maps, contours) draw their axes with these, so the same data gives the same
 * ticks and the same markup (`<g class="tick x-tick" data-value="…">`) everywhere.
 */
import type { Rules } from '../util/options.js';

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

/** A pixel coordinate, rounded to 0.01 px, without "-0". */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** The smallest step of the form {1, 2, 5} × 10^k that is ≥ raw. */
export function niceStep(raw: number): number {
  const p = Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const s = m * 10 ** p;
    if (s >= raw * (1 - 1e-12)) return clean(s);
  }
  return clean(10 ** (p + 1));
}

/** Removes binary noise such as 0.30000000000000004. */
export function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** Ticks and the domain they span. */
export interface Ticks {
  domain: [number, number];
  ticks: number[];
}

/**
 * Linear ticks with a nice step for about `target` intervals over [lo, hi]; the domain is extended
 * out to the first tick at or below lo and the first at or above hi. A zero-width range is widened.
 */
export function linearTicks(lo: number, hi: number, target: number, minStep = 0): Ticks & { step: number } {
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

/** Decade ticks (every decade, or every 2nd, 5th, 10th ... for about `target` of them), the domain extended to whole decades. */
export function logTicks(lo: number, hi: number, target: number): Ticks {
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

/**
 * Ticks inside an exact domain [lo, hi] (for grids, whose extent is the data's, not a tick's):
 * nice linear ticks, or with `log` decades, else 1-2-5 steps within decades, else linear ones.
 */
export function innerTicks(lo: number, hi: number, target: number, log: boolean): number[] {
  const inside = (t: number[]) => t.filter((v) => v >= lo - 1e-9 * Math.abs(hi - lo) && v <= hi + 1e-9 * Math.abs(hi - lo));
  if (log && lo > 0 && hi > lo) {
    const decades = inside(logTicks(lo, hi, target).ticks);
    if (decades.length >= 2) return decades;
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    const sub: number[] = [];
    for (let k = a; k <= b; k++) for (const m of [1, 2, 5]) sub.push(clean(m * 10 ** k));
    const s = inside(sub);
    if (s.length >= 2 && s.length <= 2 * target) return s;
  }
  if (!(hi > lo)) return [lo];
  return inside(linearTicks(lo, hi, target).ticks);
}

/** A tick's label: decades as "0.01" or "1e-5", linear values with as many decimals as the step needs. */
export function tickLabels(ticks: readonly number[], log: boolean): string[] {
  if (log) return ticks.map((v) => (isDecade(v) ? formatDecade(v) : formatShort(v)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const maxAbs = Math.max(...ticks.map(Math.abs));
  return ticks.map((v) => formatLinear(v, step, maxAbs));
}

function isDecade(v: number): boolean {
  const k = Math.round(Math.log10(v));
  return Math.abs(v / 10 ** k - 1) < 1e-9;
}

export function formatLinear(v: number, step: number, maxAbs: number): string {
  if (v === 0) return '0';
  if (maxAbs >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.min(15, Math.floor(Math.log10(maxAbs)) - Math.floor(Math.log10(step))));
    return v.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals);
}

export function formatDecade(v: number): string {
  const k = Math.round(Math.log10(v));
  return k < -4 || k > 5 ? `1e${k}` : String(v);
}

/** A value in at most 4 significant digits ("0.0123", "1.5e-7", "2.34e+6" as "2.34e6"). */
export function formatShort(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** The plot area inside an SVG of width × height. */
export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The frame of a plot: the SVG's size and the plot area inside it. */
export interface Frame {
  width: number;
  height: number;
  plot: PlotArea;
}

/** Options every plot takes. */
export interface FrameOptions {
  /** A title above the plot. Default: none. */
  title?: string;
  /** The SVG's width in px (≥ 160). Default `640`. */
  width?: number;
  /** The SVG's height in px (≥ 120). Default `400`. */
  height?: number;
}

/** The rules of {@link FrameOptions}, for each plot's option check. */
export const FRAME_RULES: Rules = {
  title: { kind: 'string' },
  width: { kind: 'number', min: 160, fix: 'The default is 640.' },
  height: { kind: 'number', min: 120, fix: 'The default is 400.' },
};

/**
 * Lays out the plot area (the options already checked against {@link FRAME_RULES}): 68 px for the
 * y tick labels on the left, `right` px on the right, 46 px for the x labels below, room for a title.
 */
export function frame(options: FrameOptions, right = 16): Frame {
  const { width = 640, height = 400, title } = options;
  const top = title ? 36 : 16;
  return { width, height, plot: { left: 68, right: width - right, top, bottom: height - 46 } };
}

/** The opening of a standalone SVG: the root element, its accessible title and a white background. */
export function svgOpen(out: string[], width: number, height: number, label: string): void {
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<title>${label}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
}

/** One axis as drawn: tick values, whether it is logarithmic, and data → px. */
export interface DrawnAxis {
  ticks: readonly number[];
  log: boolean;
  map(v: number): number;
}

/** Tick marks, grid lines and tick labels of both axes, then the axis lines. */
export function drawGrid(out: string[], plot: PlotArea, x: DrawnAxis, y: DrawnAxis, grid = true): void {
  const xLabels = tickLabels(x.ticks, x.log);
  const gridLine = (attrs: string) => (grid ? `<line ${attrs} stroke="#e5e5e5"/>` : '');
  x.ticks.forEach((v, k) => {
    const X = px(x.map(v));
    out.push(`<g class="tick x-tick" data-value="${v}">${gridLine(`x1="${X}" y1="${px(plot.top)}" x2="${X}" y2="${px(plot.bottom)}"`)}<line x1="${X}" y1="${px(plot.bottom)}" x2="${X}" y2="${px(plot.bottom + 5)}" stroke="#333333"/><text x="${X}" y="${px(plot.bottom + 18)}" text-anchor="middle" fill="#333333">${escapeXML(xLabels[k])}</text></g>`);
  });
  const yLabels = tickLabels(y.ticks, y.log);
  y.ticks.forEach((v, k) => {
    const Y = px(y.map(v));
    out.push(`<g class="tick y-tick" data-value="${v}">${gridLine(`x1="${px(plot.left)}" y1="${Y}" x2="${px(plot.right)}" y2="${Y}"`)}<line x1="${px(plot.left - 5)}" y1="${Y}" x2="${px(plot.left)}" y2="${Y}" stroke="#333333"/><text x="${px(plot.left - 8)}" y="${Y}" dy="0.32em" text-anchor="end" fill="#333333">${escapeXML(yLabels[k])}</text></g>`);
  });
}

/** The two axis lines along the plot area's left and bottom edges. */
export function drawAxes(out: string[], plot: PlotArea): void {
  out.push(`<path class="axes" d="M${px(plot.left)},${px(plot.top)}V${px(plot.bottom)}H${px(plot.right)}" fill="none" stroke="#333333"/>`);
}

/** The x label under the plot, the y label rotated on the left, and the title on top. */
export function drawLabels(out: string[], f: Frame, xLabel: string, yLabel: string, title: string | undefined): void {
  const { plot, width, height } = f;
  const cx = (plot.left + plot.right) / 2, cy = (plot.top + plot.bottom) / 2;
  out.push(`<text class="x-label" x="${px(cx)}" y="${px(height - 10)}" text-anchor="middle" fill="#111111">${escapeXML(xLabel)}</text>`);
  out.push(`<text class="y-label" x="16" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 16 ${px(cy)})" fill="#111111">${escapeXML(yLabel)}</text>`);
  if (title) out.push(`<text class="title" x="${px(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold" fill="#111111">${escapeXML(title)}</text>`);
}

/** A legend entry: a line sample in `colour` (dashed with `dash`) and its label. */
export interface LegendEntry {
  label: string;
  colour: string;
  dash?: string;
  /** The data-series attribute of the entry (default its index). */
  series?: number;
}

/** The legend, top right inside the plot area: a box with one line sample and label per entry. */
export function drawLegend(out: string[], plot: PlotArea, entries: readonly LegendEntry[]): void {
  if (entries.length === 0) return;
  const rowH = 16;
  // ~7.2 px per character of 12 px system-ui (wide enough for capitals and "+"; measured in Chromium).
  const textW = Math.max(...entries.map((e) => e.label.length)) * 7.2;
  const boxW = Math.min(plot.right - plot.left - 8, textW + 36);
  const boxX = plot.right - boxW - 6, boxY = plot.top + 6;
  out.push(`<g class="legend"><rect x="${px(boxX)}" y="${px(boxY)}" width="${px(boxW)}" height="${px(entries.length * rowH + 8)}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
  entries.forEach((e, i) => {
    const y = boxY + 4 + rowH * i + rowH / 2;
    out.push(`<g class="legend-entry" data-series="${e.series ?? i}"><line x1="${px(boxX + 6)}" y1="${px(y)}" x2="${px(boxX + 26)}" y2="${px(y)}" stroke="${e.colour}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/><text x="${px(boxX + 32)}" y="${px(y)}" dy="0.32em" fill="#111111">${escapeXML(e.label)}</text></g>`);
  });
  out.push('</g>');
}
