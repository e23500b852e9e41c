// The playground's Vite build: five static pages (relative asset paths, so any static host or a
// sub-directory serves them) running on descent from this checkout's own build (dist/, which
// `npm run build` writes); Vite emits descent's .wasm files next to the scripts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const PAGES = ['index', 'surface', 'training', 'landscape', 'critical'] as const;

export default defineConfig({
  root: here('.'),
  base: './',
  clearScreen: false,
  resolve: { alias: [{ find: /^descent$/, replacement: here('../dist/entry/url.js') }] },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: Object.fromEntries(PAGES.map((p) => [p, here(`${p}.html`)])) },
  },
  // The dev server reads descent's dist/ and build/ one level up.
  server: { host: '127.0.0.1', fs: { allow: [here('..')] } },
  preview: { host: '127.0.0.1' },
});
