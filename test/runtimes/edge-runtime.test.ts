import { readFileSync } from 'node:fs';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
// @ts-expect-error plain JS module shared by every runtime
import { SMOKE_CASE_COUNT } from './smoke-suite.js';
import { nodeSameBits } from '../threads/node-same-bits.js';
import { beforeAll, describe, expect, it } from 'vitest';

let vm: EdgeVM;
let api: any;
let smoke: { name: string; ok: boolean; error?: string }[] = [];
const bytes = readFileSync('build/descent-simd.wasm');
// Compiled in this (outer) realm, like a platform that hands the worker a precompiled module.
const module = new WebAssembly.Module(bytes);

beforeAll(async () => {
  const out = await build({
    entryPoints: ['test/runtimes/edge/entry.js'],
    bundle: true,
    format: 'iife',
    globalName: '__descentEdge',
    platform: 'browser',
    conditions: ['edge-light'],
    write: false,
    logLevel: 'error',
  });
  vm = new EdgeVM({ codeGeneration: { strings: false, wasm: false } });
  vm.evaluate(out.outputFiles[0].text);
  api = vm.evaluate('__descentEdge');
  smoke = await api.smoke(module);
}, 60_000);

describe('smoke: edge-runtime (EdgeVM, code generation off)', () => {
  it('ran every smoke case inside the VM', () => {
    expect(smoke.length).toBe(SMOKE_CASE_COUNT);
  });
  for (let i = 0; i < SMOKE_CASE_COUNT; i++) {
    it(`case ${i + 1} passes in the VM`, () => {
      const r = smoke[i];
      expect(r.error ?? '').toBe('');
      expect(r.ok).toBe(true);
    });
  }

  it('initSync({ threads: 4 }) runs one thread in the VM, says why, and computes the bits Node computes with 2 threads', async () => {
    const r = api.threads(module);
    expect(r).toMatchObject({ threads: 1, backend: 'wasm-simd' });
    expect(r.threadsReason).toMatch(/one thread: this package entry cannot start workers/);
    const node = await nodeSameBits(2);
    expect(node.threads).toBe(2);
    expect(r.bits).toBe(node.bits);
  });

  it('the VM refuses eval and compiling Wasm from bytes, as production edge runtimes do', async () => {
    expect(() => vm.evaluate('eval("1 + 1")')).toThrow(/Code generation from strings disallowed/);
    const r = await api.initFromBytes(bytes);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/Wasm code generation disallowed by embedder/);
  });

  it('a Module compiled outside the VM fails instanceof inside it, and init() takes it all the same', () => {
    // The smoke cases above ran on initSync({ module }) with exactly this foreign Module.
    expect(api.foreignModuleFailsInstanceof(module)).toBe(true);
    expect(smoke.every((r) => r.ok)).toBe(true);
  });
});
