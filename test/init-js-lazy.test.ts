/**
 * The js backend is loaded on demand outside Node (src/backend/js.ts): the browser/Deno/Bun entry
 * (src/entry/url.ts) has no js twin until init({ backend: 'js' }) imports it, so initSync({ backend:
 * 'js' }) says what to do until then, changing nothing; the Node entry registers it up front.
 */
import { describe, expect, it } from 'vitest';
import * as url from '../src/entry/url.js';

describe("initSync({ backend: 'js' }) in an entry that loads the js backend on demand", () => {
  it('throws an Error naming the fix before init() loaded it, and runs once it has', async () => {
    expect(() => url.initSync({ backend: 'js' })).toThrow(/initSync\(\{ backend: 'js' \}\) needs the js backend loaded.*call await init\(\{ backend: 'js' \}\) instead/);
    expect(url.isInitialized()).toBe(false);
    expect((await url.init({ backend: 'js' })).name).toBe('js');
    const p = url.param([1, 2, 3]);
    url.scale(p, 2, p);
    expect(Array.from(p.data)).toEqual([2, 4, 6]);
    url.dispose();
    expect(url.initSync({ backend: 'js' })).toMatchObject({ name: 'js', reason: 'requested', threads: 1 });
    url.dispose();
  });
});
