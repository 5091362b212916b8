// Builds a test request from an API's path and an operation's URL template (or a typed path), aimed at a gateway
// Service port whose scheme was read from the Service. Pure.
import type { ServicePortInfo } from '../kubernetes/gateways.ts';
import { checkHeaderName, checkHeaderValue, checkMethod, checkPath, checkTemplateParam, checkUrlText, encodeComponent } from './rules.ts';
import type { BuiltRequest, GatewayEndpoint, Scheme, TestRequestSpec } from './types.ts';

export type Built = { ok: true; request: BuiltRequest } | { ok: false; error: string };

/**
 * Fills `{p}` (one segment, encoded) and `{*p}` (the rest, each segment encoded) in a URL template. Encoding keeps a
 * `{p}` value one segment (its `/` becomes `%2F`); `buildTestRequest` refuses values that would still add or remove
 * segments (`..`, `%2F`), which no encoding can keep from a URL parser.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): { ok: true; text: string } | { ok: false; error: string } {
  const missing: string[] = [];
  const [pathPart = '', queryPart] = splitOnce(template, '?');
  const path = pathPart.replace(/\{(\*?)([^{}]+)\}/g, (_m, star: string, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.push(name);
      return '';
    }
    return star ? value.split('/').map(encodeComponent).join('/') : encodeComponent(value);
  });
  let query = '';
  if (queryPart !== undefined) {
    const pairs: string[] = [];
    for (const pair of queryPart.split('&').filter(Boolean)) {
      const [name = '', raw = ''] = splitOnce(pair, '=');
      const m = /^\{([^{}]+)\}$/.exec(raw ?? '');
      if (m?.[1] !== undefined) {
        const value = values[m[1]];
        if (value === undefined) {
          missing.push(m[1]);
          continue;
        }
        pairs.push(`${name}=${encodeComponent(value)}`);
      } else pairs.push(pair);
    }
    query = pairs.join('&');
  }
  if (missing.length) return { ok: false, error: `No value for template parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  return { ok: true, text: query ? `${path}?${query}` : path };
}

/** The template's parameter names, in order (`/a/{x}?q={y}` → x, y). */
export function templateParameters(template: string): string[] {
  return [...template.matchAll(/\{\*?([^{}]+)\}/g)].map((m) => m[1] ?? '');
}

/** The port to use: the first of the wanted scheme, else the first whose scheme is known. */
export function pickPort(ports: readonly ServicePortInfo[], wanted: Scheme = 'http'): { port: number; scheme: Scheme } | undefined {
  const tcp = ports.filter((p) => p.protocol === 'TCP');
  const exact = tcp.find((p) => p.scheme === wanted);
  if (exact) return { port: exact.port, scheme: wanted };
  const known = tcp.find((p) => p.scheme !== undefined);
  return known?.scheme ? { port: known.port, scheme: known.scheme } : undefined;
}

export function buildTestRequest(spec: TestRequestSpec, endpoint: GatewayEndpoint): Built {
  const method = spec.method.trim().toUpperCase();
  const methodRule = checkMethod(method);
  if (!methodRule.ok) return { ok: false, error: methodRule.error };
  let pathAndQuery: string;
  if (spec.urlTemplate !== undefined || spec.apiPath !== undefined) {
    for (const [name, value] of Object.entries(spec.templateValues ?? {})) {
      const valueRule = checkTemplateParam(spec.urlTemplate ?? '', name, value);
      if (!valueRule.ok) return { ok: false, error: valueRule.error };
    }
    const filled = fillTemplate(spec.urlTemplate ?? '', spec.templateValues ?? {});
    if (!filled.ok) return filled;
    pathAndQuery = joinPath(spec.apiPath ?? '', filled.text);
  } else {
    pathAndQuery = (spec.path ?? '/').trim();
    if (!pathAndQuery.startsWith('/')) pathAndQuery = `/${pathAndQuery}`;
  }
  for (const [name, value] of spec.query ?? []) {
    const textRule = checkUrlText(`Query parameter ${name}`, `${name}${value}`);
    if (!textRule.ok) return { ok: false, error: textRule.error };
  }
  const extra = (spec.query ?? []).filter(([name]) => name !== '').map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`);
  if (extra.length) pathAndQuery += (pathAndQuery.includes('?') ? '&' : '?') + extra.join('&');
  const pathRule = checkPath(pathAndQuery);
  if (!pathRule.ok) return { ok: false, error: pathRule.error };
  for (const [name, value] of spec.headers ?? []) {
    const nameRule = checkHeaderName(name);
    if (!nameRule.ok) return { ok: false, error: nameRule.error };
    const valueRule = checkHeaderValue(name, value);
    if (!valueRule.ok) return { ok: false, error: valueRule.error };
  }
  const headers = (spec.headers ?? []).filter(([name]) => name.toLowerCase() !== 'ocp-apim-subscription-key');
  const authority = `${endpoint.service}.${endpoint.namespace}:${endpoint.port}`;
  return {
    ok: true,
    request: {
      method,
      endpoint,
      pathAndQuery,
      url: `${endpoint.scheme}://${authority}${pathAndQuery}`,
      headers,
      ...(spec.body !== undefined && spec.body !== '' ? { body: spec.body } : {}),
      ...(spec.subscriptionKey ? { subscriptionKey: spec.subscriptionKey } : {}),
    },
  };
}

/** The same request to another endpoint (retry over https on the https port). */
export function retarget(request: BuiltRequest, endpoint: GatewayEndpoint): BuiltRequest {
  return { ...request, endpoint, url: `${endpoint.scheme}://${endpoint.service}.${endpoint.namespace}:${endpoint.port}${request.pathAndQuery}` };
}

function joinPath(apiPath: string, rest: string): string {
  const base = apiPath.replace(/^\/+|\/+$/g, '');
  const tail = rest === '' || rest.startsWith('/') || rest.startsWith('?') ? rest : `/${rest}`;
  const joined = `/${base}${tail}`.replace(/^\/\//, '/');
  return joined === '' ? '/' : joined;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
