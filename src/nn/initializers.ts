/**
 * Seeded weight initialization for the layers. 'torch' (the default) is what torch's layers do in
 * reset_parameters(): weight and bias U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5); the
 * named schemes are the library MLP's: He N(0, 2/fan_in), Xavier (Glorot) N(0, 2/(fan_in + fan_out)),
 * LeCun N(0, 1/fan_in), each with a zero bias. Every draw comes from the library's Prng.
 */
import type { Param } from '../tensor.js';
import type { Prng } from '../util/prng.js';
import type { EnumRule } from '../util/options.js';

/** How a layer's weight starts: torch's default, or He / Xavier / LeCun normal with zero bias. */
export type WeightInit = 'torch' | 'he' | 'xavier' | 'lecun';

/**
 * Every weight initialization a layer takes (`init` option).
 * @example
 * new Dense(4, 2, { init: WEIGHT_INITS[1], seed: 0 }).bias!.toArray(); // → [0, 0]
 */
export const WEIGHT_INITS: readonly WeightInit[] = ['torch', 'he', 'xavier', 'lecun'];
/** The option rule of `init` (internal). */
export const INIT_RULE: EnumRule = { kind: 'enum', values: WEIGHT_INITS };

/**
 * Fills `weight` (and `bias`) from `rng` by the scheme. `fanIn` and `fanOut` follow torch's
 * `_calculate_fan_in_and_fan_out`: a Linear's in/out features, a Conv2d's channels × kernel area.
 */
export function initWeights(rng: Prng, scheme: WeightInit, weight: Param, bias: Param | null, fanIn: number, fanOut: number): void {
  const w = weight.data;
  if (scheme === 'torch') {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    for (let i = 0; i < w.length; i++) w[i] = (rng.nextFloat() * 2 - 1) * bound;
    if (bias) {
      const b = bias.data;
      for (let i = 0; i < b.length; i++) b[i] = (rng.nextFloat() * 2 - 1) * bound;
    }
    return;
  }
  const variance = scheme === 'he' ? 2 / fanIn : scheme === 'xavier' ? 2 / (fanIn + fanOut) : 1 / fanIn;
  const std = Number.isFinite(variance) ? Math.sqrt(variance) : 0;
  for (let i = 0; i < w.length; i++) w[i] = std * rng.nextNormal();
  bias?.data.fill(0);
}
