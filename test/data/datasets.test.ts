import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  digitsSplit, loadBreastCancer, loadDiabetes, loadDigits, loadIris, loadWine,
  type Dataset,
} from '../../src/data/datasets.js';
import * as dataIndex from '../../src/data/index.js';

const SHARED = new URL('../../../shared/conformance/', import.meta.url);
const REPO = fileURLToPath(new URL('../../', import.meta.url));

function readCsv(name: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(new URL(`data/${name}.csv`, SHARED), 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

const CASES: Array<{ name: string; load: () => Dataset; rows: number; cols: number; classes?: string[] }> = [
  { name: 'digits', load: loadDigits, rows: 1797, cols: 64, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  { name: 'iris', load: loadIris, rows: 150, cols: 4, classes: ['setosa', 'versicolor', 'virginica'] },
  { name: 'breast_cancer', load: loadBreastCancer, rows: 569, cols: 30, classes: ['malignant', 'benign'] },
  { name: 'wine', load: loadWine, rows: 178, cols: 13, classes: ['class_0', 'class_1', 'class_2'] },
  { name: 'diabetes', load: loadDiabetes, rows: 442, cols: 10 },
];

describe('built-in data sets', () => {
  for (const c of CASES) {
    it(`${c.name}: shape, names, types and the first row equal the CSV`, () => {
      const ds = c.load();
      const csv = readCsv(c.name);
      expect(ds.shape).toEqual([c.rows, c.cols]);
      expect(ds.X.data).toBeInstanceOf(Float32Array);
      expect(ds.X.shape).toEqual([c.rows, c.cols]);
      expect(ds.X.data.length).toBe(c.rows * c.cols);
      expect(ds.y.length).toBe(c.rows);
      expect(ds.featureNames).toEqual(csv.header.slice(0, -1));
      expect(ds.targetName).toBe('target');
      expect(Array.from(ds.X.data.subarray(0, c.cols))).toEqual(csv.rows[0].slice(0, -1).map(Math.fround));
      expect(ds.y[0]).toBe(csv.rows[0][c.cols]);
      if (c.classes) {
        expect(ds.y).toBeInstanceOf(Int32Array);
        expect(ds.targetNames).toEqual(c.classes);
        expect(Math.max(...ds.y)).toBe(c.classes.length - 1);
      } else {
        expect(ds.y).toBeInstanceOf(Float64Array);
        expect(ds.targetNames).toBeUndefined();
      }
      expect(ds.description.length).toBeGreaterThan(40);
      expect(ds.attribution).toMatch(/scikit-learn/);
    });

    it(`${c.name}: every value equals the CSV (X as float32, y exact)`, () => {
      const ds = c.load();
      const { rows } = readCsv(c.name);
      let bad = 0;
      for (let i = 0; i < c.rows; i++) {
        for (let j = 0; j < c.cols; j++) if (ds.X.data[i * c.cols + j] !== Math.fround(rows[i][j])) bad++;
        if (ds.y[i] !== rows[i][c.cols]) bad++;
      }
      expect(bad).toBe(0);
    });
  }

  it('attribution names the creators', () => {
    expect(loadDigits().attribution).toMatch(/Alpaydin/);
    expect(loadIris().attribution).toMatch(/Fisher/);
    expect(loadBreastCancer().attribution).toMatch(/Wolberg/);
    expect(loadWine().attribution).toMatch(/Forina/);
    expect(loadDiabetes().attribution).toMatch(/Efron/);
    expect(loadWine().attribution).toMatch(/CC BY 4.0.*not verified/);
  });

  it('returns fresh arrays on every call', () => {
    const a = loadIris();
    a.X.data[0] = -1;
    a.y[0] = 7;
    a.featureNames[0] = 'x';
    const b = loadIris();
    expect(b.X.data[0]).toBe(Math.fround(5.1));
    expect(b.y[0]).toBe(0);
    expect(b.featureNames[0]).toBe('sepal length (cm)');
  });

  it('digitsSplit() equals the digits entry of sklearn_splits.json and the stored scaler', () => {
    const splits = JSON.parse(readFileSync(new URL('sklearn_splits.json', SHARED), 'utf8'));
    const ref = JSON.parse(readFileSync(new URL('sklearn_reference.json', SHARED), 'utf8'));
    const scaler = ref.cases.find((c: { dataset: string }) => c.dataset === 'digits').scaler;
    const s = digitsSplit();
    expect(s.trainIndices).toBeInstanceOf(Uint32Array);
    expect(Array.from(s.trainIndices)).toEqual(splits.splits.digits.train);
    expect(Array.from(s.testIndices)).toEqual(splits.splits.digits.test);
    expect(s.scalerMean).toBeInstanceOf(Float64Array);
    expect(Array.from(s.scalerMean)).toEqual(scaler.mean);
    expect(Array.from(s.scalerScale)).toEqual(scaler.scale);
    s.trainIndices[0] = 0;
    expect(digitsSplit().trainIndices[0]).toBe(splits.splits.digits.train[0]);
  });

  it('the data index re-exports the public names', () => {
    for (const name of ['parseCSV', 'trainTestSplit', 'StandardScaler', 'MinMaxScaler', 'oneHot', 'loadDigits', 'loadIris',
      'loadBreastCancer', 'loadWine', 'loadDiabetes', 'digitsSplit']) {
      expect(typeof (dataIndex as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

describe('generated modules', () => {
  const dir = join(REPO, 'src/data/builtin');

  it('say they are generated, in their first line', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(['breast-cancer.ts', 'diabetes.ts', 'digits-split.ts', 'digits.ts', 'iris.ts', 'wine.ts']);
    for (const f of files) {
      expect(readFileSync(join(dir, f), 'utf8').split('\n')[0]).toBe('// Generated by scripts/gen-datasets.mjs from ../shared/conformance; do not edit.');
    }
    // digits stays compact: one character per pixel value
    expect(statSync(join(dir, 'digits.ts')).size).toBeLessThan(130_000);
  });

  it('are up to date with the generator and the shared data', () => {
    const out = execFileSync(process.execPath, [join(REPO, 'scripts/gen-datasets.mjs'), '--check', '--shared', fileURLToPath(SHARED)], { encoding: 'utf8' });
    expect(out).toMatch(/up to date \(6 files\)/);
  });

  it('no source file of these modules imports node: built-ins (they run in browsers and edge runtimes)', () => {
    const files = [
      ...readdirSync(join(REPO, 'src/data'), { recursive: true }).map((f) => join('src/data', String(f))),
      ...readdirSync(join(REPO, 'src/plot'), { recursive: true }).map((f) => join('src/plot', String(f))),
      'src/train/metrics.ts',
    ].filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(REPO, f), 'utf8');
      expect(text, f).not.toMatch(/from\s+['"]node:|require\(|import\(\s*['"]node:|\bprocess\.|\bBuffer\b/);
    }
  });
});
