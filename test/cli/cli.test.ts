import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/args.js';
import { loadIris } from '../../src/data/index.js';
import { assertBuilt, dataFolder, run, runInTerminal, type Run } from './helpers.js';

let dir = '';
beforeAll(() => {
  assertBuilt();
  dir = dataFolder();
});

const read = (f: string) => readFileSync(join(dir, f), 'utf8');

/** A plain CSV as rows of fields (the CLI's output never quotes these). */
const csvRows = (text: string) => text.trim().split('\n').map((l) => l.split(','));

/** Bad input: exit 2, one line on stderr starting with the command, no stack trace, nothing on stdout. */
function refused(r: Run, command: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines.length, r.stderr).toBe(1);
  expect(lines[0].startsWith(`descent${command ? ` ${command}` : ''}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('descent train', () => {
  it('trains on iris with text labels, piped: one plain line per epoch, a summary with test metrics, and a model file with scaler and labels', () => {
    const r = run(dir, ['train', 'iris.csv', '--target', 'species', '--epochs', '40', '--lr', '0.05', '--out', 'iris.json', '--plot', 'iris-loss.svg']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\r');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe("iris.csv: 150 rows, 4 features, target 'species' (classification, 3 classes: setosa, versicolor, virginica; inferred from text labels such as 'setosa', --task to override)");
    expect(lines[1]).toMatch(/^softmax regression, adam \(lr 0.05\), batch 32, up to 40 epochs; 120 training rows \(10% of them for validation\), 30 test rows, standard scaling, seed 0$/);
    const epochs = lines.filter((l) => /^epoch +\d+\/40 /.test(l));
    expect(epochs.length).toBe(40);
    epochs.forEach((l, i) => expect(l).toMatch(new RegExp(`^epoch +${i + 1}/40  loss \\d\\.\\d{4}  val_loss \\d\\.\\d{4}  accuracy \\d\\.\\d{4}  val_accuracy \\d\\.\\d{4}  lr 5\\.00e-2  \\d+ ms$`)));
    expect(lines).toContain('stopped: reached maxEpochs = 40');
    const test = lines.find((l) => l.startsWith('test (30 rows): '))!;
    const acc = Number(/accuracy ([\d.]+)/.exec(test)![1]);
    expect(acc).toBeGreaterThanOrEqual(0.85);
    expect(test).toMatch(/F1 \(macro\) [\d.]+, log loss [\d.]+$/);
    expect(lines.slice(-2)).toEqual(['saved iris.json', 'wrote iris-loss.svg']);

    const saved = JSON.parse(read('iris.json'));
    expect(saved.format).toBe('descent-cli-model');
    expect(saved.task).toBe('classification');
    expect(saved.target).toBe('species');
    expect(saved.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(saved.features).toEqual(loadIris().featureNames);
    expect(saved.scaler.kind).toBe('StandardScaler');
    expect(saved.scaler.mean.length).toBe(4);
    expect(saved.model.type).toBe('SoftmaxRegression');
    expect(saved.training.testMetrics.accuracy).toBeCloseTo(acc, 4);
    const svg = read('iris-loss.svg');
    expect(svg.match(/<polyline /g)?.length).toBe(2);
    expect(svg).toContain('>validation loss</text>');
  });

  it('draws a progress bar redrawn with \\r on a terminal, and never writes \\r when piped', () => {
    const args = ['train', 'iris.csv', '--target', 'species', '--epochs', '30', '--out', 'tty.json'];
    const t = runInTerminal(dir, args);
    expect(t.code, t.stdout).toBe(0);
    // On a terminal lines end in CRLF; a redraw is a \r not followed by \n.
    const redraws = t.stdout.split(/\r(?!\n)/).slice(1);
    expect(redraws.length).toBeGreaterThanOrEqual(2);
    for (const frame of redraws) {
      const line = frame.split('\x1b[K')[0];
      expect(line).toMatch(/^epoch +\d+\/30 \[#*\.*\] loss [\d.e-]+  val_loss [\d.e-]+  val_accuracy [\d.]+  \d+(s|m\d\ds) (left|in all)$/);
      expect(line.length).toBeLessThan(100);
    }
    expect(redraws[0]).toMatch(/^epoch  1\/30 /);
    expect(redraws[redraws.length - 1]).toMatch(/^epoch 30\/30 \[#{10,}\] .* in all\x1b\[K\r\n/);
    expect(t.stdout).not.toMatch(/^epoch +\d+\/30  loss/m); // no plain per-epoch lines
    expect(t.stdout).toMatch(/test \(30 rows\): accuracy/);
    const p = run(dir, args);
    expect(p.code).toBe(0);
    expect(p.stdout).not.toContain('\r');
    expect(p.stdout).not.toContain('\x1b');
    expect(p.stdout.split('\n').filter((l) => /^epoch +\d+\/30  loss/.test(l)).length).toBe(30);
  });

  it('infers regression for diabetes, scales the target, and reports test metrics in its units', () => {
    const r = run(dir, ['train', 'diabetes.csv', '--target', 'progression', '--epochs', '150', '--lr', '0.01', '--out', 'diabetes.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/target 'progression' \(regression; inferred from 214 distinct values \(more than 20\), --task to override\)/);
    expect(r.stdout).toMatch(/^linear regression, adam .* standard scaling \(the loss is on the scaled target\), seed 0$/m);
    const test = /test \(89 rows\): MSE ([\d.]+), RMSE ([\d.]+), MAE ([\d.]+), R² ([\d.-]+)/.exec(r.stdout)!;
    expect(Number(test[2])).toBeCloseTo(Math.sqrt(Number(test[1])), 0);
    expect(Number(test[4])).toBeGreaterThan(0.35);
    expect(Number(test[2])).toBeLessThan(70); // the target runs 25..346
    const saved = JSON.parse(read('diabetes.json'));
    expect(saved.task).toBe('regression');
    expect(saved.classes).toBeUndefined();
    expect(saved.targetScaler.kind).toBe('StandardScaler');
  });

  it('trains an MLP on digits, an SVM on breast cancer, softmax on wine with early stopping, and takes --target by index', () => {
    const mlp = run(dir, ['train', 'digits.csv', '--target', 'digit', '--model', 'mlp', '--hidden', '32,16', '--epochs', '15', '--lr', '0.01', '--out', 'digits.json']);
    expect(mlp.code, mlp.stderr).toBe(0);
    expect(mlp.stdout).toMatch(/^MLP 64-32-16-10 \(relu\), adam/m);
    expect(Number(/test \(360 rows\): accuracy ([\d.]+)/.exec(mlp.stdout)![1])).toBeGreaterThan(0.9);
    expect(JSON.parse(read('digits.json')).model.options.layers).toEqual([64, 32, 16, 10]);

    const svm = run(dir, ['train', 'breast_cancer.csv', '--target', '30', '--model', 'svm', '--epochs', '20', '--out', 'bc.json']);
    expect(svm.code, svm.stderr).toBe(0);
    expect(svm.stdout).toMatch(/target 'benign' \(classification, 2 classes: 0, 1; inferred from 2 distinct whole-number labels/);
    expect(svm.stdout).toMatch(/^linear SVM, adam/m);
    expect(svm.stdout).toMatch(/test \(114 rows\): accuracy 0\.9\d+, F1 \(macro\) [\d.]+\n/); // no log loss: an SVM has no probabilities

    const wine = run(dir, ['train', 'wine.csv', '--target', 'cultivar', '--epochs', '300', '--lr', '0.05', '--early-stopping', '3', '--out', 'wine.json']);
    expect(wine.code, wine.stderr).toBe(0);
    expect(wine.stdout).toMatch(/stopped: valLoss did not improve for 3 epoch\(s\) after epoch (\d+); kept the weights of epoch \1, the best/);
    const run_ = wine.stdout.split('\n').filter((l) => /^epoch +\d+\/300 /.test(l)).length;
    expect(run_).toBeLessThan(300);
    expect(JSON.parse(read('wine.json')).training.epochsRun).toBe(run_);
  });

  it('is deterministic: the same seed writes the same file, another seed another', () => {
    const args = (seed: string, out: string) => ['train', 'iris.csv', '--target', 'species', '--model', 'mlp', '--hidden', '8', '--epochs', '5', '--seed', seed, '--out', out];
    expect(run(dir, args('3', 'a.json')).code).toBe(0);
    expect(run(dir, args('3', 'b.json')).code).toBe(0);
    expect(run(dir, args('4', 'c.json')).code).toBe(0);
    expect(read('a.json')).toBe(read('b.json'));
    expect(read('a.json')).not.toBe(read('c.json'));
  });

  it('exits 1 with one line when training diverges', () => {
    const r = run(dir, ['train', 'diabetes.csv', '--target', 'progression', '--optimizer', 'sgd', '--lr', '1e6', '--scale', 'none', '--out', 'div.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^descent train: training diverged at epoch 1 \(the (loss|gradient) became (-?Infinity|NaN)\); try a smaller --lr than 1000000\n$/);
    expect(existsSync(join(dir, 'div.json'))).toBe(false);
  });
});

describe('descent predict and evaluate', () => {
  beforeAll(() => {
    const r = run(dir, ['train', 'iris.csv', '--target', 'species', '--epochs', '60', '--lr', '0.05', '--out', 'model.json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('predict writes the class labels as the data writes them, one per row, under the target name', () => {
    const r = run(dir, ['predict', 'model.json', 'iris.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual(['species']);
    expect(rows.length).toBe(151);
    const truth = csvRows(read('iris.csv')).slice(1).map((row) => row[4]);
    const hits = rows.slice(1).filter((row, i) => row[0] === truth[i]).length;
    expect(hits / 150).toBeGreaterThan(0.9);
    expect(new Set(rows.slice(1).map((row) => row[0]))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
  });

  it('predict --proba gives one column per class, named by label; rows sum to 1 and their argmax is the prediction', () => {
    const labels = csvRows(run(dir, ['predict', 'model.json', 'iris.csv']).stdout).slice(1).map((r) => r[0]);
    const r = run(dir, ['predict', 'model.json', 'iris.csv', '--proba']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual(['setosa', 'versicolor', 'virginica']);
    rows.slice(1).forEach((row, i) => {
      const p = row.map(Number);
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(rows[0][p.indexOf(Math.max(...p))]).toBe(labels[i]);
    });
  });

  it('predict takes the features in any order and without the target column', () => {
    const rows = csvRows(read('iris.csv'));
    const order = [3, 0, 2, 1];
    writeFileSync(join(dir, 'shuffled.csv'), rows.map((r) => order.map((k) => r[k]).join(',')).join('\n') + '\n');
    const a = run(dir, ['predict', 'model.json', 'shuffled.csv']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(run(dir, ['predict', 'model.json', 'iris.csv']).stdout);
  });

  it('evaluate prints the metrics of the predictions and a confusion matrix', () => {
    const labels = csvRows(run(dir, ['predict', 'model.json', 'iris.csv']).stdout).slice(1).map((r) => r[0]);
    const truth = csvRows(read('iris.csv')).slice(1).map((row) => row[4]);
    const r = run(dir, ['evaluate', 'model.json', 'iris.csv']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe("iris.csv: 150 rows; softmax regression predicting 'species'");
    const acc = Number(/^accuracy +([\d.]+)$/m.exec(r.stdout)![1]);
    const hits = labels.filter((l, i) => l === truth[i]).length;
    expect(acc).toBeCloseTo(hits / 150, 4);
    expect(r.stdout).toMatch(/^F1 \(macro\) +[\d.]+$/m);
    expect(r.stdout).toMatch(/^log loss +[\d.]+$/m);
    const cm = lines.slice(lines.indexOf('confusion matrix (rows: true class, columns: predicted):') + 2).map((l) => l.trim().split(/\s+/));
    expect(cm.map((row) => row[0])).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts = cm.map((row) => row.slice(1).map(Number));
    expect(counts.flat().reduce((s, v) => s + v, 0)).toBe(150);
    expect(counts[0][0] + counts[1][1] + counts[2][2]).toBe(hits);
    counts.forEach((row, k) => expect(row.reduce((s, v) => s + v, 0)).toBe(50)); // 50 of each species
  });

  it('reads numeric class labels by value, as train did: "1.0" is class "1"', () => {
    expect(run(dir, ['train', 'breast_cancer.csv', '--target', 'benign', '--epochs', '3', '--out', 'bc.json']).code).toBe(0);
    writeFileSync(join(dir, 'bc-float.csv'), read('breast_cancer.csv').replace(/,([01])\n/g, ',$1.0\n'));
    expect(read('bc-float.csv')).toMatch(/,1\.0\n/);
    const a = run(dir, ['evaluate', 'bc.json', 'breast_cancer.csv']);
    const b = run(dir, ['evaluate', 'bc.json', 'bc-float.csv']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout.replace('bc-float.csv', 'breast_cancer.csv')).toBe(a.stdout);
    expect(csvRows(run(dir, ['predict', 'bc.json', 'bc-float.csv']).stdout)[1][0]).toMatch(/^[01]$/);
  });

  it('evaluates and predicts regression in the target units', () => {
    const r = run(dir, ['evaluate', 'diabetes.json', 'diabetes.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^MSE +\d+/m);
    expect(Number(/^R² +([\d.]+)$/m.exec(r.stdout)![1])).toBeGreaterThan(0.35);
    const p = csvRows(run(dir, ['predict', 'diabetes.json', 'diabetes.csv']).stdout);
    expect(p[0]).toEqual(['progression']);
    const v = p.slice(1).map((row) => Number(row[0]));
    expect(v.length).toBe(442);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean).toBeGreaterThan(120);
    expect(mean).toBeLessThan(185); // the target's mean is 152
  });
});

describe('descent lr-find', () => {
  it('suggests a learning rate and draws the loss against it on a log axis', () => {
    const r = run(dir, ['lr-find', 'iris.csv', '--target', 'species', '--plot', 'lr.svg']);
    expect(r.code, r.stderr).toBe(0);
    const s = /suggested learning rate: ([\d.e-]+) \(valley\)/.exec(r.stdout)!;
    const lr = Number(s[1]);
    expect(lr).toBeGreaterThan(1e-5);
    expect(lr).toBeLessThan(10);
    expect(r.stdout).toContain(`try: descent train iris.csv --target species --lr ${s[1]} --out model.json`);
    const svg = read('lr.svg');
    expect(svg).toContain('>learning rate</text>');
    const xTicks = [...svg.matchAll(/class="tick x-tick" data-value="([^"]+)"/g)].map((m) => Number(m[1]));
    xTicks.slice(1).forEach((v, k) => expect(v / xTicks[k]).toBeCloseTo(10 ** Math.round(Math.log10(v / xTicks[k])), 6)); // decades
    expect(xTicks[0]).toBeLessThanOrEqual(1e-7);
  });
});

describe('descent --help', () => {
  it('lists the commands, and each command lists exactly its flags', () => {
    const main = run(dir, ['--help']);
    expect(main.code).toBe(0);
    for (const c of ['train', 'predict', 'evaluate', 'lr-find']) expect(main.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    const issue: Record<string, string[]> = {
      train: ['target', 'model', 'hidden', 'optimizer', 'lr', 'batch-size', 'epochs', 'val', 'early-stopping', 'scale', 'seed', 'out', 'plot', 'task', 'test', 'help'],
      predict: ['proba', 'help'],
      evaluate: ['help'],
      'lr-find': ['target', 'plot', 'task', 'model', 'hidden', 'optimizer', 'batch-size', 'scale', 'seed', 'help'],
    };
    for (const c of COMMANDS) {
      for (const how of [['--help'], ['-h']]) {
        const r = run(dir, [c.name, ...how]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: descent ${c.name} `));
        const flags = [...r.stdout.matchAll(/^  --([a-z-]+)/gm)].map((m) => m[1]);
        expect(flags.sort()).toEqual(issue[c.name].slice().sort());
      }
    }
    expect(run(dir, ['train', '--help']).stdout).toMatch(/--lr RATE +the learning rate \(default 1e-3\)/);
    expect(run(dir, ['--version']).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(run(dir, ['help', 'lr-find']).stdout).toMatch(/^usage: descent lr-find data\.csv --target COL \[flags\]/);
    const none = run(dir, []);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^descent \S+: gradient descent on CSV files\n\nusage: descent <command>/);
  });
});

describe('descent refuses bad input with one line and exit code 2', () => {
  beforeAll(() => {
    writeFileSync(join(dir, 'ragged.csv'), 'a,b,label\n1,2,x\n3,4\n5,6,y\n');
    writeFileSync(join(dir, 'text.csv'), 'a,b,label\n1,2,x\n3,four,y\n');
    writeFileSync(join(dir, 'unseen.csv'), read('iris.csv').replace(/setosa\n/, 'rose\n'));
    writeFileSync(join(dir, 'extra.csv'), read('iris.csv').replace(/\n/g, ',1\n').replace(',1\n', ',id\n'));
    writeFileSync(join(dir, 'features.csv'), read('iris.csv').replace(/,[a-z]+\n/g, '\n'));
    writeFileSync(join(dir, 'notes.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'broken.json'), '{"format": ');
    expect(run(dir, ['train', 'breast_cancer.csv', '--target', 'benign', '--model', 'svm', '--epochs', '2', '--out', 'svm.json']).code).toBe(0);
    expect(run(dir, ['train', 'iris.csv', '--target', 'species', '--epochs', '2', '--out', 'm.json']).code).toBe(0);
    expect(run(dir, ['train', 'diabetes.csv', '--target', 'progression', '--epochs', '2', '--out', 'reg.json']).code).toBe(0);
    const m = JSON.parse(read('m.json'));
    writeFileSync(join(dir, 'mismatch.json'), JSON.stringify({ ...m, features: m.features.slice(1) }));
    writeFileSync(join(dir, 'badweights.json'), JSON.stringify({ ...m, model: { ...m.model, params: { ...m.model.params, weight: [1, 2] } } }));
  });
  const T = ['train', 'iris.csv', '--target', 'species', '--out', 'x.json'];
  const cases: Array<[string, string[], string, RegExp]> = [
    ['a missing file', ['train', 'nope.csv', '--target', 'a', '--out', 'x.json'], 'train', /cannot read the data file 'nope\.csv': no such file$/],
    ['a ragged row', ['train', 'ragged.csv', '--target', 'label', '--out', 'x.json'], 'train', /ragged\.csv: line 3 has 2 fields but the header has 3: column "label" \(index 2\) is missing/],
    ['a non-numeric value', ['train', 'text.csv', '--target', 'label', '--out', 'x.json'], 'train', /text\.csv: line 3, column "b" \(index 1\) is "four", not a number/],
    ['an unknown column', ['train', 'iris.csv', '--target', 'specie', '--out', 'x.json'], 'train', /iris\.csv has no column 'specie'; did you mean 'species'\? The columns are: 'sepal length \(cm\)',/],
    ['a column index out of range', ['train', 'iris.csv', '--target', '5', '--out', 'x.json'], 'train', /--target 5 is outside the 5 columns of iris\.csv \(indices 0 to 4\)/],
    ['an unknown flag', [...T, '--epoch', '5'], 'train', /unknown flag --epoch; did you mean --epochs\? Run 'descent train --help' for the flags$/],
    ['a flag in another spelling', [...T, '--batch_size', '8'], 'train', /unknown flag --batch_size; did you mean --batch-size\?/],
    ['a flag of another library', [...T, '--learning-rate', '0.1'], 'train', /unknown flag --learning-rate; did you mean --lr\?/],
    ['an unknown command', ['trian', 'iris.csv'], '', /unknown command 'trian'; did you mean 'train'\? The commands are: train, predict, evaluate, lr-find$/],
    ['a non-number', [...T, '--lr', 'fast'], 'train', /--lr must be a number, got 'fast'\. Pass e\.g\. --lr 1e-3\.$/],
    ['a zero learning rate', [...T, '--lr', '0'], 'train', /--lr must be a finite number > 0, got 0\./],
    ['a fractional epoch count', [...T, '--epochs', '2.5'], 'train', /--epochs must be a whole number >= 1, got 2\.5\./],
    ['a batch size of 0', [...T, '--batch-size', '0'], 'train', /--batch-size must be a whole number >= 1, got 0\. Pass a number of rows such as 32, or 'full'\./],
    ['a misspelt model', [...T, '--model', 'mpl'], 'train', /--model must be one of 'linear', 'logistic', 'softmax', 'svm', 'mlp', got 'mpl'\. Did you mean 'mlp'\?$/],
    ['an unknown optimizer', [...T, '--optimizer', 'adamm'], 'train', /--optimizer must be one of .*, got 'adamm'\. Did you mean 'adam'\?$/],
    ['a bad scale', [...T, '--scale', 'robust'], 'train', /--scale must be one of 'standard', 'minmax', 'none', got 'robust'/],
    ['a validation share of 1', [...T, '--val', '1'], 'train', /--val must be in \[0, 1\), got 1\./],
    ['bad hidden sizes', [...T, '--model', 'mlp', '--hidden', '64,0'], 'train', /--hidden must be layer sizes >= 1 separated by commas, got '64,0'/],
    ['hidden sizes without an MLP', [...T, '--hidden', '8'], 'train', /--hidden applies to --model mlp; add --model mlp or drop --hidden/],
    ['a regression model for classes', [...T, '--model', 'linear'], 'train', /--model linear is for regression, but species is a classification target \(text labels such as 'setosa'\)/],
    ['regression on text labels', [...T, '--task', 'regression'], 'train', /column 'species' holds text \('setosa' in row 1\); regression needs numbers/],
    ['a missing --target', ['train', 'iris.csv', '--out', 'x.json'], 'train', /--target is required, e.g\. --target species$/],
    ['a missing --out', ['train', 'iris.csv', '--target', 'species'], 'train', /--out is required, e\.g\. --out model\.json$/],
    ['an --out in a missing folder', ['train', 'iris.csv', '--target', 'species', '--out', 'no/such/m.json'], 'train', /cannot write 'no\/such\/m\.json': the folder .*no\/such does not exist$/],
    ['a missing argument', ['predict', 'm.json'], 'predict', /predict needs model\.json and data\.csv; got only 'm\.json'/],
    ['an extra argument', ['evaluate', 'm.json', 'iris.csv', 'more.csv'], 'evaluate', /evaluate takes model\.json and data\.csv, got an extra argument 'more\.csv'/],
    ['a value for a switch', ['predict', 'm.json', 'iris.csv', '--proba=yes'], 'predict', /Option '--proba' does not take an argument\. Run 'descent predict --help'/],
    ['a missing model file', ['predict', 'none.json', 'iris.csv'], 'predict', /cannot read the model file 'none\.json': no such file$/],
    ['a model file that is not JSON', ['predict', 'broken.json', 'iris.csv'], 'predict', /broken\.json is not JSON \(.*\); pass the file 'descent train --out' wrote$/],
    ['JSON that is not a model', ['evaluate', 'notes.json', 'iris.csv'], 'evaluate', /notes\.json is not a model saved by 'descent train': its format is undefined, not 'descent-cli-model'$/],
    ['a model file whose parts disagree', ['predict', 'mismatch.json', 'iris.csv'], 'predict', /mismatch\.json is not a model saved by 'descent train': the model takes 4 features but features lists 3$/],
    ['a model file with truncated weights', ['predict', 'badweights.json', 'iris.csv'], 'predict', /badweights\.json is not a model saved by 'descent train': .*params\['weight'\] must hold 12 numbers, got 2/],
    ['data without a feature column', ['predict', 'm.json', 'ragged.csv'], 'predict', /ragged\.csv has no column 'sepal length \(cm\)' \(nor 3 more\), a feature of the model/],
    ['data with a column the model does not know', ['predict', 'm.json', 'extra.csv'], 'predict', /extra\.csv has column 'id', which the model was not trained on; drop it/],
    ['a label the model never saw', ['evaluate', 'm.json', 'unseen.csv'], 'evaluate', /unseen\.csv: row 1 has the label 'rose', which is not one of the model's classes: setosa, versicolor, virginica$/],
    ['evaluate without the target column', ['evaluate', 'm.json', 'features.csv'], 'evaluate', /features\.csv has no column 'species', the target the model was trained on; evaluate needs it \(predict does not\)$/],
    ['--proba for an SVM', ['predict', 'svm.json', 'breast_cancer.csv', '--proba'], 'predict', /--proba needs probabilities, which a LinearSVM does not give/],
    ['--proba for regression', ['predict', 'reg.json', 'diabetes.csv', '--proba'], 'predict', /--proba needs a classifier; reg\.json is a regression model/],
    ['lr-find without --target', ['lr-find', 'iris.csv'], 'lr-find', /--target is required/],
    ['lr-find with a bad flag', ['lr-find', 'iris.csv', '--target', 'species', '--epochs', '3'], 'lr-find', /unknown flag --epochs\./],
  ];
  it.each(cases)('%s', (_what, args, command, message) => {
    refused(run(dir, args), command, message);
  });

  it('writes nothing when refused', () => {
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});
