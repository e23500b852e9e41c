/**
 * The built-in tables, behind one function so that their ~230 KB of encoded values can be read on
 * first use: the Node bundle (scripts/bundle.mjs) replaces this module with src/entry/node-tables.ts,
 * which loads them from dist/bundle/datasets-data.cjs when a loader first runs, so that
 * `import('descent')` in Node does not parse them. Everywhere else (the per-module dist/ for bundlers and browsers, the Deno/Bun bundle, the
 * `descent/datasets` subpath) they are plain static imports, which a bundler drops when unused.
 */
import { BREAST_CANCER } from './builtin/breast-cancer.js';
import { DIABETES } from './builtin/diabetes.js';
import { DIGITS } from './builtin/digits.js';
import { DIGITS_SPLIT } from './builtin/digits-split.js';
import { IRIS } from './builtin/iris.js';
import { WINE } from './builtin/wine.js';

const TABLES = { BREAST_CANCER, DIABETES, DIGITS, DIGITS_SPLIT, IRIS, WINE };

/** Every built-in table, by name. */
export type BuiltinTables = typeof TABLES;

/** The built-in tables (the same object on every call). */
export function builtinTables(): BuiltinTables {
  return TABLES;
}
