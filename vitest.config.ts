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
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts', 'test/recipes/**'] },
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
