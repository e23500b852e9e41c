/**
 * Browser / Deno / Bun / default entry: the packaged builds are fetched from next to this module.
 * Deno needs --allow-read for file: URLs; bundlers that understand `new URL(..., import.meta.url)`
 * copy the .wasm files along.
 */
import { setDefaultSources } from '../init.js';

setDefaultSources({
  simd: () => fetch(new URL('../../build/descent-simd.wasm', import.meta.url)),
  scalar: () => fetch(new URL('../../build/descent-scalar.wasm', import.meta.url)),
});

export * from '../index.js';
