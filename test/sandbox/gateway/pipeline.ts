// One API request through the gateway: route, subscription key, backend, response, and the request record the
// gateway would write. Bodies and lastError texts are APIM's own; record fields appear only once the gateway knows
// them (no apiId before an API matched, no backend* before a backend was called).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ContainerContext, SimRequest, SimResponse } from '../k8s/containers.ts';
import type { ConfiguredApi, ConfiguredSubscription, GatewaySnapshot } from './configuration.ts';
import { echo, isEchoBackend } from './echo.ts';
import type { LastError, RequestRecord } from './log.ts';
import { route } from './router.ts';

export const NOT_FOUND_BODY = '{ "statusCode": 404, "message": "Resource not found" }';
export const MISSING_KEY_MESSAGE = 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.';
export const INVALID_KEY_MESSAGE = 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';
export const OPERATION_NOT_FOUND_MESSAGE = 'Unable to match incoming request to an operation.';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length']);

export interface PipelineDeps {
  snapshot: GatewaySnapshot;
  now: () => Date;
  fetch: ContainerContext['fetch'];
  /** When the request arrived, if the caller already took note of it (the record is stamped with it). */
  receivedAt?: Date;
  /** Milliseconds from a monotonic clock, for totalTime, backendTime and elapsed (default performance.now). */
  monotonic?: () => number;
}

export interface PipelineResult {
  response: SimResponse;
  record: RequestRecord;
  startedAt: Date;
}

// APIM's generic 500 carries the request's id as activityId.
function internalErrorBody(correlationId: string): string {
  return `{ "statusCode": 500, "message": "Internal server error", "activityId": "${correlationId}" }`;
}

function jsonResponse(status: number, body: string, now: Date, extra: Record<string, string> = {}): SimResponse {
  const bytes = Buffer.from(body, 'utf8');
  return { status, headers: { 'content-length': String(bytes.length), 'content-type': 'application/json', date: now.toUTCString(), ...extra }, body: bytes };
}

/** Bytes the gateway sent: status line, headers and body, as its responseSize counts them. */
export function responseSize(response: SimResponse): number {
  let size = Buffer.byteLength(`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n`);
  for (const [name, value] of Object.entries(response.headers)) size += Buffer.byteLength(`${name}: ${value}\r\n`);
  return size + 2 + response.body.length;
}

function keyOpensApi(subscription: ConfiguredSubscription, api: ConfiguredApi, snapshot: GatewaySnapshot): string | undefined | false {
  const scope = subscription.scope;
  if (scope.kind === 'allApis') return undefined;
  if (scope.kind === 'api') return scope.api === api.name ? undefined : false;
  const product = snapshot.products.find((p) => p.name === scope.product);
  return product && product.published && product.apis.includes(api.name) ? product.name : false;
}

function findSubscription(snapshot: GatewaySnapshot, api: ConfiguredApi, key: string): { subscription: ConfiguredSubscription; product: string | undefined } | undefined {
  for (const subscription of snapshot.subscriptions) {
    if (!subscription.active || (subscription.primaryKey !== key && subscription.secondaryKey !== key)) continue;
    const product = keyOpensApi(subscription, api, snapshot);
    if (product !== false) return { subscription, product };
  }
  return undefined;
}

/** .NET's socket errors on Linux, as HttpRequestException words them with the endpoint appended. */
function connectionFailureMessage(error: unknown, host: string, port: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED') return `Connection refused (${host}:${port})`;
  if (code === 'ENOTFOUND') return `Name or service not known (${host}:${port})`;
  if (code === 'ETIMEDOUT') return `Connection timed out (${host}:${port})`;
  return `${error instanceof Error ? error.message : String(error)} (${host}:${port})`;
}

export async function processApiRequest(deps: PipelineDeps, request: SimRequest): Promise<PipelineResult> {
  const { snapshot } = deps;
  const startedAt = deps.receivedAt ?? deps.now();
  const monotonic = deps.monotonic ?? (() => performance.now());
  const t0 = monotonic();
  const elapsed = () => Math.round(monotonic() - t0);
  const correlationId = randomUUID();
  const q = request.path.indexOf('?');
  const pathOnly = q < 0 ? request.path : request.path.slice(0, q);
  const rawQuery = q < 0 ? '' : request.path.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const record: RequestRecord = {
    isRequestSuccess: false,
    totalTime: 0,
    callerIpAddress: request.remoteAddress,
    timeGenerated: startedAt,
    region: snapshot.region,
    correlationId,
    method: request.method,
    url: `${request.scheme}://${request.host}${request.path}`,
    responseCode: 0,
    responseSize: 0,
    cache: 'none',
    clientProtocol: 'HTTP/1.1',
    ...(request.scheme === 'https' ? { clientTlsVersion: '1.2' } : {}),
  };
  const finish = (response: SimResponse, lastError?: Omit<LastError, 'elapsed'>): PipelineResult => {
    if (lastError) {
      const ms = elapsed();
      // The gateway leaves out a zero elapsed (the seed's second 404 has none).
      record.lastError = { ...(ms > 0 ? { elapsed: ms } : {}), ...lastError };
    }
    record.responseCode = response.status;
    record.isRequestSuccess = response.status < 400;
    record.responseSize = responseSize(response);
    // Taken last: the request's total includes the error's moment.
    record.totalTime = elapsed();
    return { response, record, startedAt };
  };

  const routed = route(snapshot.apis, { scheme: request.scheme, method: request.method, path: pathOnly, query, headers: request.headers });
  const notFound = { source: 'configuration', reason: 'OperationNotFound', message: OPERATION_NOT_FOUND_MESSAGE, section: 'backend' };
  if (routed.kind === 'no-api') return finish(jsonResponse(404, NOT_FOUND_BODY, deps.now()), notFound);
  record.apiId = routed.api.name;
  if (routed.kind === 'no-operation') {
    record.apiRevision = routed.api.revision;
    return finish(jsonResponse(404, NOT_FOUND_BODY, deps.now()), notFound);
  }
  const { api, operation } = routed;
  record.operationId = operation.name;

  const key = request.headers[api.subscriptionKeyHeader.toLowerCase()] ?? query.get(api.subscriptionKeyQuery) ?? undefined;
  const realm = `${request.scheme}://${request.host}/${api.path}`;
  const challenge = { 'www-authenticate': `AzureApiManagementKey realm="${realm}",name="${api.subscriptionKeyHeader}",type="header"` };
  const found = key === undefined ? undefined : findSubscription(snapshot, api, key);
  if (api.subscriptionRequired && key === undefined) {
    record.apiRevision = api.revision;
    const body = `{ "statusCode": 401, "message": "${MISSING_KEY_MESSAGE}" }`;
    return finish(jsonResponse(401, body, deps.now(), challenge), { source: 'authorization', reason: 'SubscriptionKeyNotFound', message: MISSING_KEY_MESSAGE, section: 'inbound' });
  }
  if (api.subscriptionRequired && !found) {
    record.apiRevision = api.revision;
    const body = `{ "statusCode": 401, "message": "${INVALID_KEY_MESSAGE}" }`;
    return finish(jsonResponse(401, body, deps.now(), challenge), { source: 'authorization', reason: 'SubscriptionKeyInvalid', message: INVALID_KEY_MESSAGE, section: 'inbound' });
  }
  if (found) {
    if (found.product !== undefined) record.productId = found.product;
    record.apimSubscriptionId = found.subscription.name;
  }
  record.apiRevision = api.revision;

  if (!api.serviceUrl) {
    const body = internalErrorBody(correlationId);
    return finish(jsonResponse(500, body, deps.now()), { source: 'request-forwarder', reason: 'BackendConnectionFailure', message: 'Backend service URL is not defined.', section: 'backend' });
  }
  // APIM strips the subscription key before forwarding; an untouched query is passed on byte for byte.
  let forwardedQuery = rawQuery;
  if (query.has(api.subscriptionKeyQuery)) {
    const rest = new URLSearchParams(rawQuery);
    rest.delete(api.subscriptionKeyQuery);
    forwardedQuery = rest.toString();
  }
  const backendUrl = new URL(`${api.serviceUrl.replace(/\/+$/, '')}${routed.backendPath}${forwardedQuery ? `?${forwardedQuery}` : ''}`);
  record.backendMethod = request.method;
  record.backendUrl = backendUrl.toString();
  record.backendProtocol = 'HTTP/1.1';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (HOP_BY_HOP.has(name) || name === 'host' || name === api.subscriptionKeyHeader.toLowerCase()) continue;
    headers[name] = value;
  }
  headers['host'] = backendUrl.host;
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${request.remoteAddress}` : request.remoteAddress;
  if (request.body.length > 0) headers['content-length'] = String(request.body.length);

  const b0 = monotonic();
  let backend: SimResponse;
  try {
    if (isEchoBackend(backendUrl)) {
      backend = echo({ method: request.method, url: backendUrl, headers, body: request.body }, deps.now());
    } else {
      const scheme = backendUrl.protocol === 'https:' ? 'https' : 'http';
      const port = backendUrl.port ? Number(backendUrl.port) : scheme === 'https' ? 443 : 80;
      try {
        backend = await deps.fetch(backendUrl.hostname, port, { scheme, method: request.method, path: `${backendUrl.pathname}${backendUrl.search}`, headers, body: request.body });
      } catch (error) {
        record.backendTime = Math.round(monotonic() - b0);
        const body = internalErrorBody(correlationId);
        return finish(jsonResponse(500, body, deps.now()), {
          source: 'request-forwarder',
          reason: 'BackendConnectionFailure',
          message: connectionFailureMessage(error, backendUrl.hostname, port),
          section: 'backend',
        });
      }
    }
  } finally {
    record.backendTime ??= Math.round(monotonic() - b0);
  }
  record.backendResponseCode = backend.status;
  const responseHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(backend.headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) responseHeaders[name.toLowerCase()] = value;
  responseHeaders['content-length'] = String(request.method.toUpperCase() === 'HEAD' ? (backend.headers['content-length'] ?? '0') : backend.body.length);
  // Outbound policies run only for a request that reached its backend; on-error paths (401, 404, 500 above) skip them.
  if (snapshot.correlationHeader) responseHeaders[snapshot.correlationHeader.toLowerCase()] = correlationId;
  return finish({ status: backend.status, headers: responseHeaders, body: backend.body });
}
