// A small evaluator for the subset of VS Code `when` clauses our package.json uses — `==`, `!=`, `=~ /re/flags`,
// `&&`, `||`, `!`, parentheses, bare keys, true/false — with VS Code's precedence (`!` > comparison > `&&` > `||`).
// Regex literals are read the way VS Code's scanner reads them: from `/` to the next unescaped `/` outside a
// character class, then flags.

export type Context = Readonly<Record<string, string | boolean | undefined>>;

type Token =
  | { kind: 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'eq' | 'ne' | 'match' }
  | { kind: 'word'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'regex'; value: RegExp };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&') tokens.push({ kind: 'and' });
    else if (two === '||') tokens.push({ kind: 'or' });
    else if (two === '==') tokens.push({ kind: 'eq' });
    else if (two === '!=') tokens.push({ kind: 'ne' });
    else if (two === '=~') {
      tokens.push({ kind: 'match' });
      i += 2;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '/') throw new Error(`=~ must be followed by a regex literal at ${i}: ${text}`);
      let j = i + 1;
      let inClass = false;
      for (; j < text.length; j++) {
        const ch = text[j];
        if (ch === '\\') {
          j++;
          continue;
        }
        if (ch === '[') inClass = true;
        else if (ch === ']') inClass = false;
        else if (ch === '/' && !inClass) break;
      }
      if (j >= text.length) throw new Error(`unterminated regex at ${i}: ${text}`);
      const source = text.slice(i + 1, j);
      let k = j + 1;
      while (/[gimsuy]/.test(text[k] ?? '')) k++;
      tokens.push({ kind: 'regex', value: new RegExp(source, text.slice(j + 1, k)) });
      i = k;
      continue;
    } else if (c === '!') {
      tokens.push({ kind: 'not' });
      i++;
      continue;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen' });
      i++;
      continue;
    } else if (c === ')') {
      tokens.push({ kind: 'rparen' });
      i++;
      continue;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated string at ${i}: ${text}`);
      tokens.push({ kind: 'string', value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    } else {
      const m = /^[^\s()!=&|']+/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected ${c} at ${i}: ${text}`);
      tokens.push({ kind: 'word', value: m[0] });
      i += m[0].length;
      continue;
    }
    i += 2;
  }
  return tokens;
}

export function evaluate(clause: string, context: Context): boolean {
  const tokens = tokenize(clause);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const take = (): Token => {
    const t = tokens[pos++];
    if (!t) throw new Error(`unexpected end of ${clause}`);
    return t;
  };
  const value = (key: string): string | boolean | undefined => context[key];

  const primary = (): boolean => {
    const t = take();
    if (t.kind === 'not') return !primary();
    if (t.kind === 'lparen') {
      const v = or();
      if (take().kind !== 'rparen') throw new Error(`missing ) in ${clause}`);
      return v;
    }
    if (t.kind !== 'word') throw new Error(`unexpected ${t.kind} in ${clause}`);
    if (t.value === 'true') return true;
    if (t.value === 'false') return false;
    const next = peek();
    if (next?.kind === 'eq' || next?.kind === 'ne') {
      take();
      const rhs = take();
      if (rhs.kind !== 'word' && rhs.kind !== 'string') throw new Error(`bad right-hand side in ${clause}`);
      const equal = String(value(t.value) ?? '') === rhs.value;
      return next.kind === 'eq' ? equal : !equal;
    }
    if (next?.kind === 'match') {
      take();
      const rx = take();
      if (rx.kind !== 'regex') throw new Error(`=~ needs a regex in ${clause}`);
      const v = value(t.value);
      return typeof v === 'string' && rx.value.test(v);
    }
    return Boolean(value(t.value));
  };
  const and = (): boolean => {
    let v = primary();
    while (peek()?.kind === 'and') {
      take();
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (peek()?.kind === 'or') {
      take();
      const r = and();
      v = v || r;
    }
    return v;
  };
  const result = or();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${clause}`);
  return result;
}
