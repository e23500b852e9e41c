// Backend 'auto' on Node 20 without --experimental-wasm-relaxed-simd (this node project has no flag;
// test/relaxed/ runs in the flagged node-relaxed project): relaxed SIMD does not validate, so auto runs
// wasm-simd and backendInfo().reason says why, naming the flag; forcing 'wasm-relaxed' is an error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendInfo, backendName, init } from '../src/entry/node.js';
import { relaxedSimdValidates } from '../src/wasm/features.js';

const FLAG = '--experimental-wasm-relaxed-simd';
const bytes = (kind: string) => readFileSync(new URL(`../build/descent-${kind}.wasm`, import.meta.url));

it('this project runs Node without the flag, and relaxed SIMD does not validate', () => {
  expect(process.execArgv).not.toContain(FLAG);
  expect(relaxedSimdValidates()).toBe(false);
});

describe('Node 20 without the flag', () => {
  it("auto runs wasm-simd, and backendInfo().reason says why not wasm-relaxed and names the flag", async () => {
    const info = await init();
    expect(info.name).toBe('wasm-simd');
    expect(info.reason).toMatch(/^SIMD validates and the probe computed right; not wasm-relaxed: .*no relaxed SIMD/);
    expect(backendInfo().reason).toMatch(/--experimental-wasm-relaxed-simd/);
  });

  it("backend: 'wasm-relaxed' is refused with the flag and the alternatives named; the running backend stays", async () => {
    await init({ backend: 'wasm-simd' });
    await expect(init({ backend: 'wasm-relaxed' })).rejects.toThrow(
      /init\(\{ backend: 'wasm-relaxed' \}\): .*no relaxed SIMD.*--experimental-wasm-relaxed-simd.*use backend: 'auto' or 'wasm-simd'/,
    );
    expect(backendName()).toBe('wasm-simd');
  });

  it('the relaxed build cannot be compiled here (the reason auto skips it)', () => {
    expect(() => new WebAssembly.Module(bytes('relaxed'))).toThrow(WebAssembly.CompileError);
  });
});

