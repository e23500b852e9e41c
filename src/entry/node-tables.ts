/// <reference types="node" />
/**
 * The Node bundle's `src/data/tables.ts` (scripts/bundle.mjs swaps it in for dist/bundle/node.js only): the
 * built-in tables are require()d from dist/bundle/datasets-data.cjs, a CommonJS copy of tables.ts,
 * the first time a loader runs, so that `import('descent')` in Node does not parse their ~230 KB.
 */
import { nodeBuiltin } from '../threads/node-host.js';
import type { BuiltinTables } from '../data/tables.js';

let tables: BuiltinTables | undefined;

/** The built-in tables (read on the first call, the same object after). */
export function builtinTables(): BuiltinTables {
  if (tables) return tables;
  const file = './datasets-data.cjs';
  let mod: { builtinTables(): BuiltinTables };
  try {
    mod = nodeBuiltin('node:module').createRequire(import.meta.url)(file) as typeof mod;
  } catch (e) {
    const path = nodeBuiltin('node:url').fileURLToPath(new URL(file, import.meta.url));
    throw new Error(
      `descent: cannot read its built-in data sets from ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). ` +
        "If you bundled descent into your own file, import the loaders from 'descent/datasets' instead (a bundler includes those " +
        `data), or copy node_modules/descent/dist/bundle/datasets-data.cjs to ${path}. Otherwise reinstall descent (npm ci).`,
    );
  }
  tables = mod.builtinTables();
  return tables;
}
