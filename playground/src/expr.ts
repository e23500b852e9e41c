/**
 * Functions of x and y typed by the user: a small recursive-descent parser (no eval, no Function
 * constructor), a float64 evaluator for contour grids, and the same expression built from descent's
 * autodiff ops so minimize gets exact gradients and Hessians.
 *
 * Grammar (usual precedence; ^ is right-associative and binds tighter than unary minus, so
 * -x^2 = -(x^2) and 2^-1 = 0.5):
 *   sum     = product (('+' | '-') product)*
 *   product = unary (('*' | '/') unary)*
 *   unary   = ('-' | '+') unary | power
 *   power   = atom ('^' unary)?
 *   atom    = number | 'x' | 'y' | 'pi' | 'e' | name '(' sum ')' | '(' sum ')'
 * with name one of sin cos exp log sqrt abs tanh. `**` is accepted for ^, and the typographic
 * − × ÷ · for - * / *.
 */
import { ops, type Input } from 'descent';

export const FUNCTIONS = ['sin', 'cos', 'exp', 'log', 'sqrt', 'abs', 'tanh'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];
export type BinaryOp = '+' | '-' | '*' | '/' | '^';

/** A parsed expression. */
export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: 'x' | 'y' }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; arg: Expr };

/** A typed expression that does not parse: the message names the place (1-based column) and the fix. */
export class ExpressionError extends SyntaxError {
  constructor(message: string, readonly column: number) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Longest expression accepted, and deepest nesting (parentheses, unary signs, powers). */
export const MAX_LENGTH = 500;
export const MAX_DEPTH = 64;

type Token =
  | { t: 'num'; value: number; text: string; col: number }
  | { t: 'name'; text: string; col: number }
  | { t: 'op'; text: BinaryOp | '(' | ')'; col: number }
  | { t: 'end'; text: ''; col: number };

const SYMBOLS: Record<string, BinaryOp | '(' | ')'> = {
  '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', '·': '*', '/': '/', '÷': '/', '^': '^', '(': '(', ')': ')',
};

const HINT = 'use x, y, numbers, pi, e, + - * / ^, parentheses and sin cos exp log sqrt abs tanh';

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const col = i + 1;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '*' && text[i + 1] === '*') { out.push({ t: 'op', text: '^', col }); i += 2; continue; }
    if (SYMBOLS[c] !== undefined) { out.push({ t: 'op', text: SYMBOLS[c], col }); i++; continue; }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      // "2e" is 2 times e only with an operator: refuse the juxtaposition below, not here.
      out.push({ t: 'num', value: Number(num[0]), text: num[0], col });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z_0-9]*/.exec(text.slice(i));
    if (name) {
      out.push({ t: 'name', text: name[0], col });
      i += name[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected character '${c}' at column ${col}; ${HINT}`, col);
  }
  out.push({ t: 'end', text: '', col: text.length + 1 });
  return out;
}

const describeToken = (tok: Token): string => (tok.t === 'end' ? 'the end' : `'${tok.text}'`);

/**
 * Parses a function of x and y. Throws ExpressionError (a SyntaxError) with the column and a fix
 * for anything else, and TypeError when `text` is not a string.
 * @example
 * parseExpression('x^2 + 3*sin(y)');
 */
export function parseExpression(text: string): Expr {
  if (typeof text !== 'string') throw new TypeError(`the expression must be a string, got ${typeof text}`);
  if (text.trim() === '') throw new ExpressionError('the expression is empty; type a function of x and y, e.g. x^2 + 3*y^2', 1);
  if (text.length > MAX_LENGTH) {
    throw new ExpressionError(`the expression has ${text.length} characters; at most ${MAX_LENGTH} are accepted, shorten it`, MAX_LENGTH + 1);
  }
  const toks = tokenize(text);
  let k = 0;
  let depth = 0;
  const peek = () => toks[k];
  const isOp = (tok: Token, ...ops: string[]) => tok.t === 'op' && ops.includes(tok.text);
  const deeper = (col: number) => {
    if (++depth > MAX_DEPTH) throw new ExpressionError(`the expression nests more than ${MAX_DEPTH} levels deep at column ${col}; simplify it`, col);
  };

  function sum(): Expr {
    let left = product();
    while (isOp(peek(), '+', '-')) {
      const op = toks[k++].text as '+' | '-';
      left = { kind: 'bin', op, left, right: product() };
    }
    return left;
  }
  function product(): Expr {
    let left = unary();
    for (;;) {
      const tok = peek();
      if (isOp(tok, '*', '/')) {
        k++;
        left = { kind: 'bin', op: tok.text as '*' | '/', left, right: unary() };
      } else if (tok.t === 'num' || tok.t === 'name' || isOp(tok, '(')) {
        const prev = toks[k - 1];
        throw new ExpressionError(
          `missing operator between ${describeToken(prev)} and ${describeToken(tok)} at column ${tok.col}; write ${prev.text}*${tok.text} for a product`, tok.col);
      } else {
        return left;
      }
    }
  }
  function unary(): Expr {
    const tok = peek();
    if (isOp(tok, '-', '+')) {
      k++;
      deeper(tok.col);
      const arg = unary();
      depth--;
      return tok.text === '-' ? { kind: 'neg', arg } : arg;
    }
    return power();
  }
  function power(): Expr {
    const base = atom();
    const tok = peek();
    if (isOp(tok, '^')) {
      k++;
      deeper(tok.col);
      const exponent = unary();
      depth--;
      return { kind: 'bin', op: '^', left: base, right: exponent };
    }
    return base;
  }
  function atom(): Expr {
    const tok = toks[k++];
    if (tok.t === 'num') {
      if (!Number.isFinite(tok.value)) throw new ExpressionError(`the number ${tok.text} at column ${tok.col} is too large`, tok.col);
      return { kind: 'num', value: tok.value };
    }
    if (tok.t === 'name') {
      const name = tok.text;
      if (name === 'x' || name === 'y') return { kind: 'var', name };
      if (name === 'pi') return { kind: 'num', value: Math.PI };
      if (name === 'e') return { kind: 'num', value: Math.E };
      if ((FUNCTIONS as readonly string[]).includes(name)) {
        const open = toks[k];
        if (!isOp(open, '(')) {
          throw new ExpressionError(`${name} at column ${tok.col} needs its argument in parentheses: ${name}(...)`, open.col);
        }
        k++;
        deeper(open.col);
        const arg = sum();
        expectClose(open);
        depth--;
        return { kind: 'call', fn: name as FunctionName, arg };
      }
      throw new ExpressionError(`unknown name '${name}' at column ${tok.col}; ${HINT}`, tok.col);
    }
    if (isOp(tok, '(')) {
      deeper(tok.col);
      const inner = sum();
      expectClose(tok);
      depth--;
      return inner;
    }
    if (tok.t === 'end') throw new ExpressionError(`the expression ends too early at column ${tok.col}; a number, x, y or '(' is missing`, tok.col);
    throw new ExpressionError(`unexpected ${describeToken(tok)} at column ${tok.col}; a number, x, y, a function or '(' was expected`, tok.col);
  }
  function expectClose(open: Token): void {
    const tok = toks[k];
    if (isOp(tok, ')')) { k++; return; }
    if (tok.t === 'end') throw new ExpressionError(`the '(' at column ${open.col} is never closed; add ')'`, tok.col);
    throw new ExpressionError(`unexpected ${describeToken(tok)} at column ${tok.col}; ')' was expected to close the '(' at column ${open.col}`, tok.col);
  }

  const e = sum();
  const rest = peek();
  if (rest.t !== 'end') {
    if (isOp(rest, ')')) throw new ExpressionError(`unmatched ')' at column ${rest.col}; remove it or add '(' before it`, rest.col);
    throw new ExpressionError(`unexpected ${describeToken(rest)} at column ${rest.col}`, rest.col);
  }
  return e;
}

const MATH: Record<FunctionName, (v: number) => number> = {
  sin: Math.sin, cos: Math.cos, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, tanh: Math.tanh,
};

/**
 * The expression as a float64 function of (x, y), built once as a tree of closures (no eval).
 * @example
 * evaluator(parseExpression('x*y + 1'))(2, 3); // 7
 */
export function evaluator(e: Expr): (x: number, y: number) => number {
  switch (e.kind) {
    case 'num': { const v = e.value; return () => v; }
    case 'var': return e.name === 'x' ? (x) => x : (_x, y) => y;
    case 'neg': { const a = evaluator(e.arg); return (x, y) => -a(x, y); }
    case 'call': { const a = evaluator(e.arg), f = MATH[e.fn]; return (x, y) => f(a(x, y)); }
    case 'bin': {
      const a = evaluator(e.left), b = evaluator(e.right);
      switch (e.op) {
        case '+': return (x, y) => a(x, y) + b(x, y);
        case '-': return (x, y) => a(x, y) - b(x, y);
        case '*': return (x, y) => a(x, y) * b(x, y);
        case '/': return (x, y) => a(x, y) / b(x, y);
        case '^': return (x, y) => Math.pow(a(x, y), b(x, y));
      }
    }
  }
}

/** True when the expression uses x or y. */
function isVariable(e: Expr): boolean {
  switch (e.kind) {
    case 'num': return false;
    case 'var': return true;
    case 'neg': case 'call': return isVariable(e.arg);
    case 'bin': return isVariable(e.left) || isVariable(e.right);
  }
}

/** The value of a part without x and y. */
const constant = (e: Expr): number => evaluator(e)(0, 0);

type Node = ReturnType<typeof ops.add>;

/**
 * A function with no autodiff op (sin, cos) as its second-order Taylor polynomial around the
 * current value u₀ of its argument: f(u₀) + f'(u₀)·d + ½f''(u₀)·d² with d = u − u₀ (= 0 in value).
 * Its value, first and second derivatives at the point are f's, so gradients and Hessians through
 * it are exact; u₀ is read afresh on every call (a step's number operands are refreshed on replay).
 */
function jet(u: Node, f0: number, f1: number, f2: number): Node {
  const d = ops.sub(u, u.data[0]);
  return ops.add(ops.add(ops.mul(d, f1), f0), ops.mul(ops.mul(d, d), f2 / 2));
}

function build(e: Expr, x: Node, y: Node): Node | number {
  if (!isVariable(e)) return constant(e);
  switch (e.kind) {
    case 'num': return e.value;
    case 'var': return e.name === 'x' ? x : y;
    case 'neg': return ops.neg(build(e.arg, x, y));
    case 'call': return call(e.fn, build(e.arg, x, y) as Node);
    case 'bin': return binary(e.op, build(e.left, x, y), build(e.right, x, y));
  }
}

function call(fn: FunctionName, u: Node): Node {
  const v = u.data[0];
  switch (fn) {
    case 'exp': return ops.exp(u);
    case 'log': return ops.log(u);
    case 'sqrt': return ops.sqrt(u);
    case 'abs': return ops.abs(u);
    case 'tanh': return ops.tanh(u);
    case 'sin': return jet(u, Math.sin(v), Math.cos(v), -Math.sin(v));
    case 'cos': return jet(u, Math.cos(v), -Math.sin(v), -Math.cos(v));
  }
}

/** a op b where at least one side depends on x or y (constant parts were folded to numbers). */
function binary(op: BinaryOp, a: Node | number, b: Node | number): Node {
  switch (op) {
    case '+': return ops.add(a, b);
    case '-': return ops.sub(a, b);
    case '*': return ops.mul(a, b);
    case '/': return ops.div(a, b);
    case '^':
      if (typeof b === 'number') return ops.pow(a, b);
      // a variable exponent: a^b = exp(b·ln a), defined for a > 0 (as Math.pow is for a non-integer b)
      return ops.exp(ops.mul(b, typeof a === 'number' ? Math.log(a) : ops.log(a)));
  }
}

/**
 * The expression built from descent's ops as a function of a point tensor [x, y], for valueAndGrad
 * and hessian: a scalar tensor whose gradient and Hessian are the expression's.
 * @example
 * const f = opsFunction(parseExpression('x*y'));
 * grad(f)([2, 3]); // [3, 2]
 */
export function opsFunction(e: Expr): (p: Input) => Node {
  return (p) => {
    const x = ops.narrow(p, 0, 0, 1), y = ops.narrow(p, 0, 1, 1);
    const out = build(e, x, y);
    // A constant still depends on the point (with zero gradient), so the step has a graph to differentiate.
    return typeof out === 'number' ? ops.add(ops.sum(ops.mul(p, 0)), out) : ops.sum(out);
  };
}

const PRECEDENCE: Record<BinaryOp, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '^': 4 };

/**
 * The expression written back with the parentheses it needs (for labels and messages).
 * @example
 * formatExpression(parseExpression('(x)+((y*2))')); // 'x + y*2'
 */
export function formatExpression(e: Expr): string {
  const wrap = (s: string, yes: boolean) => (yes ? `(${s})` : s);
  const prec = (n: Expr): number => (n.kind === 'bin' ? PRECEDENCE[n.op] : n.kind === 'neg' ? 3 : 5);
  switch (e.kind) {
    case 'num': return e.value === Math.PI ? 'pi' : e.value === Math.E ? 'e' : String(e.value);
    case 'var': return e.name;
    case 'neg': return `-${wrap(formatExpression(e.arg), prec(e.arg) < 4)}`;
    case 'call': return `${e.fn}(${formatExpression(e.arg)})`;
    case 'bin': {
      const p = PRECEDENCE[e.op];
      // left-associative ops need parentheses on the right at equal precedence; ^ on the left.
      const l = wrap(formatExpression(e.left), e.op === '^' ? prec(e.left) <= p : prec(e.left) < p);
      const r = wrap(formatExpression(e.right), e.op === '^' ? prec(e.right) < 3 : prec(e.right) <= p);
      return e.op === '+' || e.op === '-' ? `${l} ${e.op} ${r}` : `${l}${e.op}${r}`;
    }
  }
}
