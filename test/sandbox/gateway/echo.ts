// The backend behind APIM's auto-created Echo API (`http://echoapi.cloudapp.net/api`). The real service echoes the
// request back; its exact body format is not documented, so this one returns a JSON description of what it received
// (method, path, query, headers, body) — enough for a test to see what the gateway forwarded.
import type { SimResponse } from '../k8s/containers.ts';

export const ECHO_HOST = 'echoapi.cloudapp.net';

export function isEchoBackend(url: URL): boolean {
  return url.hostname.toLowerCase() === ECHO_HOST;
}

export interface BackendRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
}

export function echo(request: BackendRequest, now: Date): SimResponse {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const payload = {
    method: request.method,
    path: request.url.pathname,
    query,
    headers: request.headers,
    body: request.body.toString('utf8'),
  };
  const body = request.method.toUpperCase() === 'HEAD' ? Buffer.alloc(0) : Buffer.from(JSON.stringify(payload), 'utf8');
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(request.method.toUpperCase() === 'HEAD' ? Buffer.byteLength(JSON.stringify(payload)) : body.length),
      date: now.toUTCString(),
    },
    body,
  };
}
