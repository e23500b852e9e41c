// Browser recipes from the README, from the packed tarball in fresh projects, run in headless
// Chromium (Debian's package): Vite build (served as static files), the Vite dev server, esbuild with
// the README's file-loader recipe, and esbuild without it (deliberately broken: the error names the fix).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, freePort, makeProject, openInChromium, openServed, readmeRecipe, run, runScript, start } from './helpers.js';

const PAGE = '<!doctype html>\n<script type="module" src="main.js"></script>\n';
/** A page that asks for 2 threads and writes the backend, the threads that run and why. */
const THREADS_MAIN = (source = '', initArg = '{ threads: 2 }') =>
  `import { init, threadsReady } from 'descent';\n${source}await init(${initArg});\nconst info = await threadsReady();\ndocument.body.textContent = \`\${info.name} \${info.threads} \${info.threadsReason}\`;\n`;

describe('Vite', () => {
  it('vite build: the page runs on wasm-relaxed (on by default in Chromium); the three builds were emitted', async () => {
    const dir = makeProject('vite-build', readmeRecipe('vite'), ['vite']);
    const b = await run('node', ['node_modules/vite/bin/vite.js', 'build'], dir);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const assets = readdirSync(join(dir, 'dist/assets'));
    expect(assets.some((f) => /^descent-simd-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^descent-scalar-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^descent-relaxed-.*\.wasm$/.test(f))).toBe(true);
    const page = await openServed(join(dir, 'dist'));
    expect(page.errors).toEqual([]);
    expect(page.text).toBe('wasm-relaxed');
  });

  it('vite build, cross-origin isolated page: init({ threads: 2 }) starts the Web Worker Vite emitted', async () => {
    const dir = makeProject('vite-threads', { 'main.js': THREADS_MAIN(), 'index.html': readmeRecipe('vite')['index.html'] }, ['vite']);
    const b = await run('node', ['node_modules/vite/bin/vite.js', 'build'], dir);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const assets = readdirSync(join(dir, 'dist/assets'));
    expect(assets.some((f) => /^descent-simd-threads-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^worker-.*\.js$/.test(f))).toBe(true);
    const page = await openServed(join(dir, 'dist'), { isolated: true });
    expect(page.errors).toEqual([]);
    expect(page.text).toMatch(/^wasm-simd 2 2 threads: the caller and 1 Web Workers worker over shared memory$/);
    // the same build on a page that is not cross-origin isolated: one thread, and the reason
    const plain = await openServed(join(dir, 'dist'));
    expect(plain.errors).toEqual([]);
    expect(plain.text).toMatch(/^wasm-relaxed 1 one thread: this page is not cross-origin isolated/); // one thread: relaxed SIMD (no threaded relaxed build)
  });

  it('vite dev server with COOP/COEP headers: init({ threads: 2 }) starts the worker', async () => {
    const config = `export default { server: { headers: ${JSON.stringify(ISOLATION_HEADERS)} } };\n`;
    const dir = makeProject('vite-dev-threads', { 'main.js': THREADS_MAIN(), 'index.html': readmeRecipe('vite')['index.html'], 'vite.config.js': config }, ['vite']);
    const port = await freePort();
    const dev = await start('node', ['node_modules/vite/bin/vite.js', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], dir, /ready in/);
    try {
      const page = await openInChromium(`http://127.0.0.1:${port}/`);
      expect(page.errors).toEqual([]);
      expect(page.text).toMatch(/^wasm-simd 2 2 threads/);
    } finally {
      dev.stop();
    }
  });

  it('vite dev server: the page runs on wasm-relaxed', async () => {
    const dir = makeProject('vite-dev', readmeRecipe('vite'), ['vite']);
    const port = await freePort();
    const dev = await start('node', ['node_modules/vite/bin/vite.js', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], dir, /ready in/);
    try {
      const page = await openInChromium(`http://127.0.0.1:${port}/`);
      expect(page.errors).toEqual([]);
      expect(page.text).toBe('wasm-relaxed');
    } finally {
      dev.stop();
    }
  });
});

describe('esbuild (browser)', () => {
  it("the README recipe (descent/wasm/simd with --loader:.wasm=file) runs on wasm-simd", async () => {
    const recipe = readmeRecipe('esbuild');
    const dir = makeProject('esbuild', { 'main.js': recipe['main.js'], 'public/index.html': PAGE });
    const b = await runScript(recipe['build.sh'], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(readdirSync(join(dir, 'public')).some((f) => /^descent-simd-.*\.wasm$/.test(f))).toBe(true);
    const page = await openServed(join(dir, 'public'));
    expect(page.errors).toEqual([]);
    expect(page.text).toBe('wasm-simd');
  });

  it('threads with esbuild: the threaded build through its subpath and the worker bundled beside main.js', async () => {
    const main = THREADS_MAIN("import simdThreads from 'descent/wasm/simd-threads';\n", '{ module: simdThreads, threads: 2 }');
    const dir = makeProject('esbuild-threads', { 'main.js': main, 'public/index.html': PAGE });
    const b = await run('esbuild', ['main.js', '--bundle', '--format=esm', '--loader:.wasm=file', '--outdir=public'], dir);
    expect(b.code, b.stderr).toBe(0);
    // without the worker file: a logged fall back to one thread that names the cause, never a hang
    const missing = await openServed(join(dir, 'public'), { isolated: true });
    expect(missing.text).toMatch(/^wasm-simd 1 one thread: worker 1 failed: the worker script failed to load/);
    expect(missing.errors).toEqual([expect.stringMatching(/^HTTP 404 http:\/\/127\.0\.0\.1:\d+\/worker\.js$/)]);
    const w = await run('esbuild', ['node_modules/descent/dist/threads/worker.js', '--bundle', '--format=esm', '--outfile=public/worker.js'], dir);
    expect(w.code, w.stderr).toBe(0);
    const page = await openServed(join(dir, 'public'), { isolated: true });
    expect(page.errors).toEqual([]);
    expect(page.text).toMatch(/^wasm-simd 2 2 threads: the caller and 1 Web Workers worker over shared memory$/);
  });

  /** A plain esbuild bundle (no recipe): it cannot know where descent's .wasm went. */
  async function plainBundle(name: string): Promise<string> {
    const dir = makeProject(name, {
      'main.js': "import { init, backendName } from 'descent';\nawait init();\ndocument.body.textContent = backendName();\n",
      'public/index.html': PAGE,
    });
    const b = await run('esbuild', ['main.js', '--bundle', '--format=esm', '--outdir=public'], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(existsSync(join(dir, 'public/main.js'))).toBe(true);
    return join(dir, 'public');
  }

  it('broken on purpose: a plain esbuild bundle cannot find the .wasm, and init() rejects naming the recipe', async () => {
    const page = await openServed(await plainBundle('esbuild-broken'));
    expect(page.text).toBe(''); // nothing ran on a silent js fall back
    // auto tries the relaxed build first (logged when missing), then the SIMD build, whose failure is the error
    expect(page.errors[0]).toMatch(/^HTTP 404 http:\/\/127\.0\.0\.1:\d+\/build\/descent-relaxed\.wasm$/);
    expect(page.errors[1]).toMatch(/^HTTP 404 http:\/\/127\.0\.0\.1:\d+\/build\/descent-simd\.wasm$/);
    const error = page.errors.find((e) => e.startsWith('descent:'));
    expect(error).toMatch(/^descent: fetching its WebAssembly build http:\/\/127\.0\.0\.1:\d+\/build\/descent-simd\.wasm failed with HTTP 404/);
    expect(error).toMatch(/with esbuild, import the build yourself \(import simdUrl from 'descent\/wasm\/simd' with --loader:\.wasm=file\) and call init\(simdUrl\)/);
  });

  it('broken on purpose: behind single-page-app hosting the missing .wasm comes back as HTML, and init() says so', async () => {
    const page = await openServed(await plainBundle('esbuild-spa'), { spa: true });
    expect(page.text).toBe('');
    const error = page.errors.find((e) => e.startsWith('descent:'));
    expect(error).toMatch(/^descent: http:\/\/127\.0\.0\.1:\d+\/build\/descent-simd\.wasm is not a WebAssembly build \(.*\): the server answered with something else, an HTML page perhaps\./);
    expect(error).toMatch(/with esbuild, import the build yourself/);
  });
});
