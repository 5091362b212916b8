// Collections as ARM writes them: `{value, nextLink}` with an absolute nextLink that the SDKs follow verbatim, so it
// carries every query parameter of the first request (api-version included). Pages are deliberately small (see
// ArmServerOptions.pageSize) so every list in the product is exercised across pages. APIM's `$top`/`$skip` and the
// subset of OData `$filter` its lists accept are honoured; a filter we cannot parse is refused, never ignored.
import { ArmError, isRecord, type ArmRequest } from './http.ts';

export interface Page<T> {
  value: T[];
  nextLink?: string;
  count?: number;
}

/** Parses `$skipToken` (ours) and `$skip`/`$top` (APIM's), and cuts one page out of the full, ordered list. */
export function pageOf<T>(request: ArmRequest, items: readonly T[], pageSize: number): Page<T> {
  const offset = readOffset(request);
  const topText = request.query.get('$top');
  const top = topText === null ? undefined : Number(topText);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    throw new ArmError(400, 'ValidationError', `'$top' must be a positive integer, got '${topText}'.`);
  }
  const size = top ?? pageSize;
  const value = items.slice(offset, offset + size);
  const page: Page<T> = { value };
  if (offset + size < items.length) {
    const next = new URLSearchParams(request.query);
    next.delete('$skip');
    next.set('$skipToken', Buffer.from(JSON.stringify({ offset: offset + size }), 'utf8').toString('base64url'));
    page.nextLink = `${request.baseUrl}${request.rawPath}?${next.toString()}`;
  }
  return page;
}

function readOffset(request: ArmRequest): number {
  const token = request.query.get('$skipToken') ?? request.query.get('$skiptoken');
  if (token !== null) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
      if (isRecord(parsed) && Number.isInteger(parsed['offset']) && (parsed['offset'] as number) >= 0) return parsed['offset'] as number;
    } catch {
      // Falls through to the error: a token we did not issue.
    }
    throw new ArmError(400, 'InvalidSkipToken', 'The skip token is not valid.');
  }
  const skip = request.query.get('$skip');
  if (skip === null) return 0;
  const n = Number(skip);
  if (!Number.isInteger(n) || n < 0) throw new ArmError(400, 'ValidationError', `'$skip' must be a non-negative integer, got '${skip}'.`);
  return n;
}

// ---- OData $filter (the subset APIM's list operations document) --------------------------------------------------

type Literal = string | number | boolean | null;
type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; field: string; value: Literal }
  | { kind: 'call'; fn: 'contains' | 'startswith' | 'endswith'; field: string; value: string };

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'num'; v: number } | { t: 'punct'; v: '(' | ')' | ',' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ t: 'str', v: value });
    } else {
      const m = /^(-?\d+(\.\d+)?)(?![\w/])|^[A-Za-z_][\w/.]*/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected '${c}'`);
      tokens.push(m[1] !== undefined ? { t: 'num', v: Number(m[1]) } : { t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function parse(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw new Error('unexpected end');
    return token;
  };
  const isWord = (token: Token | undefined, word: string): boolean => token?.t === 'word' && token.v.toLowerCase() === word;
  const expectPunct = (v: string): void => {
    const token = next();
    if (token.t !== 'punct' || token.v !== v) throw new Error(`expected '${v}'`);
  };
  const literal = (): Literal => {
    const token = next();
    if (token.t === 'str' || token.t === 'num') return token.v;
    if (isWord(token, 'true')) return true;
    if (isWord(token, 'false')) return false;
    if (isWord(token, 'null')) return null;
    throw new Error('expected a literal');
  };
  const field = (): string => {
    const token = next();
    if (token.t !== 'word') throw new Error('expected a field');
    return token.v;
  };
  const primary = (): Expr => {
    const token = peek();
    if (isWord(token, 'not')) {
      next();
      return { kind: 'not', inner: primary() };
    }
    if (token?.t === 'punct' && token.v === '(') {
      next();
      const inner = or();
      expectPunct(')');
      return inner;
    }
    if (token?.t === 'word' && ['contains', 'startswith', 'endswith'].includes(token.v.toLowerCase()) && tokens[pos + 1]?.t === 'punct') {
      next();
      expectPunct('(');
      const f = field();
      expectPunct(',');
      const value = literal();
      expectPunct(')');
      if (typeof value !== 'string') throw new Error(`${token.v} needs a string`);
      return { kind: 'call', fn: token.v.toLowerCase() as 'contains', field: f, value };
    }
    const f = field();
    const op = next();
    if (op.t !== 'word' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op.v.toLowerCase())) throw new Error('expected an operator');
    return { kind: 'compare', op: op.v.toLowerCase() as 'eq', field: f, value: literal() };
  };
  const and = (): Expr => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const expr = or();
  if (pos !== tokens.length) throw new Error('trailing input');
  return expr;
}

function fieldValue(item: unknown, path: string): unknown {
  if (!isRecord(item)) return undefined;
  const parts = path.split(/[/.]/);
  const walk = (root: unknown): unknown => parts.reduce<unknown>((v, p) => (isRecord(v) ? v[p] : undefined), root);
  const direct = walk(item);
  return direct !== undefined ? direct : walk(item['properties']);
}

function comparable(value: unknown): string | number | boolean | null | undefined {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value;
  return JSON.stringify(value);
}

function evaluate(expr: Expr, item: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, item) && evaluate(expr.right, item);
    case 'or':
      return evaluate(expr.left, item) || evaluate(expr.right, item);
    case 'not':
      return !evaluate(expr.inner, item);
    case 'call': {
      const value = fieldValue(item, expr.field);
      if (typeof value !== 'string') return false;
      const [haystack, needle] = [value.toLowerCase(), expr.value.toLowerCase()];
      return expr.fn === 'contains' ? haystack.includes(needle) : expr.fn === 'startswith' ? haystack.startsWith(needle) : haystack.endsWith(needle);
    }
    case 'compare': {
      const left = comparable(fieldValue(item, expr.field));
      const right = comparable(expr.value);
      switch (expr.op) {
        case 'eq':
          return left === right || (left === undefined && right === null);
        case 'ne':
          return !(left === right || (left === undefined && right === null));
        default: {
          if (left === undefined || left === null || right === null || typeof left !== typeof right) return false;
          const l = left as string | number;
          const r = right as string | number;
          return expr.op === 'gt' ? l > r : expr.op === 'ge' ? l >= r : expr.op === 'lt' ? l < r : l <= r;
        }
      }
    }
  }
}

/** Applies `$filter` to serialised items (fields resolve on the item, then on its `properties`). */
export function filterItems<T>(request: ArmRequest, items: readonly T[]): T[] {
  const text = request.query.get('$filter');
  if (text === null || text.trim() === '') return [...items];
  let expr: Expr;
  try {
    expr = parse(text);
  } catch {
    throw new ArmError(400, 'ValidationError', `Invalid filter clause specified: '${text}'.`, { target: '$filter' });
  }
  return items.filter((item) => evaluate(expr, item));
}
