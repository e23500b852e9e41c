import { describe, expect, it } from 'vitest';
import { LOSS_CURVE_PALETTE, escapeXML, lossCurveScale, lossCurveSVG } from '../../src/plot/loss-curve.js';

// A small parser for the SVG this module writes: enough to read elements and attributes back.
interface El { tag: string; attrs: Record<string, string>; text: string }

function elements(svg: string, tag: string): El[] {
  const out: El[] = [];
  const re = new RegExp(`<${tag}\\b([^>]*?)(/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  for (const m of svg.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push({ tag, attrs, text: m[3] ?? '' });
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

interface Tick { value: number; px: number; label: string }

/** Reads the ticks back: value from data-value, pixel from the grid line, label from the text. */
function ticks(svg: string, axis: 'x' | 'y'): Tick[] {
  const re = new RegExp(`<g class="tick ${axis}-tick" data-value="([^"]+)">([\\s\\S]*?)</g>`, 'g');
  return [...svg.matchAll(re)].map((m) => {
    const line = elements(m[2], 'line')[0];
    const text = elements(m[2], 'text')[0];
    return { value: Number(m[1]), px: Number(axis === 'x' ? line.attrs.x1 : line.attrs.y1), label: unescape(text.text) };
  });
}

/** The axis mapping implied by the first and last tick: data -> px. Independent of lossCurveScale. */
function axisMap(t: Tick[], log = false): (v: number) => number {
  const f = log ? Math.log10 : (v: number) => v;
  const a = t[0], b = t[t.length - 1];
  return (v) => a.px + ((f(v) - f(a.value)) / (f(b.value) - f(a.value))) * (b.px - a.px);
}

function points(el: El): Array<[number, number]> {
  return el.attrs.points.trim().split(/\s+/).map((p) => p.split(',').map(Number) as [number, number]);
}

/** Checks that every opened tag is closed in order (well-formed enough to load as XML). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    if (m[4] === '/') continue;
    if (m[1] === '/') { if (stack.pop() !== m[2]) return false; } else stack.push(m[2]);
  }
  return stack.length === 0;
}

function isNiceStep(step: number): boolean {
  const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-9);
}

describe('lossCurveSVG', () => {
  it('runs its TSDoc example', () => {
    const svg = lossCurveSVG(
      [{ label: 'SGD', values: [2.3, 1.1, 0.7] }, { label: 'Adam', values: [2.3, 0.6, 0.2] }],
      { logY: true, title: 'digits' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
  });

  it("draws each series' points at the pixels the axes say (within 0.01 px)", () => {
    const a = [2.31, 1.7, 1.22, 0.93, 0.71, 0.6, 0.52, 0.47, 0.44, 0.43];
    const b = [2.4, 1.1, 0.65, 0.4, 0.3, 0.26, 0.2, 0.18, 0.17, 0.165];
    const svg = lossCurveSVG([a, b]);
    const X = axisMap(ticks(svg, 'x')), Y = axisMap(ticks(svg, 'y'));
    const lines = elements(svg, 'polyline');
    expect(lines.map((l) => l.attrs['data-series'])).toEqual(['0', '1']);
    [a, b].forEach((values, s) => {
      const pts = points(lines[s]);
      expect(pts.length).toBe(values.length);
      pts.forEach(([px, py], i) => {
        expect(Math.abs(px - X(i))).toBeLessThanOrEqual(0.01);
        expect(Math.abs(py - Y(values[i]))).toBeLessThanOrEqual(0.01);
      });
    });
  });

  it('uses nice 1-2-5 ticks that cover the data, with readable labels', () => {
    const svg = lossCurveSVG([[0.93, 0.51, 0.37, 0.29]], { width: 500, height: 300 });
    for (const axis of ['x', 'y'] as const) {
      const t = ticks(svg, axis);
      expect(t.length).toBeGreaterThanOrEqual(2);
      const step = t[1].value - t[0].value;
      expect(isNiceStep(step)).toBe(true);
      t.forEach((tick, i) => {
        if (i > 0) expect(tick.value - t[i - 1].value).toBeCloseTo(step, 12);
        expect(tick.label.length).toBeGreaterThan(0);
        expect(Number(tick.label)).toBeCloseTo(tick.value, 12);
      });
    }
    const y = ticks(svg, 'y');
    expect(y[0].value).toBeLessThanOrEqual(0.29);
    expect(y[y.length - 1].value).toBeGreaterThanOrEqual(0.93);
    expect(y.map((t) => t.label)).toEqual(['0.2', '0.4', '0.6', '0.8', '1.0']);
    // integer epochs never get fractional x ticks
    expect(ticks(svg, 'x').every((t) => Number.isInteger(t.value))).toBe(true);
  });

  it('puts logY ticks at decades, equally spaced, and maps points on a log scale', () => {
    const values = [10, 3, 1, 0.2, 0.05, 0.012];
    const svg = lossCurveSVG([values], { logY: true });
    const t = ticks(svg, 'y');
    expect(t.map((k) => k.value)).toEqual([0.01, 0.1, 1, 10]);
    expect(t.map((k) => k.label)).toEqual(['0.01', '0.1', '1', '10']);
    const gaps = t.slice(1).map((k, i) => k.px - t[i].px);
    gaps.forEach((g) => expect(g).toBeCloseTo(gaps[0], 1));
    expect(gaps[0]).toBeLessThan(0); // larger values are higher up
    const Y = axisMap(t, true), X = axisMap(ticks(svg, 'x'));
    const pts = points(elements(svg, 'polyline')[0]);
    pts.forEach(([px, py], i) => {
      expect(Math.abs(px - X(i))).toBeLessThanOrEqual(0.01);
      expect(Math.abs(py - Y(values[i]))).toBeLessThanOrEqual(0.01);
    });
    // 1 -> 0.1 is the same distance as 10 -> 1
    expect(Math.abs((Y(1) - Y(10)) - (Y(0.1) - Y(1)))).toBeLessThan(1e-9);
  });

  it('labels far decades in exponent form and thins them out', () => {
    const svg = lossCurveSVG([[1e3, 1e-12]], { logY: true, height: 200 });
    const t = ticks(svg, 'y');
    const exps = t.map((k) => Math.round(Math.log10(k.value)));
    expect(exps[0]).toBeLessThanOrEqual(-12);
    expect(exps[exps.length - 1]).toBeGreaterThanOrEqual(3);
    expect(t.length).toBeLessThanOrEqual(6);
    expect(t.map((k) => k.label)).toContain('1e-10');
  });

  it('breaks lines at NaN and ±Infinity and draws a lone point as a circle', () => {
    const svg = lossCurveSVG([[1, 2, NaN, 3, 4, Infinity, 5]]);
    const lines = elements(svg, 'polyline');
    expect(lines.length).toBe(2);
    const X = axisMap(ticks(svg, 'x')), Y = axisMap(ticks(svg, 'y'));
    const segs = lines.map(points);
    expect(segs.map((p) => p.length)).toEqual([2, 2]);
    expect(Math.abs(segs[0][0][0] - X(0))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(segs[1][0][0] - X(3))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(segs[1][1][1] - Y(4))).toBeLessThanOrEqual(0.01);
    const dots = elements(svg, 'circle');
    expect(dots.length).toBe(1);
    expect(Math.abs(Number(dots[0].attrs.cx) - X(6))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(Number(dots[0].attrs.cy) - Y(5))).toBeLessThanOrEqual(0.01);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('skips non-positive values with logY', () => {
    const svg = lossCurveSVG([[1, 0.1, 0, -1, 0.01, 0.001]], { logY: true });
    const lines = elements(svg, 'polyline');
    expect(lines.map((l) => points(l).length)).toEqual([2, 2]);
    expect(ticks(svg, 'y')[0].value).toBe(0.001);
  });

  it('has one legend entry per series, with distinct colour-blind-safe colours matching the lines', () => {
    const series = Array.from({ length: 9 }, (_, s) => ({ label: `run ${s}`, values: [1 + s, 0.5 + s] }));
    const svg = lossCurveSVG(series);
    const entries = [...svg.matchAll(/<g class="legend-entry" data-series="(\d+)">([\s\S]*?)<\/g>/g)];
    expect(entries.map((e) => e[1])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    entries.forEach((e, s) => expect(elements(e[2], 'text')[0].text).toBe(`run ${s}`));
    const lines = elements(svg, 'polyline');
    const colours = lines.map((l) => l.attrs.stroke);
    expect(new Set(colours.slice(0, 8)).size).toBe(8);
    colours.slice(0, 8).forEach((c) => expect(LOSS_CURVE_PALETTE).toContain(c));
    entries.forEach((e, s) => expect(elements(e[2], 'line')[0].attrs.stroke).toBe(colours[s]));
    // the 9th series reuses a colour but is dashed
    expect(lines[8].attrs['stroke-dasharray']).toBeTruthy();
    expect(lines[0].attrs['stroke-dasharray']).toBeUndefined();
  });

  it('accepts a single array, a Float32Array, and objects with x; labels option overrides', () => {
    const one = lossCurveSVG([3, 2, 1]);
    expect(elements(one, 'polyline').length).toBe(1);
    expect(one).toContain('>series 1</text>');
    const typed = lossCurveSVG(Float32Array.from([3, 2, 1]), { labels: ['train'] });
    expect(typed).toContain('>train</text>');
    const withX = lossCurveSVG([{ label: 'val', values: [1, 0.5], x: [10, 20] }]);
    const X = axisMap(ticks(withX, 'x'));
    const pts = points(elements(withX, 'polyline')[0]);
    expect(Math.abs(pts[1][0] - X(20))).toBeLessThanOrEqual(0.01);
    expect(withX).toContain('>val</text>');
  });

  it('escapes title, labels and axis names for XML', () => {
    const svg = lossCurveSVG([{ label: 'lr<0.1 & "m"', values: [1, 2] }], { title: "A & B <c>'", xLabel: 'step <k>', yLabel: 'L&L' });
    expect(svg).toContain('lr&lt;0.1 &amp; &quot;m&quot;');
    expect(svg).toContain('A &amp; B &lt;c&gt;&apos;');
    expect(svg).toContain('aria-label="A &amp; B &lt;c&gt;&apos;"');
    expect(svg).toContain('>step &lt;k&gt;</text>');
    expect(svg).toContain('>L&amp;L</text>');
    expect(svg).not.toContain('<c>');
    expect(balanced(svg)).toBe(true);
    expect(escapeXML('a\u0001b')).toBe('ab');
    expect(escapeXML('lr < 0.1 & "fast"')).toBe('lr &lt; 0.1 &amp; &quot;fast&quot;');
  });

  it('draws the title and axis labels, with defaults', () => {
    const svg = lossCurveSVG([[1, 2]], { title: 'T' });
    expect(elements(svg, 'text').find((t) => t.attrs.class === 'title')?.text).toBe('T');
    expect(elements(svg, 'text').find((t) => t.attrs.class === 'x-label')?.text).toBe('epoch');
    expect(elements(svg, 'text').find((t) => t.attrs.class === 'y-label')?.text).toBe('loss');
    expect(lossCurveSVG([[1, 2]])).not.toContain('class="title"');
  });

  it('handles a flat or empty series without dividing by zero', () => {
    const flat = lossCurveSVG([[0.5, 0.5, 0.5]]);
    const t = ticks(flat, 'y');
    expect(t[0].value).toBeLessThan(0.5);
    expect(t[t.length - 1].value).toBeGreaterThan(0.5);
    expect(flat).not.toMatch(/NaN/);
    const empty = lossCurveSVG([[NaN, NaN], [1, 0.5]]);
    expect(elements(empty, 'polyline').length).toBe(1);
    expect(empty.match(/class="legend-entry"/g)?.length).toBe(2);
  });

  it('rejects bad input with sentences naming the argument', () => {
    expect(() => lossCurveSVG([])).toThrow(/series is empty/);
    expect(() => lossCurveSVG([[1], [2]], { labels: ['a'] })).toThrow(/labels has 1 entries but there are 2 series/);
    expect(() => lossCurveSVG([[1]], { width: 50 })).toThrow(/options\.width must be a finite number >= 160, got 50/);
    expect(() => lossCurveSVG([{ values: [1, 2], x: [1] }])).toThrow(/series\[0\]\.x has 1 entries/);
    expect(() => lossCurveSVG(['a'] as never)).toThrow(TypeError);
  });
});

describe('lossCurveScale', () => {
  it('runs its TSDoc example', () => {
    const s = lossCurveScale([[1, 0.5, 0.25]]);
    expect(s.yTicks[0]).toBe(0.2);
    expect(s.x(0)).toBe(s.plot.left);
  });

  it('is the mapping the SVG uses', () => {
    const series = [[5, 3, 2.5, 2.2], [6, 2, 1, 0.9]];
    for (const logY of [false, true]) {
      const s = lossCurveScale(series, { logY, width: 700, height: 300 });
      const svg = lossCurveSVG(series, { logY, width: 700, height: 300 });
      expect(ticks(svg, 'y').map((t) => t.value)).toEqual(s.yTicks);
      ticks(svg, 'y').forEach((t) => expect(Math.abs(t.px - s.y(t.value))).toBeLessThanOrEqual(0.005));
      ticks(svg, 'x').forEach((t) => expect(Math.abs(t.px - s.x(t.value))).toBeLessThanOrEqual(0.005));
      expect(s.y(s.yDomain[0])).toBeCloseTo(s.plot.bottom, 9);
      expect(s.y(s.yDomain[1])).toBeCloseTo(s.plot.top, 9);
      expect(s.x(s.xDomain[1])).toBeCloseTo(s.plot.right, 9);
      const pts = points(elements(svg, 'polyline')[1]);
      pts.forEach(([px, py], i) => {
        expect(Math.abs(px - s.x(i))).toBeLessThanOrEqual(0.005);
        expect(Math.abs(py - s.y(series[1][i]))).toBeLessThanOrEqual(0.005);
      });
    }
  });

  it('computes a known mapping by hand', () => {
    // x 0..10 (step 2 with 640 px), y 0..1; plot area: left 68, right 624, top 16, bottom 354
    const s = lossCurveScale([{ values: [1, 0], x: [0, 10] }]);
    expect(s.plot).toEqual({ left: 68, right: 624, top: 16, bottom: 354 });
    expect(s.xDomain).toEqual([0, 10]);
    expect(s.yDomain).toEqual([0, 1]);
    expect(s.x(5)).toBe(68 + 0.5 * 556);
    expect(s.y(0.25)).toBe(354 - 0.25 * 338);
  });
});

describe('lossCurveSVG with logX (learning-rate range tests)', () => {
  it('maps x through log10 with decade ticks and skips x <= 0', async () => {
    const { lossCurveSVG, lossCurveScale } = await import('../../src/plot/loss-curve.js');
    const xs = [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1];
    const series = [{ label: 'loss', x: [0, ...xs], values: [9, 3, 2.5, 2, 1, 1.5, 4] }];
    const sc = lossCurveScale(series, { logX: true });
    expect(sc.logX).toBe(true);
    expect(sc.xTicks[0]).toBeLessThanOrEqual(1e-5);
    expect(sc.xTicks[sc.xTicks.length - 1]).toBeGreaterThanOrEqual(1);
    // Equal ratios are equal distances.
    const d1 = sc.x(1e-4) - sc.x(1e-5), d2 = sc.x(1) - sc.x(0.1);
    expect(Math.abs(d1 - d2)).toBeLessThan(1e-9);
    const svg = lossCurveSVG(series, { logX: true, xLabel: 'learning rate' });
    const pts = /points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(pts.length).toBe(6); // x = 0 dropped
    expect(Number(pts[0].split(',')[0])).toBeCloseTo(sc.x(1e-5), 1);
    expect(svg).toMatch(/>10<tspan[^>]*>-5<\/tspan>|>1e-5<|10⁻⁵/);
  });
});
