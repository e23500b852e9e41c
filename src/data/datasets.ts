import { builtinTables } from './tables.js';

import { base64Float32, corrupt } from './base64.js';
import type { DataMatrix } from './matrix.js';

/**
 * A built-in data set. `X` is a row-major `shape[0] × shape[1]` float32 matrix `{ data, shape }`; `y` has one entry per row:
 * an `Int32Array` of class indices for classification sets, a `Float64Array` for regression.
 * Every call returns new arrays, so changing them does not affect later calls.
 */
export interface Dataset<Y extends Int32Array | Float64Array = Int32Array | Float64Array> {
  /** The features as a `{ data, shape }` matrix, ready for trainTestSplit, scalers, models and fit. */
  X: DataMatrix<Float32Array>;
  /** The same as `X.shape`. */
  shape: [number, number];
  y: Y;
  featureNames: string[];
  /** The name of the target column in the source CSV. */
  targetName: string;
  /** For classification sets: the name of class i at index i. */
  targetNames?: string[];
  /** One paragraph on what the data are. */
  description: string;
  /** Who made the data, where they come from, and the licence as far as known (see src/data/builtin/ATTRIBUTION.md). */
  attribution: string;
}

/** A classification data set: `y` holds class indices `0..targetNames.length-1`. */
export interface ClassificationDataset extends Dataset<Int32Array> {
  targetNames: string[];
}

/** A regression data set: `y` holds real values. */
export type RegressionDataset = Dataset<Float64Array>;

/** A generated table (scripts/gen-datasets.mjs describes the encodings); `target` is decimal text. */
interface Table {
  rows: number;
  cols: number;
  featureNames: string[];
  encoding: 'f32' | 'base17x3';
  values: string;
  target: string;
}

// 'base17x3': the letter of each of 85 values, ASCII 35-121 without ' and \.
const B85 = new Int8Array(128).fill(-1);
for (let c = 35, v = 0; c <= 121; c++) if (c !== 39 && c !== 92) B85[c] = v++;

/** Three values 0-16 from each pair of letters: v = a + 17·b + 289·c = 85·hi + lo. */
function base17x3(s: string, X: Float32Array): void {
  if (s.length * 3 !== X.length * 2) throw corrupt(`${(s.length * 3) / 2} of ${X.length} values`);
  for (let i = 0, k = 0; i < s.length; i += 2) {
    const hi = B85[s.charCodeAt(i) & 127], lo = B85[s.charCodeAt(i + 1) & 127];
    const v = hi * 85 + lo;
    if (hi < 0 || lo < 0 || v >= 4913 || s.charCodeAt(i) > 127 || s.charCodeAt(i + 1) > 127) throw corrupt(`bad letter at ${i}`);
    const w = (v / 17) | 0;
    X[k++] = v - w * 17;
    X[k++] = w % 17;
    X[k++] = (w / 17) | 0;
  }
}

const VIA = 'Copy shipped with scikit-learn 1.2.1 (package licence BSD-3-Clause; no data-specific licence is stated there).';
const UCI = 'The UCI repository lists its data sets under CC BY 4.0, which requires attribution (not verified by descent).';

function decimals(text: string): number[] {
  return text.trim().split(/[,\n]/).map(Number);
}

function decode(t: Table): { X: Float32Array; shape: [number, number]; target: number[] } {
  const n = t.rows * t.cols;
  let X: Float32Array;
  if (t.encoding === 'base17x3') {
    X = new Float32Array(n);
    base17x3(t.values, X);
  } else {
    X = base64Float32(t.values, n);
  }
  const target = decimals(t.target);
  if (target.length !== t.rows) throw corrupt(`${target.length} of ${t.rows} targets`);
  return { X, shape: [t.rows, t.cols], target };
}

function classification(t: Table, targetNames: string[], description: string, attribution: string): ClassificationDataset {
  const { X, shape, target } = decode(t);
  return { X: { data: X, shape }, shape, y: Int32Array.from(target), featureNames: t.featureNames.slice(), targetName: 'target', targetNames: targetNames.slice(), description, attribution };
}

/**
 * The handwritten digits data: 1797 images of 8×8 pixels, each pixel a count 0–16, classes 0–9
 * (scikit-learn `load_digits()`). No network or file system needed.
 *
 * @example
 * const { X, y } = loadDigits(); // X.shape = [1797, 64], y: Int32Array of 0..9
 */
export function loadDigits(): ClassificationDataset {
  return classification(
    builtinTables().DIGITS,
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    'Optical recognition of handwritten digits: 1797 samples of 8×8 images whose pixels count the set pixels of a 4×4 block of a 32×32 bitmap (0–16); 10 classes, about 180 each.',
    `Optical Recognition of Handwritten Digits (the test set), E. Alpaydin, July 1998, UCI Machine Learning Repository. ${VIA} ${UCI}`,
  );
}

/**
 * Fisher's iris data: 150 flowers, 4 measurements in cm, 3 species (scikit-learn `load_iris()`).
 *
 * @example
 * const { shape, targetNames } = loadIris(); // [150, 4], ['setosa', 'versicolor', 'virginica']
 */
export function loadIris(): ClassificationDataset {
  return classification(
    builtinTables().IRIS,
    ['setosa', 'versicolor', 'virginica'],
    'Iris plants: sepal and petal length and width (cm) of 150 flowers, 50 of each of three species.',
    `R.A. Fisher (1936), "The use of multiple measurements in taxonomic problems"; donor Michael Marshall, July 1988; the data of Fisher's paper (as in R, not the UCI copy, which has two wrong points). ${VIA} ${UCI}`,
  );
}

/**
 * The Wisconsin diagnostic breast cancer data: 569 tumours, 30 features computed from images of
 * cell nuclei, 0 = malignant, 1 = benign (scikit-learn `load_breast_cancer()`).
 *
 * @example
 * const { shape, y } = loadBreastCancer(); // [569, 30]; y: Int32Array of 0/1
 */
export function loadBreastCancer(): ClassificationDataset {
  return classification(
    builtinTables().BREAST_CANCER,
    ['malignant', 'benign'],
    'Breast Cancer Wisconsin (Diagnostic): mean, standard error and worst value of 10 cell-nucleus measurements from digitized images of fine needle aspirates; 212 malignant, 357 benign.',
    `Breast Cancer Wisconsin (Diagnostic), W.H. Wolberg, W.N. Street and O.L. Mangasarian; donor Nick Street, November 1995; UCI Machine Learning Repository. ${VIA} ${UCI}`,
  );
}

/**
 * The wine recognition data: 178 wines, 13 chemical measurements, 3 cultivars (scikit-learn
 * `load_wine()`).
 *
 * @example
 * const { shape } = loadWine(); // [178, 13]
 */
export function loadWine(): ClassificationDataset {
  return classification(
    builtinTables().WINE,
    ['class_0', 'class_1', 'class_2'],
    'Wine recognition: chemical analysis (13 constituents) of 178 wines from three cultivars grown in the same region of Italy.',
    `Wine recognition data, original owners M. Forina et al., PARVUS; cite Lichman (2013), UCI Machine Learning Repository. ${VIA} ${UCI}`,
  );
}

/**
 * The diabetes regression data: 442 patients, 10 baseline variables (mean-centred and scaled so
 * each column's sum of squares is 1, scikit-learn's default `scaled=True`), and a real target:
 * disease progression one year later (scikit-learn `load_diabetes()`).
 *
 * @example
 * const { shape, y } = loadDiabetes(); // [442, 10]; y: Float64Array (25–346)
 */
export function loadDiabetes(): RegressionDataset {
  const DIABETES = builtinTables().DIABETES;
  const { X, shape, target } = decode(DIABETES);
  return {
    X: { data: X, shape }, shape, y: Float64Array.from(target), featureNames: DIABETES.featureNames.slice(), targetName: 'target',
    description: 'Diabetes: age, sex, body mass index, average blood pressure and six blood serum measurements of 442 patients (each column mean-centred and scaled to unit sum of squares), and a quantitative measure of disease progression one year after baseline.',
    attribution: `B. Efron, T. Hastie, I. Johnstone and R. Tibshirani (2004), "Least Angle Regression", Annals of Statistics; source https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html (no licence stated there that we know of). ${VIA}`,
  };
}

/** The fixed digits split of the conformance data; see {@link digitsSplit}. */
export interface DigitsSplit {
  /** Rows of `loadDigits()` in the train set (1437), in the order scikit-learn returned them. */
  trainIndices: Uint32Array;
  /** Rows in the test set (360), in scikit-learn's order. */
  testIndices: Uint32Array;
  /** The train rows' per-feature mean (64 values). */
  scalerMean: Float64Array;
  /** The train rows' per-feature population std, with 1 for constant features (64 values). */
  scalerScale: Float64Array;
}

/**
 * scikit-learn's digits split used by the conformance tests: `train_test_split(test_size=0.2,
 * stratify=y, random_state=0)` on `loadDigits()`, with the `StandardScaler` fitted on its train
 * rows. Use it to compare with scikit-learn's results exactly (our own `trainTestSplit` uses a
 * different generator). Every call returns new arrays.
 *
 * @example
 * const { X, shape, y } = loadDigits();
 * const { trainIndices, scalerMean, scalerScale } = digitsSplit();
 * const scaler = StandardScaler.fromParams({ mean: scalerMean, scale: scalerScale });
 */
export function digitsSplit(): DigitsSplit {
  const DIGITS_SPLIT = builtinTables().DIGITS_SPLIT;
  return {
    trainIndices: Uint32Array.from(decimals(DIGITS_SPLIT.trainIndices)),
    testIndices: Uint32Array.from(decimals(DIGITS_SPLIT.testIndices)),
    scalerMean: Float64Array.from(DIGITS_SPLIT.scalerMean),
    scalerScale: Float64Array.from(DIGITS_SPLIT.scalerScale),
  };
}
