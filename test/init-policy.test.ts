// The fall-back policy of init({ backend: 'auto' }): wasm-simd where SIMD validates and the probe
// passes, else wasm-scalar; a build that fails to load rejects (never a silent switch to js); js only
// where the runtime has no WebAssembly, or when asked.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh, uninitialized copy of the library (vitest re-evaluates the modules after resetModules). */
async function fresh() {
  vi.resetModules();
  const descent = await import('../src/entry/node.js');
  const { setDefaultSources } = await import('../src/init.js');
  return { ...descent, setDefaultSources };
}
const bytes = (kind: string) => readFileSync(new URL(`../build/descent-${kind}.wasm`, import.meta.url));
const KINDS = ['simd', 'scalar', 'simd-threads', 'scalar-threads'] as const;
const compiled = Object.fromEntries(KINDS.map((k) => [k, new WebAssembly.Module(bytes(k))])) as Record<(typeof KINDS)[number], WebAssembly.Module>;
/** The builds asked for, without the threaded/plain distinction (threads, when planned, ask for the threaded build). */
const plainKinds = (kinds: string[]) => kinds.map((k) => k.replace(/-threads$/, ''));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('init() fall-back policy', () => {
  it('a packaged build that fails to load rejects init() with its message; nothing falls back to js', async () => {
    const descent = await fresh();
    const { init, setDefaultSources } = descent;
    const asked: string[] = [];
    setDefaultSources({
      load(kind) {
        asked.push(kind);
        throw new Error(`descent: cannot read its WebAssembly build /x/descent-${kind}.wasm (ENOENT). Copy it there.`);
      },
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(init()).rejects.toThrow('descent: cannot read its WebAssembly build /x/descent-simd.wasm (ENOENT). Copy it there.');
    // not retried as scalar, not replaced by js (a threaded build that fails is logged, then the plain one is asked for)
    expect(asked.filter((k) => !k.endsWith('-threads'))).toEqual(['simd']);
    expect(asked.filter((k) => k.endsWith('-threads')).length).toBe(warn.mock.calls.length);
    expect(descent.isInitialized()).toBe(false);
    await expect(init({ backend: 'wasm-scalar' })).rejects.toThrow(/descent-scalar\.wasm \(ENOENT\)/);
    // Asking for js still works, and says so.
    expect((await init({ backend: 'js' })).reason).toBe('requested');
  });

  it('SIMD that validates and a probe that passes give wasm-simd, and the reason says so', async () => {
    const { init, param, dot, setDefaultSources } = await fresh();
    setDefaultSources({ load: (kind) => compiled[kind] });
    const info = await init({ backend: 'auto' });
    expect(info).toMatchObject({ name: 'wasm-simd' });
    // Node 20 without --experimental-wasm-relaxed-simd (test/relaxed/ covers the flagged case)
    expect(info.reason).toMatch(/^SIMD validates and the probe computed right; not wasm-relaxed: this runtime's WebAssembly has no relaxed SIMD/);
    const x = param([1, 2, 3]);
    expect(dot(x, x)).toBe(14);
  });

  it('where WebAssembly.validate rejects SIMD, auto loads only the scalar build', async () => {
    const { init, backendName, setDefaultSources } = await fresh();
    const loaded: string[] = [];
    setDefaultSources({ load: (kind) => (loaded.push(kind), compiled[kind]) });
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const info = await init();
    expect(info).toMatchObject({ name: 'wasm-scalar', reason: 'WebAssembly.validate rejects SIMD; using wasm-scalar' });
    expect(plainKinds(loaded)).toEqual(['scalar']);
    // Forcing SIMD there is an error that names the alternatives.
    await expect(init({ backend: 'wasm-simd' })).rejects.toThrow(/has no SIMD.*use backend: 'auto' or 'wasm-scalar'/);
    expect(backendName()).toBe('wasm-scalar');
  });

  it('a runtime without WebAssembly runs the js path and says why; forcing a Wasm backend there is an error', async () => {
    const { init, backendInfo, setDefaultSources } = await fresh();
    setDefaultSources({ load: () => { throw new Error('must not be called'); } });
    vi.stubGlobal('WebAssembly', undefined);
    const info = await init({ backend: 'auto' });
    expect(info).toMatchObject({ name: 'js', reason: 'no WebAssembly in this runtime' });
    expect(backendInfo().name).toBe('js');
    await expect(init({ backend: 'wasm-simd' })).rejects.toThrow(/needs WebAssembly, which this runtime does not have/);
  });
});
