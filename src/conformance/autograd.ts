/**
 * Conformance handler for autograd.json (and any file of its format, autograd*.json): each case is a
 * program in a small op language (README section 7) evaluated with descent's ops on every backend.
 * `grad` cases compare the value and d output / d each wrt input (valueAndGrad); `hessian` and
 * `jacobian` cases the exact second-order results (hessian / jacobian, reverse over reverse);
 * `train` cases run 5 steps of the named torch optimizer (descent's SGD/Adam/...) on Params and
 * compare the loss before and the params after each step. Pass: |got − ref| <= atol + rtol·|ref|
 * with the case's tolerance. An unknown op, attribute or kind is a failed case with the reason.
 */
import { hessianAt, jacobianAt, valueAndGrad } from '../autograd/grad.js';
import { indexTensor, ops } from '../autograd/ops.js';
import type { Input } from '../autograd/engine.js';
import type { Optimizer } from '../optim/index.js';
import { param, tensor, type Param, type Tensor } from '../tensor.js';
import { build } from './optim.js';
import { within, type BackendName, type CaseResult, type Handler } from './types.js';

type Value = Input;
type Attrs = Record<string, unknown>;

interface OpSpec {
  /** Allowed attribute names. */
  attrs: string[];
  /** Number of args, or [min, max]. */
  args: number | [number, number];
  call(a: Value[], at: Attrs): Value;
}

const unary = (f: (x: Value) => Value): OpSpec => ({ attrs: [], args: 1, call: ([x]) => f(x) });
const binary = (f: (x: Value, y: Value) => Value): OpSpec => ({ attrs: [], args: 2, call: ([x, y]) => f(x, y) });
const axisOpts = (at: Attrs) => ({ axis: at.axis === undefined ? null : (at.axis as number), keepdim: (at.keepdim as boolean | undefined) ?? false });
const reduction = (f: (x: Value, o: { axis: number | null; keepdim: boolean }) => Value): OpSpec =>
  ({ attrs: ['axis', 'keepdim'], args: 1, call: ([x], at) => f(x, axisOpts(at)) });
function req<T>(at: Attrs, name: string, op: string): T {
  if (at[name] === undefined) throw new Error(`op ${op} needs attribute ${name}`);
  return at[name] as T;
}

/** The op language: torch names → descent ops. */
const OPS: Record<string, OpSpec> = {
  add: binary(ops.add), sub: binary(ops.sub), mul: binary(ops.mul), div: binary(ops.div), maximum: binary(ops.maximum),
  pow: { attrs: ['exponent'], args: 1, call: ([x], at) => ops.pow(x, req<number>(at, 'exponent', 'pow')) },
  neg: unary(ops.neg), exp: unary(ops.exp), log: unary(ops.log), sqrt: unary(ops.sqrt), abs: unary(ops.abs),
  tanh: unary(ops.tanh), sigmoid: unary(ops.sigmoid), relu: unary(ops.relu), softplus: unary(ops.softplus), gelu: unary(ops.gelu),
  leaky_relu: { attrs: ['negative_slope'], args: 1, call: ([x], at) => ops.leakyRelu(x, (at.negative_slope as number | undefined) ?? 0.01) },
  sum: reduction(ops.sum), mean: reduction(ops.mean), max: reduction(ops.max), logsumexp: reduction(ops.logsumexp),
  reshape: { attrs: ['shape'], args: 1, call: ([x], at) => ops.reshape(x, req<number[]>(at, 'shape', 'reshape')) },
  transpose: { attrs: ['dim0', 'dim1'], args: 1, call: ([x], at) => ops.transpose(x, req(at, 'dim0', 'transpose'), req(at, 'dim1', 'transpose')) },
  concat: { attrs: ['axis'], args: [1, Infinity], call: (xs, at) => ops.concat(xs, (at.axis as number | undefined) ?? 0) },
  narrow: {
    attrs: ['axis', 'start', 'length'], args: 1,
    call: ([x], at) => ops.narrow(x, req(at, 'axis', 'narrow'), req(at, 'start', 'narrow'), req(at, 'length', 'narrow')),
  },
  matmul: binary(ops.matmul),
  softmax: { attrs: ['axis'], args: 1, call: ([x], at) => ops.softmax(x, req(at, 'axis', 'softmax')) },
  log_softmax: { attrs: ['axis'], args: 1, call: ([x], at) => ops.logSoftmax(x, req(at, 'axis', 'log_softmax')) },
  cross_entropy: binary(ops.crossEntropy),
  mse_loss: binary(ops.mseLoss),
  bce_with_logits: binary(ops.bceWithLogits),
  huber_loss: { attrs: ['delta'], args: 2, call: ([p, t], at) => ops.huberLoss(p, t, (at.delta as number | undefined) ?? 1) },
  conv2d: {
    attrs: ['stride', 'padding'], args: [2, 3],
    call: ([x, w, b], at) => ops.conv2d(x, w, b ?? null, { stride: (at.stride as number) ?? 1, padding: (at.padding as number) ?? 0 }),
  },
  max_pool2d: {
    attrs: ['kernel', 'stride', 'padding'], args: 1,
    call: ([x], at) => ops.maxPool2d(x, { kernel: req(at, 'kernel', 'max_pool2d'), stride: at.stride as number | undefined, padding: at.padding as number | undefined }),
  },
  avg_pool2d: {
    attrs: ['kernel', 'stride', 'padding'], args: 1,
    call: ([x], at) => ops.avgPool2d(x, { kernel: req(at, 'kernel', 'avg_pool2d'), stride: at.stride as number | undefined, padding: at.padding as number | undefined }),
  },
  embedding: binary(ops.embedding),
  layer_norm: {
    attrs: ['eps'], args: [1, 3],
    call: ([x, g, b], at) => ops.layerNorm(x, g ?? null, b ?? null, (at.eps as number | undefined) ?? 1e-5),
  },
};

/** Checks the program before running it: known ops, attributes and names. */
function checkGraph(c: any): void {
  const known = new Set(Object.keys(c.inputs ?? {}));
  (c.graph as any[]).forEach((g, i) => {
    const spec = Object.prototype.hasOwnProperty.call(OPS, g.op) ? OPS[g.op] : undefined;
    if (!spec) throw new Error(`graph[${i}]: unknown op ${JSON.stringify(g.op)} (known: ${Object.keys(OPS).join(', ')})`);
    for (const k of Object.keys(g.attrs ?? {})) {
      if (!spec.attrs.includes(k)) throw new Error(`graph[${i}] ${g.op}: unknown attribute ${JSON.stringify(k)}`);
    }
    const [lo, hi] = typeof spec.args === 'number' ? [spec.args, spec.args] : spec.args;
    if (!Array.isArray(g.args) || g.args.length < lo || g.args.length > hi) throw new Error(`graph[${i}] ${g.op}: takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments, got ${JSON.stringify(g.args)}`);
    for (const a of g.args) if (!known.has(a)) throw new Error(`graph[${i}] ${g.op}: argument ${JSON.stringify(a)} is not defined before it`);
    known.add(g.out);
  });
  if (!known.has(c.output)) throw new Error(`output ${JSON.stringify(c.output)} is not computed by the graph`);
}

/** Evaluates the graph with `env` holding the inputs; returns the output. */
function evaluate(c: any, env: Map<string, Value>): Value {
  for (const g of c.graph as any[]) env.set(g.out, OPS[g.op].call((g.args as string[]).map((a) => env.get(a)!), g.attrs ?? {}));
  return env.get(c.output)!;
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? (v as unknown[]).flatMap((x) => flat(x)) : [v as number];
}

/** The reference tensor of an expected entry: { data } (or plain numbers). */
function refData(v: any): number[] {
  return flat(v && typeof v === 'object' && 'data' in v ? v.data : v);
}

class Judge {
  used = 0;
  where = '';
  bad: string | null = null;
  constructor(private readonly atol: number, private readonly rtol: number) {}
  compare(got: ArrayLike<number>, ref: number[], what: string): void {
    if (got.length !== ref.length) {
      this.bad ??= `${what} has ${got.length} elements, reference ${ref.length}`;
      return;
    }
    for (let i = 0; i < ref.length; i++) {
      const r = within(got[i], ref[i], this.atol, this.rtol);
      if (!r.ok && this.bad === null) this.bad = `${what}[${i}] = ${got[i]}, reference ${ref[i]} (|err| ${Math.abs(got[i] - ref[i]).toExponential(2)} > ${(this.atol + this.rtol * Math.abs(ref[i])).toExponential(2)})`;
      if (r.used > this.used) {
        this.used = r.used;
        this.where = `${what}[${i}]`;
      }
    }
  }
  detail(): string {
    return this.bad ?? (this.used === 0 ? 'exact' : `worst ${this.used.toFixed(3)} of the tolerance at ${this.where}`);
  }
}

function makeInput(spec: any, name: string): Tensor | ReturnType<typeof indexTensor> {
  const data = flat(spec.data), shape = spec.shape as number[];
  if (spec.dtype === 'int64' || spec.dtype === 'int32') return indexTensor(data, { shape });
  if (spec.dtype !== 'float32') throw new Error(`input ${name}: unknown dtype ${JSON.stringify(spec.dtype)}`);
  return tensor(Float32Array.from(data), { shape });
}

function runCase(file: string, c: any, backend: BackendName): CaseResult {
  const name = String(c.name);
  const made: { dispose(): void }[] = [];
  try {
    checkGraph(c);
    const tol = c.tolerance ?? {};
    const judge = new Judge(Number(tol.atol ?? 1e-5), Number(tol.rtol ?? 1e-4));
    const wrt = (c.wrt ?? []) as string[];
    for (const w of wrt) if (!(w in c.inputs)) throw new Error(`wrt names ${JSON.stringify(w)}, which is not an input`);
    const exp = c.expected ?? {};
    const env0 = new Map<string, Value>();
    const params = new Map<string, Param>();
    for (const [k, spec] of Object.entries(c.inputs as Record<string, any>)) {
      if (c.kind === 'train' && wrt.includes(k)) {
        const p = param(Float32Array.from(flat(spec.data)), { shape: spec.shape, name: k });
        params.set(k, p);
        made.push(p);
        env0.set(k, p);
      } else {
        const t = makeInput(spec, k);
        made.push(t);
        env0.set(k, t);
      }
    }
    const program = (xs: Value[]) => {
      const env = new Map(env0);
      if (c.kind !== 'train') wrt.forEach((w, i) => env.set(w, xs[i]));
      return evaluate(c, env);
    };
    switch (c.kind) {
      case 'grad': {
        const step = valueAndGrad((...xs: Value[]) => program(xs), { argnums: wrt.map((_, i) => i) });
        made.push(step);
        const [value, grads] = step(...wrt.map((w) => env0.get(w)!));
        judge.compare([value], refData(exp.value), 'value');
        wrt.forEach((w, i) => judge.compare(grads[i] as Float32Array, refData(exp.grads?.[w]), `grad ${w}`));
        break;
      }
      case 'hessian': {
        if (wrt.length !== 1) throw new Error('a hessian case differentiates with respect to exactly one input');
        const r = hessianAt((x) => program([x]), env0.get(wrt[0]));
        judge.compare([r.value], refData(exp.value), 'value');
        if (exp.grads?.[wrt[0]] !== undefined) judge.compare(r.grad, refData(exp.grads[wrt[0]]), `grad ${wrt[0]}`);
        judge.compare(r.hessian, refData(exp.hessian), 'hessian');
        break;
      }
      case 'jacobian': {
        if (wrt.length !== 1) throw new Error('a jacobian case differentiates with respect to exactly one input');
        const r = jacobianAt((x) => program([x]), env0.get(wrt[0]));
        judge.compare(r.value, refData(exp.value), 'value');
        judge.compare(r.jacobian, refData(exp.jacobian), 'jacobian');
        break;
      }
      case 'train': {
        const ps = wrt.map((w) => params.get(w)!);
        const opt: Optimizer<any> = build(String(c.optimizer), c.options ?? {}, ps);
        made.push(opt);
        const step = valueAndGrad(() => program([]), { argnums: [] });
        made.push(step);
        (exp.steps as any[]).forEach((s, i) => {
          opt.zeroGrad();
          const [loss] = step();
          judge.compare([loss], refData(s.loss), `step ${i + 1} loss`);
          opt.step();
          for (const w of wrt) judge.compare(params.get(w)!.data, refData(s.params?.[w]), `step ${i + 1} ${w}`);
        });
        break;
      }
      default:
        throw new Error(`unknown kind ${JSON.stringify(c.kind)} (known: grad, hessian, jacobian, train)`);
    }
    return { file, name, backend, passed: judge.bad === null, detail: judge.detail() };
  } catch (e) {
    return { file, name, backend, passed: false, detail: `threw: ${(e as Error).message}` };
  } finally {
    for (const m of made.reverse()) m.dispose();
  }
}

export const autogradHandler: Handler = {
  name: 'autograd',
  matches: (f) => /^autograd.*\.json$/.test(f),
  async run(file, json, ctx) {
    const out: CaseResult[] = [];
    for (const backend of ctx.backends) {
      await ctx.useBackend(backend);
      for (const c of json.cases as any[]) out.push(runCase(file, c, backend));
    }
    return out;
  },
};
