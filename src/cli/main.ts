/**
 * The descent command line: `descent train | predict | evaluate | lr-find`. bin/descent.mjs calls
 * {@link main} with Node's files, streams and util.parseArgs. Bad input (a flag, a value, a file,
 * a column, a row) is one line on stderr and exit code 2, never a stack trace; a run that fails
 * (training diverged) exits 1.
 */
import { init } from '../entry/node.js';
import { suggestName } from '../util/options.js';
import { describe } from '../util/describe.js';
import { COMMANDS, commandHelp, commandNamed, mainHelp, parseCommandLine } from './args.js';
import { evaluate, lrFindCommand, predict, train } from './commands.js';
import { UsageError, type CliIO } from './io.js';

export type { CliIO } from './io.js';

const RUN = { train, predict, evaluate, 'lr-find': lrFindCommand } as const;

/**
 * Runs one command line (without `node` and the script) and returns the exit code: 0 done, 1 the
 * run failed, 2 bad input. Output goes to `io.stdout`, errors to `io.stderr` as one line each.
 * @example
 * const code = await main(['train', 'iris.csv', '--target', 'species', '--out', 'iris.json'], nodeIO, '0.1.0');
 */
export async function main(argv: string[], io: CliIO, version: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const c = name === 'help' && rest[0] ? commandNamed(rest[0]) : undefined;
    // Asked for, help goes to stdout; no command at all is a usage error: help on stderr, exit 2.
    (name === undefined ? io.stderr : io.stdout).write(c ? commandHelp(c) : mainHelp(version));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = commandNamed(name);
  if (!command) {
    const hint = suggestName(name, COMMANDS.map((c) => c.name));
    return fail(io, 'descent', `unknown command ${describe(name)}${hint ? `; did you mean '${hint}'?` : ''} The commands are: ${COMMANDS.map((c) => c.name).join(', ')}`, 2);
  }
  const who = `descent ${command.name}`;
  try {
    const parsed = parseCommandLine(io, command, rest);
    if (parsed.flags.help === true) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    await init();
    return RUN[command.name as keyof typeof RUN](io, parsed);
  } catch (e) {
    // What the user gave was wrong: our own checks, and the library's TypeError/RangeError for a
    // value it refused (they name the argument and the fix). Anything else is a bug: say so.
    if (e instanceof UsageError || e instanceof TypeError || e instanceof RangeError) return fail(io, who, (e as Error).message, 2);
    return fail(io, who, `internal error: ${e instanceof Error ? e.message : String(e)} (please report it, with the command line)`, 1);
  }
}

function fail(io: CliIO, who: string, message: string, code: number): number {
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  io.stderr.write(`${who}: ${line}\n`);
  return code;
}
