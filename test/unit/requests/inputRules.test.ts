// Every input has a rule and a message naming it, before any call: the form (webview and host) and the transports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiContract, OperationContract } from '@azure/arm-apimanagement';
import type { TestRequestForm, TestRequestFormContext } from '../../../src/contract/testRequest.ts';
import { checkGatewayId } from '../../../src/azure/validation.ts';
import type { KubeContextClient } from '../../../src/kubernetes/client.ts';
import { buildTestRequest } from '../../../src/requests/build.ts';
import { CurlPodTransport } from '../../../src/requests/curlPod.ts';
import { DirectUrlTransport } from '../../../src/requests/direct.ts';
import { defaultForm, formApis, formToRequest, previewPath } from '../../../src/requests/form.ts';
import { ServiceProxyTransport } from '../../../src/requests/serviceProxy.ts';
import type { BuiltRequest } from '../../../src/requests/types.ts';

const api: ApiContract = { name: 'items', displayName: 'Items', path: 'items', protocols: ['http'], subscriptionRequired: false, isCurrent: true };
const ops: OperationContract[] = [{ name: 'get', displayName: 'Get', method: 'GET', urlTemplate: '/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] }];
const ctx: TestRequestFormContext = {
  gateway: { context: 'c', namespace: 'apim', deployment: 'gw' },
  services: [{ name: 'gw', type: 'LoadBalancer', external: ['10.0.0.5'], ports: [{ port: 5000, scheme: 'http', label: '5000→8080/TCP' }] }],
  arm: { serviceName: 's', gatewayName: 'g', apis: formApis([{ api, operations: ops }], ['items']), subscriptions: [] },
};
const base = (changes: Partial<TestRequestForm>): TestRequestForm => ({ ...defaultForm(ctx, { api: 'items', operation: 'get', port: 5000, params: { id: '1' } }), ...changes });
const error = (form: TestRequestForm): string => {
  const r = formToRequest(form, ctx);
  return r.ok ? 'accepted' : r.error;
};

describe('input rules', () => {
  it('a lone surrogate is refused with its rule, never a URIError (form and preview)', () => {
    for (const form of [base({ params: { id: '\uD800' } }), base({ query: [['q', 'a\uDC00b']] }), base({ api: undefined, operation: undefined, path: '/items/\uD83D' } as Partial<TestRequestForm>)]) {
      assert.doesNotThrow(() => previewPath(form, ctx));
      assert.match(error(form), /rule: text must be valid Unicode/);
    }
  });

  it('control characters in header values are refused, named', () => {
    assert.match(error(base({ headers: [['X-A', 'a\u0000b']] })), /control character U\+0000 \(rule: no control characters/);
    assert.match(error(base({ headers: [['X-A', 'a\u001bb']] })), /U\+001B/);
    assert.match(error(base({ headers: [['X-A', 'a\nb']] })), /rule: no control characters or line breaks/);
    assert.equal(error(base({ headers: [['X-A', 'tab\there']] })), 'accepted');
  });

  it('a link-local or metadata direct URL needs an explicit confirmation that says why', () => {
    const direct = (url: string, allowLinkLocal?: boolean): TestRequestForm => base({ transport: 'direct', directUrl: url, ...(allowLinkLocal !== undefined ? { allowLinkLocal } : {}) });
    assert.match(error(direct('http://169.254.169.254')), /cloud instance metadata service.*rule: a link-local or metadata address needs your confirmation/s);
    assert.match(error(direct('http://169.254.10.1:5000')), /link-local address \(169\.254\.0\.0\/16\)/);
    assert.match(error(direct('http://[fe80::1]:5000')), /IPv6 link-local address \(fe80::\/10\)/);
    assert.equal(error(direct('http://169.254.169.254', true)), 'accepted');
    assert.equal(error(direct('http://10.0.0.5:5000')), 'accepted');
    assert.throws(() => new DirectUrlTransport({ baseUrl: 'http://169.254.169.254' }), /rule: a link-local or metadata address is called only after you confirm it/);
    assert.doesNotThrow(() => new DirectUrlTransport({ baseUrl: 'http://169.254.169.254', allowLinkLocal: true }));
  });

  it('gateway ids follow the ARM rule: no control characters, separators or bidi overrides', () => {
    for (const bad of ['gw\nx', 'gw\u0000', 'a/b', 'a\\b', 'a%2f', 'gw\u202Eexe', 'gw\u2066']) assert.ok(checkGatewayId(bad), JSON.stringify(bad));
    assert.equal(checkGatewayId('rb-arc-gateway'), undefined);
  });

  it('each transport refuses a request that breaks a rule before it makes any call', async () => {
    const calls: string[] = [];
    const client = {
      context: 'c',
      server: 'https://k8s:6443',
      send: (r: { method: string; path: string }) => {
        calls.push(`${r.method} ${r.path}`);
        return Promise.reject(new Error('no cluster here'));
      },
      getJson: (p: string) => {
        calls.push(`GET ${p}`);
        return Promise.reject(new Error('no cluster here'));
      },
    } as unknown as KubeContextClient;
    const good = buildTestRequest({ method: 'GET', path: '/items/1' }, { namespace: 'apim', service: 'gw', port: 5000, scheme: 'http' });
    assert.ok(good.ok);
    const hostile: BuiltRequest[] = [
      { ...good.request, pathAndQuery: '/../../../../api/v1/secrets' },
      { ...good.request, pathAndQuery: '/%2e%2e/%2E%2E/api/v1/secrets' },
      { ...good.request, method: 'CONNECT' },
      { ...good.request, headers: [['X-A', 'a\u0000']] },
    ];
    const options = { timeoutMs: 1000, signal: new AbortController().signal };
    for (const request of hostile) {
      for (const transport of [new ServiceProxyTransport(client), new CurlPodTransport(client, { pollMs: 1 }), new DirectUrlTransport({ baseUrl: 'http://127.0.0.1:9' })]) {
        await assert.rejects(transport.send(request, options), /Not sent: .*rule/, `${transport.kind} ${request.method} ${request.pathAndQuery}`);
      }
    }
    assert.deepEqual(calls, []);
  });
});
