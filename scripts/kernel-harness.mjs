// Turns manifest lines (scripts/manifest.mjs) into concrete kernel calls: argument values from a
// case, buffers laid out with guard zones, the call on a backend or on the plain-JS reference, and
// the comparison the manifest states. Shared by test/kernels/parity.test.ts,
// test/property/kernels.property.test.ts and bench/kernels.bench.mjs; it imports nothing from
// src/ (callers hand in backends and reference modules), so it runs on src/ under vitest and on
// dist/ under plain Node.

/** The house sizes every dimension runs through. */
export const SIZES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 1000];
/** The other dimensions of a multi-dimensional kernel while one runs through SIZES. */
const OTHER_DIMS = [5, 7, 3];
/** Guard elements before and after every buffer: a kernel must leave them as they were. */
export const GUARD = 4;

const U = 2 ** -23;
const fr = Math.fround;

const exprCache = new Map();
/** Evaluates a count or leading-dimension expression of the manifest over the i32 arguments. */
export function evalExpr(expr, ints) {
  const names = Object.keys(ints);
  const key = `${names.join(',')}|${expr}`;
  let f = exprCache.get(key);
  if (!f) exprCache.set(key, (f = new Function(...names, `return (${expr});`)));
  const v = f(...names.map((n) => ints[n]));
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`kernel-harness: '${expr}' gave ${v} for ${JSON.stringify(ints)}`);
  return v;
}

/** A small seeded generator (xorshift32), so every case is reproducible from its seed. */
export function rng(seed) {
  let s = (Math.imul(seed | 0, 2654435761) >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Special values allowed by a float domain (all of them for an unrestricted one), NaN always. */
export function specialsFor(domain) {
  const all = [0, -0, 1e-45, -1e-45, 1e-40, -1.1754942e-38, 3.4028235e38, -3.4028235e38, 1e30, -1e30, Infinity, -Infinity, NaN];
  if (!domain) return all;
  const inside = all.filter((v) => v >= (domain.min ?? -Infinity) && v <= (domain.max ?? Infinity) && !(domain.open && v === 0));
  if (domain.max !== undefined) inside.push(domain.min ?? 0, domain.max);
  return [...new Set([...inside, NaN])];
}

/** One seeded value from a float domain: mixed signs and magnitudes when unrestricted. */
export function valueIn(domain, u, v) {
  if (!domain) return (u * 2 - 1) * 3 * (v < 0.15 ? 100 : v > 0.9 ? 0.01 : 1);
  if (domain.max !== undefined) return domain.min + u * (domain.max - domain.min);
  const x = u * 3 * (v < 0.15 ? 100 : 1);
  return domain.open && x === 0 ? 0.5 : x;
}

/** The i32 arguments (dims, leading dimensions, enums, flags, fixed) of a kernel, in order of need. */
function intArgs(k) {
  return k.args.filter((a) => a.kind !== 'ptr' && a.kind !== 'f32');
}

/**
 * The deterministic parity cases of a kernel: every dimension through SIZES (the others at small
 * defaults), every enum value and flag combination, optional pointers present and absent, and each
 * declared alias pair on top of the plain case.
 */
export function parityCases(k) {
  const dims = k.args.filter((a) => a.kind === 'dim');
  const shapes = [];
  if (dims.length === 0) shapes.push({});
  for (const n of SIZES) {
    for (let j = 0; j < dims.length; j++) {
      const s = {};
      dims.forEach((d, i) => (s[d.name] = i === j ? n : OTHER_DIMS[i % OTHER_DIMS.length]));
      if (!shapes.some((t) => dims.every((d) => t[d.name] === s[d.name]))) shapes.push(s);
    }
  }
  const choices = [];
  for (const a of k.args) {
    if (a.kind === 'enum') choices.push(a.values.map((v) => [a.name, v]));
    if (a.kind === 'flags') {
      const mask = a.bits.reduce((x, b) => x | b, 0);
      const subsets = [];
      for (let f = 0; f <= mask; f++) if ((f & ~mask) === 0) subsets.push([a.name, f]);
      choices.push(subsets);
    }
    if (a.kind === 'ptr' && a.optional) choices.push([[`${a.name}?`, true], [`${a.name}?`, false]]);
  }
  const combos = choices.reduce((acc, opts) => acc.flatMap((c) => opts.map((o) => [...c, o])), [[]]);
  const cases = [];
  let seed = 1;
  shapes.forEach((shape, si) => {
    for (const combo of combos) {
      const picks = Object.fromEntries(combo);
      const present = Object.fromEntries(k.args.filter((a) => a.kind === 'ptr').map((a) => [a.name, !a.optional || picks[`${a.name}?`]]));
      const ints = {};
      for (const a of intArgs(k)) {
        if (a.kind === 'dim') ints[a.name] = shape[a.name];
        else if (a.kind === 'enum' || a.kind === 'flags') ints[a.name] = picks[a.name];
        else if (a.kind === 'fixed') ints[a.name] = a.value;
        else if (a.kind === 'ld') ints[a.name] = evalExpr(a.min, ints) + (si % 2) * 3;
      }
      if (!admissible(k, ints)) continue;
      for (const alias of [null, ...k.alias]) {
        if (alias && !(present[alias[0]] && present[alias[1]])) continue;
        for (const data of ['finite', 'special']) cases.push({ ints, present, alias, data, seed: seed++ });
      }
    }
  });
  return cases;
}

/**
 * Whether the i32 arguments admit data: a non-empty buffer of labels `<cols` needs cols >= 1 (the
 * callers guarantee labels in range, so a case without any valid label is not a call they make).
 */
export function admissible(k, ints) {
  return k.args.every((a) => a.kind !== 'ptr' || a.domain?.below === undefined || evalExpr(a.count, ints) === 0 || evalExpr(a.domain.below, ints) > 0);
}

/** Element counts of the kernel's pointers for a case's i32 arguments. */
export function counts(k, ints) {
  const out = {};
  for (const a of k.args) if (a.kind === 'ptr') out[a.name] = evalExpr(a.count, ints);
  return out;
}

/**
 * Fills a case's inputs: `values[name]` for each pointer (its initial contents, also for outputs)
 * and each float scalar. 'finite' data is seeded and mixed in magnitude within each domain;
 * 'special' data also puts the domain's special values (±0, subnormals, huge, ±Inf, NaN) at every
 * seventh element and in some scalars.
 */
export function fillCase(k, c) {
  if (c.values) return c.values;
  const r = rng(c.seed);
  const cnt = counts(k, c.ints);
  const values = {};
  for (const a of k.args) {
    if (a.kind === 'ptr') {
      const n = cnt[a.name];
      if (a.elem === 'i32') {
        const bound = a.domain?.below !== undefined ? evalExpr(a.domain.below, c.ints) : 1000;
        values[a.name] = Int32Array.from({ length: n }, () => Math.floor(r() * bound));
      } else {
        const sp = specialsFor(a.domain);
        const off = Math.floor(r() * 7);
        values[a.name] = Float32Array.from({ length: n }, (_, i) => {
          const u = r(), v = r();
          return c.data === 'special' && i % 7 === off ? sp[Math.floor(v * sp.length)] : valueIn(a.domain, u, v);
        });
      }
    } else if (a.kind === 'f32') {
      const u = r(), v = r();
      const sp = specialsFor(a.domain);
      values[a.name] = fr(c.data === 'special' && v < 0.2 ? sp[Math.floor(u * sp.length)] : valueIn(a.domain, u, v));
    }
  }
  return values;
}

/** The buffers a case needs: one per pointer, except that an aliased pointer shares its partner's. */
function layout(k, c) {
  const cnt = counts(k, c.ints);
  const owner = {};
  for (const a of k.args) if (a.kind === 'ptr') owner[a.name] = a.name;
  if (c.alias) owner[c.alias[0]] = c.alias[1];
  return { cnt, owner };
}

/** A call's arguments in order: pointers from `ptrOf(name)` (0 where absent), float scalars from `values`, the rest from the case. */
export function argList(k, c, values, ptrOf) {
  return k.args.map((a) => (a.kind === 'ptr' ? (c.present[a.name] ? ptrOf(a.name) : 0) : a.kind === 'f32' ? values[a.name] : c.ints[a.name]));
}

/**
 * Runs a case: `mem.alloc(bytes)` gives a 16-byte aligned byte address, `mem.f32()` the current
 * element view, `call(args)` runs the kernel. Guards hold `guard`. Returns every buffer's final
 * contents with its guards, the return value, and whether the guards survived.
 */
function runWith(k, c, values, mem, call, guard) {
  const { cnt, owner } = layout(k, c);
  const base = {};
  for (const a of k.args) {
    if (a.kind !== 'ptr' || owner[a.name] !== a.name || !c.present[a.name]) continue;
    const n = cnt[a.name];
    const block = mem.alloc((n + 2 * GUARD) * 4);
    const f32 = mem.f32();
    f32.fill(guard, block >>> 2, (block >>> 2) + n + 2 * GUARD);
    const ptr = block + GUARD * 4;
    if (a.elem === 'i32') new Int32Array(f32.buffer, ptr, n).set(values[a.name]);
    else f32.set(values[a.name], ptr >>> 2);
    base[a.name] = ptr;
  }
  const ret = call(argList(k, c, values, (name) => base[owner[name]]));
  const f32 = mem.f32();
  const buffers = {};
  let guardsOk = true;
  for (const [name, ptr] of Object.entries(base)) {
    const a = k.args.find((x) => x.name === name);
    const n = cnt[name], i0 = ptr >>> 2;
    for (let g = 1; g <= GUARD; g++) {
      if (!Object.is(f32[i0 - g], guard) || !Object.is(f32[i0 + n - 1 + g], guard)) guardsOk = false;
    }
    buffers[name] = a.elem === 'i32' ? new Int32Array(f32.buffer, ptr, n).slice() : f32.slice(i0, i0 + n);
  }
  return { buffers, ret, guardsOk };
}

const BACKEND_GUARD = -6789.25, REF_GUARD = 12345.5;

/** Runs a case on a backend ({ k, arena, memory }), freeing what it allocated. */
export function runOnBackend(k, c, backend, values = fillCase(k, c)) {
  const blocks = [];
  const mem = {
    alloc: (bytes) => { const p = backend.arena.alloc(bytes); blocks.push(p); return p; },
    f32: () => new Float32Array(backend.memory.buffer),
  };
  try {
    return runWith(k, c, values, mem, (args) => backend.k[k.name](...args), BACKEND_GUARD);
  } finally {
    for (const p of blocks) backend.arena.free(p);
  }
}

/**
 * Runs a case on the kernel's plain-JS reference, called directly (not through the js backend's
 * bindings): `refModules[k.ref]` is the module, `makeHeap(buffer)` a src/ref/heap.ts Heap.
 */
export function runOnReference(k, c, refModules, makeHeap, values = fillCase(k, c)) {
  const { cnt, owner } = layout(k, c);
  let bytes = 16;
  for (const a of k.args) if (a.kind === 'ptr' && owner[a.name] === a.name) bytes += (cnt[a.name] + 2 * GUARD) * 4 + 16;
  const buffer = new ArrayBuffer(Math.ceil(bytes / 16) * 16);
  const heap = makeHeap(buffer);
  let next = 16;
  const mem = {
    alloc: (n) => { const p = next; next += Math.ceil(n / 16) * 16; return p; },
    f32: () => new Float32Array(buffer),
  };
  const base = k.variant ? k.name.split('__')[0] : k.name;
  const f = refModules[k.ref]?.[base];
  if (typeof f !== 'function') throw new TypeError(`kernel-harness: src/ref/${k.ref}.ts has no ${base}`);
  return runWith(k, c, values, mem, (args) => f(...(k.pure ? [] : [heap]), ...args, ...(k.rounding ? [fr] : [])), REF_GUARD);
}

/** The same inputs with every float (buffers and scalars) made non-negative: the magnitude run of 'dot(K)'. */
export function absValues(k, values) {
  const out = {};
  for (const [name, v] of Object.entries(values)) {
    out[name] = v instanceof Float32Array ? v.map(Math.abs) : typeof v === 'number' && k.args.find((a) => a.name === name)?.kind === 'f32' ? Math.abs(v) : v;
  }
  return out;
}

const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** The tolerance of a comparison, from the manifest's `tol`. */
function tolerance(k, c, values) {
  const t = k.tol;
  if (t === null) return { out: 'exact', ret: 'exact' };
  if (t === 'elem') return { out: 'elem', ret: 'elem' };
  if (typeof t === 'string' && t.startsWith('dot(')) {
    const [K, scale] = t.slice(4, -1).split(',').map((s) => s.trim());
    return { out: 'dot', ret: 'exact', K: evalExpr(K, c.ints), scale: scale ? Math.abs(values[scale]) : 1 };
  }
  if (typeof t === 'object' && /^rel\(.+\)$/.test(t.ret)) return { out: 'exact', ret: 'rel', rel: Number(t.ret.slice(4, -1)) };
  throw new TypeError(`kernel-harness: ${k.name}: unknown tol ${JSON.stringify(t)}`);
}

/**
 * Compares a backend's run with the reference's under the manifest's tolerance. Returns null when
 * they agree, else a sentence naming the buffer, the index and both values. `abs` is the
 * reference's magnitude run (needed for 'dot(K)').
 */
export function compare(k, c, got, ref, abs, values = fillCase(k, c)) {
  if (!got.guardsOk) return 'wrote outside its buffers (a guard element changed)';
  if (!ref.guardsOk) return 'the reference wrote outside its buffers';
  const tol = tolerance(k, c, values);
  for (const [name, want] of Object.entries(ref.buffers)) {
    const have = got.buffers[name];
    const role = k.args.find((a) => a.name === name).role;
    const mode = role === 'in' ? 'exact' : tol.out;
    for (let i = 0; i < want.length; i++) {
      const g = have[i], r = want[i];
      if (same(g, r)) continue;
      if (mode === 'exact' || !Number.isFinite(r) || !Number.isFinite(g)) {
        if (mode === 'dot') {
          const m = abs.buffers[name][i];
          if (Number.isNaN(m) ? Number.isNaN(g) : m === Infinity || same(g, r)) continue;
        } else if (same(g, r)) continue;
      } else if (mode === 'elem') {
        if (Math.abs(g - r) <= (Math.abs(r) + 1) * 1e-6) continue;
      } else if (mode === 'dot') {
        // (K+3)·u·Σ|terms|, plus underflow: half a subnormal step per product (scaled after the sum)
        // and per rounding of the final α·s + β·c
        if (Math.abs(g - r) <= (tol.K + 3) * (U * abs.buffers[name][i] + 2 ** -150 * tol.scale) + 2 ** -148) continue;
      }
      return `${name}[${i}] is ${g}, the reference gives ${r}${mode === 'dot' ? ` (bound from Σ|terms| = ${abs.buffers[name][i]})` : ''}`;
    }
  }
  if (k.ret !== 'void') {
    const g = got.ret, r = ref.ret;
    const ok = same(g, r) || (tol.ret === 'rel' && Math.abs(g - r) <= tol.rel * Math.abs(r)) ||
      (tol.ret === 'elem' && Math.abs(g - r) <= (Math.abs(r) + 1) * 1e-6);
    if (!ok) return `returned ${g}, the reference returns ${r}`;
  }
  return null;
}

/** A short description of a case for failure messages. */
export function describeCase(k, c, values) {
  const scalars = k.args.filter((a) => a.kind === 'f32').map((a) => `${a.name}=${values?.[a.name]}`);
  const absent = Object.entries(c.present).filter(([, p]) => !p).map(([n]) => `${n}=0`);
  return [JSON.stringify(c.ints), ...scalars, ...absent, c.alias ? `${c.alias[0]}===${c.alias[1]}` : '', c.data ?? '', c.seed !== undefined ? `seed ${c.seed}` : '']
    .filter(Boolean).join(' ');
}
