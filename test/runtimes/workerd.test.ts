import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared by every runtime
import { SMOKE_CASE_COUNT } from './smoke-suite.js';
import { nodeSameBits } from '../threads/node-same-bits.js';

let mf: Miniflare;
let dir: string;
let smoke: { name: string; ok: boolean; error?: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'descent-workerd-'));
  await build({
    entryPoints: ['test/runtimes/workerd/worker.js'],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    outdir: dir,
    loader: { '.wasm': 'copy' },
    logLevel: 'error',
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.js'),
    modulesRoot: dir,
    modulesRules: [
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
      { type: 'ESModule', include: ['**/*.js'] },
    ],
    compatibilityDate: '2025-01-01',
    host: '127.0.0.1',
    port: 0,
  });
  smoke = (await (await mf.dispatchFetch('http://localhost/smoke')).json()) as typeof smoke;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('smoke: workerd (miniflare)', () => {
  it('ran every smoke case inside workerd', () => {
    expect(smoke.map((r) => r.name).length).toBe(SMOKE_CASE_COUNT);
  });
  for (let i = 0; i < SMOKE_CASE_COUNT; i++) {
    it(`case ${i + 1} passes inside workerd`, () => {
      const r = smoke[i];
      expect(r, 'missing case').toBeDefined();
      expect(r.error ?? '').toBe('');
      expect(r.ok).toBe(true);
    });
  }

  it('init({ threads: 4 }) runs one thread there, says why, and computes the bits Node computes with 2 threads', async () => {
    const r = (await (await mf.dispatchFetch('http://localhost/threads')).json()) as any;
    expect(r).toMatchObject({ threads: 1, backend: 'wasm-simd' });
    expect(r.threadsReason).toMatch(/one thread: this package entry cannot start workers/);
    const node = await nodeSameBits(2);
    expect(node.threads).toBe(2);
    expect(r.bits).toBe(node.bits);
  });

  it('init from bytes fails there with the platform error "Wasm code generation disallowed by embedder"', async () => {
    const bytes = readFileSync('build/descent-simd.wasm');
    const r = (await (await mf.dispatchFetch('http://localhost/init-bytes', { method: 'POST', body: bytes })).json()) as any;
    expect(r.ok).toBe(false);
    expect(r.name).toBe('CompileError');
    expect(r.message).toMatch(/Wasm code generation disallowed by embedder/);
  });

  it('initSync from the imported Module works (the module entry never compiles bytes)', async () => {
    const r = (await (await mf.dispatchFetch('http://localhost/init-module-sync')).json()) as any;
    expect(r).toEqual({ isModule: true, name: 'wasm-scalar', dot: 14 });
  });
});
