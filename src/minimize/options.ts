/**
 * Which options `minimize` knows and which methods use them: unknown names are refused with a
 * suggestion (`maxiter` → `maxIter`), and an option of another method (`betas` with 'gd') is refused
 * naming the methods that take it. The values of the first-order methods' own options (lr, momentum,
 * betas, ...) are checked by the optimizer class each method runs (see first-order.ts), so that
 * `minimize` and `SGD` / `Adam` / `RMSprop` / `Adagrad` accept and refuse the same values at every size.
 */
import { FIRST_ORDER_METHODS, FIRST_ORDER_OPTIONS, type FirstOrderMethod } from './first-order.js';
import type { MinimizeOptions } from './minimize.js';

export type MinimizeMethod =
  | FirstOrderMethod
  | 'gd-linesearch'
  | 'newton'
  | 'lbfgs'
  | 'random-search'
  | 'random-local-search';

export const MINIMIZE_METHODS: readonly MinimizeMethod[] = [
  ...FIRST_ORDER_METHODS,
  'gd-linesearch',
  'newton',
  'lbfgs',
  'random-search',
  'random-local-search',
];

const LINE_SEARCH: readonly MinimizeMethod[] = ['gd-linesearch', 'newton'];
const RANDOM: readonly MinimizeMethod[] = ['random-search', 'random-local-search'];

/** Methods using each first-order option, from first-order.ts's table. */
function firstOrderUsers(option: string): MinimizeMethod[] {
  return FIRST_ORDER_METHODS.filter((m) => (FIRST_ORDER_OPTIONS[m] as readonly string[]).includes(option));
}

/**
 * Every option `minimize` takes, with the methods that use it. 'all': the problem (grad, hess,
 * bounds: what f is, which a method may or may not need) and the run (iterations, tolerances,
 * callback, signal, history) go with every method; the rest tune one method and are refused elsewhere.
 */
export const OPTION_METHODS: Readonly<Record<keyof MinimizeOptions, 'all' | readonly MinimizeMethod[]>> = {
  method: 'all',
  grad: 'all',
  hess: 'all',
  maxIter: 'all',
  tol: 'all',
  fTol: 'all',
  callback: 'all',
  signal: 'all',
  recordX: 'all',
  useKernels: FIRST_ORDER_METHODS,
  lr: [...FIRST_ORDER_METHODS, 'gd-linesearch', 'lbfgs'],
  momentum: firstOrderUsers('momentum'),
  dampening: firstOrderUsers('dampening'),
  betas: firstOrderUsers('betas'),
  eps: firstOrderUsers('eps'),
  amsgrad: firstOrderUsers('amsgrad'),
  alpha: firstOrderUsers('alpha'),
  centered: firstOrderUsers('centered'),
  lrDecay: firstOrderUsers('lrDecay'),
  initialAccumulatorValue: firstOrderUsers('initialAccumulatorValue'),
  lineSearch: ['gd-linesearch', 'lbfgs'],
  c1: LINE_SEARCH,
  c2: ['gd-linesearch'],
  shrink: LINE_SEARCH,
  maxLineSearch: LINE_SEARCH,
  historySize: ['lbfgs'],
  toleranceGrad: ['lbfgs'],
  toleranceChange: ['lbfgs'],
  maxEval: ['lbfgs'],
  seed: RANDOM,
  bounds: 'all',
  stepScale: RANDOM,
};

/** Names people reach for from other libraries (scipy, torch, Keras) → ours. */
const ALIASES: Readonly<Record<string, string>> = {
  learningrate: 'lr', stepsize: 'lr', maxiterations: 'maxIter', iterations: 'maxIter', maxsteps: 'maxIter',
  gtol: 'tol', tolerance: 'tol', ftol: 'fTol', xtol: 'toleranceChange', maxfev: 'maxEval', maxfun: 'maxEval',
  jac: 'grad', gradient: 'grad', hessian: 'hess', linesearchfn: 'lineSearch', beta1: 'betas', beta2: 'betas',
  epsilon: 'eps', rho: 'alpha', decay: 'lrDecay', nesterov: 'method', solver: 'method', history: 'historySize',
};

const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The known name closest to `key`: same letters ignoring case, '-' and '_', an alias, or at most 2 edits away. */
export function suggestName(key: string, known: readonly string[]): string | null {
  const k = fold(key);
  const same = known.find((n) => fold(n) === k);
  if (same) return same;
  if (ALIASES[k] && known.includes(ALIASES[k])) return ALIASES[k];
  let best: string | null = null, bestD = 3;
  for (const n of known) {
    const d = editDistance(k, fold(n));
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

/**
 * Refuses option names `minimize` does not know (TypeError with the closest name) and options of
 * other methods (RangeError naming the methods that use it). Options set to undefined count as not given.
 */
export function checkOptionNames(options: object, method: MinimizeMethod): void {
  const known = Object.keys(OPTION_METHODS);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const users = (OPTION_METHODS as Record<string, 'all' | readonly MinimizeMethod[] | undefined>)[key];
    if (users === undefined) {
      const near = suggestName(key, known);
      throw new TypeError(
        `minimize: unknown option ${JSON.stringify(key)}.${near ? ` Did you mean ${near}?` : ''} The options are ${known.join(', ')}.`,
      );
    }
    if (users !== 'all' && !users.includes(method)) {
      throw new RangeError(
        `minimize: options.${key} does not apply to method '${method}'; it is used by ${users.map((m) => `'${m}'`).join(', ')}. Remove it, or pick one of those methods.`,
      );
    }
  }
}
