/**
 * Module: the base of every layer and model written in descent's ops (torch's `nn.Module`).
 * Parameters and submodules are found in the object's own fields, in the order they were assigned
 * (a `Param`, a `Module`, or an array of them, named `field.i`), so a class declares them simply by
 * holding them; `parameters()`, `train()`/`eval()`, `resetParameters(seed)` and `dispose()` then
 * walk the tree.
 */
import { Param, type Tensor } from '../tensor.js';
import { Prng } from '../util/prng.js';
import { SEED, checkValue } from '../util/options.js';

/**
 * A piece of a network: parameters, submodules and a `forward` written in ops. Subclass it for a
 * layer or a block; subclass {@link Model} (a Module with a loss) for something `fit()` trains.
 *
 * What the base class finds by itself: every own field holding a `Param` (a parameter), a `Module`
 * (a child) or an array of them (`blocks.0`, `blocks.1`, ...), in the order the fields were
 * assigned, each counted once if shared. Names are torch's: `fc1.weight`, `layers.0.bias`.
 * Reference: PyTorch `torch.nn.Module` (named_parameters, train/eval, children).
 * @example
 * await init();
 * class Affine extends Module {
 *   scale = param([2]);
 *   shift = param([1]);
 *   forward(x: Tensor): Tensor { return ops.add(ops.mul(x, this.scale), this.shift); }
 * }
 * const m = new Affine();
 * m.namedParameters().map(([name]) => name); // → ['scale', 'shift']
 * m.forward(ops.tensor([1, 2])).toArray(); // → [3, 5]
 */
export abstract class Module {
  /** Training mode (the default): dropout is on. `eval()` turns it off, `train()` back on. */
  training = true;

  /** The computation, written in ops: called inside `valueAndGrad` steps (recorded, replayed) or eagerly. */
  abstract forward(x: Tensor): Tensor;

  /**
   * The direct submodules with their names: fields holding a Module, and arrays of them (named
   * `field.i`), in field order. Containers such as Sequential name their children `0`, `1`, ...
   */
  children(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([key, v]);
      else if (Array.isArray(v)) v.forEach((m, i) => { if (m instanceof Module) out.push([`${key}.${i}`, m]); });
    }
    return out;
  }

  /** This module's own parameters (fields holding a Param, and arrays of them), not its children's. */
  protected ownParameters(): [string, Param][] {
    const out: [string, Param][] = [];
    for (const [key, v] of Object.entries(this)) {
      if (v instanceof Param) out.push([key, v]);
      else if (Array.isArray(v)) v.forEach((p, i) => { if (p instanceof Param) out.push([`${key}.${i}`, p]); });
    }
    return out;
  }

  /**
   * Every parameter of this module and its submodules with its dotted name (`0.weight`,
   * `encoder.fc.bias`), own parameters first, then each child's in order; a shared parameter once.
   */
  namedParameters(): [string, Param][] {
    const out: [string, Param][] = [];
    const seen = new Set<Param>();
    const visiting = new Set<Module>();
    const walk = (m: Module, prefix: string): void => {
      if (visiting.has(m)) return; // a module reachable twice (shared, or a back reference) counts once
      visiting.add(m);
      for (const [name, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix + name, p]);
      }
      for (const [name, c] of m.children()) walk(c, `${prefix}${name}.`);
    };
    walk(this, '');
    return out;
  }

  /** The parameters, in `namedParameters()` order. */
  parameters(): Param[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** This module and every submodule, depth-first in field order, each once. */
  modules(): Module[] {
    const out: Module[] = [];
    const seen = new Set<Module>();
    const walk = (m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push(m);
      for (const [, c] of m.children()) walk(c);
    };
    walk(this);
    return out;
  }

  /** Sets training mode on this module and every submodule (torch's `train(mode)`); returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train(mode): mode must be true or false, got ${String(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Inference mode: dropout off (torch's `eval()`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Initializes every layer's parameters again (and every Dropout's mask seed) from one seeded
   * stream, layer by layer in `modules()` order: the same seed gives the same weights.
   * @param seed a whole number (default 0).
   */
  resetParameters(seed = 0): this {
    checkValue(`${this.constructor.name}.resetParameters`, 'seed', seed, SEED);
    const rng = new Prng(seed);
    for (const m of this.modules()) m.initialize(rng);
    return this;
  }

  /** Draws this module's own parameters (and seeds) from `rng`; layers with parameters override it. */
  protected initialize(_rng: Prng): void {}

  /** Frees every parameter of the module and its submodules; using them afterwards throws. Idempotent. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}

/** `initialize` for code in this folder that holds a Module (Sequential seeds its layers through it). */
export function initializeModule(m: Module, rng: Prng): void {
  (m as unknown as { initialize(r: Prng): void }).initialize(rng);
}
