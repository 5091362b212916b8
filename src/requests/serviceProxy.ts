// Sends through the Kubernetes API server's service proxy: nothing is created in the cluster and nothing needs
// network access to it beyond the kubeconfig's. The `https:` prefix makes the API server speak TLS to the port.
import type { KubeContextClient } from '../kubernetes/client.ts';
import { serviceProxyPath as proxyPath } from '../kubernetes/resources.ts';
import { errorMessage } from '../util/errors.ts';
import { redact } from '../util/redact.ts';
import { assertOutgoing } from './rules.ts';
import { SUBSCRIPTION_KEY_HEADER, type BuiltRequest, type RequestTransport, type SendOptions, type TransportResult } from './types.ts';

/** The API server path that relays to the gateway, e.g. …/services/https:gw:8081/proxy/echo/resource?x=1. */
export function serviceProxyPath(request: BuiltRequest): string {
  const { namespace, service, port, scheme } = request.endpoint;
  return proxyPath(namespace, { name: service, port, https: scheme === 'https' }, request.pathAndQuery);
}

export class ServiceProxyTransport implements RequestTransport {
  readonly kind = 'service-proxy' as const;
  private readonly client: KubeContextClient;

  constructor(client: KubeContextClient) {
    this.client = client;
  }

  async send(request: BuiltRequest, options: SendOptions): Promise<TransportResult> {
    assertOutgoing(request);
    const path = serviceProxyPath(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    if (request.subscriptionKey) headers[SUBSCRIPTION_KEY_HEADER] = request.subscriptionKey;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    const description = `${request.method} ${this.client.server.replace(/\/+$/, '')}${path}`;
    const sentAt = Date.now();
    try {
      const res = await this.client.send({ method: request.method, path, headers, ...(request.body !== undefined ? { body: request.body } : {}) }, signal);
      const receivedAt = Date.now();
      const body = res.body.toString('utf8');
      // The API server's own failure to reach the Service comes back as a Status object (503 "no endpoints
      // available", "error trying to reach service"): that is a transport failure, not the gateway's answer.
      if (res.status === 503 && /"kind"\s*:\s*"Status"/.test(body) && !res.headers['x-powered-by']) {
        const message = /"message"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? body;
        return { transport: this.kind, response: { kind: 'transport', error: /refused/i.test(message) ? 'connection-refused' : 'other', message: redact(message), durationMs: receivedAt - sentAt }, sentAt, receivedAt, description };
      }
      return {
        transport: this.kind,
        response: { kind: 'http', status: res.status, headers: res.headers, body, bodySize: res.size, durationMs: receivedAt - sentAt },
        sentAt,
        receivedAt,
        description,
      };
    } catch (error) {
      if (options.signal.aborted) throw error;
      const receivedAt = Date.now();
      const timedOut = timeout.aborted;
      const message = redact(timedOut ? `No answer within ${Math.round(options.timeoutMs / 1000)} s` : errorMessage(error)).split(request.subscriptionKey ?? '\u0000').join('***');
      return { transport: this.kind, response: { kind: 'transport', error: timedOut ? 'timeout' : 'other', message, durationMs: receivedAt - sentAt }, sentAt, receivedAt, description };
    }
  }
}
