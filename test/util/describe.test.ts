import { describe as suite, expect, it } from 'vitest';
import { describe, isDetached } from '../../src/util/describe.js';

suite('describe(value): values as passed', () => {
  it.each([
    ['abc', "'abc'"],
    ['1.5', "'1.5'"],
    ['', "''"],
    ["it's", "'it\\'s'"],
    ['a\nb', "'a\\nb'"],
    [1.5, '1.5'],
    [-0, '-0'],
    [0, '0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [1e21, '1e+21'],
    [10n, '10n'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [undefined, 'undefined'],
    [Symbol('s'), 'Symbol(s)'],
    [[], '[]'],
    [[1, 'a', null], "[1, 'a', null]"],
    [[[1, 2], [3]], '[[…2 items], […1 items]]'],
    [{}, 'an empty object {}'],
    [{ data: 1, shape: 2 }, 'an object { data, shape }'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'an object { a, b, c, d, e, … 6 keys }'],
    [{ 'with space': 1 }, "an object { 'with space' }"],
    [new Map(), 'a Map'],
    [new Error('boom'), "an Error ('boom')"],
    [new RangeError('x'), "a RangeError ('x')"],
    [Object.create(null), 'an empty object {}'],
    [new ArrayBuffer(16), 'ArrayBuffer(16 bytes)'],
    [new DataView(new ArrayBuffer(8)), 'DataView(8 bytes)'],
    [Float32Array.from([1, 2]), 'Float32Array(2) [1, 2]'],
    [new Int32Array(0), 'Int32Array(0) []'],
  ] as Array<[unknown, string]>)('%s → %s', (v, want) => {
    expect(describe(v)).toBe(want);
  });

  it('abbreviates long arrays and typed arrays, keeping their length', () => {
    expect(describe(Array.from({ length: 100 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, … 100 items]');
    expect(describe(new Float64Array(1000))).toBe('Float64Array(1000) [0, 0, 0, 0, 0, 0, …]');
    expect(describe(new Float32Array([NaN, -0]))).toBe('Float32Array(2) [NaN, -0]');
  });

  it('cuts long strings and says how long they were', () => {
    const s = 'x'.repeat(100);
    expect(describe(s)).toBe(`'${'x'.repeat(40)}…' (100 characters)`);
  });

  it('names functions and classes', () => {
    function myCallback() { return 1; }
    class MyModel {}
    expect(describe(myCallback)).toBe('function myCallback');
    expect(describe(MyModel)).toBe('class MyModel');
    expect(describe(new MyModel())).toBe('a MyModel');
    expect(describe([() => 1][0])).toBe('an anonymous function');
  });

  it('shows sparse array holes', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(describe([1, , 3])).toBe('[1, <empty>, 3]');
  });

  it('tells a detached view from an empty one', () => {
    const buf = new ArrayBuffer(8);
    const view = new Float32Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(isDetached(buf)).toBe(true);
    expect(isDetached(new ArrayBuffer(0))).toBe(false);
    expect(isDetached(new ArrayBuffer(4))).toBe(false);
    expect(describe(view)).toBe('a Float32Array whose memory was detached (it reads as empty)');
  });
});

suite('describe never throws', () => {
  it('on a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describe(proxy)).toBe('an object that cannot be inspected');
  });
});
