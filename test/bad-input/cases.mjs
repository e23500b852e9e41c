// The bad-input table: every public function given inputs a caller could plausibly pass by mistake,
// with the error class and the message fragments expected (the argument's name and the value as
// passed), plus rows that must succeed (resident views, concurrency, leaks, rollback). Plain ESM so
// that scripts/probe.mjs can run it against any build, including older ones (rows that need an
// export a build lacks are n/a there). Each row: { id, expect, has?, setup?, run, check?, needs? }.

/** The value as the library's messages show it (src/util/describe.ts, for the values used here). */
export function show(v) {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v === null) return 'null';
  return String(v);
}

// ------------------------------------------------------------------------------------------------
// Data.

const REG_X = [[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2], [3, 1], [1, 3]];
const REG_Y = [1, 1, 2, 0, 3, 3, 4, 4];
const CLS_X = [[0, 0], [1, 0], [0, 1], [0.1, 0], [1.1, 0], [0, 1.1], [0.2, 0.1], [0.9, 0.1], [0.1, 0.9]];
const CLS_Y = [0, 1, 2, 0, 1, 2, 0, 1, 2];
const BIN_Y = [0, 1, 0, 1, 0, 1, 0, 1];

const copyRows = (X) => X.map((r) => r.slice());

/** A linear regression with an SGD-momentum optimizer that has taken one epoch (so it has state). */
function regSetup(d, optName = 'SGD') {
  const model = new d.LinearRegression({ nFeatures: 2 });
  const Opt = d[optName];
  const opt = new Opt(model.parameters(), optName === 'SGD' ? { lr: 0.01, momentum: 0.9 } : { lr: 0.01 });
  d.fit(model, REG_X, REG_Y, { optimizer: opt, maxEpochs: 1, batchSize: 4 });
  return { model, opt, X: copyRows(REG_X), y: REG_Y.slice() };
}

function clsSetup(d) {
  const model = new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
  const opt = new d.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  d.fit(model, CLS_X, CLS_Y, { optimizer: opt, maxEpochs: 1, batchSize: 3 });
  return { model, opt, X: copyRows(CLS_X), y: CLS_Y.slice() };
}

/**
 * Fills a fresh backend's memory to 256 bytes below its current end (nothing freed yet, so the
 * arena has no holes): the next allocation of any size grows the memory. Returns the filler.
 */
function tight(d) {
  const probe = d.tensor.zeros(4);
  const start = probe.ptr;
  probe.dispose();
  const free = d.memoryStats().bytesReserved - start;
  return d.tensor.zeros(Math.max(0, Math.floor((free - 256) / 4)));
}

const rows = [];
const row = (r) => rows.push(r);

/** Rows for an option that takes bad values: each [value, class] expects `name` and the value shown. */
function optionRows(area, name, bads, call, setup, extra = []) {
  for (const [value, cls, shown, ...more] of bads) {
    row({
      id: `${area}: ${name} = ${show(value)}`,
      expect: cls,
      has: [name, shown ?? show(value), ...extra, ...more],
      setup,
      run: (ctx, d) => call(ctx, d, value),
    });
  }
}

/** Unknown-option rows: [misspelling, suggestion]. */
function unknownRows(area, pairs, call, setup) {
  for (const [bad, hint] of pairs) {
    row({
      id: `${area}: unknown option ${bad}`,
      expect: 'TypeError',
      has: [bad, ...(hint ? [hint] : [])],
      setup,
      run: (ctx, d) => call(ctx, d, bad),
    });
  }
}

// ------------------------------------------------------------------------------------------------
// fit and its family.

const FITS = [
  ['fit', false], ['fitDetailed', false], ['fitAsync', true], ['fitAsyncDetailed', true],
];

for (const [fn] of FITS) {
  const call = (ctx, d, o) => d[fn](ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, ...o });
  unknownRows(`${fn} options`, [
    ['epochs', 'maxEpochs'], ['learningRate', undefined], ['batch_size', 'batchSize'], ['validation_split', 'validationSplit'],
    ['callbacks', 'onEpochEnd'], ['shufle', 'shuffle'], ['random_state', 'seed'],
  ], (ctx, d, bad) => call(ctx, d, { [bad]: 1 }), regSetup);
}

{
  const call = (ctx, d, o) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, ...o });
  const opt = (name, bads) => optionRows('fit', `options.${name}`, bads, (ctx, d, v) => call(ctx, d, { [name]: v }), regSetup);
  opt('batchSize', [[0, 'RangeError'], [-1, 'RangeError'], [2.5, 'RangeError'], ['all', 'RangeError'], ['8', 'RangeError'], [true, 'TypeError'], [NaN, 'RangeError']]);
  opt('maxEpochs', [[-1, 'RangeError'], [1.5, 'RangeError'], ['10', 'TypeError'], [Infinity, 'RangeError'], [NaN, 'RangeError']]);
  opt('shuffle', [['no', 'TypeError'], ['false', 'TypeError'], [0, 'TypeError'], [1, 'TypeError'], [null, 'TypeError']]);
  opt('seed', [[1.5, 'RangeError'], ['42', 'TypeError'], [NaN, 'RangeError'], [Infinity, 'RangeError']]);
  opt('clipGradNorm', [[-1, 'RangeError'], [0, 'RangeError'], ['1', 'TypeError'], [NaN, 'RangeError'], [Infinity, 'RangeError']]);
  opt('tol', [[-1, 'RangeError'], ['0.1', 'TypeError'], [NaN, 'RangeError']]);
  opt('nIterNoChange', [[0, 'RangeError'], [2.5, 'RangeError'], ['3', 'TypeError']]);
  opt('validationSplit', [[0, 'RangeError'], [1, 'RangeError'], [1.5, 'RangeError'], [-0.1, 'RangeError'], ['0.2', 'TypeError'], [NaN, 'RangeError']]);
  opt('checkpointEvery', [[0, 'RangeError'], [1.5, 'RangeError'], ['2', 'TypeError']]);
  opt('verbose', [['yes', 'TypeError'], [1, 'TypeError']]);
  opt('onBatchEnd', [[5, 'TypeError'], ['log', 'TypeError'], [null, 'TypeError']]);
  opt('onEpochEnd', [[5, 'TypeError'], [true, 'TypeError']]);
  opt('onCheckpoint', [[5, 'TypeError']]);
  opt('log', [[5, 'TypeError'], ['console', 'TypeError']]);
  opt('metrics', [['accuracy', 'TypeError'], [['acc'], 'RangeError', "'acc'", 'accuracy']]);
  opt('optimizer', [[5, 'TypeError'], [null, 'TypeError'], [true, 'TypeError']]);
  opt('scheduler', [[5, 'TypeError'], ['step', 'TypeError']]);
  opt('validationData', [[5, 'TypeError'], ['val', 'TypeError']]);
  opt('signal', [[true, 'TypeError'], ['abort', 'TypeError']]);
  opt('resume', [[5, 'TypeError'], [true, 'TypeError']]);
  row({ id: 'fit: options.scheduler = {} (no step)', expect: 'TypeError', has: ['options.scheduler', 'an empty object'], setup: regSetup, run: (ctx, d) => call(ctx, d, { scheduler: {} }) });
  row({ id: 'fit: options.optimizer = {} (no name)', expect: 'TypeError', has: ['options.optimizer', 'an empty object'], setup: regSetup, run: (ctx, d) => call(ctx, d, { optimizer: {} }) });
  row({ id: 'fit: options.metrics regression metric on classifier is fine but accuracy on regression refused', expect: 'RangeError', has: ['options.metrics', "'accuracy'"], setup: regSetup, run: (ctx, d) => call(ctx, d, { metrics: ['accuracy'] }) });
  row({ id: 'fit: unknown optimizer name', expect: 'RangeError', has: ['nope'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: 'nope', maxEpochs: 1 }) });
  row({ id: 'fit: optimizer spec with a misspelt option', expect: 'TypeError', has: ['learningRate', 'lr'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: { name: 'adam', learningRate: 0.1 }, maxEpochs: 1 }) });
  row({ id: 'fit: validationSplit and validationData together', expect: 'TypeError', has: ['options.validationSplit', 'options.validationData'], setup: regSetup, run: (ctx, d) => call(ctx, d, { validationSplit: 0.2, validationData: [REG_X, REG_Y] }) });
  row({ id: 'fit: signal in the sync form', expect: 'TypeError', has: ['options.signal', 'fitAsync'], setup: regSetup, run: (ctx, d) => call(ctx, d, { signal: new AbortController().signal }) });
}

// Nested earlyStopping.
{
  const call = (ctx, d, es, more = {}) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 2, earlyStopping: es, ...more });
  unknownRows('fit earlyStopping', [['patiense', 'patience'], ['min_delta', 'minDelta'], ['restore_best_weights', 'restoreBestWeights'], ['monitr', 'monitor']],
    (ctx, d, bad) => call(ctx, d, { [bad]: 1 }), regSetup);
  const es = (name, bads) => optionRows('fit', `options.earlyStopping.${name}`, bads, (ctx, d, v) => call(ctx, d, { [name]: v }), regSetup);
  es('patience', [[-1, 'RangeError'], [1.5, 'RangeError'], ['2', 'TypeError']]);
  es('mode', [['mx', 'RangeError', undefined, "'max'"], ['sideways', 'RangeError'], [1, 'TypeError']]);
  es('minDelta', [['0.1', 'TypeError'], [NaN, 'RangeError'], [Infinity, 'RangeError']]);
  es('baseline', [['1', 'TypeError'], [NaN, 'RangeError']]);
  es('restoreBestWeights', [['true', 'TypeError'], [1, 'TypeError']]);
  es('monitor', [[5, 'TypeError'], ['', 'RangeError'], ['accuracy', 'RangeError'], ['valLoss', 'TypeError']]);
  row({ id: 'fit: earlyStopping = 5', expect: 'TypeError', has: ['options.earlyStopping', '5'], setup: regSetup, run: (ctx, d) => call(ctx, d, 5) });
  row({ id: 'fit: earlyStopping = true', expect: 'TypeError', has: ['options.earlyStopping', 'true'], setup: regSetup, run: (ctx, d) => call(ctx, d, true) });
}

// Arguments and data.
{
  const o = (ctx) => ({ optimizer: ctx.opt, maxEpochs: 1, batchSize: 2 });
  row({ id: 'fit: options = null', expect: 'TypeError', has: ['options', 'null'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, null) });
  row({ id: 'fit: options = 5', expect: 'TypeError', has: ['options', '5'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, 5) });
  row({ id: 'fit: options = a Map', expect: 'TypeError', has: ['options', 'a Map'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, new Map([['maxEpochs', 5]])) });
  row({ id: 'fit: options = "fast"', expect: 'TypeError', has: ['options', "'fast'"], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, 'fast') });
  row({ id: 'fitAsync: options = null', expect: 'TypeError', has: ['options', 'null'], setup: regSetup, run: (ctx, d) => d.fitAsync(ctx.model, ctx.X, ctx.y, null) });
  row({ id: 'fit: model = null', expect: 'TypeError', has: ['model', 'null'], setup: regSetup, run: (ctx, d) => d.fit(null, ctx.X, ctx.y, o(ctx)) });
  row({ id: 'fit: model = {}', expect: 'TypeError', has: ['model', 'parameters'], setup: regSetup, run: (ctx, d) => d.fit({}, ctx.X, ctx.y, o(ctx)) });
  row({ id: 'fit: X = null', expect: 'TypeError', has: ['X', 'null'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, null, ctx.y, o(ctx)) });
  row({ id: 'fit: X = "abc"', expect: 'TypeError', has: ['X', "'abc'"], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, 'abc', ctx.y, o(ctx)) });
  row({ id: 'fit: y = null', expect: 'TypeError', has: ['y', 'null'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, null, o(ctx)) });
  row({ id: 'fit: y = 5', expect: 'TypeError', has: ['y', '5'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, 5, o(ctx)) });
  row({ id: 'fit: y too short', expect: 'RangeError', has: ['y', '7', '8 rows'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y.slice(0, 7), o(ctx)) });
  for (const [v, cls] of [['2', 'TypeError'], [true, 'TypeError'], [null, 'TypeError'], [NaN, 'TypeError'], [Infinity, 'TypeError'], [undefined, 'TypeError']]) {
    row({
      id: `fit: X[5][1] = ${show(v)}`, expect: cls, has: ['X[5][1]', show(v)], setup: regSetup,
      run: (ctx, d) => { ctx.X[5][1] = v; return d.fit(ctx.model, ctx.X, ctx.y, o(ctx)); },
    });
    row({
      id: `fit: regression y[6] = ${show(v)}`, expect: cls, has: ['y[6]', show(v)], setup: regSetup,
      run: (ctx, d) => { ctx.y[6] = v; return d.fit(ctx.model, ctx.X, ctx.y, o(ctx)); },
    });
  }
  row({ id: 'fit: X value too large for float32 (Float64Array 1e300)', expect: 'TypeError', has: ['X[3][0]', '1e+300'], setup: regSetup,
    run: (ctx, d) => { const data = Float64Array.from(ctx.X.flat()); data[6] = 1e300; return d.fit(ctx.model, { data, shape: [8, 2] }, ctx.y, o(ctx)); } });
  row({ id: 'fit: X with 3 columns for a 2-feature model', expect: 'RangeError', has: ['X', '3 columns'], setup: regSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X.map((r) => [...r, 1]), ctx.y, o(ctx)) });
  row({ id: 'fit: ragged X', expect: 'RangeError', has: ['X[2]'], setup: regSetup,
    run: (ctx, d) => { ctx.X[2] = [1]; return d.fit(ctx.model, ctx.X, ctx.y, o(ctx)); } });
  row({ id: 'fit: X.shape does not match X.data', expect: 'RangeError', has: ['X.shape', 'X.data'], setup: regSetup,
    run: (ctx, d) => d.fit(ctx.model, { data: new Float32Array(15), shape: [8, 2] }, ctx.y, o(ctx)) });
  // Class labels: checked once for the whole data set, index in the caller's array.
  for (const [v, cls] of [[7, 'RangeError'], [3, 'RangeError'], [-1, 'RangeError'], [1.5, 'RangeError'], [1e10, 'RangeError'], ['1', 'TypeError'], [true, 'TypeError'], [NaN, 'RangeError'], [null, 'TypeError']]) {
    row({
      id: `fit: class label y[7] = ${show(v)} with batchSize 2`, expect: cls, has: ['y[7]', show(v)], setup: clsSetup,
      run: (ctx, d) => { ctx.y[7] = v; return d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, batchSize: 2, shuffle: false }); },
    });
  }
  row({ id: 'fit: class labels in an Int32Array with 5 for 3 classes', expect: 'RangeError', has: ['y[8]', '5'], setup: clsSetup,
    run: (ctx, d) => { const y = Int32Array.from(ctx.y); y[8] = 5; return d.fit(ctx.model, ctx.X, y, { optimizer: ctx.opt, maxEpochs: 1 }); } });
  row({ id: 'fit: binary labels 0/2', expect: 'RangeError', has: ['y[3]', '2'], setup: (d) => {
    const model = new d.LogisticRegression({ nFeatures: 2 });
    const opt = new d.SGD(model.parameters(), { lr: 0.1 });
    return { model, opt, X: copyRows(REG_X), y: BIN_Y.slice() };
  }, run: (ctx, d) => { ctx.y[3] = 2; return d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1 }); } });
  // validationData: same checks, the caller's option names.
  row({ id: 'fit: validationData label out of range', expect: 'RangeError', has: ['options.validationData[1][2]', '9'], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, validationData: [ctx.X.slice(0, 3), [0, 1, 9]] }) });
  row({ id: 'fit: validationData X with NaN', expect: 'TypeError', has: ['options.validationData[0][1][0]', 'NaN'], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, validationData: [[[0, 0], [NaN, 0], [1, 1]], [0, 1, 2]] }) });
  row({ id: 'fit: validationData X with other columns', expect: 'RangeError', has: ['options.validationData[0]', 'columns'], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, validationData: [[[0, 0, 1]], [0]] }) });
  row({ id: 'fit: validationData labels too short', expect: 'RangeError', has: ['options.validationData[1]'], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, validationData: [ctx.X.slice(0, 3), [0, 1]] }) });
  // validationSplit messages name fit's options, not trainTestSplit's.
  row({ id: 'fit: validationSplit that leaves no training row', expect: 'RangeError', has: ['fit', 'options.validationSplit'], setup: regSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X.slice(0, 2), ctx.y.slice(0, 2), { optimizer: ctx.opt, maxEpochs: 1, validationSplit: 0.9 }) });
  row({ id: 'fit: validationSplit cannot be stratified (class with one row)', expect: 'RangeError', has: ['fit', 'options.validationSplit', 'options.validationData'], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X.slice(0, 4), [0, 1, 2, 0], { optimizer: ctx.opt, maxEpochs: 1, validationSplit: 0.5 }) });
  row({ id: 'fit: no message names trainTestSplit or stratify: false', expect: 'RangeError', has: ['options.validationSplit'], setup: clsSetup,
    run: (ctx, d) => {
      try { d.fit(ctx.model, ctx.X.slice(0, 4), [0, 1, 2, 0], { optimizer: ctx.opt, maxEpochs: 1, validationSplit: 0.5 }); }
      catch (e) { if (/trainTestSplit|testSize|stratify: false/.test(e.message)) throw new TypeError(`wrong names: ${e.message}`); throw e; }
    } });
  // Monitors and metrics that could only fail after the first epoch are checked up front.
  row({ id: 'fit: monitor of a metric not requested', expect: 'RangeError', has: ['options.earlyStopping.monitor', "'valAccuracy'"], setup: clsSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 2, validationData: [ctx.X, ctx.y], earlyStopping: { monitor: 'valAccuracy' } }) });
  row({ id: 'fit: metric logLoss on a model without predictProba', expect: 'TypeError', has: ['options.metrics', "'logLoss'"], setup: (d) => {
    const ctx = regSetup(d);
    ctx.model2 = { task: 'binary', parameters: () => ctx.model.parameters(), lossAndGrad: () => 0, loss: () => 0, predict: () => [] };
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model2, ctx.X, BIN_Y, { optimizer: ctx.opt, maxEpochs: 1, metrics: ['logLoss'] }) });
  // A scheduler built on another optimizer would change nothing.
  row({ id: 'fit: scheduler on another optimizer', expect: 'TypeError', has: ['options.scheduler', 'another optimizer'], setup: (d) => {
    const ctx = regSetup(d);
    ctx.other = new d.SGD(ctx.model.parameters(), { lr: 0.1 });
    ctx.dispose = [ctx.other];
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: 'sgd', maxEpochs: 1, scheduler: new d.StepLR(ctx.other, { stepSize: 1 }) }) });
  row({ id: 'fit: scheduler function returning nothing', expect: 'TypeError', has: ['options.scheduler(optimizer)', 'undefined'], setup: regSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, scheduler: () => undefined }) });
  row({ id: 'fit: optimizer instance over other parameters', expect: 'TypeError', has: ['options.optimizer', 'model.parameters()'], setup: (d) => {
    const ctx = regSetup(d);
    ctx.p = d.param([1, 2]);
    ctx.other = new d.SGD([ctx.p], { lr: 0.1 });
    ctx.dispose = [ctx.other, ctx.p];
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.other, maxEpochs: 1 }) });
}

// More ways to call fit wrongly.
{
  const o = (ctx) => ({ optimizer: ctx.opt, maxEpochs: 1 });
  row({ id: 'fit: X as a flat Float32Array without shape', expect: 'TypeError', has: ['X', 'Float32Array(16)', 'shape'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, Float32Array.from(ctx.X.flat()), ctx.y, o(ctx)) });
  row({ id: 'fit: X with no rows', expect: 'RangeError', has: ['X', 'no rows'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, [], [], o(ctx)) });
  row({ id: 'fit: one-hot labels for a classifier', expect: 'TypeError', has: ['y[0]', '[1, 0, 0]'], setup: clsSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))), o(ctx)) });
  row({ id: 'fit: a disposed optimizer instance', expect: 'TypeError', has: ['options.optimizer', 'disposed'], setup: (d) => {
    const ctx = regSetup(d);
    ctx.old = new d.SGD(ctx.model.parameters(), { lr: 0.1 });
    ctx.old.dispose();
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.old, maxEpochs: 1 }) });
  row({ id: 'fit: a disposed model', expect: 'Error', has: ['disposed'], setup: (d) => {
    const ctx = regSetup(d);
    ctx.gone = new d.LinearRegression({ nFeatures: 2 });
    ctx.gone.dispose();
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.gone, ctx.X, ctx.y, { maxEpochs: 1 }) });
  row({ id: 'fit: targets too large for float32', expect: 'TypeError', has: ['y[2]', '1e+40'], setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y.map((v, i) => (i === 2 ? 1e40 : v)), o(ctx)) });
  row({ id: 'fit: an onEpochEnd that throws frees everything and keeps the error', expect: 'Error', has: ['from the callback'], mayChange: true, setup: regSetup,
    run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 3, onEpochEnd: () => { throw new Error('from the callback'); } }) });
  row({ id: 'fitAsync: an already aborted signal stops before the first step', expect: 'ok', setup: regSetup, run: (ctx, d) => {
    const c = new AbortController();
    c.abort();
    return d.fitAsync(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 3, signal: c.signal });
  }, check: (h) => h.stopReason === 'aborted' && h.batchLoss.length === 0 });
  row({ id: 'fit: maxEpochs 0 trains nothing', expect: 'ok', setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 0 }), check: (h) => h.epochs.length === 0 });
  row({ id: 'fit: a huge batchSize is the full batch', expect: 'ok', setup: regSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, batchSize: 1e9 }), check: (h) => h.batchLoss.length === 1 });
  row({ id: 'fit: Uint8Array labels for a classifier', expect: 'ok', setup: clsSetup, run: (ctx, d) => d.fit(ctx.model, ctx.X, Uint8Array.from(ctx.y), { optimizer: ctx.opt, maxEpochs: 1 }), check: (h) => h.epochs.length === 1 });
  row({ id: 'fit: validationData whose X lives in Wasm memory', expect: 'ok', setup: (d) => {
    const ctx = clsSetup(d);
    ctx.tensors = [d.tensor(ctx.X.flat())];
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 2, validationData: [{ data: ctx.tensors[0].data, shape: [9, 2] }, ctx.y], metrics: ['accuracy'] }),
  check: (h) => h.epochs.length === 2 && Number.isFinite(h.valLoss[1]) });
}

// fit: resume.
{
  const ckSetup = (d) => {
    const ctx = regSetup(d);
    d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, batchSize: 4, onCheckpoint: (c) => { ctx.ck = JSON.parse(JSON.stringify(c)); } });
    return ctx;
  };
  const resume = (ctx, d, ck, X = ctx.X, y = ctx.y) => d.fit(ctx.model, X, y, { optimizer: ctx.opt, maxEpochs: 3, batchSize: 4, resume: ck });
  row({ id: 'fit resume: data of another size', expect: 'RangeError', has: ['8 rows', '6'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, ctx.ck, ctx.X.slice(0, 6), ctx.y.slice(0, 6)) });
  row({ id: 'fit resume: trainer section null (a saveCheckpoint checkpoint)', expect: 'TypeError', has: ['options.resume.trainer', 'null'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, trainer: null }) });
  row({ id: 'fit resume: order out of range', expect: 'RangeError', has: ['options.resume.trainer.order', '99'], setup: ckSetup,
    run: (ctx, d) => resume(ctx, d, { ...ctx.ck, trainer: { ...ctx.ck.trainer, order: [99, ...ctx.ck.trainer.order.slice(1)] } }) });
  row({ id: 'fit resume: order with a repeated row', expect: 'RangeError', has: ['options.resume.trainer.order'], setup: ckSetup,
    run: (ctx, d) => resume(ctx, d, { ...ctx.ck, trainer: { ...ctx.ck.trainer, order: ctx.ck.trainer.order.map(() => 0) } }) });
  row({ id: 'fit resume: prng all zeros', expect: 'TypeError', has: ['options.resume.prng', 'all zeros'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, prng: [0, 0, 0, 0] }) });
  row({ id: 'fit resume: prng word 2^32', expect: 'TypeError', has: ['options.resume.prng'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, prng: [1, 2, 3, 2 ** 32] }) });
  row({ id: 'fit resume: prng of three words', expect: 'TypeError', has: ['options.resume.prng', '[1, 2, 3]'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, prng: [1, 2, 3] }) });
  row({ id: 'fit resume: unknown version', expect: 'RangeError', has: ['options.resume.version', '7'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, version: 7 }) });
  row({ id: 'fit resume: not a checkpoint', expect: 'TypeError', has: ['options.resume', 'format'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { hello: 1 }) });
  row({ id: 'fit resume: epoch -1', expect: 'RangeError', has: ['options.resume.epoch', '-1'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, epoch: -1 }) });
  row({ id: 'fit resume: NaN parameter', expect: 'RangeError', has: ['options.resume.params[0]', 'NaN'], setup: ckSetup, run: (ctx, d) => {
    const nan = Buffer.from(new Float32Array([NaN, 1]).buffer).toString('base64');
    return resume(ctx, d, { ...ctx.ck, params: [{ ...ctx.ck.params[0], data: nan }, ctx.ck.params[1]] });
  } });
  row({ id: 'fit resume: negative second moment', expect: 'RangeError', has: ['expAvgSq', '-1'], setup: (d) => {
    const ctx = regSetup(d, 'Adam');
    d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, batchSize: 4, onCheckpoint: (c) => { ctx.ck = JSON.parse(JSON.stringify(c)); } });
    return ctx;
  }, run: (ctx, d) => {
    const ck = JSON.parse(JSON.stringify(ctx.ck));
    ck.optimizer.state[0].expAvgSq[0] = -1;
    return resume(ctx, d, ck);
  } });
  row({ id: 'fit resume: esWait 1.5', expect: 'RangeError', has: ['esWait', '1.5'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, trainer: { ...ctx.ck.trainer, esWait: 1.5 } }) });
  row({ id: 'fit resume: convBest "big"', expect: 'TypeError', has: ['convBest', "'big'"], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, trainer: { ...ctx.ck.trainer, convBest: 'big' } }) });
  row({ id: 'fit resume: history without epochs', expect: 'TypeError', has: ['options.resume.history'], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, history: { batchLoss: [] } }) });
  row({ id: 'fit resume: history stopReason unknown', expect: 'TypeError', has: ['stopReason', "'bored'"], setup: ckSetup, run: (ctx, d) => resume(ctx, d, { ...ctx.ck, history: { ...ctx.ck.history, stopReason: 'bored' } }) });
  row({ id: 'fit resume: a round-tripped checkpoint resumes (Infinity kept)', expect: 'ok', setup: ckSetup, run: (ctx, d) => resume(ctx, d, ctx.ck),
    check: (h) => h.epochs.length === 3 });
  row({ id: 'fit resume: tol set, convBest Infinity survives JSON', expect: 'ok', setup: (d) => {
    const ctx = regSetup(d);
    d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, batchSize: 4, tol: 1e-12, onCheckpoint: (c) => { ctx.ck = JSON.parse(JSON.stringify(c)); } });
    return ctx;
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 2, batchSize: 4, tol: 1e-12, resume: ctx.ck }), check: (h) => h.epochs.length === 2 });
}

// fit: ownership, concurrency, rollback.
{
  row({ id: 'fit: builds Adam by default and frees it (20 cycles, bytesInUse flat)', expect: 'ok', run: (_, d) => {
    for (let i = 0; i < 20; i++) {
      const m = new d.MLP({ layers: [2, 8, 3], seed: i });
      try { d.fit(m, CLS_X, CLS_Y, { maxEpochs: 1 }); } finally { m.dispose(); }
    }
  } });
  row({ id: 'fit: optimizer by name is freed', expect: 'ok', run: (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try { d.fit(m, REG_X, REG_Y, { optimizer: { name: 'adam', lr: 0.01 }, maxEpochs: 1 }); } finally { m.dispose(); }
  } });
  row({ id: 'fitAsync: optimizer by name is freed', expect: 'ok', run: async (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try { await d.fitAsync(m, REG_X, REG_Y, { optimizer: 'rmsprop', maxEpochs: 1 }); } finally { m.dispose(); }
  } });
  row({ id: 'fit: optimizer by name freed when a callback throws', expect: 'ok', run: (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try {
      d.fit(m, REG_X, REG_Y, { optimizer: 'adam', maxEpochs: 2, onEpochEnd: () => { throw new Error('stop here'); } });
    } catch (e) {
      if (e.message !== 'stop here') throw e;
    } finally { m.dispose(); }
  } });
  row({ id: 'fit: optimizer by name freed when training diverges', expect: 'ok', run: (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try {
      d.fit(m, REG_X.map((r) => r.map((v) => v * 1e18)), REG_Y, { optimizer: { name: 'sgd', lr: 1e10 }, maxEpochs: 5 });
    } catch (e) {
      if (e.name !== 'DivergenceError') throw e;
    } finally { m.dispose(); }
  } });
  row({ id: 'fit: optimizer by name freed when fit refuses the data', expect: 'ok', run: (_, d) => {
    const m = new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
    try { d.fit(m, CLS_X, CLS_Y.map((v) => v + 5), { optimizer: 'adam', maxEpochs: 1 }); } catch (e) { if (!(e instanceof RangeError)) throw e; } finally { m.dispose(); }
  } });
  row({ id: 'fitDetailed: hands the optimizer it built to the caller', expect: 'ok', run: (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try {
      const r = d.fitDetailed(m, REG_X, REG_Y, { optimizer: 'adam', maxEpochs: 1 });
      r.optimizer.step(); // still usable
      r.optimizer.dispose();
    } finally { m.dispose(); }
  } });
  row({ id: 'lrFind: frees the optimizer it builds', expect: 'ok', run: (_, d) => {
    const m = new d.LinearRegression({ nFeatures: 2 });
    try { d.lrFind(m, REG_X, REG_Y, { numIt: 10, batchSize: 2 }); } finally { m.dispose(); }
  } });
  row({ id: 'fit: batch buffers freed when the batch cannot be allocated', expect: 'RangeError', has: ['maxMemoryMB'], fresh: 16, setup: (d) => {
    const model = new d.LinearRegression({ nFeatures: 2000 });
    const X = { data: new Float32Array(2000 * 600), shape: [600, 2000] };
    const y = new Float32Array(600);
    const opt = new d.SGD(model.parameters(), { lr: 0.01 });
    const hog = [];
    // fill memory up to the limit so that fit's copies cannot be made
    try { for (;;) hog.push(d.tensor.zeros(1 << 18)); } catch { /* full */ }
    hog.pop()?.dispose();
    return { model, opt, X, y, tensors: [], dispose: hog };
  }, run: (ctx, d) => d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, batchSize: 600, maxEpochs: 1 }) });
  // The first run's onBatchEnd spins past fitAsync's 10 ms slice, so it yields before finishing.
  const slow = () => { const t = Date.now(); while (Date.now() - t < 12); };
  row({ id: 'fitAsync twice on one model: the second is refused, the first finishes', expect: 'Error', has: ['already being trained'], mayChange: true, setup: regSetup, run: async (ctx, d) => {
    const first = d.fitAsync(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 3, batchSize: 1, onBatchEnd: slow });
    try {
      await d.fitAsync(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 3, batchSize: 1 });
    } finally {
      await first;
    }
  }, check: undefined });
  row({ id: 'fit inside a callback of another fit on the same model is refused', expect: 'Error', has: ['already being trained'], mayChange: true, setup: regSetup, run: (ctx, d) => {
    let inner;
    try {
      d.fit(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 1, onBatchEnd: () => { try { d.fit(ctx.model, ctx.X, ctx.y, { maxEpochs: 1 }); } catch (e) { inner = e; } return false; } });
    } catch (e) { inner ??= e; }
    if (inner) throw inner;
  } });
  row({ id: 'fit: after a refused concurrent run the model trains again', expect: 'ok', setup: regSetup, run: async (ctx, d) => {
    const first = d.fitAsync(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 2, batchSize: 1, onBatchEnd: slow });
    await d.fitAsync(ctx.model, ctx.X, ctx.y, { maxEpochs: 1 }).catch(() => undefined);
    await first;
    return d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1 });
  }, check: (h) => h.epochs.length === 1 });
  row({ id: 'fit: divergence rolls back the parameters and the optimizer state (moments, step counts)', expect: 'ok', setup: (d) => {
    const model = new d.LinearRegression({ nFeatures: 2 });
    const opt = new d.SGD(model.parameters(), { lr: 1e6, momentum: 0.9 });
    return { model, opt };
  }, run: (ctx, d) => {
    const snaps = [{ p: ctx.model.parameters().map((p) => Array.from(p.data)), s: JSON.stringify(ctx.opt.stateDict()) }];
    try {
      d.fit(ctx.model, REG_X.map((r) => r.map((v) => v * 1e6)), REG_Y, {
        optimizer: ctx.opt, maxEpochs: 50, batchSize: 2, shuffle: false,
        onBatchEnd: () => { snaps.push({ p: ctx.model.parameters().map((p) => Array.from(p.data)), s: JSON.stringify(ctx.opt.stateDict()) }); },
      });
    } catch (e) {
      if (e.name !== 'DivergenceError') throw e;
      return snaps;
    }
    throw new Error('did not diverge');
  }, check: (snaps, ctx) => {
    const prev = snaps[snaps.length - 2];
    if (!prev) return false;
    const now = ctx.model.parameters().map((p) => Array.from(p.data));
    return JSON.stringify(now) === JSON.stringify(prev.p) && JSON.stringify(ctx.opt.stateDict()) === prev.s;
  } });
  row({ id: 'fit: keeps training from Wasm-resident X (a tensor view) across its own allocations', expect: 'ok', fresh: 64, setup: (d) => {
    const t = d.tensor(REG_X.flat());
    const model = new d.LinearRegression({ nFeatures: 2 });
    return { model, tensors: [t], dispose: [tight(d)] };
  }, run: (ctx, d) => d.fit(ctx.model, { data: ctx.tensors[0].data, shape: [8, 2] }, REG_Y, { optimizer: 'sgd', maxEpochs: 2, batchSize: 3 }),
  check: (h) => h.epochs.length === 2 && Number.isFinite(h.loss[1]) });
}

// lrFind.
{
  const call = (ctx, d, o) => d.lrFind(ctx.model, ctx.X, ctx.y, { numIt: 5, optimizer: ctx.opt, ...o });
  unknownRows('lrFind', [['num_it', 'numIt'], ['start_lr', 'startLr'], ['endlr', 'endLr'], ['epochs', undefined]], (ctx, d, bad) => call(ctx, d, { [bad]: 1 }), regSetup);
  const opt = (name, bads) => optionRows('lrFind', `options.${name}`, bads, (ctx, d, v) => call(ctx, d, { [name]: v }), regSetup);
  opt('startLr', [[0, 'RangeError'], [-1, 'RangeError'], ['1e-7', 'TypeError']]);
  opt('endLr', [[Infinity, 'RangeError'], ['10', 'TypeError']]);
  opt('numIt', [[1, 'RangeError'], [2.5, 'RangeError'], ['100', 'TypeError']]);
  opt('beta', [[1, 'RangeError'], [-0.1, 'RangeError'], ['0.98', 'TypeError']]);
  opt('stopDiv', [['no', 'TypeError']]);
  opt('batchSize', [[0, 'RangeError'], ['full', 'TypeError']]);
  opt('seed', [[1.5, 'RangeError']]);
  row({ id: 'lrFind: options null', expect: 'TypeError', has: ['options', 'null'], setup: regSetup, run: (ctx, d) => d.lrFind(ctx.model, ctx.X, ctx.y, null) });
  row({ id: 'lrFind: endLr below startLr', expect: 'RangeError', has: ['options.endLr', 'options.startLr'], setup: regSetup, run: (ctx, d) => call(ctx, d, { startLr: 1, endLr: 0.1 }) });
  row({ id: 'lrFind: restores the parameters and the optimizer state', expect: 'ok', setup: regSetup, run: (ctx, d) => {
    const before = JSON.stringify([ctx.model.parameters().map((p) => Array.from(p.data)), ctx.opt.stateDict()]);
    d.lrFind(ctx.model, ctx.X, ctx.y, { numIt: 8, optimizer: ctx.opt, batchSize: 2 });
    return before;
  }, check: (before, ctx) => before === JSON.stringify([ctx.model.parameters().map((p) => Array.from(p.data)), ctx.opt.stateDict()]) });
}

// ------------------------------------------------------------------------------------------------
// Models.

const MODELS = [
  ['LinearRegression', { nFeatures: 2 }],
  ['LogisticRegression', { nFeatures: 2 }],
  ['SoftmaxRegression', { nFeatures: 2, nClasses: 3 }],
  ['LinearSVM', { nFeatures: 2 }],
  ['MLP', { layers: [2, 4, 3] }],
];

for (const [cls, good] of MODELS) {
  const make = (d, o) => new d[cls]({ ...good, ...o });
  const hasClasses = cls !== 'LinearRegression' && cls !== 'MLP';
  unknownRows(`${cls} constructor`, [
    ['numClasses', hasClasses ? 'nClasses' : undefined], ['n_features', cls === 'MLP' ? undefined : 'nFeatures'], ['learningRate', undefined], ['fit_intercept', cls === 'MLP' ? undefined : 'fitIntercept'],
  ], (_, d, bad) => make(d, { [bad]: 3 }));
  row({ id: `${cls}: options = null`, expect: 'TypeError', has: ['options', 'null'], run: (_, d) => new d[cls](null) });
  row({ id: `${cls}: options = 5`, expect: 'TypeError', has: ['options', '5'], run: (_, d) => new d[cls](5) });
  row({ id: `${cls}: no options`, expect: 'TypeError', has: [cls === 'MLP' ? 'options.layers' : 'options.nFeatures', 'undefined'], run: (_, d) => new d[cls]() });
  const opt = (name, bads) => optionRows(cls, `options.${name}`, bads, (_, d, v) => make(d, { [name]: v }));
  if (cls !== 'MLP') {
    opt('nFeatures', [[0, 'RangeError'], [2.5, 'RangeError'], ['2', 'TypeError'], [NaN, 'RangeError'], [-3, 'RangeError']]);
    opt('fitIntercept', [['no', 'TypeError'], [0, 'TypeError']]);
  } else {
    opt('layers', [[[2], 'RangeError'], ['2,4,3', 'TypeError'], [[2, 0, 3], 'RangeError', '0'], [[2, 4.5, 3], 'RangeError', '4.5'], [[2, '4', 3], 'TypeError', "'4'"]]);
    opt('activation', [['relux', 'RangeError', undefined, "'relu'"], ['ReLU', 'RangeError'], [1, 'TypeError']]);
    opt('seed', [[1.5, 'RangeError'], ['1', 'TypeError'], [NaN, 'RangeError']]);
    opt('init', [['glorot', 'RangeError'], [1, 'TypeError']]);
    opt('slope', [[-0.1, 'RangeError'], ['0.01', 'TypeError']]);
    opt('loss', [['cross-entropy', 'RangeError'], [5, 'TypeError']]);
    opt('delta', [[0, 'RangeError'], ['1', 'TypeError']]);
  }
  opt('penalty', [['l3', 'RangeError'], ['L2', 'RangeError'], [2, 'TypeError']]);
  opt('alpha', [[-1, 'RangeError'], ['0.1', 'TypeError'], [NaN, 'RangeError'], [Infinity, 'RangeError']]);
  opt('l1Ratio', [[1.5, 'RangeError'], [-0.1, 'RangeError'], ['0.5', 'TypeError']]);
  if (cls !== 'LinearRegression') opt('C', [[0, 'RangeError'], [-1, 'RangeError'], ['1', 'TypeError']]);
  if (cls === 'LogisticRegression' || cls === 'SoftmaxRegression' || cls === 'LinearSVM') opt('nClasses', [[1, 'RangeError'], [2.5, 'RangeError'], ['3', 'TypeError']]);
  if (cls === 'LinearRegression') {
    opt('nOutputs', [[0, 'RangeError'], ['2', 'TypeError']]);
    opt('loss', [['l2', 'RangeError'], [1, 'TypeError']]);
    opt('delta', [[0, 'RangeError'], [-1, 'RangeError'], ['1', 'TypeError']]);
  }
  if (cls === 'LinearSVM') opt('loss', [['log', 'RangeError'], [0, 'TypeError']]);
}

// Model calls.
{
  const soft = (d) => {
    const model = new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
    model.parameters()[0].data.set([0.5, -0.5, 0.25, 1, 0, -1]);
    model.lossAndGrad(CLS_X, CLS_Y); // the workspace for 9 rows exists
    return { model };
  };
  for (const m of ['lossAndGrad', 'loss', 'loss64']) {
    unknownRows(`SoftmaxRegression.${m}`, [['sample_weight', 'sampleWeight'], ['weights', undefined], ['check', 'checked']], (ctx, d, bad) => ctx.model[m](CLS_X, CLS_Y, { [bad]: 1 }), soft);
    row({ id: `SoftmaxRegression.${m}: options = 5`, expect: 'TypeError', has: ['options', '5'], setup: soft, run: (ctx) => ctx.model[m](CLS_X, CLS_Y, 5) });
    row({ id: `SoftmaxRegression.${m}: label 3 for 3 classes`, expect: 'RangeError', has: ['y[4]', '3'], setup: soft, run: (ctx) => ctx.model[m](CLS_X, CLS_Y.map((v, i) => (i === 4 ? 3 : v))) });
    row({ id: `SoftmaxRegression.${m}: label '1'`, expect: 'TypeError', has: ['y[2]', "'1'"], setup: soft, run: (ctx) => ctx.model[m](CLS_X, CLS_Y.map((v, i) => (i === 2 ? '1' : v))) });
    row({ id: `SoftmaxRegression.${m}: X with Infinity`, expect: 'TypeError', has: ['X[3][1]', 'Infinity'], setup: soft, run: (ctx) => ctx.model[m](CLS_X.map((r, i) => (i === 3 ? [r[0], Infinity] : r)), CLS_Y) });
    row({ id: `SoftmaxRegression.${m}: X value 'a'`, expect: 'TypeError', has: ['X[1][0]', "'a'"], setup: soft, run: (ctx) => ctx.model[m](CLS_X.map((r, i) => (i === 1 ? ['a', r[1]] : r)), CLS_Y) });
    row({ id: `SoftmaxRegression.${m}: sampleWeight -1`, expect: 'RangeError', has: ['sampleWeight[0]', '-1'], setup: soft, run: (ctx) => ctx.model[m](CLS_X, CLS_Y, { sampleWeight: CLS_Y.map((_, i) => (i === 0 ? -1 : 1)) }) });
    row({ id: `SoftmaxRegression.${m}: sampleWeight '1'`, expect: 'TypeError', has: ['sampleWeight[1]', "'1'"], setup: soft, run: (ctx) => ctx.model[m](CLS_X, CLS_Y, { sampleWeight: CLS_Y.map((_, i) => (i === 1 ? '1' : 1)) }) });
  }
  row({ id: 'SoftmaxRegression.lossAndGrad: checked = "yes"', expect: 'TypeError', has: ['options.checked', "'yes'"], needs: ['softmaxCrossEntropyLoss'], setup: soft, run: (ctx) => ctx.model.lossAndGrad(CLS_X, CLS_Y, { checked: 'yes' }) });
  row({ id: 'SoftmaxRegression.lossAndGrad: checked: true still checks labels', expect: 'RangeError', has: ['y[0]', '99'], needs: ['softmaxCrossEntropyLoss'], setup: soft, run: (ctx) => ctx.model.lossAndGrad(CLS_X, CLS_Y.map((v, i) => (i === 0 ? 99 : v)), { checked: true }) });
  row({ id: 'SoftmaxRegression.checkData names the caller and index', expect: 'RangeError', has: ['myFit', 'labels[5]', '4'], needs: ['softmaxCrossEntropyLoss'], setup: soft,
    run: (ctx) => ctx.model.checkData(CLS_X, CLS_Y.map((v, i) => (i === 5 ? 4 : v)), { fn: 'myFit', X: 'features', y: 'labels' }) });
  const resident = (name, method) => row({
    id: `${name}: X that lives in Wasm memory, when the call grows memory`, expect: 'ok', fresh: 64,
    setup: (d) => {
      const model = name.startsWith('MLP') ? new d.MLP({ layers: [2, 64, 3], seed: 1 }) : new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
      const rowsN = 3000;
      const t = d.tensor.zeros(rowsN * 2);
      const v = t.data;
      for (let i = 0; i < v.length; i++) v[i] = ((i * 37) % 11) / 11;
      return { model, tensors: [t], rowsN, host: t.toArray(), dispose: [tight(d)] };
    },
    run: (ctx, d) => {
      const before = d.memoryStats().bytesReserved;
      const out = ctx.model[method]({ data: ctx.tensors[0].data, shape: [ctx.rowsN, 2] }, ...(method.startsWith('loss') ? [new Int32Array(ctx.rowsN)] : []));
      return { out, grew: d.memoryStats().bytesReserved > before };
    },
    check: (r, ctx) => {
      const again = ctx.model[method]({ data: ctx.host, shape: [ctx.rowsN, 2] }, ...(method.startsWith('loss') ? [new Int32Array(ctx.rowsN)] : []));
      return r.grew && JSON.stringify(Array.from(typeof again === 'number' ? [again] : again)) === JSON.stringify(Array.from(typeof r.out === 'number' ? [r.out] : r.out));
    },
  });
  resident('SoftmaxRegression.predict', 'predict');
  resident('SoftmaxRegression.predictProba', 'predictProba');
  resident('SoftmaxRegression.decisionFunction', 'decisionFunction');
  resident('MLP.predictProba', 'predictProba');
  resident('MLP.lossAndGrad', 'lossAndGrad');
  row({ id: 'LinearRegression.predict: a detached view is refused with a sentence', expect: 'TypeError', has: ['X.data', 'memory grew'], fresh: 64, setup: (d) => {
    const model = new d.LinearRegression({ nFeatures: 2 });
    const t = d.tensor([1, 2, 3, 4]);
    const stale = t.data;
    const hog = d.tensor.zeros(1 << 21); // grows the memory: stale is detached
    return { model, tensors: [t], dispose: [hog], stale };
  }, run: (ctx) => ctx.model.predict({ data: ctx.stale, shape: [2, 2] }) });
  // A refused first call leaves memory as it was (the workspace is made only after the checks).
  const fresh = (d) => ({ model: new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 }) });
  row({ id: 'SoftmaxRegression.lossAndGrad (first call): NaN in X', expect: 'TypeError', has: ['X[2][0]', 'NaN'], setup: fresh, run: (ctx) => ctx.model.lossAndGrad(CLS_X.map((r, i) => (i === 2 ? [NaN, r[1]] : r)), CLS_Y) });
  row({ id: 'SoftmaxRegression.lossAndGrad (first call): label 5', expect: 'RangeError', has: ['y[8]', '5'], setup: fresh, run: (ctx) => ctx.model.lossAndGrad(CLS_X, CLS_Y.map((v, i) => (i === 8 ? 5 : v))) });
  row({ id: 'SoftmaxRegression.loss (first call): sampleWeight NaN', expect: 'RangeError', has: ['sampleWeight[1]', 'NaN'], setup: fresh, run: (ctx) => ctx.model.loss(CLS_X, CLS_Y, { sampleWeight: CLS_Y.map((_, i) => (i === 1 ? NaN : 1)) }) });
  row({ id: 'SoftmaxRegression.predict (first call): Infinity in X', expect: 'TypeError', has: ['X[0][1]', 'Infinity'], setup: fresh, run: (ctx) => ctx.model.predict([[0, Infinity]]) });
  row({ id: 'SoftmaxRegression.predictProba (first call): Float64Array X with 1e300', expect: 'TypeError', has: ['X[1][0]', '1e+300'], setup: fresh, run: (ctx) => ctx.model.predictProba({ data: Float64Array.from([0, 0, 1e300, 0]), shape: [2, 2] }) });
  row({ id: "MLP.reserve('64')", expect: 'TypeError', has: ['rows', "'64'"], setup: (d) => ({ model: new d.MLP({ layers: [2, 3, 2] }) }), run: (ctx) => ctx.model.reserve('64') });
  row({ id: 'MLP.reserve(0)', expect: 'RangeError', has: ['rows', '0'], setup: (d) => ({ model: new d.MLP({ layers: [2, 3, 2] }) }), run: (ctx) => ctx.model.reserve(0) });
  row({ id: 'MLP.reserve past the memory limit frees what it took', expect: 'RangeError', has: ['maxMemoryMB'], fresh: 16, setup: (d) => ({ model: new d.MLP({ layers: [2, 3000, 2] }) }), run: (ctx) => ctx.model.reserve(2000) });
  row({ id: 'LinearRegression.predict: X = null', expect: 'TypeError', has: ['X', 'null'], setup: (d) => ({ model: new d.LinearRegression({ nFeatures: 2 }) }), run: (ctx) => ctx.model.predict(null) });
  row({ id: 'LinearRegression.predict: 3 columns', expect: 'RangeError', has: ['X', '3 columns'], setup: (d) => ({ model: new d.LinearRegression({ nFeatures: 2 }) }), run: (ctx) => ctx.model.predict([[1, 2, 3]]) });
  row({ id: 'MLP.predict: a string value', expect: 'TypeError', has: ['X[0][1]', "'2'"], setup: (d) => ({ model: new d.MLP({ layers: [2, 3, 2] }) }), run: (ctx) => ctx.model.predict([[1, '2']]) });
  row({ id: 'LinearRegression.predictProba does not exist; MLP mse predictProba refused', expect: 'TypeError', has: ['probabilities'], setup: (d) => ({ model: new d.MLP({ layers: [2, 3, 1], loss: 'mse' }) }), run: (ctx) => ctx.model.predictProba([[1, 2]]) });
  row({ id: 'models expose nFeatures / nClasses / nOutputs (old names kept)', expect: 'ok', needs: ['softmaxCrossEntropyLoss'], setup: (d) => ({ model: new d.SoftmaxRegression({ nFeatures: 4, nClasses: 3 }) }),
    run: (ctx) => [ctx.model.nFeatures, ctx.model.nClasses, ctx.model.nOutputs, ctx.model.numFeatures, ctx.model.numClasses], check: (r) => JSON.stringify(r) === '[4,3,3,4,3]' });
}

row({ id: 'SoftmaxRegression.checkData with a Float64Array 1e300', expect: 'TypeError', has: ['X[0][1]', '1e+300'], needs: ['softmaxCrossEntropyLoss'],
  setup: (d) => ({ model: new d.SoftmaxRegression({ nFeatures: 2, nClasses: 2 }) }), run: (ctx) => ctx.model.checkData({ data: Float64Array.from([0, 1e300]), shape: [1, 2] }, [0]) });

// Out of memory part-way (under maxMemoryMB 32): constructors give back what they took.
{
  for (const [id, build] of [
    ['MLP with one huge layer', (d) => new d.MLP({ layers: [4, 8, 200_000_000, 2] })],
    ['MLP whose last layer does not fit', (d) => new d.MLP({ layers: [1000, 1000, 6000] })],
    ['LinearRegression whose gradient does not fit', (d) => new d.LinearRegression({ nFeatures: 5_000_000 })],
    ['SoftmaxRegression too wide', (d) => new d.SoftmaxRegression({ nFeatures: 2_000_000, nClasses: 4 })],
    ['param huge', (d) => d.param.zeros(600_000_000)],
    ['param whose gradient does not fit', (d) => d.param.zeros(5_000_000)],
    ['tensor huge', (d) => d.tensor.zeros(2 ** 31)],
  ]) {
    row({ id: `out of memory: ${id}`, expect: 'RangeError', has: ['maxMemoryMB'], fresh: 32, run: (_, d) => build(d) });
  }
}

// modelFromJSON and fromJSON.
{
  const json = (d, type = 'SoftmaxRegression') => {
    const m = type === 'MLP' ? new d.MLP({ layers: [2, 3, 2] }) : new d.SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
    const j = JSON.parse(JSON.stringify(m.toJSON()));
    m.dispose();
    return j;
  };
  const bad = (id, cls, has, edit, type) => row({ id: `modelFromJSON: ${id}`, expect: cls, has, setup: (d) => ({ j: edit(json(d, type)) }), run: (ctx, d) => d.modelFromJSON(ctx.j) });
  bad('NaN parameter', 'RangeError', ["json.params['weight'][0]", 'NaN'], (j) => { j.params.weight[0] = 'NaN'; return j; });
  bad('Infinity parameter', 'RangeError', ["json.params['bias'][1]", 'Infinity'], (j) => { j.params.bias[1] = 'Infinity'; return j; });
  bad('null parameter (JSON of a NaN)', 'TypeError', ["json.params['weight'][2]", 'null'], (j) => { j.params.weight[2] = null; return j; });
  bad('string parameter', 'TypeError', ["json.params['weight'][1]", "'0.5'"], (j) => { j.params.weight[1] = '0.5'; return j; });
  bad('short parameter', 'RangeError', ["json.params['weight']", '6'], (j) => { j.params.weight.pop(); return j; });
  bad('unknown parameter name', 'RangeError', ["'extra'"], (j) => { j.params.extra = [1]; return j; });
  bad('unknown version', 'RangeError', ['json.version', '2'], (j) => { j.version = 2; return j; });
  bad('unknown option in options', 'TypeError', ['options.nClases', 'nClasses'], (j) => { j.options.nClases = 3; return j; });
  bad('bad option value', 'RangeError', ['options.nClasses', '1'], (j) => { j.options.nClasses = 1; return j; });
  bad('options missing', 'TypeError', ['json.options'], (j) => { delete j.options; return j; });
  bad('params missing', 'TypeError', ['json.params'], (j) => { delete j.params; return j; });
  bad('MLP NaN parameter', 'RangeError', ["layers.0.weight", 'NaN'], (j) => { j.params['layers.0.weight'][0] = 'NaN'; return j; }, 'MLP');
  bad('MLP layers changed', 'RangeError', ["layers.0.weight"], (j) => { j.options.layers = [2, 4, 2]; return j; }, 'MLP');
  row({ id: 'modelFromJSON: unknown type', expect: 'TypeError', has: ["'Nope'"], run: (_, d) => d.modelFromJSON({ format: 'descent-model', version: 1, type: 'Nope' }) });
  row({ id: 'modelFromJSON: null', expect: 'TypeError', has: ['json', 'null'], run: (_, d) => d.modelFromJSON(null) });
  row({ id: 'modelFromJSON: round trip through JSON text is exact', expect: 'ok', setup: (d) => {
    const model = new d.MLP({ layers: [2, 3, 2], seed: 3 });
    return { model };
  }, run: (ctx, d) => d.modelFromJSON(JSON.parse(JSON.stringify(ctx.model.toJSON()))), check: (copy, ctx) => {
    const a = ctx.model.parameters().map((p) => Array.from(p.data)), b = copy.parameters().map((p) => Array.from(p.data));
    return JSON.stringify(a) === JSON.stringify(b);
  } });
  row({ id: 'modelFromJSON: 50 refused loads leak nothing', expect: 'ok', setup: (d) => ({ j: json(d) }), run: (ctx, d) => {
    const j = { ...ctx.j, params: { ...ctx.j.params, weight: ctx.j.params.weight.map((v, i) => (i === 0 ? 'NaN' : v)) } };
    for (let i = 0; i < 50; i++) { try { d.modelFromJSON(j); } catch { /* refused */ } }
  } });
}

// ------------------------------------------------------------------------------------------------
// Losses and penalties.

const LOSS_FNS = [
  ['mseLoss', [[1, 2]], [1, 2]],
  ['maeLoss', [[1, 2]], [1, 2]],
  ['huberLoss', [[1, 2]], [1, 2]],
  ['bceWithLogitsLoss', [[1, 2]], [1, 0]],
  ['hingeLoss', [[1, 2]], [1, 0]],
  ['squaredHingeLoss', [[1, 2]], [1, 0]],
  ['softmaxCrossEntropyLoss', [[1, 2], [0, 1]], [1, 0]],
  ['multiclassHingeLoss', [[1, 2], [0, 1]], [1, 0]],
];
for (const [fn, x, y] of LOSS_FNS) {
  const needs = fn === 'softmaxCrossEntropyLoss' ? [fn] : [];
  const call = (d, o) => d[fn](x, y, o);
  unknownRows(fn, [['reduce', 'reduction'], ['sample_weight', 'sampleWeight'], ['weights', undefined]], (_, d, bad) => call(d, { [bad]: 'mean' }));
  for (const r of rows.slice(-3)) r.needs = needs;
  const opt = (name, bads) => { optionRows(fn, `options.${name}`, bads, (_, d, v) => call(d, { [name]: v })); for (const r of rows.slice(-bads.length)) r.needs = needs; };
  opt('reduction', [['avg', 'RangeError'], ['Mean', 'RangeError'], [1, 'TypeError']]);
  if (fn === 'huberLoss' || fn === 'multiclassHingeLoss') opt('delta', [[0, 'RangeError'], [-1, 'RangeError'], ['2', 'TypeError'], [NaN, 'RangeError']]);
  else unknownRows(fn, [['delta', undefined]], (_, d, bad) => call(d, { [bad]: 2 }));
  row({ id: `${fn}: options = 'mean'`, expect: 'TypeError', has: ['options', "'mean'"], needs, run: (_, d) => d[fn](x, y, 'mean') });
  row({ id: `${fn}: predictions null`, expect: 'TypeError', has: ['null'], needs, run: (_, d) => d[fn](null, y) });
  row({ id: `${fn}: label '1'`, expect: 'TypeError', has: ["'1'"], needs, run: (_, d) => d[fn](x, y.map((v, i) => (i === 0 ? '1' : v))) });
  row({ id: `${fn}: predictions in Wasm memory grown by the call`, expect: 'ok', needs, fresh: 64, setup: (d) => {
    const n = 20000;
    const t = d.tensor.zeros(n * 2);
    return { tensors: [t], n, dispose: [tight(d)] };
  }, run: (ctx, d) => {
    const before = d.memoryStats().bytesReserved;
    const labels = Array.from({ length: ctx.n }, (_, i) => i % 2);
    const r = d[fn]({ data: ctx.tensors[0].data, shape: [ctx.n, 2] }, fn.includes('oftmax') || fn.includes('ulticlass') ? labels : labels.flatMap((v) => [v, v]));
    return { r, grew: d.memoryStats().bytesReserved > before };
  }, check: (o) => o.grew && Number.isFinite(o.r.loss) });
}
row({ id: 'softmaxCrossEntropy is kept as an alias of softmaxCrossEntropyLoss', expect: 'ok', needs: ['softmaxCrossEntropyLoss'], run: (_, d) => d.softmaxCrossEntropy === d.softmaxCrossEntropyLoss });
for (const [fn, args, has, cls] of [
  ['l2Penalty', [[1, 2], '0.1'], ['lambda', "'0.1'"], 'TypeError'],
  ['l2Penalty', [[1, 2], -1], ['lambda', '-1'], 'RangeError'],
  ['l1Penalty', [[1, 2], NaN], ['lambda', 'NaN'], 'RangeError'],
  ['l1Penalty', [[1, Infinity], 0.1], ['w[1]', 'Infinity'], 'TypeError'],
  ['l2Penalty', [[1, '2'], 0.1], ['w[1]', "'2'"], 'TypeError'],
  ['l2Penalty', [null, 0.1], ['w', 'null'], 'TypeError'],
  ['elasticNetPenalty', [[1, 2], { l1_ratio: 0.5 }], ['l1_ratio', 'l1Ratio'], 'TypeError'],
  ['elasticNetPenalty', [[1, 2], { l1Ratio: 2 }], ['options.l1Ratio', '2'], 'RangeError'],
  ['elasticNetPenalty', [[1, 2], { alpha: '1' }], ['options.alpha', "'1'"], 'TypeError'],
]) row({ id: `${fn}(${args.map((a) => (a !== null && typeof a === 'object' && !Array.isArray(a) ? JSON.stringify(a) : show(a))).join(', ')})`, expect: cls, has, run: (_, d) => d[fn](...args) });

// ------------------------------------------------------------------------------------------------
// Tensors, parameters, blas1.

for (const [id, run, cls, has] of [
  ['param([1, Infinity])', (d) => d.param([1, Infinity]), 'TypeError', ['init[1]', 'Infinity']],
  ['param([1, -Infinity])', (d) => d.param([1, -Infinity]), 'TypeError', ['init[1]', '-Infinity']],
  ['param([NaN])', (d) => d.param([NaN]), 'TypeError', ['init[0]', 'NaN']],
  ['param(Infinity)', (d) => d.param(Infinity), 'TypeError', ['param(init)', 'Infinity']],
  ["param(['1', 2])", (d) => d.param(['1', 2]), 'TypeError', ['init[0]', "'1'"]],
  ['param([true])', (d) => d.param([true]), 'TypeError', ['init[0]', 'true']],
  ["param('abc')", (d) => d.param('abc'), 'TypeError', ['param(init)', "'abc'"]],
  ['param(null)', (d) => d.param(null), 'TypeError', ['param(init)', 'null']],
  ['param([1], { nam: "w" })', (d) => d.param([1], { nam: 'w' }), 'TypeError', ['options.nam', 'name']],
  ['param([1], { name: 5 })', (d) => d.param([1], { name: 5 }), 'TypeError', ['options.name', '5']],
  ['param.zeros(-1)', (d) => d.param.zeros(-1), 'RangeError', ['param.zeros(size)', '-1']],
  ['param.zeros(2.5)', (d) => d.param.zeros(2.5), 'RangeError', ['param.zeros(size)', '2.5']],
  ["param.zeros('3')", (d) => d.param.zeros('3'), 'TypeError', ['param.zeros(size)', "'3'"]],
  ['param.zeros(3, { size: 1 })', (d) => d.param.zeros(3, { size: 1 }), 'TypeError', ['options.size']],
  ['tensor([1, Infinity])', (d) => d.tensor([1, Infinity]), 'TypeError', ['init[1]', 'Infinity']],
  ["tensor({ length: 2, 0: 'a', 1: 1 })", (d) => d.tensor({ length: 2, 0: 'a', 1: 1 }), 'TypeError', ['init[0]', "'a'"]],
  ['param([1e40]) (Infinity in float32)', (d) => d.param([1e40]), 'TypeError', ['init[0]', '1e+40', 'float32']],
  ['tensor(-1e39)', (d) => d.tensor(-1e39), 'TypeError', ['tensor(init)', '-1e+39', 'float32']],
  ['mseLoss([[1e40]], [0])', (d) => d.mseLoss([[1e40]], [0]), 'TypeError', ['predictions[0][0]', '1e+40']],
  ['LinearRegression.predict([[0, 1e40]])', (d) => { const m = new d.LinearRegression({ nFeatures: 2 }); try { return m.predict([[0, 1e40]]); } finally { m.dispose(); } }, 'TypeError', ['X[0][1]', '1e+40']],
  ['tensor.zeros(NaN)', (d) => d.tensor.zeros(NaN), 'RangeError', ['tensor.zeros(size)', 'NaN']],
  ['tensor.zeros(null)', (d) => d.tensor.zeros(null), 'TypeError', ['tensor.zeros(size)', 'null']],
]) row({ id, expect: cls, has, run: (_, d) => run(d) });

{
  const two = (d) => {
    const tensors = [d.tensor([1, 2]), d.tensor([3, 4]), d.tensor([1, 2, 3])];
    const stale = tensors[1].data;
    return { tensors, dispose: [d.tensor.zeros(1 << 21)], stale }; // the big tensor grows the memory: stale is detached
  };
  for (const [id, run, cls, has] of [
    ['dot([1, 2], tensor)', (ctx, d) => d.dot([1, 2], ctx.tensors[0]), 'TypeError', ['dot()', 'x', '[1, 2]']],
    ['dot(tensor, null)', (ctx, d) => d.dot(ctx.tensors[0], null), 'TypeError', ['dot()', 'y', 'null']],
    ['sum(Float32Array)', (ctx, d) => d.sum(new Float32Array(2)), 'TypeError', ['sum()', 'x', 'Float32Array(2)']],
    ['sumsq(undefined)', (ctx, d) => d.sumsq(undefined), 'TypeError', ['sumsq()', 'undefined']],
    ['axpy alpha "2"', (ctx, d) => d.axpy(ctx.tensors[1], '2', ctx.tensors[0], ctx.tensors[1]), 'TypeError', ['axpy()', 'a', "'2'"]],
    ['axpy alpha NaN', (ctx, d) => d.axpy(ctx.tensors[1], NaN, ctx.tensors[0], ctx.tensors[1]), 'RangeError', ['axpy()', 'a', 'NaN']],
    ['axpy with x = [1, 2]', (ctx, d) => d.axpy(ctx.tensors[1], 2, [1, 2], ctx.tensors[1]), 'TypeError', ['axpy()', 'x', '[1, 2]']],
    ['scale a = null', (ctx, d) => d.scale(ctx.tensors[1], null, ctx.tensors[0]), 'TypeError', ['scale()', 'a', 'null']],
    ['scale out = {}', (ctx, d) => d.scale({}, 2, ctx.tensors[0]), 'TypeError', ['scale()', 'out', 'an empty object']],
    ['fill value "0"', (ctx, d) => d.fill(ctx.tensors[0], '0'), 'TypeError', ['fill()', 'value', "'0'"]],
    ['copy sizes differ', (ctx, d) => d.copy(ctx.tensors[0], ctx.tensors[2]), 'RangeError', ['copy()', '3']],
    ['copyFrom(null)', (ctx) => ctx.tensors[0].copyFrom(null), 'TypeError', ['values', 'null']],
    ["copyFrom(['1', 2])", (ctx) => ctx.tensors[0].copyFrom(['1', 2]), 'TypeError', ['values[0]', "'1'"]],
    ['copyFrom([1, 2, 3])', (ctx) => ctx.tensors[0].copyFrom([1, 2, 3]), 'RangeError', ['values', '3']],
    ['copyFrom a detached view', (ctx) => ctx.tensors[0].copyFrom(ctx.stale), 'TypeError', ['values', 'memory grew']],
    ['param from a detached view', (ctx, d) => d.param(ctx.stale), 'TypeError', ['init', 'memory grew']],
  ]) row({ id, expect: cls, has, setup: two, run, fresh: 64 });
  row({ id: 't.data after growth is live (the getter guarantee)', expect: 'ok', fresh: 64, setup: two, run: (ctx, d) => {
    if (ctx.stale.length !== 0) throw new Error('the memory did not grow');
    ctx.tensors[0].data[0] = 9;
    return d.dot(ctx.tensors[0], ctx.tensors[1]);
  }, check: (v) => v === 9 * 3 + 2 * 4 });
}

// ------------------------------------------------------------------------------------------------
// Optimizers and schedulers.

const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'Adagrad', 'Adadelta', 'RMSprop', 'Adamax', 'NAdam', 'RAdam', 'Rprop', 'Lion'];
for (const name of OPTIMIZERS) {
  const setup = (d) => ({ tensors: [], p: d.param([1, 2]) });
  const call = (ctx, d, o) => new d[name]([ctx.p], o);
  const s = (d) => { const c = setup(d); c.dispose = [c.p]; return c; };
  unknownRows(name, [['learningRate', 'lr'], ['weight_decay', name === 'Rprop' ? undefined : 'weightDecay']], (ctx, d, bad) => call(ctx, d, { [bad]: 0.1 }), s);
  optionRows(name, 'lr', [[-1, 'RangeError'], ['0.1', 'TypeError'], [NaN, 'RangeError']], (ctx, d, v) => call(ctx, d, { lr: v }), s);
  row({ id: `${name}: options = 5`, expect: 'TypeError', has: ['options', '5'], setup: s, run: (ctx, d) => call(ctx, d, 5) });
}
{
  const s = (d) => { const p = d.param([1, 2]); const opt = new d.Adam([p], { lr: 0.1 }); p.grad.set([1, -1]); opt.step(); return { opt, dispose: [p] }; };
  row({ id: 'Adam.loadStateDict: negative expAvgSq refused, nothing changed', expect: 'RangeError', has: ['expAvgSq[1]', '-0.5'], setup: s, run: (ctx) => {
    const sd = JSON.parse(JSON.stringify(ctx.opt.stateDict()));
    sd.state[0].expAvgSq[1] = -0.5;
    ctx.opt.loadStateDict(sd);
  } });
  row({ id: 'Adam.loadStateDict: NaN expAvgSq refused', expect: 'RangeError', has: ['expAvgSq[0]', 'NaN'], setup: s, run: (ctx) => {
    const sd = JSON.parse(JSON.stringify(ctx.opt.stateDict()));
    sd.state[0].expAvgSq[0] = 'NaN';
    ctx.opt.loadStateDict(sd);
  } });
  row({ id: 'Adam.loadStateDict: step 1.5 refused', expect: 'RangeError', has: ['step', '1.5'], setup: s, run: (ctx) => {
    const sd = JSON.parse(JSON.stringify(ctx.opt.stateDict()));
    sd.state[0].step = 1.5;
    ctx.opt.loadStateDict(sd);
  } });
}

const SCHEDULERS = [
  ['StepLR', { stepSize: 2 }, [['step_size', 'stepSize'], ['gama', 'gamma']], [['stepSize', 0, 'RangeError'], ['gamma', '0.1', 'TypeError']]],
  ['MultiStepLR', { milestones: [2, 4] }, [['milestone', 'milestones']], [['milestones', 'x', 'TypeError'], ['gamma', NaN, 'RangeError']]],
  ['ConstantLR', {}, [['total_iters', 'totalIters']], [['factor', 2, 'RangeError'], ['totalIters', -1, 'RangeError']]],
  ['LinearLR', {}, [['start_factor', 'startFactor']], [['startFactor', 0, 'RangeError'], ['endFactor', '1', 'TypeError']]],
  ['ExponentialLR', { gamma: 0.9 }, [['gama', 'gamma']], [['gamma', '0.9', 'TypeError']]],
  ['PolynomialLR', {}, [['pow', 'power']], [['power', '2', 'TypeError'], ['totalIters', 0, 'RangeError']]],
  ['CosineAnnealingLR', { TMax: 10 }, [['T_max', 'TMax'], ['eta_min', 'etaMin']], [['TMax', 0, 'RangeError'], ['etaMin', '0', 'TypeError']]],
  ['CosineAnnealingWarmRestarts', { T0: 5 }, [['T_0', 'T0']], [['T0', 0, 'RangeError'], ['TMult', 1.5, 'RangeError']]],
  ['ReduceLROnPlateau', {}, [['patiance', 'patience'], ['min_lr', 'minLr']], [['factor', 1, 'RangeError'], ['mode', 'mid', 'RangeError'], ['patience', '3', 'TypeError']]],
  ['OneCycleLR', { maxLr: 0.1, totalSteps: 10 }, [['max_lr', 'maxLr']], [['totalSteps', 0, 'RangeError'], ['annealStrategy', 'exp', 'RangeError']]],
  ['CyclicLR', { baseLr: 0.01, maxLr: 0.1 }, [['base_lr', 'baseLr']], [['mode', 'sawtooth', 'RangeError'], ['stepSizeUp', 0, 'RangeError']]],
  ['LambdaLR', { lrLambda: () => 1 }, [['lr_lambda', 'lrLambda']], [['lrLambda', 5, 'TypeError']]],
];
for (const [name, good, unknown, bads] of SCHEDULERS) {
  const setup = (d) => ({ g: { paramGroups: [{ lr: 0.1, momentum: 0.9, betas: [0.9, 0.999] }] } });
  unknownRows(name, unknown, (ctx, d, bad) => new d[name](ctx.g, { ...good, [bad]: 1 }), setup);
  for (const [opt, v, cls] of bads) {
    row({ id: `${name}: ${opt} = ${show(v)}`, expect: cls, has: [opt, show(v)], setup, run: (ctx, d) => new d[name](ctx.g, { ...good, [opt]: v }) });
  }
  row({ id: `${name}: optimizer = null`, expect: 'TypeError', has: ['optimizer', 'null'], run: (_, d) => new d[name](null, good) });
  row({ id: `${name}: options = 5`, expect: 'TypeError', has: ['options', '5'], setup, run: (ctx, d) => new d[name](ctx.g, 5) });
}

{
  const g = () => ({ paramGroups: [{ lr: 0.1 }] });
  row({ id: 'SequentialLR: unknown option milestone', expect: 'TypeError', has: ['options.milestone', 'milestones'], run: (_, d) => {
    const o = g();
    return new d.SequentialLR(o, { schedulers: [new d.ConstantLR(o), new d.ExponentialLR(o, { gamma: 0.9 })], milestone: [2] });
  } });
  row({ id: 'ChainedScheduler: a non-scheduler child', expect: 'TypeError', has: ['schedulers[1]', '5'], run: (_, d) => new d.ChainedScheduler([new d.ConstantLR(g()), 5]) });
  const p = (d) => { const w = d.param([1, 2]); return { w, dispose: [w] }; };
  row({ id: 'clipGradNorm: unknown option norm', expect: 'TypeError', has: ['options.norm', 'normType'], setup: p, run: (ctx, d) => d.clipGradNorm([ctx.w], 1, { norm: 2 }) });
  row({ id: "clipGradNorm: maxNorm '1'", expect: 'TypeError', has: ['maxNorm', "'1'"], setup: p, run: (ctx, d) => d.clipGradNorm([ctx.w], '1') });
  row({ id: 'averaged: unknown option decy', expect: 'TypeError', has: ['options.decy', 'decay'], setup: p, run: (ctx, d) => d.averaged([ctx.w], { decy: 0.9 }) });
}

// Scheduler state dicts: values checked, nothing changed on refusal.
{
  const st = (make) => (d) => {
    const g = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
    const sched = make(d, g);
    sched.step(...(sched.requiresMetric ? [1] : []));
    return { sched, sd: JSON.parse(JSON.stringify(sched.stateDict())) };
  };
  const step = st((d, g) => new d.StepLR(g, { stepSize: 2 }));
  const plateau = st((d, g) => new d.ReduceLROnPlateau(g));
  const seq = st((d, g) => new d.SequentialLR(g, { schedulers: [new d.ConstantLR(g), new d.ExponentialLR(g, { gamma: 0.9 })], milestones: [2] }));
  for (const [id, setup, edit, cls, has] of [
    ['StepLR: lastEpoch NaN', step, (sd) => { sd.lastEpoch = 'NaN'; }, 'RangeError', ['state.lastEpoch', 'NaN']],
    ['StepLR: lastEpoch 1.5', step, (sd) => { sd.lastEpoch = 1.5; }, 'RangeError', ['state.lastEpoch', '1.5']],
    ['StepLR: stepCount -1', step, (sd) => { sd.stepCount = -1; }, 'RangeError', ['state.stepCount', '-1']],
    ['StepLR: baseLrs of two groups', step, (sd) => { sd.baseLrs = [0.1, 0.1]; }, 'RangeError', ['state.baseLrs', '[0.1, 0.1]']],
    ['StepLR: lastLr negative', step, (sd) => { sd.lastLr = [-1]; }, 'RangeError', ['state.lastLr[0]', '-1']],
    ['StepLR: gamma null', step, (sd) => { sd.gamma = null; }, 'TypeError', ['state.gamma', 'null']],
    ['ReduceLROnPlateau: numBadEpochs -2', plateau, (sd) => { sd.numBadEpochs = -2; }, 'RangeError', ['state.numBadEpochs', '-2']],
    ['ReduceLROnPlateau: best NaN', plateau, (sd) => { sd.best = 'NaN'; }, 'RangeError', ['state.best', 'NaN']],
    ['ReduceLROnPlateau: mode sideways', plateau, (sd) => { sd.mode = 'sideways'; }, 'RangeError', ['state.mode', "'sideways'"]],
    ['SequentialLR: second child corrupted, first child unchanged', seq, (sd) => { sd.schedulers[0].lastEpoch = 5; sd.schedulers[0].lastLr = [0.05]; sd.schedulers[1].lastEpoch = 'x'; }, 'TypeError', ['state.lastEpoch', "'x'"]],
    ['SequentialLR: lastEpoch -5', seq, (sd) => { sd.lastEpoch = -5; }, 'RangeError', ['state.lastEpoch', '-5']],
  ]) row({ id: `scheduler loadStateDict: ${id}`, expect: cls, has, setup, run: (ctx) => { edit(ctx.sd); ctx.sched.loadStateDict(ctx.sd); } });
}

// ------------------------------------------------------------------------------------------------
// Checkpoints outside fit.

{
  const s = (d) => {
    const ctx = regSetup(d, 'Adam');
    ctx.ck = JSON.parse(JSON.stringify(d.saveCheckpoint({ model: ctx.model, optimizer: ctx.opt, prng: new d.Prng(1).getState(), epoch: 1 })));
    return ctx;
  };
  const load = (ctx, d, c) => d.loadCheckpoint(c, { model: ctx.model, optimizer: ctx.opt });
  row({ id: 'saveCheckpoint: unknown part', expect: 'TypeError', has: ['parts.optimiser', 'optimizer'], setup: regSetup, run: (ctx, d) => d.saveCheckpoint({ model: ctx.model, optimiser: ctx.opt }) });
  row({ id: 'saveCheckpoint: model missing', expect: 'TypeError', has: ['parts.model', 'undefined'], setup: regSetup, run: (ctx, d) => d.saveCheckpoint({ optimizer: ctx.opt }) });
  row({ id: 'saveCheckpoint: prng of 3 words', expect: 'TypeError', has: ['parts.prng', '[1, 2, 3]'], setup: regSetup, run: (ctx, d) => d.saveCheckpoint({ model: ctx.model, optimizer: ctx.opt, prng: [1, 2, 3] }) });
  row({ id: 'saveCheckpoint: epoch 1.5', expect: 'RangeError', has: ['parts.epoch', '1.5'], setup: regSetup, run: (ctx, d) => d.saveCheckpoint({ model: ctx.model, optimizer: ctx.opt, epoch: 1.5 }) });
  row({ id: 'saveCheckpoint: null', expect: 'TypeError', has: ['parts', 'null'], run: (_, d) => d.saveCheckpoint(null) });
  row({ id: 'loadCheckpoint: into with a typo', expect: 'TypeError', has: ['into.optimiser', 'optimizer'], setup: s, run: (ctx, d) => d.loadCheckpoint(ctx.ck, { model: ctx.model, optimiser: ctx.opt }) });
  row({ id: 'loadCheckpoint: NaN parameter', expect: 'RangeError', has: ['checkpoint.params[1]', 'NaN'], setup: s, run: (ctx, d) => {
    const nan = Buffer.from(new Float32Array([NaN]).buffer).toString('base64');
    return load(ctx, d, { ...ctx.ck, params: [ctx.ck.params[0], { ...ctx.ck.params[1], data: nan }] });
  } });
  row({ id: 'loadCheckpoint: version 2', expect: 'RangeError', has: ['checkpoint.version', '2'], setup: s, run: (ctx, d) => load(ctx, d, { ...ctx.ck, version: 2 }) });
  row({ id: 'loadCheckpoint: prng [0, 0, 0, 0]', expect: 'TypeError', has: ['checkpoint.prng', 'all zeros'], setup: s, run: (ctx, d) => load(ctx, d, { ...ctx.ck, prng: [0, 0, 0, 0] }) });
  row({ id: 'loadCheckpoint: prng with a fraction', expect: 'TypeError', has: ['checkpoint.prng'], setup: s, run: (ctx, d) => load(ctx, d, { ...ctx.ck, prng: [1, 2, 3, 4.5] }) });
  row({ id: 'loadCheckpoint: negative second moment', expect: 'RangeError', has: ['expAvgSq', '-2'], setup: s, run: (ctx, d) => {
    const c = JSON.parse(JSON.stringify(ctx.ck));
    c.optimizer.state[1].expAvgSq[0] = -2;
    return load(ctx, d, c);
  } });
  row({ id: 'loadCheckpoint: parameter names swapped', expect: 'RangeError', has: ["'bias'", "'weight'"], setup: (d) => {
    const ctx = s(d);
    return ctx;
  }, run: (ctx, d) => load(ctx, d, { ...ctx.ck, params: [{ ...ctx.ck.params[0], name: 'bias' }, ctx.ck.params[1]] }) });
  row({ id: 'loadCheckpoint: text that is not JSON', expect: 'TypeError', has: ['not valid JSON'], setup: s, run: (ctx, d) => load(ctx, d, '{"format":') });
  row({ id: 'loadCheckpoint: a good checkpoint restores exactly', expect: 'ok', setup: s, run: (ctx, d) => {
    const want = ctx.model.parameters().map((p) => Array.from(p.data));
    d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1 });
    load(ctx, d, ctx.ck);
    return want;
  }, check: (want, ctx) => JSON.stringify(want) === JSON.stringify(ctx.model.parameters().map((p) => Array.from(p.data))) });
}

// ------------------------------------------------------------------------------------------------
// Data utilities, metrics, plots.

{
  const X = [[0, 1], [1, 0], [1, 1], [0, 0], [2, 2], [3, 3]];
  const y = [0, 1, 0, 1, 0, 1];
  const tts = (o) => (_, d) => d.trainTestSplit(X, y, o);
  unknownRows('trainTestSplit', [['test_size', 'testSize'], ['random_state', 'seed'], ['stratified', 'stratify']], (_, d, bad) => d.trainTestSplit(X, y, { [bad]: 0.5 }));
  for (const [opt, v, cls] of [
    ['testSize', 0, 'RangeError'], ['testSize', -0.5, 'RangeError'], ['testSize', '0.2', 'TypeError'], ['testSize', NaN, 'RangeError'], ['testSize', Infinity, 'RangeError'],
    ['seed', 1.5, 'RangeError'], ['seed', '1', 'TypeError'], ['stratify', 'yes', 'TypeError'], ['shuffle', 'no', 'TypeError'], ['shuffle', 0, 'TypeError'],
  ]) row({ id: `trainTestSplit: ${opt} = ${show(v)}`, expect: cls, has: [`options.${opt}`, show(v)], run: tts({ [opt]: v }) });
  row({ id: 'trainTestSplit: testSize 2.5 rows', expect: 'RangeError', has: ['options.testSize', '2.5'], run: tts({ testSize: 2.5 }) });
  row({ id: "trainTestSplit: X with a string", expect: 'TypeError', has: ['X[2][1]', "'1'"], run: (_, d) => d.trainTestSplit([[0, 1], [1, 0], [1, '1'], [0, 0]], [0, 1, 0, 1]) });
  row({ id: "trainTestSplit: y with a string", expect: 'TypeError', has: ['y[1]', "'b'"], run: (_, d) => d.trainTestSplit(X, [0, 'b', 0, 1, 0, 1]) });
  row({ id: 'trainTestSplit: y with a boolean', expect: 'TypeError', has: ['y[0]', 'true'], run: (_, d) => d.trainTestSplit(X, [true, 1, 0, 1, 0, 1]) });
  row({ id: 'trainTestSplit: options null', expect: 'TypeError', has: ['options', 'null'], run: (_, d) => d.trainTestSplit(X, y, null) });
  row({ id: 'takeRows: index 1.5', expect: 'RangeError', has: ['indices[1]', '1.5'], run: (_, d) => d.takeRows(X, y, [0, 1.5]) });
  row({ id: "takeRows: index '1'", expect: 'TypeError', has: ['indices[0]', "'1'"], run: (_, d) => d.takeRows(X, y, ['1']) });
  row({ id: 'takeRows: indices null', expect: 'TypeError', has: ['indices', 'null'], run: (_, d) => d.takeRows(X, y, null) });

  unknownRows('StandardScaler', [['with_mean', 'withMean'], ['withstd', 'withStd'], ['center', undefined]], (_, d, bad) => new d.StandardScaler({ [bad]: true }));
  row({ id: "StandardScaler: withMean 'no'", expect: 'TypeError', has: ['options.withMean', "'no'"], run: (_, d) => new d.StandardScaler({ withMean: 'no' }) });
  row({ id: 'StandardScaler: withStd 0', expect: 'TypeError', has: ['options.withStd', '0'], run: (_, d) => new d.StandardScaler({ withStd: 0 }) });
  row({ id: 'StandardScaler: options 5', expect: 'TypeError', has: ['options', '5'], run: (_, d) => new d.StandardScaler(5) });
  row({ id: "StandardScaler.fit: a string value", expect: 'TypeError', has: ['X[1][0]', "'3'"], run: (_, d) => new d.StandardScaler().fit([[1, 2], ['3', 4]]) });
  row({ id: "StandardScaler.transform: a string value", expect: 'TypeError', has: ['X[0][1]', "'4'"], run: (_, d) => new d.StandardScaler().fit([[1, 2], [3, 4]]).transform([[1, '4']]) });
  row({ id: 'StandardScaler.fromParams: scale 0', expect: 'RangeError', has: ['params.scale[1]', '0'], run: (_, d) => d.StandardScaler.fromParams({ mean: [0, 0], scale: [1, 0] }) });
  row({ id: "StandardScaler.fromParams: mean '1'", expect: 'TypeError', has: ['params.mean[0]', "'1'"], run: (_, d) => d.StandardScaler.fromParams({ mean: ['1', 0], scale: [1, 1] }) });
  row({ id: 'StandardScaler exposes nFeatures', expect: 'ok', run: (_, d) => new d.StandardScaler().fit([[1, 2, 3]]), check: (s) => s.nFeatures === 3 && s.numFeatures === 3 });
  unknownRows('MinMaxScaler', [['feature_range', 'featureRange'], ['range', undefined]], (_, d, bad) => new d.MinMaxScaler({ [bad]: [0, 1] }));
  row({ id: 'MinMaxScaler: featureRange [1, 0]', expect: 'RangeError', has: ['options.featureRange', '[1, 0]'], run: (_, d) => new d.MinMaxScaler({ featureRange: [1, 0] }) });
  row({ id: "MinMaxScaler: featureRange ['0', 1]", expect: 'TypeError', has: ['options.featureRange[0]', "'0'"], run: (_, d) => new d.MinMaxScaler({ featureRange: ['0', 1] }) });
  row({ id: 'MinMaxScaler: featureRange [0, Infinity]', expect: 'RangeError', has: ['options.featureRange[1]', 'Infinity'], run: (_, d) => new d.MinMaxScaler({ featureRange: [0, Infinity] }) });
  row({ id: 'MinMaxScaler.fromJSON: NaN dataMin', expect: 'RangeError', has: ['json.dataMin[0]', 'NaN'], run: (_, d) => d.MinMaxScaler.fromJSON({ kind: 'MinMaxScaler', featureRange: [0, 1], dataMin: ['NaN'], dataMax: [1] }) });
  row({ id: "MinMaxScaler.fromJSON: dataMax '2'", expect: 'TypeError', has: ['json.dataMax[0]', "'2'"], run: (_, d) => d.MinMaxScaler.fromJSON({ kind: 'MinMaxScaler', featureRange: [0, 1], dataMin: [0], dataMax: ['2'] }) });
  row({ id: "oneHot: label '1'", expect: 'TypeError', has: ['labels[0]', "'1'"], run: (_, d) => d.oneHot(['1', 0]) });
  row({ id: 'oneHot: label 1e10', expect: 'RangeError', has: ['labels[1]', '10000000000'], run: (_, d) => d.oneHot([0, 1e10]) });
  row({ id: "oneHot: numClasses '3'", expect: 'TypeError', has: ['numClasses', "'3'"], run: (_, d) => d.oneHot([0, 1], '3') });
  unknownRows('parseCSV', [['headers', 'header'], ['delim', 'delimiter'], ['targetColumn', 'target']], (_, d, bad) => d.parseCSV('a,b\n1,2\n', { [bad]: ',' }));
  row({ id: "parseCSV: header 'yes'", expect: 'TypeError', has: ['options.header', "'yes'"], run: (_, d) => d.parseCSV('a,b\n1,2\n', { header: 'yes' }) });
  row({ id: "parseCSV: delimiter ';;'", expect: 'TypeError', has: ['options.delimiter', "';;'"], run: (_, d) => d.parseCSV('a,b\n1,2\n', { delimiter: ';;' }) });
  row({ id: 'parseCSV: target 1.5', expect: 'TypeError', has: ['options.target', '1.5'], run: (_, d) => d.parseCSV('a,b\n1,2\n', { target: 1.5 }) });
  row({ id: 'parseCSV: options null', expect: 'TypeError', has: ['options', 'null'], run: (_, d) => d.parseCSV('a,b\n1,2\n', null) });

  for (const [fn, args, cls, has] of [
    ['accuracy', [[0, 1], ['0', '1']], 'TypeError', ['yPred[0]', "'0'"]],
    ['accuracy', [[0, true], [0, 1]], 'TypeError', ['yTrue[1]', 'true']],
    ['accuracy', [null, [0]], 'TypeError', ['yTrue', 'null']],
    ['meanSquaredError', [[1, 2], [1, '2']], 'TypeError', ['yPred[1]', "'2'"]],
    ['meanAbsoluteError', [['1', 2], [1, 2]], 'TypeError', ['yTrue[0]', "'1'"]],
    ['r2Score', [[1, 2], [1, null]], 'TypeError', ['yPred[1]', 'null']],
    ['confusionMatrix', [[0, 1], [0, 1.5]], 'RangeError', ['yPred[1]', '1.5']],
    ['confusionMatrix', [[0, 1], [0, 1], '2'], 'TypeError', ['numClasses', "'2'"]],
    ['confusionMatrix', [[0, 1e10], [0, 1]], 'RangeError', ['yTrue[1]', '10000000000']],
    ['precisionRecallF1', [[0, 1], [0, 1], { averag: 'macro' }], 'TypeError', ['options.averag', 'average']],
    ['precisionRecallF1', [[0, 1], [0, 1], { average: 'binary' }], 'RangeError', ['options.average', "'binary'"]],
    ['precisionRecallF1', [[0, 1], [0, 1], { num_classes: 2 }], 'TypeError', ['options.num_classes']],
    ['precisionRecallF1', [[0, 1], [0, 1], { nClasses: '2' }], 'TypeError', ['options.nClasses', "'2'"]],
    ['precisionRecallF1', [[0, 1], [0, 1], 'macro'], 'TypeError', ['options', "'macro'"]],
    ['logLoss', [[0, 1], [0.5, 0.5, 0.5, 0.5], 2, { epsilon: 1e-7 }], 'TypeError', ['options.epsilon', 'eps']],
    ['logLoss', [[0, 1], [0.5, 0.5, 0.5, 0.5], 2, { eps: '1e-7' }], 'TypeError', ['options.eps', "'1e-7'"]],
    ['logLoss', [[0, 1], [0.5, 0.5, 0.5, 0.5], '2'], 'TypeError', ['numClasses', "'2'"]],
    ['logLoss', [[0, 1], [0.5, '0.5', 0.5, 0.5], 2], 'TypeError', ['probs[1]', "'0.5'"]],
  ]) row({ id: `${fn}(${args.map((a) => (Array.isArray(a) ? show(a) : typeof a === 'object' ? JSON.stringify(a) : show(a))).join(', ')})`, expect: cls, has, run: (_, d) => d[fn](...args) });

  unknownRows('lossCurveSVG', [['log_y', 'logY'], ['xlabel', 'xLabel'], ['colour', undefined]], (_, d, bad) => d.lossCurveSVG([[1, 0.5]], { [bad]: true }));
  for (const [opt, v, cls] of [['logY', 'yes', 'TypeError'], ['logX', 1, 'TypeError'], ['width', 50, 'RangeError'], ['width', '640', 'TypeError'], ['height', NaN, 'RangeError'], ['title', 5, 'TypeError'], ['labels', 'loss', 'TypeError']]) {
    row({ id: `lossCurveSVG: ${opt} = ${show(v)}`, expect: cls, has: [`options.${opt}`, show(v)], run: (_, d) => d.lossCurveSVG([[1, 0.5]], { [opt]: v }) });
  }
  row({ id: "lossCurveSVG: a value '0.5'", expect: 'TypeError', has: ['series[0][1]', "'0.5'"], run: (_, d) => d.lossCurveSVG([[1, '0.5']]) });
  row({ id: "lossCurveSVG: an x '2'", expect: 'TypeError', has: ['series[0].x[1]', "'2'"], run: (_, d) => d.lossCurveSVG([{ values: [1, 0.5], x: [1, '2'] }]) });
  row({ id: 'lossCurveScale: options null', expect: 'TypeError', has: ['options', 'null'], run: (_, d) => d.lossCurveScale([[1, 0.5]], null) });
  row({ id: 'lossCurveSVG: NaN values are skipped, not refused', expect: 'ok', run: (_, d) => d.lossCurveSVG([[1, NaN, 0.5]]), check: (svg) => svg.startsWith('<svg') });
}

// gradcheck, Prng, clipGradNorm.
{
  const s = (d) => { const p = d.param([1, 2]); return { p, dispose: [p] }; };
  const gc = (ctx, d, o) => d.gradcheck(() => { ctx.p.grad.set([2, 4]); return 1 + 4; }, [ctx.p], o);
  unknownRows('gradcheck', [['epsilon', 'eps'], ['tolerance', undefined]], (ctx, d, bad) => gc(ctx, d, { [bad]: 1 }), s);
  for (const [opt, v, cls] of [['eps', 0, 'RangeError'], ['eps', '1e-3', 'TypeError'], ['atol', -1, 'RangeError'], ['maxPerParam', 0, 'RangeError'], ['value', 5, 'TypeError']]) {
    row({ id: `gradcheck: ${opt} = ${show(v)}`, expect: cls, has: [`options.${opt}`, show(v)], setup: s, run: (ctx, d) => gc(ctx, d, { [opt]: v }) });
  }
  row({ id: 'gradcheck: fn = 5', expect: 'TypeError', has: ['fn', '5'], setup: s, run: (ctx, d) => d.gradcheck(5, [ctx.p]) });
  row({ id: 'gradcheck: params = null', expect: 'TypeError', has: ['params', 'null'], run: (_, d) => d.gradcheck(() => 0, null) });
  row({ id: 'Prng(1.5)', expect: 'RangeError', has: ['seed', '1.5'], run: (_, d) => new d.Prng(1.5) });
  row({ id: "Prng('42')", expect: 'TypeError', has: ['seed', "'42'"], run: (_, d) => new d.Prng('42') });
  row({ id: 'Prng.permutation(-1)', expect: 'RangeError', has: ['permutation', '-1'], run: (_, d) => new d.Prng(1).permutation(-1) });
  row({ id: "Prng.nextInt('3')", expect: 'TypeError', has: ['nextInt', "'3'"], run: (_, d) => new d.Prng(1).nextInt('3') });
  row({ id: 'Prng.shuffle(5)', expect: 'TypeError', has: ['shuffle', '5'], run: (_, d) => new d.Prng(1).shuffle(5) });
  row({ id: 'Prng.setState([1, 2, 3])', expect: 'TypeError', has: ['[1, 2, 3]'], run: (_, d) => new d.Prng(1).setState([1, 2, 3]) });
  row({ id: "Prng.setState(['1', 2, 3, 4])", expect: 'TypeError', has: ["'1'"], run: (_, d) => new d.Prng(1).setState(['1', 2, 3, 4]) });
}

// Long runs (leaks over cycles).
row({ id: 'leak soak: 30 cycles of MLP build -> fit (optimizer by name) -> dispose', expect: 'ok', run: (_, d) => {
  for (let i = 0; i < 30; i++) {
    const m = new d.MLP({ layers: [2, 16, 3], seed: i });
    try { d.fit(m, CLS_X, CLS_Y, { optimizer: i % 2 ? 'adam' : { name: 'sgd', lr: 0.1, momentum: 0.9 }, maxEpochs: 1, batchSize: 4 }); } finally { m.dispose(); }
  }
} });
row({ id: 'leak soak: 30 rejected resumes', expect: 'ok', setup: (d) => {
  const ctx = regSetup(d);
  d.fit(ctx.model, ctx.X, ctx.y, { optimizer: ctx.opt, maxEpochs: 1, onCheckpoint: (c) => { ctx.ck = JSON.parse(JSON.stringify(c)); } });
  return ctx;
}, run: (ctx, d) => {
  for (let i = 0; i < 30; i++) {
    try { d.fit(ctx.model, ctx.X, ctx.y, { optimizer: 'adam', maxEpochs: 2, resume: { ...ctx.ck, trainer: null } }); } catch { /* refused */ }
  }
} });

export function buildCases() {
  const ids = new Set();
  for (const r of rows) {
    if (ids.has(r.id)) throw new Error(`duplicate row id: ${r.id}`);
    ids.add(r.id);
  }
  return rows;
}
