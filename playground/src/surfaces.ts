/**
 * The functions of two variables the surface pages draw: descent's test functions (analytic
 * float64 gradients and Hessians) and a function the user types (parsed by ./expr.ts, values in
 * float64, gradients and Hessians from descent's autodiff).
 */
import { hessian, sampleGrid, testFunctions, valueAndGrad, type SurfaceScale, type TestFunction } from 'descent';
import { evaluator, ExpressionError, formatExpression, opsFunction, parseExpression } from './expr.js';

export type Range = [number, number];

export interface Surface {
  id: string;
  label: string;
  formula: string;
  f(p: Float64Array): number;
  /** ∇f into out. */
  grad(p: Float64Array, out: Float64Array): void;
  /** ∇²f into out (row-major 2×2). */
  hess(p: Float64Array, out: Float64Array): void;
  xRange: Range;
  yRange: Range;
  start: [number, number];
  /** Known critical points (none for a typed function). */
  criticalPoints: ReadonlyArray<{ x: readonly number[]; kind: string }>;
  /** Where the gradient comes from, for the page's note. */
  source: string;
  /** Gradient tolerance for minimize: float32 autodiff gradients cannot reach float64's 1e-6 on every function. */
  tol: number;
  /** Frees what the surface holds (the autodiff step of a typed function). */
  dispose(): void;
}

/** Learning rates and iterations that show each built-in function well. */
export interface Tuning { lr: number; adaptiveLr: number; momentum: number; iterations: number }

const fromTest = (t: TestFunction, label: string, xRange: Range, yRange: Range, start: [number, number]): Surface => ({
  id: t.name, label, formula: t.formula,
  f: (p) => t.f(p), grad: (p, o) => t.grad(p, o), hess: (p, o) => t.hess(p, o),
  xRange, yRange, start, criticalPoints: t.criticalPoints,
  source: 'analytic gradient and Hessian (float64), from descent\'s testFunctions', tol: 1e-6, dispose: () => {},
});

/** The built-in surfaces, with their plot ranges, start points and tuning. */
export const BUILT_IN: ReadonlyArray<{ surface: Surface; tuning: Tuning }> = [
  { surface: fromTest(testFunctions.rosenbrock, 'Rosenbrock', [-2, 2], [-1, 3], [-1.5, 2]), tuning: { lr: 1e-3, adaptiveLr: 0.05, momentum: 0.9, iterations: 1000 } },
  { surface: fromTest(testFunctions.beale, 'Beale', [-4.5, 4.5], [-4.5, 4.5], [1, 1.5]), tuning: { lr: 0.005, adaptiveLr: 0.1, momentum: 0.9, iterations: 600 } },
  { surface: fromTest(testFunctions.himmelblau, 'Himmelblau', [-5, 5], [-5, 5], [-0.5, 0.5]), tuning: { lr: 0.005, adaptiveLr: 0.1, momentum: 0.8, iterations: 300 } },
  { surface: fromTest(testFunctions.saddle, 'Saddle x² − y²', [-1.5, 1.5], [-1.5, 1.5], [-1.2, 0.05]), tuning: { lr: 0.05, adaptiveLr: 0.05, momentum: 0.6, iterations: 200 } },
  { surface: fromTest(testFunctions.illConditioned, 'Ill-conditioned quadratic (κ = 100)', [-3, 4], [-2, 4], [-2, 3]), tuning: { lr: 0.01, adaptiveLr: 0.1, momentum: 0.9, iterations: 300 } },
];

export const CUSTOM_TUNING: Tuning = { lr: 0.01, adaptiveLr: 0.05, momentum: 0.9, iterations: 300 };

/**
 * A surface from a typed expression in x and y: f in float64 by the parsed tree; ∇f from descent's
 * valueAndGrad (one recorded step, replayed at every point) and ∇²f from hessian (reverse over
 * reverse), both exact up to float32 rounding. Throws ExpressionError for text that does not parse.
 */
export function customSurface(text: string, xRange: Range, yRange: Range, start: [number, number]): Surface {
  const e = parseExpression(text);
  const value = evaluator(e);
  const fOps = opsFunction(e);
  const step = valueAndGrad(fOps);
  const H = hessian(fOps);
  return {
    id: 'custom', label: `f(x, y) = ${formatExpression(e)}`, formula: formatExpression(e),
    f: (p) => value(p[0], p[1]),
    grad: (p, out) => {
      const g = step([p[0], p[1]])[1] as Float32Array;
      out[0] = g[0];
      out[1] = g[1];
    },
    hess: (p, out) => out.set(H([p[0], p[1]])),
    xRange, yRange, start, criticalPoints: [],
    source: 'gradient by descent\'s valueAndGrad and Hessian by hessian (autodiff, float32)',
    tol: 1e-4,
    dispose: () => step.dispose(),
  };
}

/** How to draw a surface: the sampled grid, and log-spaced levels when its values span decades. */
export function surfaceGrid(s: Surface, resolution = 101): { grid: { x: Float64Array; y: Float64Array; z: Float64Array }; logZ: boolean; zRange: [number, number] } {
  const grid = sampleGrid((p) => s.f(p), { xRange: s.xRange, yRange: s.yRange, resolution });
  let lo = Infinity, hi = -Infinity, loPos = Infinity;
  for (const v of grid.z) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v > 0 && v < loPos) loPos = v;
  }
  if (!(hi > lo)) return { grid, logZ: false, zRange: [lo === Infinity ? 0 : lo - 1, hi === -Infinity ? 1 : hi + 1] };
  const logZ = lo >= 0 && hi / loPos > 1e3;
  // Log levels from 10⁻⁶ of the top up: below that the valley floor's rings crowd each other.
  return { grid, logZ, zRange: logZ ? [Math.max(loPos, hi * 1e-6), hi] : [lo, hi] };
}

/**
 * The surface of the expression typed in `input`, or null with the parser's message shown in
 * `errorEl` (and the input marked invalid) when it does not parse.
 */
export function typedSurface(input: HTMLInputElement, errorEl: HTMLElement, xRange: Range, yRange: Range, start: [number, number]): Surface | null {
  try {
    const s = customSurface(input.value, xRange, yRange, start);
    errorEl.textContent = '';
    input.setAttribute('aria-invalid', 'false');
    return s;
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    errorEl.textContent = e.message;
    input.setAttribute('aria-invalid', 'true');
    return null;
  }
}

/** The data point [x, y] under a click on a surface plot drawn with `scale`, or null outside its plot area. */
export function clickedPoint(svg: SVGSVGElement, scale: SurfaceScale, ev: MouseEvent): [number, number] | null {
  const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM()!.inverse());
  const { plot, xDomain, yDomain } = scale;
  if (pt.x < plot.left || pt.x > plot.right || pt.y < plot.top || pt.y > plot.bottom) return null;
  return [
    xDomain[0] + ((pt.x - plot.left) / (plot.right - plot.left)) * (xDomain[1] - xDomain[0]),
    yDomain[0] + ((plot.bottom - pt.y) / (plot.bottom - plot.top)) * (yDomain[1] - yDomain[0]),
  ];
}

/** Newton's method on ∇f = 0 (undamped, so it converges to saddles and maxima as well as minima). */
export function newtonCritical(s: Surface, from: [number, number], maxIter = 50): { points: Array<[number, number]>; converged: boolean; why: string } {
  const x = Float64Array.from(from), g = new Float64Array(2), H = new Float64Array(4);
  const points: Array<[number, number]> = [[x[0], x[1]]];
  const span = Math.max(s.xRange[1] - s.xRange[0], s.yRange[1] - s.yRange[0]);
  for (let k = 0; k < maxIter; k++) {
    s.grad(x, g);
    if (Math.max(Math.abs(g[0]), Math.abs(g[1])) <= s.tol) return { points, converged: true, why: `max|∇f| ≤ ${s.tol} after ${k} Newton steps` };
    s.hess(x, H);
    const det = H[0] * H[3] - H[1] * H[2];
    const scale = Math.max(Math.abs(H[0]), Math.abs(H[1]), Math.abs(H[2]), Math.abs(H[3]), 1e-300);
    if (!(Math.abs(det) > 1e-12 * scale * scale)) return { points, converged: false, why: `the Hessian is singular at step ${k}: Newton's step is undefined there` };
    // (dx, dy) = H⁻¹ g by Cramer's rule
    const dx = (H[3] * g[0] - H[1] * g[1]) / det, dy = (H[0] * g[1] - H[2] * g[0]) / det;
    x[0] -= dx;
    x[1] -= dy;
    if (!Number.isFinite(x[0]) || !Number.isFinite(x[1])) return { points, converged: false, why: 'Newton\'s step left the numbers' };
    points.push([x[0], x[1]]);
    if (Math.abs(x[0] - from[0]) > 10 * span || Math.abs(x[1] - from[1]) > 10 * span) return { points, converged: false, why: 'Newton\'s steps ran away: no critical point nearby' };
  }
  return { points, converged: false, why: `no convergence in ${maxIter} Newton steps` };
}
