/**
 * Browser / Deno / Bun / default entry: the packaged builds are fetched from next to this module
 * (`new URL('../../build/…', import.meta.url)`, which Vite and webpack follow and copy). When that
 * fails, the error says why and what to change for the runtime or bundler at hand. Threads are Web
 * Workers (src/threads/web-host.ts) where the page is cross-origin isolated.
 */
import { setDefaultSources, type BuildKind } from '../init.js';
import { setThreadHost } from '../threads/index.js';
import { webThreadHost } from '../threads/web-host.js';
import { compileResponse } from '../wasm/loader.js';

setThreadHost(webThreadHost);

/** Literal URLs, as bundlers that copy assets (Vite, webpack, Parcel) recognize them. */
function buildUrl(kind: BuildKind): URL {
  switch (kind) {
    case 'simd': return new URL('../../build/descent-simd.wasm', import.meta.url);
    case 'scalar': return new URL('../../build/descent-scalar.wasm', import.meta.url);
    case 'relaxed': return new URL('../../build/descent-relaxed.wasm', import.meta.url);
    case 'simd-threads': return new URL('../../build/descent-simd-threads.wasm', import.meta.url);
    default: return new URL('../../build/descent-scalar-threads.wasm', import.meta.url);
  }
}

const README = 'see "Loading in each runtime" in the descent README';
const BUNDLED =
  "If a bundler built this code, it did not emit descent's .wasm next to it: with esbuild, import the build " +
  "yourself (import simdUrl from 'descent/wasm/simd' with --loader:.wasm=file) and call init(simdUrl); " +
  'or serve node_modules/descent/build/ at that URL';

setDefaultSources({
  async load(kind) {
    let url: URL;
    try {
      url = buildUrl(kind);
    } catch (e) {
      throw new Error(
        `descent: cannot locate its WebAssembly build: this module's import.meta.url is ${JSON.stringify(import.meta.url)} (${(e as Error).message}). ` +
          'On Cloudflare Workers (workerd), bundle with the "workerd" export condition (esbuild --conditions=workerd; wrangler does this) ' +
          'and a CompiledWasm rule for .wasm; for a CommonJS or IIFE bundle, pass the build to init() yourself; ' + README,
      );
    }
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      const msg = (e as Error).message;
      const deno = (globalThis as { Deno?: unknown }).Deno !== undefined;
      if (deno && /allow-read|NotCapable|PermissionDenied/i.test(`${(e as Error).name} ${msg}`)) {
        throw new Error(
          `descent: Deno refused to read its WebAssembly build ${url.href} (${msg}). Run with --allow-read ` +
            "(or --allow-read=<that directory>), or import the build as a module, which needs no permission: " +
            "import source simd from 'descent/wasm/simd'; await init(simd)",
        );
      }
      throw new Error(`descent: cannot fetch its WebAssembly build ${url.href} (${msg}). Pass the build to init() yourself; ${README}`);
    }
    if (!res.ok) throw new Error(`descent: fetching its WebAssembly build ${url.href} failed with HTTP ${res.status} ${res.statusText}. ${BUNDLED}`);
    try {
      return await compileResponse(res);
    } catch (e) {
      const msg = (e as Error).message;
      if (/disallowed/i.test(msg)) {
        throw new Error(
          `descent: this runtime forbids compiling WebAssembly from bytes (${msg}). On Cloudflare Workers (workerd) and ` +
            'edge runtimes, bundle with the "workerd" (or "edge-light") export condition so the .wasm is imported as a ' +
            `module (esbuild --conditions=workerd and a CompiledWasm rule; wrangler does both); ${README}`,
        );
      }
      throw new Error(`descent: ${url.href} is not a WebAssembly build (${msg}): the server answered with something else, an HTML page perhaps. ${BUNDLED}`);
    }
  },
});

export * from '../index.js';
