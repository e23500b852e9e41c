// A Cloudflare Worker that runs the smoke suite inside workerd. Bundled by esbuild (as wrangler
// would) with the .wasm imports left as modules, which the CompiledWasm rule turns into
// WebAssembly.Module objects.
import * as descent from '../../../src/entry/module.ts';
import { runSmoke } from '../smoke-suite.js';
import { sameBitsProbe } from '../../threads/same-bits.js';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/smoke') {
      return Response.json(await runSmoke(descent, () => descent.init(), 'wasm-relaxed'));
    }
    if (pathname === '/threads') {
      // workerd has no threads: init({ threads: 4 }) runs one thread, says why, and computes the same bits
      // as Node's wasm-simd on 2 threads (asked for by name: on one thread 'auto' would choose wasm-relaxed)
      await descent.init({ backend: 'wasm-simd', threads: 4 });
      return Response.json(sameBitsProbe(descent));
    }
    if (pathname === '/init-bytes') {
      // What a user gets who ships the .wasm as bytes: workerd refuses to compile them.
      const bytes = await request.arrayBuffer();
      try {
        await descent.init({ module: new Uint8Array(bytes) });
        return Response.json({ ok: true });
      } catch (e) {
        return Response.json({ ok: false, name: e.name, message: e.message });
      }
    }
    if (pathname === '/init-module-sync') {
      const isModule = Object.prototype.toString.call(descent.scalarModule) === '[object WebAssembly.Module]';
      const info = descent.initSync({ module: descent.scalarModule });
      const x = descent.tensor([1, 2, 3]);
      return Response.json({ isModule, name: info.name, dot: descent.dot(x, x) });
    }
    return new Response('not found', { status: 404 });
  },
};
