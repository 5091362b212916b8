// The one place that talks to clusters. @kubernetes/client-node is loaded with `await import()` the first time a
// cluster is touched: activation only lists kubeconfig contexts (kubeconfigFile.ts) and must not pay for the SDK.
//
// client-node does the hard part — kubeconfig semantics, TLS, tokens, exec/OIDC auth plugins, proxies — through
// `KubeConfig.applyToHTTPSOptions`. Requests go out through Node's https with those options rather than through
// client-node's `Log`/`Watch`: aborting `Log.log()` throws an unhandled AbortError (2.0.1 pipes the response
// without an error handler), `Watch` aborts any watch quiet for 30 s, and neither lets us count what is still open,
// which is how we prove that a closed view leaves no request behind. Lists and watches are both read as plain JSON,
// so an object looks the same whether it came from a list or a watch event.
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as k8s from '@kubernetes/client-node';
import { collectBody, flatHeaders } from '../util/httpBody.ts';
import { redact } from '../util/redact.ts';
import type { KubeStatus } from './types.ts';

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** A failed Kubernetes API call, with the Status the server answered (or the transport error) as its message. */
export class KubeApiError extends Error {
  /** HTTP status (401, 403, 404, 410, …); undefined when the cluster could not be reached. */
  readonly status: number | undefined;
  /** The Status reason (`NotFound`, `Expired`, `Unauthorized`, …). */
  readonly reason: string | undefined;

  constructor(message: string, status?: number, reason?: string) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }
}

/** One kubeconfig context's access to its cluster. */
export interface KubeContextClient {
  readonly context: string;
  /** The API server URL (no credentials). */
  readonly server: string;
  /** GET a path and parse its JSON (lists, single objects). */
  getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  /**
   * Opens a long-running GET (pod logs, watches). Resolves once a 200 arrived; any other status rejects with the
   * server's Status message. Aborting `signal` destroys the request and its socket.
   */
  openStream(path: string, query: Query, signal: AbortSignal): Promise<NodeJS.ReadableStream & { destroy(): void }>;
  /**
   * One request of any method that resolves with whatever status came back (the service proxy relays the gateway's
   * 404s and 401s, which are answers, not failures). Rejects only when no HTTP answer came or `signal` aborted.
   */
  send(request: RawRequest, signal: AbortSignal): Promise<RawResponse>;
  /** Typed clients for calls that want them (apply, create); loaded with the SDK. */
  core(): Promise<k8s.CoreV1Api>;
  apps(): Promise<k8s.AppsV1Api>;
}

export interface RawRequest {
  method: string;
  path: string;
  query?: Query;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** The most body bytes kept; the rest is counted in `size` and dropped. Default 1 MiB. */
  maxBody?: number;
}

export interface RawResponse {
  status: number;
  statusText: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body's full length in bytes (`body` may be shorter). */
  size: number;
}

export interface KubernetesClients {
  forContext(context: string): Promise<KubeContextClient>;
  /** Forgets the loaded kubeconfig (the files or the setting changed); open streams are not touched. */
  reset(): void;
  /** Requests in flight or streaming right now (a closed view must leave none behind). */
  readonly openRequests: number;
}

/** Until headers arrive: an unreachable API server must become an error item, not a spinner that never ends. */
const CONNECT_TIMEOUT_MS = 15_000;

/** The most of an error body read for its message. */
const MAX_ERROR_BODY = 64 * 1024;

type ClientNode = typeof k8s;

let clientNode: Promise<ClientNode> | undefined;

/** The SDK, loaded once on first use. */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}

/**
 * Clients for the contexts of the kubeconfig files `paths()` names (the same list kubeconfigSource reads: the
 * setting, else KUBECONFIG, else ~/.kube/config), merged as kubectl merges them.
 */
export function createKubernetesClients(paths: () => readonly string[]): KubernetesClients {
  let merged: Promise<k8s.KubeConfig> | undefined;
  const contexts = new Map<string, Promise<KubeContextClient>>();
  const counter = { open: 0 };

  const load = async (): Promise<k8s.KubeConfig> => {
    const sdk = await loadClientNode();
    const result = new sdk.KubeConfig();
    const clusters: k8s.Cluster[] = [];
    const users: k8s.User[] = [];
    const ctxs: k8s.Context[] = [];
    let current: string | undefined;
    for (const file of paths()) {
      if (!existsSync(file)) continue;
      const one = new sdk.KubeConfig();
      one.loadFromFile(file);
      // kubectl's merge: the first file to define a name wins, and the first current-context wins.
      current ??= one.getCurrentContext() || undefined;
      for (const c of one.getClusters()) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
      for (const u of one.getUsers()) if (!users.some((x) => x.name === u.name)) users.push(u);
      for (const c of one.getContexts()) if (!ctxs.some((x) => x.name === c.name)) ctxs.push(c);
    }
    result.loadFromOptions({ clusters, users, contexts: ctxs, currentContext: current ?? '' });
    return result;
  };

  const make = async (context: string): Promise<KubeContextClient> => {
    const sdk = await loadClientNode();
    merged ??= load();
    const all = await merged;
    const ctx = all.getContextObject(context);
    if (!ctx) throw new KubeApiError(`The kubeconfig has no context named "${context}"`);
    const kc = new sdk.KubeConfig();
    kc.loadFromOptions({ clusters: all.getClusters(), users: all.getUsers(), contexts: all.getContexts(), currentContext: context });
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError(`Context "${context}" names cluster "${ctx.cluster}", which the kubeconfig does not define`);
    return new ContextClient(sdk, kc, context, cluster.server, counter);
  };

  return {
    forContext(context: string): Promise<KubeContextClient> {
      let client = contexts.get(context);
      if (!client) {
        client = make(context);
        contexts.set(context, client);
        // A failed load (bad file, missing context) is retried on the next call rather than remembered.
        client.catch(() => contexts.delete(context));
      }
      return client;
    },
    reset(): void {
      merged = undefined;
      contexts.clear();
    },
    get openRequests(): number {
      return counter.open;
    },
  };
}

class ContextClient implements KubeContextClient {
  readonly context: string;
  readonly server: string;
  private readonly sdk: ClientNode;
  private readonly kc: k8s.KubeConfig;
  private readonly counter: { open: number };

  constructor(sdk: ClientNode, kc: k8s.KubeConfig, context: string, server: string, counter: { open: number }) {
    this.sdk = sdk;
    this.kc = kc;
    this.context = context;
    this.server = server;
    this.counter = counter;
  }

  core(): Promise<k8s.CoreV1Api> {
    return Promise.resolve(this.kc.makeApiClient(this.sdk.CoreV1Api));
  }

  apps(): Promise<k8s.AppsV1Api> {
    return Promise.resolve(this.kc.makeApiClient(this.sdk.AppsV1Api));
  }

  async getJson<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.request(path, query, controller.signal);
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new KubeApiError(`${this.server}${path} answered with something that is not JSON`);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  openStream(path: string, query: Query, signal: AbortSignal): Promise<NodeJS.ReadableStream & { destroy(): void }> {
    return this.request(path, query, signal);
  }

  async send(request: RawRequest, signal: AbortSignal): Promise<RawResponse> {
    if (signal.aborted) throw abortError();
    const url = requestUrl(this.server, request.path, request.query);
    const headers: Record<string, string> = { ...request.headers };
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    if (body) headers['Content-Length'] = String(body.length);
    const options: https.RequestOptions = { method: request.method, headers };
    await this.kc.applyToHTTPSOptions(options);
    if (signal.aborted) throw abortError();
    const max = request.maxBody ?? 1024 * 1024;
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = transport.request(url, options);
      this.counter.open++;
      const onAbort = (): void => {
        req.destroy();
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => {
        this.counter.open--;
        signal.removeEventListener('abort', onAbort);
      });
      req.on('error', (error) => reject(signal.aborted ? abortError() : transportError(this.server, error)));
      req.on('response', (res) => {
        const collected = collectBody(res, max);
        res.on('error', (error) => reject(signal.aborted ? abortError() : transportError(this.server, error)));
        res.on('end', () => {
          const { body, size } = collected();
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: flatHeaders(res.headers), body, size });
        });
      });
      req.end(body);
    });
  }

  private async request(path: string, query: Query, signal: AbortSignal): Promise<http.IncomingMessage> {
    if (signal.aborted) throw abortError();
    const url = requestUrl(this.server, path, query);
    const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json, */*' } };
    await this.kc.applyToHTTPSOptions(options);
    if (signal.aborted) throw abortError();
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, options);
      this.counter.open++;
      let counted = true;
      const uncount = (): void => {
        if (counted) {
          counted = false;
          this.counter.open--;
        }
      };
      const onAbort = (): void => {
        req.destroy();
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => {
        uncount();
        signal.removeEventListener('abort', onAbort);
      });
      const timer = setTimeout(() => req.destroy(new KubeApiError(`No answer from ${this.server} within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof KubeApiError || signal.aborted ? (signal.aborted ? abortError() : error) : transportError(this.server, error));
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status === 200) {
          resolve(res);
          return;
        }
        readError(res, path, status).then(reject, reject).finally(() => req.destroy());
      });
      req.end();
    });
  }
}

/** `/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy`, `…/pods/<pod>/proxy`, `/api/v1/nodes/<node>/proxy`. */
const PROXY_PREFIX = /^(\/api\/v1\/(?:namespaces\/[^/?#\\]+\/)?(?:services|pods|nodes)\/[^/?#\\]+\/proxy)(.*)$/s;

/**
 * The URL a request goes to: the server's URL (with any base path, e.g. Rancher's `/k8s/clusters/<id>`) + `path` +
 * `query`. The last line of defence for proxied requests: a URL parser removes `.`/`..` segments (also `%2e`) and reads
 * `\` as `/`, so the parsed URL's pathname is compared with the proxy prefix it was meant to stay under, and a path
 * that leaves it (to the API server's own resources, with the user's credentials) is refused. The callers check
 * their paths before (src/requests/rules.ts); this holds whatever they missed.
 */
export function requestUrl(server: string, path: string, query: Query = {}): URL {
  const url = new URL(server.replace(/\/+$/, '') + path);
  const base = new URL(server).pathname.replace(/\/+$/, '');
  if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) throw new KubeApiError(redact(`Refused: ${path} leaves the API server's base path ${base}`));
  const proxy = PROXY_PREFIX.exec(path);
  if (proxy) {
    const prefix = `${base}${proxy[1] ?? ''}`;
    const rest = proxy[2] ?? '';
    const under = url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
    if (!under || (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?'))) {
      throw new KubeApiError(redact(`Refused: the request leaves the proxy prefix ${proxy[1] ?? ''} (it would reach ${url.pathname}); only the proxied Service or pod may be called`));
    }
  }
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

function abortError(): Error {
  return new DOMException('The request was cancelled', 'AbortError');
}

/**
 * The HTTP status of a failed API call, or undefined. Read by name rather than `instanceof`: the integration tests'
 * bundle holds its own copy of this module, and an error must mean the same in both.
 */
export function apiStatus(error: unknown): number | undefined {
  return error instanceof Error && error.name === 'KubeApiError' ? (error as KubeApiError).status : undefined;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function transportError(server: string, error: Error): KubeApiError {
  const code = (error as NodeJS.ErrnoException).code;
  return new KubeApiError(redact(`Cannot reach the cluster at ${server}: ${code ? `${code} ` : ''}${error.message}`));
}

async function readError(res: http.IncomingMessage, path: string, status: number): Promise<KubeApiError> {
  let text = '';
  for await (const chunk of res) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_ERROR_BODY) break;
  }
  let body: KubeStatus | undefined;
  try {
    body = JSON.parse(text) as KubeStatus;
  } catch {
    body = undefined;
  }
  const reason = body?.reason ?? http.STATUS_CODES[status];
  const message = body?.message ?? (text.trim().slice(0, 300) || `${status} ${http.STATUS_CODES[status] ?? ''}`.trim());
  return new KubeApiError(redact(`${reason ? `${reason}: ` : ''}${message}${status === 404 && !body?.message ? ` (${path})` : ''}`), status, body?.reason);
}
