import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lrSchedulesHandler, camelCaseKey } from '../../src/conformance/lr_schedules.js';
import type { CaseResult } from '../../src/conformance/types.js';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  MultiplicativeLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  LRScheduler,
  type SchedulableOptimizer,
  type Scheduler,
} from '../../src/optim/schedules.js';

const FILE = new URL('../../../shared/conformance/lr_schedules.json', import.meta.url);
const vectors = JSON.parse(readFileSync(FILE, 'utf8'));

type Group = SchedulableOptimizer['paramGroups'][number];
const sgd = (lr = 0.1, momentum = 0.9): SchedulableOptimizer => ({ paramGroups: [{ lr, momentum }] });

/** The lr (group 0) used in each of `n` epochs, stepping between them as the README's protocol does. */
function lrs(opt: SchedulableOptimizer, sched: Scheduler, n: number, metrics: number[] = []): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(opt.paramGroups[0].lr);
    if (i < n - 1) {
      if (sched.requiresMetric) sched.step(metrics[i]);
      else sched.step();
    }
  }
  return out;
}

function expectClose(got: number[], want: number[], digits = 14): void {
  expect(got).toHaveLength(want.length);
  got.forEach((x, i) => expect(x, `entry ${i}`).toBeCloseTo(want[i], digits));
}

// -------------------------------------------------------------------------------------------------

describe('lr_schedules.json conformance (torch 1.13 vectors)', () => {
  const resultsPromise: Promise<CaseResult[]> = lrSchedulesHandler.run('lr_schedules.json', vectors, {
    readText: () => {
      throw new Error('not needed');
    },
    backends: [],
    useBackend: async () => {},
  });

  it('matches the file name and returns one result per case', async () => {
    expect(lrSchedulesHandler.matches('lr_schedules.json')).toBe(true);
    expect(lrSchedulesHandler.matches('optim_sgd.json')).toBe(false);
    const results = await resultsPromise;
    expect(results).toHaveLength(vectors.cases.length);
    expect(vectors.cases.length).toBe(26);
  });

  for (const c of vectors.cases) {
    it(`${c.name}`, async () => {
      const r = (await resultsPromise).find((x) => x.name === c.name)!;
      expect(r.backend).toBe('-');
      expect(r.file).toBe('lr_schedules.json');
      expect(r.passed, r.detail).toBe(true);
      expect(r.detail).toMatch(/^max rel err /);
    });
  }

  it('closed forms (used by SequentialLR) match lr_closed_form', () => {
    let checked = 0;
    for (const c of vectors.cases) {
      if (!Array.isArray(c.lr_closed_form)) continue;
      const opt = sgd(c.optimizer_options.lr, c.optimizer_options.momentum);
      const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camelCaseKey(k), v]));
      const ctor = { StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR }[
        c.scheduler as string
      ] as unknown as new (o: SchedulableOptimizer, k: unknown) => LRScheduler;
      expect(ctor, c.scheduler).toBeDefined();
      const sched = new ctor(opt, options);
      c.lr_closed_form.forEach((ref: number, i: number) => {
        sched._stepTo(i);
        expect(Math.abs(opt.paramGroups[0].lr - ref), `${c.name} epoch ${i}`).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.abs(ref));
      });
      checked++;
    }
    expect(checked).toBe(14);
  });

  it('reports an unknown scheduler and a bad case as failures, not crashes', async () => {
    const json = {
      meta: {},
      cases: [
        { name: 'X/v0', scheduler: 'NoSuchLR', kwargs: {}, optimizer: 'SGD', optimizer_options: { lr: 0.1 }, n_epochs: 2, lr: [0.1, 0.1] },
        { name: 'StepLR/bad', scheduler: 'StepLR', kwargs: { step_size: 0 }, optimizer: 'SGD', optimizer_options: { lr: 0.1 }, n_epochs: 2, lr: [0.1, 0.1] },
        { name: 'StepLR/wrong', scheduler: 'StepLR', kwargs: { step_size: 1, gamma: 0.5 }, optimizer: 'SGD', optimizer_options: { lr: 0.1 }, n_epochs: 2, lr: [0.1, 0.1] },
        { name: 'StepLR/ok', scheduler: 'StepLR', kwargs: { step_size: 1, gamma: 0.5 }, optimizer: 'SGD', optimizer_options: { lr: 0.1 }, n_epochs: 2, lr: [0.1, 0.05] },
      ],
    };
    const results = await lrSchedulesHandler.run('lr_schedules_extra.json', json, {} as never);
    expect(results.map((r) => r.passed)).toEqual([false, false, false, true]);
    expect(results[0].detail).toMatch(/unknown scheduler "NoSuchLR"/);
    expect(results[1].detail).toMatch(/RangeError.*stepSize/);
    expect(results[2].detail).toMatch(/lr\[1\] = 0\.05, want 0\.1/);
  });

  it('maps torch kwargs to option names', () => {
    expect(['T_max', 'T_0', 'T_mult', 'step_size_up', 'three_phase', 'min_lr', 'gamma'].map(camelCaseKey)).toEqual([
      'TMax', 'T0', 'TMult', 'stepSizeUp', 'threePhase', 'minLr', 'gamma',
    ]);
  });
});

// -------------------------------------------------------------------------------------------------

interface Kind {
  name: string;
  make: (opt: SchedulableOptimizer) => Scheduler;
  opt?: () => SchedulableOptimizer;
  metrics?: number[];
  /** The schedule does not depend on the scheduler's state (only on the group's lr). */
  stateless?: boolean;
}

const plateauMetrics = [5, 4, 4, 4, 4, 3.9, 3.9, 3.9, 3.9, 3.9, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3];

const KINDS: Kind[] = [
  { name: 'StepLR', make: (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }) },
  { name: 'MultiStepLR', make: (o) => new MultiStepLR(o, { milestones: [2, 7, 7, 11], gamma: 0.5 }) },
  { name: 'ConstantLR', make: (o) => new ConstantLR(o, { factor: 0.25, totalIters: 9 }) },
  { name: 'LinearLR', make: (o) => new LinearLR(o, { startFactor: 0.1, endFactor: 0.9, totalIters: 12 }) },
  { name: 'ExponentialLR', make: (o) => new ExponentialLR(o, { gamma: 0.9 }), stateless: true },
  { name: 'PolynomialLR', make: (o) => new PolynomialLR(o, { totalIters: 15, power: 2 }) },
  { name: 'CosineAnnealingLR', make: (o) => new CosineAnnealingLR(o, { TMax: 7, etaMin: 0.001 }) },
  { name: 'CosineAnnealingWarmRestarts', make: (o) => new CosineAnnealingWarmRestarts(o, { T0: 3, TMult: 2, etaMin: 0.001 }) },
  { name: 'CyclicLR triangular2', make: (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 2, mode: 'triangular2' }) },
  { name: 'CyclicLR exp_range', make: (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, mode: 'exp_range', gamma: 0.97 }) },
  {
    name: 'CyclicLR on betas',
    make: (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 }),
    opt: () => ({ paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }] }),
  },
  { name: 'OneCycleLR', make: (o) => new OneCycleLR(o, { maxLr: 0.2, totalSteps: 30, threePhase: true, annealStrategy: 'linear' }) },
  {
    name: 'OneCycleLR on betas',
    make: (o) => new OneCycleLR(o, { maxLr: 0.2, epochs: 5, stepsPerEpoch: 6 }),
    opt: () => ({ paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }] }),
  },
  { name: 'LambdaLR', make: (o) => new LambdaLR(o, { lrLambda: (e) => 1 / (1 + e) }) },
  { name: 'MultiplicativeLR', make: (o) => new MultiplicativeLR(o, { lrLambda: (e) => (e % 3 === 0 ? 0.9 : 1.05) }) },
  {
    name: 'SequentialLR',
    make: (o) =>
      new SequentialLR(o, {
        schedulers: [new LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new CosineAnnealingLR(o, { TMax: 10 })],
        milestones: [5],
      }),
  },
  {
    name: 'ChainedScheduler',
    make: (o) => new ChainedScheduler([new StepLR(o, { stepSize: 4, gamma: 0.5 }), new CosineAnnealingLR(o, { TMax: 6 })]),
  },
  { name: 'ReduceLROnPlateau', make: (o) => new ReduceLROnPlateau(o, { patience: 2, cooldown: 1, factor: 0.5 }), metrics: plateauMetrics },
];

/** The lr and momentum (momentum or beta1) of group 0 for `n` steps. */
function run(opt: SchedulableOptimizer, sched: Scheduler, n: number, metrics: number[]): Array<[number, number | undefined]> {
  const out: Array<[number, number | undefined]> = [];
  for (let i = 0; i < n; i++) {
    if (sched.requiresMetric) sched.step(metrics[i]);
    else sched.step();
    const g = opt.paramGroups[0];
    out.push([g.lr, g.betas ? g.betas[0] : g.momentum]);
  }
  return out;
}

const cloneGroups = (opt: SchedulableOptimizer) => structuredClone(opt.paramGroups) as Group[];

describe('stateDict / loadStateDict', () => {
  for (const kind of KINDS) {
    it(`${kind.name}: a restored scheduler continues identically`, () => {
      const newOpt = kind.opt ?? (() => sgd(0.1, 0.9));
      const metrics = kind.metrics ?? [];
      const optA = newOpt();
      const a = kind.make(optA);
      run(optA, a, 8, metrics); // mid-run
      const state = JSON.parse(JSON.stringify(a.stateDict())); // must survive JSON
      expect(state).toEqual(JSON.parse(JSON.stringify(state)));
      const groupsA = cloneGroups(optA);

      const optB = newOpt();
      const b = kind.make(optB);
      optB.paramGroups = cloneGroups(optA); // what the optimizer's own loadStateDict would restore
      b.loadStateDict(state);
      expect(b.getLastLr()).toEqual(a.getLastLr());
      expect(JSON.parse(JSON.stringify(b.stateDict()))).toEqual(state);

      const rest = metrics.slice(8);
      const contA = run(optA, a, 12, rest);
      const contB = run(optB, b, 12, rest);
      expect(contB).toEqual(contA);

      // and the state is what made the difference: a fresh scheduler from the same lr does not continue so
      const optC = newOpt();
      const c = kind.make(optC);
      optC.paramGroups = groupsA;
      if (kind.stateless) expect(run(optC, c, 12, rest)).toEqual(contA);
      else expect(run(optC, c, 12, rest)).not.toEqual(contA);
    });
  }

  it('encodes ReduceLROnPlateau\'s infinite best as JSON and restores it', () => {
    const s = new ReduceLROnPlateau(sgd(), { mode: 'max' });
    const state = JSON.parse(JSON.stringify(s.stateDict()));
    expect(state.best).toBe('-Infinity');
    const t = new ReduceLROnPlateau(sgd(), { mode: 'max' });
    t.best = 3;
    t.loadStateDict(state);
    expect(t.best).toBe(-Infinity);
  });

  it('does not save functions (lrLambda) and keeps the constructor\'s', () => {
    const opt = sgd(1);
    const s = new LambdaLR(opt, { lrLambda: (e) => 0.5 ** e });
    s.step();
    const state = s.stateDict();
    expect(JSON.stringify(state)).not.toMatch(/lrLambda|=>/);
    const opt2 = sgd(1);
    const t = new LambdaLR(opt2, { lrLambda: (e) => 0.5 ** e });
    t.loadStateDict(state);
    t.step();
    expect(opt2.paramGroups[0].lr).toBe(0.25);
  });

  it('refuses a state of another scheduler kind or a malformed one, naming the field', () => {
    const step = new StepLR(sgd(), { stepSize: 2 });
    const expo = new ExponentialLR(sgd(), { gamma: 0.9 });
    expect(() => expo.loadStateDict(step.stateDict())).toThrow(TypeError);
    expect(() => expo.loadStateDict(step.stateDict())).toThrow(/state\.scheduler/);
    const bad = { ...expo.stateDict(), gamma: 'fast' };
    expect(() => expo.loadStateDict(bad)).toThrow(/state\.gamma/);
    expect(expo.gamma).toBe(0.9); // untouched by the failed load
  });
});

// -------------------------------------------------------------------------------------------------

describe('option validation', () => {
  const noMomentum = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1 }] });
  const two = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.2, momentum: 0.9 }] });
  const cases: Array<[string, () => unknown, typeof TypeError | typeof RangeError, RegExp]> = [
    ['StepLR stepSize 0', () => new StepLR(sgd(), { stepSize: 0 }), RangeError, /stepSize.*got 0/],
    ['StepLR stepSize 1.5', () => new StepLR(sgd(), { stepSize: 1.5 }), RangeError, /stepSize.*got 1\.5/],
    ['StepLR stepSize missing', () => new StepLR(sgd(), {} as never), TypeError, /stepSize.*got undefined/],
    ['StepLR gamma 0', () => new StepLR(sgd(), { stepSize: 2, gamma: 0 }), RangeError, /gamma.*got 0/],
    ['StepLR gamma -0.5', () => new StepLR(sgd(), { stepSize: 2, gamma: -0.5 }), RangeError, /gamma.*got -0\.5/],
    ['StepLR snake_case option', () => new StepLR(sgd(), { step_size: 2 } as never), TypeError, /options\.step_size\. Did you mean stepSize\?/],
    ['ExponentialLR gamma string', () => new ExponentialLR(sgd(), { gamma: '0.9' as never }), TypeError, /gamma.*'0\.9'/],
    ['ExponentialLR gamma NaN', () => new ExponentialLR(sgd(), { gamma: NaN }), RangeError, /gamma.*NaN/],
    ['MultiStepLR milestones not array', () => new MultiStepLR(sgd(), { milestones: 5 as never }), TypeError, /milestones.*got 5/],
    ['MultiStepLR negative milestone', () => new MultiStepLR(sgd(), { milestones: [3, -2] }), RangeError, /milestones\[1\].*got -2/],
    ['ConstantLR factor 1.5', () => new ConstantLR(sgd(), { factor: 1.5 }), RangeError, /factor.*got 1\.5/],
    ['ConstantLR factor 0', () => new ConstantLR(sgd(), { factor: 0 }), RangeError, /factor.*got 0/],
    ['ConstantLR totalIters 0', () => new ConstantLR(sgd(), { totalIters: 0 }), RangeError, /totalIters.*got 0/],
    ['LinearLR startFactor 0', () => new LinearLR(sgd(), { startFactor: 0 }), RangeError, /startFactor.*got 0/],
    ['LinearLR endFactor 2', () => new LinearLR(sgd(), { endFactor: 2 }), RangeError, /endFactor.*got 2/],
    ['PolynomialLR totalIters -1', () => new PolynomialLR(sgd(), { totalIters: -1 }), RangeError, /totalIters.*got -1/],
    ['PolynomialLR power -1', () => new PolynomialLR(sgd(), { power: -1 }), RangeError, /power.*got -1/],
    ['CosineAnnealingLR TMax 0', () => new CosineAnnealingLR(sgd(), { TMax: 0 }), RangeError, /TMax.*got 0/],
    ['CosineAnnealingLR TMax missing', () => new CosineAnnealingLR(sgd(), {} as never), TypeError, /TMax.*got undefined/],
    ['CAWR T0 0', () => new CosineAnnealingWarmRestarts(sgd(), { T0: 0 }), RangeError, /T0.*got 0/],
    ['CAWR TMult 0.5', () => new CosineAnnealingWarmRestarts(sgd(), { T0: 5, TMult: 0.5 }), RangeError, /TMult.*got 0\.5/],
    ['CyclicLR unknown mode', () => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: 'sawtooth' as never }), RangeError, /mode.*'sawtooth'/],
    ['CyclicLR baseLr missing', () => new CyclicLR(sgd(), { maxLr: 0.1 } as never), TypeError, /baseLr.*got undefined/],
    ['CyclicLR stepSizeUp 0', () => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), RangeError, /stepSizeUp.*got 0/],
    ['CyclicLR maxLr per group, wrong length', () => new CyclicLR(two(), { baseLr: 0.01, maxLr: [0.1, 0.2, 0.3] }), RangeError, /maxLr.*\[0\.1, 0\.2, 0\.3\]/],
    ['CyclicLR scaleMode', () => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, scaleFn: () => 1, scaleMode: 'epochs' as never }), RangeError, /scaleMode.*'epochs'/],
    ['CyclicLR momentum-less optimizer', () => new CyclicLR(noMomentum(), { baseLr: 0.01, maxLr: 0.1 }), TypeError, /cycleMomentum/],
    ['OneCycleLR totalSteps missing', () => new OneCycleLR(sgd(), { maxLr: 0.1 }), TypeError, /totalSteps.*got undefined/],
    ['OneCycleLR totalSteps 0', () => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 0 }), RangeError, /totalSteps.*got 0/],
    ['OneCycleLR epochs without stepsPerEpoch', () => new OneCycleLR(sgd(), { maxLr: 0.1, epochs: 3 }), TypeError, /stepsPerEpoch.*got undefined/],
    ['OneCycleLR annealStrategy', () => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 9, annealStrategy: 'exp' as never }), RangeError, /annealStrategy.*'exp'/],
    ['OneCycleLR pctStart 1.5', () => new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 9, pctStart: 1.5 }), RangeError, /pctStart.*got 1\.5/],
    ['OneCycleLR maxLr missing', () => new OneCycleLR(sgd(), { totalSteps: 9 } as never), TypeError, /maxLr.*got undefined/],
    ['LambdaLR lrLambda number', () => new LambdaLR(sgd(), { lrLambda: 3 as never }), TypeError, /lrLambda.*got 3/],
    ['LambdaLR lrLambda list length', () => new LambdaLR(two(), { lrLambda: [() => 1] }), RangeError, /lrLambda/],
    ['ReduceLROnPlateau mode', () => new ReduceLROnPlateau(sgd(), { mode: 'mid' as never }), RangeError, /mode.*'mid'/],
    ['ReduceLROnPlateau factor 1', () => new ReduceLROnPlateau(sgd(), { factor: 1 }), RangeError, /factor.*got 1/],
    ['ReduceLROnPlateau thresholdMode', () => new ReduceLROnPlateau(sgd(), { thresholdMode: 'pct' as never }), RangeError, /thresholdMode.*'pct'/],
    ['ReduceLROnPlateau patience -1', () => new ReduceLROnPlateau(sgd(), { patience: -1 }), RangeError, /patience.*got -1/],
    ['ReduceLROnPlateau minLr length', () => new ReduceLROnPlateau(two(), { minLr: [0] }), RangeError, /minLr.*\[0\]/],
    ['ReduceLROnPlateau step("x")', () => new ReduceLROnPlateau(sgd()).step('x' as never), TypeError, /metric.*'x'/],
    ['optimizer without paramGroups', () => new StepLR({} as never, { stepSize: 2 }), TypeError, /paramGroups.*got undefined/],
    ['group lr not a number', () => new StepLR({ paramGroups: [{ lr: '0.1' }] } as never, { stepSize: 2 }), TypeError, /paramGroups\[0\]\.lr.*'0\.1'/],
    ['lastEpoch without initialLr', () => new StepLR(sgd(), { stepSize: 2, lastEpoch: 4 }), TypeError, /initialLr.*lastEpoch is 4/],
    ['lastEpoch -2', () => new StepLR(sgd(), { stepSize: 2, lastEpoch: -2 }), RangeError, /lastEpoch.*got -2/],
  ];
  for (const [label, make, type, message] of cases) {
    it(label, () => {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(message);
      // a sentence that says what to do
      expect((err as Error).message).toMatch(/\. [A-Z].*\.$/);
    });
  }

  it('OneCycleLR refuses to step past totalSteps (as torch) and keeps its state', () => {
    const opt = sgd();
    const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 4 });
    for (let i = 0; i < 4; i++) s.step(); // torch allows reaching step == totalSteps
    expect(() => s.step()).toThrow(RangeError);
    expect(() => s.step()).toThrow(/totalSteps is 4/);
    expect(s.lastEpoch).toBe(4);
  });

  it('SequentialLR and ChainedScheduler check their parts', () => {
    const opt = sgd();
    const other = sgd();
    const a = new LinearLR(opt);
    const b = new ExponentialLR(opt, { gamma: 0.9 });
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [2, 4] })).toThrow(RangeError);
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [2, 4] })).toThrow(/milestones/);
    expect(() => new SequentialLR(other, { schedulers: [a, b], milestones: [2] })).toThrow(/schedulers\[0\]\.optimizer/);
    const plateau = new ReduceLROnPlateau(opt);
    expect(() => new SequentialLR(opt, { schedulers: [a, plateau as never], milestones: [2] })).toThrow(TypeError);
    expect(() => new ChainedScheduler([a, plateau as never])).toThrow(/schedulers\[1\].*ReduceLROnPlateau/);
    expect(() => new ChainedScheduler([a, new ExponentialLR(other, { gamma: 0.9 })])).toThrow(/schedulers\[1\]\.optimizer/);
  });
});

// -------------------------------------------------------------------------------------------------

describe('dispatch flags', () => {
  it('stepsPerBatch is true exactly for CyclicLR and OneCycleLR (and compositions containing them)', () => {
    const flags = KINDS.map((k) => [k.name, k.make(k.opt ? k.opt() : sgd()).stepsPerBatch]);
    expect(Object.fromEntries(flags)).toEqual({
      StepLR: false,
      MultiStepLR: false,
      ConstantLR: false,
      LinearLR: false,
      ExponentialLR: false,
      PolynomialLR: false,
      CosineAnnealingLR: false,
      CosineAnnealingWarmRestarts: false,
      'CyclicLR triangular2': true,
      'CyclicLR exp_range': true,
      'CyclicLR on betas': true,
      OneCycleLR: true,
      'OneCycleLR on betas': true,
      LambdaLR: false,
      MultiplicativeLR: false,
      SequentialLR: false,
      ChainedScheduler: false,
      ReduceLROnPlateau: false,
    });
    const opt = sgd();
    const seq = new SequentialLR(opt, {
      schedulers: [new LinearLR(opt), new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 })],
      milestones: [5],
    });
    expect(seq.stepsPerBatch).toBe(true);
  });

  it('requiresMetric is true only for ReduceLROnPlateau', () => {
    const flags = KINDS.map((k) => k.make(k.opt ? k.opt() : sgd()).requiresMetric);
    expect(flags.filter(Boolean)).toHaveLength(1);
    expect(new ReduceLROnPlateau(sgd()).requiresMetric).toBe(true);
    expect(new StepLR(sgd(), { stepSize: 1 }).requiresMetric).toBe(false);
  });
});

// -------------------------------------------------------------------------------------------------

describe('hand-computed schedules (and the TSDoc examples)', () => {
  it('LambdaLR: lr = initialLr * lambda(epoch), per group', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }, { lr: 1 }] };
    const s = new LambdaLR(opt, { lrLambda: [(e) => 1 / (e + 1), (e) => 0.5 ** e] });
    const got: number[][] = [];
    for (let i = 0; i < 4; i++) {
      got.push(s.getLastLr());
      s.step();
    }
    expect(got.map((r) => r[0])).toEqual([0.1, 0.05, 0.1 / 3, 0.025]);
    expect(got.map((r) => r[1])).toEqual([1, 0.5, 0.25, 0.125]);
    expect(s.baseLrs).toEqual([0.1, 1]);
  });

  it('MultiplicativeLR: lr_t = lr_{t-1} * lambda(t), lr_0 unchanged', () => {
    const opt = sgd(0.1);
    expectClose(lrs(opt, new MultiplicativeLR(opt, { lrLambda: () => 0.5 }), 4), [0.1, 0.05, 0.025, 0.0125]);
    const opt2 = sgd(0.1);
    expectClose(lrs(opt2, new MultiplicativeLR(opt2, { lrLambda: (e) => e }), 4), [0.1, 0.1, 0.2, 0.6]);
  });

  it('SequentialLR: warm-up then decay; the next scheduler restarts from initialLr (torch step(0))', () => {
    const opt = sgd(1);
    const seq = new SequentialLR(opt, {
      schedulers: [new LinearLR(opt, { startFactor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })],
      milestones: [2],
    });
    expectClose(lrs(opt, seq, 5), [0.1, 0.55, 1, 0.9, 0.81]);
    expect(seq.getLastLr()[0]).toBeCloseTo(0.81, 14);
  });

  it('SequentialLR: linear warm-up then CosineAnnealingLR', () => {
    const opt = sgd(1);
    const seq = new SequentialLR(opt, {
      schedulers: [new LinearLR(opt, { startFactor: 0.5, totalIters: 2 }), new CosineAnnealingLR(opt, { TMax: 2 })],
      milestones: [2],
    });
    expectClose(lrs(opt, seq, 7), [0.5, 0.75, 1, 0.5, 0, 0.5, 1]);
  });

  it('SequentialLR with ConstantLR then ExponentialLR (torch docstring setup; torch really gives 1 at the switch)', () => {
    const opt = sgd(1);
    const seq = new SequentialLR(opt, {
      schedulers: [new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })],
      milestones: [2],
    });
    expectClose(lrs(opt, seq, 5), [0.1, 0.1, 1, 0.9, 0.81]);
  });

  it('ChainedScheduler: factors of ConstantLR and ExponentialLR multiply', () => {
    const opt = sgd(1);
    const s = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
    expectClose(lrs(opt, s, 5), [0.1, 0.09, 0.81, 0.729, 0.6561]);
    expect(s.getLastLr()[0]).toBeCloseTo(0.6561, 14);
  });

  it('a second scheduler on the same optimizer takes the original lr as its base (torch initial_lr setdefault)', () => {
    const opt = sgd(1);
    const a = new LinearLR(opt, { startFactor: 0.5 });
    const b = new CosineAnnealingLR(opt, { TMax: 4 });
    expect(opt.paramGroups[0].lr).toBe(0.5);
    expect(a.baseLrs).toEqual([1]);
    expect(b.baseLrs).toEqual([1]);
    expect(opt.paramGroups[0].initialLr).toBe(1);
  });

  it('resuming with lastEpoch uses the group\'s initialLr; CosineAnnealingLR starts from its closed form', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 0.123, initialLr: 1 }] };
    const s = new CosineAnnealingLR(opt, { TMax: 4, lastEpoch: 2 });
    expect(s.lastEpoch).toBe(3);
    expect(s.baseLrs).toEqual([1]);
    expect(opt.paramGroups[0].lr).toBeCloseTo((1 + Math.cos((3 * Math.PI) / 4)) / 2, 15);
    s.step(); // back on the recursive form: epoch 4 is the minimum
    expect(opt.paramGroups[0].lr).toBeCloseTo(0, 15);

    const opt2: SchedulableOptimizer = { paramGroups: [{ lr: 0.5, initialLr: 1 }] };
    new StepLR(opt2, { stepSize: 3, gamma: 0.1, lastEpoch: 5 }); // its initial step reaches epoch 6: a decay
    expect(opt2.paramGroups[0].lr).toBeCloseTo(0.05, 15);
  });

  it('the LRScheduler example: a custom chainable scheduler', () => {
    class HalvingLR extends LRScheduler {
      constructor(optimizer: SchedulableOptimizer) {
        super('HalvingLR', optimizer, -1);
        this.initialStep();
      }
      protected computeLr(): number[] {
        return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
      }
    }
    const opt = sgd(1);
    const sched = new HalvingLR(opt);
    expect(lrs(opt, sched, 4)).toEqual([1, 0.5, 0.25, 0.125]);
    expect(sched.stateDict()).toMatchObject({ scheduler: 'HalvingLR', lastEpoch: 3 });
  });

  it('the examples of StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR', () => {
    let o = sgd(0.1);
    expectClose(lrs(o, new StepLR(o, { stepSize: 2, gamma: 0.5 }), 6), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    o = sgd(0.1);
    expectClose(lrs(o, new MultiStepLR(o, { milestones: [2, 4, 4], gamma: 0.5 }), 6), [0.1, 0.1, 0.05, 0.05, 0.0125, 0.0125]);
    o = sgd(0.1);
    expectClose(lrs(o, new ConstantLR(o, { factor: 0.5, totalIters: 2 }), 4), [0.05, 0.05, 0.1, 0.1]);
    o = sgd(0.1);
    expectClose(lrs(o, new LinearLR(o, { startFactor: 0.25, totalIters: 3 }), 5), [0.025, 0.05, 0.075, 0.1, 0.1]);
    o = sgd(0.1);
    expectClose(lrs(o, new ExponentialLR(o, { gamma: 0.9 }), 3), [0.1, 0.09, 0.081]);
    o = sgd(0.1);
    expectClose(lrs(o, new PolynomialLR(o, { totalIters: 4, power: 1 }), 6), [0.1, 0.075, 0.05, 0.025, 0, 0]);
  });

  it('the examples of CosineAnnealingLR (a full wave past TMax) and CosineAnnealingWarmRestarts', () => {
    let o = sgd(0.1);
    expectClose(lrs(o, new CosineAnnealingLR(o, { TMax: 2 }), 7), [0.1, 0.05, 0, 0.05, 0.1, 0.05, 0]);
    o = sgd(0.1);
    expectClose(lrs(o, new CosineAnnealingWarmRestarts(o, { T0: 2 }), 5), [0.1, 0.05, 0.1, 0.05, 0.1]);
  });

  it('CosineAnnealingWarmRestarts.step(epoch) takes fractional epochs and finds the period (TMult 2)', () => {
    const o = sgd(1);
    const s = new CosineAnnealingWarmRestarts(o, { T0: 10, TMult: 2 });
    s.step(2.5);
    expect(o.paramGroups[0].lr).toBeCloseTo((1 + Math.cos((Math.PI * 2.5) / 10)) / 2, 15);
    expect(s.lastEpoch).toBe(2);
    s.step(15);
    expect(s.Ti).toBe(20);
    expect(s.TCur).toBe(5);
    expect(o.paramGroups[0].lr).toBeCloseTo((1 + Math.cos(Math.PI / 4)) / 2, 15);
    s.step(); // 16
    expect(o.paramGroups[0].lr).toBeCloseTo((1 + Math.cos((Math.PI * 6) / 20)) / 2, 15);
  });

  it('the CyclicLR example, and beta1 cycling for a group with betas (beta2 kept)', () => {
    const o = sgd(0.1, 0.9);
    const s = new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    const mom: number[] = [];
    const lr: number[] = [];
    for (let i = 0; i < 5; i++) {
      lr.push(o.paramGroups[0].lr);
      mom.push(o.paramGroups[0].momentum!);
      s.step();
    }
    expectClose(lr, [0.01, 0.055, 0.1, 0.055, 0.01]);
    expectClose(mom, [0.9, 0.85, 0.8, 0.85, 0.9]);

    const adam: SchedulableOptimizer = { paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }] };
    const c = new CyclicLR(adam, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    c.step();
    expect(adam.paramGroups[0].betas![0]).toBeCloseTo(0.85, 15);
    expect(adam.paramGroups[0].betas![1]).toBe(0.999);
    expect(adam.paramGroups[0].momentum).toBeUndefined();
  });

  it('CyclicLR with a custom scaleFn in iterations mode', () => {
    const o = sgd();
    const s = new CyclicLR(o, { baseLr: 0, maxLr: 1, stepSizeUp: 1, scaleFn: (x) => 1 / (x + 1), scaleMode: 'iterations', cycleMomentum: false });
    expectClose(lrs(o, s, 4), [0, 0.5, 0, 0.25]);
    expect(o.paramGroups[0].momentum).toBe(0.9);
  });

  it('the OneCycleLR example, and beta1 cycling', () => {
    const o = sgd(0.1, 0.9);
    new OneCycleLR(o, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
    expect(o.paramGroups[0].lr).toBeCloseTo(0.004, 15);
    expect(o.paramGroups[0].momentum).toBe(0.95);
    const adam: SchedulableOptimizer = { paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }] };
    const s = new OneCycleLR(adam, { maxLr: 1, totalSteps: 10, pctStart: 0.5, annealStrategy: 'linear' });
    expect(adam.paramGroups[0].betas).toEqual([0.95, 0.999]);
    for (let i = 0; i < 4; i++) s.step(); // step 4 = end of phase 1: the peak
    expect(adam.paramGroups[0].lr).toBeCloseTo(1, 15);
    expect(adam.paramGroups[0].betas![0]).toBeCloseTo(0.85, 15);
    for (let i = 0; i < 5; i++) s.step(); // step 9: the end
    expect(adam.paramGroups[0].lr).toBeCloseTo(4e-6, 15); // linear anneal (end - start)·1 + start cancels
    expect(adam.paramGroups[0].betas![0]).toBeCloseTo(0.95, 15);
  });

  it('ReduceLROnPlateau: the example, max mode with rel threshold, per-group minLr, eps and cooldown', () => {
    let o: SchedulableOptimizer = sgd(0.1);
    let s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 1 });
    expect(o.paramGroups[0].lr).toBe(0.1); // construction leaves the lr alone
    for (const loss of [1, 1, 1]) s.step(loss);
    expect(o.paramGroups[0].lr).toBe(0.05);

    o = { paramGroups: [{ lr: 0.1 }, { lr: 0.1 }] };
    s = new ReduceLROnPlateau(o, { mode: 'max', patience: 0, factor: 0.5, threshold: 0.1, minLr: [0.04, 0] });
    s.step(1); // best = 1
    s.step(1.05); // not > 1.1: reduce
    expect(s.getLastLr()).toEqual([0.05, 0.05]);
    s.step(1.2); // > 1.1: best = 1.2
    expect(s.best).toBe(1.2);
    s.step(1.3); // not > 1.32: reduce, group 0 clamped at minLr
    expect(s.getLastLr()).toEqual([0.04, 0.025]);

    o = sgd(1e-8);
    s = new ReduceLROnPlateau(o, { patience: 0 });
    s.step(1);
    s.step(2);
    expect(o.paramGroups[0].lr).toBe(1e-8); // the 9e-9 change is below eps

    o = sgd(1);
    s = new ReduceLROnPlateau(o, { patience: 0, cooldown: 2, factor: 0.5, thresholdMode: 'abs', threshold: 0 });
    const seen: number[] = [];
    for (const m of [1, 1, 1, 1, 1, 1]) {
      s.step(m);
      seen.push(o.paramGroups[0].lr);
    }
    expect(seen).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });
});
