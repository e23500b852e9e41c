/**
 * What the arena needs of a memory: a buffer and grow(). A WebAssembly.Memory is one; BufferMemory
 * is the js backend's stand-in, which also works where WebAssembly does not exist. Like a Wasm
 * memory, it detaches its old buffer when it grows, so a stale view fails the same way on every
 * backend (reads as empty) instead of silently writing to a copy.
 */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  /** Grows by `deltaPages` pages of 64 KiB; returns the old size in pages. */
  grow(deltaPages: number): number;
}

export const PAGE_BYTES = 65536;

export class BufferMemory implements LinearMemory {
  private buf: ArrayBuffer;

  constructor(initialPages: number, private readonly maximumPages: number) {
    this.buf = new ArrayBuffer(initialPages * PAGE_BYTES);
  }

  get buffer(): ArrayBuffer {
    return this.buf;
  }

  grow(deltaPages: number): number {
    const old = this.buf;
    const oldPages = old.byteLength / PAGE_BYTES;
    if (oldPages + deltaPages > this.maximumPages) throw new RangeError('BufferMemory.grow(): past the maximum');
    const bytes = (oldPages + deltaPages) * PAGE_BYTES;
    const transfer = (old as any).transfer as ((n: number) => ArrayBuffer) | undefined;
    if (typeof transfer === 'function') {
      this.buf = transfer.call(old, bytes);
    } else {
      const next = new ArrayBuffer(bytes);
      new Uint8Array(next).set(new Uint8Array(old));
      this.buf = next;
      detach(old);
    }
    return oldPages;
  }
}

function detach(b: ArrayBuffer): void {
  try {
    if (typeof structuredClone === 'function') structuredClone(b, { transfer: [b] });
  } catch {
    // A runtime without transferable ArrayBuffers keeps the stale buffer; views still rebuild
    // because they compare buffer identity, not only byteLength.
  }
}
