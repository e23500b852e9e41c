/**
 * minimize's options: their rules (checked by the library's one option checker, src/util/options.ts,
 * which refuses unknown names with a suggestion: `maxiter` → `maxIter`) and which methods use them
 * (an option of another method, `betas` with 'gd', is refused naming the methods that take it). The
 * values of the first-order methods' own options (lr, momentum, betas, ...) are checked by the
 * optimizer class each method runs (see first-order.ts), so that `minimize` and `SGD` / `Adam` /
 * `RMSprop` / `Adagrad` accept and refuse the same values at every size.
 */
import { checkOptions, type NumberRule, type Rule, type Rules } from '../util/options.js';
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
  autodiff: 'all',
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

/** Names scipy.optimize.minimize and torch use for minimize's options (the library's table has the common ones). */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  stepsize: ['lr'], gtol: ['tol'], xtol: ['toleranceChange'], maxfev: ['maxEval'], maxfun: ['maxEval'],
  jac: ['grad'], gradient: ['grad'], hessian: ['hess'], linesearchfn: ['lineSearch'], solver: ['method'], history: ['historySize'],
};

const NUM = (rule: Omit<NumberRule, 'kind'>): NumberRule => ({ kind: 'number', ...rule });
const WHOLE0 = NUM({ integer: true, min: 0 }), WHOLE1 = NUM({ integer: true, min: 1 });
/** The first-order methods' own options: checked by the optimizer class each runs (first-order.ts). */
const BY_CLASS: Rule = { kind: 'any' };

/** The value rules of minimize's options for `method` (c1 bounds c2 from below). */
function rules(method: MinimizeMethod, c1: unknown): Rules {
  const firstOrder = (FIRST_ORDER_METHODS as readonly string[]).includes(method);
  const lineSearch: readonly string[] = method === 'gd-linesearch' ? ['armijo', 'strong-wolfe'] : ['strong-wolfe', 'none'];
  return {
    method: { kind: 'enum', values: MINIMIZE_METHODS },
    grad: { kind: 'function' },
    hess: { kind: 'function' },
    autodiff: { kind: 'boolean' },
    callback: { kind: 'function' },
    maxIter: WHOLE0,
    tol: NUM({ min: 0, infinite: true }),
    fTol: NUM({ min: 0, max: 1, maxOpen: true }),
    signal: {
      kind: 'custom', want: 'an AbortSignal (e.g. new AbortController().signal)',
      test: (v) => v !== null && typeof v === 'object' && typeof (v as AbortSignal).aborted === 'boolean',
    },
    recordX: { kind: 'boolean' },
    useKernels: { kind: 'enum', values: [true, false, 'auto'] },
    lr: firstOrder ? BY_CLASS : NUM({ min: 0, minOpen: true }),
    momentum: BY_CLASS, dampening: BY_CLASS, betas: BY_CLASS, eps: BY_CLASS, amsgrad: BY_CLASS,
    alpha: BY_CLASS, centered: BY_CLASS, lrDecay: BY_CLASS, initialAccumulatorValue: BY_CLASS,
    lineSearch: { kind: 'enum', values: lineSearch, fix: `Method '${method}' takes ${lineSearch.map((l) => `'${l}'`).join(' or ')}.` },
    c1: NUM({ min: 0, minOpen: true, max: 1, maxOpen: true }),
    c2: NUM({ min: typeof c1 === 'number' ? c1 : 1e-4, minOpen: true, max: 1, maxOpen: true, fix: 'c2 must lie between c1 and 1 (default 0.9).' }),
    shrink: NUM({ min: 0, minOpen: true, max: 1, maxOpen: true }),
    maxLineSearch: WHOLE1,
    historySize: WHOLE1,
    toleranceGrad: NUM({ min: 0, infinite: true }),
    toleranceChange: NUM({ min: 0, infinite: true }),
    maxEval: WHOLE1,
    seed: NUM({}),
    bounds: { kind: 'any' }, // checked against x0 by checkBounds
    stepScale: NUM({ min: 0, minOpen: true }),
  } satisfies Record<keyof MinimizeOptions, Rule>;
}

/** Each method's rules with c1 at its default, made once (minimize is called in loops). */
const DEFAULT_RULES = new Map<MinimizeMethod, Rules>();

function rulesFor(method: MinimizeMethod, c1: unknown): Rules {
  if (c1 !== undefined) return rules(method, c1);
  let r = DEFAULT_RULES.get(method);
  if (r === undefined) DEFAULT_RULES.set(method, (r = rules(method, undefined)));
  return r;
}

/**
 * Checks minimize's options with the library's option checker: unknown names are refused with the
 * closest known one (TypeError), values against their rules; then an option of another method is
 * refused naming the methods that use it (RangeError). Options set to undefined count as not given.
 * The first-order methods' own options are left to the optimizer class (see first-order.ts).
 */
export function checkMinimizeOptions(options: MinimizeOptions): MinimizeMethod {
  const given = options as unknown;
  const asked = given !== null && typeof given === 'object' ? (given as MinimizeOptions).method : undefined;
  const method: MinimizeMethod = asked ?? 'lbfgs';
  const r = rulesFor(MINIMIZE_METHODS.includes(method) ? method : 'lbfgs', (given as MinimizeOptions | null)?.c1);
  if (given === null || typeof given !== 'object' || Array.isArray(given)) checkOptions('minimize', options, r); // throws: not an object
  if (MINIMIZE_METHODS.includes(method)) {
    for (const [key, value] of Object.entries(options)) {
      const users = (OPTION_METHODS as Record<string, 'all' | readonly MinimizeMethod[] | undefined>)[key];
      if (value === undefined || users === undefined || users === 'all' || users.includes(method)) continue;
      throw new RangeError(
        `minimize: options.${key} does not apply to method '${method}'; it is used by ${users.map((m) => `'${m}'`).join(', ')}. Remove it, or pick one of those methods.`,
      );
    }
  }
  checkOptions('minimize', options, r, { aliases: ALIASES });
  return method;
}
