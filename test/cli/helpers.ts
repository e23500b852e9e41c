// Runs the real binary (node bin/descent.mjs, which loads dist/bundle/cli-core.cjs from the build) piped or in a
// pseudo-terminal (util-linux `script`), on the built-in data sets written out as CSV files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBreastCancer, loadDiabetes, loadDigits, loadIris, loadWine } from '../../src/data/index.js';
import { datasetCSV } from '../../src/cli/data.js';
import { terminal } from '../../scripts/readme-demo.mjs';

export const BIN = resolve('bin/descent.mjs');

export function assertBuilt(): void {
  if (!existsSync(resolve('dist/bundle/cli-core.cjs'))) throw new Error("test/cli needs the build (dist/bundle/cli-core.cjs): run 'npm run build' first");
}

/** A temporary folder with iris.csv (text labels in 'species'), digits, diabetes, breast_cancer and wine. */
export function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  const iris = loadIris();
  writeFileSync(join(dir, 'iris.csv'), datasetCSV(iris, 'species', iris.targetNames));
  writeFileSync(join(dir, 'digits.csv'), datasetCSV(loadDigits(), 'digit'));
  writeFileSync(join(dir, 'diabetes.csv'), datasetCSV(loadDiabetes(), 'progression'));
  writeFileSync(join(dir, 'breast_cancer.csv'), datasetCSV(loadBreastCancer(), 'benign'));
  writeFileSync(join(dir, 'wine.csv'), datasetCSV(loadWine(), 'cultivar'));
  return dir;
}

export interface Run { code: number | null; stdout: string; stderr: string }

/** Runs `descent ...args` in `cwd` with its output piped. */
export function run(cwd: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `descent ...args` in a pseudo-terminal (see scripts/readme-demo.mjs's terminal()): stdout and stderr merged, CRLF line ends. */
export function runInTerminal(cwd: string, args: string[], columns = 100): Run {
  const r = terminal(cwd, ['descent', ...args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`)].join(' '), columns);
  return { code: r.code, stdout: r.output, stderr: '' };
}
