import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCSV } from '../../src/data/csv.js';

const SHARED = new URL('../../../shared/conformance/', import.meta.url);

describe('parseCSV', () => {
  it('runs its TSDoc example', () => {
    const { X, shape, y, featureNames, targetName } = parseCSV('a,b,label\n1,2,0\n3,"4",1\n', { target: 'label' });
    expect(Array.from(X)).toEqual([1, 2, 3, 4]);
    expect(X).toBeInstanceOf(Float32Array);
    expect(shape).toEqual([2, 2]);
    expect(y).toBeInstanceOf(Float64Array);
    expect(Array.from(y!)).toEqual([0, 1]);
    expect(featureNames).toEqual(['a', 'b']);
    expect(targetName).toBe('label');
  });

  it('without target puts every column in X and returns no y', () => {
    const r = parseCSV('a,b\n1,2\n');
    expect(r.shape).toEqual([1, 2]);
    expect(r.y).toBeUndefined();
    expect(r.targetName).toBeUndefined();
  });

  it('takes the target by index, negative index, and names columns by index without a header', () => {
    const a = parseCSV('1,2,3\n4,5,6', { header: false, target: 0 });
    expect(a.featureNames).toEqual(['1', '2']);
    expect(Array.from(a.y!)).toEqual([1, 4]);
    expect(Array.from(a.X)).toEqual([2, 3, 5, 6]);
    const b = parseCSV('1,2,3\n4,5,6', { header: false, target: -1 });
    expect(Array.from(b.y!)).toEqual([3, 6]);
    expect(b.featureNames).toEqual(['0', '1']);
    const c = parseCSV('1,2,3\n4,5,6', { header: false, target: '1' });
    expect(Array.from(c.y!)).toEqual([2, 5]);
  });

  it('handles RFC 4180 quoting: delimiters, escaped quotes and newlines inside quotes, CRLF', () => {
    const text = '"x, first","say ""hi""","multi\r\nline",t\r\n"1.5",2,3,0\r\n4,"5",6,1\r\n';
    const r = parseCSV(text, { target: 't' });
    expect(r.featureNames).toEqual(['x, first', 'say "hi"', 'multi\r\nline']);
    expect(Array.from(r.X)).toEqual([1.5, 2, 3, 4, 5, 6]);
    expect(Array.from(r.y!)).toEqual([0, 1]);
    expect(r.shape).toEqual([2, 3]);
  });

  it('handles an empty quoted header, a BOM, no trailing newline, blank lines and spaces around values', () => {
    const r = parseCSV('\uFEFFa,""\n\n 1 , 2\n\n3,4');
    expect(r.featureNames).toEqual(['a', '']);
    expect(Array.from(r.X)).toEqual([1, 2, 3, 4]);
  });

  it('accepts other delimiters, with commas then ordinary characters', () => {
    const r = parseCSV('"a,x";b\n1.5;2\n', { delimiter: ';' });
    expect(r.featureNames).toEqual(['a,x', 'b']);
    expect(Array.from(r.X)).toEqual([1.5, 2]);
    // '1,5' is not a decimal number here (no locale decimal comma): it is reported, not misread
    expect(() => parseCSV('a;b\n1,5;2\n', { delimiter: ';' })).toThrow(/line 2, column "a" \(index 0\) is "1,5", not a number/);
  });

  it('reads tab-separated text', () => {
    const r = parseCSV('a\tb\n1\t2\n', { delimiter: '\t' });
    expect(Array.from(r.X)).toEqual([1, 2]);
  });

  it('rounds X once to float32 and keeps y in float64', () => {
    const r = parseCSV('a,t\n0.1,0.1\n', { target: 't' });
    expect(r.X[0]).toBe(Math.fround(0.1));
    expect(r.y![0]).toBe(0.1);
  });

  it('names line (counting physical lines, quoted newlines included), column and text for a non-numeric value', () => {
    const text = 'a,"b\nc",d\n1,2,3\n4,oops,6\n';
    let err: unknown;
    try { parseCSV(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TypeError);
    const msg = (err as Error).message;
    expect(msg).toContain('line 4');
    expect(msg).toContain('column "b\\nc" (index 1)');
    expect(msg).toContain('"oops"');
  });

  it('reports a missing value with its line and column, after skipped blank lines', () => {
    expect(() => parseCSV('a,b\n1,2\n\n3,\n')).toThrow(TypeError);
    expect(() => parseCSV('a,b\n1,2\n\n3,\n')).toThrow(/line 4, column "b" \(index 1\) is missing/);
    expect(() => parseCSV('a,b\r\n1,NaN\r\n')).toThrow(/line 2, column "b" \(index 1\) is "NaN"/);
    expect(() => parseCSV('a,b\n1,0x10\n')).toThrow(/"0x10", not a number/);
  });

  it('names the ragged row', () => {
    expect(() => parseCSV('a,b,c\n1,2,3\n4,5\n')).toThrow(RangeError);
    expect(() => parseCSV('a,b,c\n1,2,3\n4,5\n')).toThrow(/line 3 has 2 fields but the header has 3/);
    expect(() => parseCSV('1,2\n3,4,5', { header: false })).toThrow(/line 2 has 3 fields but the first row has 2/);
    // and names the column where it goes wrong
    expect(() => parseCSV('a,b,c\n1,2,3\n4,5\n')).toThrow(/has 3: column "c" \(index 2\) is missing;/);
    expect(() => parseCSV('a,b,c,d\n4\n')).toThrow(/has 4: column "b" \(index 1\) and the 2 after it are missing;/);
    expect(() => parseCSV('1,2\n3,4,5,6', { header: false })).toThrow(/has 2: column index 2 to 3 are extra;/);
    expect(() => parseCSV('1,2\n3,4,5', { header: false })).toThrow(/has 2: column index 2 is extra;/);
  });

  it('rejects an unclosed quote and text after a closing quote, naming the line', () => {
    expect(() => parseCSV('a,b\n1,"2\n3,4\n')).toThrow(/starts on line 2 is never closed/);
    expect(() => parseCSV('a,b\n1,"2"x\n')).toThrow(/line 2 has "x" right after a closing quote/);
  });

  it('rejects bad options and unknown targets with the fix in the message', () => {
    expect(() => parseCSV('a,b\n1,2', { target: 'c' })).toThrow(/"c" is not a column name; the columns are "a", "b"/);
    expect(() => parseCSV('a,b\n1,2', { target: 2 })).toThrow(RangeError);
    expect(() => parseCSV('a,a\n1,2', { target: 'a' })).toThrow(/names 2 columns/);
    expect(() => parseCSV('a,b\n1,2', { delimiter: '"' })).toThrow(TypeError);
    expect(() => parseCSV('a,b\n1,2', { delimiter: ',,' })).toThrow(TypeError);
    expect(() => parseCSV(42 as unknown as string)).toThrow(/text must be a string, got 42/);
    expect(() => parseCSV('')).toThrow(RangeError);
  });

  it('returns the target as text with targetAsText (class labels), still refusing an empty one', () => {
    const r = parseCSV('a,species,b\n1, setosa ,2\n3,"vir, ginica",4\n', { target: 'species', targetAsText: true });
    expect(r.yText).toEqual(['setosa', 'vir, ginica']);
    expect(r.y).toBeUndefined();
    expect(r.targetName).toBe('species');
    expect(Array.from(r.X)).toEqual([1, 2, 3, 4]);
    expect(() => parseCSV('a,t\n1,x\n2,\n', { target: 't', targetAsText: true })).toThrow(/line 3, column "t" \(index 1\) is missing \(empty field\)/);
    expect(() => parseCSV('a,t\n1,x\n', { target: 't', targetAsText: 1 as never })).toThrow(/targetAsText must be true or false, got 1/);
    // Without it, a text label is refused as before.
    expect(() => parseCSV('a,t\n1,x\n', { target: 't' })).toThrow(/line 2, column "t" \(index 1\) is "x", not a number/);
  });

  it('returns shape [0, cols] for a header-only file', () => {
    const r = parseCSV('a,b,t\n', { target: 't' });
    expect(r.shape).toEqual([0, 2]);
    expect(r.X.length).toBe(0);
    expect(r.y!.length).toBe(0);
  });

  it('parses the shared iris.csv exactly', () => {
    const text = readFileSync(new URL('data/iris.csv', SHARED), 'utf8');
    const r = parseCSV(text, { target: 'target' });
    expect(r.shape).toEqual([150, 4]);
    expect(r.featureNames[0]).toBe('sepal length (cm)');
    const lines = text.trim().split('\n');
    const last = lines[150].split(',').map(Number);
    expect(Array.from(r.X.subarray(149 * 4))).toEqual(last.slice(0, 4).map(Math.fround));
    expect(r.y![149]).toBe(last[4]);
  });
});
