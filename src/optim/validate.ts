/**
 * Option rules shared by the optimizers: each option has a rule, checked when the optimizer is built
 * and again at every step (a scheduler or the user may have changed a group since). Every message
 * names the optimizer, the option (with its group when it has one), the value and the fix. The
 * rule machinery is the library's one option checker (src/util/options.ts); this file holds the
 * rules the optimizers share.
 */
import { describe } from '../util/describe.js';
import { checkNumber, checkValue, type BooleanRule, type NumberRule, type PairRule, type Rule, type Rules, type StringRule } from '../util/options.js';

export type { BooleanRule, NumberRule, PairRule, Rule, Rules, StringRule };
export { checkNumber };

/** @deprecated use `describe` from src/util/describe.ts. */
export const show = describe;

/** Checks one option value against its rule (an option always has a value: undefined is refused); returns the value to store. */
export function checkOption(cls: string, where: string, v: unknown, rule: Rule): unknown {
  return checkValue(cls, where, v, rule, true);
}

// Rules used by several optimizers.
/** A number >= 0 option, `fix` the sentence its error ends with. */
export const NON_NEGATIVE = (fix: string): NumberRule => ({ kind: 'number', min: 0, fix });
export const LR = (example: string): NumberRule => NON_NEGATIVE(`Pass a learning rate >= 0 such as ${example}.`);
export const EPS = (example: string): NumberRule => ({ kind: 'number', min: 0, minOpen: true, fix: `Pass a small positive eps such as ${example}.` });
export const WEIGHT_DECAY: NumberRule = NON_NEGATIVE('Pass weightDecay >= 0 (0 turns it off).');
export const MOMENTUM: NumberRule = NON_NEGATIVE('Pass momentum >= 0 such as 0.9 (0 turns it off).');
export const BOOL: BooleanRule = { kind: 'boolean' };
const BETA: NumberRule = { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Each beta must be in [0, 1), e.g. betas: [0.9, 0.999].' };
export const BETAS: PairRule = { kind: 'pair', items: [BETA, BETA], fix: 'Pass betas such as [0.9, 0.999], each in [0, 1).' };

/**
 * The rule an option gets from its default when a (user's) optimizer gives none: lr a learning rate
 * >= 0, other numbers any finite number, booleans, pairs of finite numbers, strings; null otherwise.
 */
export function inferRule(key: string, v: unknown): Rule | null {
  const ANY: NumberRule = { kind: 'number', fix: `Pass ${key} as a finite number.` };
  if (typeof v === 'number') return key === 'lr' ? LR('1e-3') : ANY;
  if (typeof v === 'boolean') return BOOL;
  if (typeof v === 'string') return { kind: 'string' };
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) {
    return { kind: 'pair', items: [ANY, ANY], fix: `Pass ${key} as two finite numbers, e.g. ${JSON.stringify(v)}.` };
  }
  return null;
}
