// Renders SVG files to PNG in headless Chromium (Debian's package), to look at plots as a person
// would and to commit screenshots for the docs. Usage: node scripts/render-svg.mjs in.svg [out.png]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright';

const [input, output = input.replace(/\.svg$/, '.png')] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/render-svg.mjs in.svg [out.png]');
  process.exit(2);
}
const svg = readFileSync(input, 'utf8');
const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 640), height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 400);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
  await page.locator('svg').first().screenshot({ path: output });
  console.log(`wrote ${output} (${width}x${height})`);
} finally {
  await browser.close();
}
