// Deno and Bun recipes from the README, from the packed tarball in fresh projects (both runtimes come
// from their npm packages). Deno with --allow-read, Deno's source phase import that needs no
// permission, Deno without --allow-read (deliberately broken: the error names the flag), and Bun.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, makeProject, readmeRecipe, run } from './helpers.js';

const DENO = join(REPO, 'node_modules/.bin/deno');
const BUN = join(REPO, 'node_modules/.bin/bun');
const denoArgs = (script: string) => script.trim().replace(/^deno /, '').split(/\s+/);

describe('Deno', () => {
  it('deno run --allow-read main.js: wasm-relaxed, through the "deno" export condition', async () => {
    const recipe = readmeRecipe('deno');
    const dir = makeProject('deno', { ...recipe, 'which.js': "import * as d from 'descent';\nconsole.log(import.meta.resolve('descent'));\n" });
    const r = await run(DENO, denoArgs(recipe['run.sh']), dir, { DENO_NO_UPDATE_CHECK: '1' });
    expect(r.stdout.trim(), r.stderr).toBe('wasm-relaxed');
    const which = await run(DENO, ['run', 'which.js'], dir, { DENO_NO_UPDATE_CHECK: '1' });
    expect(which.stdout.trim()).toMatch(/\/node_modules\/descent\/dist\/bundle\/url\.js$/);
  });

  it('import source of descent/wasm/simd needs no permission: wasm-simd', async () => {
    const dir = makeProject('deno-source', readmeRecipe('deno-source'));
    const r = await run(DENO, ['run', 'main.js'], dir, { DENO_NO_UPDATE_CHECK: '1' });
    expect(r.stdout.trim(), r.stderr).toBe('wasm-simd');
  });

  it('broken on purpose: without --allow-read, init() rejects naming --allow-read and import source', async () => {
    const dir = makeProject('deno-noperm', readmeRecipe('deno'));
    const r = await run(DENO, ['run', 'main.js'], dir, { DENO_NO_UPDATE_CHECK: '1' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/descent: Deno refused to read its WebAssembly build file:\/\/\S+\/build\/descent-simd\.wasm/);
    expect(r.stderr).toMatch(/Run with --allow-read .*import source simd from 'descent\/wasm\/simd'; await init\(simd\)/);
  });
});

describe('Bun', () => {
  it('bun main.js: wasm-simd (JavaScriptCore does not fuse relaxed_madd), through the "bun" export condition', async () => {
    const dir = makeProject('bun', { ...readmeRecipe('bun'), 'which.js': "console.log(Bun.resolveSync('descent', import.meta.dir));\n" });
    const r = await run(BUN, ['main.js'], dir);
    expect(r.stdout.trim(), r.stderr).toBe('wasm-simd');
    const which = await run(BUN, ['which.js'], dir);
    expect(which.stdout.trim()).toMatch(/\/node_modules\/descent\/dist\/bundle\/url\.js$/);
  });
});
