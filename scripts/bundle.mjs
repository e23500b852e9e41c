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
import { rmSync } from 'node:fs';
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
  await build({
    ...common,
    entryPoints: { node: 'src/entry/node.ts' },
    plugins: [{
      name: 'lazy-tables',
      setup(b) {
        b.onResolve({ filter: /^\.\/tables\.js$/ }, (args) =>
          args.importer.endsWith(join('src', 'data', 'datasets.ts')) ? { path: join(root, 'src/entry/node-tables.ts') } : undefined);
      },
    }],
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
