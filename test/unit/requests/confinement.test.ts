// A test request stays inside the gateway's Service: no typed path, URL-template value or method makes the URL the
// Kubernetes client requests leave `/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiContract, OperationContract } from '@azure/arm-apimanagement';
import fc from 'fast-check';
import type { TestRequestForm, TestRequestFormContext } from '../../../src/contract/testRequest.ts';
import { requestUrl } from '../../../src/kubernetes/client.ts';
import { defaultForm, formApis, formToRequest, previewPath } from '../../../src/requests/form.ts';
import { serviceProxyPath } from '../../../src/requests/serviceProxy.ts';

const api: ApiContract = { name: 'files', displayName: 'Files', path: 'files', protocols: ['http'], subscriptionRequired: false, isCurrent: true };
const ops: OperationContract[] = [
  { name: 'one', displayName: 'One', method: 'GET', urlTemplate: '/items/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] },
  { name: 'rest', displayName: 'Rest', method: 'GET', urlTemplate: '/blobs/{*rest}', templateParameters: [{ name: 'rest', type: 'string', required: true }] },
  { name: 'q', displayName: 'Query', method: 'GET', urlTemplate: '/search?q={q}', templateParameters: [{ name: 'q', type: 'string', required: true }] },
];
const ctx: TestRequestFormContext = {
  gateway: { context: 'c', namespace: 'apim', deployment: 'gw' },
  services: [{ name: 'gw-svc', type: 'ClusterIP', external: [], ports: [{ port: 5000, scheme: 'http', label: '5000→8080/TCP' }] }],
  arm: { serviceName: 's', gatewayName: 'g', apis: formApis([{ api, operations: ops }], ['files']), subscriptions: [] },
};
const SERVER = 'https://k8s.example:6443/rancher/k8s/clusters/c-1';
const PREFIX = '/rancher/k8s/clusters/c-1/api/v1/namespaces/apim/services/gw-svc:5000/proxy';

const typed = (path: string, changes: Partial<TestRequestForm> = {}): TestRequestForm => ({ ...defaultForm(ctx, { path, port: 5000 }), api: undefined, operation: undefined, ...changes }) as TestRequestForm;
const templated = (operation: string, params: Record<string, string>, changes: Partial<TestRequestForm> = {}): TestRequestForm => ({ ...defaultForm(ctx, { api: 'files', operation, port: 5000 }), params, ...changes });

function refusal(form: TestRequestForm): string {
  const result = formToRequest(form, ctx);
  assert.equal(result.ok, false, `expected ${JSON.stringify(form.path)} / ${JSON.stringify(form.params)} / ${form.method} to be refused`);
  return result.ok ? '' : result.error;
}

describe('path confinement', () => {
  it('refuses dot segments in a typed path in every spelling, naming the rule', () => {
    for (const path of [
      '/../../../../../../../api/v1/namespaces/kube-system/secrets',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/v1/secrets',
      '/%2E%2E/%2E%2E/api/v1/secrets',
      '/.%2E/.%2e/api/v1/secrets',
      '/echo/./resource',
      '/echo/%2e',
      '/%252e%252e/%252e%252e/api',
    ]) {
      assert.match(refusal(typed(path)), /rule: no \. or \.\. segments/, path);
    }
  });

  it('refuses a / or \\ hidden in a segment and a raw backslash', () => {
    assert.match(refusal(typed('/echo/..%2f..%2f..%2fapi')), /rule: no %2f or %5c inside a segment/);
    assert.match(refusal(typed('/echo/a%5Cb')), /rule: no %2f or %5c inside a segment/);
    assert.match(refusal(typed('/echo\\..\\..\\api')), /rule: URL parsers read \\ as \//);
  });

  it('refuses template values that would add or remove segments', () => {
    assert.match(refusal(templated('one', { id: '..' })), /rule: a template value cannot add or remove path segments/);
    assert.match(refusal(templated('one', { id: '%2e%2e' })), /rule: a template value cannot add or remove path segments/);
    assert.match(refusal(templated('one', { id: 'a/../../b' })), /rule: \{id\} is one path segment/);
    assert.match(refusal(templated('rest', { rest: 'a/../../../../api/v1/secrets' })), /rule: a template value cannot add or remove path segments/);
  });

  it('keeps ordinary values: dots inside a segment, encoded spaces, a query with ..', () => {
    for (const form of [typed('/echo/v1.2/resource'), typed('/echo/a%20b'), typed('/echo/...'), typed('/echo/x?next=../..'), templated('one', { id: 'a.b' }), templated('rest', { rest: 'a/b.txt' }), templated('q', { q: '../..' })]) {
      const r = formToRequest(form, ctx);
      assert.ok(r.ok, r.ok ? '' : r.error);
    }
  });

  it('refuses CONNECT, TRACE, non-token and overlong methods; accepts extension methods that are tokens', () => {
    assert.match(refusal(typed('/echo', { method: 'CONNECT' })), /rule: no CONNECT or TRACE/);
    assert.match(refusal(typed('/echo', { method: 'trace' })), /rule: no CONNECT or TRACE/);
    assert.match(refusal(typed('/echo', { method: 'G'.repeat(10_000) })), /rule: a method has at most 32/);
    assert.match(refusal(typed('/echo', { method: 'GET /x' })), /rule: a method is an RFC 9110 token/);
    assert.ok(formToRequest(typed('/echo', { method: 'PROPFIND' }), ctx).ok);
  });

  it('the Kubernetes client refuses a proxied URL that leaves its proxy prefix (last line of defence)', () => {
    assert.throws(() => requestUrl(SERVER, '/api/v1/namespaces/apim/services/gw-svc:5000/proxy/../../../../secrets'), /leaves the proxy prefix/);
    assert.throws(() => requestUrl(SERVER, '/api/v1/namespaces/apim/services/gw-svc:5000/proxy/%2E%2E/%2e%2e/x'), /leaves the proxy prefix/);
    assert.throws(() => requestUrl(SERVER, '/api/v1/namespaces/apim/services/gw-svc:5000/proxy\\..\\..\\x'), /leaves the proxy prefix/);
    assert.equal(requestUrl(SERVER, '/api/v1/namespaces/apim/services/gw-svc:5000/proxy/echo/resource?x=1').pathname, `${PREFIX}/echo/resource`);
    assert.equal(requestUrl(SERVER, '/api/v1/namespaces/apim/pods', { labelSelector: 'a=b' }).search, '?labelSelector=a%3Db');
  });

  it('property: no generated path, template value or method makes the client request outside the proxy prefix', () => {
    // Built from the pieces that matter, so that most runs hit a separator, a dot or an escape.
    const piece = fc.constantFrom('.', '..', '/', '\\', '%2e', '%2E', '%2f', '%2F', '%5c', '%25', '%252e', '?', '#', 'a', 'api', 'v1', 'secrets', ' ', '\u0000', '\uD800', ';', '%', '2e');
    const text = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));
    const method = fc.oneof(fc.constantFrom('GET', 'DELETE', 'CONNECT', 'TRACE', 'get', 'M-SEARCH'), fc.string({ maxLength: 40 }));
    const form = fc.oneof(
      fc.tuple(text, method).map(([path, m]) => typed(`/${path}`, { method: m })),
      fc.tuple(text, method).map(([id, m]) => templated('one', { id }, { method: m })),
      fc.tuple(text, method).map(([rest, m]) => templated('rest', { rest }, { method: m })),
      fc.tuple(text, text).map(([q, v]) => templated('q', { q }, { query: [[v, v]] })),
    );
    fc.assert(
      fc.property(form, (f) => {
        previewPath(f, ctx); // never throws, whatever the value
        const result = formToRequest(f, ctx);
        if (!result.ok) return;
        let url: URL;
        try {
          url = requestUrl(SERVER, serviceProxyPath(result.request));
        } catch (error) {
          assert.fail(`the form accepted what the client refuses: ${String(error)}`);
        }
        assert.ok(url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`), `${result.request.method} ${result.request.pathAndQuery} → ${url.pathname}`);
        assert.ok(!['CONNECT', 'TRACE'].includes(result.request.method));
        assert.match(result.request.method, /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: whatever path reaches the client directly, the URL it requests stays under the proxy prefix or it refuses', () => {
    const piece = fc.constantFrom('.', '..', '/', '\\', '%2e', '%2E', '%2f', '%5c', '?', '#', 'a', '\t', '\n', '%09');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }).map((p) => p.join('')), (rest) => {
        let url: URL;
        try {
          url = requestUrl(SERVER, `/api/v1/namespaces/apim/services/gw-svc:5000/proxy${rest}`);
        } catch {
          return;
        }
        assert.ok(url.pathname === PREFIX || url.pathname.startsWith(`${PREFIX}/`), `${rest} → ${url.pathname}`);
      }),
      { numRuns: 3000 },
    );
  });
});
