// What `npm pack` of a fresh clone ships: dist/ (no conformance harness), the three .wasm builds, the
// README, LICENSE and the data sets' attribution; nothing that points at a file it does not ship.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeProject } from './helpers.js';

let files: string[] = [];
let root = '';
let pkg: any;

beforeAll(() => {
  files = execFileSync('tar', ['tzf', inject('tarball')], { encoding: 'utf8' })
    .split('\n').filter((f) => f && !f.endsWith('/')).map((f) => f.replace(/^package\//, ''));
  root = join(makeProject('pack', {}), 'node_modules/descent');
  pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const size = statSync(inject('tarball')).size;
  console.log(`recipes: the tarball has ${files.length} files, ${(size / 1024).toFixed(0)} KiB`);
});

/** The .wasm builds the package ships: SIMD, relaxed SIMD and scalar, and the threaded builds (shared memory) of SIMD and scalar. */
const BUILDS = ['build/descent-simd.wasm', 'build/descent-relaxed.wasm', 'build/descent-scalar.wasm', 'build/descent-simd-threads.wasm', 'build/descent-scalar-threads.wasm'];

describe('the packed tarball', () => {
  it('ships dist/, the .wasm builds (SIMD, relaxed SIMD and scalar; SIMD and scalar also threaded), README, LICENSE, package.json and the data attribution; no sources', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', ...BUILDS,
      'dist/data/builtin/ATTRIBUTION.md', 'dist/index.d.ts', 'dist/bundle/node.js', 'dist/entry/url.js', 'bin/descent.mjs', 'dist/bundle/cli-fast.cjs', 'dist/bundle/cli-core.cjs',
      'dist/bundle/node-fast.js', 'dist/bundle/node-fast.cjs', 'dist/bundle/node-core.cjs', 'dist/threads/worker.js', 'dist/threads/node-worker.js', 'dist/bundle/worker.js', 'dist/bundle/node-worker.js']) {
      expect(files, f).toContain(f);
    }
    // bin/descent.mjs: the command line (package.json's bin), which runs dist/bundle/cli-core.cjs; the
    // per-module dist/cli/ and the Node compile cache's own module are not shipped (nothing imports them)
    expect(files.filter((f) => f.startsWith('dist/cli/') || f.startsWith('dist/entry/compile-cache.'))).toEqual([]);
    const outside = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', ...BUILDS, 'bin/descent.mjs'].includes(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/conformance/'))).toEqual([]);
    expect(files.filter((f) => /\.(ts|wat)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the descent authors/);
  });

  it('every source map it ships resolves: its sources are inlined or shipped', () => {
    for (const f of files.filter((f) => f.endsWith('.map'))) {
      const map = JSON.parse(readFileSync(join(root, f), 'utf8'));
      map.sources.forEach((s: string, i: number) => {
        const shipped = files.includes(posix.normalize(posix.join(posix.dirname(f), s)));
        expect(shipped || typeof map.sourcesContent?.[i] === 'string', `${f} → ${s}`).toBe(true);
      });
    }
    // And no shipped file names a map that is not there.
    for (const f of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, f), 'utf8'));
      if (m && !m[1].startsWith('data:')) expect(files, `${f} names ${m[1]}`).toContain(posix.join(posix.dirname(f), m[1]));
    }
  });

  it('every file the exports map names is in it, and every relative import of a shipped module is too', () => {
    const targets: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(pkg.exports);
    collect(pkg.types);
    expect(targets.length).toBeGreaterThan(15);
    for (const t of targets) expect(files, t).toContain(t.replace(/^\.\//, ''));
    let imports = 0;
    for (const f of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        let target = posix.normalize(posix.join(posix.dirname(f), m[1]));
        if (f.endsWith('.d.ts') && target.endsWith('.js')) target = target.replace(/\.js$/, '.d.ts');
        expect(files, `${f} imports ${m[1]}`).toContain(target);
        imports++;
      }
    }
    expect(imports).toBeGreaterThan(100);
  });

  it('its package.json needs nothing installed at run time and packs by building', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.scripts.prepack).toBe('npm run build -- --no-debug');
    expect(pkg.repository.url).toBe('git+https://github.com/descent-js/descent.git');
  });
});
