import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as descent from '../src/entry/node.js';

const { init, initSync, backendName, backendInfo, param, memoryStats } = descent;
const simdUrl = new URL('../build/descent-simd.wasm', import.meta.url);
const scalarUrl = new URL('../build/descent-scalar.wasm', import.meta.url);

describe('init', () => {
  it('before init, the API throws an Error that says to call init()', async () => {
    // A fresh module instance: vitest isolates each test file, and this is the file's first test.
    expect(() => backendName()).toThrow(/call `await init\(\)`/);
    expect(() => param([1])).toThrow(/call `await init\(\)`/);
    expect(() => memoryStats()).toThrow(/not initialized/);
    expect(() => initSync({} as any)).toThrow(/initSync\(\) needs \{ module \}/);
    expect(() => backendName()).toThrow(/not initialized/);
  });

  it("'auto' picks wasm-simd on Node 20 and says why; init is idempotent", async () => {
    const info = await init();
    expect(info.name).toBe('wasm-simd');
    expect(info.reason).toMatch(/SIMD validates/);
    const p = param([1, 2]);
    await init();
    await init({ backend: 'auto' });
    await init({ backend: 'wasm-simd' });
    expect(Array.from(p.data)).toEqual([1, 2]); // the same backend: nothing was reloaded
    expect(backendInfo().maxMemoryMB).toBe(1024);
  });

  it('loads from a path, a URL, bytes, a Response, a promise of one, and a Module', async () => {
    const bytes = readFileSync(scalarUrl);
    const sources: [string, unknown][] = [
      ['path', scalarUrl.pathname],
      ['URL', scalarUrl],
      ['bytes', new Uint8Array(bytes)],
      ['ArrayBuffer', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)],
      ['Response', new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } })],
      ['Promise<Response>', Promise.resolve(new Response(bytes))],
      ['Module', new WebAssembly.Module(bytes)],
    ];
    for (const [, src] of sources) {
      await init({ backend: 'js' });
      const info = await init(src as any);
      expect(info.name).toBe('wasm-scalar');
      const x = param([1, 2, 3]);
      expect(descent.dot(x, x)).toBe(14);
    }
  });

  it('initSync({ module }) takes a compiled Module (and bytes); forced backends are checked against the build', async () => {
    const mod = new WebAssembly.Module(readFileSync(simdUrl));
    await init({ backend: 'js' });
    expect(initSync({ module: mod }).name).toBe('wasm-simd');
    expect(initSync({ module: mod }).name).toBe('wasm-simd');
    await init({ backend: 'js' });
    expect(() => initSync({ module: mod, backend: 'wasm-scalar' })).toThrow(/given the wasm-simd build/);
    expect(initSync({ backend: 'js' }).name).toBe('js');
  });

  it('a failed init can be retried and leaves the previous backend running', async () => {
    await init({ backend: 'wasm-scalar' });
    await expect(init(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]))).rejects.toThrow();
    expect(backendName()).toBe('wasm-scalar');
    await expect(init(new URL('../build/no-such.wasm', import.meta.url))).rejects.toThrow(/ENOENT/);
    await expect(init({ module: simdUrl })).resolves.toMatchObject({ name: 'wasm-simd' });
  });

  it('rejects bad options with errors that name them', async () => {
    await expect(init({ backend: 'gpu' as any })).rejects.toThrow(RangeError);
    await expect(init({ backend: 'gpu' as any })).rejects.toThrow(/'auto', 'wasm-relaxed', 'wasm-simd', 'wasm-scalar', 'js', got "gpu"/);
    await expect(init({ maxMemoryMB: 0 })).rejects.toThrow(/maxMemoryMB.*got 0/);
    await expect(init({ maxMemoryMB: 1e9 })).rejects.toThrow(RangeError);
    await expect(init({ bogus: 1 } as any)).rejects.toThrow(/unknown option\(s\) bogus/);
    await expect(init(42 as any)).rejects.toThrow(TypeError);
    await expect(init({ module: {} as any })).rejects.toThrow(/cannot load an empty object \{\}/);
  });

  it("a wrong ABI is refused with a sentence saying to rebuild", async () => {
    // A valid module with no exports.
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(init(empty)).rejects.toThrow(/not a descent build.*npm run build/);
  });
});
