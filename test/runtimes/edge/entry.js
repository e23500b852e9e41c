// Bundled (esbuild IIFE) and evaluated inside an EdgeVM with code generation off, as production
// edge runtimes run: the Module is compiled outside and handed in, as an edge platform does.
import * as descent from '../../../src/index.ts';
import { runSmoke } from '../smoke-suite.js';
import { sameBitsProbe } from '../../threads/same-bits.js';

export function smoke(module) {
  return runSmoke(descent, () => descent.initSync({ module }), 'wasm-simd');
}

export async function initFromBytes(bytes) {
  try {
    await descent.init({ module: new Uint8Array(bytes), backend: 'wasm-simd' });
    return { ok: true };
  } catch (e) {
    return { ok: false, name: e.name, message: e.message };
  }
}

export function foreignModuleFailsInstanceof(module) {
  return !(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) === '[object WebAssembly.Module]';
}

/** Edge runtimes have no threads: initSync({ threads: 4 }) runs one thread, says why, and computes the same bits. */
export function threads(module) {
  descent.initSync({ module, threads: 4 });
  return sameBitsProbe(descent);
}
