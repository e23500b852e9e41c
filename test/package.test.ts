import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('package', () => {
  it('is the ESM package "descent" with types and an exports map per runtime', () => {
    expect(pkg.name).toBe('descent');
    expect(pkg.type).toBe('module');
    const dot = pkg.exports['.'];
    expect(dot.types).toBe('./dist/index.d.ts');
    expect(dot.node).toBe('./dist/entry/node.js');
    for (const c of ['browser', 'deno', 'bun', 'default']) expect(dot[c]).toBe('./dist/entry/url.js');
    for (const c of ['workerd', 'edge-light']) expect(dot[c]).toBe('./dist/entry/module.js');
    // Conditions are matched in order: the specific ones must come before "default".
    const keys = Object.keys(dot);
    expect(keys.indexOf('default')).toBe(keys.length - 1);
    expect(pkg.dependencies['@assemblyscript/loader']).toBeDefined();
    for (const d of ['assemblyscript', 'vitest', 'benny']) expect(pkg.devDependencies[d]).toBeDefined();
  });

  it('imports node: modules only in the node entry', () => {
    const offenders = walk('src')
      .filter((f) => f.endsWith('.ts') && !f.endsWith(join('entry', 'node.ts')))
      .filter((f) => /from\s+['"]node:|import\(\s*['"]node:|require\(\s*['"]node:/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    expect(readFileSync('src/entry/node.ts', 'utf8')).toMatch(/from 'node:fs\/promises'/);
  });

  it('has no top-level await in any entry or any module they load (workerd rejects it)', async () => {
    const { build } = await import('esbuild');
    for (const entry of ['src/entry/node.ts', 'src/entry/url.ts', 'src/entry/module.ts']) {
      // esbuild refuses to bundle a graph with top-level await when the target says it is unsupported.
      const r = await build({
        entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: entry.includes('node') ? 'node' : 'neutral',
        external: ['*.wasm'], supported: { 'top-level-await': false }, logLevel: 'silent', mainFields: ['module', 'main'],
      });
      expect(r.errors, entry).toEqual([]);
    }
    // And the check can fail: a module with a top-level await is refused.
    await expect(build({ stdin: { contents: 'await Promise.resolve(1); export {}', loader: 'ts' }, write: false, format: 'esm', supported: { 'top-level-await': false }, logLevel: 'silent' })).rejects.toThrow(/Top-level await/);
  });

  it('the module entry imports the builds as modules and never compiles bytes', () => {
    const src = readFileSync('src/entry/module.ts', 'utf8');
    expect(src).toMatch(/import simd from '\.\.\/\.\.\/build\/descent-simd\.wasm'/);
    expect(src).not.toMatch(/WebAssembly\.(compile|instantiate)\(|new WebAssembly\.Module/);
  });

  it('build targets: SIMD and scalar release builds with one ABI, stub runtime, and a debug build', () => {
    const as = JSON.parse(readFileSync('asconfig.json', 'utf8'));
    expect(as.options.runtime).toBe('stub');
    expect(as.targets['release-simd'].enable).toContain('simd');
    expect(as.targets['release-scalar'].enable ?? []).not.toContain('simd');
    expect(as.targets.debug.debug).toBe(true);
    const exportsOf = (f: string) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(f))).map((e) => `${e.name}:${e.kind}`).sort();
    expect(exportsOf('build/descent-simd.wasm')).toEqual(exportsOf('build/descent-scalar.wasm'));
    expect(readFileSync('build/descent-scalar.wat', 'utf8')).not.toMatch(/v128|f32x4/);
  });
});
