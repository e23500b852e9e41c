import { describe, expect, it } from 'vitest';
import { decodeArray, decodeJsonNumbers, decodeNumber, encodeArray, encodeJson, encodeNumber } from '../../src/util/json.js';

const bits64 = (x: number) => new BigUint64Array(Float64Array.of(x).buffer)[0];

describe('float <-> JSON codec', () => {
  it('encodes the four numbers JSON cannot carry as strings, every other number as itself', () => {
    expect(encodeNumber(NaN)).toBe('NaN');
    expect(encodeNumber(Infinity)).toBe('Infinity');
    expect(encodeNumber(-Infinity)).toBe('-Infinity');
    expect(encodeNumber(-0)).toBe('-0');
    expect(encodeNumber(0)).toBe(0);
    expect(Object.is(encodeNumber(0), 0)).toBe(true);
    expect(encodeNumber(1e-310)).toBe(1e-310);
  });

  it('round-trips float32 and float64 arrays bit for bit through JSON text', () => {
    const f32 = Float32Array.from([0.1, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, -1.5]);
    const back32 = Float32Array.from(decodeArray(JSON.parse(JSON.stringify(encodeArray(f32))), 'a'));
    expect(new Uint32Array(back32.buffer)).toEqual(new Uint32Array(f32.buffer));
    const f64 = Float64Array.from([0.1, 1 / 3, -0, 5e-324, Number.MAX_VALUE, Math.PI]);
    const back64 = decodeArray(JSON.parse(JSON.stringify(encodeArray(f64))), 'a');
    for (let i = 0; i < f64.length; i++) expect(bits64(back64[i])).toBe(bits64(f64[i]));
  });

  it('refuses anything else, naming where and the value as passed', () => {
    expect(() => decodeNumber(null, 'state.best')).toThrow(TypeError);
    expect(() => decodeNumber(null, 'state.best')).toThrow(/^state\.best must be a number \(or "NaN", "Infinity", "-Infinity", "-0"\), got null\.$/);
    expect(() => decodeNumber('1', 'x')).toThrow(/got '1'/);
    expect(() => decodeNumber('nan', 'x')).toThrow(/got 'nan'/);
    expect(() => decodeNumber({}, 'x')).toThrow(TypeError);
  });

  it('checks rules: finite, integer, min', () => {
    expect(() => decodeNumber('NaN', 'p[3]', { finite: true })).toThrow(RangeError);
    expect(() => decodeNumber('NaN', 'p[3]', { finite: true })).toThrow(/^p\[3\] must be finite, got NaN/);
    expect(() => decodeNumber(1.5, 'step', { integer: true })).toThrow(/step must be a whole number, got 1\.5/);
    expect(() => decodeNumber(-1e-8, 'v', { min: 0 })).toThrow(/v must be >= 0, got -1e-8/);
    expect(() => decodeNumber('NaN', 'v', { min: 0 })).toThrow(RangeError);
    expect(decodeNumber(0, 'v', { min: 0, integer: true, finite: true })).toBe(0);
  });

  it('checks array length and items', () => {
    expect(() => decodeArray([1, 2], 'w', 3)).toThrow(/w must hold 3 numbers, got 2/);
    expect(() => decodeArray('x', 'w')).toThrow(TypeError);
    expect(() => decodeArray([1, null], 'w')).toThrow(/w\[1\] must be a number/);
  });

  it('encodeJson: nested plain data, functions and class instances left out', () => {
    class Thing {}
    expect(encodeJson({ best: Infinity, lrs: [0.1, -0], fn: () => 1, thing: new Thing(), u: undefined, s: 'x', b: true, n: null }))
      .toEqual({ best: 'Infinity', lrs: [0.1, '-0'], s: 'x', b: true, n: null });
    expect(encodeJson([1, () => 1])).toBeUndefined();
    expect(encodeJson(Float32Array.from([NaN]))).toEqual(['NaN']);
    expect(decodeJsonNumbers(['NaN', ['-0', 2], 'text'])).toEqual([NaN, [-0, 2], 'text']);
  });
});
