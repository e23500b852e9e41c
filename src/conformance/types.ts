/**
 * The conformance runner's plug-in contract. Each file kind in the `../shared/conformance` format
 * (optim_*.json, lr_schedules.json, losses.json, lbfgs.json, ...) has one Handler in this folder,
 * registered in ./index.ts. Handlers get parsed JSON and never touch the file system, so they run in
 * any runtime; the CLI (scripts/conformance.mjs) does the reading.
 */

export type BackendName = 'wasm-simd' | 'wasm-scalar' | 'js';

export interface CaseResult {
  /** file name, e.g. "optim_adam.json" */
  file: string;
  /** the case's name from the file, plus anything that makes it unique (dtype, problem) */
  name: string;
  /** the backend it ran on, or "-" when the case does not depend on a backend */
  backend: BackendName | '-';
  passed: boolean;
  /** one short line: the worst error against its tolerance, or why it failed */
  detail: string;
}

export interface ConformanceContext {
  /** Reads another file of the same directory (e.g. "sklearn_splits.json", "data/digits.csv"). */
  readText(relativePath: string): string;
  /** The backends to run backend-dependent cases on, in order. */
  backends: BackendName[];
  /** Switches the library to `backend` (awaits init). */
  useBackend(backend: BackendName): Promise<void>;
}

export interface Handler {
  /** A short name for the log. */
  name: string;
  /** True for the file names this handler judges (base name only, e.g. "optim_sgd.json"). */
  matches(fileName: string): boolean;
  /** Runs every case of one file. `json` is the parsed file. */
  run(fileName: string, json: any, ctx: ConformanceContext): Promise<CaseResult[]>;
}

/** |x - ref| <= atol + rtol * |ref|, and the fraction of that budget used (for reports). */
export function within(x: number, ref: number, atol: number, rtol: number): { ok: boolean; used: number } {
  const budget = atol + rtol * Math.abs(ref);
  const err = Math.abs(x - ref);
  const ok = err <= budget || (Number.isNaN(ref) && Number.isNaN(x)) || x === ref;
  return { ok, used: x === ref ? 0 : err / budget };
}
