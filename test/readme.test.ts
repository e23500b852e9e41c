import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as descent from '../src/entry/node.js';

// Runs the README's code example and checks the values its comments promise.
function block(md: string, heading: string): string {
  return md.split(heading)[1].split('```ts')[1].split('```')[0];
}

describe('README example', () => {
  it('prints what its comments say', async () => {
    const md = readFileSync('README.md', 'utf8');
    const code = md.split('## Example')[1].split('```ts')[1].split('```')[0];
    const logs: unknown[] = [];
    const body = code
      .replace(/^import .*$/m, '')
      .replace(/console\.log/g, '__log');
    const fn = new Function('__d', '__log', `const { ${Object.keys(descent).join(', ')} } = __d; return (async () => { ${body} })();`);
    await fn(descent, (v: unknown) => logs.push(v));
    const promised = [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1].trim());
    expect(logs.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))).toEqual(promised);
  });
});

describe('README training example', () => {
  it('runs and reaches the accuracy the main job promises', async () => {
    const code = block(readFileSync('README.md', 'utf8'), '## Training a model');
    const logs: unknown[][] = [];
    const body = code.replace(/^import .*$/m, '').replace(/console\.log/g, '__log');
    const fn = new Function('__d', '__log', `const { ${Object.keys(descent).join(', ')} } = __d; return (async () => { ${body} })();`);
    await fn(descent, (...v: unknown[]) => logs.push(v));
    expect(logs.length).toBe(1);
    const [reason, acc] = logs[0] as [string, number];
    expect(['earlyStopping', 'maxEpochs']).toContain(reason);
    expect(acc).toBeGreaterThanOrEqual(0.96);
  }, 120_000);
});
