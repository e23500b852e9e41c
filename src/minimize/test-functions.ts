/**
 * Classic optimisation test functions with analytic gradients and Hessians and their known critical
 * points (Surjanovic & Bingham, "Virtual Library of Simulation Experiments: Test Functions"; Nocedal
 * & Wright for Rosenbrock). Used by the tests, the docs and anyone comparing methods.
 */

export type CriticalKind = 'minimum' | 'maximum' | 'saddle';

export interface TestFunction {
  readonly name: string;
  /** The number of coordinates. */
  readonly dim: number;
  /** The formula in one line. */
  readonly formula: string;
  f(x: Float64Array): number;
  /** ∇f(x) into `out` (length dim). */
  grad(x: Float64Array, out: Float64Array): void;
  /** ∇²f(x) into `out` (dim·dim, row-major). */
  hess(x: Float64Array, out: Float64Array): void;
  /** A customary start point. */
  readonly x0: readonly number[];
  /** Every global minimiser (empty when f is unbounded below). */
  readonly minima: readonly (readonly number[])[];
  /** The minimum value (−Infinity when unbounded below). */
  readonly fMin: number;
  /** Known critical points with their kind (the minima included). */
  readonly criticalPoints: readonly { readonly x: readonly number[]; readonly kind: CriticalKind }[];
  /** A search box per coordinate, [lo, hi], that contains the minima (for random search). */
  readonly bounds: readonly (readonly [number, number])[];
}

/** The fields of a function whose one critical point is its minimum `at`, of value 0. */
function uniqueMinimum(at: readonly number[]): Pick<TestFunction, 'minima' | 'fMin' | 'criticalPoints'> {
  return { minima: [at], fMin: 0, criticalPoints: [{ x: at, kind: 'minimum' }] };
}

/** An n-d function's start point (a, b, a, b, …), search box [−r, r] on every coordinate, and its one minimum `at`, of value 0. */
function startBoxMinimum(n: number, a: number, b: number, r: number, at: readonly number[]): Pick<TestFunction, 'x0' | 'bounds' | 'minima' | 'fMin' | 'criticalPoints'> {
  const x0 = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b));
  return { x0, bounds: Array.from({ length: n }, () => [-r, r] as const), ...uniqueMinimum(at) };
}

/**
 * The sphere (parabola) Σ xᵢ², minimum 0 at the origin.
 *
 * @example
 * const s = sphere(3);
 * s.f(Float64Array.of(1, 2, 2)); // 9
 */
export function sphere(n = 2): TestFunction {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sphere(n) needs an integer n >= 1, got ${n}`);
  const zero = new Array<number>(n).fill(0);
  return {
    ...startBoxMinimum(n, 3, -4, 5, zero),
    name: n === 2 ? 'sphere' : `sphere${n}`,
    dim: n,
    formula: 'Σ xᵢ²',
    f(x) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i] * x[i];
      return s;
    },
    grad(x, out) {
      for (let i = 0; i < n; i++) out[i] = 2 * x[i];
    },
    hess(_x, out) {
      out.fill(0);
      for (let i = 0; i < n; i++) out[i * n + i] = 2;
    },
  };
}

/** Rosenbrock's banana (1 − x)² + 100(y − x²)², minimum 0 at (1, 1); start (−1.5, 2) as lbfgs.json. */
export const rosenbrock: TestFunction = {
  name: 'rosenbrock',
  dim: 2,
  formula: '(1 − x)² + 100(y − x²)²',
  f(x) {
    const u = 1 - x[0];
    const v = x[1] - x[0] * x[0];
    return u * u + 100 * v * v;
  },
  grad(x, out) {
    const v = x[1] - x[0] * x[0];
    out[0] = -2 * (1 - x[0]) - 400 * x[0] * v;
    out[1] = 200 * v;
  },
  hess(x, out) {
    out[0] = 2 - 400 * (x[1] - 3 * x[0] * x[0]);
    out[1] = out[2] = -400 * x[0];
    out[3] = 200;
  },
  x0: [-1.5, 2],
  ...uniqueMinimum([1, 1]),
  bounds: [[-2, 2], [-1, 3]],
};

/** Beale: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5). */
export const beale: TestFunction = {
  name: 'beale',
  dim: 2,
  formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  f(x) {
    const [a, b, c] = bealeTerms(x[0], x[1]);
    return a * a + b * b + c * c;
  },
  grad(x, out) {
    const X = x[0], y = x[1];
    const [a, b, c] = bealeTerms(X, y);
    out[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
    out[1] = 2 * a * X + 2 * b * (2 * X * y) + 2 * c * (3 * X * y * y);
  },
  hess(x, out) {
    const X = x[0], y = x[1];
    const [a, b, c] = bealeTerms(X, y);
    const y2 = y * y, y3 = y2 * y;
    out[0] = 2 * (y - 1) ** 2 + 2 * (y2 - 1) ** 2 + 2 * (y3 - 1) ** 2;
    out[1] = out[2] =
      2 * (X * (y - 1) + a) + 2 * (2 * X * y * (y2 - 1) + 2 * y * b) + 2 * (3 * X * y2 * (y3 - 1) + 3 * y2 * c);
    out[3] = 2 * X * X + 2 * ((2 * X * y) ** 2 + 2 * X * b) + 2 * ((3 * X * y2) ** 2 + 6 * X * y * c);
  },
  x0: [1, 1],
  ...uniqueMinimum([3, 0.5]),
  bounds: [[-4.5, 4.5], [-4.5, 4.5]],
};

function bealeTerms(x: number, y: number): [number, number, number] {
  return [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y];
}

/** Booth: (x + 2y − 7)² + (2x + y − 5)², minimum 0 at (1, 3). */
export const booth: TestFunction = {
  name: 'booth',
  dim: 2,
  formula: '(x + 2y − 7)² + (2x + y − 5)²',
  f(x) {
    const u = x[0] + 2 * x[1] - 7;
    const v = 2 * x[0] + x[1] - 5;
    return u * u + v * v;
  },
  grad(x, out) {
    const u = x[0] + 2 * x[1] - 7;
    const v = 2 * x[0] + x[1] - 5;
    out[0] = 2 * u + 4 * v;
    out[1] = 4 * u + 2 * v;
  },
  hess(_x, out) {
    out[0] = 10;
    out[1] = out[2] = 8;
    out[3] = 10;
  },
  x0: [0, 0],
  ...uniqueMinimum([1, 3]),
  bounds: [[-10, 10], [-10, 10]],
};

/**
 * Himmelblau: (x² + y − 11)² + (x + y² − 7)², four global minima with f = 0, one local maximum and
 * four saddles (coordinates polished to full float64 precision by Newton's method on ∇f = 0).
 */
export const himmelblau: TestFunction = {
  name: 'himmelblau',
  dim: 2,
  formula: '(x² + y − 11)² + (x + y² − 7)²',
  f(x) {
    const u = x[0] * x[0] + x[1] - 11;
    const v = x[0] + x[1] * x[1] - 7;
    return u * u + v * v;
  },
  grad(x, out) {
    const u = x[0] * x[0] + x[1] - 11;
    const v = x[0] + x[1] * x[1] - 7;
    out[0] = 4 * x[0] * u + 2 * v;
    out[1] = 2 * u + 4 * x[1] * v;
  },
  hess(x, out) {
    const u = x[0] * x[0] + x[1] - 11;
    const v = x[0] + x[1] * x[1] - 7;
    out[0] = 4 * u + 8 * x[0] * x[0] + 2;
    out[1] = out[2] = 4 * x[0] + 4 * x[1];
    out[3] = 2 + 4 * v + 8 * x[1] * x[1];
  },
  x0: [0, 0],
  minima: [
    [3, 2],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.2831859912861696],
    [3.5844283403304917, -1.8481265269644034],
  ],
  fMin: 0,
  criticalPoints: [
    { x: [3, 2], kind: 'minimum' },
    { x: [-2.805118086952745, 3.131312518250573], kind: 'minimum' },
    { x: [-3.779310253377747, -3.2831859912861696], kind: 'minimum' },
    { x: [3.5844283403304917, -1.8481265269644034], kind: 'minimum' },
    { x: [-0.2708445906673476, -0.9230385564799815], kind: 'maximum' },
    { x: [0.08667750455539634, 2.884254701174776], kind: 'saddle' },
    { x: [-3.0730257507643897, -0.08135304428796751], kind: 'saddle' },
    { x: [3.385154183607021, 0.07385187983774928], kind: 'saddle' },
    { x: [-0.12796134673068005, -1.9537149802445766], kind: 'saddle' },
  ],
  bounds: [[-5, 5], [-5, 5]],
};

/**
 * An ill-conditioned quadratic ½(x − c)ᵀA(x − c) with c = (1, …, 1) and A = Q·diag(λ)·Qᵀ, where
 * λᵢ = condition^(i/(n−1)) runs from 1 to `condition` and Q = I − 2vvᵀ/vᵀv (v = (1, 2, …, n)) is a
 * fixed Householder reflection, so the axes are mixed and per-coordinate methods get no shortcut.
 *
 * @example
 * const q = illConditionedQuadratic(2, 100);
 * q.f(Float64Array.of(1, 1)); // 0
 */
export function illConditionedQuadratic(n = 2, condition = 100): TestFunction {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`illConditionedQuadratic(n) needs an integer n >= 2, got ${n}`);
  if (!(condition >= 1) || !Number.isFinite(condition)) {
    throw new RangeError(`condition must be a finite number >= 1, got ${condition}`);
  }
  const v = Array.from({ length: n }, (_, i) => i + 1);
  const vv = v.reduce((s, a) => s + a * a, 0);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] = (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
  const lambda = Array.from({ length: n }, (_, i) => Math.pow(condition, i / (n - 1)));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] * lambda[k] * Q[j * n + k];
      A[i * n + j] = s;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A[j * n + i] = A[i * n + j];
  const c = new Array<number>(n).fill(1);
  const r = new Float64Array(n);
  const residual = (x: Float64Array) => {
    for (let i = 0; i < n; i++) r[i] = x[i] - c[i];
    return r;
  };
  return {
    ...startBoxMinimum(n, -2, 3, 4, c),
    name: n === 2 && condition === 100 ? 'illConditioned' : `illConditioned${n}d_k${condition}`,
    dim: n,
    formula: `½(x − 1)ᵀA(x − 1), eigenvalues of A from 1 to ${condition}`,
    f(x) {
      const d = residual(x);
      let s = 0;
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += A[i * n + j] * d[j];
        s += d[i] * t;
      }
      return 0.5 * s;
    },
    grad(x, out) {
      const d = residual(x);
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += A[i * n + j] * d[j];
        out[i] = t;
      }
    },
    hess(_x, out) {
      out.set(A);
    },
  };
}

/** The saddle x² − y²: a single critical point, a saddle at the origin; unbounded below. */
export const saddle: TestFunction = {
  name: 'saddle',
  dim: 2,
  formula: 'x² − y²',
  f(x) {
    return x[0] * x[0] - x[1] * x[1];
  },
  grad(x, out) {
    out[0] = 2 * x[0];
    out[1] = -2 * x[1];
  },
  hess(_x, out) {
    out[0] = 2;
    out[1] = out[2] = 0;
    out[3] = -2;
  },
  x0: [1, 0.001],
  minima: [],
  fMin: -Infinity,
  criticalPoints: [{ x: [0, 0], kind: 'saddle' }],
  bounds: [[-1, 1], [-1, 1]],
};

/**
 * The test functions by name: sphere (2-d parabola), rosenbrock, beale, booth, himmelblau,
 * illConditioned (2-d, condition 100) and saddle. `sphere(n)` and `illConditionedQuadratic(n, κ)`
 * build other sizes.
 */
export const testFunctions = {
  sphere: sphere(2),
  rosenbrock,
  beale,
  booth,
  himmelblau,
  illConditioned: illConditionedQuadratic(2, 100),
  saddle,
} as const;
