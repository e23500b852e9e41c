/**
 * The `descent/datasets` subpath: the built-in data sets alone (no Wasm, no init() needed). The main
 * entry exports the same functions; import them from here to keep a bundle free of the rest of
 * descent, or to load them where the library itself is not wanted.
 */
export {
  loadDigits, loadIris, loadBreastCancer, loadWine, loadDiabetes, digitsSplit,
  type Dataset, type ClassificationDataset, type RegressionDataset, type DigitsSplit,
} from '../data/datasets.js';
export type { DataMatrix } from '../data/matrix.js';
