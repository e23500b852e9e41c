/**
 * The one formatter for values in error messages: it shows a value as the caller passed it, never
 * as it was coerced (the string '1.5' stays `'1.5'`, it is not shown as 1.5 or NaN), and keeps long
 * values short (arrays and typed arrays by their first items and their length, objects by their
 * constructor name and keys). Every message that says "got ..." uses it.
 */

/** Items of an array or typed array shown before the rest is summarized. */
const MAX_ITEMS = 6;
/** Characters of a string shown before it is cut. */
const MAX_STRING = 40;
/** Keys of a plain object shown before the rest is summarized. */
const MAX_KEYS = 5;

/**
 * Shows a value in an error message exactly as it was passed: strings quoted (`'abc'`), numbers as
 * written (`-0`, `NaN`, `Infinity`, `1e+21`), bigints with their `n`, symbols, `null` and
 * `undefined` by name, arrays and typed arrays by their first six items and their length, plain
 * objects by their keys, other objects by their constructor name, functions by their name.
 *
 * Reference: Node's `util.inspect`, abbreviated for one-line messages.
 * @example
 * describe('abc');                       // "'abc'"
 * describe(-0);                          // "-0"
 * describe([1, 2, 3]);                   // "[1, 2, 3]"
 * describe(new Float32Array(1000));      // "Float32Array(1000) [0, 0, 0, 0, 0, 0, …]"
 * describe({ data: 1, shape: 2 });       // "an object { data, shape }"
 * describe(Math.max);                    // "function max"
 */
export function describe(v: unknown): string {
  try {
    return show(v, 0);
  } catch {
    return 'an object that cannot be inspected'; // a revoked Proxy, a throwing getter: the message must not throw
  }
}

function show(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string': return quote(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'symbol': return v.toString();
    case 'function': {
      const name = (v as { name?: unknown }).name;
      const isClass = /^class[\s{]/.test(Function.prototype.toString.call(v));
      if (typeof name === 'string' && name) return `${isClass ? 'class' : 'function'} ${name}`;
      return isClass ? 'an anonymous class' : 'an anonymous function';
    }
  }
  if (v === null) return 'null';
  const o = v as object;
  if (Array.isArray(o)) {
    if (depth > 0) return o.length === 0 ? '[]' : `[…${o.length} items]`;
    return items(o, o.length, depth, '');
  }
  if (ArrayBuffer.isView(o)) {
    const name = o.constructor?.name ?? 'TypedArray';
    if (isDetached(o.buffer)) return `a ${name} whose memory was detached (it reads as empty)`;
    if (o instanceof DataView) return `DataView(${o.byteLength} bytes)`;
    const a = o as unknown as ArrayLike<number | bigint>;
    if (depth > 0) return `${name}(${a.length})`;
    return items(a, a.length, depth, `${name}(${a.length}) `);
  }
  if (o instanceof ArrayBuffer) return `ArrayBuffer(${o.byteLength} bytes)`;
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o);
    if (keys.length === 0) return 'an empty object {}';
    const shown = keys.slice(0, MAX_KEYS).map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)));
    return `an object { ${shown.join(', ')}${keys.length > MAX_KEYS ? `, … ${keys.length} keys` : ''} }`;
  }
  const ctor = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  if (o instanceof Error) return `${article(String(ctor || 'Error'))} (${quote(o.message)})`;
  return typeof ctor === 'string' && ctor ? article(ctor) : 'an object';
}

function items(a: ArrayLike<unknown>, n: number, depth: number, prefix: string): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(n, MAX_ITEMS); i++) parts.push(i in (a as object) ? show(a[i], depth + 1) : '<empty>');
  if (n > MAX_ITEMS) parts.push(prefix ? '…' : `… ${n} items`);
  return `${prefix}[${parts.join(', ')}]`;
}

function quote(s: string): string {
  const cut = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
  const body = cut.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
  return `'${body}'${s.length > MAX_STRING ? ` (${s.length} characters)` : ''}`;
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** True when `b` was detached (transferred, or the buffer of a Wasm memory that has grown): every view over it reads as empty. */
export function isDetached(b: ArrayBufferLike): boolean {
  const d = (b as { detached?: unknown }).detached;
  if (typeof d === 'boolean') return d;
  if (b.byteLength !== 0) return false;
  try {
    new Uint8Array(b); // throws on a detached buffer, not on an empty one
    return false;
  } catch {
    return true;
  }
}

/**
 * Throws a TypeError when `v` is a typed array whose memory was detached: a `tensor.data` (or
 * `param.grad`) kept in a variable across a memory growth reads as empty, so passing it on would
 * silently mean "no values". The message says what happened and what to do.
 * @example
 * assertAttached(view, 'predict', 'X.data'); // throws if view's buffer was detached
 */
export function assertAttached(v: unknown, fn: string, arg: string): void {
  if (ArrayBuffer.isView(v) && isDetached(v.buffer)) {
    throw new TypeError(
      `${fn}: ${arg} is ${describe(v)}: a view kept from before the memory grew. ` +
        'Read tensor.data (or param.grad) again right before the call instead of keeping the array in a variable.',
    );
  }
}
