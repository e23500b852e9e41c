/**
 * Where the autodiff engine allocates and which kernels it calls: the running backend (its arena and
 * `backend.k`), or the float64 device (the references in float64 over a growable Float64Array, with
 * pointers that index it with `ptr >>> 2`, like src/optim/engine.ts) that tests use for gradcheck.
 */
import type { Backend } from '../backend/index.js';
import { getBackend } from '../init.js';
import { F32Buffer } from '../memory/f32-buffer.js';
import { createCoreKernels64, type CoreKernels } from '../ref/tensor/f64-core.js';
import { refTensorKernels } from '../ref/bindings.gen.js';
import { F64 } from '../ref/tensor/mathf.js';
import type { TensorStorage } from '../tensor.js';
import type { TensorKernels } from '../wasm/abi.gen.js';

export type DeviceKernels = TensorKernels & CoreKernels;

export interface Device {
  /** The backend's name, or 'float64'. */
  readonly name: string;
  readonly float64: boolean;
  readonly k: DeviceKernels;
  /** A zeroed block of `bytes` (16-byte aligned); throws RangeError past the memory limit. */
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** The element view that pointers index with `ptr >>> 2` (rebuilt after growth). */
  f32(): Float32Array | Float64Array;
  i32(): Int32Array;
  /** An owned block of n floats, freed by its free(). */
  storage(n: number, what: string): TensorStorage;
  /** The backend this device computes on (the float64 device reports the running one). */
  readonly backend: Backend | null;
}

const devices = new WeakMap<Backend, Device>();

/** The device over a backend (one per backend). */
export function deviceOf(b: Backend): Device {
  let d = devices.get(b);
  if (!d) {
    d = backendDevice(b);
    devices.set(b, d);
  }
  return d;
}

function backendDevice(b: Backend): Device {
  let buf: ArrayBuffer | null = null, f32 = new Float32Array(0), i32 = new Int32Array(0);
  const refresh = () => {
    const mb = b.arena.buffer;
    if (mb !== buf) {
      buf = mb;
      f32 = new Float32Array(mb);
      i32 = new Int32Array(mb);
    }
  };
  return {
    name: b.name,
    float64: false,
    k: b.k as unknown as DeviceKernels,
    backend: b,
    alloc: (bytes) => b.arena.alloc(bytes),
    free: (p) => b.arena.free(p),
    f32() {
      refresh();
      return f32;
    },
    i32() {
      refresh();
      return i32;
    },
    storage: (n, what) => new F32Buffer(b.arena, n, what),
  };
}

let override: Device | null = null;

/** The device ops run on now: the float64 device inside withDevice(), else the running backend. */
export function currentDevice(): Device {
  return override ?? deviceOf(getBackend());
}

/** Runs `fn` with ops on `device` (internal: the float64 gradcheck path). */
export function withDevice<T>(device: Device, fn: () => T): T {
  const prev = override;
  override = device;
  try {
    return fn();
  } finally {
    override = prev;
  }
}

/** A growable float64 heap with a parallel int32 array, both indexed by `ptr >>> 2`. */
class F64Heap {
  f32 = new Float64Array(1024);
  i32 = new Int32Array(1024);
  private top = 4; // elements 0..3 are never handed out, so no pointer is 0
  private readonly freeBySize = new Map<number, number[]>();
  private readonly sizes = new Map<number, number>();
  inUse = 0;

  refresh(): this {
    return this;
  }

  alloc(bytes: number): number {
    const n = Math.max(4, Math.ceil(bytes / 16) * 4); // elements, a multiple of 4
    const reuse = this.freeBySize.get(n)?.pop();
    let start: number;
    if (reuse !== undefined) start = reuse;
    else {
      start = this.top;
      if (start + n > this.f32.length) {
        const cap = Math.max(2 * this.f32.length, start + n);
        const f = new Float64Array(cap), i = new Int32Array(cap);
        f.set(this.f32);
        i.set(this.i32);
        this.f32 = f;
        this.i32 = i;
      }
      this.top = start + n;
    }
    this.f32.fill(0, start, start + n);
    this.i32.fill(0, start, start + n);
    this.sizes.set(start, n);
    this.inUse += n;
    return start * 4;
  }

  free(ptr: number): void {
    const start = ptr >>> 2, n = this.sizes.get(start);
    if (n === undefined) throw new RangeError(`float64 device: free(${ptr}) is not a live block`);
    this.sizes.delete(start);
    this.inUse -= n;
    let list = this.freeBySize.get(n);
    if (!list) this.freeBySize.set(n, (list = []));
    list.push(start);
  }
}

class F64Storage implements TensorStorage {
  private p: number;
  constructor(private readonly heap: F64Heap, readonly length: number) {
    this.p = heap.alloc(length * 4);
  }
  get ptr(): number {
    return this.p;
  }
  get freed(): boolean {
    return this.p < 0;
  }
  get view(): Float32Array {
    const i = this.p >>> 2;
    return this.heap.f32.subarray(i, i + this.length) as unknown as Float32Array;
  }
  free(): void {
    if (this.p >= 0) {
      this.heap.free(this.p);
      this.p = -1;
    }
  }
}

/** A new float64 device (tests: gradcheck of every op against central differences). */
export function float64Device(): Device & { blocksInUse(): number } {
  const heap = new F64Heap();
  const k = { ...refTensorKernels(heap, F64.fr), ...createCoreKernels64(heap) };
  return {
    name: 'float64',
    float64: true,
    k,
    backend: null,
    alloc: (bytes) => heap.alloc(bytes),
    free: (p) => heap.free(p),
    f32: () => heap.f32,
    i32: () => heap.i32,
    storage: (n) => new F64Storage(heap, n),
    blocksInUse: () => heap.inUse,
  };
}
