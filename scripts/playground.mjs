// The browser playground (playground/): `node scripts/playground.mjs build` writes the static site to
// playground/dist/; `serve` builds it and serves it on 127.0.0.1 (Vite's preview server), printing
// the URL; `dev` runs Vite's dev server instead (reloads on edits to playground/). All of them run on
// descent's own build in dist/ and build/: `npm run playground` / `npm run playground:build` build
// the library first. Options: --port N (default 5173), --host H (default 127.0.0.1).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, createServer, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('../playground/vite.config.ts', import.meta.url));

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '5173' }, host: { type: 'string', default: '127.0.0.1' } },
});
const command = positionals[0] ?? 'serve';
if (!['build', 'serve', 'dev'].includes(command) || positionals.length > 1) {
  console.error(`playground: unknown command ${JSON.stringify(positionals.join(' '))}; use build, serve or dev`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`playground: --port must be a whole number in [0, 65535], got ${values.port}`);
  process.exit(2);
}
for (const f of ['dist/entry/url.js', 'build/descent-simd.wasm', 'build/descent-scalar.wasm']) {
  if (!existsSync(`${root}${f}`)) {
    console.error(`playground: descent is not built (${f} is missing); run npm run build first, or use npm run playground`);
    process.exit(2);
  }
}

const server = { port, host: values.host, strictPort: false };
if (command === 'dev') {
  const dev = await createServer({ configFile, server });
  await dev.listen();
  dev.printUrls();
} else {
  await build({ configFile, logLevel: 'warn' });
  console.log('playground: built playground/dist/ (a static site: serve the folder from any static host)');
  if (command === 'serve') {
    const p = await preview({ configFile, preview: server });
    p.printUrls();
  }
}
