import { availableParallelism } from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module shared by every runtime
import { SMOKE_CASE_COUNT } from './smoke-suite.js';

// Deno and Bun come from the npm packages `deno` and `bun`, whose binaries ship inside them.
const cwd = 'test/runtimes/standalone';
// backend 'auto' there: Deno (V8) fuses relaxed SIMD's multiply-add; Bun (JavaScriptCore) validates
// relaxed SIMD but computes relaxed_madd unfused, so the probe keeps wasm-simd and says why.
const RUNTIMES: Record<string, { bin: string; args: string[]; backend: string; reason: RegExp }> = {
  deno: { bin: 'node_modules/.bin/deno', args: ['run', '--allow-read', 'smoke.mjs'], backend: 'wasm-relaxed', reason: /^relaxed SIMD validates and the probe computed right with a fused multiply-add$/ },
  // Bun runs threads where there are cores, and there is no threaded relaxed build; on one core its
  // probe finds relaxed_madd unfused (JavaScriptCore), so it keeps wasm-simd either way.
  bun: { bin: 'node_modules/.bin/bun', args: ['smoke.mjs'], backend: 'wasm-simd', reason: availableParallelism() > 1 ? /not wasm-relaxed: \d+ threads planned and the relaxed build has no threaded build/ : /not wasm-relaxed: relaxed SIMD's multiply-add is not fused/ },
};

for (const [name, { bin, args, backend, reason }] of Object.entries(RUNTIMES)) {
  describe(`smoke: ${name}`, () => {
    it(`${name} is installed by npm ci (binary present)`, () => {
      expect(existsSync(bin), `${bin} missing: if Bun's postinstall did not run, node node_modules/bun/install.js places it`).toBe(true);
    });

    it(`runs every smoke case on ${backend}, importing 'descent' through its ${name} export condition`, () => {
      const out = execFileSync(`../../../${bin}`, args, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
      const line = out.trim().split('\n').pop()!;
      const r = JSON.parse(line);
      expect(r.runtime.startsWith(name)).toBe(true);
      expect(r.backend).toBe(backend);
      expect(r.reason).toMatch(reason);
      expect(r.results.length).toBe(SMOKE_CASE_COUNT);
      for (const c of r.results) expect(c.error ?? '', c.name).toBe('');
      expect(r.results.every((c: { ok: boolean }) => c.ok)).toBe(true);
      console.log(`${r.runtime}: ${r.results.filter((c: { ok: boolean }) => c.ok).length} passed, ${r.results.filter((c: { ok: boolean }) => !c.ok).length} failed`);
    });
  });
}
