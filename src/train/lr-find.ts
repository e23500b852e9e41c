/**
 * lrFind(): fastai's learning-rate range test. The lr grows exponentially from startLr to endLr over
 * numIt mini-batches; the loss is smoothed (exponential moving average, debiased, beta 0.98); the
 * test stops when the smoothed loss exceeds 4× the best seen or becomes NaN. The model's
 * parameters and the optimizer's state are put back afterwards.
 */
import { viewTable, type MatrixInput } from '../data/matrix.js';
import { fitDetailed } from './fit.js';
import { DivergenceError } from './errors.js';
import { resolveOptimizer, type OptimizerSpec } from './optimizer-spec.js';
import { describe } from '../util/describe.js';
import { BOOLEAN, COUNT, SEED, checkOptions } from '../util/options.js';
import type { Labels, Scheduler, TrainableModel } from './types.js';

export interface LrFindOptions {
  startLr?: number;
  endLr?: number;
  numIt?: number;
  /** Stop when the smoothed loss passes 4× the best, or is NaN (default true). */
  stopDiv?: boolean;
  batchSize?: number;
  /** Default { name: 'sgd', momentum: 0.9 } (the lr is overridden at every batch). */
  optimizer?: OptimizerSpec;
  seed?: number;
  /** Smoothing factor of the loss average (default 0.98, fastai's). */
  beta?: number;
}

export interface LrFindResult {
  lrs: number[];
  /** Smoothed losses, one per lr. */
  losses: number[];
  /** Raw mini-batch losses. */
  rawLosses: number[];
  /** fastai's suggestions: valley (default), steepest descent, and the minimum's lr / 10. */
  suggestion: { valley: number; steepest: number; minimum: number };
}

/**
 * Runs the range test and suggests learning rates.
 * @example
 * const r = lrFind(model, X, y, { startLr: 1e-7, endLr: 10, numIt: 100 });
 * r.suggestion.valley; // a good lr to start from
 * lossCurveSVG([{ label: 'loss', x: r.lrs, values: r.losses }], { logX: true });
 */
export function lrFind(model: TrainableModel, X: MatrixInput, y: Labels, options: LrFindOptions = {}): LrFindResult {
  const fn = 'lrFind';
  checkOptions(fn, options, {
    startLr: { kind: 'number', min: 0, minOpen: true, fix: 'Pass a small learning rate such as 1e-7.' },
    endLr: { kind: 'number', min: 0, minOpen: true, fix: 'Pass a large learning rate such as 10.' },
    numIt: { kind: 'number', integer: true, min: 2 },
    stopDiv: BOOLEAN,
    batchSize: COUNT,
    optimizer: {
      kind: 'custom', want: "an optimizer instance, a name such as 'sgd', or { name, ...options }",
      test: (v) => typeof v === 'string' || (v !== null && typeof v === 'object' && (typeof (v as { step?: unknown }).step === 'function' || typeof (v as { name?: unknown }).name === 'string')),
    },
    seed: SEED,
    beta: { kind: 'number', min: 0, max: 1, maxOpen: true, fix: "Pass fastai's 0.98." },
  });
  const { startLr = 1e-7, endLr = 10, numIt = 100, stopDiv = true, batchSize = 32, seed = 0, beta = 0.98 } = options;
  if (!(endLr > startLr)) throw new RangeError(`${fn}: options.endLr must be > options.startLr, got startLr ${startLr} and endLr ${endLr}`);
  if (model === null || typeof model !== 'object' || typeof (model as { parameters?: unknown }).parameters !== 'function') {
    throw new TypeError(`${fn}: model must be a model (with parameters() and lossAndGrad()), got ${describe(model)}`);
  }

  const params = model.parameters();
  const saved = params.map((p) => p.toArray());
  const spec = options.optimizer ?? { name: 'sgd', lr: startLr, momentum: 0.9 };
  const owned = !(typeof spec === 'object' && typeof (spec as { step?: unknown }).step === 'function');
  const optimizer = resolveOptimizer(spec, params);
  const optSaved = optimizer.stateDict();
  const lrAt = (i: number) => startLr * (endLr / startLr) ** (i / numIt);
  const setLr = (lr: number) => optimizer.paramGroups.forEach((g) => (g.lr = lr));

  const lrs: number[] = [], losses: number[] = [], rawLosses: number[] = [];
  let it = 0, avg = 0, best = Infinity;
  const schedule: Scheduler = {
    optimizer,
    stepsPerBatch: true,
    requiresMetric: false,
    step: () => setLr(lrAt(++it)),
    getLastLr: () => optimizer.paramGroups.map((g) => g.lr),
    stateDict: () => ({ scheduler: 'lrFind', it }),
    loadStateDict: () => {},
  };
  const rows = viewTable(X, fn, 'X').rows;
  const perEpoch = Math.max(1, Math.ceil(rows / Math.min(batchSize, Math.max(1, rows))));
  setLr(lrAt(0));
  try {
    fitDetailed(model, X, y, {
      optimizer, scheduler: schedule, batchSize, seed, maxEpochs: Math.ceil(numIt / perEpoch),
      onBatchEnd: ({ loss, lr }) => {
        const n = rawLosses.length + 1;
        avg = beta * avg + (1 - beta) * loss;
        const smooth = avg / (1 - beta ** n);
        lrs.push(lr);
        rawLosses.push(loss);
        losses.push(smooth);
        if (smooth < best) best = smooth;
        if (stopDiv && (smooth > 4 * best || Number.isNaN(smooth))) return false;
        return lrs.length < numIt;
      },
    });
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
  } finally {
    params.forEach((p, i) => p.data.set(saved[i]));
    if (owned) optimizer.dispose?.();
    else optimizer.loadStateDict(optSaved);
  }
  return { lrs, losses, rawLosses, suggestion: suggest(lrs, losses, numIt) };
}

/** fastai 2.7's suggestion functions, on the curve without its first tenth and last five points. */
export function suggest(lrsAll: number[], lossesAll: number[], numIt: number): LrFindResult['suggestion'] {
  let lo = Math.floor(numIt / 10), hi = lrsAll.length - 5;
  if (hi - lo < 2) { lo = 0; hi = lrsAll.length; }
  const lrs = lrsAll.slice(lo, hi), losses = lossesAll.slice(lo, hi);
  if (lrs.length === 0) return { valley: NaN, steepest: NaN, minimum: NaN };
  let iMin = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i] < losses[iMin]) iMin = i;
  let iSteep = 0, gMin = Infinity;
  for (let i = 0; i + 1 < losses.length; i++) {
    const g = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
    if (g < gMin) { gMin = g; iSteep = i; }
  }
  // valley: the longest decreasing run (longest decreasing subsequence ending at each point), then
  // a point 1/3 + 1/6 of the way along it.
  const n = losses.length, lds = new Array(n).fill(1);
  let maxStart = 0, maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i] < losses[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      if (lds[maxEnd] < lds[i]) { maxEnd = i; maxStart = maxEnd - lds[maxEnd]; }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const iValley = Math.max(0, Math.min(n - 1, maxStart + Math.floor(sections) + Math.floor(sections / 2)));
  return { valley: lrs[iValley], steepest: lrs[iSteep], minimum: lrs[iMin] / 10 };
}
