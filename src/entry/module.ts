/**
 * workerd (Cloudflare Workers) and edge-light entry: the builds are imported as modules, which the
 * platform compiles at deploy time into WebAssembly.Module objects. These runtimes forbid compiling
 * Wasm from bytes, so nothing here ever does. No top-level await: init() is still required.
 */
import simd from '../../build/descent-simd.wasm';
import relaxed from '../../build/descent-relaxed.wasm';
import scalar from '../../build/descent-scalar.wasm';
import { setDefaultSources } from '../init.js';
import { isWasmModule } from '../wasm/features.js';

setDefaultSources({
  load(kind) {
    const m: unknown = kind === 'simd' ? simd : kind === 'relaxed' ? relaxed : scalar;
    if (isWasmModule(m)) return m;
    const got = typeof m === 'string' ? `the string ${JSON.stringify(m)}` : Object.prototype.toString.call(m).slice(8, -1);
    throw new Error(
      `descent: the workerd entry imported build/descent-${kind}.wasm as ${got}, not a WebAssembly.Module. ` +
        'Leave .wasm imports as modules when bundling (esbuild --loader:.wasm=copy) and add a CompiledWasm rule for ' +
        "**/*.wasm (wrangler has it by default; miniflare: modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }]); " +
        'see "Loading in each runtime" in the descent README',
    );
  },
});

/** The packaged SIMD build as imported by the platform (a WebAssembly.Module): `initSync({ module: simdModule })`. */
export const simdModule: WebAssembly.Module = simd;
/** The packaged relaxed-SIMD build (fused multiply-add in the matrix products), for `initSync({ module: relaxedModule })`. */
export const relaxedModule: WebAssembly.Module = relaxed;
/** The packaged scalar build (a WebAssembly.Module), for runtimes without SIMD. */
export const scalarModule: WebAssembly.Module = scalar;
export * from '../index.js';
