// startArmServer: Azure Resource Manager for the sandbox's world, over HTTPS with a certificate from the sandbox CA,
// so the real SDK clients (ApiManagementClient, SourceControlConfigurationClient, ConnectedKubernetesClient,
// SubscriptionClient) run against it unchanged. ARM's own front-door rules come first (bearer token, api-version,
// subscription and resource group), then the providers in apim.ts, arc.ts and subscriptions.ts. Every response
// carries x-ms-request-id; every ARM call is logged without bodies or query strings, so tests can assert which calls
// were made — or that none was.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeApiServer } from '../k8s/server.ts';
import type { SandboxCa } from '../tls.ts';
import { arcClusterResourceId } from '../world/ids.ts';
import type { World } from '../world/world.ts';
import { apimRoutes } from './apim.ts';
import { arcRoutes } from './arc.ts';
import { requireResourceGroup, requireSubscription, type ArmContext } from './context.ts';
import { ExtensionEngine, type ExtensionOperation } from './extensions.ts';
import { FaultState, type ArmFaults } from './faults.ts';
import { ArmError, isRecord, type ArmRequest, type ArmResponse } from './http.ts';
import { Router, splitPath } from './router.ts';
import { resourceListRoutes } from './resources.ts';
import { subscriptionRoutes } from './subscriptions.ts';

export interface ArmServerOptions {
  ca: SandboxCa;
  world: World;
  /** The Kubernetes emulator that plays one of the world's Arc clusters: extensions install into it. */
  kube?: KubeApiServer;
  /** ARM id of the Arc cluster `kube` plays; default: the world's Arc cluster named like kube.clusterName, or the only one. */
  kubeClusterId?: string;
  /** Bearer token clients must send; random when absent. */
  token?: string;
  port?: number;
  /** Items per list page (default 2: every client must follow nextLink). */
  pageSize?: number;
  /** Retry-After on LRO responses, in seconds (core-lro reads whole seconds; 0 would fall back to its 2 s default). */
  lroRetryAfterSeconds?: number;
  /** How long an extension install waits for its Deployment (Helm's --timeout); default 120 s. */
  extensionReadyTimeoutMs?: number;
  /** The Arc agents' delay before acting on an extension write; default 100 ms. */
  agentPickupDelayMs?: number;
}

export interface ArmRequestRecord {
  /** Increasing from 1; pass the last one seen as `since` to get only newer requests. */
  seq: number;
  time: string;
  method: string;
  /** As sent, without the query string. */
  path: string;
  apiVersion: string | null;
  status: number;
  requestId: string;
  clientRequestId?: string;
  /** Set when a fault knob produced the response. */
  fault?: 'throttle' | 'server-error';
}

export interface ArmServer {
  /** `https://127.0.0.1:<port>`: the SDKs' `endpoint`. */
  readonly url: string;
  readonly token: string;
  /** The sandbox CA (PEM) and its file: what clients must trust. */
  readonly caPem: string;
  readonly caFile: string;
  readonly faults: ArmFaults;
  /** ARM calls so far (sandbox endpoints are not logged), optionally only those after `since`. */
  requests(options?: { since?: number }): ArmRequestRecord[];
  /** The seq of the newest logged request (0 when none). */
  lastSeq(): number;
  /** An extension LRO by id (from the Azure-AsyncOperation URL). */
  operation(id: string): ExtensionOperation | undefined;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const MAX_LOG = 50_000;

export async function startArmServer(options: ArmServerOptions): Promise<ArmServer> {
  const world = options.world;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const kubeClusterId = options.kube ? (options.kubeClusterId ?? defaultKubeCluster(world, options.kube.clusterName))?.toLowerCase() : undefined;
  const extensions = new ExtensionEngine({
    world,
    kube: options.kube,
    kubeClusterId,
    readyTimeoutMs: options.extensionReadyTimeoutMs ?? 120_000,
    pickupDelayMs: options.agentPickupDelayMs ?? 100,
  });
  const state = new FaultState(extensions, options.pageSize ?? 2);
  const lroRetryAfter = options.lroRetryAfterSeconds ?? 1;
  const ctx: ArmContext = { world, pageSize: () => state.pageSize, extensions, kube: options.kube, kubeClusterId };
  const router = new Router();
  router.add(...subscriptionRoutes(ctx), ...arcRoutes(ctx, () => lroRetryAfter), ...apimRoutes(ctx));
  router.add(...resourceListRoutes(ctx));

  const log: ArmRequestRecord[] = [];
  let seq = 0;
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const clientRequestId = headerValue(req, 'x-ms-client-request-id');
    const common: Record<string, string> = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': headerValue(req, 'x-ms-correlation-request-id') ?? requestId,
      'Cache-Control': 'no-cache',
      Pragma: 'no-cache',
      Expires: '-1',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      ...(clientRequestId ? { 'x-ms-client-request-id': clientRequestId } : {}),
    };
    let bodyText: string;
    try {
      bodyText = await readBody(req);
    } catch {
      write(res, method, { status: 413, body: new ArmError(413, 'RequestEntityTooLarge', 'The request content is too large.').toBody() }, common);
      return;
    }

    if (url.pathname.startsWith('/sandbox/v1/')) {
      write(res, method, sandboxEndpoint(req, method, url, bodyText), common);
      return;
    }

    const apiVersion = url.searchParams.getAll('api-version')[0] ?? null;
    let response: ArmResponse;
    let fault: ArmRequestRecord['fault'];
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    try {
      authenticate(req);
      const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(url.pathname)?.[1];
      const injected = state.take(url.pathname, subscriptionId);
      if (injected) {
        fault = injected.fault;
        throw injected.error;
      }
      response = await dispatch(method, url, apiVersion, req, bodyText);
    } catch (error) {
      response = errorResponse(error);
    }
    write(res, method, response, common);
    seq++;
    log.push({
      seq, time: new Date().toISOString(), method, path: url.pathname, apiVersion, status: response.status, requestId,
      ...(clientRequestId ? { clientRequestId } : {}), ...(fault ? { fault } : {}),
    });
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
  }

  function authenticate(req: IncomingMessage): void {
    const authorization = headerValue(req, 'authorization');
    const challenge = { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The access token is invalid."' };
    if (!authorization) {
      throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", { headers: challenge });
    }
    const m = /^Bearer\s+(.+)$/i.exec(authorization);
    const given = Buffer.from(m?.[1]?.trim() ?? '');
    const expected = Buffer.from(token);
    if (!m || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', { headers: challenge });
    }
  }

  async function dispatch(method: string, url: URL, apiVersion: string | null, req: IncomingMessage, bodyText: string): Promise<ArmResponse> {
    const matches = router.match(url.pathname);
    if (!apiVersion) throw new ArmError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    if (matches.length === 0) throw unknownPath(url.pathname, apiVersion);
    const match = matches.find((m) => m.route.methods.includes(method));
    if (!match) throw new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    const rule = match.route.apiVersions;
    if (!rule.versions.includes(apiVersion)) {
      throw rule.namespace === 'Microsoft.Resources'
        ? new ArmError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${rule.versions.join(',')}'.`)
        : new ArmError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${rule.type}'. The supported api-versions are '${rule.versions.join(', ')}'.`);
    }
    const { subscriptionId, resourceGroupName } = match.params;
    if (subscriptionId !== undefined) requireSubscription(world, subscriptionId);
    if (subscriptionId !== undefined && resourceGroupName !== undefined) requireResourceGroup(world, subscriptionId, resourceGroupName);
    const request: ArmRequest = {
      method,
      rawPath: url.pathname,
      query: url.searchParams,
      apiVersion,
      headers: req.headers,
      params: match.params,
      bodyText,
      baseUrl: `https://127.0.0.1:${port}`,
    };
    return match.route.handler(request);
  }

  function sandboxEndpoint(req: IncomingMessage, method: string, url: URL, bodyText: string): ArmResponse {
    try {
      authenticate(req);
      const faultName = /^\/sandbox\/v1\/arm-faults\/([\w-]+)$/.exec(url.pathname)?.[1];
      if (faultName !== undefined && method === 'POST') {
        if (!Object.hasOwn(state.faults, faultName)) throw new ArmError(400, 'InvalidFault', `Unknown fault '${faultName}'; known: ${Object.keys(state.faults).join(', ')}.`);
        const body: unknown = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
        if (!isRecord(body)) throw new ArmError(400, 'InvalidFault', 'The fault options must be a JSON object.');
        const fn = state.faults[faultName as keyof ArmFaults] as (o: unknown) => unknown;
        return { status: 200, body: fn(body) };
      }
      if (url.pathname === '/sandbox/v1/arm-requests' && method === 'GET') {
        const since = Number(url.searchParams.get('since') ?? 0);
        return { status: 200, body: { requests: log.filter((r) => r.seq > since), last: seq } };
      }
      throw new ArmError(404, 'NotFound', `No sandbox endpoint ${method} ${url.pathname}.`);
    } catch (error) {
      return errorResponse(error instanceof SyntaxError ? new ArmError(400, 'InvalidFault', `The fault options are not JSON: ${error.message}`) : error);
    }
  }

  const { certPem, keyPem } = await options.ca.issue(['management.azure.com']);
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the emulator: answer like ARM's own internal error instead of hanging the client.
      if (!res.headersSent) write(res, req.method ?? 'GET', errorResponse(error), {});
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    token,
    caPem: options.ca.certPem,
    caFile: options.ca.caFile,
    faults: state.faults,
    requests: (o = {}) => log.filter((r) => r.seq > (o.since ?? 0)).map((r) => ({ ...r })),
    lastSeq: () => seq,
    operation: (id) => extensions.operation(id),
    close: () => closing ??= (async () => {
      await extensions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })(),
  };
}

function defaultKubeCluster(world: World, clusterName: string): string | undefined {
  const clusters = [...world.arcClusters.values()];
  const named = clusters.find((c) => c.name.toLowerCase() === clusterName.toLowerCase());
  const chosen = named ?? (clusters.length === 1 ? clusters[0] : undefined);
  return chosen ? arcClusterResourceId(chosen) : undefined;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorResponse(error: unknown): ArmResponse {
  if (error instanceof ArmError) return { status: error.status, body: error.toBody(), headers: error.headers };
  const internal = new ArmError(500, 'InternalServerError', `The sandbox's ARM emulator failed: ${error instanceof Error ? error.message : String(error)}`);
  return { status: 500, body: internal.toBody() };
}

/** ARM's answer for a path no provider serves, named after the provider and type the path asks for. */
function unknownPath(rawPath: string, apiVersion: string): ArmError {
  let segments: string[];
  try {
    segments = splitPath(rawPath);
  } catch (error) {
    return error instanceof ArmError ? error : new ArmError(400, 'InvalidRequestUri', 'The request URI is not valid.');
  }
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  if (at < 0 || at + 1 >= segments.length) return new ArmError(404, 'NotFound', `The requested resource '${rawPath}' does not exist.`);
  const namespace = segments[at + 1] ?? '';
  const type = segments.slice(at + 2).filter((_, i) => i % 2 === 0).join('/');
  return new ArmError(400, 'InvalidResourceType', `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`);
}

function write(res: ServerResponse, method: string, response: ArmResponse, common: Record<string, string>): void {
  const headers: Record<string, string> = { ...common, ...response.headers };
  const hasBody = response.body !== undefined && response.status !== 204 && response.status !== 304;
  const text = hasBody ? JSON.stringify(response.body) : '';
  if (hasBody) headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(method === 'HEAD' ? 0 : Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : text);
}
