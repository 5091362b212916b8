// A record's fields as a reader should see them. The parser keeps a key written twice as `key#2` (`fields.ts`) so
// nothing is lost; gateway 2.x text records repeat `correlationId` at the end of every request record, which showed
// as a second `correlationId#2` row. Pure: no `vscode`, no Node built-ins.

const REPEAT = /^(.+)#(\d+)$/;

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * The fields in order, a repeated key (`key#N` next to `key`) left out when it holds the same value as the first,
 * and labelled `key (Nth time)` when it differs, so both values show under names that say what they are.
 */
export function displayFields(fields: Readonly<Record<string, string>>): [string, string][] {
  const out: [string, string][] = [];
  for (const name in fields) {
    const value = fields[name] ?? '';
    const repeat = REPEAT.exec(name);
    const first = repeat?.[1];
    const n = Number(repeat?.[2]);
    if (first !== undefined && n >= 2 && Object.prototype.hasOwnProperty.call(fields, first)) {
      if (fields[first] === value) continue;
      out.push([`${first} (${ordinal(n)} time)`, value]);
      continue;
    }
    out.push([name, value]);
  }
  return out;
}
