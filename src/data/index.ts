/** The data utilities: CSV parsing, splits, scalers and the built-in data sets. They need no Wasm core. */
export { parseCSV, type ParseCSVOptions, type ParsedCSV } from './csv.js';
export { trainTestSplit, takeRows, type TrainTestSplitOptions, type TrainTestSplit, type LabelArray, type SplitLabels } from './split.js';
export {
  StandardScaler, MinMaxScaler, oneHot,
  type StandardScalerOptions, type StandardScalerJSON, type MinMaxScalerOptions, type MinMaxScalerJSON, type Transformed,
} from './preprocess.js';
export {
  loadDigits, loadIris, loadBreastCancer, loadWine, loadDiabetes, digitsSplit,
  type Dataset, type ClassificationDataset, type RegressionDataset, type DigitsSplit,
} from './datasets.js';
export type { DataMatrix, MatrixInput } from './matrix.js';
