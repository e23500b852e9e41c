/**
 * The one option checker. Every public function that takes options declares a rule per option and
 * calls {@link checkOptions}: a non-object is refused, an unknown name is a TypeError that lists the
 * valid names and suggests the closest one (`batch_size` → `batchSize`, `epochs` → `maxEpochs`,
 * `learningRate` → `lr`), and each value is checked against its rule with a message of one form:
 *
 *     <function>: options.<name> must be <rule>, got <value as passed>. <fix>
 *
 * Nested options (`earlyStopping: { patience }`) are checked recursively with their path in the
 * message (`fit: options.earlyStopping.patiense`). {@link checkValue} checks one value against a rule
 * where the value is not in an options object (an optimizer's group option, a scheduler's argument).
 */
import { describe } from './describe.js';

interface RuleBase {
  /** The option must be given (undefined is refused). Default false. */
  required?: boolean;
  /** How to fix a bad value, appended to the message, e.g. "Pass a learning rate such as 1e-3." */
  fix?: string;
}

/** A number, optionally bounded, whole, or allowed to be +Infinity. NaN is always refused. */
export interface NumberRule extends RuleBase {
  kind: 'number';
  /** Lower bound (inclusive unless minOpen). */
  min?: number;
  minOpen?: boolean;
  /** Upper bound (inclusive unless maxOpen). */
  max?: number;
  maxOpen?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
  /** Allow +Infinity (e.g. a step-size ceiling). */
  infinite?: boolean;
}

/** true or false, nothing truthy or falsy. */
export interface BooleanRule extends RuleBase {
  kind: 'boolean';
}

/** A string. */
export interface StringRule extends RuleBase {
  kind: 'string';
  /** Refuse ''. */
  nonEmpty?: boolean;
}

/** One of a fixed list of values (compared with ===). */
export interface EnumRule extends RuleBase {
  kind: 'enum';
  values: readonly (string | number | boolean)[];
}

/** A function (a callback). */
export interface FunctionRule extends RuleBase {
  kind: 'function';
}

/** A nested options object, checked recursively with its own rules (unknown names refused). */
export interface ObjectRule extends RuleBase {
  kind: 'object';
  rules: Rules;
  aliases?: Readonly<Record<string, readonly string[]>>;
}

/** Two numbers, each with its rule, plus an optional cross-check. */
export interface PairRule extends RuleBase {
  kind: 'pair';
  items: readonly [NumberRule, NumberRule];
  /** A cross-check on both values; returns the reason it fails (e.g. "must have min <= max"), or null. */
  check?: (a: number, b: number) => string | null;
}

/** An array (or any array-like when `arrayLike`) whose items follow `item`. */
export interface ArrayRule extends RuleBase {
  kind: 'array';
  item?: Rule;
  minLength?: number;
  /** Accept typed arrays too. */
  arrayLike?: boolean;
}

/** Any of several rules (e.g. `'full'` or a whole number); `want` says what is accepted. */
export interface AnyOfRule extends RuleBase {
  kind: 'anyOf';
  rules: readonly Rule[];
  want: string;
}

/**
 * A test the other kinds cannot express (an AbortSignal, an optimizer instance): `test` returns
 * true, or false for a TypeError, or a string saying why the value is out of range (a RangeError).
 */
export interface CustomRule extends RuleBase {
  kind: 'custom';
  want: string;
  test: (v: unknown) => boolean | string;
}

/** Accepted as is: the value is checked elsewhere (e.g. a checkpoint, checked by its loader). */
export interface AnyRule extends RuleBase {
  kind: 'any';
}

export type Rule = NumberRule | BooleanRule | StringRule | EnumRule | FunctionRule | ObjectRule | PairRule | ArrayRule | AnyOfRule | CustomRule | AnyRule;
export type Rules = Readonly<Record<string, Rule>>;

// ---------------------------------------------------------------------------------------------
// Names: suggestions for unknown options.

/** An alias table from rows [candidates, ...names]: each name maps to the candidates, in order. */
function aliasTable(rows: ReadonlyArray<readonly [readonly string[], ...string[]]>): Record<string, readonly string[]> {
  return Object.fromEntries(rows.flatMap(([to, ...names]) => names.map((n) => [n, to])));
}

/**
 * Names other libraries (PyTorch, Keras, scikit-learn, TF.js) or earlier habits use for our options;
 * the first candidate that the function knows is suggested.
 */
export const OPTION_ALIASES: Readonly<Record<string, readonly string[]>> = aliasTable([
  [['maxEpochs', 'maxIter'], 'epochs'],
  [['maxEpochs'], 'nepochs', 'numepochs', 'maxepoch'],
  [['maxIter', 'maxEpochs'], 'maxiter', 'maxiterations'],
  [['maxIter', 'maxEpochs', 'numIt'], 'iterations', 'niter'],
  [['lr'], 'learningrate', 'learningrateinit', 'eta', 'eta0'],
  [['lr', 'alpha'], 'alpha'],
  [['batchSize'], 'batch', 'minibatchsize', 'minibatch'],
  [['seed'], 'randomstate', 'rngseed', 'randomseed'],
  [['onEpochEnd', 'onBatchEnd'], 'callbacks'],
  [['onEpochEnd', 'onBatchEnd', 'callback'], 'callback'],
  [['validationSplit'], 'validationfraction', 'valsplit'],
  [['validationData', 'validationSplit'], 'validation'],
  [['validationData'], 'valdata'],
  [['testSize'], 'ntestsize', 'testratio', 'testfraction'],
  [['nClasses'], 'numclasses', 'classes', 'nclasses'],
  [['nFeatures'], 'numfeatures', 'inputdim', 'features'],
  [['nFeatures', 'layers'], 'inputs'],
  [['nOutputs'], 'outputs', 'numoutputs'],
  [['layers'], 'hiddenlayersizes', 'hiddenlayers', 'sizes'],
  [['betas'], 'beta1', 'beta2'],
  [['weightDecay', 'gamma'], 'decay'],
  [['weightDecay', 'alpha'], 'l2'],
  [['penalty'], 'regularization'],
  [['fitIntercept'], 'intercept'],
  [['clipGradNorm'], 'gradclip', 'clipnorm', 'gradientclipping'],
  [['earlyStopping'], 'earlystop'],
  [['patience', 'earlyStopping'], 'patience'],
  [['tol', 'gtol'], 'tolerance'],
  [['eps'], 'epsilon'],
  [['verbose'], 'verbosity'],
  [['log'], 'logger'],
]);

/** Lower case without '_', '-' and spaces: `batch_size`, `Batch-Size` and `batchSize` compare equal. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Edit distance counting an adjacent transposition ("patinece") as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The valid name closest to `name`, or undefined: the same name up to case, '_' and '-'
 * (`batch_size` → `batchSize`), an alias from another library (`epochs` → `maxEpochs`), a name
 * within a few edits (`patiense` → `patience`), or a name that contains it (`Epochs` in `maxEpochs`).
 * @example
 * suggestName('batch_size', ['batchSize', 'maxEpochs']); // 'batchSize'
 */
export function suggestName(name: string, valid: readonly string[], aliases: Readonly<Record<string, readonly string[]>> = {}): string | undefined {
  const n = normalize(name);
  const exact = valid.find((v) => normalize(v) === n);
  if (exact !== undefined) return exact;
  for (const table of [aliases, OPTION_ALIASES]) {
    const hit = table[n] ?? table[name];
    const found = hit?.find((c) => valid.includes(c));
    if (found !== undefined) return found;
  }
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(n, normalize(v));
    if (d < bestD) { bestD = d; best = v; }
  }
  if (best !== undefined && bestD <= Math.max(1, Math.floor(n.length / 3))) return best;
  if (n.length >= 3) {
    const prefixed = valid.find((v) => normalize(v).startsWith(n));
    if (prefixed !== undefined) return prefixed;
  }
  if (n.length >= 4) {
    const containing = valid.find((v) => normalize(v).includes(n) || (n.includes(normalize(v)) && normalize(v).length >= 4));
    if (containing !== undefined) return containing;
  }
  return undefined;
}

/**
 * The TypeError for an unknown option name, listing the valid names and suggesting the closest.
 * `where` is the path of the options object (`options`, `options.earlyStopping`, `paramGroups[1]`).
 */
export function unknownOptionError(fn: string, where: string, name: string, valid: readonly string[], aliases?: Readonly<Record<string, readonly string[]>>): TypeError {
  const hint = suggestName(name, valid, aliases);
  return new TypeError(
    `${fn}: unknown option ${where}.${name}.` +
      (hint !== undefined ? ` Did you mean ${hint}?` : '') +
      ` The options ${where === 'options' ? '' : `of ${where} `}are: ${valid.join(', ')}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Values.

function numberText(r: NumberRule): string {
  const whole = r.integer ? 'a whole number' : `a ${r.infinite ? '' : 'finite '}number`;
  if (r.min !== undefined && r.max !== undefined && !r.integer) {
    return `in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
  }
  const lo = r.min === undefined ? null : `${r.minOpen ? '>' : '>='} ${r.min}`;
  const hi = r.max === undefined ? null : `${r.maxOpen ? '<' : '<='} ${r.max}`;
  return `${whole} ${[lo, hi].filter(Boolean).join(' and ')}`.trim();
}

/** What a rule accepts, as a phrase: "a whole number >= 1", "true or false", "one of 'min', 'max'". */
export function ruleText(rule: Rule): string {
  switch (rule.kind) {
    case 'number': return numberText(rule);
    case 'boolean': return 'true or false';
    case 'string': return rule.nonEmpty ? 'a non-empty string' : 'a string';
    case 'enum': return rule.values.length === 1 ? describe(rule.values[0]) : `one of ${rule.values.map((v) => describe(v)).join(', ')}`;
    case 'function': return 'a function';
    case 'object': return 'an object';
    case 'pair': return 'an array of two numbers';
    case 'array': return rule.item ? `an array (each item ${ruleText(rule.item)})` : 'an array';
    case 'anyOf': return rule.want;
    case 'custom': return rule.want;
    case 'any': return 'anything';
  }
}

function fail(Err: typeof TypeError | typeof RangeError, fn: string, where: string, want: string, v: unknown, fix: string | undefined): never {
  throw new Err(`${fn}: ${where} must be ${want}, got ${describe(v)}.${fix ? ` ${fix}` : ''}`);
}

/** Checks a number against its rule (TypeError for a non-number, RangeError for NaN or out of bounds). */
export function checkNumber(fn: string, where: string, v: unknown, r: NumberRule): number {
  if (typeof v !== 'number') fail(TypeError, fn, where, r.integer ? 'a whole number' : 'a number', v, r.fix);
  const bad =
    Number.isNaN(v) ||
    (!Number.isFinite(v) && !(r.infinite && v === Infinity)) ||
    (r.integer === true && !Number.isInteger(v) && !(r.infinite && v === Infinity)) ||
    (r.min !== undefined && (r.minOpen ? !(v > r.min) : !(v >= r.min))) ||
    (r.max !== undefined && (r.maxOpen ? !(v < r.max) : !(v <= r.max)));
  if (bad) fail(RangeError, fn, where, numberText(r), v, r.fix);
  return v;
}

function accepts(rule: Rule, v: unknown): boolean {
  try {
    checkValue('', '', v, rule);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one value against its rule and returns it (pairs and arrays as given). `where` names it in
 * the message (`options.batchSize`, `paramGroups[0].lr`). Undefined is accepted unless the rule is
 * `required` (callers read their defaults with `??`).
 * @example
 * checkValue('fit', 'options.seed', 1.5, { kind: 'number', integer: true }); // throws RangeError: fit: options.seed must be a whole number, got 1.5.
 */
export function checkValue(fn: string, where: string, v: unknown, rule: Rule, required = false): unknown {
  if (v === undefined) {
    if (required || rule.required) fail(TypeError, fn, where, ruleText(rule), v, rule.fix);
    return v;
  }
  switch (rule.kind) {
    case 'any':
      return v;
    case 'number':
      return checkNumber(fn, where, v, rule);
    case 'boolean':
      if (typeof v !== 'boolean') fail(TypeError, fn, where, 'true or false', v, rule.fix);
      return v;
    case 'string':
      if (typeof v !== 'string') fail(TypeError, fn, where, ruleText(rule), v, rule.fix);
      if (rule.nonEmpty && v === '') fail(RangeError, fn, where, ruleText(rule), v, rule.fix);
      return v;
    case 'function':
      if (typeof v !== 'function') fail(TypeError, fn, where, 'a function', v, rule.fix);
      return v;
    case 'enum': {
      if (rule.values.includes(v as string)) return v;
      const sameType = rule.values.some((x) => typeof x === typeof v);
      const hint = typeof v === 'string' ? suggestName(v, rule.values.filter((x): x is string => typeof x === 'string')) : undefined;
      const fix = [hint !== undefined ? `Did you mean ${describe(hint)}?` : '', rule.fix ?? ''].filter(Boolean).join(' ');
      return fail(sameType ? RangeError : TypeError, fn, where, ruleText(rule), v, fix || undefined);
    }
    case 'object':
      checkOptionsAt(fn, where, v, rule.rules, rule.aliases, rule.fix);
      return v;
    case 'pair': {
      if (!Array.isArray(v) || v.length !== 2) fail(TypeError, fn, where, 'an array of two numbers', v, rule.fix);
      const a = checkNumber(fn, `${where}[0]`, v[0], rule.items[0]);
      const b = checkNumber(fn, `${where}[1]`, v[1], rule.items[1]);
      const why = rule.check?.(a, b);
      if (why) throw new RangeError(`${fn}: ${where} ${why}, got ${describe(v)}.${rule.fix ? ` ${rule.fix}` : ''}`);
      return v;
    }
    case 'array': {
      const ok = Array.isArray(v) || (rule.arrayLike === true && ArrayBuffer.isView(v) && !(v instanceof DataView));
      if (!ok) fail(TypeError, fn, where, ruleText(rule), v, rule.fix);
      const a = v as ArrayLike<unknown>;
      if (rule.minLength !== undefined && a.length < rule.minLength) {
        fail(RangeError, fn, where, `${ruleText(rule)} with at least ${rule.minLength} item${rule.minLength === 1 ? '' : 's'}`, v, rule.fix);
      }
      if (rule.item) for (let i = 0; i < a.length; i++) checkValue(fn, `${where}[${i}]`, a[i], rule.item);
      return v;
    }
    case 'anyOf': {
      // only the alternatives of v's kind can take it (the others would throw, which costs)
      for (const r of rule.rules) if (mayTake(r, v) && accepts(r, v)) return v;
      // A value of a kind one alternative takes but out of its range gets that alternative's message.
      const near = rule.rules.find((r) => sameKind(r, v));
      if (near && rule.rules.length > 0) {
        try {
          checkValue(fn, where, v, { ...near, fix: near.fix ?? rule.fix });
        } catch (e) {
          if (e instanceof RangeError) fail(RangeError, fn, where, rule.want, v, rule.fix);
        }
      }
      return fail(TypeError, fn, where, rule.want, v, rule.fix);
    }
    case 'custom': {
      const r = rule.test(v);
      if (r === true) return v;
      if (typeof r === 'string') throw new RangeError(`${fn}: ${where} ${r}, got ${describe(v)}.${rule.fix ? ` ${rule.fix}` : ''}`);
      return fail(TypeError, fn, where, rule.want, v, rule.fix);
    }
  }
}

/** False when rule `r` refuses v for its type alone (a cheap test before the checking one, which throws). */
function mayTake(r: Rule, v: unknown): boolean {
  switch (r.kind) {
    case 'array': return Array.isArray(v) || ArrayBuffer.isView(v);
    case 'pair': return Array.isArray(v);
    case 'object': return v !== null && typeof v === 'object';
    case 'any': case 'anyOf': case 'custom': return true;
    default: return sameKind(r, v);
  }
}

function sameKind(r: Rule, v: unknown): boolean {
  switch (r.kind) {
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string';
    case 'enum': return r.values.some((x) => typeof x === typeof v);
    case 'function': return typeof v === 'function';
    default: return false;
  }
}

/** Built-in objects whose entries are not own properties (a Map of options would read as empty). */
function isBuiltinNonPlain(o: object): boolean {
  return o instanceof Map || o instanceof Set || o instanceof WeakMap || o instanceof Date || o instanceof RegExp ||
    o instanceof Promise || o instanceof Error || o instanceof ArrayBuffer || ArrayBuffer.isView(o);
}

function checkOptionsAt(
  fn: string, where: string, options: unknown, rules: Rules,
  aliases?: Readonly<Record<string, readonly string[]>>, fix?: string,
): void {
  const names = ruleNames(rules);
  if (options === null || typeof options !== 'object' || Array.isArray(options) || isBuiltinNonPlain(options)) {
    const example = names.length ? `{ ${names[0]}: … }` : '{}';
    fail(TypeError, fn, where, `an object such as ${example}`, options, fix);
  }
  const o = options as Record<string, unknown>;
  const given = Object.keys(o);
  for (const key of given) {
    // A key set to undefined means "not given" (as with spread defaults), whatever its name.
    if (!Object.prototype.hasOwnProperty.call(rules, key) && o[key] !== undefined) {
      throw unknownOptionError(fn, where, key, names, aliases);
    }
  }
  // Only given values are checked (then a missing required one): the work and the names in
  // messages go with the options given, not with every rule (minimize has some thirty, in loops).
  for (const key of given) {
    const v = o[key];
    if (v !== undefined) checkValue(fn, `${where}.${key}`, v, rules[key]);
  }
  for (const key of requiredNames(rules)) if (o[key] === undefined) checkValue(fn, `${where}.${key}`, undefined, rules[key]);
}

/** Rule tables are made once and reused: their names and required names, worked out once each. */
const NAMES = new WeakMap<Rules, { all: string[]; required: string[] }>();

function namesOf(rules: Rules): { all: string[]; required: string[] } {
  let n = NAMES.get(rules);
  if (n === undefined) {
    const all = Object.keys(rules);
    NAMES.set(rules, (n = { all, required: all.filter((k) => rules[k].required === true) }));
  }
  return n;
}

const ruleNames = (rules: Rules): string[] => namesOf(rules).all;
const requiredNames = (rules: Rules): string[] => namesOf(rules).required;

/**
 * Checks an options object: undefined is an empty object; anything but a plain object is a
 * TypeError; every key must have a rule (else a TypeError listing the names and suggesting the
 * closest; a key whose value is undefined counts as not given); every value is checked against
 * its rule. Returns the options (not copied), or `{}`.
 * @example
 * checkOptions('fit', { batch_size: 8 }, { batchSize: { kind: 'number', integer: true, min: 1 } });
 * // throws TypeError: fit: unknown option options.batch_size. Did you mean batchSize? The options are: batchSize.
 */
export function checkOptions<T extends object>(
  fn: string, options: T | undefined, rules: Rules,
  settings: { aliases?: Readonly<Record<string, readonly string[]>>; where?: string } = {},
): T {
  const o = options === undefined ? ({} as T) : options;
  checkOptionsAt(fn, settings.where ?? 'options', o, rules, settings.aliases);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Rules many functions share.

/** A seed: a whole number (any sign; the PRNG folds it to 32 bits). */
export const SEED: NumberRule = { kind: 'number', integer: true, fix: 'Pass a whole number such as 42.' };
/** A whole number >= 1. */
export const COUNT: NumberRule = { kind: 'number', integer: true, min: 1 };
/** A whole number >= 0. */
export const COUNT0: NumberRule = { kind: 'number', integer: true, min: 0 };
export const BOOLEAN: BooleanRule = { kind: 'boolean' };
export const FUNCTION: FunctionRule = { kind: 'function' };
