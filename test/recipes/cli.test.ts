// The command line from the packed tarball, installed in a fresh project as npm would: the bin file
// package.json names, run with Node, trains and predicts with what the tarball ships
// (dist/bundle/cli-core.cjs, the .wasm) and nothing from this checkout.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIris } from '../../src/data/index.js';
import { datasetCSV } from '../../src/cli/data.js';
import { makeProject, run } from './helpers.js';

let dir = '';
let bin = '';

beforeAll(() => {
  const iris = loadIris();
  dir = makeProject('cli', { 'iris.csv': datasetCSV(iris, 'species', iris.targetNames) });
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/descent/package.json'), 'utf8'));
  bin = join(dir, 'node_modules/descent', pkg.bin.descent);
});

describe('descent (the bin of the installed package)', () => {
  it('prints its version and help; the first command writes its compile cache beside the package', async () => {
    const v = await run('node', [bin, '--version'], dir);
    expect(v.stderr).toBe('');
    // dist/bundle/cli-core.cjs, compiled from node_modules/.cache/descent from the next command on
    expect(readdirSync(join(dir, 'node_modules/.cache/descent')).filter((f) => f.startsWith('cli-core-') && f.endsWith('.bin'))).toHaveLength(1);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(dir, 'node_modules/descent/package.json'), 'utf8')).version);
    const h = await run('node', [bin, 'train', '--help'], dir);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^usage: descent train data\.csv --target COL --out FILE \[flags\]/);
  });

  it('trains, predicts with labels, and refuses a bad flag with exit code 2', async () => {
    const t = await run('node', [bin, 'train', 'iris.csv', '--target', 'species', '--epochs', '30', '--lr', '0.05', '--out', 'iris.json'], dir);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/test \(30 rows\): accuracy 0\.[89]\d*/);
    const p = await run('node', [bin, 'predict', 'iris.json', 'iris.csv'], dir);
    expect(p.code, p.stderr).toBe(0);
    const labels = p.stdout.trim().split('\n');
    expect(labels[0]).toBe('species');
    expect(new Set(labels.slice(1))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    const bad = await run('node', [bin, 'train', 'iris.csv', '--target', 'species', '--epoch', '3', '--out', 'x.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^descent train: unknown flag --epoch; did you mean --epochs\?/);
  });
});
