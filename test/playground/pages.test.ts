// The playground in headless Chromium (Debian's package): playground/dist/ (built once by setup.ts,
// as `npm run playground:build` writes it) served as static files, each page opened, its default
// scenario run to the end, and what it drew read back from the DOM: the backend shown, paths and
// curves with their points, the numbers in the tables, and no console error. Some controls are
// driven from the keyboard (sliders, tabs, buttons) to check they work without a mouse.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, REPO, serve } from '../recipes/helpers.js';

const DIST = join(REPO, 'playground/dist');
let server: { url: string; close: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  const { chromium } = await import('playwright');
  server = await serve(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened { page: Page; errors: string[] }

/** Opens a page of the site, collecting uncaught errors, console errors and HTTP errors, and waits for its scenario to finish. */
async function open(path: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(server.url + path);
  await done(page);
  return { page, errors };
}

/** Waits until `selector` (the page's body by default) says data-state="done". */
async function done(page: Page, selector = 'body'): Promise<void> {
  await page.waitForSelector(`${selector}[data-state="done"]`, { timeout: 100_000 });
}

/** Marks the page pending, runs `act`, and waits for the page to finish what it started. */
async function after(page: Page, act: () => Promise<unknown>, selector = 'body'): Promise<void> {
  await page.evaluate((sel) => { (document.querySelector(sel) as HTMLElement).dataset.state = 'pending'; }, selector);
  await act();
  await done(page, selector);
}

/** The number of vertices of each polyline matching `selector`. */
function vertexCounts(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (els) => els.map((e) => (e.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length));
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent?.trim() ?? '');

/** The table's rows as arrays of cell texts. */
function rows(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent?.trim() ?? '')));
}

it('the build is a static site: five pages, relative asset paths, both .wasm builds emitted', () => {
  expect(existsSync(DIST)).toBe(true);
  const files = readdirSync(DIST);
  for (const p of ['index', 'surface', 'training', 'landscape', 'critical']) expect(files).toContain(`${p}.html`);
  const assets = readdirSync(join(DIST, 'assets'));
  expect(assets.some((f) => /^descent-simd-.*\.wasm$/.test(f))).toBe(true);
  expect(assets.some((f) => /^descent-scalar-.*\.wasm$/.test(f))).toBe(true);
});

describe('home', () => {
  it('shows the backend (wasm-relaxed: Chromium has relaxed SIMD and the page runs one thread) and links to the four pages', async () => {
    const { page, errors } = await open('index.html');
    expect(await text(page, '#backend')).toBe('wasm-relaxed');
    const links = await page.$$eval('main .card a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['surface.html', 'training.html', 'landscape.html', 'critical.html']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs on the backend the address asks for (?backend=js)', async () => {
    const { page, errors } = await open('index.html?backend=js');
    expect(await text(page, '#backend')).toBe('js');
    expect(await page.$eval('#backend-choice', (s) => (s as HTMLSelectElement).value)).toBe('js');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('1 · descent on a surface', () => {
  let page: Page, errors: string[];
  beforeAll(async () => ({ page, errors } = await open('surface.html')));
  afterAll(async () => page.close());

  it('runs the eight methods on Rosenbrock from one start, draws their paths and curves, and fills the table', async () => {
    expect(await text(page, '#backend')).toBe('wasm-relaxed');
    expect(await page.$$eval('#surface-plot g.path', (g) => g.length)).toBe(8);
    const starts = await page.$$eval('#surface-plot g.path circle.start', (cs) => cs.map((c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`));
    expect(starts.length).toBe(8);
    expect(new Set(starts).size).toBe(1); // one start point for all
    const table = await rows(page, '#results');
    expect(table.map((r) => r[0])).toEqual(['GD', 'Momentum', 'Nesterov', 'Adam', 'RMSprop', 'Adagrad', 'L-BFGS', 'Newton']);
    for (const r of table) expect(Number(r[2]), r.join(' | ')).not.toBeNaN();
    // Newton and L-BFGS converge to (1, 1); the animation ended with their whole paths drawn (every iterate a vertex).
    for (const [name, series] of [['L-BFGS', 6], ['Newton', 7]] as const) {
      const r = table.find((t) => t[0] === name)!;
      expect(r[4]).toMatch(/^converged/);
      expect(r[3]).toBe('(1, 1)');
      const points = Number(await page.getAttribute(`#results tr[data-method="${name}"]`, 'data-points'));
      expect(points).toBeGreaterThan(5);
      expect(await vertexCounts(page, `#surface-plot g.path[data-series="${series}"] polyline.line`)).toEqual([points]);
    }
    const curves = await vertexCounts(page, '#loss-plot polyline.series');
    expect(curves.length).toBe(8);
    for (const n of curves) expect(n).toBeGreaterThan(1);
    expect(await text(page, '#divergence')).toBe('');
    expect(errors).toEqual([]);
  });

  it('the replay animation starts from the start points alone', async () => {
    const counts = await page.evaluate(() => {
      (document.getElementById('replay') as HTMLButtonElement).click();
      return Array.from(document.querySelectorAll('#surface-plot g.path polyline.line'), (p) => p.getAttribute('points')!.trim().split(/\s+/).filter(Boolean).length);
    });
    expect(counts.every((n) => n <= 1)).toBe(true);
    await done(page);
    expect(Math.max(...await vertexCounts(page, '#surface-plot g.path polyline.line'))).toBeGreaterThan(100);
  });

  it('a learning rate raised with the keyboard makes Nesterov diverge, and the page says so', async () => {
    await page.focus('#animate');
    await page.keyboard.press('Space'); // no animation: each key press below runs the eight methods again
    expect(await page.isChecked('#animate')).toBe(false);
    await page.focus('#lr');
    await after(page, () => page.keyboard.press('ArrowRight')); // one step of the 1-2-5 scale: 0.001 → 0.002
    expect(await text(page, '#lr-out')).toBe('0.002');
    const message = await text(page, '#divergence');
    expect(message).toMatch(/^Diverged: .*Nesterov/);
    expect(message).toMatch(/With learning rate 0\.002 each step overshoots .* lower the learning rate\./);
    const nesterov = (await rows(page, '#results')).find((r) => r[0] === 'Nesterov')!;
    expect(nesterov[4]).toMatch(/^diverged \(f rose to .* by iteration \d+\): learning rate 0\.002 is too high for this function$/);
    expect(errors).toEqual([]);
  });

  it('a typed function runs on autodiff gradients; a mistyped one is refused with its column', async () => {
    await after(page, () => page.selectOption('#fn', 'custom'));
    expect(await text(page, '#source')).toMatch(/valueAndGrad/);
    expect(await page.$$eval('#surface-plot g.path', (g) => g.length)).toBe(8);
    const lbfgs = (await rows(page, '#results')).find((r) => r[0] === 'L-BFGS')!;
    expect(lbfgs[4]).toMatch(/^converged/);
    await page.fill('#expr', '2x + y');
    await page.press('#expr', 'Enter');
    expect(await text(page, '#expr-error')).toBe("missing operator between '2' and 'x' at column 2; write 2*x for a product");
    expect(await page.getAttribute('#expr', 'aria-invalid')).toBe('true');
    await page.fill('#expr', 'x^2 + 10*y^2');
    await after(page, () => page.press('#expr', 'Enter'));
    expect(await text(page, '#expr-error')).toBe('');
    const newton = (await rows(page, '#results')).find((r) => r[0] === 'Newton')!;
    const [x, y] = newton[3].slice(1, -1).split(', ').map(Number);
    expect(Math.abs(x) + Math.abs(y)).toBeLessThan(1e-9);
    expect(errors).toEqual([]);
  });
});

describe('2 · learning rates and batch sizes', () => {
  let page: Page, errors: string[];
  beforeAll(async () => ({ page, errors } = await open('training.html')));
  afterAll(async () => page.close());

  it('learning rates: five runs on digits, curves drawn, the too-high one diverged, final accuracies shown', async () => {
    expect(await text(page, '#backend')).toBe('wasm-relaxed');
    const table = await rows(page, '#lr-results');
    expect(table.map((r) => r[0])).toEqual(['lr = 0.001', 'lr = 0.01', 'lr = 0.1', 'lr = 1', 'lr = 10']);
    expect(table[4][5]).toMatch(/^diverged in epoch \d+: the (loss|gradient) became .*too high/);
    for (const r of table.slice(0, 4)) {
      expect(r[1]).toBe('20');
      expect(r[4]).toMatch(/^\d+\.\d%$/);
    }
    expect(parseFloat(table[2][4])).toBeGreaterThan(90); // lr 0.1 learns digits
    expect(parseFloat(table[0][4])).toBeLessThan(parseFloat(table[2][4])); // lr 0.001 crawls
    const loss = await vertexCounts(page, '#lr-loss polyline.series');
    expect(loss.slice(0, 4)).toEqual([20, 20, 20, 20]);
    expect(await vertexCounts(page, '#lr-acc polyline.series')).toEqual(loss);
    expect(await text(page, '#lr-status')).toMatch(/Diverged: lr = 10/);
    expect(errors).toEqual([]);
  });

  it('batch sizes (tab chosen with the arrow key): full, stochastic, 32, 64 and 128 on one plot', async () => {
    await page.focus('#tab-lr');
    await after(page, () => page.keyboard.press('ArrowRight'), '#panel-batch');
    expect(await page.getAttribute('#tab-batch', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#panel-lr')).toBe(false);
    const table = await rows(page, '#batch-results');
    expect(table.map((r) => r[0])).toEqual(['full batch', 'stochastic (1)', 'mini-batch 32', 'mini-batch 64', 'mini-batch 128']);
    expect(table[0][5]).toMatch(/; 1 step per epoch$/);
    expect(table[1][5]).toMatch(/; 1347 steps per epoch$/);
    for (const r of table) expect(r[4]).toMatch(/^\d+\.\d%$/);
    expect(await vertexCounts(page, '#batch-loss polyline.series')).toEqual([15, 15, 15, 15, 15]);
    expect(errors).toEqual([]);
  });

  it('vanishing gradient: the sigmoid network\'s first layer gets a far smaller gradient than its last; ReLU\'s do not', async () => {
    await after(page, () => page.click('#tab-vanish'), '#panel-vanish');
    const table = await rows(page, '#vanish-results');
    expect(table.map((r) => r[0])).toEqual(['sigmoid', 'ReLU']);
    const ratio = (cell: string) => Number(/\(×([\d.e+-]+)\)$/.exec(cell)![1]);
    expect(ratio(table[0][5])).toBeGreaterThan(20);
    expect(ratio(table[1][5])).toBeLessThan(5);
    expect(parseFloat(table[1][4])).toBeGreaterThan(parseFloat(table[0][4]));
    expect(await vertexCounts(page, '#vanish-layers polyline.series')).toEqual([6, 6]); // 5 hidden layers + output
    expect(await vertexCounts(page, '#vanish-sigmoid polyline.series')).toEqual([15, 15, 15, 15, 15, 15]);
    expect(errors).toEqual([]);
  });
});

describe('3 · loss landscape', () => {
  it('trains, then draws the 1-D slice and the 2-D heat map with the trained point marked', async () => {
    const { page, errors } = await open('landscape.html');
    expect(await text(page, '#backend')).toBe('wasm-relaxed');
    expect(await page.$$eval('#plot-2d g.cells rect', (r) => r.length)).toBe(31 * 31);
    expect(await page.$$eval('#plot-2d g.contours path.contour', (p) => p.filter((e) => (e.getAttribute('d') ?? '').length > 1).length)).toBeGreaterThan(3);
    expect(await page.$$eval('#plot-2d g.marker text', (t) => t.map((e) => e.textContent))).toEqual(['trained']);
    expect(await vertexCounts(page, '#plot-1d polyline.series')).toEqual([101]);
    expect(await page.$$eval('#plot-1d circle.series', (c) => c.length)).toBe(1); // the trained point
    expect(await vertexCounts(page, '#plot-train polyline.series')).toEqual([150]);
    expect(await text(page, '#accuracy')).toMatch(/^\d+\.\d% \/ \d+\.\d%$/);
    expect(Number(await text(page, '#center-loss'))).toBeGreaterThan(0);
    expect(await text(page, '#status')).toMatch(/^Mapped in .* the loss is .* at θ/);
    // New directions on the same weights: the same loss at θ, another plane.
    const before = await page.$eval('#plot-2d g.cells', (g) => g.innerHTML);
    await page.fill('#seed', '2');
    await after(page, () => page.click('#remap'));
    expect(await page.$eval('#plot-2d g.cells', (g) => g.innerHTML)).not.toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('4 · critical points', () => {
  let page: Page, errors: string[];
  beforeAll(async () => ({ page, errors } = await open('critical.html')));
  afterAll(async () => page.close());

  it("finds Himmelblau's maximum from the default point by Newton's method, path drawn", async () => {
    expect(await text(page, '#backend')).toBe('wasm-relaxed');
    expect(await page.getAttribute('#kind', 'data-kind')).toBe('maximum');
    const [l1, l2] = (await text(page, '#fact-eigenvalues')).split(', ').map(Number);
    expect(l1).toBeLessThan(0);
    expect(l2).toBeLessThan(0);
    expect(await text(page, '#fact-point')).toBe('(-0.270845, -0.923039)');
    expect((await vertexCounts(page, '#plot g.path polyline.line'))[0]).toBeGreaterThan(1);
    // Himmelblau's nine critical points are marked once each: the one reached is labelled as the user's
    const labels = await page.$$eval('#plot g.marker text', (t) => t.map((e) => e.textContent));
    expect(labels.filter((l) => l === 'you: maximum')).toHaveLength(1);
    expect(labels.filter((l) => l === 'maximum')).toHaveLength(0);
    expect(labels).toHaveLength(9);
    expect(errors).toEqual([]);
  });

  it('a known saddle chosen with the keyboard is a saddle', async () => {
    await page.focus('#known button[data-kind="saddle"]');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#kind', 'data-kind')).toBe('saddle');
    const [l1, l2] = (await text(page, '#fact-eigenvalues')).split(', ').map(Number);
    expect(l1).toBeLessThan(0);
    expect(l2).toBeGreaterThan(0);
  });

  it('a click near a minimum, then Newton, lands on it', async () => {
    const box = await page.$$eval('#plot g.marker', (gs) => {
      const g = gs.find((e) => e.querySelector('text')?.textContent === 'minimum')!;
      const r = g.querySelector('circle')!.getBoundingClientRect();
      return { x: r.x + r.width / 2 + 6, y: r.y + r.height / 2 + 4 };
    });
    await after(page, () => page.mouse.click(box.x, box.y));
    expect(await page.getAttribute('#kind', 'data-kind')).toBe('not-critical');
    await after(page, () => page.click('#snap'));
    expect(await page.getAttribute('#kind', 'data-kind')).toBe('minimum');
    expect(await text(page, '#fact-point')).toBe('(3, 2)');
    expect(await text(page, '#status')).toMatch(/^Newton's method found a critical point/);
    expect(errors).toEqual([]);
  });
});
