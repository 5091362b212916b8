// Label selectors as the API takes them in `labelSelector=`, and matching them locally (which Services select a
// Deployment's pods). Pure: no `vscode`, no Node APIs.
import type { KubeDeployment, KubeLabelSelector } from './types.ts';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * The query form of a LabelSelector (`a=b,c in (d,e),!f`). Throws with the rule broken: an empty selector would
 * select every pod in the namespace, which is never what following a Deployment means.
 */
export function selectorString(selector: KubeLabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`${key}=${value}`);
  }
  for (const expression of selector?.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].sort();
    switch (expression.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`Selector expression on "${expression.key}": ${expression.operator} needs at least one value`);
        parts.push(`${expression.key} ${expression.operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(expression.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expression.key}`);
        break;
      default:
        throw new Error(`Selector expression on "${expression.key}": operator "${expression.operator}" is not one of ${[...OPERATORS].join(', ')}`);
    }
  }
  if (parts.length === 0) throw new Error('The selector is empty: it would match every pod in the namespace');
  return parts.join(',');
}

/** The selector of a Deployment's pods (`spec.selector`), as a query string. */
export function deploymentSelector(deployment: KubeDeployment): string {
  const name = deployment.metadata?.name ?? 'deployment';
  if (!deployment.spec?.selector) throw new Error(`Deployment ${name} has no spec.selector`);
  try {
    return selectorString(deployment.spec.selector);
  } catch (error) {
    throw new Error(`Deployment ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether `labels` satisfy a LabelSelector. */
export function matchesSelector(selector: KubeLabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const have = labels ?? {};
  const matchLabels = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  for (const [key, value] of matchLabels) if (have[key] !== value) return false;
  for (const e of expressions) {
    const present = Object.prototype.hasOwnProperty.call(have, e.key);
    const value = have[e.key];
    switch (e.operator) {
      case 'In':
        if (!present || !(e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (present && (e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Whether a Service's `spec.selector` (a plain map) picks pods with these labels. An empty or absent map selects
 * nothing: such Services have hand-managed Endpoints.
 */
export function serviceSelects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return false;
  return entries.every(([key, value]) => labels?.[key] === value);
}
