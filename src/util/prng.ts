import { describe } from './describe.js';

/**
 * The library's one source of randomness: xoshiro128** (Blackman & Vigna, 2018) seeded through
 * splitmix32. Everything random in descent (initialization, shuffling, sampling, splits) draws from
 * a `Prng` built from a user seed, never from Math.random, so the same seed gives the same result.
 * The state is four uint32 words; `getState()` / `setState()` round-trip it through JSON
 * (checkpoints).
 *
 * @example
 * const rng = new Prng(42);
 * rng.nextFloat(); // in [0, 1)
 * rng.shuffle([1, 2, 3, 4]);
 */
export class Prng {
  /**
   * The four state words as int32 bits (getState() gives them as uint32): in an Int32Array the
   * engine keeps them unboxed, where four number fields holding values >= 2^31 are stored as heap
   * numbers (a draw cost 3x more; a shuffle of fit's row order is one draw per row).
   */
  private readonly s = new Int32Array(4);

  /** @param seed a whole number (default 0); any magnitude, folded to 32 bits. */
  constructor(seed: number = 0) {
    if (typeof seed !== 'number') throw new TypeError(`Prng: seed must be a whole number, got ${describe(seed)}; pass an integer such as 42`);
    if (!Number.isInteger(seed)) {
      throw new RangeError(`Prng: seed must be a whole number, got ${describe(seed)}; pass an integer such as 42 (a fraction would be truncated silently)`);
    }
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const st = this.s;
    st[0] = next();
    st[1] = next();
    st[2] = next();
    st[3] = next();
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
  }

  /** A uniform uint32. */
  nextU32(): number {
    const st = this.s;
    const s0 = st[0], s1 = st[1], s2 = st[2] ^ s0, s3 = st[3] ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    st[1] = s1 ^ s2;
    st[0] = s0 ^ s3;
    st[2] = s2 ^ (s1 << 9);
    st[3] = rotl(s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number {
    if (typeof n !== 'number') throw new TypeError(`Prng.nextInt(n): n must be a whole number in [1, 2^32], got ${describe(n)}`);
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Prng.nextInt(n): n must be a whole number in [1, 2^32], got ${describe(n)}`);
    }
    return this.below(n);
  }

  /**
   * nextInt(n) for a checked n: a uint32 draw, redrawn while >= the largest multiple of n up to
   * 2^32 (no modulo bias), reduced mod n. Below 2^21 the remainders come from a float division,
   * whose rounding error (< 2^-21) cannot cross a whole number: exact, and without the float
   * modulo `%` costs on values above 2^31.
   */
  private below(n: number): number {
    if (n >= 2097152) {
      const limit = 4294967296 - (4294967296 % n);
      let r = this.nextU32();
      while (r >= limit) r = this.nextU32();
      return r % n;
    }
    const limit = Math.floor(4294967296 / n) * n;
    let r = this.nextU32();
    while (r >= limit) r = this.nextU32();
    return r - Math.floor(r / n) * n;
  }

  /** A standard normal draw (Box–Muller, one value per two uniforms; no hidden cached state). */
  nextNormal(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: any }>(a: T): T {
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
      throw new TypeError(`Prng.shuffle(a): a must be an array or typed array, got ${describe(a)}`);
    }
    if (a.length > 4294967296) throw new RangeError(`Prng.shuffle(a): a has ${a.length} elements, more than 2^32`);
    const st = this.s;
    for (let i = a.length - 1; i > 0; i--) {
      const n = i + 1;
      let j: number;
      if (n < 2097152) {
        // below(n) and its draws (nextU32) written out: the same draws, but the whole loop in one
        // function, which V8 optimizes sooner. With two calls per element, the first shuffles of a
        // process ran unoptimized: fit's ten shuffles of 1437 rows took 10.6 ms of a first fit's
        // 82 (0.4 ms in the second fit); written out, 2.8 ms.
        const limit = Math.floor(4294967296 / n) * n;
        let r: number;
        do {
          const s0 = st[0], s1 = st[1], s2 = st[2] ^ s0, s3 = st[3] ^ s1;
          r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
          st[1] = s1 ^ s2;
          st[0] = s0 ^ s3;
          st[2] = s2 ^ (s1 << 9);
          st[3] = rotl(s3, 11);
        } while (r >= limit);
        j = r - Math.floor(r / n) * n;
      } else {
        j = this.below(n);
      }
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    if (typeof n !== 'number') throw new TypeError(`Prng.permutation(n): n must be a whole number >= 0, got ${describe(n)}`);
    if (!Number.isInteger(n) || n < 0 || n > 4294967296) throw new RangeError(`Prng.permutation(n): n must be a whole number >= 0, got ${describe(n)}`);
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** The four state words, for checkpoints. */
  getState(): [number, number, number, number] {
    const st = this.s;
    return [st[0] >>> 0, st[1] >>> 0, st[2] >>> 0, st[3] >>> 0];
  }

  /** Restores a state from `getState()`. */
  setState(state: readonly number[]): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new TypeError(`Prng state must be four uint32 words from getState(), got ${describe(state)}`);
    }
    if ((state[0] | state[1] | state[2] | state[3]) === 0) {
      throw new RangeError('Prng state must not be all zeros; use a state returned by getState()');
    }
    this.s.set(state);
  }

  /** An independent copy with the same state. */
  clone(): Prng {
    const p = new Prng(0);
    p.setState(this.getState());
    return p;
  }
}

/** 32-bit rotate left, as int32 bits. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
