// The Cloudflare Workers recipe from the README, from the packed tarball in a fresh project: esbuild
// with the workerd condition and the .wasm left as modules, run in workerd by miniflare with the
// CompiledWasm rule. And deliberately broken: the same Worker bundled without the workerd condition,
// and with the .wasm turned into a file URL instead of a module.
import { describe, expect, it } from 'vitest';
import { makeProject, readmeRecipe, run, runScript } from './helpers.js';

describe('Cloudflare Workers (workerd via miniflare)', () => {
  it('the README recipe: esbuild --conditions=workerd, a CompiledWasm rule, init() in the handler: wasm-relaxed', async () => {
    const recipe = readmeRecipe('workerd');
    const dir = makeProject('workerd', recipe, ['miniflare']);
    const b = await runScript(recipe['build.sh'], dir);
    expect(b.code, b.stderr).toBe(0);
    const r = await run('node', ['serve.mjs'], dir);
    expect(r.stdout.trim(), r.stderr).toBe('wasm-relaxed');
  });

  const catchingWorker = [
    "import { init, backendName } from 'descent';",
    'export default {',
    '  async fetch() {',
    '    try { await init(); return new Response(backendName()); } catch (e) { return new Response(`${e.name}: ${e.message}`); }',
    '  },',
    '};',
  ].join('\n');

  /** The recipe with its build command changed by `edit`, serving a Worker that answers with init()'s error. */
  async function brokenRecipe(name: string, edit: (build: string) => string): Promise<string> {
    const recipe = readmeRecipe('workerd');
    const dir = makeProject(name, { ...recipe, 'worker.js': catchingWorker }, ['miniflare']);
    const b = await runScript(edit(recipe['build.sh']), dir);
    expect(b.code, b.stderr).toBe(0);
    return (await run('node', ['serve.mjs'], dir)).stdout.trim();
  }

  it('broken on purpose: bundled without the workerd condition, init() rejects naming --conditions=workerd', async () => {
    const out = await brokenRecipe('workerd-broken', (build) => build.replace('--conditions=workerd,worker ', ''));
    expect(out).not.toBe('js');
    expect(out).toMatch(/^Error: descent: cannot locate its WebAssembly build: this module's import.meta.url is undefined \(.*Invalid URL/);
    expect(out).toMatch(/bundle with the "workerd" export condition \(esbuild --conditions=workerd; wrangler does this\) and a CompiledWasm rule/);
  });

  it('broken on purpose: the .wasm bundled as a file URL instead of a module, init() rejects naming the CompiledWasm rule', async () => {
    const out = await brokenRecipe('workerd-file-loader', (build) => build.replace('--loader:.wasm=copy', '--loader:.wasm=file'));
    expect(out).toMatch(/^Error: descent: the workerd entry imported build\/descent-simd\.wasm as the string "\.\/descent-simd-\w+\.wasm", not a WebAssembly\.Module\./);
    expect(out).toMatch(/add a CompiledWasm rule for \*\*\/\*\.wasm/);
  });
});
