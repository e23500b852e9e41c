/**
 * minimize's first-order methods are the library's optimizers, run on x: 'gd', 'momentum' and
 * 'nesterov' are `SGD`, 'adam' is `Adam`, 'rmsprop' is `RMSprop`, 'adagrad' is `Adagrad`, built with
 * minimize's defaults under the caller's options. No update rule lives here: each is written once,
 * as its kernel (assembly/kernels/optim/) and that kernel's reference (src/ref/optim/), and the class
 * checks the options, so minimize accepts and refuses exactly what the class does.
 *
 * Where the steps run: below `KERNEL_THRESHOLD` coordinates (or on the js backend, or before init())
 * on the float64 engine — the references with identity rounding over a Float64Array, torch's float64
 * arithmetic — and from it on, once init() has chosen a Wasm backend, on the fused float32 kernels
 * in Wasm memory (x and the state rounded to float32 once per step; f and grad still get Float64Arrays).
 */
import { backendName, isInitialized } from '../init.js';
import { param, type Param } from '../tensor.js';
import { Adagrad, Adam, RMSprop, SGD, type Optimizer } from '../optim/index.js';
import { withEngine } from '../optim/engine.js';
import { Float64Engine } from '../optim/float64-engine.js';
import { optionSnapshot, sameOptions } from '../optim/optimizer.js';

export type FirstOrderMethod = 'gd' | 'momentum' | 'nesterov' | 'adam' | 'rmsprop' | 'adagrad';

export const FIRST_ORDER_METHODS: readonly FirstOrderMethod[] = ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad'];

/** Options of the first-order methods, named as PyTorch names them (camelCase); checked by the optimizer class. */
export interface FirstOrderOptions {
  /** Learning rate. Defaults: 0.01 (gd, momentum, nesterov, rmsprop, adagrad), 0.001 (adam). */
  lr?: number;
  /** Momentum factor μ for 'momentum' / 'nesterov' (default 0.9) and 'rmsprop' (default 0). */
  momentum?: number;
  /** SGD dampening for 'momentum' (default 0; 'nesterov' needs 0, as in torch). */
  dampening?: number;
  /** Adam (β₁, β₂), default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Denominator term: 1e-8 (adam, rmsprop), 1e-10 (adagrad). */
  eps?: number;
  /** Adam's AMSGrad variant (default false). */
  amsgrad?: boolean;
  /** RMSprop smoothing constant α (default 0.99). */
  alpha?: number;
  /** Centered RMSprop (default false). */
  centered?: boolean;
  /** Adagrad learning-rate decay (default 0). */
  lrDecay?: number;
  /** Adagrad's initial accumulator value (default 0). */
  initialAccumulatorValue?: number;
}

/** The options each method passes on to its optimizer; any other first-order option belongs to another method. */
export const FIRST_ORDER_OPTIONS: Readonly<Record<FirstOrderMethod, readonly (keyof FirstOrderOptions)[]>> = {
  gd: ['lr'],
  momentum: ['lr', 'momentum', 'dampening'],
  nesterov: ['lr', 'momentum', 'dampening'],
  adam: ['lr', 'betas', 'eps', 'amsgrad'],
  rmsprop: ['lr', 'alpha', 'eps', 'centered', 'momentum'],
  adagrad: ['lr', 'lrDecay', 'eps', 'initialAccumulatorValue'],
};

/** The default learning rate of each first-order method (PyTorch's where it has one; SGD's 0.01). */
export function defaultLr(method: FirstOrderMethod): number {
  return method === 'adam' ? 1e-3 : 1e-2;
}

/**
 * From this many coordinates on, `minimize` runs the first-order methods on the fused float32
 * kernels (Wasm SIMD when the library is initialized on a Wasm backend); below it, in float64.
 */
export const KERNEL_THRESHOLD = 4096;

/** A first-order optimizer over n float64 coordinates: `step(x, g)` updates x in place. */
export interface FirstOrderStepper {
  readonly method: FirstOrderMethod;
  readonly lr: number;
  /** The number of steps taken so far. */
  readonly t: number;
  /**
   * Where to keep the iterate and its gradient: on the float64 path these are the optimizer's own
   * parameter and gradient, so `step()` on them copies nothing.
   */
  readonly x: Float64Array;
  readonly g: Float64Array;
  /** One step: x −= the method's update from g (default: the stepper's own x and g). */
  step(x?: Float64Array, g?: Float64Array): void;
  /** 'float32' on the fused kernels, else 'float64'. */
  readonly dtype: 'float64' | 'float32';
  /** Frees the Wasm memory the float32 path holds (the float64 path holds none). */
  dispose(): void;
}

/** The optimizer `method` runs over p: minimize's defaults, then the caller's options for that method (`given`). */
function build(method: FirstOrderMethod, p: Param, given: Record<string, unknown>): Optimizer<{ lr: number }> {
  const lr = defaultLr(method);
  switch (method) {
    case 'gd': return new SGD([p], { lr, ...given });
    case 'momentum': return new SGD([p], { lr, momentum: 0.9, ...given });
    case 'nesterov': return new SGD([p], { lr, momentum: 0.9, ...given, nesterov: true });
    case 'adam': return new Adam([p], { lr, ...given });
    case 'rmsprop': return new RMSprop([p], { lr, ...given });
    case 'adagrad': return new Adagrad([p], { lr, ...given });
  }
}

/** Whether a run of n coordinates takes the float32 kernels. */
export function usesKernels(n: number, useKernels: boolean | 'auto'): boolean {
  return useKernels === true || (useKernels === 'auto' && n >= KERNEL_THRESHOLD && isInitialized() && backendName() !== 'js');
}

/**
 * Builds the stepper for `method` over n coordinates. The optimizer class checks the options here,
 * before any evaluation of f; its TypeError / RangeError is rethrown naming minimize's method.
 */
export function createFirstOrder(method: FirstOrderMethod, n: number, o: FirstOrderOptions = {}, useKernels: boolean | 'auto' = 'auto'): FirstOrderStepper {
  if (!FIRST_ORDER_METHODS.includes(method)) {
    throw new RangeError(`method must be one of ${FIRST_ORDER_METHODS.join(', ')}, got ${String(method)}`);
  }
  const f32 = usesKernels(n, useKernels);
  const given = givenOptions(method, o);
  if (!f32) {
    const kept = takeKept(method, n, given);
    if (kept !== null) return kept;
  }
  // float64: parameter, gradient and up to three buffers (RMSprop centered with momentum) in one heap
  const engine = f32 ? null : new Float64Engine(5 * n + 8);
  const p = engine ? (engine.param(new Float64Array(n)) as unknown as Param) : param.zeros(n, { name: 'x' });
  let opt: Optimizer<{ lr: number }>;
  try {
    opt = engine ? withEngine(engine, () => build(method, p, given)) : build(method, p, given);
  } catch (e) {
    if (!engine) p.dispose();
    else engine.release();
    if (e instanceof TypeError || e instanceof RangeError) {
      const E = e instanceof TypeError ? TypeError : RangeError;
      throw new E(`minimize({ method: '${method}' }): ${e.message}`);
    }
    throw e;
  }
  // float64: views of the engine's heap, which holds everything from the start and never grows
  const own = engine ? { x: p.data as unknown as Float64Array, g: p.grad as unknown as Float64Array } : { x: new Float64Array(n), g: new Float64Array(n) };
  const stepper: KeptStepper = {
    method,
    lr: opt.lr,
    dtype: f32 ? 'float32' : 'float64',
    x: own.x,
    g: own.g,
    get t() { return opt.state(p).step; },
    step(x = own.x, g = own.g) {
      const inPlace = engine !== null && x === own.x && g === own.g;
      if (!inPlace) {
        p.data.set(x);
        p.grad.set(g);
      }
      // the float64 path's optimizer is this closure's alone (options checked above, never changed)
      if (engine) opt.stepOwned();
      else opt.step();
      if (!inPlace) x.set(p.data);
    },
    dispose() {
      if (engine === null) {
        opt.dispose();
        p.dispose();
      } else if (!keep(stepper)) {
        stepper.release();
      }
    },
    release() {
      opt.dispose();
      engine?.release();
    },
    n,
    // a copy (the caller may change an array it passed, betas, before its next run); null: not keepable
    options: optionSnapshot(given),
    reset() {
      opt.resetOwned();
      own.x.fill(0);
      own.g.fill(0);
    },
  };
  return stepper;
}

// ---------------------------------------------------------------- steppers kept for the next runs
// Building the float64 path's optimizer (its option checks, group, state) costs ~15 µs: several times
// a whole short run on a small problem (a 2-D run of 100 iterations takes ~40). So a finished run's
// stepper is kept, and a run with the same method, size and option values takes it back reset
// (Optimizer.resetOwned: step 0, every buffer at its initial value): the same state as a new one,
// so the same bits. A stepper is out of the pool while a run holds it (f may itself call minimize).

/** The options of `method` that the caller gave (others are left to the class's defaults). */
function givenOptions(method: FirstOrderMethod, o: FirstOrderOptions): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const key of FIRST_ORDER_OPTIONS[method]) if (o[key] !== undefined) given[key] = o[key];
  return given;
}

interface KeptStepper extends FirstOrderStepper {
  readonly n: number;
  /** The options it was built with (optionSnapshot of those given), or null when one is an object that could change unseen. */
  readonly options: unknown[] | null;
  /** Back to the state of a new stepper. */
  reset(): void;
  /** Frees it for good (the float64 path: its heap goes back to the engines' spares). */
  release(): void;
}

const KEPT: KeptStepper[] = [];
const MAX_KEPT = 4;

/** @internal How many steppers are kept (tests). */
export function keptSteppers(): number {
  return KEPT.length;
}

/** @internal Releases the kept steppers, so that the next one is built new (tests compare the two). */
export function dropKeptSteppers(): void {
  for (const s of KEPT.splice(0)) s.release();
}

/**
 * Keeps a finished float64 stepper for the next run; false when it cannot be (the pool is full, the
 * problem has KERNEL_THRESHOLD coordinates or more, or an option value is an object other than an
 * array of primitives, which its owner could change).
 */
function keep(s: KeptStepper): boolean {
  if (KEPT.includes(s)) return true; // disposed twice
  // only small problems (where building costs as much as running): a large float64 run (the js
  // backend, or before init()) would otherwise keep its heap of 5n doubles for the process's life
  if (KEPT.length >= MAX_KEPT || s.n >= KERNEL_THRESHOLD || s.options === null) return false;
  KEPT.push(s);
  return true;
}

/** A kept stepper for these method, size and option values, reset; null when none. */
function takeKept(method: FirstOrderMethod, n: number, given: Record<string, unknown>): FirstOrderStepper | null {
  for (let i = 0; i < KEPT.length; i++) {
    const s = KEPT[i];
    if (s.method !== method || s.n !== n || !sameOptions(given, s.options!)) continue;
    KEPT.splice(i, 1);
    try {
      s.reset();
    } catch {
      return null; // not as built (cannot happen: nothing else reaches its optimizer); build a new one
    }
    return s;
  }
  return null;
}
