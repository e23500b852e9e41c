/**
 * Option rules shared by the optimizers: each option has a rule, checked when the optimizer is built
 * and again at every step (a scheduler or the user may have changed a group since). Every message
 * names the optimizer, the option (with its group when it has one), the value and the fix.
 */
import { describe } from './engine.js';

export interface NumberRule {
  kind: 'number';
  /** Lower bound (inclusive unless minOpen). */
  min?: number;
  minOpen?: boolean;
  /** Upper bound (inclusive unless maxOpen). */
  max?: number;
  maxOpen?: boolean;
  /** Allow +Infinity (e.g. a step-size ceiling). */
  infinite?: boolean;
  /** How to fix it, e.g. "Pass a learning rate such as 1e-3." */
  fix: string;
}

export interface BooleanRule {
  kind: 'boolean';
}

export interface PairRule {
  kind: 'pair';
  items: [NumberRule, NumberRule];
  /** A cross-check on both values; returns the reason it fails, or null. */
  check?: (a: number, b: number) => string | null;
  fix: string;
}

export type Rule = NumberRule | BooleanRule | PairRule;
export type Rules = Readonly<Record<string, Rule>>;

export function show(v: unknown): string {
  return describe(v);
}

function rangeText(r: NumberRule): string {
  const lo = r.min === undefined ? null : `${r.minOpen ? '>' : '>='} ${r.min}`;
  const hi = r.max === undefined ? null : `${r.maxOpen ? '<' : '<='} ${r.max}`;
  if (r.min !== undefined && r.max !== undefined) return `in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
  return `a ${r.infinite ? '' : 'finite '}number ${[lo, hi].filter(Boolean).join(' and ')}`.trim();
}

export function checkNumber(cls: string, where: string, v: unknown, r: NumberRule): number {
  if (typeof v !== 'number') throw new TypeError(`${cls}: ${where} must be a number, got ${show(v)}. ${r.fix}`);
  const bad =
    Number.isNaN(v) ||
    (!Number.isFinite(v) && !(r.infinite && v === Infinity)) ||
    (r.min !== undefined && (r.minOpen ? !(v > r.min) : !(v >= r.min))) ||
    (r.max !== undefined && (r.maxOpen ? !(v < r.max) : !(v <= r.max)));
  if (bad) throw new RangeError(`${cls}: ${where} must be ${rangeText(r)}, got ${show(v)}. ${r.fix}`);
  return v;
}

/** Checks one option value against its rule; returns the value to store (pairs are copied). */
export function checkOption(cls: string, where: string, v: unknown, rule: Rule): unknown {
  switch (rule.kind) {
    case 'boolean':
      if (typeof v !== 'boolean') throw new TypeError(`${cls}: ${where} must be true or false, got ${show(v)}.`);
      return v;
    case 'number':
      return checkNumber(cls, where, v, rule);
    case 'pair': {
      if (!Array.isArray(v) || v.length !== 2) {
        throw new TypeError(`${cls}: ${where} must be an array of two numbers, got ${show(v)}. ${rule.fix}`);
      }
      const a = checkNumber(cls, `${where}[0]`, v[0], rule.items[0]);
      const b = checkNumber(cls, `${where}[1]`, v[1], rule.items[1]);
      const why = rule.check?.(a, b);
      if (why) throw new RangeError(`${cls}: ${where} ${why}, got ${show(v)}. ${rule.fix}`);
      return v;
    }
  }
}

// Rules used by several optimizers.
export const LR = (example: string): NumberRule => ({ kind: 'number', min: 0, fix: `Pass a learning rate >= 0 such as ${example}.` });
export const EPS = (example: string): NumberRule => ({ kind: 'number', min: 0, minOpen: true, fix: `Pass a small positive eps such as ${example}.` });
export const WEIGHT_DECAY: NumberRule = { kind: 'number', min: 0, fix: 'Pass weightDecay >= 0 (0 turns it off).' };
export const MOMENTUM: NumberRule = { kind: 'number', min: 0, fix: 'Pass momentum >= 0 such as 0.9 (0 turns it off).' };
export const BOOL: BooleanRule = { kind: 'boolean' };
const BETA: NumberRule = { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Each beta must be in [0, 1), e.g. betas: [0.9, 0.999].' };
export const BETAS: PairRule = { kind: 'pair', items: [BETA, BETA], fix: 'Pass betas such as [0.9, 0.999], each in [0, 1).' };
