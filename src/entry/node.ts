/// <reference types="node" />
/**
 * Node entry: the packaged builds are read from disk with node:fs (Node 20's fetch() cannot read
 * file: URLs), then compiled asynchronously; threads are worker_threads (src/threads/node-host.ts).
 * The only entry that uses node: modules, taken on first use (nodeBuiltin: importing node:fs as an ES
 * module would cost every import('descent') a few milliseconds).
 * Reads are synchronous: a .wasm is small, and node:fs/promises would cost a module load.
 */
import { createJsBackend } from '../backend/js.js';
import { setDefaultSources, setJsBackend } from '../init.js';
import { setThreadHost } from '../threads/index.js';
import { nodeBuiltin, nodeThreadHost } from '../threads/node-host.js';
import { setFileReader } from '../wasm/loader.js';

setThreadHost(nodeThreadHost);
// up front, so that initSync({ backend: 'js' }) works in Node (the other entries load it on demand)
setJsBackend(createJsBackend);

setFileReader((src) => {
  const s = typeof src === 'string' ? src : src.href;
  if (/^(https?|data|blob):/i.test(s)) return null;
  return Promise.resolve(nodeBuiltin('node:fs').readFileSync(s.startsWith('file:') ? nodeBuiltin('node:url').fileURLToPath(s) : s));
});

setDefaultSources({
  async load(kind) {
    const url = new URL(`../../build/descent-${kind}.wasm`, import.meta.url);
    let bytes: Uint8Array;
    try {
      bytes = nodeBuiltin('node:fs').readFileSync(url);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const path = nodeBuiltin('node:url').fileURLToPath(url);
      const fix = err.code === 'ENOENT'
        ? 'The file is not there. If you bundled descent into your own file (esbuild, webpack, ncc for Node), ' +
          `the bundle looks for the build next to itself: copy node_modules/descent/build/descent-${kind}.wasm to ${path}, ` +
          "or keep descent external to the bundle, or pass the build yourself: init(readFileSync(require.resolve('descent/wasm/simd'))). " +
          'Otherwise reinstall descent (npm ci).'
        : 'This process may not read it: fix the permissions, or pass the build to init() as bytes or a WebAssembly.Module.';
      throw new Error(`descent: cannot read its WebAssembly build ${path} (${err.code ?? err.message}). ${fix}`);
    }
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  },
});

export * from '../index.js';
