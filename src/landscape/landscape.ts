/**
 * Loss landscapes: the loss of a trained model along one or two directions in weight space around
 * its weights, L(θ + α·δ) and L(θ + α·δ + β·η), with random directions filter-normalized as in Li,
 * Xu, Taylor, Studer & Goldstein (2018), "Visualizing the Loss Landscape of Neural Nets" (NeurIPS),
 * so that plots of different networks, and of the same network at different weight scales, compare.
 *
 * Works for any model with `parameters()` and `loss(X, y)` (the {@link TrainableModel} contract).
 * The model's weights are put back bit for bit when the function returns or throws.
 */
import type { Param } from '../tensor.js';
import { viewTable, type DataMatrix, type MatrixInput } from '../data/matrix.js';
import { describe } from '../util/describe.js';
import { Prng } from '../util/prng.js';
import { checkOptions, checkValue, SEED, type Rule, type Rules } from '../util/options.js';
import type { Labels } from '../train/types.js';

/** What a landscape needs of a model: its parameters and its loss on (X, y). */
export interface LandscapeModel {
  parameters(): Param[];
  loss(X: DataMatrix<Float32Array>, y: Labels): number;
}

/** A direction in weight space: one array per parameter, in `parameters()` order, each of that parameter's size. */
export type Direction = ReadonlyArray<ArrayLike<number>>;

/**
 * How directions are scaled to the weights (Li et al. 2018, section 4):
 * - `'filter'`: each filter of the direction gets the norm of the same filter of the weights;
 * - `'layer'`: each parameter as a whole gets the norm of that parameter;
 * - `'none'`: the direction is used as it is.
 */
export type Normalization = 'filter' | 'layer' | 'none';

/** Options shared by {@link lossLandscape1D} and {@link lossLandscape2D}. */
export interface LandscapeOptions {
  /** The span of α (and β): `r` for [−r, r], or `[lo, hi]`. Default `1` (Li et al.'s [−1, 1]). */
  range?: number | readonly [number, number];
  /** Grid points per axis (≥ 2; odd puts α = 0 on the grid). Default 51 for 1-D, 21 for 2-D. */
  steps?: number;
  /** Seed of the random directions (Gaussian, from the library's Prng). Default 0. */
  seed?: number;
  /** How directions are scaled. Default `'filter'` for random directions, `'none'` for given ones. */
  normalization?: Normalization;
  /**
   * The filters of each parameter, in `parameters()` order: `k ≥ 1` reads the parameter as a
   * row-major (size / k) × k matrix whose k columns are its filters (the library's in × out weight
   * layout: column j holds output unit j's incoming weights); `0` marks a bias, whose direction is
   * zero. Default: inferred (see {@link lossLandscape1D}).
   */
  filters?: readonly number[];
}

/** Options of {@link lossLandscape1D}. */
export interface Landscape1DOptions extends LandscapeOptions {
  /** The direction δ. Default: a random Gaussian direction, normalized per `normalization`. */
  direction?: Direction;
}

/** Options of {@link lossLandscape2D}. */
export interface Landscape2DOptions extends LandscapeOptions {
  /** The directions [δ, η]. Default: two random Gaussian directions (δ drawn first), normalized per `normalization`. */
  directions?: readonly [Direction, Direction];
}

/** What {@link lossLandscape1D} returns. All arrays are new. */
export interface Landscape1D {
  /** The grid: `steps` values of α from lo to hi. */
  alphas: Float64Array;
  /** `losses[i]` = L(θ + alphas[i]·δ). NaN or ±Infinity where the model's loss is. */
  losses: Float64Array;
  /** L(θ), the loss at the model's own weights. */
  centerLoss: number;
  /** δ as used (after normalization), one array per parameter. */
  direction: Float64Array[];
}

/** What {@link lossLandscape2D} returns. All arrays are new. */
export interface Landscape2D {
  /** The grid along δ (columns). */
  alphas: Float64Array;
  /** The grid along η (rows). */
  betas: Float64Array;
  /**
   * Row-major betas.length × alphas.length: `losses[j * alphas.length + i]` = L(θ + alphas[i]·δ +
   * betas[j]·η). Draw it with `heatmapSVG({ x: alphas, y: betas, z: losses })`.
   */
  losses: Float64Array;
  /** L(θ), the loss at the model's own weights. */
  centerLoss: number;
  /** [δ, η] as used (after normalization). */
  directions: [Float64Array[], Float64Array[]];
}

const RANGE: Rule = {
  kind: 'anyOf',
  rules: [
    { kind: 'number', min: 0, minOpen: true },
    { kind: 'pair', items: [{ kind: 'number' }, { kind: 'number' }], check: (a, b) => (a < b ? null : 'must have lo < hi') },
  ],
  want: 'a number r > 0 (for [−r, r]) or a pair [lo, hi] with lo < hi',
  fix: 'Pass e.g. range: 1 or range: [-0.5, 1].',
};

const COMMON_RULES: Rules = {
  range: RANGE,
  steps: { kind: 'number', integer: true, min: 2, max: 100_000, fix: 'Pass e.g. steps: 51.' },
  seed: SEED,
  normalization: { kind: 'enum', values: ['filter', 'layer', 'none'] },
  filters: { kind: 'array', item: { kind: 'number', integer: true, min: 0 }, fix: 'Pass one whole number per parameter: its filter count, or 0 for a bias.' },
};

const DIRECTION: Rule = { kind: 'array', fix: 'Pass one array per parameter, in parameters() order.' };

/**
 * The loss along one direction through the model's weights: L(θ + α·δ) for `steps` values of α
 * evenly spaced over `range` (Li et al. 2018's 1-D plot, the "linear interpolation" of Goodfellow
 * et al. 2015 when δ is θ_final − θ_init).
 *
 * The random direction: each element N(0, 1) from the library's seeded Prng, then filter-normalized
 * (Li et al. eq. (1)): every filter d_f of the direction is scaled to ‖θ_f‖ / (‖d_f‖ + 1e-10)·d_f,
 * the norm of the same filter of the weights. A filter is one output unit's incoming weights: for
 * the library's dense weights (in × out, row-major) a column. Biases get a zero direction (the
 * paper's code, `ignore='biasbn'`), so they stay at their trained values. Which parameters are
 * weights and how many filters they have is inferred from the names `parameters()` gives: a
 * parameter named `bias` or `<prefix>.bias` is a bias; a weight followed by its bias (`weight` then
 * `bias`, `layers.0.weight` then `layers.0.bias`) has as many filters as the bias has elements; a
 * weight without one has `model.numOutputs` filters when the model says so and it divides the size;
 * any other parameter is one filter (layer normalization). Pass `filters` to say it yourself.
 * A filter whose weights are all zero gets a zero direction (a linear model still at its zero
 * initialization has a flat filter-normalized landscape; pass `normalization: 'none'` there).
 *
 * The weights are written as float32 (θ + α·δ computed in float64, rounded once), the loss is the
 * model's `loss(X, y)`, and the model's weights are put back exactly (the same bits) on every path,
 * errors included. X and y are checked by the model at the centre before any weight changes.
 *
 * Defaults: `range = 1` ([−1, 1]), `steps = 51`, `seed = 0`, normalization `'filter'` for the
 * random direction and `'none'` for a given one.
 *
 * @example
 * const model = new MLP({ layers: [4, 16, 3], seed: 0 });
 * fit(model, X, y, { maxEpochs: 50 });
 * const r = lossLandscape1D(model, X, y, { range: 1, steps: 41, seed: 1 });
 * lossCurveSVG([{ label: 'loss', x: r.alphas, values: r.losses }], { xLabel: 'α' });
 * Reference: Li et al. (2018), arXiv:1712.09913, and their code (github.com/tomgoldstein/loss-landscape, net_plotter.py).
 */
export function lossLandscape1D(model: LandscapeModel, X: MatrixInput, y: Labels, options: Landscape1DOptions = {}): Landscape1D {
  const fn = 'lossLandscape1D';
  const o = checkOptions(fn, options, { ...COMMON_RULES, direction: DIRECTION });
  const setup = prepare(fn, model, X, o, 51);
  const rng = new Prng(o.seed ?? 0);
  const direction = makeDirection(fn, 'options.direction', setup, o.direction, rng, o.normalization);
  const losses = new Float64Array(setup.alphas.length);
  const centerLoss = sweep(setup, y, [direction], [setup.alphas], losses);
  return { alphas: setup.alphas, losses, centerLoss, direction };
}

/**
 * The loss over a plane through the model's weights: L(θ + α·δ + β·η) on a `steps` × `steps` grid
 * over `range` × `range` (Li et al. 2018's contour and surface plots). Directions, normalization,
 * the float32 writes and the exact restore of the weights are as {@link lossLandscape1D}; the two
 * random directions are drawn from one seeded stream (δ first), independently (in many dimensions
 * they are nearly orthogonal, as the paper notes; they are not orthogonalized).
 *
 * Defaults: `range = 1`, `steps = 21` (441 losses), `seed = 0`, normalization `'filter'` for
 * random directions and `'none'` for given ones.
 *
 * @example
 * const r = lossLandscape2D(model, X, y, { range: 1, steps: 21, seed: 1 });
 * const svg = contourSVG({ x: r.alphas, y: r.betas, z: r.losses }, { levels: 12, logLevels: true, marker: { point: [0, 0], label: 'trained' } });
 * Reference: Li et al. (2018), arXiv:1712.09913, section 4 and figure 5.
 */
export function lossLandscape2D(model: LandscapeModel, X: MatrixInput, y: Labels, options: Landscape2DOptions = {}): Landscape2D {
  const fn = 'lossLandscape2D';
  const o = checkOptions(fn, options, {
    ...COMMON_RULES,
    directions: { kind: 'array', minLength: 2, fix: 'Pass [delta, eta], each one array per parameter.' },
  });
  if (o.directions !== undefined && o.directions.length !== 2) {
    throw new RangeError(`${fn}: options.directions must be a pair [delta, eta], got ${o.directions.length} directions. Pass exactly two.`);
  }
  const setup = prepare(fn, model, X, o, 21);
  const rng = new Prng(o.seed ?? 0);
  const d = makeDirection(fn, 'options.directions[0]', setup, o.directions?.[0], rng, o.normalization);
  const e = makeDirection(fn, 'options.directions[1]', setup, o.directions?.[1], rng, o.normalization);
  const n = setup.alphas.length;
  const losses = new Float64Array(n * n);
  const centerLoss = sweep(setup, y, [d, e], [setup.alphas, setup.alphas], losses);
  return { alphas: setup.alphas, betas: setup.alphas.slice(), losses, centerLoss, directions: [d, e] };
}

// ------------------------------------------------------------------------------------------------

interface Setup {
  model: LandscapeModel;
  params: Param[];
  /** Per parameter: its filter count (columns), or 0 for a bias. */
  filters: number[];
  X: DataMatrix<Float32Array>;
  alphas: Float64Array;
}

function prepare(fn: string, model: LandscapeModel, Xin: MatrixInput, o: LandscapeOptions, defaultSteps: number): Setup {
  const m = model as unknown as Record<string, unknown>;
  if (m === null || typeof m !== 'object' || typeof m.parameters !== 'function' || typeof m.loss !== 'function') {
    throw new TypeError(`${fn}: model must have parameters() and loss(X, y), got ${describe(model)}. Pass a model such as new MLP({ layers: [4, 8, 3] }).`);
  }
  const params = model.parameters();
  if (!Array.isArray(params) || params.length === 0) {
    throw new RangeError(`${fn}: model.parameters() is empty, got ${describe(params)}; there are no weights to move.`);
  }
  params.forEach((p, i) => {
    if (p === null || typeof p !== 'object' || typeof p.size !== 'number') {
      throw new TypeError(`${fn}: model.parameters()[${i}] must be a parameter (with size and data), got ${describe(p)}.`);
    }
  });
  const filters = o.filters === undefined ? inferFilters(model, params) : checkFilters(fn, o.filters, params);
  const range = o.range ?? 1;
  const [lo, hi] = typeof range === 'number' ? [-range, range] : range;
  const steps = o.steps ?? defaultSteps;
  const alphas = new Float64Array(steps);
  for (let i = 0; i < steps; i++) alphas[i] = lo + ((hi - lo) * i) / (steps - 1);
  return { model, params, filters, X: toMatrix(fn, Xin), alphas };
}

/** X as a float32 { data, shape } matrix, the form every TrainableModel's loss takes (copied only when it is not one already). */
function toMatrix(fn: string, Xin: MatrixInput): DataMatrix<Float32Array> {
  if (Xin !== null && typeof Xin === 'object' && !Array.isArray(Xin) && (Xin as DataMatrix).data instanceof Float32Array) {
    viewTable(Xin, fn, 'X'); // checks the shape
    return Xin as DataMatrix<Float32Array>;
  }
  const v = viewTable(Xin, fn, 'X');
  const data = new Float32Array(v.rows * v.cols);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) data[i * v.cols + j] = v.get(i, j);
  return { data, shape: [v.rows, v.cols] };
}

const BIAS = /(^|[._])bias$/i;

function inferFilters(model: LandscapeModel, params: Param[]): number[] {
  const outputs = (model as { numOutputs?: unknown }).numOutputs;
  return params.map((p, i) => {
    const name = p.name ?? '';
    if (BIAS.test(name)) return 0;
    const next = params[i + 1];
    const prefix = name.replace(/weight$/i, '');
    if (name !== prefix && next?.name !== undefined && BIAS.test(next.name) && next.name.replace(/bias$/i, '') === prefix && next.size > 0 && p.size % next.size === 0) {
      return next.size;
    }
    if (typeof outputs === 'number' && Number.isInteger(outputs) && outputs > 0 && p.size % outputs === 0 && /weight$/i.test(name)) return outputs;
    return 1;
  });
}

function checkFilters(fn: string, filters: readonly number[], params: Param[]): number[] {
  if (filters.length !== params.length) {
    throw new RangeError(`${fn}: options.filters must have one entry per parameter (${params.length}), got ${filters.length} entries. Pass e.g. [${params.map((p) => (BIAS.test(p.name ?? '') ? 0 : 1)).join(', ')}].`);
  }
  return filters.map((k, i) => {
    if (k > 0 && params[i].size % k !== 0) {
      throw new RangeError(`${fn}: options.filters[${i}] must divide parameter ${i}'s size ${params[i].size} (it is read as a (size / k) × k matrix), got ${k}.`);
    }
    return k;
  });
}

/** A direction: the given one checked and copied, or a random one; then normalized. */
function makeDirection(fn: string, where: string, s: Setup, given: Direction | undefined, rng: Prng, normalization: Normalization | undefined): Float64Array[] {
  let d: Float64Array[];
  if (given !== undefined) {
    if (given.length !== s.params.length) {
      throw new RangeError(`${fn}: ${where} must hold one array per parameter (${s.params.length}), got ${given.length}. Pass arrays in parameters() order.`);
    }
    d = s.params.map((p, i) => {
      checkValue(fn, `${where}[${i}]`, given[i], { kind: 'array', arrayLike: true, fix: `Pass ${p.size} numbers.` });
      const a = given[i];
      if (a.length !== p.size) throw new RangeError(`${fn}: ${where}[${i}] must have ${p.size} numbers (the size of parameter ${i}${p.name ? ` '${p.name}'` : ''}), got ${a.length}.`);
      const out = Float64Array.from(a);
      const bad = out.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new RangeError(`${fn}: ${where}[${i}][${bad}] must be a finite number, got ${describe(a[bad])}.`);
      return out;
    });
  } else {
    d = s.params.map((p) => {
      const out = new Float64Array(p.size);
      for (let j = 0; j < out.length; j++) out[j] = rng.nextNormal();
      return out;
    });
  }
  const mode = normalization ?? (given === undefined ? 'filter' : 'none');
  if (mode !== 'none') normalize(d, s, mode);
  return d;
}

/** Li et al.'s normalize_directions_for_weights: per filter (or per parameter), d ← d · ‖w‖ / (‖d‖ + 1e-10); biases 0. */
function normalize(d: Float64Array[], s: Setup, mode: 'filter' | 'layer'): void {
  s.params.forEach((p, i) => {
    const di = d[i];
    const k = s.filters[i];
    if (k === 0) { di.fill(0); return; }
    const w = p.data;
    const cols = mode === 'filter' ? k : 1;
    const rows = di.length / cols;
    // mode 'layer': the whole parameter is one filter (a single column of all its elements).
    const at = mode === 'filter' ? (r: number, c: number) => r * cols + c : (r: number) => r;
    for (let c = 0; c < cols; c++) {
      let wn = 0, dn = 0;
      for (let r = 0; r < rows; r++) {
        const j = at(r, c);
        wn += w[j] * w[j];
        dn += di[j] * di[j];
      }
      const f = Math.sqrt(wn) / (Math.sqrt(dn) + 1e-10);
      for (let r = 0; r < rows; r++) di[at(r, c)] *= f;
    }
  });
}

/**
 * Evaluates the loss at the centre, then at every grid point (the last axis slowest), writing
 * θ + Σ a_k·d_k into the parameters; puts the saved weights back in `finally`.
 */
function sweep(s: Setup, y: Labels, dirs: Float64Array[][], axes: Float64Array[], out: Float64Array): number {
  const { model, params, X } = s;
  const saved = params.map((p) => p.toArray());
  try {
    const centerLoss = model.loss(X, y);
    const n = axes[0].length;
    for (let idx = 0; idx < out.length; idx++) {
      const a = axes[0][idx % n];
      const b = dirs.length > 1 ? axes[1][Math.floor(idx / n)] : 0;
      params.forEach((p, i) => {
        const w = p.data, w0 = saved[i], d = dirs[0][i], e = dirs.length > 1 ? dirs[1][i] : null;
        if (e) for (let j = 0; j < w.length; j++) w[j] = w0[j] + a * d[j] + b * e[j];
        else for (let j = 0; j < w.length; j++) w[j] = w0[j] + a * d[j];
      });
      out[idx] = model.loss(X, y);
    }
    return centerLoss;
  } finally {
    params.forEach((p, i) => p.data.set(saved[i]));
  }
}
