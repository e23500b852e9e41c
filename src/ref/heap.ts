/**
 * Typed views over the js backend's linear memory, rebuilt when the memory grows. References in
 * src/ref/ take a Heap and byte pointers, so they read exactly like the AssemblyScript kernels.
 */
export class Heap {
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  private buffer: ArrayBuffer | null = null;

  constructor(private readonly source: { readonly buffer: ArrayBuffer }) {
    this.refresh();
  }

  /** Rebuilds the views if the memory's buffer changed (growth). Cheap when it did not. */
  refresh(): this {
    const b = this.source.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.f32 = new Float32Array(b);
      this.f64 = new Float64Array(b, 0, b.byteLength >>> 3);
      this.i32 = new Int32Array(b);
      this.u8 = new Uint8Array(b);
    }
    return this;
  }
}
