/**
 * Line searches along a direction d from x: torch 1.13's strong-Wolfe search (`_strong_wolfe` and
 * `_cubic_interpolate` in torch/optim/lbfgs.py, themselves ports of Schmidt's minFunc through
 * torch/optim's lswolfe.lua and polyinterp.lua), and backtracking Armijo (Nocedal & Wright,
 * Algorithm 3.1). The strong-Wolfe port keeps torch's branch order and bracket bookkeeping, so L-BFGS
 * built on it makes the same closure calls as torch.
 */

/** f and its gradient at x + t·d; `g` must be a fresh array the search may keep. */
export type DirectionalObjective = (t: number) => { f: number; g: Float64Array };

function dotDir(g: Float64Array, d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * d[i];
  return s;
}

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `bounds` (default: the interval between x1 and x2); the bounds' midpoint when the cubic has no
 * real minimiser. A port of torch's `_cubic_interpolate`.
 */
export function cubicInterpolate(
  x1: number, f1: number, g1: number,
  x2: number, f2: number, g2: number,
  bounds?: readonly [number, number],
): number {
  let xminBound: number, xmaxBound: number;
  if (bounds) [xminBound, xmaxBound] = bounds;
  else [xminBound, xmaxBound] = x1 <= x2 ? [x1, x2] : [x2, x1];
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // torch's min(max(minPos, lo), hi) with Python's builtins, which keep their first argument
    // unless the second compares strictly larger / smaller (Math.max/min differ on NaN).
    const lo = pyMax(minPos, xminBound);
    return pyMin(lo, xmaxBound);
  }
  return (xminBound + xmaxBound) / 2;
}

// Python's builtin max(a, b) returns a unless b > a; min(a, b) returns a unless b < a.
function pyMax(a: number, b: number): number { return b > a ? b : a; }
function pyMin(a: number, b: number): number { return b < a ? b : a; }

export interface StrongWolfeResult {
  f: number;
  g: Float64Array;
  t: number;
  /** The number of objective evaluations made. */
  evals: number;
}

/**
 * Strong-Wolfe line search: finds t with f(x+td) ≤ f + c1·t·gtd and |∇f(x+td)ᵀd| ≤ c2·|gtd|, by
 * bracketing (extrapolating with cubic interpolation between t + 0.01(t − t_prev) and 10t) and then
 * zooming (cubic interpolation, kept 10% of the bracket away from its ends). Stops after `maxLs`
 * evaluations beyond the first, or when the bracket is shorter than toleranceChange / max|dᵢ|. A port of torch's
 * `_strong_wolfe`; c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25 by default.
 *
 * @param obj    f and gradient at x + t·d (x is fixed by the caller)
 * @param d      the search direction
 * @param t      the initial step
 * @param f      f(x); `g` ∇f(x); `gtd` = ∇f(x)ᵀd (must be negative)
 */
export function strongWolfe(
  obj: DirectionalObjective,
  d: Float64Array,
  t: number,
  f: number,
  g: Float64Array,
  gtd: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): StrongWolfeResult {
  let dNormInf = 0;
  for (let i = 0; i < d.length; i++) dNormInf = pyMax(dNormInf, Math.abs(d[i]));
  let { f: fNew, g: gNew } = obj(t);
  let evals = 1;
  let gtdNew = dotDir(gNew, d);

  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Float64Array[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // extrapolate
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp; fPrev = fNew; gPrev = gNew; gtdPrev = gtdNew;
    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dotDir(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
  }

  // zoom
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNormInf < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = pyMax(bracket[0], bracket[1]);
    const bMin = pyMin(bracket[0], bracket[1]);
    const eps = 0.1 * (bMax - bMin);
    if (pyMin(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dotDir(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew; bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        bracket[highPos] = bracket[lowPos]; bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos]; bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew; bracketGtd[lowPos] = gtdNew;
    }
  }
  return { f: bracketF[lowPos], g: bracketG[lowPos], t: bracket[lowPos], evals };
}

export interface ArmijoResult {
  /** The accepted step, or the last one tried when `ok` is false. */
  t: number;
  f: number;
  evals: number;
  ok: boolean;
}

/**
 * Backtracking Armijo search: tries t = t0, ρ·t0, ρ²·t0, … until φ(t) ≤ f + c1·t·gtd, at most
 * `maxEvals` times (Nocedal & Wright, Algorithm 3.1). Defaults c1 = 1e-4, ρ = 0.5, 50 evaluations.
 *
 * @param phi f(x + t·d)
 */
export function backtrackingArmijo(
  phi: (t: number) => number,
  f: number,
  gtd: number,
  t0: number,
  c1 = 1e-4,
  shrink = 0.5,
  maxEvals = 50,
): ArmijoResult {
  let t = t0;
  let fNew = NaN;
  for (let k = 1; k <= maxEvals; k++) {
    fNew = phi(t);
    if (fNew <= f + c1 * t * gtd) return { t, f: fNew, evals: k, ok: true };
    if (k < maxEvals) t *= shrink;
  }
  return { t, f: fNew, evals: maxEvals, ok: false };
}
