/**
 * workerd (Cloudflare Workers) and edge-light entry: the builds are imported as modules, which the
 * platform compiles at deploy time into WebAssembly.Module objects. These runtimes forbid compiling
 * Wasm from bytes, so nothing here ever does. No top-level await: init() is still required.
 */
import simd from '../../build/descent-simd.wasm';
import scalar from '../../build/descent-scalar.wasm';
import { setDefaultSources } from '../init.js';

setDefaultSources({ simd: () => simd, scalar: () => scalar });

export { simd as simdModule, scalar as scalarModule };
export * from '../index.js';
