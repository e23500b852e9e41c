// Reads back the SVG the plots write: elements and attributes, ticks, and the axis mapping the ticks imply.
export interface El { tag: string; attrs: Record<string, string>; text: string }

export function elements(svg: string, tag: string): El[] {
  const out: El[] = [];
  const re = new RegExp(`<${tag}\\b([^>]*?)(/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  for (const m of svg.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push({ tag, attrs, text: m[3] ?? '' });
  }
  return out;
}

export function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export interface Tick { value: number; px: number; label: string }

/** Reads the ticks back: value from data-value, pixel from the grid line, label from the text. */
export function ticks(svg: string, axis: 'x' | 'y' | 'z'): Tick[] {
  const re = new RegExp(`<g class="tick ${axis}-tick" data-value="([^"]+)">([\\s\\S]*?)</g>`, 'g');
  return [...svg.matchAll(re)].map((m) => {
    const line = elements(m[2], 'line')[0];
    const text = elements(m[2], 'text')[0];
    return { value: Number(m[1]), px: Number(axis === 'x' ? line.attrs.x1 : line.attrs.y1), label: unescape(text.text) };
  });
}

/** The axis mapping implied by the first and last tick: data -> px. Independent of lossCurveScale. */
export function axisMap(t: Tick[], log = false): (v: number) => number {
  const f = log ? Math.log10 : (v: number) => v;
  const a = t[0], b = t[t.length - 1];
  return (v) => a.px + ((f(v) - f(a.value)) / (f(b.value) - f(a.value))) * (b.px - a.px);
}

export function points(el: El): Array<[number, number]> {
  return el.attrs.points.trim().split(/\s+/).map((p) => p.split(',').map(Number) as [number, number]);
}

/** Checks that every opened tag is closed in order (well-formed enough to load as XML). */
export function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>/g)) {
    if (m[4] === '/') continue;
    if (m[1] === '/') { if (stack.pop() !== m[2]) return false; } else stack.push(m[2]);
  }
  return stack.length === 0;
}


/** The inverse of {@link axisMap}: px -> data. */
export function axisInverse(t: Tick[], log = false): (p: number) => number {
  const a = t[0], b = t[t.length - 1];
  if (log) {
    const la = Math.log10(a.value), lb = Math.log10(b.value);
    return (p) => 10 ** (la + ((p - a.px) / (b.px - a.px)) * (lb - la));
  }
  return (p) => a.value + ((p - a.px) / (b.px - a.px)) * (b.value - a.value);
}
