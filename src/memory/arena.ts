/**
 * The arena: the one owner of a backend's linear memory. Hands out 16-byte aligned blocks (first
 * fit over an address-ordered free list, coalescing on free, a bump pointer above), grows the
 * memory on demand up to a fixed limit, and reports what it holds. Block sizes are rounded up to
 * 16 bytes, so SIMD kernels may assume alignment.
 */
import { PAGE_BYTES, type LinearMemory } from './linear-memory.js';

export interface MemoryStats {
  /** Bytes held by live blocks (each rounded up to 16). */
  bytesInUse: number;
  /** Bytes of linear memory reserved from the runtime (the memory's current size). */
  bytesReserved: number;
  /** Number of live blocks. */
  blocks: number;
}

export class Arena {
  private top: number;
  private readonly live = new Map<number, number>();
  private freeList: Array<[ptr: number, size: number]> = [];
  private inUse = 0;
  /** Incremented on every growth, so views can tell cheaply whether to rebuild. */
  generation = 0;
  private buf: ArrayBuffer;
  /**
   * Zeroes `bytes` at `ptr` (both multiples of 16) with a kernel, when the backend has one: a
   * TypedArray fill over a shared memory (threads) stores byte by byte, about 25x slower than the
   * kernel's stores (0.29 ms against 0.01 for fit's 368 KB copy of the digits rows). Without it, fill.
   */
  zeroFill: ((ptr: number, bytes: number) => void) | null = null;

  constructor(
    readonly memory: LinearMemory,
    readonly base: number,
    /** The most linear memory this arena may reach, in bytes. */
    readonly maxBytes: number,
  ) {
    this.top = align16(base);
    // what lies below the arena (the threads' GEMM scratch, a pool's control block) must exist
    this.ensure(this.top, 0);
    this.buf = memory.buffer;
  }

  /**
   * The memory's current buffer. Reading `WebAssembly.Memory#buffer` is a call into the runtime
   * (about 0.1 µs); a training step compares buffers several times, so the arena keeps it and reads
   * it again after growing, or when the kept one was detached (a growth by anyone else).
   */
  get buffer(): ArrayBuffer {
    const b = this.buf;
    if (b.byteLength !== 0) return b;
    return (this.buf = this.memory.buffer);
  }

  /** Allocates `bytes` (rounded up to 16, at least 16) of zeroed memory and returns a 16-byte aligned pointer. */
  alloc(bytes: number): number {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`alloc(bytes): bytes must be a finite number >= 0, got ${bytes}`);
    const size = Math.max(16, align16(bytes));
    for (let i = 0; i < this.freeList.length; i++) {
      const [p, s] = this.freeList[i];
      if (s >= size) {
        if (s === size) this.freeList.splice(i, 1);
        else this.freeList[i] = [p + size, s - size];
        return this.take(p, size);
      }
    }
    const p = this.top;
    this.ensure(p + size, bytes);
    this.top = p + size;
    return this.take(p, size);
  }

  /** Frees a block from alloc(). Freeing an unknown pointer throws; the arena is unchanged. */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new RangeError(`free(ptr): ${ptr} is not a live block of this arena`);
    this.live.delete(ptr);
    this.inUse -= size;
    if (ptr + size === this.top) {
      this.top = ptr;
      // Give back any free block now touching the top.
      const last = this.freeList[this.freeList.length - 1];
      if (last && last[0] + last[1] === this.top) {
        this.top = last[0];
        this.freeList.pop();
      }
      return;
    }
    let i = 0;
    while (i < this.freeList.length && this.freeList[i][0] < ptr) i++;
    this.freeList.splice(i, 0, [ptr, size]);
    const next = this.freeList[i + 1];
    if (next && ptr + size === next[0]) {
      this.freeList[i] = [ptr, size + next[1]];
      this.freeList.splice(i + 1, 1);
    }
    const prev = this.freeList[i - 1];
    if (prev && prev[0] + prev[1] === this.freeList[i][0]) {
      this.freeList[i - 1] = [prev[0], prev[1] + this.freeList[i][1]];
      this.freeList.splice(i, 1);
    }
  }

  /** Size in bytes of a live block, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** Makes sure `bytes` more can be allocated without growing later (models and optimizers reserve up front). */
  reserve(bytes: number): void {
    this.ensure(this.top + align16(bytes), bytes);
  }

  stats(): MemoryStats {
    return { bytesInUse: this.inUse, bytesReserved: this.memory.buffer.byteLength, blocks: this.live.size };
  }

  private take(p: number, size: number): number {
    // Freed space is dirty (including space below a lowered top): every block starts zeroed.
    if (this.zeroFill !== null) this.zeroFill(p, size);
    else new Uint8Array(this.buffer, p, size).fill(0);
    this.live.set(p, size);
    this.inUse += size;
    return p;
  }

  private ensure(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > this.maxBytes) {
      throw new RangeError(
        `descent: cannot allocate ${requested} bytes: memory would reach ${mib(end)} MiB, past the limit of ` +
          `${mib(this.maxBytes)} MiB (maxMemoryMB). Dispose parameters you no longer need, or call ` +
          `init({ maxMemoryMB }) with a larger limit.`,
      );
    }
    const havePages = have / PAGE_BYTES;
    const needPages = Math.ceil(end / PAGE_BYTES);
    const maxPages = Math.floor(this.maxBytes / PAGE_BYTES);
    // Grow geometrically so that many small allocations do not grow (and detach views) each time.
    const target = Math.min(maxPages, Math.max(needPages, havePages * 2));
    try {
      this.memory.grow(target - havePages);
    } catch {
      try {
        this.memory.grow(needPages - havePages);
      } catch (e) {
        throw new RangeError(
          `descent: the runtime refused to grow memory to ${mib(needPages * PAGE_BYTES)} MiB for ${requested} bytes ` +
            `(${(e as Error).message}). Dispose parameters you no longer need, or use smaller models.`,
        );
      }
    }
    this.buf = this.memory.buffer;
    this.generation++;
  }
}

export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 2);
}
