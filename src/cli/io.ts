/**
 * What the CLI needs of its host, passed in by bin/descent.mjs (Node): files, the two output
 * streams, a clock and Node's util.parseArgs. The library imports node: modules only in its Node
 * entry; the CLI's own code stays free of them too, and tests can drive it with fakes.
 */

/** An output stream: text, and whether it is a terminal (for the progress bar) and how wide. */
export interface OutStream {
  write(text: string): void;
  /** True on a terminal: progress is redrawn in place with '\r'; otherwise one line per epoch. */
  isTTY: boolean;
  /** The terminal's width in columns (default 80). */
  columns?: number;
}

/** The part of Node's `util.parseArgs` the CLI uses (Node ≥ 18.3). */
export type ParseArgs = (config: {
  args: string[];
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  strict: boolean;
  allowPositionals: boolean;
  tokens?: boolean;
}) => {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  tokens?: Array<{ kind: 'option'; name: string; rawName: string; index: number; value?: string } | { kind: 'positional'; value: string; index: number } | { kind: 'option-terminator'; index: number }>;
};

/** The host: Node's fs, streams, clock and parseArgs, or test doubles. */
export interface CliIO {
  /** Reads a text file (UTF-8). Throws Node's error (with `code`, e.g. 'ENOENT') when it cannot. */
  readText(path: string): string;
  /** Writes a text file (UTF-8), replacing it. */
  writeText(path: string, text: string): void;
  /** Why `path` cannot be written (e.g. its folder does not exist), or null when it can. */
  cannotWrite(path: string): string | null;
  stdout: OutStream;
  stderr: OutStream;
  /** Milliseconds, for the progress bar's time left. */
  now(): number;
  parseArgs: ParseArgs;
}

/**
 * A mistake in what the user typed or gave (a flag, a value, a file, a column): printed as one
 * line on stderr, exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
