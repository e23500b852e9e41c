// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") in one pass. p, g and m
// (exp_avg) hold n f32 each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per
// iteration (two v128), then 4, then a scalar tail; nothing at or past n.

import { LION_DECOUPLED as DECOUPLED } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, ema, loop8 } from "./common";

/**
 * d = maximize ? -g : g;  [decoupled: p = decay·p];  c = β₁m + (1−β₁)d;
 * p += c > 0 ? negLr : c < 0 ? −negLr : 0;  m = β₂m + (1−β₂)d.
 */
export function f32_lion_step(
  p: usize, g: usize, m: usize, n: i32,
  negLr: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, decay: f32, flags: i32,
): void {
  const s = signMask(flags);
  const op = changetype<Lion>(0);
  if (flags & DECOUPLED) loop8(op, p, g, m, 0, 0, n, s, 0, false, negLr, -negLr, beta1, omBeta1, beta2, omBeta2, decay, true, false, false);
  else loop8(op, p, g, m, 0, 0, n, s, 0, false, negLr, -negLr, beta1, omBeta1, beta2, omBeta2, decay, false, false, false);
}

/** One element (or four): [DEC: x = decay·x]; p = x + sign(β₁m + (1−β₁)d)·lr; m = β₂m + (1−β₂)d. */
@final @unmanaged class Lion {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, m: usize, _b3: usize, _b4: usize, x: T, d: T, up: T, down: T, b1: T, c1: T, b2: T, c2: T, dk: T, DEC: bool, _f2: bool, _f3: bool): void {
    if (DEC) x = lane.mul(x, dk);
    const mm = load<T>(m);
    store<T>(p, lane.add(x, lionSign(ema(mm, b1, d, c1), up, down)));
    store<T>(m, ema(mm, b2, d, c2));
  }
}

/**
 * up where c > 0, down (= −up) where c < 0, else 0. The scalar form negates up in its own branch:
 * with −up passed in, Binaryen turns the branch into two selects, 17% slower in V8 here.
 */
// @ts-ignore: decorator
@inline function lionSign<T>(c: T, up: T, down: T): T {
  // @ts-ignore: the branch not taken for T is never compiled
  if (isVector<T>()) return lane.pick0(c, up, down); else return c > 0 ? up : c < 0 ? -up : 0;
}
