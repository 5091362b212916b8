// Wording shared by the rules, so an API, a URL or a date reads the same in every finding, and URLs built for fixes
// change only what the fix is about.
import type { ApiModel, Model, OperationModel, RequestModel } from './input.ts';
import type { ServicePort } from './types.ts';

const KEY_QUERY_DEFAULT = 'subscription-key';

/** `Echo API (echo-api)`, or just the name when there is no other display name. */
export function apiLabel(api: ApiModel): string {
  const base = api.displayName !== undefined && api.displayName !== api.baseName ? `${api.displayName} (${api.baseName})` : api.baseName;
  return api.isCurrent || api.revision === undefined ? base : `${base} revision ${api.revision}`;
}

export function apiShortName(api: ApiModel): string {
  return api.displayName ?? api.baseName;
}

export function apiPath(api: ApiModel): string {
  return `/${api.path}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) ?? ''}`;
}

/** At most `max` items, then how many more. */
export function capped(items: readonly string[], max = 12): string {
  if (items.length === 0) return 'none';
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function operationText(operation: OperationModel): string {
  return `${operation.method} ${operation.urlTemplate}`;
}

export function dateText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function redactedNames(model: Model): Set<string> {
  const names = new Set([KEY_QUERY_DEFAULT]);
  for (const api of model.gateway?.apis ?? []) names.add(api.keyQuery.toLowerCase());
  if (model.request?.key?.in === 'query') names.add(model.request.key.name.toLowerCase());
  return names;
}

/** A URL for display: a subscription key in the query shows as `***` even if the host forgot to mask it. */
export function displayUrl(url: URL, model: Model): string {
  const names = redactedNames(model);
  const keys = [...url.searchParams.keys()].filter((k) => names.has(k.toLowerCase()));
  if (keys.length === 0) return url.href;
  const copy = new URL(url.href);
  for (const k of keys) copy.searchParams.set(k, '***');
  return copy.href;
}

/** The request's path and query as the gateway saw them (`/echo/resource?param1=sample`), key masked. */
export function displayPath(request: RequestModel, model: Model): string {
  const names = redactedNames(model);
  const parts = [...request.view.query.entries()].map(([k, v]) => (names.has(k.toLowerCase()) ? `${k}=***` : v === '' ? k : `${k}=${v}`));
  return parts.length > 0 ? `${request.view.path}?${parts.join('&')}` : request.view.path;
}

export function requestLine(request: RequestModel, model: Model): string {
  return request.method !== undefined ? `${request.method} ${displayUrl(request.sent, model)}` : displayUrl(request.sent, model);
}

/** `GET /echo/resource`, or the path alone when the method is not known. */
export function methodAndPath(request: RequestModel, model: Model): string {
  const path = displayPath(request, model);
  return request.method !== undefined ? `${request.method} ${path}` : path;
}

/** `gateway rb-arc-gateway`, or `the gateway` when its name is not known: never "gateway the gateway". */
export function gatewayName(id: string | undefined): string {
  return id !== undefined ? `gateway ${id}` : 'the gateway';
}

export function portsText(ports: readonly ServicePort[]): string {
  return ports.length === 0 ? 'none' : ports.map((p) => `${p.port} (${p.scheme})`).join(', ');
}

/** Indexes of the non-empty segments of a raw path split on `/`. */
function segmentIndexes(parts: readonly string[]): number[] {
  const out: number[] = [];
  parts.forEach((p, i) => {
    if (p.length > 0) out.push(i);
  });
  return out;
}

/**
 * The sent URL with the API path's last segment renamed to `segment;rev=n` (or stripped of `;rev=` when `revision`
 * is undefined). Undefined for a root API, whose revisions cannot be named in the path.
 */
export function urlWithRevision(request: RequestModel, api: ApiModel, revision: string | undefined): string | undefined {
  const at = api.pathSegments.length - 1;
  if (at < 0) return undefined;
  const url = new URL(request.sent.href);
  const parts = url.pathname.split('/');
  const index = segmentIndexes(parts)[at];
  if (index === undefined) return undefined;
  const bare = (parts[index] ?? '').replace(/;rev=[^;/]*$/i, '');
  parts[index] = revision === undefined ? bare : `${bare};rev=${revision}`;
  url.pathname = parts.join('/');
  return url.href;
}

/** The sent URL with `/version` inserted after the API's path. */
export function urlWithVersionSegment(request: RequestModel, api: ApiModel, version: string): string | undefined {
  const url = new URL(request.sent.href);
  const parts = url.pathname.split('/');
  const indexes = segmentIndexes(parts);
  const n = api.pathSegments.length;
  let at = 1;
  if (n > 0) {
    const last = indexes[n - 1];
    if (last === undefined) return undefined;
    at = last + 1;
  }
  parts.splice(at, 0, encodeURIComponent(version));
  url.pathname = parts.join('/');
  return url.href;
}

export function urlWithQuery(request: RequestModel, name: string, value: string): string {
  const url = new URL(request.sent.href);
  url.searchParams.set(name, value);
  return url.href;
}

/**
 * The sent URL moved to the gateway Service's https port. Only when the request went to a port the Service is known
 * to expose: through anything else (a port-forward, a NodePort) the https port's address cannot be derived.
 */
export function httpsRetryUrl(request: RequestModel, ports: readonly ServicePort[] | undefined): { url: string; port: number } | undefined {
  if (!ports || !ports.some((p) => p.port === request.sentView.port)) return undefined;
  const https = ports.filter((p) => p.scheme === 'https');
  const port = (https.find((p) => p.port === 443) ?? https[0])?.port;
  if (port === undefined) return undefined;
  const url = new URL(request.sent.href);
  url.protocol = 'https:';
  url.port = port === 443 ? '' : String(port);
  return { url: url.href, port };
}

/** Levenshtein distance, capped in length so a pathological path cannot make diagnosis slow. */
export function distance(a: string, b: string): number {
  const s = a.slice(0, 200).toLowerCase();
  const t = b.slice(0, 200).toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/**
 * How far a request path is from an operation's URL template, segment by segment: a `{param}` takes any one segment
 * for free and `{*rest}` / `*` any number, so `/itemz/4` is nearer `/items/{id}` than `/items`.
 */
export function templateDistance(segments: readonly string[], template: string): number {
  const rest = segments.slice(0, 20);
  const parts = (template.split('?')[0] ?? '')
    .split('/')
    .filter((p) => p.length > 0)
    .slice(0, 20);
  const isWildcard = (p: string): boolean => p === '*' || /^\{\*[^}]*\}$/.test(p);
  const isParam = (p: string): boolean => /^\{[^}]*\}$/.test(p);
  const insertCost = (p: string): number => (isWildcard(p) ? 0 : isParam(p) ? 1 : p.length + 1);
  let prev: number[] = [0];
  for (let j = 1; j <= parts.length; j++) prev.push((prev[j - 1] ?? 0) + insertCost(parts[j - 1] ?? ''));
  for (let i = 1; i <= rest.length; i++) {
    const seg = rest[i - 1] ?? '';
    const cur: number[] = [(prev[0] ?? 0) + seg.length + 1];
    for (let j = 1; j <= parts.length; j++) {
      const p = parts[j - 1] ?? '';
      const substitute = (prev[j - 1] ?? 0) + (isWildcard(p) || isParam(p) ? 0 : distance(seg, p));
      const dropSegment = (prev[j] ?? 0) + (isWildcard(p) ? 0 : seg.length + 1);
      const skipTemplate = (cur[j - 1] ?? 0) + insertCost(p);
      cur.push(Math.min(substitute, dropSegment, skipTemplate));
    }
    prev = cur;
  }
  return prev[parts.length] ?? 0;
}
