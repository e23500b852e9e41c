/**
 * Animates plots that descent drew in full: each polyline is shown up to the vertices whose time
 * (an iteration, an epoch) has been reached, so a path or curve grows the way the run went without
 * redrawing the plot every frame.
 */

export interface Track {
  el: SVGPolylineElement;
  /** The polyline's vertices as drawn ("x,y" strings) and the time of each. */
  points: string[];
  times: number[];
}

const parse = (el: SVGPolylineElement): string[] => (el.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean);

/**
 * Tracks for the lines of a surface plot's paths (`g.path[data-series=i] polyline`), timed by the
 * iteration whose point each vertex is. `points[i][k]` is path i's iteration k mapped to SVG px (the
 * plot's own scale); a vertex matching none (where a line was clipped at the plot's edge) gets the
 * time halfway to the next iteration.
 */
export function pathTracks(svg: SVGSVGElement, points: ReadonlyArray<ReadonlyArray<readonly [number, number] | null>>): Track[] {
  const tracks: Track[] = [];
  points.forEach((pts, i) => {
    let from = 0;
    let last: Track | null = null;
    for (const el of svg.querySelectorAll<SVGPolylineElement>(`g.path[data-series="${i}"] polyline`)) {
      const verts = parse(el);
      if (last && last.points.join(' ') === verts.join(' ')) {
        // the line over its halo: same vertices, same times
        tracks.push({ el, points: verts, times: last.times });
        last = null;
        continue;
      }
      const times = verts.map((v) => {
        const [X, Y] = v.split(',').map(Number);
        for (let k = from; k < pts.length; k++) {
          const p = pts[k];
          if (p && Math.abs(p[0] - X) < 0.011 && Math.abs(p[1] - Y) < 0.011) { from = k + 1; return k; }
        }
        return from - 0.5;
      });
      last = { el, points: verts, times };
      tracks.push(last);
    }
  });
  return tracks;
}

/** Tracks for the series of a loss-curve plot, timed by their x value (px → data through the plot's scale). */
export function curveTracks(svg: SVGSVGElement, xOfPx: (X: number) => number): Track[] {
  return Array.from(svg.querySelectorAll<SVGPolylineElement>('polyline.series')).map((el) => {
    const points = parse(el);
    return { el, points, times: points.map((v) => xOfPx(Number(v.split(',')[0]))) };
  });
}

/** Shows every track up to time t (all of it for t = Infinity); `extra` elements appear once t reaches their time. */
export function showUpTo(tracks: readonly Track[], t: number, extra: ReadonlyArray<{ el: Element; time: number }> = []): void {
  for (const tr of tracks) {
    let n = 0;
    while (n < tr.times.length && tr.times[n] <= t) n++;
    tr.el.setAttribute('points', tr.points.slice(0, n).join(' '));
  }
  for (const x of extra) x.el.setAttribute('visibility', x.time <= t ? 'visible' : 'hidden');
}

/**
 * Runs `frame(t)` with t rising from 0 to `end` over `ms` milliseconds (linear in time), then
 * `frame(Infinity)`. Returns a stop function; `done` runs once the last frame is drawn (or stopped).
 */
export function animate(end: number, ms: number, frame: (t: number) => void, done: () => void): () => void {
  let stopped = false;
  const t0 = performance.now();
  const tick = (now: number) => {
    if (stopped) return;
    const u = (now - t0) / ms;
    if (u >= 1) {
      frame(Infinity);
      stopped = true;
      done();
      return;
    }
    frame(u * end);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return () => {
    if (stopped) return;
    stopped = true;
    frame(Infinity);
    done();
  };
}
