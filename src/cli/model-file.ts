/**
 * The file `descent train --out` writes and `predict` / `evaluate` read: the model, the feature
 * names in order, the scaler (and a regression target's), the class labels, and how it was trained.
 * Everything predict needs, nothing else.
 */
import { MinMaxScaler, StandardScaler, type MinMaxScalerJSON, type StandardScalerJSON } from '../data/preprocess.js';
import type { DataMatrix } from '../data/matrix.js';
import { modelFromJSON, type Model, type ModelJSON } from '../models/index.js';
import { Sequential } from '../nn/sequential.js';
import { describe } from '../util/describe.js';
import { readFile, type CliTask } from './data.js';
import { UsageError, type CliIO } from './io.js';

export const FORMAT = 'descent-cli-model';

export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;
export type Scaler = StandardScaler | MinMaxScaler;

/** The saved file, as JSON. */
export interface SavedModel {
  format: typeof FORMAT;
  version: 1;
  task: CliTask;
  /** The target column's name in the training data. */
  target: string;
  /** The feature columns, in the order the model takes them. */
  features: string[];
  /** Classification: the label of class k at index k, as written in the data. */
  classes?: string[];
  /** The features' scaler, fitted on the training rows, or null (--scale none). */
  scaler: ScalerJSON | null;
  /** Regression: the target's scaler (the model predicts scaled values), or null. */
  targetScaler: ScalerJSON | null;
  /** The model's own JSON (`model.toJSON()`). */
  model: ModelJSON;
  /** How it was trained: the flags, the rows, why it stopped, the test metrics. For people; predict ignores it. */
  training: Record<string, unknown>;
}

/** A saved model, loaded: ready to transform and predict. */
export interface LoadedModel {
  saved: SavedModel;
  task: CliTask;
  model: Model;
  scaler: Scaler | null;
  targetScaler: Scaler | null;
}

export function scalerFromJSON(json: ScalerJSON): Scaler {
  return json.kind === 'MinMaxScaler' ? MinMaxScaler.fromJSON(json) : StandardScaler.fromJSON(json as StandardScalerJSON);
}

/** Reads and checks a saved model; any problem is one usage error naming the file and the field. */
export function loadModel(io: CliIO, file: string): LoadedModel {
  const text = readFile(io, file, 'model file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${(e as Error).message}); pass the file 'descent train --out' wrote`);
  }
  const bad = (what: string): never => {
    throw new UsageError(`${file} is not a model saved by 'descent train': ${what}`);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) bad(`expected an object, got ${describe(json)}`);
  const s = json as SavedModel;
  if (s.format !== FORMAT) bad(`its format is ${describe(s.format)}, not '${FORMAT}'`);
  if (s.version !== 1) bad(`its version is ${describe(s.version)}; this descent reads version 1`);
  if (s.task !== 'regression' && s.task !== 'classification') bad(`task is ${describe(s.task)}`);
  if (typeof s.target !== 'string') bad(`target is ${describe(s.target)}`);
  if (!Array.isArray(s.features) || s.features.length === 0 || !s.features.every((f) => typeof f === 'string')) bad(`features is ${describe(s.features)}`);
  if (s.task === 'classification' && (!Array.isArray(s.classes) || s.classes.length < 2 || !s.classes.every((c) => typeof c === 'string'))) {
    bad(`classes is ${describe(s.classes)}`);
  }
  let model: Model | undefined;
  try {
    const built = modelFromJSON(s.model);
    if (built instanceof Sequential) {
      built.dispose();
      bad("its model is a Sequential; 'descent train' saves the built-in models only");
    }
    model = built as Model;
    const scaler = s.scaler ? scalerFromJSON(s.scaler) : null;
    const targetScaler = s.targetScaler ? scalerFromJSON(s.targetScaler) : null;
    if (model.numFeatures !== s.features.length) bad(`the model takes ${model.numFeatures} features but features lists ${s.features.length}`);
    const outputs = s.task === 'classification' ? s.classes!.length : 0;
    if (outputs && (model as { numClasses?: number }).numClasses !== outputs) bad(`the model has ${(model as { numClasses?: number }).numClasses} classes but classes lists ${outputs}`);
    return { saved: s, task: s.task, model, scaler, targetScaler };
  } catch (e) {
    model?.dispose(); // built, then found not to fit the file: give its memory back
    if (e instanceof UsageError) throw e;
    if (e instanceof TypeError || e instanceof RangeError) bad(e.message);
    throw e;
  }
}

/** Applies a scaler (or none) to a float32 matrix. */
export function scaled(scaler: Scaler | null, X: DataMatrix<Float32Array>): DataMatrix<Float32Array> {
  return scaler ? scaler.transform(X) : X;
}
