/// <reference types="node" />
/**
 * Node entry: the packaged builds are read from disk with node:fs (Node 20's fetch() cannot read
 * file: URLs). The only file in the library that imports node: modules.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setDefaultSources } from '../init.js';
import { setFileReader } from '../wasm/loader.js';

const here = import.meta.url;

setFileReader((src) => {
  const s = src instanceof URL ? src.href : String(src);
  if (/^(https?|data|blob):/i.test(s)) return null;
  return readFile(s.startsWith('file:') ? fileURLToPath(s) : s);
});

setDefaultSources({
  simd: () => new URL('../../build/descent-simd.wasm', here),
  scalar: () => new URL('../../build/descent-scalar.wasm', here),
});

export * from '../index.js';
