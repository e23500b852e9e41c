// Packaging step of `npm run build` (called by scripts/build.mjs after tsc): one ES module per entry
// for the runtimes that load files directly — Node, Deno, Bun — so that `import('descent')` reads a few
// files instead of ~100 (Node's ESM loader pays per module). Bundlers and browsers keep tsc's
// per-module dist/ (better tree shaking with "sideEffects"). Output in dist/bundle/, at the same depth
// as dist/entry/, so the entries' `new URL('../../build/…', import.meta.url)` still finds the .wasm.
// Whitespace and syntax are minified (a fifth less to parse on every import), names are not, so stack
// traces still name the functions; lines are cut at about 200 characters (lineLimit), so that Node's
// report of an uncaught error quotes one short line rather than a whole ~400 KB one-line chunk (no
// import time measurable in fresh processes, +5 KB). No source maps: the package ships none (maps with
// their sources inlined would add ~60% to the tarball).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleEntries() {
  rmSync(join(root, 'dist/bundle'), { recursive: true, force: true }); // chunk names change with their content
  const common = {
    absWorkingDir: root,
    outdir: 'dist/bundle',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*'],
    chunkNames: 'shared-[hash]',
    minifyWhitespace: true,
    minifySyntax: true,
    lineLimit: 200,
    legalComments: 'none',
    logLevel: 'warning',
  };
  // the worker entries sit next to the bundles, where the hosts' new URL('./worker.js', import.meta.url) looks
  await build({
    ...common,
    entryPoints: { url: 'src/entry/url.ts', datasets: 'src/entry/datasets.ts', worker: 'src/threads/worker.ts', 'node-worker': 'src/threads/node-worker.ts' },
  });
  // Node's bundle on its own: its built-in tables are read on first use from datasets-data.cjs
  // (src/entry/node-tables.ts stands in for src/data/tables.ts), so import('descent') does not parse
  // ~230 KB of encoded data. Deno and Bun keep static imports (url.js): a require() there would need
  // Deno's --allow-read for loadDigits(), which needs no permission today.
  const lazyTables = {
    name: 'lazy-tables',
    setup(b) {
      b.onResolve({ filter: /^\.\/tables\.js$/ }, (args) =>
        args.importer.endsWith(join('src', 'data', 'datasets.ts')) ? { path: join(root, 'src/entry/node-tables.ts') } : undefined);
    },
  };
  // In node-core.cjs the js backend's dynamic import (src/init.ts, for browser bundles) becomes a static
  // one: the Node entry registers that backend up front anyway, and for a dynamic import in CommonJS
  // esbuild wraps each module it reaches in a lazy initializer, whose body V8 then parses twice (a
  // pre-parse at compile, a full parse at the first call): a first import measured ~15 ms slower so.
  const staticJsBackend = {
    name: 'static-js-backend',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]init\.ts$/ }, async (args) => {
        const src = await readFile(args.path, 'utf8');
        const dynamic = "(await import('./backend/js.js')).createJsBackend";
        if (!src.includes(dynamic)) throw new Error(`bundle: src/init.ts no longer has ${dynamic}; update the static-js-backend plugin`);
        return { contents: `import { createJsBackend as staticJsBackend } from './backend/js.js';\n${src.replace(dynamic, 'staticJsBackend')}`, loader: 'ts' };
      });
    },
  };
  const nodeBuild = await build({ ...common, entryPoints: { node: 'src/entry/node.ts' }, plugins: [lazyTables], metafile: true });
  // What Node itself loads (export condition "node-addons", which bundlers do not set): the same code as
  // node.js in one CommonJS file, compiled with a V8 code cache (src/entry/compile-cache.ts) by
  // node-fast.cjs, and node-fast.js, an ES module naming node.js's exports from it. import and require()
  // share one instance (loadShared). import.meta.url becomes the file's own URL.
  const names = Object.values(nodeBuild.metafile.outputs).find((o) => o.entryPoint === 'src/entry/node.ts').exports;
  if (names.length < 50 || names.includes('default')) throw new Error(`bundle: unexpected exports of the node entry: ${names.join(', ')}`);
  // One CommonJS file in dist/bundle from a module written here (resolved from src/entry).
  const cjsFile = (name, contents, options) => build({
    ...common,
    splitting: false,
    format: 'cjs',
    platform: 'node',
    stdin: { resolveDir: join(root, 'src/entry'), loader: 'ts', sourcefile: name.replace(/\.cjs$/, '.ts'), contents },
    outfile: `dist/bundle/${name}`,
    outdir: undefined,
    define: { 'import.meta.url': '__descent_url' },
    banner: { js: 'var __descent_url=require("node:url").pathToFileURL(__filename).href;' },
    ...options,
  });
  // A file of code for the compile cache (<name>-core.cjs, whose default export is what it gives) and
  // its loader (<name>-fast.cjs, whose module.exports is that default export).
  const cachedFile = async (name, contents) => {
    await cjsFile(`${name}-core.cjs`, contents, {
      // package.json's "sideEffects" names dist/, not src/: without this the entry's own set-up (the Node
      // file reader, thread host and .wasm sources of src/entry/node.ts) would be dropped as unused
      ignoreAnnotations: true,
      plugins: [lazyTables, staticJsBackend],
    });
    const digest = createHash('sha256').update(readFileSync(join(root, `dist/bundle/${name}-core.cjs`))).digest('hex').slice(0, 16);
    await cjsFile(`${name}-fast.cjs`, [
      "const { cacheDirFor, loadShared } = require('./compile-cache.ts');",
      "const { join } = require('node:path');",
      "const where = cacheDirFor(join(__dirname, '..', '..'), process.env);",
      `module.exports = loadShared(join(__dirname, '${name}-core.cjs'), { name: '${name}-core', digest: '${digest}', cacheDir: where.dir, offReason: where.reason, fallback: () => require('./${name}-core.cjs') });`,
    ].join('\n'), { external: ['node:*', `./${name}-core.cjs`] });
    return digest;
  };
  // node-core.cjs's exports are one plain object (its default export), not esbuild's getter per name
  // (live bindings: no export of the entry is ever reassigned): a first run would otherwise compile
  // ~300 getter functions as the ES module below reads each name once.
  const nodeDigest = await cachedFile('node', `import { ${names.join(', ')} } from './node.ts';\nexport default { ${names.join(', ')} };\n`);
  // The command line (bin/descent.mjs) the same way: dist/cli/ is ~100 ES modules, whose loading took
  // ~200 ms of every `descent` command. Its own copy of the library: the CLI's modules use some of
  // its internals, which node-core.cjs does not export.
  await cachedFile('cli', "import { main } from '../cli/main.ts';\nexport default main;\n");
  // What `import 'descent'` loads in Node: an ES module that loads node-core.cjs itself (the same
  // loadShared as node-fast.cjs, so import and require() share one instance) and names its exports.
  // Not `import m from './node-fast.cjs'` (Node would run its CommonJS export lexer, cjs-module-lexer,
  // ~4 ms on a first use), nor createRequire()('./node-fast.cjs') (a first CommonJS load costs ~1 ms:
  // resolving, the package scope lookup, compiling). compile-cache.ts takes node:fs and the others by
  // require(), so that this ES module imports no node: module but node:module.
  await build({
    ...common,
    splitting: false,
    platform: 'node',
    stdin: {
      resolveDir: join(root, 'src/entry'), loader: 'ts', sourcefile: 'node-fast.ts',
      contents: [
        "import { createRequire } from 'node:module';",
        "const { fileURLToPath } = createRequire(import.meta.url)('node:url');",
        "import { cacheDirFor, loadShared } from './compile-cache.ts';",
        "const core = fileURLToPath(new URL('./node-core.cjs', import.meta.url));",
        "const where = cacheDirFor(fileURLToPath(new URL('../..', import.meta.url)), process.env);",
        `const m = loadShared(core, { name: 'node-core', digest: '${nodeDigest}', cacheDir: where.dir, offReason: where.reason, fallback: () => createRequire(import.meta.url)(core) }) as any;`,
        `export const {\n${names.map((n) => `  ${n},\n`).join('')}} = m;`,
      ].join('\n'),
    },
    outfile: 'dist/bundle/node-fast.js',
    outdir: undefined,
  });
  await build({
    ...common,
    splitting: false,
    format: 'cjs',
    entryPoints: { 'datasets-data': 'src/data/tables.ts' },
    outExtension: { '.js': '.cjs' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleEntries();
