/** src/io/safetensors.ts against files built by hand from the format's description, on every backend. */
import { describe, expect, it } from 'vitest';
import {
  Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential, loadSafetensors, memoryStats, param, readSafetensors, saveSafetensors,
} from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

/**
 * A safetensors file written without the library: u64 LE header length, the JSON header padded with
 * spaces to 8 bytes, then each tensor's little-endian bytes at its data_offsets.
 */
function handBuilt(header: Record<string, unknown>, data: number[], { pad = true, dtypeBytes = 4 } = {}): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) while (json.length % 8 !== 0) json += ' ';
  const body = new Uint8Array(data.length * dtypeBytes);
  const dv = new DataView(body.buffer);
  data.forEach((v, i) => (dtypeBytes === 4 ? dv.setFloat32(4 * i, v, true) : dv.setFloat64(8 * i, v, true)));
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setUint32(0, json.length, true); // high 32 bits stay 0
  for (let i = 0; i < json.length; i++) out[8 + i] = json.charCodeAt(i);
  out.set(body, 8 + json.length);
  return out;
}

const snapshot = (ps: { data: Float32Array }[]) => ps.map((p) => Array.from(p.data));
const mlp = (seed: number) => new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { seed });

describe.each(BACKENDS)('safetensors on %s', (backend) => {
  it('writes exactly the bytes the format describes: header length, padded JSON, LE float32 sorted by name', async () => {
    await useBackend(backend);
    const b = param([1.5, -2], { shape: [2] }), a = param([0.25, 3, 4, 5, 6, 7], { shape: [2, 3] });
    const bytes = saveSafetensors({ b, a }, { metadata: { format: 'pt' } });
    const expected = handBuilt({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      b: { dtype: 'F32', shape: [2], data_offsets: [24, 32] },
    }, [0.25, 3, 4, 5, 6, 7, 1.5, -2]);
    expect(Array.from(bytes)).toEqual(Array.from(expected));
    expect((bytes.length - 8 - 32) % 8).toBe(0);
    a.dispose(); b.dispose();
  });

  it('reads a hand-built file (F32 and F64, unpadded header, metadata) and loads it by name', async () => {
    await useBackend(backend);
    const file = handBuilt({ w: { dtype: 'F64', shape: [3], data_offsets: [0, 24] }, __metadata__: { note: 'hi' } }, [1, -0.5, 1e-3], { pad: false, dtypeBytes: 8 });
    const r = readSafetensors(file);
    expect(r.metadata).toEqual({ note: 'hi' });
    expect(r.tensors.w.shape).toEqual([3]);
    expect(Array.from(r.tensors.w.data)).toEqual(Array.from(Float32Array.from([1, -0.5, 1e-3])));
    const w = param([0, 0, 0], { shape: [3] });
    expect(loadSafetensors(file, { w })).toEqual(['w']);
    expect(Array.from(w.data)).toEqual(Array.from(Float32Array.from([1, -0.5, 1e-3])));
    // BF16 1.0 = 0x3f80, F16 -2.0 = 0xc000
    const half = handBuilt({ h: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] }, f: { dtype: 'F16', shape: [1], data_offsets: [2, 4] } }, []);
    const withHalf = new Uint8Array(half.length + 4);
    withHalf.set(half);
    withHalf.set([0x80, 0x3f, 0x00, 0xc0], half.length);
    const rh = readSafetensors(withHalf);
    expect(rh.tensors.h.data[0]).toBe(1);
    expect(rh.tensors.f.data[0]).toBe(-2);
    w.dispose();
  });

  it('a Sequential saves under torch state_dict names and [out, in] weights, and round-trips bit for bit', async () => {
    await useBackend(backend);
    const net = new Sequential([new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(2 * 3 * 3, 3)], { inputShape: [1, 8, 8], seed: 1 });
    const r = readSafetensors(saveSafetensors(net));
    expect(Object.fromEntries(Object.entries(r.tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      '0.bias': [2], '0.weight': [2, 1, 3, 3], '4.bias': [3], '4.weight': [3, 18],
    });
    const dense = net.layers[4] as Dense;
    expect(Array.from(r.tensors['4.weight'].data)).toEqual(Array.from(dense.weight.data));
    const other = new Sequential([new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(2 * 3 * 3, 3)], { inputShape: [1, 8, 8], seed: 2 });
    expect(snapshot(other.parameters())).not.toEqual(snapshot(net.parameters()));
    loadSafetensors(saveSafetensors(net), other);
    expect(snapshot(other.parameters())).toEqual(snapshot(net.parameters()));
    const x = { data: Float32Array.from({ length: 128 }, (_, i) => Math.cos(i)), shape: [2, 64] as [number, number] };
    expect(Array.from(other.predictProba(x))).toEqual(Array.from(net.predictProba(x)));
    net.dispose(); other.dispose();
  });

  it('a bad file or a mismatched model is refused with a clear error, and nothing changes', async () => {
    await useBackend(backend);
    const net = mlp(3), src = mlp(4), wide = new Sequential([new Dense(3, 5), new ReLU(), new Dense(5, 2)], { seed: 0 });
    const good = saveSafetensors(src);
    const before = snapshot(net.parameters());
    const base = memoryStats().bytesInUse;
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 5), /shorter than the 8-byte header length/],
      [good.subarray(0, good.length - 4), /truncated|cover/],
      [handBuilt({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, [0, 0]), /dtype 'I64'/],
      [handBuilt({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [1]), /needs 8 bytes/],
      [handBuilt({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [1, 2]), /contiguous/],
      [handBuilt({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [1]), /shape/],
      [(() => { const f = good.slice(); f[8] = 0x5b; return f; })(), /start with '\{'|not UTF-8 JSON/],
      [(() => { const f = good.slice(); new DataView(f.buffer).setUint32(4, 1, true); return f; })(), /header length/],
    ];
    for (const [bytes, msg] of cases) expect(() => loadSafetensors(bytes, net)).toThrow(msg);
    expect(() => loadSafetensors(saveSafetensors({ '0.weight': net.parameters()[0] }), net)).toThrow(/missing: 0\.bias, 2\.weight, 2\.bias/);
    expect(() => loadSafetensors(saveSafetensors(wide), net)).toThrow(/'0\.weight' has shape \[5, 3\] but the parameter is \[4, 3\]/);
    const nan = handBuilt({ '0.weight': { dtype: 'F32', shape: [4, 3], data_offsets: [0, 48] } }, [NaN, ...Array(11).fill(0)]);
    expect(() => loadSafetensors(nan, net, { strict: false })).toThrow(/NaN at index 0/);
    expect(() => loadSafetensors(good, net, { strick: true } as never)).toThrow(/strick/);
    expect(() => loadSafetensors([1, 2] as never, net)).toThrow(TypeError);
    expect(() => saveSafetensors({ a: [1] } as never)).toThrow(/not a Param/);
    expect(() => saveSafetensors(net, { metadata: { n: 1 } } as never)).toThrow(/metadata\['n'\]/);
    expect(snapshot(net.parameters())).toEqual(before);
    expect(memoryStats().bytesInUse).toBe(base);
    // strict: false loads the names both have and leaves the others
    const partial = saveSafetensors({ '2.bias': src.parameters()[3] });
    expect(loadSafetensors(partial, net, { strict: false })).toEqual(['2.bias']);
    expect(Array.from(net.parameters()[3].data)).toEqual(Array.from(src.parameters()[3].data));
    expect(Array.from(net.parameters()[0].data)).toEqual(before[0]);
    for (const m of [net, src, wide]) m.dispose();
  });
});
