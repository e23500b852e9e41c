/**
 * Runs the TypeScript examples of a markdown page: every ```ts block, top to bottom, as one script
 * (a block sees what the blocks before it declared, as a reader does), each compared with the
 * ```text block that follows it, if any: what it prints with console.log, formatted as Node does.
 * Imports are bound to the modules the caller passes ('descent' → the library under test).
 */
import { transformSync } from 'esbuild';
import { format } from 'node:util';

export interface Example {
  /** The TypeScript source of the block. */
  code: string;
  /** The text block after it: what it prints (null when no text block follows). */
  expected: string | null;
  /** The block's first line in the page (1-based), for messages. */
  line: number;
}

/** The ```ts blocks of `md`, each with the ```text block that directly follows it (prose between allowed, no other code block). */
export function examples(md: string): Example[] {
  const out: Example[] = [];
  const re = /```(ts|text)\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(md))) {
    if (m[1] === 'ts') {
      out.push({ code: m[2], expected: null, line: md.slice(0, m.index).split('\n').length + 1 });
    } else if (out.length > 0 && out[out.length - 1].expected === null) {
      out[out.length - 1].expected = m[2];
    }
  }
  return out;
}

const IMPORT = /^import\s+(type\s+)?(?:\{([^}]*)\}|(\w+))\s+from\s+'([^']+)';?[ \t]*(?:\/\/.*)?$/gm;

/**
 * Runs the examples as one async script with `modules` standing in for their imports. Returns what
 * each block printed, and the values of `exports` (names the page declares) at the end.
 */
export async function run(
  blocks: Example[], modules: Record<string, unknown>, exports: string[] = [],
): Promise<{ printed: string[]; values: Record<string, unknown> }> {
  const bindings = new Map<string, string>(); // local name → `__mods[...]` expression
  const bodies = blocks.map((b) =>
    b.code.replace(IMPORT, (_all, typeOnly: string | undefined, names: string | undefined, def: string | undefined, from: string) => {
      if (!(from in modules)) throw new Error(`example at line ${b.line} imports ${JSON.stringify(from)}, which the test does not provide`);
      const mod = `__mods[${JSON.stringify(from)}]`;
      if (def) bindings.set(def, `(${mod}.default ?? ${mod})`);
      else if (!typeOnly) {
        for (const spec of names!.split(',').map((s) => s.trim()).filter(Boolean)) {
          if (spec.startsWith('type ')) continue;
          const [name, local = name] = spec.split(/\s+as\s+/);
          bindings.set(local, `${mod}[${JSON.stringify(name)}]`);
        }
      }
      return '';
    }),
  );
  const head = [...bindings].map(([local, expr]) => `const ${local} = ${expr};`).join('\n');
  const script = `(async (__mods, __block, console) => {\n${head}\n${bodies.map((body, i) => `__block(${i});\n${body}`).join('\n')}\nreturn { ${exports.join(', ')} };\n})`;
  const js = transformSync(script, { loader: 'ts', target: 'es2022' }).code;
  const printed = blocks.map(() => '');
  let current = 0;
  const consoleShim = { log: (...a: unknown[]) => { printed[current] += format(...a) + '\n'; } };
  const fn = new Function(`return ${js.trim().replace(/;$/, '')}`)();
  const values = await fn(modules, (i: number) => { current = i; }, consoleShim);
  return { printed, values };
}
