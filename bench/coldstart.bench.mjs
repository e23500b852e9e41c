// Question: how fast does descent start in a fresh Node process, next to TF.js? And how small is a
// browser bundle that uses only init() and SGD?
//
// Each run spawns fresh processes, interleaved (descent, TF.js cpu, TF.js wasm per round), and takes
// medians: descent as a user's ES module gets it (`await import('descent')` through the package's
// exports, then `await init()`), TF.js as its CommonJS users do (`require` tfjs-core and the backend,
// then `setBackend` + `ready()`). Times are measured inside the child from the first line of its main
// file, so Node's own start-up and the loading of that file (the same for all) are not in them. The child counts Wasm compiles by
// wrapping WebAssembly.compile/compileStreaming/instantiate/instantiateStreaming (when given bytes)
// and the WebAssembly.Module constructor before anything loads.
// The bundle: `npm pack` of this checkout (after `npm run build`) installed into a temp project, and
// esbuild --bundle --minify --platform=browser --format=esm of a file importing only init and SGD
// (the target); also with --splitting, where what the page loads at start (the entry and the chunks
// it imports statically) is apart from what it loads on demand (the js backend: Vite splits so too).
//
// Run: npm run bench -- coldstart   (COLDSTART_RUNS=5 for a quick smoke run; default 21 rounds).
// Needs a build (npm run build): it packs this checkout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { fmt, isMain, table, target, writeResults } from './harness.mjs';

export const title = 'Cold start: import + init() in a fresh Node process vs TF.js, and the minimal browser bundle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.COLDSTART_RUNS ?? 21);
const GOAL_MS = 10, GOAL_RATIO = 5, GOAL_COMPILES = 1, GOAL_BUNDLE_KIB = 40;

// Installed first in every child: counts compiles from bytes (instantiating a Module compiles nothing).
const COUNT_COMPILES = `
globalThis.__compiles = 0;
for (const k of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
  const f = WebAssembly[k];
  WebAssembly[k] = function (src, ...rest) {
    if (Object.prototype.toString.call(src) !== '[object WebAssembly.Module]') globalThis.__compiles++;
    return f.call(this, src, ...rest);
  };
}
const RealModule = WebAssembly.Module;
WebAssembly.Module = function Module(bytes) { globalThis.__compiles++; return new RealModule(bytes); };
WebAssembly.Module.prototype = RealModule.prototype;
Object.setPrototypeOf(WebAssembly.Module, RealModule);
`;

// After the timing: what the Node entry's compile cache did ('hit', 'miss', 'rejected', 'off'), or
// 'none' when the entry has none (the ES module bundle, under --no-addons).
const CACHE_STATUS = `const { createRequire } = await import('node:module');
const cache = createRequire(import.meta.url)('descent')[Symbol.for('descent.compileCache')]?.status ?? 'none';`;

/** A CommonJS child timing TF.js 4.22 as its Node users start it: require core and backend, setBackend, ready. */
function tfjsChild(backend) {
  return ['-e', `${COUNT_COMPILES}
const t0 = performance.now();
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-${backend}');
const t1 = performance.now();
tf.setBackend('${backend}').then(async () => {
  await tf.ready();
  const t2 = performance.now();
  if (tf.getBackend() !== '${backend}') throw new Error('TF.js backend is ' + tf.getBackend());
  console.log(JSON.stringify({ load: t1 - t0, init: t2 - t1, compiles: globalThis.__compiles }));
});`];
}

/** A child compiling node-core.cjs as the Node entry does (src/entry/compile-cache.ts), with or without its cache. */
function compileFloor(cached) {
  return ['--input-type=module', '-e', `${COUNT_COMPILES}
const { readFileSync, readdirSync } = await import('node:fs');
const { Script } = await import('node:vm');
const src = readFileSync('dist/bundle/node-core.cjs', 'latin1');
const cacheDir = 'node_modules/.cache/descent';
const name = ${cached} ? readdirSync(cacheDir).find((f) => f.startsWith('node-core-') && f.endsWith('.bin') && f.includes(process.versions.v8)) : null;
const cachedData = name ? readFileSync(cacheDir + '/' + name) : undefined;
const code = '(function (exports, require, module, __filename, __dirname) { ' + src + '\\n})';
const t1 = performance.now();
const script = new Script(code, { filename: 'node-core.cjs', cachedData });
const t2 = performance.now();
if (${cached} && script.cachedDataRejected !== false) throw new Error('the code cache was not used: ' + name);
console.log(JSON.stringify({ load: t2 - t1, init: 0, compiles: globalThis.__compiles, cache: ${cached} ? 'hit' : 'none', bytes: src.length }));`];
}

const CHILDREN = {
  descent: {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const t0 = performance.now();
const d = await import('descent');
const t1 = performance.now();
await d.init();
const t2 = performance.now();
if (d.backendName() !== 'wasm-simd') throw new Error('not on wasm-simd: ' + d.backendInfo().reason);
${CACHE_STATUS}
console.log(JSON.stringify({ load: t1 - t0, init: t2 - t1, compiles: globalThis.__compiles, cache }));`],
  },
  // A process's first import of this build (and Node and flags): nothing in the compile cache yet, so
  // V8 parses all of node-core.cjs (the cache is written when the process exits, after the timing).
  'descent, first run (no compile cache yet)': {
    args: null, // descent's own, with a fresh empty cache directory each round
    env: () => ({ DESCENT_COMPILE_CACHE: mkdtempSync(join(tmpdir(), 'descent-cc-')) }),
  },
  // What bundlers load (no "node-addons" condition): the ES module bundle, which has no compile cache.
  'descent, --no-addons (the ES module bundle)': { args: null, flags: ['--no-addons'] },
  // Floors, to say what bounds descent's figure: Node's ES module loader importing an empty module
  // (the same first import every ESM user pays), and V8 compiling descent's SIMD build from bytes
  // already in memory (what init() cannot go below on a first compile).
  // What init() costs without worker threads (init({ threads: 1 })). The default's init() does not
  // start its workers either (they start at the next turn of the event loop): the row after this one
  // times until they are up.
  'descent, init({ threads: 1 })': {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const t0 = performance.now();
const d = await import('descent');
const t1 = performance.now();
await d.init({ threads: 1 });
const t2 = performance.now();
if (d.backendName() !== 'wasm-simd') throw new Error('not on wasm-simd: ' + d.backendInfo().reason);
${CACHE_STATUS}
console.log(JSON.stringify({ load: t1 - t0, init: t2 - t1, compiles: globalThis.__compiles, cache }));`],
  },
  // The default init() and then until its worker threads are up (await threadsReady()): loading
  // node:worker_threads, the Worker constructors and the workers' own start, none of which init() waits for.
  'descent, init() + threadsReady()': {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const t0 = performance.now();
const d = await import('descent');
const t1 = performance.now();
await d.init();
await d.threadsReady();
const t2 = performance.now();
if (d.backendName() !== 'wasm-simd') throw new Error('not on wasm-simd: ' + d.backendInfo().reason);
${CACHE_STATUS}
console.log(JSON.stringify({ load: t1 - t0, init: t2 - t1, compiles: globalThis.__compiles, cache }));`],
  },
  // What bounds the import: V8 compiling the JavaScript the node entry loads (dist/bundle/node-core.cjs,
  // read into memory first) as the entry does, without running it: with no cache (a first run), and
  // from the code cache the descent rows' processes wrote (the same file: these children run under the
  // same flags). Nothing in the package can make an import of this much code cheaper.
  "floor: compile descent's JS, no cache (no evaluation)": { args: compileFloor(false) },
  "floor: compile descent's JS from its code cache (no evaluation)": { args: compileFloor(true) },
  'floor: empty ES module': {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const { writeFileSync } = await import('node:fs');
const empty = new URL('./empty-' + process.pid + '.mjs', import.meta.url);
writeFileSync(empty, 'export {};');
const t0 = performance.now();
await import(empty);
const t1 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, init: 0, compiles: globalThis.__compiles }));`],
  },
  // Node resolving a package name and importing an ES module from it: an empty package in a
  // node_modules beside the child (what any package's import pays before its own code runs).
  'floor: empty package by name': {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const { mkdirSync, writeFileSync } = await import('node:fs');
const name = 'empty-' + process.pid;
const pkg = new URL('./node_modules/' + name + '/', import.meta.url);
mkdirSync(pkg, { recursive: true });
writeFileSync(new URL('package.json', pkg), JSON.stringify({ name, type: 'module', exports: { '.': { node: './index.js', default: './index.js' } } }));
writeFileSync(new URL('index.js', pkg), 'export {};');
const t0 = performance.now();
await import(name);
const t1 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, init: 0, compiles: globalThis.__compiles }));`],
  },
  'floor: compile the SIMD build': {
    args: ['--input-type=module', '-e', `${COUNT_COMPILES}
const { readFileSync } = await import('node:fs');
const bytes = readFileSync('build/descent-simd.wasm');
const t1 = performance.now();
await WebAssembly.compile(bytes);
const t2 = performance.now();
console.log(JSON.stringify({ load: 0, init: t2 - t1, compiles: globalThis.__compiles }));`],
  },
  'TF.js cpu': { args: tfjsChild('cpu') },
  'TF.js wasm': { args: tfjsChild('wasm') },
};

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function coldStarts() {
  const samples = Object.fromEntries(Object.keys(CHILDREN).map((k) => [k, []]));
  // Each child's code runs from a file, as a program's main module does: with `node -e` the first
  // import from disk would pay the ES module loader's own first use (reading files through
  // fs/promises, ~4 ms here), which a program has paid loading its own main file before its first
  // line. The directory is inside the checkout, so that 'descent' resolves to it (a self-reference).
  const dir = mkdtempSync(join(ROOT, '.coldstart-'));
  const files = new Map();
  const fileOf = (args) => {
    const i = args.indexOf('-e');
    const key = args.join('\0');
    if (!files.has(key)) {
      const f = join(dir, `child-${files.size}.${args.includes('--input-type=module') ? 'mjs' : 'cjs'}`);
      writeFileSync(f, args[i + 1]);
      files.set(key, [...args.slice(0, i).filter((a) => a !== '--input-type=module'), f]);
    }
    return files.get(key);
  };
  const child = ({ args, env, flags = [] }) => {
    const extra = env ? env() : {};
    try {
      const out = execFileSync(process.execPath, [...flags, ...fileOf(args ?? CHILDREN.descent.args)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', DESCENT_COMPILE_CACHE: '', ...extra } });
      return JSON.parse(out.trim().split('\n').pop());
    } finally {
      if (extra.DESCENT_COMPILE_CACHE) rmSync(extra.DESCENT_COMPILE_CACHE, { recursive: true, force: true });
    }
  };
  try {
    // The user's second and later runs are the common case: one process first, to write the compile
    // cache of this build (node_modules/.cache/descent), which the descent rows then read.
    child(CHILDREN.descent);
    for (let round = 0; round < RUNS; round++) {
      for (const [name, c] of Object.entries(CHILDREN)) samples[name].push(child(c));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, {
    loadMs: median(s.map((x) => x.load)),
    initMs: median(s.map((x) => x.init)),
    totalMs: median(s.map((x) => x.load + x.init)),
    compiles: Math.max(...s.map((x) => x.compiles)),
    cache: [...new Set(s.map((x) => x.cache ?? '–'))].join(', '),
    ...(s[0].bytes === undefined ? {} : { bytes: s[0].bytes }),
    runs: s.length,
  }]));
}

/** What the minimal bundle holds, by part of the package (the first pattern that matches a file). */
const BUNDLE_GROUPS = [
  ["the js backend (a dynamic import, loaded only when backend 'js' runs; esbuild inlines it without --splitting)", /^dist\/(ref\/|backend\/js\.js)/],
  ['the thread dispatch, pool and hosts (needed on one thread too: reductions are cut into the same blocks for any thread count)', /^dist\/threads\//],
  ['SGD, the Optimizer base (parameter groups, state_dict, closures, divergence checks) and the option checks and messages', /^dist\/(optim|util)\//],
  ['loading, probing and choosing the Wasm build, and its memory', /^dist\/(init|wasm|backend|entry|memory)/],
  ['the rest (tensor.js and the like)', /./],
];

/** esbuild --bundle --minify (browser, esm) of `import { init, SGD } from 'descent'`, from the packed package. */
async function minimalBundle() {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'descent-coldstart-'));
  try {
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'ignore' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    mkdirSync(join(dir, 'node_modules/descent'), { recursive: true });
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', join(dir, 'node_modules/descent'), '--strip-components=1']);
    writeFileSync(join(dir, 'app.js'), [
      "import { init, SGD } from 'descent';",
      'await init();',
      'export const optimizer = (params) => new SGD(params, { lr: 0.1 });',
    ].join('\n'));
    const r = await build({
      absWorkingDir: dir, entryPoints: ['app.js'], bundle: true, minify: true, platform: 'browser', format: 'esm',
      write: false, metafile: true, logLevel: 'error',
    });
    const js = r.outputFiles[0].contents;
    const inputs = Object.entries(r.metafile.outputs[Object.keys(r.metafile.outputs)[0]].inputs)
      .map(([file, v]) => [file.replace(/^node_modules\/descent\//, ''), v.bytesInOutput])
      .sort((a, b) => b[1] - a[1]);
    const groups = BUNDLE_GROUPS.map(([what]) => [what, 0]);
    for (const [f, b] of inputs) groups[BUNDLE_GROUPS.findIndex(([, re]) => re.test(f))][1] += b;
    return { bytes: js.length, gzipBytes: gzipSync(js).length, largest: inputs.slice(0, 8), groups, split: await splitBundle(build, dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same app with --splitting: bytes the page loads at start (entry + its static imports) and on demand. */
async function splitBundle(build, dir) {
  const r = await build({
    absWorkingDir: dir, entryPoints: ['app.js'], bundle: true, minify: true, splitting: true, outdir: 'out', platform: 'browser', format: 'esm',
    write: false, metafile: true, logLevel: 'error',
  });
  const outs = r.metafile.outputs;
  const start = new Set();
  const queue = [Object.keys(outs).find((f) => outs[f].entryPoint)];
  while (queue.length) {
    const f = queue.pop();
    if (start.has(f)) continue;
    start.add(f);
    for (const i of outs[f].imports) if (i.kind === 'import-statement') queue.push(i.path);
  }
  let initialBytes = 0, lazyBytes = 0;
  for (const [f, o] of Object.entries(outs)) if (f.endsWith('.js')) start.has(f) ? (initialBytes += o.bytes) : (lazyBytes += o.bytes);
  return { initialBytes, lazyBytes };
}

/** The descent row's figure, cut into the floors it contains and what is left (a residual, not a timing). */
function boundOf(c) {
  const d = c.descent, pkg = c['floor: empty package by name'].loadMs, cached = c["floor: compile descent's JS from its code cache (no evaluation)"].loadMs;
  const wasm = c['floor: compile the SIMD build'].initMs, uncached = c["floor: compile descent's JS, no cache (no evaluation)"];
  const floors = pkg + cached + wasm;
  return `What the \`descent\` row's ${fmt(d.totalMs, 1)} ms holds: importing an empty package by name (${fmt(pkg, 1)} ms: Node's ES module loader and package resolution, which every package pays), ` +
    `compiling descent's JavaScript from its cache (${fmt(cached, 1)} ms) and compiling the SIMD build (${fmt(wasm, 1)} ms) are ${fmt(floors, 1)} ms of floors; ` +
    `that leaves ${fmt(d.loadMs - pkg - cached, 1)} ms of the import for reading node-core.cjs (${fmt(uncached.bytes / 1024, 0)} KiB) and its cache, loading node:vm, and running its top level ` +
    `(a first run compiles it instead: ${fmt(uncached.loadMs, 1)} ms), and ${fmt(d.initMs - wasm, 1)} ms of init() for reading the build, instantiating it and its probe. ` +
    `With the floors alone descent would be ${fmt(c['TF.js wasm'].totalMs / floors, 1)}x TF.js-wasm's ${fmt(c['TF.js wasm'].totalMs, 1)} ms; the rest grows with the JavaScript one import loads (the whole library, one entry).`;
}

export default async function run() {
  const coldStart = coldStarts();
  const bundle = await minimalBundle();
  const d = coldStart.descent;
  const rows = Object.entries(coldStart).map(([name, c]) => [
    name, fmt(c.loadMs, 1), fmt(c.initMs, 1), fmt(c.totalMs, 1), String(c.compiles), c.cache, name === 'descent' ? '1.0x' : name.startsWith('floor') ? '–' : `${fmt(c.totalMs / d.totalMs, 1)}x`,
  ]);
  const markdown = [
    `Fresh \`node\` processes, ${RUNS} rounds interleaved; medians, timed inside the child from the first line of its main file (Node's own start-up and the loading of that file excluded).`,
    'descent: `await import(\'descent\')` (the package\'s node entry) then `await init()`; TF.js 4.22: `require` tfjs-core and the backend, then `setBackend()` + `ready()`.',
    'In Node the entry compiles its one file of JavaScript (dist/bundle/node-core.cjs) with a V8 code cache in node_modules/.cache/descent, written by the first process of a build (src/entry/compile-cache.ts): one process runs before the rounds, so the `descent` rows are a user\'s second and later runs (compile cache "hit"), and the first-run row gives each process an empty cache directory ("miss"). The `--no-addons` row is the ES module bundle that bundlers take, which Node loads without a cache.',
    'The floor rows bound what descent can reach: Node 20 importing an empty ES module file (what any ES module import costs) and an empty package by name (that and resolving a package), V8 compiling node-core.cjs from memory without running it, with no cache and from its code cache (what an import of this much code cannot go below), and V8 compiling the SIMD build from bytes already in memory (the least a first `init()` costs). The `init({ threads: 1 })` row is init() without worker threads; init() does not start them either (they start at the next turn of the event loop, or at the first call big enough to share), and the `init() + threadsReady()` row times until they are up.',
    '',
    table(['path', 'import / require (ms)', 'init (ms)', 'total (ms)', 'Wasm compiles', 'compile cache', 'total vs descent'], rows),
    '',
    boundOf(coldStart),
    '',
    `Browser bundle of \`import { init, SGD } from 'descent'\` from the packed package (esbuild --bundle --minify, browser, esm): **${fmt(bundle.bytes / 1024, 1)} KiB** (${fmt(bundle.gzipBytes / 1024, 1)} KiB gzipped). Largest inputs: ${bundle.largest.map(([f, b]) => `${f} ${fmt(b / 1024, 1)}`).join(', ')} KiB. ` +
      `With --splitting the page loads ${fmt(bundle.split.initialBytes / 1024, 1)} KiB at start and ${fmt(bundle.split.lazyBytes / 1024, 1)} KiB only if it runs backend 'js' (esbuild without --splitting inlines that dynamic import). ` +
      `What holds it above ${GOAL_BUNDLE_KIB} KiB, by part: ${bundle.groups.map(([what, b]) => `${what}: ${fmt(b / 1024, 1)} KiB`).join('; ')}. ` +
      `Without the js backend and the threads, the rest alone is ${fmt(bundle.groups.slice(2).reduce((t, [, b]) => t + b, 0) / 1024, 1)} KiB.`,
  ].join('\n');
  return { markdown, data: { runs: RUNS, coldStart, bundle } };
}

/** The issue's goals: import + init() ≤ 10 ms, ≥ 5x faster than TF.js-wasm, ≤ 1 compile, bundle < 40 KiB. */
export function targetsOf(data) {
  const d = data.coldStart.descent, tfWasm = data.coldStart['TF.js wasm'];
  return [
    target('descent import + init() in a fresh Node process, compile cache written by an earlier run (median)', d.totalMs, GOAL_MS, 'ms', { atMost: true }),
    target('descent import + init() in a fresh Node process, first run of the build (no compile cache; median)', data.coldStart['descent, first run (no compile cache yet)'].totalMs, GOAL_MS, 'ms', { atMost: true }),
    target('TF.js-wasm require + init() over descent import + init() (same run)', tfWasm.totalMs / d.totalMs, GOAL_RATIO, 'x'),
    target('Wasm compiles per init() (the chosen build only)', d.compiles, GOAL_COMPILES, 'compiles', { atMost: true }),
    target('browser bundle importing only init and SGD (esbuild --minify)', data.bundle.bytes / 1024, GOAL_BUNDLE_KIB, 'KiB', { atMost: true }),
  ];
}

if (isMain(import.meta.url)) writeResults('coldstart', { title, targetsOf }, await run());
