import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Chromium from Debian's package (installed by .ci/run); never a downloaded browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts', 'test/recipes/**', 'test/playground/**', 'test/relaxed/**'] },
      },
      {
        // The browser playground (playground/): its typed-function code in Node (where 'descent' is this
        // checkout's source, as the playground's own build aliases it to dist/), and its pages built by
        // scripts/playground.mjs, served from playground/dist/ and driven in Chromium (test/playground/setup.ts builds once).
        extends: true,
        resolve: { alias: [{ find: /^descent$/, replacement: fileURLToPath(new URL('src/entry/node.ts', import.meta.url)) }] },
        test: {
          name: 'playground',
          environment: 'node',
          include: ['test/playground/**/*.test.ts'],
          globalSetup: ['test/playground/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Node 20 with relaxed SIMD (not allowed in NODE_OPTIONS, so the workers get the flag): the
        // 'wasm-relaxed' backend's tests. test/init-relaxed.test.ts (node project, no flag) checks the
        // fall back to wasm-simd.
        extends: true,
        test: {
          name: 'node-relaxed',
          environment: 'node',
          include: ['test/relaxed/**/*.test.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      {
        // The packed tarball in fresh projects, one per recipe of the README (test/recipes/setup.ts packs once).
        extends: true,
        test: {
          name: 'recipes',
          environment: 'node',
          include: ['test/recipes/**/*.test.ts'],
          globalSetup: ['test/recipes/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'chromium',
          include: ['test/**/*.browser.test.ts'],
          exclude: ['test/**/*.isolated.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
          },
        },
      },
      {
        // A cross-origin isolated page (COOP + COEP on every response of the test server): shared
        // memory, so descent runs threads over Web Workers there (test/threads/*.isolated.browser.test.ts).
        extends: true,
        server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
        test: {
          name: 'chromium-isolated',
          include: ['test/**/*.isolated.browser.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
          },
        },
      },
    ],
  },
});
