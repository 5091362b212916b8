import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestRequest, fillTemplate, pickPort, retarget, templateParameters } from '../../../src/requests/build.ts';
import { describePort } from '../../../src/kubernetes/gateways.ts';
import type { GatewayEndpoint } from '../../../src/requests/types.ts';

const endpoint: GatewayEndpoint = { namespace: 'apim', service: 'gw', port: 5000, scheme: 'http' };

describe('buildTestRequest', () => {
  it('joins the API suffix and the URL template, then the query: the blog request', () => {
    const built = buildTestRequest({ method: 'get', apiPath: 'echo', urlTemplate: '/resource', query: [['param1', 'sample']] }, endpoint);
    assert.ok(built.ok);
    assert.equal(built.request.method, 'GET');
    assert.equal(built.request.pathAndQuery, '/echo/resource?param1=sample');
    assert.equal(built.request.url, 'http://gw.apim:5000/echo/resource?param1=sample');
  });

  it('fills template parameters, encoding one segment for {p} and each segment for {*p}, and template query parameters', () => {
    assert.deepEqual(fillTemplate('/users/{id}/files/{*rest}', { id: 'a b/c', rest: 'x y/z' }), { ok: true, text: '/users/a%20b%2Fc/files/x%20y/z' });
    assert.deepEqual(fillTemplate('/search?q={q}&fixed=1', { q: 'a&b' }), { ok: true, text: '/search?q=a%26b&fixed=1' });
    assert.deepEqual(templateParameters('/a/{x}/{*y}?q={z}'), ['x', 'y', 'z']);
    const built = buildTestRequest({ method: 'GET', apiPath: '/dummy/', urlTemplate: '/items/{id}', templateValues: { id: '7' }, query: [['x', '1']] }, endpoint);
    assert.ok(built.ok);
    assert.equal(built.request.pathAndQuery, '/dummy/items/7?x=1');
  });

  it('names a missing template value, a bad method, a bad header name and spaces in a typed path', () => {
    assert.deepEqual(buildTestRequest({ method: 'GET', apiPath: 'a', urlTemplate: '/{id}' }, endpoint), { ok: false, error: 'No value for template parameter id' });
    assert.equal(buildTestRequest({ method: 'GE T', path: '/' }, endpoint).ok, false);
    assert.equal(buildTestRequest({ method: 'GET', path: '/', headers: [['Bad Name', 'x']] }, endpoint).ok, false);
    assert.equal(buildTestRequest({ method: 'GET', path: '/a b' }, endpoint).ok, false);
  });

  it('takes a typed path as it is, adding the leading slash, and keeps the key out of the headers', () => {
    const built = buildTestRequest({ method: 'POST', path: 'echo/resource?x=1', headers: [['Content-Type', 'application/json'], ['ocp-apim-subscription-key', 'typed']], body: '{}', subscriptionKey: 'k' }, endpoint);
    assert.ok(built.ok);
    assert.equal(built.request.pathAndQuery, '/echo/resource?x=1');
    assert.deepEqual(built.request.headers, [['Content-Type', 'application/json']]);
    assert.equal(built.request.subscriptionKey, 'k');
    assert.equal(built.request.body, '{}');
  });

  it('picks the Service port by the scheme read from the Service, and retargets to https', () => {
    const ports = [describePort({ name: 'http', port: 5000, targetPort: 8080 }, []), describePort({ name: 'https', port: 5443, targetPort: 8081 }, [])];
    assert.deepEqual(pickPort(ports, 'https'), { port: 5443, scheme: 'https' });
    assert.deepEqual(pickPort(ports), { port: 5000, scheme: 'http' });
    assert.deepEqual(pickPort([ports[0]!], 'https'), { port: 5000, scheme: 'http' });
    assert.equal(pickPort([describePort({ port: 9999 }, [])]), undefined);
    const built = buildTestRequest({ method: 'GET', path: '/echo/resource' }, endpoint);
    assert.ok(built.ok);
    assert.equal(retarget(built.request, { ...endpoint, port: 5443, scheme: 'https' }).url, 'https://gw.apim:5443/echo/resource');
  });
});
