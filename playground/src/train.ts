/**
 * Data sets and models the training pages share, and several fitAsync runs side by side with
 * their per-epoch records collected as they come in.
 */
import {
  DivergenceError, fitAsync, loadBreastCancer, loadDigits, loadIris, loadWine, MLP, SoftmaxRegression, StandardScaler, trainTestSplit,
  type ClassificationDataset, type DataMatrix, type FitOptions,
} from 'descent';
import { h } from './common.js';

export const DATASETS: Record<string, { label: string; load: () => ClassificationDataset }> = {
  digits: { label: 'Digits (8×8 images, 10 classes)', load: loadDigits },
  iris: { label: 'Iris (4 features, 3 classes)', load: loadIris },
  wine: { label: 'Wine (13 features, 3 classes)', load: loadWine },
  'breast-cancer': { label: 'Breast cancer (30 features, 2 classes)', load: loadBreastCancer },
};

export interface Prepared {
  name: string;
  Xtr: DataMatrix<Float32Array>;
  ytr: Int32Array;
  Xte: DataMatrix<Float32Array>;
  yte: Int32Array;
  nFeatures: number;
  nClasses: number;
}

const prepared = new Map<string, Prepared>();

/** A data set split (stratified, a quarter for testing, seed 0) and standardized by the training part's statistics. */
export function prepare(name: string): Prepared {
  const hit = prepared.get(name);
  if (hit) return hit;
  const d = DATASETS[name].load();
  const s = trainTestSplit(d.X, d.y, { testSize: 0.25, seed: 0, stratify: true });
  const scaler = new StandardScaler();
  const p: Prepared = {
    name, Xtr: scaler.fitTransform(s.XTrain), ytr: s.yTrain, Xte: scaler.transform(s.XTest), yte: s.yTest,
    nFeatures: d.shape[1], nClasses: d.targetNames.length,
  };
  prepared.set(name, p);
  return p;
}

export type ModelKind = 'softmax' | 'mlp' | 'mlp2';

export const MODELS: Record<ModelKind, string> = {
  mlp: 'MLP, one hidden layer of 32 (ReLU)',
  mlp2: 'MLP, two hidden layers of 32 (ReLU)',
  softmax: 'Softmax regression',
};

/** A model for the data (seed 0: every run of a comparison starts from the same weights). */
export function buildModel(kind: ModelKind, p: Prepared): MLP | SoftmaxRegression {
  if (kind === 'softmax') return new SoftmaxRegression({ nFeatures: p.nFeatures, nClasses: p.nClasses });
  return new MLP({ layers: kind === 'mlp' ? [p.nFeatures, 32, p.nClasses] : [p.nFeatures, 32, 32, p.nClasses], seed: 0 });
}

export const OPTIMIZERS: Record<string, { label: string; spec: (lr: number) => FitOptions['optimizer'] }> = {
  sgd: { label: 'SGD', spec: (lr) => ({ name: 'sgd', lr }) },
  momentum: { label: 'SGD with momentum 0.9', spec: (lr) => ({ name: 'sgd', lr, momentum: 0.9 }) },
  adam: { label: 'Adam', spec: (lr) => ({ name: 'adam', lr }) },
};

/** Fills a <select> with choices and picks `value`. */
export function fillSelect(el: HTMLSelectElement, choices: Record<string, string>, value: string): void {
  el.replaceChildren(...Object.entries(choices).map(([k, label]) => h('option', { value: k, selected: k === value }, label)));
}

export interface RunSpec {
  label: string;
  model: () => MLP | SoftmaxRegression;
  options: FitOptions;
}

export interface RunState {
  label: string;
  losses: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
  /** Per parameter name, its gradient norm per epoch (with recordGradNorms). */
  gradNorms: Record<string, number[]>;
  status: 'running' | 'done' | 'diverged' | 'stopped';
  outcome: string;
}

/**
 * Trains every spec at once with fitAsync (each yields to the page every ~10 ms, so the runs
 * interleave and the page stays responsive), calling `onEpoch` after any run's epoch ends. Every
 * model is freed when its run ends, diverged or stopped included.
 */
export async function trainAll(specs: readonly RunSpec[], data: Prepared, signal: AbortSignal, onEpoch: (runs: RunState[]) => void): Promise<RunState[]> {
  const states: RunState[] = specs.map((s) => ({ label: s.label, losses: [], trainAccuracy: [], testAccuracy: [], gradNorms: {}, status: 'running', outcome: 'training…' }));
  await Promise.all(specs.map(async (spec, i) => {
    const st = states[i];
    const model = spec.model();
    try {
      const history = await fitAsync(model, data.Xtr, data.ytr, {
        seed: 0, ...spec.options, validationData: [data.Xte, data.yte], metrics: ['accuracy'], signal,
        onEpochEnd: (e) => {
          st.losses.push(e.loss);
          st.trainAccuracy.push(e.metrics.accuracy);
          st.testAccuracy.push(e.valMetrics.accuracy);
          for (const [k, v] of Object.entries(e.gradNorms ?? {})) (st.gradNorms[k] ??= []).push(v);
          onEpoch(states);
        },
      });
      st.status = history.stopReason === 'aborted' ? 'stopped' : 'done';
      st.outcome = st.status === 'stopped' ? `stopped after ${history.epochs.length} epochs` : `trained ${history.epochs.length} epochs`;
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      st.status = 'diverged';
      st.outcome = `diverged in epoch ${e.epoch}: the ${e.what} became ${e.value}; the learning rate is too high`;
    } finally {
      model.dispose();
    }
    onEpoch(states);
  }));
  return states;
}
