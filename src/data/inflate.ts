/**
 * A small synchronous DEFLATE decoder (RFC 1951, raw: no zlib or gzip header), for the built-in data
 * sets, which are stored deflated and base64-encoded so that importing descent scans ~160 KB of
 * string literal instead of ~360 KB. Structured as zlib's contrib/puff, with each Huffman code decoded
 * through a lookup table; runs only when a data set is first loaded. Plain JS: no zlib, no DecompressionStream
 * (which is asynchronous), so it works in every runtime.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

let B64_VALUE: Int16Array | null = null;

/** Decodes standard base64 (padding optional, no whitespace) to bytes, four characters per step. */
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

/** A Huffman code as a lookup table over the next `bits` input bits: entry = symbol << 4 | code length (0: no code). */
interface Huffman {
  lut: Uint32Array;
  bits: number;
}

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function corrupt(what: string): Error {
  return new Error(`descent: built-in data corrupt (${what}); regenerate with scripts/gen-datasets.mjs`);
}

/** Builds the lookup table of the canonical code with these code lengths (RFC 1951 §3.2.2). */
function huffman(lengths: ArrayLike<number>, n: number): Huffman {
  const count = new Uint16Array(16);
  let max = 1;
  for (let s = 0; s < n; s++) {
    count[lengths[s]]++;
    if (lengths[s] > max) max = lengths[s];
  }
  count[0] = 0;
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len < 16; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  const size = 1 << max;
  const lut = new Uint32Array(size);
  for (let s = 0; s < n; s++) {
    const len = lengths[s];
    if (len === 0) continue;
    // Codes are read bit by bit from the low end, so the table is indexed by the reversed code.
    let code = next[len]++, rev = 0;
    for (let i = 0; i < len; i++, code >>= 1) rev = (rev << 1) | (code & 1);
    for (let i = rev; i < size; i += 1 << len) lut[i] = (s << 4) | len;
  }
  return { lut, bits: max };
}

let fixed: { lit: Huffman; dist: Huffman } | null = null;

function fixedCodes(): { lit: Huffman; dist: Huffman } {
  if (!fixed) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    fixed = { lit: huffman(l, 288), dist: huffman(new Uint8Array(30).fill(5), 30) };
  }
  return fixed;
}

/** Inflates raw DEFLATE data whose inflated size is known (it is stored with the data). */
export function inflateRaw(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0; // input byte
  let bitBuf = 0, bitCnt = 0, o = 0;

  const bits = (need: number): number => {
    while (bitCnt < need) {
      if (pos >= input.length) throw corrupt('deflate stream ends early');
      bitBuf |= input[pos++] << bitCnt;
      bitCnt += 8;
    }
    const v = bitBuf & ((1 << need) - 1);
    bitBuf >>>= need;
    bitCnt -= need;
    return v;
  };

  const decode = (h: Huffman): number => {
    while (bitCnt < h.bits && pos < input.length) {
      bitBuf |= input[pos++] << bitCnt;
      bitCnt += 8;
    }
    const e = h.lut[bitBuf & ((1 << h.bits) - 1)];
    const len = e & 15;
    if (len === 0) throw corrupt('bad Huffman code');
    if (len > bitCnt) throw corrupt('deflate stream ends early');
    bitBuf >>>= len;
    bitCnt -= len;
    return e >>> 4;
  };

  const codes = (lit: Huffman, dist: Huffman): void => {
    const st = { pos, bitBuf, bitCnt, o };
    inflateCodes(input, out, st, lit, dist);
    ({ pos, bitBuf, bitCnt, o } = st);
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      bitBuf = 0;
      bitCnt = 0; // stored block: skip to the byte boundary
      if (pos + 4 > input.length) throw corrupt('stored block header');
      const len = input[pos] | (input[pos + 1] << 8);
      const nlen = input[pos + 2] | (input[pos + 3] << 8);
      pos += 4;
      if (len !== (~nlen & 0xffff) || pos + len > input.length || o + len > size) throw corrupt('stored block length');
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
    } else if (type === 1) {
      const f = fixedCodes();
      codes(f.lit, f.dist);
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      const lengths = new Uint8Array(320);
      for (let i = 0; i < ncode; i++) lengths[CL_ORDER[i]] = bits(3);
      const lencode = huffman(lengths, 19);
      lengths.fill(0);
      for (let i = 0; i < nlen + ndist;) {
        const sym = decode(lencode);
        if (sym < 16) {
          lengths[i++] = sym;
        } else {
          let rep = 0, value = 0;
          if (sym === 16) {
            if (i === 0) throw corrupt('repeat with no previous length');
            value = lengths[i - 1];
            rep = 3 + bits(2);
          } else rep = sym === 17 ? 3 + bits(3) : 11 + bits(7);
          if (i + rep > nlen + ndist) throw corrupt('too many lengths');
          while (rep--) lengths[i++] = value;
        }
      }
      codes(huffman(lengths, nlen), huffman(lengths.subarray(nlen, nlen + ndist), ndist));
    } else {
      throw corrupt('bad block type');
    }
  }
  if (o !== size) throw corrupt(`inflated ${o} bytes, expected ${size}`);
  return out;
}

/**
 * The literal/length and distance codes of one block, until its end-of-block symbol. The hot loop, in
 * one function with the bit buffer in locals (fast from the first call, before any JIT tier-up).
 */
function inflateCodes(
  input: Uint8Array, out: Uint8Array, st: { pos: number; bitBuf: number; bitCnt: number; o: number }, lit: Huffman, dist: Huffman,
): void {
  let { pos, bitBuf, bitCnt, o } = st;
  const n = input.length, size = out.length;
  const litLut = lit.lut, litBits = lit.bits, litMask = (1 << litBits) - 1;
  const distLut = dist.lut, distBits = dist.bits, distMask = (1 << distBits) - 1;
  for (;;) {
    while (bitCnt < litBits && pos < n) {
      bitBuf |= input[pos++] << bitCnt;
      bitCnt += 8;
    }
    let e = litLut[bitBuf & litMask];
    let len = e & 15;
    if (len === 0 || len > bitCnt) throw corrupt(len === 0 ? 'bad Huffman code' : 'deflate stream ends early');
    bitBuf >>>= len;
    bitCnt -= len;
    let sym = e >>> 4;
    if (sym < 256) {
      if (o >= size) throw corrupt('output longer than stored size');
      out[o++] = sym;
      continue;
    }
    if (sym === 256) break;
    sym -= 257;
    if (sym >= 29) throw corrupt('bad length symbol');
    // up to 5 extra length bits, a distance code of up to 15 bits and 13 extra bits: refill as needed
    let extra = LEN_EXTRA[sym];
    while (bitCnt < extra + distBits && pos < n) {
      bitBuf |= input[pos++] << bitCnt;
      bitCnt += 8;
    }
    if (bitCnt < extra) throw corrupt('deflate stream ends early');
    len = LEN_BASE[sym] + (bitBuf & ((1 << extra) - 1));
    bitBuf >>>= extra;
    bitCnt -= extra;
    e = distLut[bitBuf & distMask];
    const dl = e & 15;
    if (dl === 0 || dl > bitCnt) throw corrupt(dl === 0 ? 'bad Huffman code' : 'deflate stream ends early');
    bitBuf >>>= dl;
    bitCnt -= dl;
    const ds = e >>> 4;
    if (ds >= 30) throw corrupt('bad distance symbol');
    extra = DIST_EXTRA[ds];
    while (bitCnt < extra && pos < n) {
      bitBuf |= input[pos++] << bitCnt;
      bitCnt += 8;
    }
    if (bitCnt < extra) throw corrupt('deflate stream ends early');
    const d = DIST_BASE[ds] + (bitBuf & ((1 << extra) - 1));
    bitBuf >>>= extra;
    bitCnt -= extra;
    if (d > o || o + len > size) throw corrupt('bad match');
    for (const end = o + len; o < end; o++) out[o] = out[o - d];
  }
  st.pos = pos;
  st.bitBuf = bitBuf;
  st.bitCnt = bitCnt;
  st.o = o;
}

/** base64 → inflate → ASCII text: how the data modules in ./builtin store their tables. */
export function unpackText(packed: string, size: number): string {
  const bytes = inflateRaw(base64Decode(packed), size);
  // Not TextDecoder: in Node its first use loads the encoding module, which costs more than this loop.
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return s;
}
