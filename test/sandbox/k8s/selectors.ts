// Label and field selectors with the grammar and error wording of k8s.io/apimachinery/pkg/labels and /fields,
// because clients (kubectl wait/delete, informers) depend on the server filtering exactly as the real one does.
import { badRequest } from './status.ts';
import type { KubeObject, LabelSelector } from './types.ts';

export type Requirement =
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  if (!keyPattern.test(key)) {
    throw badRequest(`unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
}

function checkValue(value: string): void {
  if (!valuePattern.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: values[0][${value}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
  }
}

/** Split on commas that are not inside a parenthesised value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

export function parseLabelSelector(selector: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = /^!\s*(\S+)$/.exec(term))) {
      checkKey(m[1]!);
      requirements.push({ key: m[1]!, op: '!exists' });
    } else if ((m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term))) {
      checkKey(m[1]!);
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v, _i, all) => v !== '' || all.length === 1);
      values.forEach(checkValue);
      requirements.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term))) {
      checkKey(m[1]!);
      checkValue(m[3]!);
      requirements.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
    } else if (/^\S+$/.test(term) && !/[=!()]/.test(term)) {
      checkKey(term);
      requirements.push({ key: term, op: 'exists' });
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
    }
  }
  return requirements;
}

export function matchesRequirements(labels: Record<string, string> | undefined, requirements: readonly Requirement[]): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case '=': return has && value === r.value;
      case '!=': return !has || value !== r.value;
      case 'in': return has && r.values.includes(value!);
      case 'notin': return !has || !r.values.includes(value!);
    }
  });
}

/** metav1.LabelSelector as used by Deployments and ReplicaSets. An empty selector matches everything. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  const requirements: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, op: '=', value }));
  for (const e of selector.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': requirements.push({ key: e.key, op: 'in', values: e.values ?? [] }); break;
      case 'NotIn': requirements.push({ key: e.key, op: 'notin', values: e.values ?? [] }); break;
      case 'Exists': requirements.push({ key: e.key, op: 'exists' }); break;
      case 'DoesNotExist': requirements.push({ key: e.key, op: '!exists' }); break;
    }
  }
  return matchesRequirements(labels, requirements);
}

/** The label-selector string kubectl would print for a metav1.LabelSelector. */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = `(${(e.values ?? []).join(',')})`;
    if (e.operator === 'In') parts.push(`${e.key} in ${values}`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin ${values}`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(selector: string, allowedFields: readonly string[]): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector)) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1]!.trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !allowedFields.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    requirements.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return requirements;
}

function fieldValue(object: KubeObject, field: string): string {
  let current: unknown = object;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

export function matchesFields(object: KubeObject, requirements: readonly FieldRequirement[]): boolean {
  return requirements.every((r) => (fieldValue(object, r.field) === r.value) === (r.op === '='));
}
