// The harness of the bad-input table: runs one row against the package API `d` (the source in
// tests, dist/ in scripts/probe.mjs, so the same rows probe an older build) and classifies it.
//
// Outcomes:
//   clear    the expected error class, with every expected fragment (argument name, value as passed)
//   correct  a row that must succeed did, and its check held
//   crash    an internal error escaped (engine messages such as "detached ArrayBuffer", "Cannot read
//            properties", "is not a function"), or an error that is not an Error at all
//   vague    an error, but of another class or without the argument name / the value as passed;
//            or a valid input refused
//   silent   no error where one was due, or a wrong result
//   changed  the expected error, but parameters, optimizer or scheduler state changed before it
//   leak     memoryStats().bytesInUse differs after the row (and after disposing what it built)
//   n/a      the row needs an export this build does not have

const INTERNAL = /detached ArrayBuffer|out of bounds|Cannot read propert|Cannot set propert|Cannot destructure|is not a function|is not iterable|is not a constructor|undefined is not|null is not|Maximum call stack|Invalid typed array length|Invalid array length|unreachable|memory access|Cannot convert|Cannot mix BigInt|offset is out/;

function isInternal(e) {
  if (!(e instanceof Error)) return true;
  if (e.constructor?.name === 'RuntimeError') return true;
  return INTERNAL.test(e.message);
}

function disposeAll(x) {
  if (x === null || x === undefined) return;
  if (Array.isArray(x)) { x.forEach(disposeAll); return; }
  if (typeof x === 'object' && typeof x.dispose === 'function') {
    try { x.dispose(); } catch { /* already disposed, or another backend */ }
  }
}

/** A snapshot of everything a refused call must leave alone. */
function snapshot(ctx) {
  if (!ctx) return '';
  const parts = [];
  const models = [ctx.model, ...(ctx.models ?? [])].filter(Boolean);
  for (const m of models) {
    try { for (const p of m.parameters()) parts.push(Array.from(p.data).join(',')); } catch { parts.push('?'); }
  }
  for (const o of [ctx.opt, ctx.sched].filter(Boolean)) {
    try { parts.push(JSON.stringify(o.stateDict())); } catch { parts.push('?'); }
  }
  for (const t of ctx.tensors ?? []) {
    try { parts.push(Array.from(t.data).join(',')); } catch { parts.push('?'); }
  }
  return parts.join('|');
}

function ownedBy(ctx) {
  if (!ctx) return [];
  return [ctx.sched, ctx.opt, ctx.model, ...(ctx.models ?? []), ...(ctx.tensors ?? []), ...(ctx.dispose ?? [])];
}

/**
 * Runs `row` and returns { outcome, detail }. `d` is the package API; `bytes()` reads
 * memoryStats().bytesInUse.
 */
export async function runRow(d, row) {
  for (const name of row.needs ?? []) if (!(name in d)) return { outcome: 'n/a', detail: `needs ${name}` };
  if (row.fresh) {
    // A new backend of the same kind with a small memory: growth and out-of-memory become
    // deterministic (the limit toggles so that init() really builds a new one).
    const mb = d.backendInfo().maxMemoryMB === row.fresh ? row.fresh + 1 : row.fresh;
    await d.init({ backend: d.backendName(), maxMemoryMB: mb, threads: d.backendInfo().threads }); // the same threads: a shared memory never detaches views
  }
  const bytes = () => d.memoryStats().bytesInUse;
  const base = bytes();
  let ctx;
  let outcome;
  let detail = '';
  let result;
  try {
    ctx = row.setup ? await row.setup(d) : undefined;
  } catch (e) {
    return { outcome: 'crash', detail: `setup failed: ${e?.message ?? e}` };
  }
  const before = snapshot(ctx);
  const bytesBefore = bytes();
  let threw = false;
  let err;
  try {
    result = await row.run(ctx, d);
  } catch (e) {
    threw = true;
    err = e;
  }
  if (row.expect === 'ok') {
    if (threw) {
      outcome = isInternal(err) ? 'crash' : 'vague';
      detail = `${err?.constructor?.name}: ${err?.message ?? err}`;
    } else {
      let ok = true;
      try {
        ok = row.check ? (await row.check(result, ctx, d)) !== false : true;
      } catch (e) {
        ok = false;
        detail = `check threw ${e?.message ?? e}`;
      }
      outcome = ok ? 'correct' : 'silent';
      if (!ok && !detail) detail = 'wrong result';
    }
  } else if (!threw) {
    outcome = 'silent';
    detail = 'no error';
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    const cls = err?.constructor?.name;
    const missing = (row.has ?? []).filter((f) => !msg.includes(f));
    if (isInternal(err)) {
      outcome = 'crash';
    } else if (cls !== row.expect || missing.length > 0) {
      outcome = 'vague';
    } else if (!row.mayChange && snapshot(ctx) !== before) {
      outcome = 'changed';
    } else if (!row.mayChange && bytes() !== bytesBefore) {
      outcome = 'leak';
      detail = `bytesInUse ${bytesBefore} -> ${bytes()} after the refusal`;
    } else {
      outcome = 'clear';
    }
    if (outcome !== 'clear' && !detail) detail = `${cls}: ${msg}${missing.length ? ` [missing: ${missing.join(' | ')}]` : ''}`;
  }
  disposeAll(result);
  disposeAll(ownedBy(ctx));
  const after = bytes();
  if (after !== base && outcome !== 'crash') {
    detail = `bytesInUse ${base} -> ${after} after disposing everything the row built${detail ? `; ${detail}` : ''}`;
    outcome = 'leak';
  }
  return { outcome, detail };
}

export const OUTCOMES = ['clear', 'correct', 'crash', 'vague', 'silent', 'changed', 'leak', 'n/a'];
