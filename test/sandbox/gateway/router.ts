// Request → API → operation, the way APIM's router decides it. The API is chosen first, by URL suffix (the longest
// that matches wins), revision (`;rev=n` on the suffix's last segment, otherwise the current revision), version (by
// the version set's scheme) and allowed scheme; then the operation within that API by method and URL template. An API
// whose protocols exclude the request's scheme is not a candidate at all, which is why the seed blog's HTTP call to
// the HTTPS-only Echo API logs no apiId. Once an API is chosen there is no falling back to another.
import type { ConfiguredApi, ConfiguredOperation } from './configuration.ts';

export interface RouteRequest {
  scheme: 'http' | 'https';
  method: string;
  /** Path without the query, as sent (percent-encoding kept). */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

export type RouteResult =
  | { kind: 'no-api' }
  | { kind: 'no-operation'; api: ConfiguredApi }
  | {
      kind: 'matched';
      api: ConfiguredApi;
      operation: ConfiguredOperation;
      /** The part of the path the backend receives (after suffix, revision and version segment). */
      backendPath: string;
      templateParameters: Record<string, string>;
    };

interface ApiCandidate {
  api: ConfiguredApi;
  /** Request path segments consumed by suffix and version: more is more specific. */
  consumed: number;
  remainder: string[];
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function eq(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function matchSuffix(api: ConfiguredApi, request: string[]): { revision: string | undefined; rest: string[] } | undefined {
  const suffix = segments(api.path);
  if (suffix.length === 0) {
    // A root API takes `;rev=n` on nothing, so a revision can only be named through a suffix.
    return { revision: undefined, rest: request };
  }
  if (request.length < suffix.length) return undefined;
  for (let i = 0; i < suffix.length - 1; i++) if (!eq(suffix[i] ?? '', request[i] ?? '')) return undefined;
  const last = request[suffix.length - 1] ?? '';
  const m = /^(.*?);rev=([^;/]*)$/i.exec(last);
  const bare = m ? (m[1] ?? '') : last;
  if (!eq(bare, suffix[suffix.length - 1] ?? '')) return undefined;
  return { revision: m ? m[2] : undefined, rest: request.slice(suffix.length) };
}

function candidate(api: ConfiguredApi, request: RouteRequest, pathSegments: string[]): ApiCandidate | undefined {
  if (!api.protocols.includes(request.scheme)) return undefined;
  const suffix = matchSuffix(api, pathSegments);
  if (!suffix) return undefined;
  if (suffix.revision === undefined ? !api.isCurrent : suffix.revision !== api.revision) return undefined;
  let rest = suffix.rest;
  let consumed = pathSegments.length - rest.length;
  const v = api.versioning;
  if (v) {
    if (v.scheme === 'Segment') {
      if (v.version !== '') {
        if (rest.length === 0 || !eq(rest[0] ?? '', v.version)) return undefined;
        rest = rest.slice(1);
        consumed++;
      }
    } else {
      const given = v.scheme === 'Query' ? request.query.get(v.queryName) : request.headers[v.headerName.toLowerCase()];
      if (v.version === '' ? given != null && given !== '' : given == null || !eq(given, v.version)) return undefined;
    }
  }
  return { api, consumed, remainder: rest };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledTemplate {
  path: RegExp;
  names: string[];
  query: Array<{ name: string; literal?: string; parameter?: string }>;
  /** Literal characters: the more, the more specific. */
  specificity: number;
}

const compiled = new Map<string, CompiledTemplate>();

export function compileTemplate(template: string): CompiledTemplate {
  const cached = compiled.get(template);
  if (cached) return cached;
  const [pathPart = '', queryPart = ''] = template.split('?', 2);
  const names: string[] = [];
  let source = '';
  let specificity = 0;
  const normalised = `/${pathPart.replace(/^\/+/, '')}`;
  const re = /\{(\*?)([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(normalised); m; m = re.exec(normalised)) {
    const literal = normalised.slice(last, m.index);
    source += escapeRegExp(literal);
    specificity += literal.length;
    names.push(m[2] ?? '');
    source += m[1] ? '(.*)' : '([^/]+)';
    last = m.index + m[0].length;
  }
  const tail = normalised.slice(last);
  source += escapeRegExp(tail);
  specificity += tail.length;
  // `/resource` and `/resource/` are the same route; `/` also matches an empty remainder.
  const path = new RegExp(`^${source.replace(/\/$/, '')}/?$`, 'i');
  const query = queryPart
    .split('&')
    .filter((p) => p.length > 0)
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=', 2);
      const parameter = /^\{([^}]+)\}$/.exec(value)?.[1];
      return parameter !== undefined ? { name, parameter } : { name, literal: value };
    });
  const result: CompiledTemplate = { path, names, query, specificity: specificity + query.length * 1000 };
  compiled.set(template, result);
  return result;
}

function matchOperation(op: ConfiguredOperation, method: string, remainder: string, query: URLSearchParams): Record<string, string> | undefined {
  if (op.method !== method.toUpperCase()) return undefined;
  const t = compileTemplate(op.urlTemplate);
  const m = t.path.exec(remainder === '' ? '/' : remainder);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  t.names.forEach((name, i) => {
    params[name] = m[i + 1] ?? '';
  });
  for (const q of t.query) {
    const value = query.get(q.name);
    if (value == null) return undefined;
    if (q.literal !== undefined && value !== q.literal) return undefined;
    if (q.parameter !== undefined) params[q.parameter] = value;
  }
  return params;
}

export function route(apis: readonly ConfiguredApi[], request: RouteRequest): RouteResult {
  const pathSegments = segments(request.path);
  let best: ApiCandidate | undefined;
  for (const api of apis) {
    const c = candidate(api, request, pathSegments);
    if (c && (!best || c.consumed > best.consumed)) best = c;
  }
  if (!best) return { kind: 'no-api' };
  const remainder = best.remainder.length === 0 ? '' : `/${best.remainder.join('/')}`;
  const trailingSlash = request.path.endsWith('/') && remainder !== '' ? '/' : '';
  let chosen: { operation: ConfiguredOperation; params: Record<string, string>; specificity: number } | undefined;
  for (const operation of best.api.operations) {
    const params = matchOperation(operation, request.method, remainder, request.query);
    if (!params) continue;
    const specificity = compileTemplate(operation.urlTemplate).specificity;
    if (!chosen || specificity > chosen.specificity) chosen = { operation, params, specificity };
  }
  if (!chosen) return { kind: 'no-operation', api: best.api };
  return { kind: 'matched', api: best.api, operation: chosen.operation, backendPath: remainder + trailingSlash, templateParameters: chosen.params };
}
