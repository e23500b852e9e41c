// Bundled (esbuild IIFE) and evaluated inside an EdgeVM with code generation off, as production
// edge runtimes run: the Module is compiled outside and handed in, as an edge platform does.
import * as descent from '../../../src/index.ts';
import { runSmoke } from '../smoke-suite.js';

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
