import { describe, expect, it } from 'vitest';
import { contourSVG, heatmapSVG, sampleGrid, surfaceScale, viridis, contourLines } from '../../src/plot/surface.js';
import { axisInverse, balanced, elements, points, ticks, unescape, type El } from './svg.js';

// f(x, y) on a grid as the plots take it: z[j * nx + i] = f(x[i], y[j]).
function gridOf(f: (x: number, y: number) => number, xs: number[], ys: number[]) {
  const z: number[] = [];
  for (const y of ys) for (const x of xs) z.push(f(x, y));
  return { x: xs, y: ys, z };
}

function range(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Data coordinates of the plot, recovered from the tick marks alone. */
function inverse(svg: string) {
  return { X: axisInverse(ticks(svg, 'x')), Y: axisInverse(ticks(svg, 'y')) };
}

/** The vertices of a contour path's subpaths, in px. */
function subpaths(d: string): Array<{ pts: Array<[number, number]>; closed: boolean }> {
  return d.split('M').filter(Boolean).map((s) => ({
    closed: s.endsWith('Z'),
    pts: s.replace('Z', '').split('L').map((p) => p.split(',').map(Number) as [number, number]),
  }));
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}

describe('viridis', () => {
  it('runs its TSDoc example and is monotone in lightness from dark purple to yellow', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(-3)).toBe('#440154');
    expect(viridis(7)).toBe('#fde725');
    const lum = (h: string) => { const [r, g, b] = rgb(h); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    for (let k = 1; k <= 100; k++) expect(lum(viridis(k / 100))).toBeGreaterThan(lum(viridis((k - 1) / 100)));
  });
});

describe('heatmapSVG', () => {
  const xs = [-1, -0.5, 0, 0.25, 1, 2]; // uneven on purpose
  const ys = [0, 1, 2, 4];
  const f = (x: number, y: number) => x * x + y;
  const grid = gridOf(f, xs, ys);

  it('draws one cell per grid point, reaching halfway to its neighbours, at the pixels the axes say', () => {
    const svg = heatmapSVG(grid);
    expect(balanced(svg)).toBe(true);
    const { X, Y } = inverse(svg);
    const cells = elements(svg.split('<g class="cells"')[1].split('</g>')[0], 'rect');
    expect(cells.length).toBe(xs.length * ys.length);
    const mid = (a: number[], k: number, side: -1 | 1) => {
      const j = k + side;
      return j < 0 || j >= a.length ? a[k] + (a[k] - a[k - side]) / 2 : (a[k] + a[j]) / 2;
    };
    cells.forEach((c, n) => {
      const i = n % xs.length, j = Math.floor(n / xs.length);
      const x0 = X(Number(c.attrs.x)), x1 = X(Number(c.attrs.x) + Number(c.attrs.width));
      const yTop = Y(Number(c.attrs.y)), yBottom = Y(Number(c.attrs.y) + Number(c.attrs.height));
      const tol = 2e-4 * 3 + 1e-3;
      expect(Math.abs(x0 - mid(xs, i, -1))).toBeLessThan(tol);
      expect(Math.abs(x1 - mid(xs, i, 1))).toBeLessThan(tol);
      expect(Math.abs(yBottom - mid(ys, j, -1))).toBeLessThan(tol * 4);
      expect(Math.abs(yTop - mid(ys, j, 1))).toBeLessThan(tol * 4);
    });
    // The axes span the grid exactly.
    const s = surfaceScale(grid);
    expect(s.xDomain).toEqual([-1, 2]);
    expect(s.yDomain).toEqual([0, 4]);
    expect(Math.abs(X(s.plot.left) - -1)).toBeLessThan(1e-3);
    expect(Math.abs(X(s.plot.right) - 2)).toBeLessThan(1e-3);
  });

  it('colours each cell by its value on the viridis scale (linear, or log with logZ), missing values grey', () => {
    const z = grid.z.slice();
    z[3] = NaN;
    z[7] = Infinity;
    for (const logZ of [false, true]) {
      const zz = z.slice();
      if (logZ) zz[8] = 0; // not drawable on a log scale
      const svg = heatmapSVG({ ...grid, z: zz }, { logZ });
      const cells = elements(svg.split('<g class="cells"')[1].split('</g>')[0], 'rect');
      const g = logZ ? Math.log10 : (v: number) => v;
      const finite = zz.filter((v) => Number.isFinite(v) && (!logZ || v > 0));
      const lo = g(Math.min(...finite)), hi = g(Math.max(...finite));
      cells.forEach((c, k) => {
        const v = zz[k];
        if (!Number.isFinite(v) || (logZ && v <= 0)) {
          expect(c.attrs.class).toBe('missing');
          expect(c.attrs.fill).toBe('#d9d9d9');
        } else {
          expect(c.attrs.fill).toBe(viridis((g(v) - lo) / (hi - lo)));
        }
      });
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it("has a colour bar whose nice ticks sit where the scale puts their value, and zRange clamps", () => {
    const svg = heatmapSVG(grid, { zLabel: 'loss', height: 300 });
    const z = ticks(svg, 'z');
    expect(z.length).toBeGreaterThanOrEqual(2);
    const lo = Math.min(...grid.z), hi = Math.max(...grid.z);
    const bar = elements(svg.split('<g class="colorbar">')[1], 'rect');
    const frameRect = bar.find((r) => r.attrs.fill === 'none')!;
    const top = Number(frameRect.attrs.y), bottom = top + Number(frameRect.attrs.height);
    z.forEach((t) => {
      expect(t.value).toBeGreaterThanOrEqual(lo);
      expect(t.value).toBeLessThanOrEqual(hi);
      expect(Math.abs(t.px - (bottom - ((t.value - lo) / (hi - lo)) * (bottom - top)))).toBeLessThanOrEqual(0.01);
      expect(Number(t.label)).toBeCloseTo(t.value, 9);
    });
    expect(elements(svg, 'text').find((t) => t.attrs.class === 'z-label')?.text).toBe('loss');
    const clamped = heatmapSVG(grid, { zRange: [1, 2] });
    const cells = elements(clamped.split('<g class="cells"')[1].split('</g>')[0], 'rect');
    cells.forEach((c, k) => {
      const v = grid.z[k];
      expect(c.attrs.fill).toBe(viridis(Math.min(1, Math.max(0, v - 1))));
    });
  });

  it('samples a function on xRange × yRange at the resolution', () => {
    const g = sampleGrid((p) => p[0] * 10 + p[1], { xRange: [0, 1], yRange: [-1, 1], resolution: [3, 5] });
    expect(Array.from(g.x)).toEqual([0, 0.5, 1]);
    expect(Array.from(g.y)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(g.z[4 * 3 + 1]).toBe(5 + 1);
    const svg = heatmapSVG((p) => p[0] + p[1], { xRange: [0, 1], yRange: [0, 1], resolution: 4 });
    expect(elements(svg.split('<g class="cells"')[1].split('</g>')[0], 'rect').length).toBe(16);
  });

  it("runs the sampleGrid and surfaceScale TSDoc examples (heatmapSVG's runs in test/landscape)", async () => {
    const { testFunctions } = await import('../../src/minimize/index.js');
    const g = sampleGrid(testFunctions.rosenbrock.f, { xRange: [-2, 2], yRange: [-1, 3], resolution: 5 });
    expect(g.z[2 * 5 + 3]).toBe(0);
    const s = surfaceScale({ x: [0, 1, 2], y: [0, 1], z: [0, 1, 2, 3, 4, 5] });
    expect(s.x(0)).toBe(s.plot.left);
    expect(s.t(5)).toBe(1);
  });
});

describe('contourSVG', () => {
  it('puts every vertex of a level on a grid edge, where linear interpolation of the edge values equals the level', () => {
    const xs = range(-2, 2, 23), ys = range(-1, 3, 19);
    const f = (x: number, y: number) => (1 - x) ** 2 + 5 * (y - x * x) ** 2 + 0.3 * Math.sin(3 * x * y);
    const grid = gridOf(f, xs, ys);
    const svg = contourSVG(grid, { levels: [0.5, 2, 8, 30] });
    const { X, Y } = inverse(svg);
    const paths = elements(svg, 'path').filter((p) => p.attrs.class === 'contour');
    expect(paths.map((p) => Number(p.attrs['data-level']))).toEqual([0.5, 2, 8, 30]);
    const pxTol = 0.02 * (4 / 476); // two rounding steps of 0.01 px in data units
    let checked = 0;
    for (const p of paths) {
      const L = Number(p.attrs['data-level']);
      for (const sp of subpaths(p.attrs.d)) {
        for (const [px, py] of sp.pts) {
          const x = X(px), y = Y(py);
          // On a vertical edge (x is a grid x) or a horizontal one (y is a grid y).
          const i = xs.findIndex((v) => Math.abs(v - x) < 3 * pxTol);
          const j = ys.findIndex((v) => Math.abs(v - y) < 3 * pxTol);
          expect(i >= 0 || j >= 0).toBe(true);
          let interp: number;
          if (i >= 0) {
            const j0 = ys.findIndex((v, k) => k + 1 < ys.length && v <= y && y <= ys[k + 1]);
            const t = (y - ys[j0]) / (ys[j0 + 1] - ys[j0]);
            interp = f(xs[i], ys[j0]) + t * (f(xs[i], ys[j0 + 1]) - f(xs[i], ys[j0]));
          } else {
            const i0 = xs.findIndex((v, k) => k + 1 < xs.length && v <= x && x <= xs[k + 1]);
            const t = (x - xs[i0]) / (xs[i0 + 1] - xs[i0]);
            interp = f(xs[i0], ys[j]) + t * (f(xs[i0 + 1], ys[j]) - f(xs[i0], ys[j]));
          }
          // The interpolated value moves by at most |slope| × the px rounding along the edge.
          expect(Math.abs(interp - L)).toBeLessThan(0.02 * Math.max(1, L));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('crosses every grid edge whose ends straddle the level exactly once', () => {
    const xs = range(-2, 2, 15), ys = range(-2, 2, 15);
    const f = (x: number, y: number) => x * x - y * y + 0.1 * x; // a saddle: lines cross cells in every case
    const grid = gridOf(f, xs, ys);
    for (const L of [-1.3, -0.2, 0.05, 0.7]) {
      const lines = contourLines(grid, L);
      const vertices = new Set<string>();
      let total = 0;
      for (const line of lines) {
        const closed = line.length > 2 && line[0] === line[line.length - 1];
        for (const [x, y] of closed ? line.slice(0, -1) : line) { vertices.add(`${x},${y}`); total++; }
      }
      let straddling = 0;
      for (let j = 0; j < ys.length; j++) {
        for (let i = 0; i < xs.length; i++) {
          const z = f(xs[i], ys[j]);
          if (i + 1 < xs.length && (z > L) !== (f(xs[i + 1], ys[j]) > L)) straddling++;
          if (j + 1 < ys.length && (z > L) !== (f(xs[i], ys[j + 1]) > L)) straddling++;
        }
      }
      expect(vertices.size).toBe(straddling);
      expect(total).toBe(straddling); // no crossing drawn twice
    }
  });

  it('closes the contours of a bowl and spaces levels evenly inside the range, or geometrically with logZ', () => {
    const xs = range(-2, 2, 41), ys = range(-2, 2, 41);
    const grid = gridOf((x, y) => x * x + y * y, xs, ys);
    const svg = contourSVG(grid, { levels: 4 });
    const levels = elements(svg, 'path').filter((p) => p.attrs.class === 'contour').map((p) => Number(p.attrs['data-level']));
    expect(levels.map((v) => v / 8)).toEqual([1, 2, 3, 4].map((k) => k / 5)); // z in [0, 8], 4 levels strictly inside
    const { X, Y } = inverse(svg);
    const first = elements(svg, 'path').find((p) => p.attrs.class === 'contour')!;
    const sp = subpaths(first.attrs.d);
    expect(sp.length).toBe(1);
    expect(sp[0].closed).toBe(true);
    for (const [px, py] of sp[0].pts) expect(Math.abs(Math.hypot(X(px), Y(py)) - Math.sqrt(levels[0]))).toBeLessThan(0.05);

    const logGrid = gridOf((x, y) => 0.01 + x * x + y * y, xs, ys);
    const logSvg = contourSVG(logGrid, { levels: 3, logZ: true });
    const ll = elements(logSvg, 'path').filter((p) => p.attrs.class === 'contour').map((p) => Number(p.attrs['data-level']));
    const [lo, hi] = [0.01, 8.01];
    ll.forEach((v, k) => expect(v).toBeCloseTo(lo * (hi / lo) ** ((k + 1) / 4), 9));
    // The colour bar labels the levels, readably, at their place on the log scale.
    const zt = ticks(logSvg, 'z');
    expect(zt.map((t) => t.value)).toEqual(ll);
    zt.forEach((t) => expect(Number(t.label)).toBeCloseTo(t.value, 2));
    const gaps = zt.slice(1).map((t, k) => t.px - zt[k].px);
    gaps.forEach((g) => expect(g).toBeCloseTo(gaps[0], 1)); // geometric levels are evenly spaced on a log bar
  });

  it('draws a function with a path over it that maps back to the data, broken at non-finite points and clipped', async () => {
    const { minimize, testFunctions } = await import('../../src/minimize/index.js');
    const { f, x0, minima } = testFunctions.rosenbrock;
    const r = minimize(f, x0, { method: 'gd', lr: 1e-3, maxIter: 2000, recordX: true });
    // The TSDoc example.
    const svg = contourSVG(f, {
      xRange: [-2, 2], yRange: [-1, 3], levels: 15, logZ: true,
      paths: [{ points: r.history.map((h) => h.x!), label: 'gradient descent' }],
      markers: [{ point: minima[0], label: 'minimum' }],
    });
    expect(balanced(svg)).toBe(true);
    const { X, Y } = inverse(svg);
    const line = elements(svg, 'polyline').find((p) => p.attrs.class === 'line')!;
    const pts = points(line);
    expect(pts.length).toBe(r.history.length);
    pts.forEach(([px, py], k) => {
      expect(Math.abs(X(px) - r.history[k].x![0])).toBeLessThan(1e-3);
      expect(Math.abs(Y(py) - r.history[k].x![1])).toBeLessThan(1e-3);
    });
    const marker = elements(svg.split('class="marker"')[1], 'circle')[0];
    expect(Math.abs(X(Number(marker.attrs.cx)) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(Y(Number(marker.attrs.cy)) - 1)).toBeLessThan(1e-3);
    expect(svg).toContain('>minimum</text>');
    expect(svg).toMatch(/class="legend-entry" data-series="0">.*>gradient descent<\/text>/);

    // A path that leaves the plot and one with a NaN: runs are split, far points never written.
    const grid = gridOf((x, y) => x + y, [0, 1, 2], [0, 1, 2]);
    const svg2 = contourSVG(grid, { paths: [{ points: [[0.5, 0.5], [1, 1], [1e12, 1], [1.5, 1.5], [NaN, 1], [1.8, 0.2], [1.9, 0.1], undefined, [1.2, 1.2], null, [0.2, 0.2]] }] });
    const { X: X2, Y: Y2 } = inverse(svg2);
    const runs = elements(svg2, 'polyline').filter((p) => p.attrs.class === 'line').map(points);
    expect(runs.length).toBe(3); // the lone points (1.2, 1.2) and (0.2, 0.2) between gaps draw no line
    expect(runs[0].length).toBe(3); // (0.5, 0.5), (1, 1), then the edge of the clip box towards 1e12
    expect(X2(runs[0][1][0])).toBeCloseTo(1, 3);
    expect(Y2(runs[0][2][1])).toBeCloseTo(1, 3); // horizontal segment
    expect(runs[1][1].map((v, k) => (k ? Y2(v) : X2(v)))).toEqual([expect.closeTo(1.5, 3), expect.closeTo(1.5, 3)]);
    expect(runs[2].map(([a, b]) => [X2(a), Y2(b)])).toEqual([[expect.closeTo(1.8, 3), expect.closeTo(0.2, 3)], [expect.closeTo(1.9, 3), expect.closeTo(0.1, 3)]]);
    expect(svg2).not.toMatch(/e\+|NaN|Infinity/);
    expect(svg2).toContain('>path 1</text>');
    const start = elements(svg2, 'circle').find((c) => c.attrs.class === 'start')!;
    expect(X2(Number(start.attrs.cx))).toBeCloseTo(0.5, 3);
    const end = elements(svg2, 'circle').find((c) => c.attrs.class === 'end')!;
    expect(Y2(Number(end.attrs.cy))).toBeCloseTo(0.2, 3); // the last point given
  });

  it('draws contours over a heat map (fill) in white, and skips cells with a missing corner', () => {
    const grid = gridOf((x, y) => (x === 1 && y === 1 ? NaN : x + y), [0, 1, 2, 3], [0, 1, 2, 3]);
    const svg = contourSVG(grid, { levels: [2.5], fill: true });
    const p = elements(svg, 'path').find((e: El) => e.attrs.class === 'contour')!;
    expect(p.attrs.stroke).toBe('#ffffff');
    const { X, Y } = inverse(svg);
    const runs = subpaths(p.attrs.d).map((s) => s.pts.map(([a, b]) => [X(a), Y(b)]));
    expect(runs.length).toBe(2); // the line is cut where it would cross the four cells around the NaN at (1, 1)
    for (const pts of runs) {
      pts.forEach(([x, y], k) => {
        expect(x + y).toBeCloseTo(2.5, 3);
        if (k > 0) {
          const mx = (x + pts[k - 1][0]) / 2, my = (y + pts[k - 1][1]) / 2;
          expect(mx > 2 || my > 2).toBe(true); // no segment inside (0, 2) × (0, 2)
        }
      });
    }
    expect(elements(svg, 'rect').some((r) => r.attrs.class === 'missing')).toBe(true);
  });

  it('escapes text and labels the axes', () => {
    const svg = contourSVG(gridOf((x, y) => x * y, [0, 1], [0, 1]), { title: 'a < b & "c"', xLabel: 'α <1>', yLabel: "β's", zLabel: 'L&L', markers: [{ point: [0.5, 0.5], label: '<trained>' }] });
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('aria-label="a &lt; b &amp; &quot;c&quot;"');
    const text = (cls: string) => unescape(elements(svg, 'text').find((t) => t.attrs.class === cls)!.text);
    expect(text('x-label')).toBe('α <1>');
    expect(text('y-label')).toBe("β's");
    expect(text('z-label')).toBe('L&L');
    expect(svg).toContain('&lt;trained&gt;');
    expect(svg).not.toContain('<trained>');
  });

  it('refuses bad input with a sentence naming the argument, the value and the fix', () => {
    const g = gridOf((x, y) => x + y, [0, 1, 2], [0, 1]);
    expect(() => contourSVG(g, { level: 5 } as never)).toThrow(/unknown option options\.level\. Did you mean levels\?/);
    expect(() => contourSVG({ x: [0, 2, 1], y: [0, 1], z: [1, 2, 3, 4, 5, 6] })).toThrow(/grid\.x must be finite and strictly increasing, got 1 at grid\.x\[2\] after 2/);
    expect(() => contourSVG({ x: [0, 1, 2], y: [0, 1], z: [1, 2, 3] })).toThrow(/grid\.z must hold x\.length × y\.length = 3 × 2 = 6 values/);
    expect(() => contourSVG({ x: [0, 1], y: [0, 1], z: [1, 2, 'a', 4] as never })).toThrow(/grid\.z\[2\] must be a number, got 'a'/);
    expect(() => contourSVG(g, { levels: [1, 0], logZ: true })).toThrow(/with logZ every level must be > 0, got 0/);
    expect(() => contourSVG(g, { levels: 0 })).toThrow(RangeError);
    expect(() => contourSVG(g, { zRange: [2, 1] })).toThrow(/options\.zRange must have lo < hi, got \[2, 1\]/);
    expect(() => contourSVG((p) => p[0], {})).toThrow(/a function needs options\.xRange and options\.yRange/);
    expect(() => contourSVG(g, { xRange: [0, 1] })).toThrow(/options\.xRange applies to a function input/);
    expect(() => contourSVG(g, { paths: [{ points: [[0, 1, 2]] }] })).toThrow(/options\.paths\[0\]\.points\[0\] must be a point \[x, y\], got \[0, 1, 2\]/);
    expect(() => contourSVG(g, { markers: [{ point: [0] }] })).toThrow(/options\.markers\[0\]\.point must be a point/);
    expect(() => heatmapSVG(g, { width: 100 })).toThrow(/heatmapSVG: options\.width must be a finite number >= 160, got 100\. The default is 640\./);
    expect(() => heatmapSVG('grid' as never)).toThrow(/input must be a grid \{ x, y, z \} or a function/);
    expect(() => sampleGrid((p) => 'x' as never, { xRange: [0, 1], yRange: [0, 1], resolution: 2 })).toThrow(/f must return a number, got 'x' at \[0, 0\]/);
  });
});
