/**
 * A block of f32 values in an arena, seen through a zero-copy Float32Array that is rebuilt when the
 * memory grows (a grown Wasm memory detaches every earlier view). Never cache `.view` across an
 * allocation: read it again, it is cheap.
 */
import type { Arena } from './arena.js';

export class F32Buffer {
  private _ptr: number;
  private _view: Float32Array | null = null;
  private _gen = -1;

  constructor(readonly arena: Arena, readonly length: number, what = 'buffer') {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`${what} size must be a whole number >= 0, got ${length}`);
    }
    this._ptr = arena.alloc(length * 4);
  }

  /** The byte address in linear memory, or -1 once freed. */
  get ptr(): number {
    return this._ptr;
  }

  get freed(): boolean {
    return this._ptr < 0;
  }

  /** The zero-copy view: writes to it are what the next kernel reads. */
  get view(): Float32Array {
    const a = this.arena;
    if (this._gen !== a.generation || this._view === null || this._view.buffer !== a.buffer) {
      if (this._ptr < 0) throw new Error('descent: this buffer was freed');
      this._view = new Float32Array(a.buffer, this._ptr, this.length);
      this._gen = a.generation;
    }
    return this._view;
  }

  /** Returns the block to the arena. Idempotent. */
  free(): void {
    if (this._ptr >= 0) {
      this.arena.free(this._ptr);
      this._ptr = -1;
      this._view = null;
    }
  }
}
