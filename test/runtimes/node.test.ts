import { describe, it } from 'vitest';
import * as descent from '../../src/entry/node.js';
// @ts-expect-error plain JS module shared by every runtime
import { smokeCases } from './smoke-suite.js';

describe('smoke: Node', () => {
  for (const [name, fn] of smokeCases(descent, () => descent.init(), 'wasm-simd')) it(name, fn);
});
