/**
 * What the optimizer references share. Each reference takes the kernel's arguments (byte pointers
 * into `h`) plus an optional rounding function: Math.fround (the default) reproduces the Wasm float32
 * arithmetic bit for bit, rounding after every operation exactly where the kernel rounds; the
 * identity over a Float64Array heap gives the same rule in float64 (used by the float64 conformance
 * cases, see src/optim/engine.ts).
 */

/** A heap as the references read it: `f32` is the element array that byte pointers >>> 2 index. */
export interface OptimHeap {
  readonly f32: Float32Array | Float64Array;
}

/** Rounds one operation's result to the element type (Math.fround for f32, identity for f64). */
export type Round = (x: number) => number;

export const fround: Round = Math.fround;
