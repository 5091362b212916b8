// APIM's request routing, replayed with every constraint reported instead of silently filtered. The gateway picks an
// API first: the API's path must be a prefix of the request path on segment boundaries (case-insensitive), the
// longest such path wins, and only APIs that are assigned to the gateway, allow the request's scheme, are the named
// revision (`;rev=n` on the path's last segment, otherwise the current one) and carry the version the version set
// asks for are candidates. Within the chosen API it then needs an operation with the request's method whose URL
// template matches the rest of the path and query; there is no falling back to another API. Diagnosis evaluates every
// API the path reaches, so it can say which constraint excluded the one the caller meant.
import type { ApiModel, OperationModel, RequestView } from './input.ts';

export type Failure =
  | { kind: 'not-assigned' }
  | { kind: 'scheme' }
  /** `requested`: the `;rev=n` the path named; absent: none named and this revision is not current. */
  | { kind: 'revision'; requested?: string }
  /**
   * `got`: the query value sent (Query) or nothing (Segment, or Header absent). `misplaced`: the request carries the
   * API's version, but where another scheme would read it (a path segment, the query, a header).
   */
  | { kind: 'version'; got?: string; misplaced?: 'segment' | 'query' | 'header' };

export interface OperationMiss {
  operation: OperationModel;
  methodOk: boolean;
  pathOk: boolean;
  /** Required template query parameters the request lacks (only meaningful when the path matched). */
  missingQuery: string[];
}

export type OperationOutcome =
  | { kind: 'matched'; operation: OperationModel }
  | { kind: 'none'; misses: OperationMiss[] }
  | { kind: 'not-loaded' };

export interface Evaluation {
  api: ApiModel;
  /** Request segments taken by the API's path. */
  suffixLength: number;
  /** Segments taken by path and version segment: the gateway prefers more. */
  consumed: number;
  revisionInPath?: string;
  /** Request segments left for operation matching. */
  remainder: readonly string[];
  failures: Failure[];
  /** The version header is present but its value is not known to us, so the version could not be checked. */
  versionUnchecked: boolean;
  operation: OperationOutcome;
}

export interface RouteContext {
  view: RequestView;
  /** Undefined when not known: any operation's method is then taken as possible. */
  method?: string;
  /** Lower-cased header names sent. */
  headerNames: ReadonlySet<string>;
  /** Lower-cased base names of the APIs assigned to the gateway; undefined when not known. */
  assigned?: ReadonlySet<string>;
}

function eq(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledTemplate {
  path: RegExp;
  /** Literal path characters: a more literal template is a more specific one. */
  literalLength: number;
  query: Array<{ name: string; literal?: string; optional: boolean }>;
}

const compiledCache = new Map<string, CompiledTemplate>();

export function compileTemplate(operation: OperationModel): CompiledTemplate {
  const key = `${operation.urlTemplate}\u0000${[...operation.optionalQuery].join('\u0000')}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const q = operation.urlTemplate.indexOf('?');
  const pathPart = q < 0 ? operation.urlTemplate : operation.urlTemplate.slice(0, q);
  const queryPart = q < 0 ? '' : operation.urlTemplate.slice(q + 1);
  const pathText = `/${pathPart.replace(/^\/+/, '')}`;
  let source = '';
  let literalLength = 0;
  // `{name}` is one segment, `{*name}` the rest of the path, a bare `*` anything (APIM's wildcard operations).
  const token = /\{(\*?)[^}]*\}|\*/g;
  let last = 0;
  for (let m = token.exec(pathText); m; m = token.exec(pathText)) {
    const literal = pathText.slice(last, m.index);
    source += escapeRegExp(literal);
    literalLength += literal.length;
    source += m[0] === '*' || m[1] === '*' ? '.*' : '[^/]+';
    last = m.index + m[0].length;
  }
  const tail = pathText.slice(last);
  source += escapeRegExp(tail);
  literalLength += tail.length;
  const query = queryPart
    .split('&')
    .filter((p) => p.length > 0)
    .map((pair) => {
      const eqAt = pair.indexOf('=');
      const name = eqAt < 0 ? pair : pair.slice(0, eqAt);
      const value = eqAt < 0 ? '' : pair.slice(eqAt + 1);
      const parameter = /^\{([^}]*)\}$/.exec(value)?.[1];
      // A template query parameter is required unless its templateParameters entry says otherwise.
      if (parameter !== undefined) return { name, optional: operation.optionalQuery.has(parameter) };
      return value === '' ? { name, optional: false } : { name, literal: value, optional: false };
    });
  // `/resource` and `/resource/` are one route, and `/` also takes an empty remainder.
  const compiled: CompiledTemplate = { path: new RegExp(`^${source.replace(/\/$/, '')}/?$`, 'i'), literalLength, query };
  compiledCache.set(key, compiled);
  return compiled;
}

export function remainderPath(remainder: readonly string[]): string {
  return `/${remainder.join('/')}`;
}

function checkOperation(operation: OperationModel, method: string | undefined, remainder: readonly string[], query: URLSearchParams): OperationMiss {
  const t = compileTemplate(operation);
  const pathOk = t.path.test(remainderPath(remainder));
  const missingQuery: string[] = [];
  for (const p of t.query) {
    const value = query.get(p.name);
    if (value === null ? !p.optional : p.literal !== undefined && value !== p.literal) missingQuery.push(p.name);
  }
  return { operation, methodOk: method === undefined || operation.method === method.toUpperCase(), pathOk, missingQuery };
}

export function matchOperations(operations: readonly OperationModel[] | undefined, method: string | undefined, remainder: readonly string[], query: URLSearchParams): OperationOutcome {
  if (!operations) return { kind: 'not-loaded' };
  const misses: OperationMiss[] = [];
  let best: { operation: OperationModel; score: number } | undefined;
  for (const operation of operations) {
    const check = checkOperation(operation, method, remainder, query);
    if (check.methodOk && check.pathOk && check.missingQuery.length === 0) {
      const t = compileTemplate(operation);
      const score = t.literalLength + t.query.length * 1000;
      if (!best || score > best.score) best = { operation, score };
    } else {
      misses.push(check);
    }
  }
  return best ? { kind: 'matched', operation: best.operation } : { kind: 'none', misses };
}

function matchSuffix(api: ApiModel, segments: readonly string[]): { revision?: string; rest: readonly string[] } | undefined {
  const suffix = api.pathSegments;
  if (suffix.length === 0) return { rest: segments };
  if (segments.length < suffix.length) return undefined;
  for (let i = 0; i < suffix.length - 1; i++) if (!eq(suffix[i], segments[i])) return undefined;
  const lastIndex = suffix.length - 1;
  const given = segments[lastIndex] ?? '';
  const rev = /^(.*?);rev=([^;/]*)$/i.exec(given);
  if (!eq(rev ? rev[1] : given, suffix[lastIndex])) return undefined;
  return { revision: rev ? rev[2] : undefined, rest: segments.slice(suffix.length) };
}

/** How one API fares against the request, or undefined when its path does not reach the request at all. */
export function evaluate(api: ApiModel, ctx: RouteContext): Evaluation | undefined {
  const suffix = matchSuffix(api, ctx.view.segments);
  if (!suffix) return undefined;
  const failures: Failure[] = [];
  if (ctx.assigned && !ctx.assigned.has(api.baseName.toLowerCase())) failures.push({ kind: 'not-assigned' });
  if (api.protocols && !api.protocols.includes(ctx.view.scheme)) failures.push({ kind: 'scheme' });
  if (suffix.revision !== undefined ? !eq(suffix.revision, api.revision) : !api.isCurrent) {
    failures.push(suffix.revision !== undefined ? { kind: 'revision', requested: suffix.revision } : { kind: 'revision' });
  }
  let rest = suffix.rest;
  let consumed = api.pathSegments.length;
  let versionUnchecked = false;
  const v = api.versioning;
  if (v) {
    if (v.scheme === 'Segment') {
      if (v.version !== '') {
        if (eq(rest[0], v.version)) {
          rest = rest.slice(1);
          consumed++;
        } else {
          failures.push({ kind: 'version' });
        }
      }
    } else if (v.scheme === 'Query') {
      const got = ctx.view.query.get(v.queryName);
      const sent = got !== null && got !== '';
      if (v.version === '' ? sent : !eq(got ?? undefined, v.version)) failures.push(sent ? { kind: 'version', got: got ?? '' } : { kind: 'version' });
    } else {
      const sent = ctx.headerNames.has(v.headerName.toLowerCase());
      if (v.version === '' ? sent : !sent) failures.push({ kind: 'version' });
      else if (sent) versionUnchecked = true;
    }
  }
  return {
    api,
    suffixLength: api.pathSegments.length,
    consumed,
    revisionInPath: suffix.revision,
    remainder: rest,
    failures,
    versionUnchecked,
    operation: matchOperations(api.operations, ctx.method, rest, ctx.view.query),
  };
}

export function evaluateAll(apis: readonly ApiModel[], ctx: RouteContext): Evaluation[] {
  return apis.map((api) => evaluate(api, ctx)).filter((e) => e !== undefined);
}

/** The API the gateway itself would choose: no failed constraint, most segments consumed. */
export function gatewayChoice(evaluations: readonly Evaluation[]): Evaluation | undefined {
  let best: Evaluation | undefined;
  for (const e of evaluations) {
    if (e.failures.length > 0) continue;
    if (!best || e.consumed > best.consumed || (e.consumed === best.consumed && best.versionUnchecked && !e.versionUnchecked)) best = e;
  }
  return best;
}

/** Route as the gateway does (for callers outside diagnosis and for checking the model against the simulator). */
export function route(apis: readonly ApiModel[], ctx: RouteContext): { api?: ApiModel; operation?: OperationModel } {
  const chosen = gatewayChoice(evaluateAll(apis, ctx));
  if (!chosen) return {};
  return chosen.operation.kind === 'matched' ? { api: chosen.api, operation: chosen.operation.operation } : { api: chosen.api };
}
