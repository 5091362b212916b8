// Sends straight to an address this machine can reach: a LoadBalancer Service's external IP, or a URL the user gives
// (a port-forward, an ingress, a node port). Nothing goes through the cluster's API, so this is the only transport
// that sees what an outside client sees: the real TLS certificate, the load balancer, the Host it routes on.
//
// node:http / node:https rather than fetch: fetch (undici) forbids setting the Host header, which gateways with
// hostname-specific configuration route on, and has no per-request `rejectUnauthorized` for an untrusted certificate
// (only a process-wide dispatcher), which "accept an untrusted certificate" needs for one call.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { TransportErrorKind } from '../diagnosis/types.ts';
import type { GatewayServiceInfo } from '../kubernetes/gateways.ts';
import { errorMessage } from '../util/errors.ts';
import { collectBody, flatHeaders } from '../util/httpBody.ts';
import { redact } from '../util/redact.ts';
import { validateBaseUrl } from './baseUrl.ts';
import { assertOutgoing, linkLocalReason } from './rules.ts';
import { SUBSCRIPTION_KEY_HEADER, type BuiltRequest, type RequestTransport, type SendOptions, type TransportResult } from './types.ts';

/** The most of a response body kept; `bodySize` still tells the real size. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface DirectUrlOptions {
  /** `http(s)://host[:port]`; the request's path and query are appended. Check it with `validateBaseUrl` first. */
  baseUrl: string;
  /** Send without verifying the server's certificate (curl -k). */
  insecure?: boolean;
  /** The user confirmed a link-local or metadata address (rules.ts `linkLocalReason`); refused without. */
  allowLinkLocal?: boolean;
}

export { validateBaseUrl };

/** `http://IP:5000`, `https://IP:5001`: each LoadBalancer ingress address at each TCP port whose scheme is known. */
export function loadBalancerBaseUrls(service: Pick<GatewayServiceInfo, 'type' | 'external' | 'ports'>): string[] {
  if (service.type !== 'LoadBalancer') return [];
  const urls: string[] = [];
  for (const address of service.external) {
    const host = isIP(address) === 6 ? `[${address}]` : address;
    for (const port of service.ports) {
      if (port.scheme === undefined || port.protocol.toUpperCase() !== 'TCP') continue;
      urls.push(`${port.scheme}://${host}:${port.port}`);
    }
  }
  return urls;
}

const CERTIFICATE_ERROR = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_VERIFY_LEAF_SIGNATURE$|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID$|HOSTNAME_MISMATCH$)/;
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|EPROTO$)/;

/** A Node network error as the diagnosis engine's transport error kind, with a message for the user. */
export function classifyNetworkError(error: unknown): { error: TransportErrorKind; message: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = errorMessage(error);
  if (typeof code === 'string') {
    if (code === 'ECONNREFUSED') return { error: 'connection-refused', message: `Connection refused: ${text}` };
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { error: 'timeout', message: text };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: 'dns', message: `The host name does not resolve: ${text}` };
    if (code === 'ECONNRESET' || code === 'EPIPE') return { error: 'reset', message: `The connection was reset: ${text}` };
    if (CERTIFICATE_ERROR.test(code)) {
      return { error: 'tls', message: `The server's certificate is not trusted (${code}: ${text}). Trust the certificate (its CA) on this machine, or tick "accept an untrusted certificate" to send without verifying it.` };
    }
    if (TLS_ERROR.test(code)) return { error: 'tls', message: `The TLS handshake failed (${code}: ${text}); is this port really https?` };
  }
  return { error: 'other', message: text };
}

export class DirectUrlTransport implements RequestTransport {
  readonly kind = 'direct' as const;
  private readonly base: URL;
  private readonly insecure: boolean;

  constructor(options: DirectUrlOptions) {
    const checked = validateBaseUrl(options.baseUrl);
    if (!checked.ok) throw new Error(checked.error);
    this.base = new URL(checked.url);
    const linkLocal = linkLocalReason(this.base.hostname);
    if (linkLocal && options.allowLinkLocal !== true) throw new Error(`Not sent: ${linkLocal} (rule: a link-local or metadata address is called only after you confirm it)`);
    this.insecure = options.insecure ?? false;
  }

  send(request: BuiltRequest, options: SendOptions): Promise<TransportResult> {
    try {
      assertOutgoing(request);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const https = this.base.protocol === 'https:';
    const port = this.base.port === '' ? (https ? 443 : 80) : Number(this.base.port);
    const url = `${this.base.protocol}//${this.base.host}${request.pathAndQuery}`;
    const description = `${request.method} ${this.base.protocol}//${this.base.hostname.includes(':') ? `[${this.base.hostname}]` : this.base.hostname}:${port}${request.pathAndQuery}${https && this.insecure ? ' (certificate not verified)' : ''}`;
    const mask = (text: string): string => redact(request.subscriptionKey ? text.split(request.subscriptionKey).join('***') : text);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of request.headers) headers[name] = value;
    if (request.subscriptionKey) headers[SUBSCRIPTION_KEY_HEADER] = request.subscriptionKey;
    const body = request.body !== undefined ? Buffer.from(request.body, 'utf8') : undefined;
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    // A Host header the user set names the virtual host; TLS asks for that name's certificate too (SNI).
    const hostHeader = request.headers.find(([n]) => n.toLowerCase() === 'host')?.[1].replace(/:\d+$/, '');
    const servername = hostHeader && isIP(hostHeader) === 0 ? hostHeader : undefined;

    return new Promise<TransportResult>((resolve, reject) => {
      if (options.signal.aborted) {
        reject(new DOMException('The request was cancelled', 'AbortError'));
        return;
      }
      const sentAt = Date.now();
      let timedOut = false;
      let settled = false;
      let req: ClientRequest | undefined;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const failed = (error: unknown): void => finish(() => {
        const receivedAt = Date.now();
        const kind = timedOut ? { error: 'timeout' as const, message: `No answer within ${Math.round(options.timeoutMs / 1000)} s` } : classifyNetworkError(error);
        resolve({ transport: this.kind, response: { kind: 'transport', error: kind.error, message: mask(kind.message), durationMs: receivedAt - sentAt }, sentAt, receivedAt, description, url });
      });
      const onAbort = (): void => {
        finish(() => reject(new DOMException('The request was cancelled', 'AbortError')));
        req?.destroy();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        req?.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      }, options.timeoutMs);
      options.signal.addEventListener('abort', onAbort, { once: true });
      const onResponse = (res: IncomingMessage): void => {
        const collected = collectBody(res, MAX_BODY_BYTES);
        res.on('error', failed);
        res.on('close', () => {
          if (!res.complete) failed(Object.assign(new Error('The connection closed before the response was complete'), { code: 'ECONNRESET' }));
        });
        res.on('end', () => finish(() => {
          const receivedAt = Date.now();
          const { body, size } = collected();
          resolve({
            transport: this.kind,
            response: { kind: 'http', status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: body.toString('utf8'), bodySize: size, durationMs: receivedAt - sentAt },
            sentAt,
            receivedAt,
            description,
            url,
          });
        }));
      };
      const common = {
        protocol: this.base.protocol,
        hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port,
        method: request.method,
        path: request.pathAndQuery,
        headers,
        // One connection per test request: no pooled socket from an earlier call hides a connect failure.
        agent: false as const,
      };
      try {
        req = https
          ? httpsRequest({ ...common, rejectUnauthorized: !this.insecure, ...(servername ? { servername } : {}) }, onResponse)
          : httpRequest(common, onResponse);
      } catch (error) {
        // Headers Node refuses (a value with a newline) throw synchronously.
        failed(error);
        return;
      }
      req.on('error', failed);
      req.end(body);
    });
  }
}
