/**
 * The commands, their flags and help, in one table; parsing with Node's util.parseArgs; values
 * checked with the library's option rules, so a bad flag value reads like a bad option value.
 */
import { toNumber } from '../data/csv.js';
import { describe } from '../util/describe.js';
import { checkValue, suggestName, type Rule } from '../util/options.js';
import { optimizerNames } from '../train/optimizer-spec.js';
import { UsageError, type CliIO } from './io.js';

/** A flag: its name (without --), a value placeholder (none for a switch), help, and its default as shown. */
export interface Flag {
  name: string;
  value?: string;
  help: string;
  default?: string;
}

export interface Command {
  name: string;
  /** One line for `descent --help`. */
  summary: string;
  /** The positional arguments, in order. */
  args: string[];
  flags: Flag[];
  /** Extra paragraphs of help. */
  notes?: string;
}

const HELP: Flag = { name: 'help', help: 'show this help' };

/** The flags that say which model to train and how; train and lr-find share them. */
const MODEL_FLAGS: Flag[] = [
  { name: 'target', value: 'COL', help: 'the column to predict: a name, or a 0-based index (required)' },
  { name: 'task', value: 'TASK', help: 'regression or classification; inferred from the target column when not given' },
  { name: 'model', value: 'MODEL', help: 'linear, logistic, softmax, svm or mlp', default: 'linear for regression, logistic for 2 classes, softmax for more' },
  { name: 'hidden', value: 'SIZES', help: "the MLP's hidden layer sizes, e.g. 64,32", default: '64' },
  { name: 'optimizer', value: 'NAME', help: `one of ${optimizerNames().join(', ')}`, default: 'adam' },
  { name: 'batch-size', value: 'N', help: "rows per step, or 'full'", default: '32' },
  { name: 'scale', value: 'HOW', help: 'standard, minmax or none (features, and a regression target too)', default: 'standard' },
  { name: 'seed', value: 'N', help: 'seed of the splits, the shuffling and the initialization', default: '0' },
];

export const COMMANDS: readonly Command[] = [
  {
    name: 'train',
    summary: 'train a model on a CSV file and save it as JSON',
    args: ['data.csv'],
    flags: [
      ...MODEL_FLAGS.slice(0, 5),
      { name: 'lr', value: 'RATE', help: 'the learning rate', default: '1e-3' },
      MODEL_FLAGS[5],
      { name: 'epochs', value: 'N', help: 'epochs at most', default: '100' },
      { name: 'val', value: 'FRACTION', help: 'share of the training rows held out for validation (0: none)', default: '0.1' },
      { name: 'test', value: 'FRACTION', help: 'share of the rows held out for the final test metrics (0: none)', default: '0.2' },
      { name: 'early-stopping', value: 'N', help: 'stop after N epochs without improvement of the validation loss (the training loss with --val 0), keeping the best weights', default: 'off' },
      ...MODEL_FLAGS.slice(6),
      { name: 'out', value: 'FILE', help: 'where to save the model: its weights, scaler and class labels (required)' },
      { name: 'plot', value: 'FILE', help: 'also draw the loss curves as SVG' },
      HELP,
    ],
    notes:
      'Splits are seeded and stratified for classification. Progress is a bar on a terminal and one line per epoch\n' +
      'when piped. The summary gives the test metrics; the saved file is all predict and evaluate need.',
  },
  {
    name: 'predict',
    summary: 'predict with a saved model; writes CSV to stdout',
    args: ['model.json', 'data.csv'],
    flags: [{ name: 'proba', help: 'one probability column per class, named by its label (not for svm or regression)' }, HELP],
    notes: "data.csv needs the model's feature columns by name, in any order; a target column is ignored.",
  },
  {
    name: 'evaluate',
    summary: "a saved model's metrics on a CSV file that has the target column",
    args: ['model.json', 'data.csv'],
    flags: [HELP],
  },
  {
    name: 'lr-find',
    summary: "fastai's learning-rate range test: suggests a learning rate",
    args: ['data.csv'],
    flags: [...MODEL_FLAGS, { name: 'plot', value: 'FILE', help: 'draw the loss against the learning rate as SVG' }, HELP],
    notes: 'The learning rate grows from 1e-7 to 10 over 100 steps on all rows; the suggestion is the valley of the smoothed loss.',
  },
];

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** `descent <command> --help`: usage, flags with defaults, notes. */
export function commandHelp(c: Command): string {
  const usage = `usage: descent ${c.name} ${c.args.join(' ')}${c.flags.some((f) => f.name === 'target') ? ' --target COL' : ''}${c.flags.some((f) => f.name === 'out') ? ' --out FILE' : ''} [flags]`;
  const left = c.flags.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = c.flags.map((f, i) => `${left[i].padEnd(width)}${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}`);
  return [usage, '', `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`, '', 'flags:', ...lines, ...(c.notes ? ['', c.notes] : []), ''].join('\n');
}

/** `descent --help`. */
export function mainHelp(version: string): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return [
    `descent ${version}: gradient descent on CSV files`,
    '',
    'usage: descent <command> [arguments] [flags]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    '',
    "Run 'descent <command> --help' for a command's flags. Exit codes: 0 done, 1 training failed, 2 bad input.",
    '',
  ].join('\n');
}

/** The parsed command line: positionals and flag values as typed (strings, or true for switches). */
export interface Parsed {
  args: string[];
  flags: Record<string, string | boolean | undefined>;
}

/**
 * Parses `argv` (after the command name) against the command's flags with util.parseArgs: an
 * unknown flag is refused with the closest valid one; missing values, stray values for switches and
 * the wrong number of positionals are refused with parseArgs' own explanation.
 */
export function parseCommandLine(io: CliIO, c: Command, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of c.flags) options[f.name] = { type: f.value ? 'string' : 'boolean', ...(f.name === 'help' ? { short: 'h' } : {}) };
  // A lenient pass first, to name an unknown flag with a suggestion (strict parsing only says it is unknown).
  const loose = io.parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of loose.tokens ?? []) {
    if (t.kind === 'option' && !(t.name in options)) {
      const names = c.flags.map((f) => f.name);
      const hint = suggestName(t.name, names);
      throw new UsageError(`unknown flag ${t.rawName}${hint !== undefined ? `; did you mean --${hint}?` : '.'} Run 'descent ${c.name} --help' for the flags`);
    }
  }
  if (loose.values.help === true) return { args: [], flags: { help: true } };
  let parsed;
  try {
    parsed = io.parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const why = (e as Error).message.replace(/\s+/g, ' ').trim();
    throw new UsageError(`${why}${/[.?!]$/.test(why) ? '' : '.'} Run 'descent ${c.name} --help' for the flags`);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== c.args.length) {
    const what = positionals.length < c.args.length
      ? `needs ${c.args.join(' and ')}; ${positionals.length ? `got only ${positionals.map((p) => describe(p)).join(', ')}` : 'got none'}`
      : `takes ${c.args.join(' and ')}, got an extra argument ${describe(positionals[c.args.length])}`;
    throw new UsageError(`${c.name} ${what}. Run 'descent ${c.name} --help' for the usage`);
  }
  return { args: positionals, flags: values };
}

// ---------------------------------------------------------------------------------------------
// Values.

/** checkValue's sentence for a flag's value, as a usage error ("--lr must be a finite number > 0, got -1."). */
function check(name: string, v: unknown, rule: Rule): void {
  try {
    checkValue('flag', `--${name}`, v, rule);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^flag: /, ''));
  }
}

/** A flag's number, checked against `rule`. */
export function numberFlag(p: Parsed, name: string, fallback: number, rule: Rule & { kind: 'number' }): number {
  const raw = p.flags[name];
  if (raw === undefined) return fallback;
  const v = toNumber(String(raw).trim());
  if (v === undefined) throw new UsageError(`--${name} must be ${rule.integer ? 'a whole number' : 'a number'}, got ${describe(raw)}.${rule.fix ? ` ${rule.fix}` : ''}`);
  check(name, v, rule);
  return v;
}

/** A flag's value from a fixed list; a near miss is named ("--model must be one of ..., got 'mpl'. Did you mean 'mlp'?"). */
export function enumFlag<T extends string>(p: Parsed, name: string, values: readonly T[]): T | undefined {
  const raw = p.flags[name];
  if (raw === undefined) return undefined;
  check(name, raw, { kind: 'enum', values });
  return raw as T;
}

export function stringFlag(p: Parsed, name: string): string | undefined {
  const raw = p.flags[name];
  return raw === undefined ? undefined : String(raw);
}

/** A required string flag. */
export function requiredFlag(p: Parsed, name: string, example: string): string {
  const v = stringFlag(p, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required, e.g. --${name} ${example}`);
  return v;
}
