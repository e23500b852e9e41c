/**
 * Every @example in src/nn and src/io runs as written (TypeScript transpiled), on every backend; a
 * line `expr; // → value` asserts that expr equals value (numbers within float32 rounding, arrays
 * element by element), so an example cannot drift from what the code does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const files = ['src/nn', 'src/io'].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)));

function examples(): { where: string; code: string }[] {
  const out: { where: string; code: string }[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\* @example\s*$/.test(lines[i])) continue;
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && !/^\s*\*\//.test(lines[j]) && !/^\s*\* @/.test(lines[j]); j++) body.push(lines[j].replace(/^\s*\* ?/, ''));
      out.push({ where: `${file}:${i + 1}`, code: body.join('\n') });
    }
  }
  return out;
}

function check(actual: unknown, expected: unknown, line: string): void {
  const norm = (v: any): unknown => (v && typeof v.toArray === 'function' ? Array.from(v.toArray()) : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);
  const a = norm(actual);
  const close = (x: unknown, y: unknown) => x === y || (typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= 1e-5 * (1 + Math.abs(y)));
  const ok = Array.isArray(expected) ? Array.isArray(a) && a.length === expected.length && a.every((x, i) => close(x, expected[i])) : close(a, expected);
  if (!ok) throw new Error(`${line}: got ${JSON.stringify(a)}`);
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

describe.each(BACKENDS)('the TSDoc examples of src/nn and src/io on %s', (backend) => {
  const all = examples();
  it('every public class and function there has one that asserts', () => {
    const text = all.map((e) => e.code).join('\n');
    for (const name of ['Sequential', 'Dense', 'Conv2d', 'MaxPool2d', 'AvgPool2d', 'Flatten', 'Dropout', 'Embedding', 'LayerNorm', 'ReLU', 'LeakyReLU', 'Tanh', 'Sigmoid', 'GELU', 'Softplus', 'Softmax', 'saveSafetensors', 'loadSafetensors', 'readSafetensors', 'Module', 'Model']) {
      expect(text, name).toMatch(new RegExp(`\\b${name}\\b`));
    }
    expect(all.filter((e) => e.code.includes('// →')).length).toBe(all.length);
  });

  it.each(all.map((e) => [e.where, e] as const))('%s', async (_w, e) => {
    await useBackend(backend);
    const code = e.code.split('\n').map((line) => {
      const m = /^(.*?);\s*\/\/ → (.*)$/.exec(line);
      return m ? `__check(${m[1]}, ${m[2]}, ${JSON.stringify(line)});` : line;
    }).join('\n').replace(/^\s*await init\(\);\s*$/m, '');
    const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
    const scope = { ...descent, __check: check };
    const run = new AsyncFunction(...Object.keys(scope), js);
    await run(...Object.values(scope));
  });
});
