// Screenshots of the playground for the README: builds the site (scripts/playground.mjs build; run
// `npm run build` first), serves it with Vite's preview server on 127.0.0.1, opens each page in
// headless Chromium (Debian's package, through playwright), lets its default scenario finish and
// writes docs/playground-<page>.png. Usage: node scripts/playground-screenshots.mjs
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Each shot: the page, what to do once its default scenario is done, and the height of the picture. */
const SHOTS = [
  { file: 'surface', path: 'surface.html', height: 1250 },
  { file: 'training', path: 'training.html', height: 1080 },
  { file: 'vanishing', path: 'training.html', height: 1500, then: async (page) => {
    await page.evaluate(() => { document.body.dataset.state = 'pending'; });
    await page.click('#tab-vanish');
  } },
  { file: 'landscape', path: 'landscape.html', height: 1010 },
  { file: 'critical', path: 'critical.html', height: 1480 },
];

execFileSync(process.execPath, ['scripts/playground.mjs', 'build'], { cwd: root, stdio: 'inherit' });
const server = await preview({ configFile: `${root}playground/vite.config.ts`, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: 1360, height: shot.height } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url + shot.path);
    await page.waitForSelector('body[data-state="done"]', { timeout: 180_000 });
    if (shot.then) {
      await shot.then(page);
      await page.waitForSelector('body[data-state="done"]', { timeout: 180_000 });
    }
    if (errors.length) throw new Error(`${shot.path}: ${errors.join('\n')}`);
    const out = `docs/playground-${shot.file}.png`;
    await page.screenshot({ path: `${root}${out}` });
    console.log(`${out}  ${(statSync(`${root}${out}`).size / 1024).toFixed(0)} KiB`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
