/**
 * Base64 decoding for the built-in data sets (stored as base64 text so that importing descent scans
 * compact string literals). Plain JS, four characters per step, in every runtime; not atob, which is
 * slower than this loop in Node 20 and gives a string, not bytes.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
let B64_VALUE: Int16Array | null = null;

/** The error for a generated data module that does not decode. */
export function corrupt(what: string): Error {
  return new Error(`descent: built-in data corrupt (${what}); regenerate with scripts/gen-datasets.mjs`);
}

/** Decodes standard base64 (padding optional, no whitespace) to bytes. */
export function base64Decode(s: string): Uint8Array {
  let value = B64_VALUE;
  if (!value) {
    value = B64_VALUE = new Int16Array(256).fill(-1);
    for (let i = 0; i < 64; i++) value[B64.charCodeAt(i)] = i;
  }
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 61) n--; // '='
  if (n % 4 === 1) throw corrupt('bad base64 length');
  const out = new Uint8Array((n * 3) >> 2);
  const at = (i: number): number => {
    const c = s.charCodeAt(i);
    const v = c < 256 ? value[c] : -1;
    if (v < 0) throw corrupt(`bad base64 at ${i}`);
    return v;
  };
  let o = 0, i = 0;
  for (const whole = n & ~3; i < whole; i += 4) {
    const a = value[s.charCodeAt(i) & 255], b = value[s.charCodeAt(i + 1) & 255], c = value[s.charCodeAt(i + 2) & 255], d = value[s.charCodeAt(i + 3) & 255];
    if ((a | b | c | d) < 0 || (s.charCodeAt(i) | s.charCodeAt(i + 1) | s.charCodeAt(i + 2) | s.charCodeAt(i + 3)) > 255) {
      for (let k = i; k < i + 4; k++) at(k); // names the bad character
    }
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (n - i >= 2) {
    const v = (at(i) << 18) | (at(i + 1) << 12) | (n - i === 3 ? at(i + 2) << 6 : 0);
    out[o++] = v >> 16;
    if (n - i === 3) out[o++] = (v >> 8) & 255;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian float32 values from their base64 text (exact: the bits are stored). */
export function base64Float32(s: string, n: number): Float32Array {
  const bytes = base64Decode(s);
  if (bytes.length !== n * 4) throw corrupt(`${bytes.length / 4} of ${n} values`);
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, 0, n);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
