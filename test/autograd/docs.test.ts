import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/entry/node.js';
import { grad, hessian, indexTensor, jacobian, ops, param, tensor, valueAndGrad } from '../../src/index.js';

// Every @example in src/autograd runs as written; a line `expr; // → value` asserts that expr equals
// value (numbers within float32 rounding, arrays element by element), so an example cannot drift
// from what the code does.

const DIR = 'src/autograd';
const files = [...readdirSync(join(DIR, 'ops')).map((f) => join(DIR, 'ops', f)), ...readdirSync(DIR).filter((f) => f.endsWith('.ts')).map((f) => join(DIR, f))];

interface Example {
  where: string;
  code: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\* @example\s*$/.test(lines[i])) continue;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*\*\//.test(lines[j]) && !/^\s*\* @/.test(lines[j]); j++) body.push(lines[j].replace(/^\s*\* ?/, ''));
      out.push({ where: `${file}:${i + 1}`, code: body.join('\n') });
    }
  }
  return out;
}

function check(actual: unknown, expected: unknown, line: string): void {
  const norm = (v: any): unknown => (v && typeof v.toArray === 'function' ? Array.from(v.toArray()) : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);
  const a = norm(actual), e = expected;
  const close = (x: number, y: number) => x === y || Math.abs(x - y) <= 1e-5 * (1 + Math.abs(y));
  if (Array.isArray(e)) {
    if (!Array.isArray(a) || a.length !== e.length || !a.every((x, i) => close(x as number, e[i]))) throw new Error(`${line}: got ${JSON.stringify(a)}`);
  } else if (typeof e === 'number') {
    if (typeof a !== 'number' || !close(a, e)) throw new Error(`${line}: got ${JSON.stringify(a)}`);
  } else if (a !== e) throw new Error(`${line}: got ${JSON.stringify(a)}`);
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const scope = { init, ops, param, tensor, valueAndGrad, grad, jacobian, hessian, indexTensor, __check: check };

describe('the TSDoc examples of src/autograd', () => {
  const all = examples();
  it('there is one for every public op and function', () => {
    const opNames = Object.keys(ops).filter((k) => !['tensor', 'full'].includes(k));
    const text = all.map((e) => e.code).join('\n');
    for (const name of [...opNames, 'tensor', 'full']) expect(text).toMatch(new RegExp(`ops\\.${name}\\(`));
    for (const name of ['valueAndGrad', 'grad', 'jacobian', 'hessian', 'indexTensor']) expect(text).toMatch(new RegExp(`\\b${name}\\(`));
    expect(all.filter((e) => e.code.includes('// →')).length).toBeGreaterThanOrEqual(opNames.length);
  });

  it.each(all.map((e) => [e.where, e] as const))('%s', async (_w, e) => {
    const code = e.code.split('\n').map((line) => {
      const m = /^(.*?);\s*\/\/ → (.*)$/.exec(line);
      return m ? `__check(${m[1]}, ${m[2]}, ${JSON.stringify(line)});` : line;
    }).join('\n');
    const run = new AsyncFunction(...Object.keys(scope), code);
    await run(...Object.values(scope));
  });
});
