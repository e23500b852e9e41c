// TypeScript users: `tsc --strict` over every ```ts and ```js example of the README, pasted into a
// fresh project that installed the packed tarball, and the per-entry types (the workerd entry's
// simdModule / scalarModule, the descent/wasm/* and descent/datasets subpaths).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, makeProject, run, type RunResult } from './helpers.js';

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/** README blocks TypeScript cannot take as written, and why (each is run by its own recipe test instead). */
const NOT_TYPESCRIPT: [RegExp, string][] = [
  [/^import source /m, "Deno's source phase import: TypeScript 5.9 has no syntax for it"],
];

interface Example { file: string; code: string }

function readmeExamples(): Example[] {
  const md = readFileSync(join(REPO, 'README.md'), 'utf8');
  const out: Example[] = [];
  for (const m of md.matchAll(/```(ts|js)\n([\s\S]*?)```/g)) {
    const code = m[2];
    if (NOT_TYPESCRIPT.some(([re]) => re.test(code))) continue;
    const line = md.slice(0, m.index).split('\n').length;
    // CommonJS blocks (require) type-check as .cts; everything else is an ES module.
    out.push({ file: `readme-line-${line}.${/\brequire\(/.test(code) ? 'cts' : 'ts'}`, code: /^(import|export) /m.test(code) || /\brequire\(/.test(code) ? code : `${code}\nexport {};\n` });
  }
  return out;
}

const tsconfig = (extra: object = {}) => JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'es2022', module: 'preserve', moduleResolution: 'bundler',
    lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: false, ...extra,
  },
}, null, 2);

let examples: Example[] = [];
let dir = '';

beforeAll(() => {
  examples = readmeExamples();
  // skipLibCheck as in most projects: miniflare's own .d.ts need @cloudflare/workers-types. Our
  // shipped .d.ts are checked without it below.
  dir = makeProject('types', {
    'tsconfig.json': tsconfig({ skipLibCheck: true }),
    ...Object.fromEntries(examples.map((e) => [e.file, e.code])),
  }, ['typescript', '@types/node', 'miniflare']);
  makeProject('types-entries', {
    // Our .d.ts checked in full; TypeScript's own lib files are not (skipDefaultLibCheck).
    'tsconfig.json': tsconfig({ types: [], skipDefaultLibCheck: true }),
    'subpaths.ts': [
      "import simd from 'descent/wasm/simd';",
      "import scalar from 'descent/wasm/scalar';",
      "import { loadDigits, type ClassificationDataset } from 'descent/datasets';",
      "import { initSync, init, minimize, type BackendInfo } from 'descent';",
      'const m: WebAssembly.Module = simd;',
      'const info: BackendInfo = initSync({ module: m });',
      'void init(scalar).then((i) => i.reason.length + info.maxMemoryMB);',
      'const d: ClassificationDataset = loadDigits();',
      'console.log(d.shape);',
      '// The check can fail: tsc reports this error, and an unused @ts-expect-error if it ever stopped.',
      "// @ts-expect-error 'gradient-descent' is not a method",
      "minimize((x) => x[0] * x[0], [3], { method: 'gradient-descent' });",
      "// @ts-expect-error not exported by the default (non-workerd) entry's types",
      "import('descent').then((d) => d.simdModule);",
    ].join('\n'),
  }, ['typescript']);
  // A Worker project: with the workerd condition, the workerd entry's own exports are typed.
  makeProject('types-workerd', {
    'tsconfig.json': tsconfig({ customConditions: ['workerd'], types: [], skipDefaultLibCheck: true }),
    'worker.ts': "import { initSync, simdModule, scalarModule, backendName } from 'descent';\n" +
      'const m: WebAssembly.Module = WebAssembly.validate(new Uint8Array(0)) ? simdModule : scalarModule;\n' +
      'export default { fetch() { initSync({ module: m }); return new Response(backendName()); } };\n',
  }, ['typescript']);
});

// The three projects type-check at once (each tsc is mostly single-threaded).
let results: Promise<Record<string, RunResult>>;
const tsc = async (project: string) => (await results)[project];
beforeAll(() => {
  const projects = ['types', 'types-entries', 'types-workerd'];
  results = Promise.all(projects.map((p) => run('node', [TSC, '-p', '.'], join(dir, '..', p))))
    .then((rs) => Object.fromEntries(rs.map((r, i) => [projects[i], r])));
});

describe('TypeScript (tsc --strict) over the README and the entries', () => {
  it('every README ts/js example type-checks in a strict project (the Rosenbrock example included)', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
    expect(examples.some((e) => e.code.includes('testFunctions.rosenbrock'))).toBe(true);
    const r = await tsc('types');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the shipped .d.ts of the main entry and the subpaths type-check (no skipLibCheck), and name wrong options', async () => {
    const r = await tsc('types-entries');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('with customConditions ["workerd"], the workerd entry types simdModule and scalarModule', async () => {
    const r = await tsc('types-workerd');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
