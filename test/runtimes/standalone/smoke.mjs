// The smoke suite as a plain script, for runtimes driven from outside vitest (Deno, Bun).
// It imports the package by its own name, so the runtime's export conditions pick the entry
// (deno / bun → dist/entry/url.js), and prints one JSON line with the results.
import * as descent from 'descent';
import { runSmoke } from '../smoke-suite.js';

const results = await runSmoke(descent, () => descent.init(), 'wasm-simd');
const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : `node ${process.version}`;
console.log(JSON.stringify({ runtime, backend: descent.backendName(), reason: descent.backendInfo().reason, results }));
