import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiContract, OperationContract } from '@azure/arm-apimanagement';
import type { TestRequestForm, TestRequestFormContext } from '../../../src/contract/testRequest.ts';
import { isTestRequestForm, isTestRequestToHost } from '../../../src/contract/testRequest.ts';
import { validateBaseUrl } from '../../../src/requests/baseUrl.ts';
import { defaultForm, formApis, formFromRecord, formHints, formToRequest, previewPath, subscriptionsFor } from '../../../src/requests/form.ts';
import { RequestHistory } from '../../../src/requests/history.ts';

const echo: ApiContract = { name: 'echo-api', displayName: 'Echo API', path: 'echo', protocols: ['https'], subscriptionRequired: true, isCurrent: true, apiRevision: '1' };
const echoRev2: ApiContract = { ...echo, name: 'echo-api;rev=2', isCurrent: false, apiRevision: '2' };
const dummy: ApiContract = { name: 'dummy-api', displayName: 'Dummy API', path: 'dummy', protocols: ['http', 'https'], subscriptionRequired: false, isCurrent: true };
const echoOps: OperationContract[] = [
  { name: 'retrieve-resource', displayName: 'Retrieve resource', method: 'GET', urlTemplate: '/resource' },
  { name: 'create-resource', displayName: 'Create resource', method: 'POST', urlTemplate: '/resource' },
];
const dummyOps: OperationContract[] = [
  { name: 'get-item', displayName: 'Get item', method: 'GET', urlTemplate: '/items/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] },
  { name: 'by-color', displayName: 'By colour', method: 'GET', urlTemplate: '/colors/{color}', templateParameters: [{ name: 'color', type: 'string', required: true, values: ['red', 'blue'], defaultValue: 'red' }] },
];

const context: TestRequestFormContext = {
  gateway: { context: 'rb-arc-aks', namespace: 'apim', deployment: 'gw' },
  services: [
    {
      name: 'gw-svc',
      type: 'LoadBalancer',
      external: ['10.1.2.3'],
      ports: [
        { port: 5000, scheme: 'http', label: '5000→8080/TCP' },
        { port: 5001, scheme: 'https', label: '5001→8081/TCP' },
        { port: 9000, label: '9000→9000/TCP' },
      ],
    },
  ],
  arm: {
    serviceName: 'rb-azure-apim',
    gatewayName: 'rb-arc-gateway',
    apis: formApis(
      [
        { api: echo, operations: echoOps },
        { api: echoRev2, operations: echoOps },
        { api: dummy, operations: dummyOps },
      ],
      ['echo-api'],
    ),
    subscriptions: [
      { name: 'master', displayName: 'Built-in all-access subscription', scope: '/apis' },
      { name: 'echo-only', displayName: 'Echo only', scope: '/apis/echo-api' },
      { name: 'dummy-only', displayName: 'Dummy only', scope: '/apis/dummy-api' },
      { name: 'starter', displayName: 'Starter', scope: '/products/starter' },
    ],
  },
};

const blog = (changes: Partial<TestRequestForm> = {}): TestRequestForm => ({
  ...defaultForm(context, { api: 'echo-api', operation: 'retrieve-resource', port: 5000, query: [['param1', 'sample']] }),
  ...changes,
});

describe('test request form', () => {
  it('lists current revisions first, assigned ones first, with the template parameters of each operation', () => {
    const apis = context.arm?.apis ?? [];
    assert.deepEqual(apis.map((a) => `${a.name}:${String(a.assigned)}:${a.isCurrent}`), ['echo-api:true:true', 'dummy-api:false:true', 'echo-api;rev=2:true:false']);
    const byColor = apis.find((a) => a.name === 'dummy-api')?.operations.find((o) => o.name === 'by-color');
    assert.deepEqual(byColor?.parameters, [{ name: 'color', required: true, defaultValue: 'red', values: ['red', 'blue'] }]);
  });

  it('starts on the first assigned API, its first operation, and a port the API accepts (https for the HTTPS-only Echo API)', () => {
    const form = defaultForm(context);
    assert.equal(form.api, 'echo-api');
    assert.equal(form.operation, 'retrieve-resource');
    assert.equal(form.method, 'GET');
    assert.equal(form.port, 5001);
    assert.equal(form.transport, 'service-proxy');
    assert.equal(form.directUrl, 'https://10.1.2.3:5001', 'the LoadBalancer address is offered for the direct transport');
    assert.equal(form.subscription, '');
  });

  it('builds the blog request from API + operation + query, aimed at the chosen port', () => {
    const built = formToRequest(blog(), context);
    assert.ok(built.ok);
    assert.equal(built.request.url, 'http://gw-svc.apim:5000/echo/resource?param1=sample');
    assert.equal(previewPath(blog(), context), '/echo/resource?param1=sample');
  });

  it('reaches a non-current revision with ;rev=N after the API suffix', () => {
    const built = formToRequest(blog({ api: 'echo-api;rev=2' }), context);
    assert.ok(built.ok);
    assert.equal(built.request.pathAndQuery, '/echo;rev=2/resource?param1=sample');
  });

  it('fills template parameters and names the one that is missing or not among the allowed values', () => {
    const base = blog({ api: 'dummy-api', operation: 'get-item', params: {}, query: [] });
    assert.deepEqual(formToRequest(base, context), { ok: false, field: 'param:id', error: 'Enter a value for {id}: the URL template /items/{id} needs it' });
    const ok = formToRequest({ ...base, params: { id: 'a b' } }, context);
    assert.ok(ok.ok);
    assert.equal(ok.request.pathAndQuery, '/dummy/items/a%20b');
    assert.equal(previewPath(base, context), '/dummy/items/{id}');
    const color = formToRequest({ ...base, operation: 'by-color', params: { color: 'green' } }, context);
    assert.deepEqual(color, { ok: false, field: 'param:color', error: '{color} must be one of red, blue' });
  });

  it('refuses values that break a rule, naming the rule and the field, before anything is sent', () => {
    const refuse = (changes: Partial<TestRequestForm>): { field: string; error: string } => {
      const r = formToRequest(blog(changes), context);
      assert.equal(r.ok, false, JSON.stringify(changes));
      return r.ok ? { field: '', error: '' } : { field: r.field, error: r.error };
    };
    assert.equal(refuse({ method: 'GE T' }).field, 'method');
    assert.equal(refuse({ service: 'nope' }).field, 'service');
    assert.equal(refuse({ port: 1234 }).field, 'port');
    assert.match(refuse({ port: 9000 }).error, /http or https is not known/);
    assert.equal(refuse({ operation: 'gone' }).field, 'operation');
    assert.deepEqual(refuse({ headers: [['Bad Name', 'x']] }).field, 'header:0');
    assert.match(refuse({ headers: [['X-Ok', 'a\r\nInjected: 1']] }).error, /line breaks/);
    assert.match(refuse({ headers: [['Ocp-Apim-Subscription-Key', 'secret']] }).error, /Pick the subscription instead/);
    assert.equal(refuse({ query: [['', 'orphan']] }).field, 'query:0');
    assert.match(refuse({ body: '{}' }).error, /A GET request has no body/);
    assert.equal(refuse({ transport: 'direct', directUrl: 'ftp://x' }).field, 'directUrl');
    const typed = (path: string): string => {
      const r = formToRequest(blog({ api: undefined, operation: undefined, path }), context);
      return r.ok ? 'ok' : r.error;
    };
    assert.match(typed('echo/resource'), /starts with \//);
    assert.match(typed('/echo/a b'), /spaces/);
    assert.match(typed('/echo#x'), /fragment/);
    assert.equal(typed('/echo/resource?param1=sample'), 'ok');
  });

  it('checks the direct address: http(s), a host, a port in range, nothing else', () => {
    assert.deepEqual(validateBaseUrl(' http://10.1.2.3:5000/ '), { ok: true, url: 'http://10.1.2.3:5000' });
    assert.deepEqual(validateBaseUrl('https://gw.example.com'), { ok: true, url: 'https://gw.example.com' });
    assert.match((validateBaseUrl('') as { error: string }).error, /Enter the gateway/);
    assert.match((validateBaseUrl('10.1.2.3:5000') as { error: string }).error, /http:\/\/host\[:port\]/);
    assert.match((validateBaseUrl('ftp://x') as { error: string }).error, /must be http or https, not ftp/);
    assert.match((validateBaseUrl('http://u:p@x') as { error: string }).error, /user name or password/);
    assert.match((validateBaseUrl('http://x/echo') as { error: string }).error, /must not have a path/);
    assert.match((validateBaseUrl('http://x:0') as { error: string }).error, /1 to 65535, not 0/);
    assert.match((validateBaseUrl('http://x:70000') as { error: string }).error, /1 to 65535, not 70000/);
  });

  it('warns before sending what the gateway will refuse: scheme, assignment, revision, key', () => {
    const hints = formHints(blog(), context);
    assert.ok(hints.some((h) => /Echo API accepts https only: over http the gateway will answer 404/.test(h)), hints.join('\n'));
    assert.ok(hints.some((h) => /requires a subscription key/.test(h)));
    assert.deepEqual(formHints(blog({ port: 5001, subscription: 'master' }), context), []);
    assert.ok(formHints(blog({ api: 'dummy-api', operation: 'get-item', params: { id: '1' } }), context).some((h) => /not assigned to gateway rb-arc-gateway/.test(h)));
    assert.ok(formHints(blog({ api: 'echo-api;rev=2', port: 5001, subscription: 'master' }), context).some((h) => /revision 2, not the current one/.test(h)));
  });

  it('offers the subscriptions whose scope can open the API', () => {
    const echoApi = context.arm?.apis.find((a) => a.name === 'echo-api');
    assert.deepEqual(subscriptionsFor(context, echoApi).map((s) => s.name), ['master', 'echo-only', 'starter']);
  });

  it('accepts only well-formed form messages from the webview', () => {
    assert.equal(isTestRequestForm(blog()), true);
    assert.equal(isTestRequestToHost({ type: 'testRequest/send', form: blog() }), true);
    assert.equal(isTestRequestToHost({ type: 'testRequest/send', form: { ...blog(), port: '5000' } }), false);
    assert.equal(isTestRequestToHost({ type: 'testRequest/send', form: { ...blog(), transport: 'telnet' } }), false);
    assert.equal(isTestRequestToHost({ type: 'testRequest/send', form: { ...blog(), headers: [['a']] } }), false);
    assert.equal(isTestRequestToHost({ type: 'testRequest/copyKey', subscription: '' }), false);
    assert.equal(isTestRequestToHost({ type: 'testRequest/showHistory', id: 1.5 }), false);
  });
});

describe('a logged request sent again', () => {
  it('keeps its method, path and query (as a typed path) and its port, which the form keeps only if the Service has it', () => {
    const values = formFromRecord({ method: 'get', url: 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample' });
    assert.deepEqual(values, { api: undefined, operation: undefined, method: 'GET', path: '/echo/resource?param1=sample', port: 5000 });
    const form = defaultForm(context, values);
    assert.equal(form.api, undefined);
    assert.equal(form.port, 5000);
    assert.equal(defaultForm(context, formFromRecord({ method: 'GET', url: 'http://10.244.0.2:8080/echo/resource' })).port, 5000, 'a pod port is not a Service port: the Service’s http port instead');
    assert.deepEqual(formFromRecord({ url: 'https://[::1]/x#frag' }), { api: undefined, operation: undefined, method: 'GET', path: '/x' });
    assert.equal(formFromRecord(undefined).path, '/');
  });
});

describe('request history', () => {
  it('keeps the newest first, bounded, and describes each without the key', () => {
    const history = new RequestHistory(2);
    let changes = 0;
    history.onDidChange(() => changes++);
    const result = (status: number) => ({
      method: 'GET',
      url: 'http://gw-svc.apim:5000/echo/resource?param1=sample',
      transport: 'curl pod (curlimages/curl)',
      description: '',
      keySent: false,
      sentAt: '2026-11-27T18:00:00.000Z',
      response: { kind: 'http' as const, status, headers: [], body: '', bodySize: 0 },
      recordSearch: { searchedMs: 0, seen: 0 },
      findings: [],
    });
    for (const status of [404, 401, 200]) history.add({ gatewayKey: 'k', gatewayLabel: 'gw (apim, rb-arc-aks)', form: blog(), result: result(status) });
    assert.equal(changes, 3);
    assert.deepEqual(history.views().map((v) => [v.id, v.outcome, v.ok, v.path]), [
      [3, '200', true, '/echo/resource?param1=sample'],
      [2, '401', false, '/echo/resource?param1=sample'],
    ]);
    assert.equal(history.get(1), undefined);
  });
});
