// The smoke suite as a plain script, for runtimes driven from outside vitest (Deno, Bun).
// It imports the package by its own name, so the runtime's export conditions pick the entry
// (deno / bun → dist/entry/url.js), and prints one JSON line with the results.
import * as descent from 'descent';
import { runSmoke } from '../smoke-suite.js';

// Deno (V8) fuses relaxed SIMD's multiply-add, so auto runs wasm-relaxed; Bun (JavaScriptCore) validates
// relaxed SIMD but does not fuse it, so auto keeps wasm-simd (the probe sees two roundings).
const results = await runSmoke(descent, () => descent.init(), typeof Bun !== 'undefined' ? 'wasm-simd' : 'wasm-relaxed');
const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : `node ${process.version}`;
console.log(JSON.stringify({ runtime, backend: descent.backendName(), reason: descent.backendInfo().reason, results }));
