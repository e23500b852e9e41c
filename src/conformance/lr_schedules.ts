/**
 * Conformance handler for `lr_schedules.json`: rebuilds every case's torch scheduler from its name and
 * snake_case kwargs, drives it per the file's protocol on a fake optimizer and compares the lr (and the
 * cycled momentum, where the case has it) at every epoch with |x − ref| <= 1e-12 + 1e-10·|ref|.
 */
import type { CaseResult, Handler } from './types.js';
import { within } from './types.js';
import {
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  StepLR,
  type SchedulableOptimizer,
  type Scheduler,
} from '../optim/schedules.js';

const ATOL = 1e-12;
const RTOL = 1e-10;

type Factory = (opt: SchedulableOptimizer, options: any) => Scheduler;

/** torch scheduler name -> constructor. (LambdaLR, MultiplicativeLR, SequentialLR and ChainedScheduler need functions or other schedulers, which a JSON case cannot carry.) */
const FACTORIES: Record<string, Factory> = {
  StepLR: (o, k) => new StepLR(o, k),
  MultiStepLR: (o, k) => new MultiStepLR(o, k),
  ConstantLR: (o, k) => new ConstantLR(o, k),
  LinearLR: (o, k) => new LinearLR(o, k),
  ExponentialLR: (o, k) => new ExponentialLR(o, k),
  PolynomialLR: (o, k) => new PolynomialLR(o, k),
  CosineAnnealingLR: (o, k) => new CosineAnnealingLR(o, k),
  CosineAnnealingWarmRestarts: (o, k) => new CosineAnnealingWarmRestarts(o, k),
  CyclicLR: (o, k) => new CyclicLR(o, k),
  OneCycleLR: (o, k) => new OneCycleLR(o, k),
  ReduceLROnPlateau: (o, k) => new ReduceLROnPlateau(o, k),
};

/** torch's snake_case kwarg -> our camelCase option: "T_max" -> "TMax", "step_size_up" -> "stepSizeUp". */
export function camelCaseKey(key: string): string {
  const [head, ...rest] = key.split('_');
  return head + rest.map((p) => (p.length > 0 ? p[0].toUpperCase() + p.slice(1) : '')).join('');
}

/** Kwargs that do not change the schedule (torch's logging switch). */
const IGNORED_KWARGS = new Set(['verbose']);

function optionsFrom(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs ?? {})) if (!IGNORED_KWARGS.has(k)) out[camelCaseKey(k)] = v;
  return out;
}

/** The fake optimizer's single group, with torch's defaults for the optimizer the case names. */
function groupFrom(optimizer: unknown, options: Record<string, unknown>): SchedulableOptimizer['paramGroups'][number] {
  if (typeof options?.lr !== 'number') throw new TypeError(`optimizer_options.lr must be a number, got ${String(options?.lr)}`);
  const group: SchedulableOptimizer['paramGroups'][number] = { lr: options.lr };
  if (typeof options.momentum === 'number') group.momentum = options.momentum;
  else if (optimizer === 'SGD' || optimizer === 'RMSprop') group.momentum = 0;
  if (Array.isArray(options.betas)) group.betas = [Number(options.betas[0]), Number(options.betas[1])];
  else if (typeof optimizer === 'string' && /^(Adam|AdamW|Adamax|NAdam|RAdam)$/.test(optimizer)) group.betas = [0.9, 0.999];
  return group;
}

/** The group's momentum as the optimizer would read it: `momentum`, or `betas[0]`. */
function momentumOf(group: SchedulableOptimizer['paramGroups'][number]): number | undefined {
  return Array.isArray(group.betas) ? group.betas[0] : group.momentum;
}

function fmt(x: number): string {
  return x === 0 ? '0' : x.toExponential(0);
}

/** Runs one case; throws on a malformed case or a scheduler error (the caller turns that into a failure). */
function runCase(c: any): { passed: boolean; detail: string } {
  const factory = FACTORIES[c.scheduler];
  if (factory === undefined) {
    return { passed: false, detail: `unknown scheduler ${JSON.stringify(c.scheduler)} (known: ${Object.keys(FACTORIES).join(', ')})` };
  }
  const refLr: unknown = c.lr;
  if (!Array.isArray(refLr) || refLr.length === 0) return { passed: false, detail: 'case has no "lr" array' };
  const nEpochs: number = typeof c.n_epochs === 'number' ? c.n_epochs : refLr.length;
  if (refLr.length !== nEpochs) return { passed: false, detail: `lr has ${refLr.length} entries but n_epochs is ${nEpochs}` };
  const refMom: number[] | undefined = Array.isArray(c.momentum) ? c.momentum : undefined;
  const metrics: number[] | undefined = Array.isArray(c.metrics) ? c.metrics : undefined;

  const opt: SchedulableOptimizer = { paramGroups: [groupFrom(c.optimizer, c.optimizer_options ?? {})] };
  const sched = factory(opt, optionsFrom(c.kwargs ?? {}));
  if (sched.requiresMetric && (metrics === undefined || metrics.length < nEpochs - 1)) {
    return { passed: false, detail: `${c.scheduler} needs "metrics" with ${nEpochs - 1} entries` };
  }

  let maxRel = 0;
  let firstBad = '';
  const check = (what: string, i: number, x: number | undefined, ref: number) => {
    const v = typeof x === 'number' ? x : NaN;
    const { ok } = within(v, ref, ATOL, RTOL);
    const rel = v === ref ? 0 : Math.abs(v - ref) / Math.abs(ref);
    if (Number.isFinite(rel)) maxRel = Math.max(maxRel, rel);
    else if (!ok) maxRel = Infinity;
    if (!ok && firstBad === '') firstBad = `${what}[${i}] = ${v}, want ${ref}`;
  };

  for (let i = 0; i < nEpochs; i++) {
    const group = opt.paramGroups[0];
    check('lr', i, group.lr, refLr[i]);
    if (refMom !== undefined) check('momentum', i, momentumOf(group), refMom[i]);
    // (the optimizer step would happen here; the fake optimizer has nothing to update)
    if (i < nEpochs - 1) {
      if (sched.requiresMetric) sched.step(metrics![i]);
      else sched.step();
    }
  }
  const what = refMom !== undefined ? 'lr+momentum' : 'lr';
  if (firstBad !== '') return { passed: false, detail: `${firstBad} (max rel err ${fmt(maxRel)} over ${nEpochs} epochs)` };
  return { passed: true, detail: `max rel err ${fmt(maxRel)} (${what}, ${nEpochs} epochs)` };
}

export const lrSchedulesHandler: Handler = {
  name: 'lr-schedules',
  matches: (fileName) => /^lr_schedules.*\.json$/.test(fileName),
  async run(fileName, json) {
    const cases: unknown[] = Array.isArray(json?.cases) ? json.cases : [];
    const results: CaseResult[] = [];
    if (cases.length === 0) {
      results.push({ file: fileName, name: '(file)', backend: '-', passed: false, detail: 'no "cases" array in the file' });
    }
    cases.forEach((c: any, i) => {
      const name = typeof c?.name === 'string' ? c.name : `case ${i} (${String(c?.scheduler)})`;
      let r: { passed: boolean; detail: string };
      try {
        r = runCase(c);
      } catch (e) {
        r = { passed: false, detail: `threw ${(e as Error)?.name ?? 'error'}: ${(e as Error)?.message ?? String(e)}` };
      }
      results.push({ file: fileName, name, backend: '-', ...r });
    });
    return results;
  },
};
