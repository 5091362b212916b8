// The Test Request form's logic, pure: what it starts with, what a set of values means as a request (or which rule
// a value breaks, named, before anything is sent), and the hints it shows. The webview runs it as the user types; the
// host runs it again on Send, so a value the webview let through is still refused.
import type { ApiContract, OperationContract } from '@azure/arm-apimanagement';
import type { FormApi, FormOperation, FormService, TestRequestForm, TestRequestFormContext } from '../contract/testRequest.ts';
import { validateBaseUrl } from './baseUrl.ts';
import { buildTestRequest, fillTemplate } from './build.ts';
import { checkHeaderName, checkHeaderValue, checkMethod, checkPath, checkTemplateParam, checkUrlText, encodeComponent, linkLocalReason } from './rules.ts';
import type { BuiltRequest, TestRequestSpec } from './types.ts';

/** The methods the form offers; TRACE and CONNECT are refused (rules.ts says why). */
export const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** ARM's APIs (one per revision, with operations) as the form lists them: current revisions, assigned ones first. */
export function formApis(apis: readonly { api: ApiContract; operations?: readonly OperationContract[] }[], assigned: readonly string[] | undefined): FormApi[] {
  const isAssigned = (name: string): boolean | undefined => (assigned ? assigned.some((a) => a.split('/').pop()?.toLowerCase() === name.split(';')[0]?.toLowerCase()) : undefined);
  return apis
    .map(({ api, operations }): FormApi => {
      const name = api.name ?? '';
      const assignedHere = isAssigned(name);
      return {
        name,
        displayName: api.displayName ?? name,
        path: (api.path ?? '').replace(/^\/+/, ''),
        protocols: [...(api.protocols ?? [])],
        subscriptionRequired: api.subscriptionRequired !== false,
        ...(assignedHere !== undefined ? { assigned: assignedHere } : {}),
        isCurrent: api.isCurrent !== false,
        ...(api.apiRevision ? { revision: api.apiRevision } : {}),
        operations: (operations ?? []).map(
          (o): FormOperation => ({
            name: o.name ?? '',
            displayName: o.displayName ?? o.name ?? '',
            method: (o.method ?? 'GET').toUpperCase(),
            urlTemplate: o.urlTemplate ?? '/',
            parameters: templateParams(o),
          }),
        ),
      };
    })
    .sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || Number(b.assigned ?? false) - Number(a.assigned ?? false) || a.displayName.localeCompare(b.displayName));
}

function templateParams(o: OperationContract): FormOperation['parameters'] {
  const declared = new Map((o.templateParameters ?? []).map((p) => [p.name, p]));
  return [...(o.urlTemplate ?? '').matchAll(/\{\*?([^{}]+)\}/g)].map((m) => {
    const name = m[1] ?? '';
    const p = declared.get(name);
    return {
      name,
      required: p?.required !== false,
      ...(p?.defaultValue ? { defaultValue: p.defaultValue } : {}),
      ...(p?.values?.length ? { values: [...p.values] } : {}),
      ...(p?.description ? { description: p.description } : {}),
    };
  });
}

export function findApi(ctx: TestRequestFormContext, name: string | undefined): FormApi | undefined {
  return name === undefined ? undefined : ctx.arm?.apis.find((a) => a.name === name);
}

export function findOperation(api: FormApi | undefined, name: string | undefined): FormOperation | undefined {
  return api?.operations.find((o) => o.name === name);
}

/** The Service port to use for a scheme: the API's own preference first (https when it allows it), then any known. */
export function defaultPort(service: FormService | undefined, api: FormApi | undefined): number {
  const known = (service?.ports ?? []).filter((p) => p.scheme !== undefined);
  const allowed = api ? known.filter((p) => api.protocols.includes(p.scheme ?? '')) : known.filter((p) => p.scheme === 'http');
  return (allowed[0] ?? known[0])?.port ?? 0;
}

/** What the form shows first: the given values over the API's first operation over a typed path. */
export function defaultForm(ctx: TestRequestFormContext, prefill: Partial<TestRequestForm> = {}): TestRequestForm {
  const service = ctx.services.find((s) => s.name === prefill.service) ?? ctx.services[0];
  const api = findApi(ctx, prefill.api) ?? (prefill.api === undefined && prefill.path === undefined ? ctx.arm?.apis.find((a) => a.isCurrent && a.assigned !== false) : undefined);
  const operation = findOperation(api, prefill.operation) ?? api?.operations[0];
  const params: Record<string, string> = {};
  for (const p of operation?.parameters ?? []) if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
  const port = prefill.port !== undefined && service?.ports.some((p) => p.port === prefill.port) ? prefill.port : defaultPort(service, api);
  const scheme = service?.ports.find((p) => p.port === port)?.scheme ?? 'http';
  const external = service?.external[0];
  return {
    ...(api ? { api: api.name } : {}),
    ...(operation ? { operation: operation.name } : {}),
    method: prefill.method ?? operation?.method ?? 'GET',
    path: prefill.path ?? '/',
    params: { ...params, ...(prefill.params ?? {}) },
    query: prefill.query ?? [],
    headers: prefill.headers ?? [],
    body: prefill.body ?? '',
    service: service?.name ?? '',
    port,
    transport: prefill.transport ?? 'service-proxy',
    directUrl: prefill.directUrl ?? (external && port ? `${scheme}://${external.includes(':') ? `[${external}]` : external}:${port}` : ''),
    insecure: prefill.insecure ?? false,
    subscription: prefill.subscription ?? '',
  };
}

export type FormRequest =
  | { ok: true; request: BuiltRequest; spec: TestRequestSpec; directUrl?: string }
  | { ok: false; field: string; error: string };

/** The request the values describe, or the first rule a value breaks (with the field it is in). */
export function formToRequest(form: TestRequestForm, ctx: TestRequestFormContext): FormRequest {
  const method = form.method.trim().toUpperCase();
  const methodRule = checkMethod(method);
  if (!methodRule.ok) return { ok: false, field: 'method', error: methodRule.error };
  const service = ctx.services.find((s) => s.name === form.service);
  if (!service) return { ok: false, field: 'service', error: ctx.services.length ? `Choose one of the gateway’s Services (${ctx.services.map((s) => s.name).join(', ')})` : 'No Service selects this gateway’s pods: there is nothing to send to' };
  const port = service.ports.find((p) => p.port === form.port);
  if (!port) return { ok: false, field: 'port', error: `Service ${service.name} has no port ${form.port}` };
  if (!port.scheme) return { ok: false, field: 'port', error: `Whether port ${port.port} speaks http or https is not known (name the Service port http or https)` };
  let spec: TestRequestSpec;
  const api = findApi(ctx, form.api);
  if (form.api !== undefined) {
    if (!api) return { ok: false, field: 'api', error: `API ${form.api} is not in the API Management service` };
    const operation = findOperation(api, form.operation);
    if (!operation) return { ok: false, field: 'operation', error: `Choose an operation of ${api.displayName}` };
    for (const p of operation.parameters) {
      const value = form.params[p.name] ?? '';
      if (value === '') return { ok: false, field: `param:${p.name}`, error: `Enter a value for {${p.name}}: the URL template ${operation.urlTemplate} needs it` };
      if (p.values?.length && !p.values.includes(value)) return { ok: false, field: `param:${p.name}`, error: `{${p.name}} must be one of ${p.values.join(', ')}` };
      const valueRule = checkTemplateParam(operation.urlTemplate, p.name, value);
      if (!valueRule.ok) return { ok: false, field: `param:${p.name}`, error: valueRule.error };
    }
    spec = { method, apiPath: apiPathOf(api), urlTemplate: operation.urlTemplate, templateValues: form.params };
  } else {
    const path = form.path.trim();
    const pathRule = checkPath(path);
    if (!pathRule.ok) return { ok: false, field: 'path', error: pathRule.error };
    spec = { method, path };
  }
  for (const [i, [name]] of form.query.entries()) {
    if (name === '' && (form.query[i]?.[1] ?? '') !== '') return { ok: false, field: `query:${i}`, error: 'A query parameter needs a name' };
    for (const part of form.query[i] ?? []) {
      const textRule = checkUrlText(`Query parameter ${name || i + 1}`, part);
      if (!textRule.ok) return { ok: false, field: `query:${i}`, error: textRule.error };
    }
  }
  for (const [i, [name, value]] of form.headers.entries()) {
    if (name === '' && value === '') continue;
    const nameRule = checkHeaderName(name);
    if (!nameRule.ok) return { ok: false, field: `header:${i}`, error: nameRule.error };
    const valueRule = checkHeaderValue(name, value);
    if (!valueRule.ok) return { ok: false, field: `header:${i}`, error: valueRule.error };
    if (name.toLowerCase() === 'ocp-apim-subscription-key') return { ok: false, field: `header:${i}`, error: 'Pick the subscription instead of typing its key: a typed key would be kept in the form' };
  }
  if ((method === 'GET' || method === 'HEAD') && form.body !== '') return { ok: false, field: 'body', error: `A ${method} request has no body: clear it or choose another method` };
  spec = { ...spec, query: form.query.filter(([n]) => n !== ''), headers: form.headers.filter(([n, v]) => n !== '' || v !== ''), ...(form.body !== '' ? { body: form.body } : {}) };
  let directUrl: string | undefined;
  if (form.transport === 'direct') {
    const checked = validateBaseUrl(form.directUrl);
    if (!checked.ok) return { ok: false, field: 'directUrl', error: checked.error };
    directUrl = checked.url;
    const linkLocal = linkLocalReason(new URL(checked.url).hostname);
    if (linkLocal && form.allowLinkLocal !== true) return { ok: false, field: 'directUrl', error: `${linkLocal}. Tick “send to this address anyway” if you mean it (rule: a link-local or metadata address needs your confirmation).` };
  }
  const built = buildTestRequest(spec, { namespace: ctx.gateway.namespace, service: service.name, port: port.port, scheme: port.scheme });
  if (!built.ok) return { ok: false, field: form.api !== undefined ? 'operation' : 'path', error: built.error };
  return { ok: true, request: built.request, spec, ...(directUrl ? { directUrl } : {}) };
}

/** A non-current revision is reached with `;rev=N` after the API's suffix. */
function apiPathOf(api: FormApi): string {
  return api.isCurrent || !api.revision ? api.path : `${api.path};rev=${api.revision}`;
}

/** The path and query Send would use, for the form's preview (`/echo/resource?param1=sample`, `{id}` left unfilled). */
export function previewPath(form: TestRequestForm, ctx: TestRequestFormContext): string {
  const api = findApi(ctx, form.api);
  const operation = findOperation(api, form.operation);
  let path: string;
  if (api && operation) {
    // Unfilled parameters show as {name}: filled with a marker that survives encoding, then put back.
    const marker = (i: number): string => `__arc_param_${i}__`;
    const values = Object.fromEntries(operation.parameters.map((p, i) => [p.name, form.params[p.name] || marker(i)]));
    const filled = fillTemplate(operation.urlTemplate, values);
    let rest = filled.ok ? filled.text : operation.urlTemplate;
    operation.parameters.forEach((p, i) => (rest = rest.split(marker(i)).join(`{${p.name}}`)));
    path = `/${apiPathOf(api)}${rest.startsWith('/') || rest.startsWith('?') || rest === '' ? '' : '/'}${rest}`.replace(/^\/\//, '/');
  } else path = form.path.trim() || '/';
  const extra = form.query.filter(([n]) => n !== '').map(([n, v]) => `${encodeComponent(n)}=${encodeComponent(v)}`);
  return extra.length ? `${path}${path.includes('?') ? '&' : '?'}${extra.join('&')}` : path;
}

/** Warnings the form shows before sending: what the gateway will say no to, as far as the form knows. */
export function formHints(form: TestRequestForm, ctx: TestRequestFormContext): string[] {
  const hints: string[] = [];
  const api = findApi(ctx, form.api);
  const service = ctx.services.find((s) => s.name === form.service);
  const scheme = form.transport === 'direct' ? (/^https:/i.test(form.directUrl) ? 'https' : /^http:/i.test(form.directUrl) ? 'http' : undefined) : service?.ports.find((p) => p.port === form.port)?.scheme;
  if (api && scheme && !api.protocols.includes(scheme)) hints.push(`${api.displayName} accepts ${api.protocols.join(' and ') || 'no protocol'} only: over ${scheme} the gateway will answer 404.`);
  if (api && api.assigned === false) hints.push(`${api.displayName} is not assigned to gateway ${ctx.arm?.gatewayName ?? ''}: the gateway does not know it.`);
  if (api && !api.isCurrent) hints.push(`This is revision ${api.revision ?? ''}, not the current one: it is reached with ;rev=${api.revision ?? ''} in the path.`);
  if (api?.subscriptionRequired && form.subscription === '') hints.push(`${api.displayName} requires a subscription key: pick a subscription, or send without to see the 401.`);
  if (form.transport === 'direct' && service?.type === 'LoadBalancer' && service.external.length === 0) hints.push(`Service ${service.name} has no external address yet (LoadBalancer pending): give an address you can reach.`);
  if (form.transport === 'direct' && service && service.type !== 'LoadBalancer' && form.directUrl === '') hints.push(`Service ${service.name} is ${service.type}: give an address that reaches it (a port-forward, an ingress).`);
  return hints;
}

/** What a subscription's scope reaches, in words: `/products/starter` → `product starter`. */
export function subscriptionScopeText(scope: string): string {
  const m = /^\/(apis|products)(?:\/([^/]+))?\/?$/i.exec(scope);
  if (!m) return scope;
  if (!m[2]) return m[1]?.toLowerCase() === 'apis' ? 'all APIs' : 'all products';
  return `${m[1]?.toLowerCase() === 'apis' ? 'API' : 'product'} ${m[2]}`;
}

/**
 * A subscription's name for people: its display name, or — for the ones APIM creates without one, whose name is a
 * generated id (the Starter and Unlimited products' subscriptions) — what it opens.
 */
export function subscriptionTitle(s: { readonly name: string; readonly displayName: string; readonly scope: string }): string {
  const display = s.displayName.trim();
  return display !== '' && display !== s.name ? display : `Subscription to ${subscriptionScopeText(s.scope)}`;
}

/** Subscriptions whose key can open this API, by scope (products cannot be told apart without reading them). */
export function subscriptionsFor(ctx: TestRequestFormContext, api: FormApi | undefined): NonNullable<TestRequestFormContext['arm']>['subscriptions'] {
  const all = ctx.arm?.subscriptions ?? [];
  if (!api) return all;
  const base = api.name.split(';')[0]?.toLowerCase() ?? '';
  return all.filter((s) => {
    const scope = s.scope.toLowerCase();
    return scope === '/apis' || scope.startsWith('/products/') || scope === `/apis/${base}` || scope.endsWith(`/apis/${base}`);
  });
}

/**
 * The values to send a logged request again: its method and path as typed (a record says the URL the gateway saw, not
 * which API and operation were meant), and its port (kept only when the gateway's Service has it).
 */
export function formFromRecord(request: { readonly method?: string; readonly url?: string } | undefined): Partial<TestRequestForm> {
  const url = request?.url ?? '';
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:\[[^\]]*\]|[^/?#:]*)(?::(\d+))?([^#]*)/i.exec(url);
  const path = m ? m[3] || '/' : url.startsWith('/') ? url.split('#')[0] ?? '/' : '/';
  return { api: undefined, operation: undefined, method: (request?.method ?? 'GET').toUpperCase(), path, ...(m?.[2] ? { port: Number(m[2]) } : {}) } as Partial<TestRequestForm>;
}
