// The kernel manifest: every export of the Wasm builds, its arguments, and the constants both
// languages share, in one table. scripts/gen-glue.mjs (run by `npm run build`) turns it into
// assembly/index.ts, assembly/constants.gen.ts, src/wasm/abi.gen.ts, src/wasm/constants.gen.ts and
// src/ref/bindings.gen.ts; test/kernels/parity.test.ts, test/property/kernels.property.test.ts and
// bench/kernels.bench.mjs read it to test and time every kernel.
//
// ## Adding a kernel
// 1. Write the kernel in assembly/kernels/<family>.ts (contract in the file's opening lines).
// 2. Write its plain-JS reference in src/ref/<family>.ts: the same name and arguments, with the
//    heap first: `f32_foo(h: Heap, out: number, x: number, n: number)` (optimizer references end
//    with the rounding function `fr`).
// 3. Add one line to its family in scripts/manifest/<family>.mjs, e.g.
//      ['f32_foo(out: f32 out[n], x: f32 in[n], n: i32 dim)', { alias: 'out=x' }],
//    then `npm run build`. The export, the TypeScript interface, the required-exports check, the
//    js-backend binding, the parity and property tests and the benchmark entry all follow.
// A new family is a new file in scripts/manifest/ listed in FAMILY_MODULES below.
// Builds: both release builds compile the one entry assembly/index.ts (the SIMD one with
// ASC_FEATURE_SIMD), so every kernel is in both; a kernel picks its loop with `if (ASC_FEATURE_SIMD)`.
// Benchmark-only variants (XNNPACK's `__scalar`, `__u8` names) are lines with `variant: 'bench'`.
//
// ## A kernel line: `name(arg, ...): ret`, then options
// Each arg is `name: <type>`:
//   f32 | i32 ROLE[COUNT] DOMAIN?   a pointer to COUNT elements (f32 or i32) that the kernel reads
//                                    (in), writes (out) or both (inout); `in?`/`out?`/`inout?` may be
//                                    0 ("none"). COUNT is a JS expression of the i32 arguments.
//   f32 DOMAIN?                      a float scalar
//   i32 dim                          a size: the tests run it through the house sizes
//   i32 ld(EXPR)                     a leading dimension >= EXPR (the tests pad it)
//   i32 bool                         0 or 1
//   i32 enum(GROUP)                  one of a constant group's values
//   i32 flags(GROUP|GROUP...)        any bit set of the groups' values
//   i32 =N                           the tests pass N (a value the backends agree on)
// DOMAIN says which values the caller may pass (tests draw from it): `>=0`, `>0`, `[lo,hi]`, or,
// for i32 elements, `<EXPR` (integers in [0, EXPR), e.g. class labels `<cols`).
// ret is void (the default), f32, f64, i32 or usize.
// Options: alias 'out=x out=y' (pointer pairs that may be the same buffer); tol, how the backends
// may differ: omitted = the same bits; 'dot(K, s)' = a K-term float32 sum of products scaled by
// the scalar s after the sum, |c − ref| <= (K+3)·(2⁻²³·Σ|terms| + 2⁻¹⁵⁰·|s|) + 2⁻¹⁴⁸ (the last two
// terms for products and results that underflow); 'elem' = (|ref|+1)·1e-6; { ret: 'rel(1e-12)' } =
// the return value within 1e-12·|ref|, outputs still bit-exact; parity (a string saying why the
// backends cannot be compared); pure (the reference takes no heap); round: false (an optimizer
// reference that takes no rounding function); bench: false (not worth timing); variant: 'bench'
// (a benchmark-only variant base__suffix: exported, parity-tested against the base's reference,
// not required at load, not bound on the js backend); parallel (below).
//
// ## parallel: how the threaded build splits a kernel (src/threads/, generated dispatch)
// `parallel: { split, align?, offsets?, work?, min?, reduce?, block? }` runs the kernel over
// disjoint ranges [u0, u1) of its dim argument `split` (the "units"), one range per call, on the
// caller and the worker threads: the split argument becomes u1 − u0 and each pointer argument moves
// by u0 times its per-unit stride in elements. Strides default from the pointer's COUNT: `split`
// gives 1, `split * REST` gives REST; any other pointer is shared by every range (in-only: an
// output must move). `offsets: { ptr: 'EXPR' }` names strides the default cannot see (gemm's A
// moves by `transA ? 1 : lda` per row). A stride is `1`, a product of argument names (`n * inner`)
// or `flag ? PRODUCT : PRODUCT`: the split table (src/threads/parallel.gen.ts) holds no other form. Range bounds are multiples of `align` units (default 1),
// so every element is computed by the same code path and gives the same bits for any thread count.
// A call runs on one thread below `min` work, where work = units · `work` (an EXPR, default 1).
// `reduce: 'sum' | 'max'` is for kernels that return a reduction: the units are cut into fixed
// blocks of `block` units (an EXPR of the arguments, never of the thread count), each block's return
// value is combined in block order on every backend and for any thread count (one block: the
// kernel as it is), so the result is bit-identical however many threads ran the blocks.
// `when: 'EXPR'` limits a split to calls where EXPR holds; `parallel` may list several splits, and a
// call uses the first whose `when` holds and whose work reaches its `min`.
// A family module exports sources `{ family, asm, ref, rounding?, heap?, kernels: [[line, options?], ...] }`:
// asm and ref are the kernel and reference modules (assembly/<asm>.ts, src/ref/<ref>.ts); rounding
// marks references that take a heap of any float width and a rounding function (the optimizers);
// heap names the heap type the references read when it is not the default (TensorHeap: also i32).
import abi from './manifest/abi.mjs';
import blas1 from './manifest/blas1.mjs';
import optim from './manifest/optim.mjs';
import gemm from './manifest/gemm.mjs';
import activations from './manifest/activations.mjs';
import losses from './manifest/losses.mjs';
import penalties from './manifest/penalties.mjs';
import check from './manifest/check.mjs';
import tensor from './manifest/tensor.mjs';

/** Every family module, in export order. */
export const FAMILY_MODULES = [blas1, optim, gemm, activations, losses, penalties, check, tensor, abi];

/**
 * Constants shared by the kernels and the TypeScript above them, by group. A constant is
 * `${prefix ?? group}_${name}` in both languages (a prefix of '' gives the bare name). AssemblyScript
 * sees a group as immutable globals, or with `inline: true` as @inline constants: the two give
 * Binaryen different code (the optimizer flags as globals keep one loop per kernel with the flag
 * tested inside; inlined they split every kernel into specialised loops), so each group keeps the
 * form its kernel file had when it was tuned.
 */
export const CONSTANTS = [
  { group: 'ABI', doc: 'ABI version; bumped whenever an export changes meaning.', values: { VERSION: 2 } },
  {
    group: 'GEMM', doc: "Bytes of one thread's GEMM scratch (set_scratch): a small panel of B (4096 floats), or a strip of KC = 256 rows of 8.", inline: true,
    values: { SCRATCH_BYTES: 16384 },
  },
  {
    group: 'ACT', doc: 'Activation codes of f32_bias_act_rows / f32_act_backward.', inline: true,
    values: { IDENTITY: 0, RELU: 1, LEAKY_RELU: 2, TANH: 3, SIGMOID: 4 },
  },
  { group: 'OPTIM', prefix: '', doc: "Bit 0 of every optimizer kernel's flags: negate the gradient first (torch's `maximize`).", values: { MAXIMIZE: 1 } },
  { group: 'SGD', doc: 'f32_sgd_step flags.', values: { MOMENTUM: 2, FIRST: 4, NESTEROV: 8, L2: 16 } },
  { group: 'ADAM', doc: 'f32_adam_step flags.', values: { AMSGRAD: 2, L2: 4, DECOUPLED: 8 } },
  { group: 'ADAGRAD', doc: 'f32_adagrad_step flags.', values: { L2: 2 } },
  { group: 'ADADELTA', doc: 'f32_adadelta_step flags.', values: { L2: 2 } },
  { group: 'RMSPROP', doc: 'f32_rmsprop_step flags.', values: { CENTERED: 2, MOMENTUM: 4, L2: 8 } },
  { group: 'ADAMAX', doc: 'f32_adamax_step flags.', values: { L2: 2 } },
  { group: 'NADAM', doc: 'f32_nadam_step flags.', values: { L2: 2, DECOUPLED: 4 } },
  { group: 'RADAM', doc: 'f32_radam_step flags.', values: { L2: 2, DECOUPLED: 4, RECTIFY: 8 } },
  { group: 'LION', doc: 'f32_lion_step flags.', values: { DECOUPLED: 2 } },
  {
    group: 'BINARY', doc: "f32_binary op codes (MAXGRAD: maximum's gradient weight a > b ? 1 : a == b ? 0.5 : 0).", inline: true,
    values: { ADD: 0, SUB: 1, MUL: 2, DIV: 3, MAX: 4, MIN: 5, MAXGRAD: 6 },
  },
];

/** The full name of a constant of group record `g`. */
export const constantName = (g, name) => ((g.prefix ?? g.group) ? `${g.prefix ?? g.group}_${name}` : name);

/** The values of the groups named in `enum(...)` / `flags(...)`, or a TypeError naming the line. */
function groupValues(groups, where) {
  const out = [];
  for (const g of groups) {
    const grp = CONSTANTS.find((c) => c.group === g);
    if (!grp) throw new TypeError(`manifest: ${where}: no constant group '${g}'; the groups are ${CONSTANTS.map((c) => c.group).join(', ')}`);
    out.push(...Object.values(grp.values));
  }
  return out;
}

/** Splits at top-level commas (not inside (), [] or {}). */
function splitTop(s) {
  const parts = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) { parts.push(s.slice(start, i)); start = i + 1; }
  }
  const last = s.slice(start);
  if (last.trim()) parts.push(last);
  return parts.map((p) => p.trim());
}

function parseDomain(text, where) {
  const d = text.trim();
  if (!d) return null;
  if (d === '>=0') return { min: 0 };
  if (d === '>0') return { min: 0, open: true };
  let m = /^\[\s*([-+.\deE]+)\s*,\s*([-+.\deE]+)\s*\]$/.exec(d);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^<(.+)$/.exec(d);
  if (m) return { below: m[1].trim() };
  throw new TypeError(`manifest: ${where}: unknown domain '${d}'; use >=0, >0, [lo,hi] or <EXPR`);
}

const RETURNS = ['void', 'f32', 'f64', 'i32', 'usize'];

/** Parses one argument `name: type`. */
function parseArg(text, where) {
  const m = /^([A-Za-z_]\w*)\s*:\s*(.+)$/.exec(text);
  if (!m) throw new TypeError(`manifest: ${where}: cannot read argument '${text}'; write name: type`);
  const [, name, type] = m;
  const at = `${where}, argument ${name}`;
  let t = /^(f32|i32)\s+(in|out|inout)(\?)?\s*\[([^\]]+)\]\s*(.*)$/.exec(type);
  if (t) {
    const domain = parseDomain(t[5], at);
    if (domain?.below && t[1] !== 'i32') throw new TypeError(`manifest: ${at}: '<EXPR' is for i32 elements only`);
    return { name, kind: 'ptr', elem: t[1], role: t[2], optional: !!t[3], count: t[4].trim(), domain };
  }
  t = /^f32\s*(.*)$/.exec(type);
  if (t) return { name, kind: 'f32', domain: parseDomain(t[1], at) };
  t = /^i32\s+(dim|bool|ld\((.+)\)|enum\((\w+)\)|flags\(([\w|]+)\)|=\s*(-?\d+))$/.exec(type);
  if (t) {
    if (t[1] === 'dim') return { name, kind: 'dim' };
    if (t[1] === 'bool') return { name, kind: 'enum', values: [0, 1] };
    if (t[2] !== undefined) return { name, kind: 'ld', min: t[2].trim() };
    if (t[3] !== undefined) return { name, kind: 'enum', group: t[3], values: groupValues([t[3]], at) };
    if (t[4] !== undefined) return { name, kind: 'flags', groups: t[4].split('|'), bits: groupValues(t[4].split('|'), at) };
    return { name, kind: 'fixed', value: Number(t[5]) };
  }
  throw new TypeError(`manifest: ${at}: unknown type '${type}'; see the grammar at the top of scripts/manifest.mjs`);
}

/** Parses a kernel line `name(args): ret` with its options into a kernel record. */
export function parseKernel(line, options = {}, source) {
  const m = /^\s*([A-Za-z_]\w*)\s*\(([\s\S]*)\)\s*(?::\s*(\w+))?\s*$/.exec(line);
  if (!m) throw new TypeError(`manifest: cannot read kernel line '${line}'; write name(arg: type, ...): ret`);
  const [, name, argText, ret = 'void'] = m;
  if (!RETURNS.includes(ret)) throw new TypeError(`manifest: ${name}: return type '${ret}' is not one of ${RETURNS.join(', ')}`);
  const known = ['alias', 'tol', 'parity', 'pure', 'round', 'bench', 'variant', 'parallel'];
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new TypeError(`manifest: ${name}: unknown option '${k}'; the options are ${known.join(', ')}`);
  }
  const args = splitTop(argText).map((a) => parseArg(a, name));
  const byName = new Map(args.map((a) => [a.name, a]));
  if (byName.size !== args.length) throw new TypeError(`manifest: ${name}: two arguments share a name`);
  const alias = (options.alias ?? '').split(/\s+/).filter(Boolean).map((pair) => {
    const [a, b] = pair.split('=');
    for (const p of [a, b]) {
      if (byName.get(p)?.kind !== 'ptr') throw new TypeError(`manifest: ${name}: alias '${pair}' names '${p}', which is not a pointer argument`);
    }
    if (byName.get(a).count !== byName.get(b).count || byName.get(a).elem !== byName.get(b).elem) {
      throw new TypeError(`manifest: ${name}: alias '${pair}' joins pointers of different sizes or element types`);
    }
    return [a, b];
  });
  if (options.variant !== undefined && (options.variant !== 'bench' || !name.includes('__'))) {
    throw new TypeError(`manifest: ${name}: variant must be 'bench' on a name base__suffix`);
  }
  if (options.parity !== undefined && typeof options.parity !== 'string') {
    throw new TypeError(`manifest: ${name}: parity takes a string saying why the backends cannot be compared`);
  }
  const parallel = options.parallel === undefined ? null
    : (Array.isArray(options.parallel) ? options.parallel : [options.parallel]).map((p) => parseParallel(name, p, args, ret));
  return {
    name,
    family: source.family,
    asm: source.asm,
    ref: source.ref,
    rounding: !!source.rounding && options.round !== false,
    heapType: source.heap ?? (source.rounding ? 'OptimHeap' : 'Heap'),
    args,
    ret,
    alias,
    tol: options.tol ?? null,
    parity: options.parity ?? null,
    pure: !!options.pure,
    bench: options.bench !== false && options.parity === undefined,
    variant: options.variant ?? null,
    parallel,
    line: line.trim(),
  };
}

const PARALLEL_KEYS = ['split', 'align', 'offsets', 'work', 'min', 'reduce', 'block', 'when'];

/**
 * Reads one split of a kernel's `parallel` option into { split, align, strides: { ptr: EXPR }, work, min, reduce,
 * block }, or a TypeError naming the kernel: the split must be a dim argument, every output pointer
 * must move with the split, and a reduction must return a value.
 */
function parseParallel(name, p, args, ret) {
  const at = `manifest: ${name}: parallel`;
  if (typeof p !== 'object' || p === null) throw new TypeError(`${at} takes { ${PARALLEL_KEYS.join(', ')} }`);
  for (const key of Object.keys(p)) {
    if (!PARALLEL_KEYS.includes(key)) throw new TypeError(`${at}: unknown key '${key}'; the keys are ${PARALLEL_KEYS.join(', ')}`);
  }
  const split = args.find((a) => a.name === p.split);
  if (!split || split.kind !== 'dim') throw new TypeError(`${at}: split '${p.split}' is not a dim argument`);
  const align = p.align ?? 1;
  if (!Number.isInteger(align) || align < 1) throw new TypeError(`${at}: align must be a whole number >= 1, got ${align}`);
  for (const key of Object.keys(p.offsets ?? {})) {
    if (args.find((a) => a.name === key)?.kind !== 'ptr') throw new TypeError(`${at}: offsets names '${key}', which is not a pointer argument`);
  }
  const strides = {};
  for (const a of args) {
    if (a.kind !== 'ptr') continue;
    const m = new RegExp(`^${p.split}\\s*\\*\\s*(.+)$`).exec(a.count);
    const stride = p.offsets?.[a.name] ?? (a.count === p.split ? '1' : m ? m[1] : null);
    if (stride !== null) strides[a.name] = String(stride);
    else if (a.role !== 'in') throw new TypeError(`${at}: output '${a.name}' (count ${a.count}) does not move with the split; give its stride in offsets`);
  }
  if (p.reduce !== undefined && !['sum', 'max'].includes(p.reduce)) throw new TypeError(`${at}: reduce must be 'sum' or 'max', got ${p.reduce}`);
  if (p.reduce !== undefined && ret === 'void') throw new TypeError(`${at}: reduce needs a kernel that returns a value`);
  if (p.reduce === undefined && ret !== 'void') throw new TypeError(`${at}: a kernel that returns a value needs reduce ('sum' or 'max')`);
  if (p.reduce !== undefined && p.block === undefined) throw new TypeError(`${at}: reduce needs block (units per fixed block)`);
  const min = p.min ?? 0;
  if (!Number.isFinite(min) || min < 0) throw new TypeError(`${at}: min must be a number >= 0, got ${min}`);
  if (p.reduce !== undefined && p.when !== undefined) throw new TypeError(`${at}: a reduction splits the same way every call: drop when`);
  return {
    split: p.split, align, strides, work: String(p.work ?? '1'), min, reduce: p.reduce ?? null,
    block: p.block === undefined ? null : String(p.block), when: p.when === undefined ? null : String(p.when),
  };
}

/** Reads family modules (arrays of sources) into the list of kernels, checked. */
export function readManifest(families = FAMILY_MODULES) {
  const kernels = [];
  for (const sources of families) {
    for (const source of sources) {
      for (const [line, options] of source.kernels) kernels.push(parseKernel(line, options, source));
    }
  }
  const seen = new Set();
  for (const k of kernels) {
    if (seen.has(k.name)) throw new TypeError(`manifest: kernel ${k.name} is listed twice`);
    seen.add(k.name);
  }
  for (const k of kernels) {
    if (k.variant && !seen.has(k.name.split('__')[0])) throw new TypeError(`manifest: ${k.name}: no base kernel ${k.name.split('__')[0]}`);
  }
  return kernels;
}

/** Every kernel, parsed. */
export const KERNELS = readManifest();
