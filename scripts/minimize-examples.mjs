// Runs the examples of docs/minimize.md for real: every ```js block that is followed by a ```text
// block is executed against src/minimize (bundled on the fly with esbuild), and what it prints is
// compared with, or written into, that text block.
// Usage: node scripts/minimize-examples.mjs            print each example's output
//        node scripts/minimize-examples.mjs --check    exit 1 if docs/minimize.md is out of date
//        node scripts/minimize-examples.mjs --write    rewrite the text blocks with the real output
// test/minimize/docs.test.ts uses the same extractExamples / runExample against the TS sources.
import { format } from 'node:util';

/** The (js, text) block pairs of a markdown file, with the text blocks' offsets for rewriting. */
export function extractExamples(md) {
  const re = /```js\n((?:(?!```)[\s\S])*?)```\s*\n(?:[^`]*?\n)?```text\n([\s\S]*?)```/g; // a js block never spans a fence
  const out = [];
  let m;
  while ((m = re.exec(md))) {
    const textStart = m.index + m[0].length - 3 - m[2].length;
    out.push({ code: m[1], expected: m[2], textStart, textEnd: textStart + m[2].length });
  }
  return out;
}

/** Runs one example with `lib` standing in for `import { ... } from 'descent'`; returns what it printed. */
export function runExample(code, lib) {
  const lines = [];
  const consoleShim = { log: (...a) => lines.push(format(...a)) };
  const body = code.replace(/^import\s*\{[^}]*\}\s*from\s*'descent';\s*$/gm, '');
  const names = Object.keys(lib);
  new Function('console', ...names, body)(consoleShim, ...names.map((k) => lib[k]));
  return lines.join('\n') + '\n';
}

async function main() {
  const { readFileSync, writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join, dirname } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { fileURLToPath, pathToFileURL } = await import('node:url');
  const { build } = await import('esbuild');
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = mkdtempSync(join(tmpdir(), 'minimize-examples-'));
  const outfile = join(dir, 'minimize.mjs');
  await build({ entryPoints: [join(root, 'src/minimize/index.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'warning' });
  const lib = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });

  const docPath = join(root, 'docs/minimize.md');
  let md = readFileSync(docPath, 'utf8');
  const examples = extractExamples(md);
  if (examples.length === 0) throw new Error('docs/minimize.md has no ```js block followed by a ```text block');
  const mode = process.argv.includes('--write') ? 'write' : process.argv.includes('--check') ? 'check' : 'print';
  let stale = 0;
  for (const [i, ex] of examples.entries()) {
    const got = runExample(ex.code, lib);
    if (got !== ex.expected) stale++;
    if (mode === 'print') console.log(`--- example ${i + 1}${got === ex.expected ? '' : ' (differs from docs)'}\n${got}`);
  }
  if (mode === 'write') {
    for (const ex of [...examples].reverse()) md = md.slice(0, ex.textStart) + runExample(ex.code, lib) + md.slice(ex.textEnd);
    writeFileSync(docPath, md);
    console.log(`wrote the output of ${examples.length} examples into docs/minimize.md (${stale} had changed)`);
  } else if (mode === 'check') {
    console.log(stale ? `${stale} of ${examples.length} examples differ from docs/minimize.md` : `all ${examples.length} examples match docs/minimize.md`);
    if (stale) process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  await main();
}
