/**
 * What every page shares: the header (navigation, and which backend runs with a choice of
 * another), starting descent, error reporting, and small DOM helpers. Plain DOM, no framework.
 */
import { backendInfo, init, type BackendChoice } from 'descent';
import './style.css';

const PAGES = [
  ['index.html', 'Home'],
  ['surface.html', '1 · Descent on a surface'],
  ['training.html', '2 · Learning rates and batch sizes'],
  ['landscape.html', '3 · Loss landscape'],
  ['critical.html', '4 · Critical points'],
] as const;

const CHOICES: readonly BackendChoice[] = ['auto', 'wasm-simd', 'wasm-scalar', 'js'];

/** `document.getElementById` that fails loudly when the page's markup lacks the element. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: the page has no element #${id}`);
  return el as T;
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string | number | boolean> = {}, ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

/**
 * Puts an SVG string from descent's plots into a container. The plots escape every text they
 * draw, so the markup is the library's own; it is parsed as SVG, not run.
 */
export function showSVG(container: HTMLElement, svg: string): SVGSVGElement {
  container.innerHTML = svg;
  const el = container.querySelector('svg');
  if (!el) throw new Error('playground: the plot returned no <svg>');
  el.removeAttribute('width');
  el.removeAttribute('height');
  return el;
}

/** A number for people: 4 significant digits, exponent form when very small or large. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** The backend asked for in the address (`?backend=js`), default 'auto'. */
function requestedBackend(): BackendChoice {
  const b = new URLSearchParams(location.search).get('backend') as BackendChoice | null;
  return b && CHOICES.includes(b) ? b : 'auto';
}

/** Shows an unexpected error on the page (and in the console, where the tests look). */
export function reportError(e: unknown): void {
  const box = document.getElementById('page-error');
  const msg = e instanceof Error ? e.message : String(e);
  if (box) {
    box.hidden = false;
    box.textContent = `Something went wrong: ${msg}`;
  }
  console.error(e);
}

/**
 * Builds the header, starts descent (on the backend the address asks for, default: the best this
 * browser runs) and shows which backend runs. Resolves when the page may use descent.
 */
export async function startPage(current: string): Promise<void> {
  window.addEventListener('unhandledrejection', (ev) => reportError(ev.reason));
  const here = PAGES.find(([file]) => file === current);
  const nav = h('nav', { 'aria-label': 'Playground pages' },
    h('ul', {}, ...PAGES.map(([file, label]) => h('li', {}, h('a', { href: file, ...(file === current ? { 'aria-current': 'page' } : {}) }, label)))));
  const select = h('select', { id: 'backend-choice' }, ...CHOICES.map((c) => h('option', { value: c, selected: c === requestedBackend() }, c)));
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    if (select.value === 'auto') url.searchParams.delete('backend'); else url.searchParams.set('backend', select.value);
    location.href = url.href;
  });
  const badge = h('strong', { id: 'backend', 'data-backend': '' }, 'starting…');
  const header = h('header', { class: 'site' },
    h('a', { class: 'brand', href: 'index.html' }, 'descent playground'),
    nav,
    h('p', { class: 'backend' }, 'backend: ', badge, ' ', h('label', { for: 'backend-choice', class: 'sr-only' }, 'Choose the backend'), select));
  document.body.prepend(header);
  const err = h('p', { id: 'page-error', role: 'alert', class: 'error', hidden: true });
  document.querySelector('main')?.prepend(err);
  if (here) document.title = `${here[1].replace(/^\d · /, '')} · descent playground`;
  try {
    await init({ backend: requestedBackend() });
  } catch (e) {
    badge.textContent = 'failed to start';
    reportError(e);
    throw e;
  }
  const info = backendInfo();
  badge.textContent = info.name;
  badge.dataset.backend = info.name;
  badge.title = info.reason;
}

/** Marks the page busy or done (the tests wait for data-state="done"); `what` is the status line. */
export function setState(state: 'running' | 'done', what = ''): void {
  document.body.dataset.state = state;
  const line = document.getElementById('status');
  if (line) line.textContent = what;
}

/** Yields to the browser so it can paint and handle input between chunks of work. */
export function nextFrame(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

/**
 * Wires an `<input type=range>` to its `<output>`: `show` formats the value; `onInput` runs on
 * every change. Returns a reader of the current value (through `map`, e.g. 10^v for a log slider).
 */
export function slider(id: string, map: (v: number) => number, show: (v: number) => string, onInput?: () => void): { get: () => number; set: (v: number) => void } {
  const input = byId<HTMLInputElement>(id);
  const out = byId<HTMLOutputElement>(`${id}-out`);
  const update = () => { out.value = show(map(Number(input.value))); };
  input.addEventListener('input', () => { update(); onInput?.(); });
  update();
  return {
    get: () => map(Number(input.value)),
    set: (v: number) => { input.value = String(v); update(); },
  };
}

/** Learning rates on a 1-2-5 scale, 1e-5 to 5: the values the learning-rate sliders step through. */
export const RATE_STEPS: readonly number[] = [-5, -4, -3, -2, -1, 0].flatMap((e) => [1, 2, 5].map((m) => Number((m * 10 ** e).toPrecision(1))));

/**
 * A learning-rate slider: an `<input type=range>` over the RATE_STEPS from `lo` to `hi` (one
 * arrow-key press is one step of the 1-2-5 scale), showing the rate in its `<output>`.
 */
export function rateSlider(id: string, lo: number, hi: number, value: number): { get: () => number; set: (v: number) => void } {
  const steps = RATE_STEPS.filter((r) => r >= lo && r <= hi);
  const input = byId<HTMLInputElement>(id);
  Object.assign(input, { min: '0', max: String(steps.length - 1), step: '1' });
  const s = slider(id, (i) => steps[i], String);
  const nearest = (v: number) => steps.reduce((best, r, i) => (Math.abs(Math.log(r / v)) < Math.abs(Math.log(steps[best] / v)) ? i : best), 0);
  s.set(nearest(value));
  return { get: s.get, set: (v) => s.set(nearest(v)) };
}

/**
 * Accessible tabs (WAI-ARIA Authoring Practices' tabs pattern): buttons with role=tab in a
 * tablist, arrow keys move between them, each controls the panel named by aria-controls.
 */
export function tabs(list: HTMLElement, onSelect: (panelId: string) => void): void {
  const all = Array.from(list.querySelectorAll<HTMLButtonElement>('[role=tab]'));
  const select = (tab: HTMLButtonElement, focus: boolean) => {
    for (const t of all) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute('aria-controls')!).hidden = !on;
    }
    if (focus) tab.focus();
    onSelect(tab.getAttribute('aria-controls')!);
  };
  all.forEach((t, i) => {
    t.addEventListener('click', () => select(t, false));
    t.addEventListener('keydown', (ev) => {
      const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
      if (ev.key === 'Home') select(all[0], true);
      else if (ev.key === 'End') select(all[all.length - 1], true);
      else if (step) select(all[(i + step + all.length) % all.length], true);
      else return;
      ev.preventDefault();
    });
  });
}
