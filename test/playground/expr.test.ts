// The playground's typed functions (playground/src/expr.ts, surfaces.ts) in Node: the parser and its
// messages, the float64 evaluator against JS arithmetic, and gradients and Hessians through descent's
// autodiff (sin and cos as second-order jets) against derivatives worked out by hand, on every backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { grad, hessian, init, testFunctions } from 'descent';
import { evaluator, ExpressionError, formatExpression, MAX_DEPTH, opsFunction, parseExpression } from '../../playground/src/expr.js';
import { BUILT_IN, customSurface, newtonCritical, surfaceGrid } from '../../playground/src/surfaces.js';
import { BACKENDS } from '../helpers/backends.js';

const f64 = (text: string) => evaluator(parseExpression(text));

describe('parseExpression and evaluator', () => {
  it('follows the usual precedence: ^ right-associative and above unary minus, * / above + -', () => {
    const cases: Array<[string, number, number, number]> = [
      ['1 + 2*3', 0, 0, 7],
      ['(1 + 2)*3', 0, 0, 9],
      ['2^3^2', 0, 0, 512],
      ['-x^2', 3, 0, -9],
      ['(-x)^2', 3, 0, 9],
      ['2^-1', 0, 0, 0.5],
      ['x - y - 1', 5, 2, 2],
      ['x / y / 2', 8, 2, 2],
      ['--x', 4, 0, 4],
      ['+x', 4, 0, 4],
      ['x**2 + y', 3, 1, 10],
      ['2×x − y ÷ 4', 3, 8, 4],
      ['1.5e2 + .5', 0, 0, 150.5],
      ['pi', 0, 0, Math.PI],
      ['e^x', 1, 0, Math.E],
      ['sin(x)*cos(y) + exp(x) - log(y) + sqrt(x) + abs(-y) + tanh(x)', 0.7, 1.3,
        Math.sin(0.7) * Math.cos(1.3) + Math.exp(0.7) - Math.log(1.3) + Math.sqrt(0.7) + 1.3 + Math.tanh(0.7)],
      ['(1 - x)^2 + 100*(y - x^2)^2', -1.5, 2, testFunctions.rosenbrock.f(Float64Array.of(-1.5, 2))],
    ];
    for (const [text, x, y, want] of cases) expect(f64(text)(x, y), text).toBeCloseTo(want, 12);
  });

  it('writes an expression back with only the parentheses it needs, and that text parses to the same function', () => {
    expect(formatExpression(parseExpression('(x)+((y*2))'))).toBe('x + y*2');
    expect(formatExpression(parseExpression('(-x)^2 - -(y)'))).toBe('(-x)^2 - -y');
    expect(formatExpression(parseExpression('x - (y - 1)'))).toBe('x - (y - 1)');
    expect(formatExpression(parseExpression('(2^3)^2 + 2^3^2'))).toBe('(2^3)^2 + 2^3^2');
    for (const text of ['x/(y*2)', '-(x + y)^3', 'sin(x*pi)/e', '(x + 1)*(y - 2)/(x^2 + 1)', '2^-x']) {
      const again = formatExpression(parseExpression(text));
      for (const [x, y] of [[0.3, 1.7], [-1.2, 0.4]]) expect(f64(again)(x, y), `${text} → ${again}`).toBe(f64(text)(x, y));
    }
  });

  it('refuses what is not an expression with the column and the fix', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /empty; type a function of x and y/],
      ['   ', /empty/],
      ['2x', /missing operator between '2' and 'x' at column 2; write 2\*x/],
      ['x y', /missing operator between 'x' and 'y' at column 3/],
      ['x + z', /unknown name 'z' at column 5; use x, y, numbers, pi, e/],
      ['sin x', /sin at column 1 needs its argument in parentheses: sin\(\.\.\.\)/],
      ['(x + 1', /the '\(' at column 1 is never closed; add '\)'/],
      ['x + 1)', /unmatched '\)' at column 6/],
      ['x +', /ends too early at column 4/],
      ['x * * y', /unexpected '\*' at column 5/],
      ['x $ y', /unexpected character '\$' at column 3/],
      ['1e999', /too large/],
      ['x'.repeat(501), /has 501 characters; at most 500 are accepted/],
      [`${'('.repeat(MAX_DEPTH + 1)}x${')'.repeat(MAX_DEPTH + 1)}`, /nests more than 64 levels/],
      ['-'.repeat(MAX_DEPTH + 1) + 'x', /nests more than 64 levels/],
    ];
    for (const [text, message] of bad) {
      let err: unknown;
      try { parseExpression(text); } catch (e) { err = e; }
      expect(err, JSON.stringify(text)).toBeInstanceOf(ExpressionError);
      expect(err).toBeInstanceOf(SyntaxError);
      expect((err as Error).message, JSON.stringify(text)).toMatch(message);
    }
    expect(() => parseExpression(42 as unknown as string)).toThrow(TypeError);
    expect((() => { try { parseExpression('x + z'); } catch (e) { return (e as ExpressionError).column; } })()).toBe(5);
  });
});

/** Hand derivatives of the functions below: [f, [fx, fy], [fxx, fxy, fyy]]. */
const HAND: Array<{ text: string; d: (x: number, y: number) => [number, [number, number], [number, number, number]] }> = [
  { text: 'sin(x*y) + x^2', d: (x, y) => [Math.sin(x * y) + x * x, [Math.cos(x * y) * y + 2 * x, Math.cos(x * y) * x],
    [-Math.sin(x * y) * y * y + 2, Math.cos(x * y) - Math.sin(x * y) * x * y, -Math.sin(x * y) * x * x]] },
  { text: 'cos(2*x - y)*y', d: (x, y) => {
    const u = 2 * x - y, c = Math.cos(u), s = Math.sin(u);
    return [c * y, [-2 * s * y, s * y + c], [-4 * c * y, 2 * c * y - 2 * s, -c * y + 2 * s]];
  } },
  { text: 'exp(x/2)*log(y) + sqrt(x*x + y*y) - tanh(y)', d: (x, y) => {
    const r = Math.sqrt(x * x + y * y), t = Math.tanh(y);
    return [Math.exp(x / 2) * Math.log(y) + r - t,
      [Math.exp(x / 2) * Math.log(y) / 2 + x / r, Math.exp(x / 2) / y + y / r - (1 - t * t)],
      [Math.exp(x / 2) * Math.log(y) / 4 + (y * y) / r ** 3, Math.exp(x / 2) / (2 * y) - (x * y) / r ** 3,
        -Math.exp(x / 2) / (y * y) + (x * x) / r ** 3 + 2 * t * (1 - t * t)]];
  } },
  { text: 'x^y + 3', d: (x, y) => {
    const p = x ** y, l = Math.log(x);
    return [p + 3, [y * x ** (y - 1), p * l], [y * (y - 1) * x ** (y - 2), x ** (y - 1) * (1 + y * l), p * l * l]];
  } },
  { text: '2^x - abs(y)^3', d: (x, y) => [2 ** x - Math.abs(y) ** 3, [2 ** x * Math.LN2, -3 * y * Math.abs(y)],
    [2 ** x * Math.LN2 ** 2, 0, -6 * Math.abs(y)]] },
  { text: '7', d: () => [7, [0, 0], [0, 0, 0]] },
  { text: 'x', d: (x) => [x, [1, 0], [0, 0, 0]] },
];

const close = (got: number, want: number, what: string) => expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(2e-5 * (Math.abs(want) + 1));

describe.each(BACKENDS)('autodiff of typed functions on %s', (backend) => {
  beforeAll(async () => { await init({ backend }); });

  it('value, gradient and Hessian match the hand derivatives at several points (the step replays with fresh jets)', () => {
    for (const { text, d } of HAND) {
      const s = customSurface(text, [-2, 2], [-2, 2], [0, 0]);
      const H = hessian(opsFunction(parseExpression(text)));
      try {
        for (const [x, y] of [[1.3, 0.8], [0.4, 1.9], [1.1, 0.35], [1.3, 0.8]]) {
          const [v, [gx, gy], [hxx, hxy, hyy]] = d(x, y);
          const p = Float64Array.of(x, y);
          close(s.f(p), v, `${text} f`);
          const g = new Float64Array(2);
          s.grad(p, g);
          close(g[0], gx, `${text} ∂x at (${x}, ${y})`);
          close(g[1], gy, `${text} ∂y at (${x}, ${y})`);
          const h = new Float64Array(4);
          s.hess(p, h);
          close(h[0], hxx, `${text} ∂xx`);
          close(h[1], hxy, `${text} ∂xy`);
          close(h[2], hxy, `${text} ∂yx`);
          close(h[3], hyy, `${text} ∂yy`);
          expect(Array.from(H([x, y]))).toEqual(Array.from(h, Math.fround));
        }
      } finally {
        s.dispose();
      }
    }
  });

  it('grad of a jet is exact at every point of a sweep, not only where it was recorded', () => {
    const g = grad(opsFunction(parseExpression('sin(x) + cos(y)')));
    for (let k = 0; k < 20; k++) {
      const x = -3 + 0.31 * k, y = 2 - 0.23 * k;
      const [gx, gy] = g([x, y]) as Float32Array;
      close(gx, Math.cos(x), `cos(${x})`);
      close(gy, -Math.sin(y), `-sin(${y})`);
    }
    g.dispose();
  });

  it('L-BFGS and Newton converge on a typed Rosenbrock with autodiff derivatives, as on the analytic one', async () => {
    const { minimize } = await import('descent');
    const s = customSurface('(1 - x)^2 + 100*(y - x^2)^2', [-2, 2], [-1, 3], [-1.5, 2]);
    try {
      for (const method of ['lbfgs', 'newton'] as const) {
        const r = minimize(s.f, s.start, { method, grad: s.grad, ...(method === 'newton' ? { hess: s.hess } : {}), tol: s.tol, maxIter: 500 });
        expect(Math.abs(r.x[0] - 1), method).toBeLessThan(1e-3);
        expect(Math.abs(r.x[1] - 1), method).toBeLessThan(2e-3);
      }
    } finally {
      s.dispose();
    }
  });
});

describe('surfaces', () => {
  beforeAll(async () => { await init(); });

  it("Newton on ∇f = 0 reaches each of Himmelblau's nine critical points from a start near it, saddles and the maximum included", () => {
    const s = BUILT_IN.find((b) => b.surface.id === 'himmelblau')!.surface;
    for (const c of s.criticalPoints) {
      const r = newtonCritical(s, [c.x[0] + 0.05, c.x[1] - 0.04]);
      expect(r.converged, `${c.kind} at ${c.x}: ${r.why}`).toBe(true);
      const end = r.points[r.points.length - 1];
      expect(Math.hypot(end[0] - c.x[0], end[1] - c.x[1])).toBeLessThan(1e-7);
      expect(r.points[0]).toEqual([c.x[0] + 0.05, c.x[1] - 0.04]);
    }
  });

  it('Newton stops with a reason where the Hessian is singular', () => {
    const s = customSurface('x + y', [-1, 1], [-1, 1], [0, 0]);
    const r = newtonCritical(s, [0.2, 0.3]);
    s.dispose();
    expect(r.converged).toBe(false);
    expect(r.why).toMatch(/singular/);
    expect(r.points).toEqual([[0.2, 0.3]]);
  });

  it('grids are drawn with log levels when the values span decades (Rosenbrock), linear ones when they go negative (the saddle)', () => {
    const rosen = surfaceGrid(BUILT_IN[0].surface);
    expect(rosen.logZ).toBe(true);
    expect(rosen.grid.z.length).toBe(101 * 101);
    expect(rosen.zRange[1]).toBe(Math.max(...rosen.grid.z));
    const saddle = surfaceGrid(BUILT_IN.find((b) => b.surface.id === 'saddle')!.surface);
    expect(saddle.logZ).toBe(false);
    expect(saddle.zRange[0]).toBeLessThan(0);
  });
});
