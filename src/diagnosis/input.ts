// The diagnosis input read into one typed, validated model. Every rule works on this model only, so a missing or
// mistyped field anywhere in the input means "not known" and never an exception.
import type { GatewayLogEntry, GatewayRequest } from '../gatewayLogs/entry.ts';
import { bool, instant, list, num, obj, safeDecode, str, text } from './read.ts';
import type { ConfigurationChange, DiagnosisInput, ServicePort, SubscriptionKeySent, TransportErrorKind } from './types.ts';

export type VersioningScheme = 'Segment' | 'Query' | 'Header';

export interface OperationModel {
  /** ARM entity name (`retrieve-resource`). */
  name: string;
  displayName?: string;
  method: string;
  urlTemplate: string;
  /** Template query parameters whose templateParameters entry says `required: false`. */
  optionalQuery: ReadonlySet<string>;
}

export interface VersioningModel {
  /** `apiVersionSetId` as ARM gives it (or the set's name when only that is known). */
  setId: string;
  scheme: VersioningScheme;
  queryName: string;
  headerName: string;
  /** Empty for the set's original, unversioned API. */
  version: string;
}

export interface ApiModel {
  /** ARM entity name: `echo-api` for the current revision, `echo-api;rev=2` for another. */
  name: string;
  /** The API without revision: what gateways are assigned and what logs call `apiId`. */
  baseName: string;
  displayName?: string;
  /** Path without leading or trailing slashes (`echo`, `` for a root API). */
  path: string;
  pathSegments: readonly string[];
  /** Lower-cased; undefined when ARM did not say. */
  protocols?: readonly string[];
  revision?: string;
  isCurrent: boolean;
  versioning?: VersioningModel;
  /** The API is in a version set that was not read (or of an unknown scheme): its versioning is not known. */
  versioningUnknown: boolean;
  subscriptionRequired?: boolean;
  keyHeader: string;
  keyQuery: string;
  serviceUrl?: string;
  /** Undefined when operations were not loaded, or one of them could not be read (the list is then not known). */
  operations?: readonly OperationModel[];
}

/** A request as the gateway sees it, for routing. */
export interface RequestView {
  scheme: string;
  host: string;
  /** Effective port (the scheme's default when the URL names none). */
  port: number;
  /** Path as sent, percent-encoding kept. */
  path: string;
  /** Non-empty path segments, decoded. */
  segments: readonly string[];
  query: URLSearchParams;
}

export interface RequestModel {
  /** Upper-cased; undefined when not known (nothing is then said about the method). */
  method?: string;
  /** The URL the client sent to, for building retry URLs. */
  sent: URL;
  sentView: RequestView;
  /** The gateway's view: the log record's `url` when it has one, otherwise the sent URL. */
  view: RequestView;
  /** Where `view` came from. */
  viewSource: 'log' | 'request';
  /** Host the gateway was asked for (Host header or URL authority), lower-cased, without port. */
  hostAsked: string;
  headerNames: ReadonlySet<string>;
  /** Whether the headers sent are known at all (a record does not list them). */
  headersKnown: boolean;
  key?: SubscriptionKeySent;
  bodySize?: number;
  sentAt?: number;
}

export type ResponseModel =
  | { kind: 'http'; status: number; headers: ReadonlyMap<string, string>; body?: string; bodySize?: number }
  | { kind: 'transport'; error: TransportErrorKind; message?: string };

export interface LastErrorModel {
  source?: string;
  reason?: string;
  message?: string;
  section?: string;
}

export interface RecordModel {
  line?: number;
  method?: string;
  url?: string;
  responseCode?: number;
  backendResponseCode?: number;
  apiId?: string;
  apiRevision?: string;
  operationId?: string;
  backendUrl?: string;
  isRequestSuccess?: boolean;
  lastError?: LastErrorModel;
}

export interface LogModel {
  record?: RecordModel;
  searchedMs?: number;
  requestRecordsSeen?: number;
  /** The gateway's own entries, oldest first; undefined when not read. */
  events?: readonly GatewayLogEntry[];
}

export interface GatewayModel {
  id?: string;
  /** Undefined when the APIs were not read. */
  apis?: readonly ApiModel[];
  /** APIs listed whose name or path could not be read: no claim may rest on the API list being complete. */
  unreadApis: number;
  /** Lower-cased base names; undefined when not known. */
  assigned?: ReadonlySet<string>;
  hostnames?: readonly string[];
  tokenExpiresAt?: number;
  connected?: boolean;
  localDiagnostics?: boolean;
  ports?: readonly ServicePort[];
  readAt?: number;
}

export interface Model {
  request?: RequestModel;
  /** Why `request` is absent (no URL, unparseable URL). */
  requestProblem?: string;
  response?: ResponseModel;
  log?: LogModel;
  gateway?: GatewayModel;
  now: number;
  changes: readonly ConfigurationChange[];
}

const DEFAULT_KEY_HEADER = 'Ocp-Apim-Subscription-Key';
const DEFAULT_KEY_QUERY = 'subscription-key';
const TRANSPORT_ERRORS: readonly TransportErrorKind[] = ['connection-refused', 'timeout', 'dns', 'tls', 'reset', 'other'];

export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map(safeDecode);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function viewOf(url: URL): RequestView {
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const port = url.port !== '' ? Number(url.port) : scheme === 'https' || scheme === 'wss' ? 443 : 80;
  return { scheme, host: url.hostname.toLowerCase(), port, path: url.pathname, segments: pathSegments(url.pathname), query: url.searchParams };
}

function hostWithoutPort(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(h.slice(colon + 1)) ? h.slice(0, colon) : h;
}

function readKey(value: unknown): SubscriptionKeySent | undefined {
  const o = obj(value);
  const where = o?.['in'];
  const name = text(o?.['name']);
  return (where === 'header' || where === 'query') && name !== undefined ? { in: where, name } : undefined;
}

function readRecord(entry: unknown, line: unknown): RecordModel | undefined {
  const e = obj(entry);
  const r = obj(e?.['request']) as (Record<string, unknown> & GatewayRequest) | undefined;
  if (!e || !r) return undefined;
  const le = obj(r.lastError) ?? obj(list(r.errors).at(-1));
  const record: RecordModel = {
    // The record's own `line` counts within whatever part of the log was read: only `recordLine` is the pod's.
    line: num(line),
    method: text(r.method),
    url: text(r.url),
    responseCode: num(r.responseCode),
    backendResponseCode: num(r.backendResponseCode),
    apiId: text(r.apiId),
    apiRevision: text(r.apiRevision),
    operationId: text(r.operationId),
    backendUrl: text(r.backendUrl),
    isRequestSuccess: bool(r.isRequestSuccess),
  };
  if (le) {
    record.lastError = { source: text(le['source']), reason: text(le['reason']), message: text(le['message']), section: text(le['section']) };
  }
  return record;
}

function readOperation(value: unknown): OperationModel | undefined {
  const o = obj(value);
  const method = text(o?.['method']);
  const urlTemplate = str(o?.['urlTemplate']);
  if (!o || method === undefined || urlTemplate === undefined) return undefined;
  const optionalQuery = new Set<string>();
  for (const p of list(o['templateParameters'])) {
    const param = obj(p);
    const name = text(param?.['name']);
    if (name !== undefined && param?.['required'] === false) optionalQuery.add(name);
  }
  return {
    name: text(o['name']) ?? `${method.toUpperCase()} ${urlTemplate}`,
    displayName: text(o['displayName']),
    method: method.toUpperCase(),
    urlTemplate,
    optionalQuery,
  };
}

function lastSegment(id: string): string {
  return (id.split('/').filter((s) => s.length > 0).at(-1) ?? id).toLowerCase();
}

function asScheme(value: unknown): VersioningScheme | undefined {
  const s = str(value)?.toLowerCase();
  return s === 'segment' ? 'Segment' : s === 'query' ? 'Query' : s === 'header' ? 'Header' : undefined;
}

function readVersioning(api: Record<string, unknown>, sets: readonly unknown[]): VersioningModel | 'unknown' | undefined {
  const setId = text(api['apiVersionSetId']);
  const details = obj(api['apiVersionSet']);
  const wanted = setId !== undefined ? lastSegment(setId) : text(details?.['name'])?.toLowerCase();
  if (wanted === undefined) return undefined;
  const set =
    sets.map(obj).find((s) => s !== undefined && (text(s['name'])?.toLowerCase() === wanted || lastSegment(text(s['id']) ?? '') === wanted)) ??
    details;
  const scheme = asScheme(set?.['versioningScheme']);
  if (!set || !scheme) return 'unknown';
  return {
    setId: setId ?? text(set['id']) ?? wanted,
    scheme,
    // APIM's defaults when a set does not name them.
    queryName: text(set['versionQueryName']) ?? 'api-version',
    headerName: text(set['versionHeaderName']) ?? 'Api-Version',
    version: str(api['apiVersion']) ?? '',
  };
}

function readApi(value: unknown, sets: readonly unknown[]): ApiModel | undefined {
  const wrapper = obj(value);
  const api = obj(wrapper?.['api']);
  const name = text(api?.['name']) ?? (text(api?.['id']) !== undefined ? lastSegment(text(api?.['id']) ?? '') : undefined);
  const rawPath = str(api?.['path']);
  // Without a name or a path nothing can be said about routing to this API; leave it out rather than invent one.
  if (!wrapper || !api || name === undefined || rawPath === undefined) return undefined;
  const path = rawPath.replace(/^\/+|\/+$/g, '');
  const revInName = /;rev=([^;/]+)$/i.exec(name)?.[1];
  const protocols = Array.isArray(api['protocols']) ? api['protocols'].map(str).filter((p) => p !== undefined).map((p) => p.toLowerCase()) : undefined;
  const keyNames = obj(api['subscriptionKeyParameterNames']);
  const read = Array.isArray(wrapper['operations']) ? wrapper['operations'].map(readOperation) : undefined;
  // One unreadable operation makes the list unknown: the missing one may be the operation the request needed.
  const operations = read?.every((o) => o !== undefined) ? read.filter((o) => o !== undefined) : undefined;
  const versioning = readVersioning(api, sets);
  return {
    name,
    baseName: name.replace(/;rev=[^;/]*$/i, ''),
    displayName: text(api['displayName']),
    path,
    pathSegments: pathSegments(path),
    protocols,
    revision: text(api['apiRevision']) ?? revInName,
    // ARM calls the current revision by the bare name; any `;rev=` entity is another revision.
    isCurrent: bool(api['isCurrent']) ?? revInName === undefined,
    versioning: versioning === 'unknown' ? undefined : versioning,
    versioningUnknown: versioning === 'unknown',
    subscriptionRequired: bool(api['subscriptionRequired']),
    keyHeader: text(keyNames?.['header']) ?? DEFAULT_KEY_HEADER,
    keyQuery: text(keyNames?.['query']) ?? DEFAULT_KEY_QUERY,
    serviceUrl: text(api['serviceUrl']),
    operations,
  };
}

function readPorts(value: unknown): ServicePort[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ports: ServicePort[] = [];
  for (const p of value) {
    const o = obj(p);
    const port = num(o?.['port']);
    const scheme = o?.['scheme'];
    if (port !== undefined && (scheme === 'http' || scheme === 'https')) ports.push({ port, scheme, ...(text(o?.['name']) ? { name: text(o?.['name']) } : {}) });
  }
  return ports;
}

function readGateway(value: unknown): GatewayModel | undefined {
  const g = obj(value);
  if (!g) return undefined;
  const sets = list(g['versionSets']);
  const ids = Array.isArray(g['assignedApiIds']) ? g['assignedApiIds'].map(text) : undefined;
  // One unreadable id makes the assignments unknown: it may be the API in question.
  const assigned = ids?.every((a) => a !== undefined) ? new Set(ids.filter((a) => a !== undefined).map((a) => lastSegment(a).replace(/;rev=[^;/]*$/, ''))) : undefined;
  const apis = Array.isArray(g['apis']) ? g['apis'].map((a) => readApi(a, sets)) : undefined;
  return {
    id: text(g['gatewayId']),
    apis: apis?.filter((a) => a !== undefined),
    unreadApis: apis ? apis.filter((a) => a === undefined).length : 0,
    assigned,
    hostnames: Array.isArray(g['hostnames']) ? g['hostnames'].map(text).filter((h) => h !== undefined).map((h) => h.toLowerCase()) : undefined,
    tokenExpiresAt: instant(g['tokenExpiresAt']),
    connected: bool(g['connected']),
    localDiagnostics: bool(g['localDiagnostics']),
    ports: readPorts(g['ports']),
    readAt: instant(g['readAt']),
  };
}

function readResponse(value: unknown): ResponseModel | undefined {
  const r = obj(value);
  if (r?.['kind'] === 'transport') {
    const error = TRANSPORT_ERRORS.find((e) => e === r['error']) ?? 'other';
    return { kind: 'transport', error, message: text(r['message']) };
  }
  const status = num(r?.['status']);
  if (!r || status === undefined) return undefined;
  const headers = new Map<string, string>();
  for (const [name, v] of Object.entries(obj(r['headers']) ?? {})) {
    const s = str(v);
    if (s !== undefined) headers.set(name.toLowerCase(), s);
  }
  return { kind: 'http', status, headers, body: str(r['body']), bodySize: num(r['bodySize']) };
}

function readRequest(value: unknown, record: RecordModel | undefined): { request?: RequestModel; problem?: string } {
  const r = obj(value) ?? {};
  const url = text(r['url']);
  const logged = record?.url !== undefined ? parseUrl(record.url) : undefined;
  // Without a usable URL of its own, the request is what the gateway's record says it received.
  const sent = (url !== undefined ? parseUrl(url) : undefined) ?? logged;
  if (!sent) return { problem: url === undefined ? 'the request has no URL' : `the request URL ${url} cannot be parsed` };
  const sentView = viewOf(sent);
  const view = logged ? viewOf(logged) : sentView;
  const hostHeader = text(r['hostHeader']);
  const headerNames = Array.isArray(r['headerNames']) ? r['headerNames'] : undefined;
  return {
    request: {
      method: (text(r['method']) ?? text(record?.method))?.toUpperCase(),
      sent,
      sentView,
      view,
      viewSource: logged ? 'log' : 'request',
      hostAsked: hostHeader !== undefined ? hostWithoutPort(hostHeader) : view.host,
      headerNames: new Set(list(headerNames).map(str).filter((h) => h !== undefined).map((h) => h.toLowerCase())),
      headersKnown: headerNames !== undefined,
      key: readKey(r['subscriptionKey']),
      bodySize: num(r['bodySize']),
      sentAt: instant(r['sentAt']),
    },
  };
}

function readChanges(value: unknown): ConfigurationChange[] {
  const out: ConfigurationChange[] = [];
  for (const item of list(value)) {
    const c = obj(item);
    const at = instant(c?.['at']);
    const what = text(c?.['what']);
    if (at === undefined || what === undefined) continue;
    const apiId = text(c?.['apiId']);
    const gatewayId = text(c?.['gatewayId']);
    out.push({ at: new Date(at).toISOString(), what, ...(apiId !== undefined ? { apiId } : {}), ...(gatewayId !== undefined ? { gatewayId } : {}) });
  }
  return out;
}

export function readInput(input: DiagnosisInput | undefined): Model {
  const root = obj(input);
  const logObj = obj(root?.['log']);
  const record = readRecord(logObj?.['record'], logObj?.['recordLine']);
  const { request, problem } = readRequest(root?.['request'], record);
  return {
    request,
    requestProblem: problem,
    response: readResponse(root?.['response']),
    log: logObj
      ? {
          record,
          searchedMs: num(logObj['searchedMs']),
          requestRecordsSeen: num(logObj['requestRecordsSeen']),
          events: Array.isArray(logObj['events']) ? (logObj['events'].filter((e) => obj(e) !== undefined) as GatewayLogEntry[]) : undefined,
        }
      : undefined,
    gateway: readGateway(root?.['gateway']),
    now: instant(root?.['now']) ?? request?.sentAt ?? Date.now(),
    changes: readChanges(root?.['changes']),
  };
}
