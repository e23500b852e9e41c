import { describe, expect, it } from 'vitest';
import * as descent from '../../src/entry/url.js';
// @ts-expect-error plain JS module shared by every runtime
import { smokeCases } from './smoke-suite.js';

describe('smoke: Chromium', () => {
  it('runs in a real browser', () => {
    expect(typeof window).toBe('object');
    expect(navigator.userAgent).toMatch(/Chrome/);
  });
  for (const [name, fn] of smokeCases(descent, () => descent.init(), 'wasm-relaxed')) it(name, fn);
});
