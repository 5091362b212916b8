import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DiagnosisInput } from '../../../src/diagnosis/index.ts';
import { api, codes, evidenceValue, gateway, input, operation, record, request, response } from './builders.ts';

const ORDERS_URL = 'http://gw.apim:5000/orders/orders/17';
const orders = api('orders', { displayName: 'Orders', path: 'orders', subscriptionRequired: false, serviceUrl: 'http://orders.shop.svc.cluster.local:8080/api' }, [
  operation('get-order', 'GET', '/orders/{id}'),
]);

function serverError(lastError: Record<string, string | number> | undefined, withRecord = true): DiagnosisInput {
  const rec = record(
    {
      method: 'GET',
      url: ORDERS_URL,
      responseCode: 500,
      apiId: 'orders',
      operationId: 'get-order',
      apiRevision: '1',
      backendUrl: 'http://orders.shop.svc.cluster.local:8080/api/orders/17',
    },
    lastError,
  );
  return input({
    request: request(ORDERS_URL),
    response: response(500, '{ "statusCode": 500, "message": "Internal server error", "activityId": "40aedfc7-50d9-4641-8f2b-5bae330af849" }'),
    log: withRecord ? { record: rec, searchedMs: 3000 } : { searchedMs: 3000 },
    gateway: gateway({ apis: [orders], assignedApiIds: ['orders'] }),
  });
}

describe('500: backend unreachable', () => {
  it('names the backend URL and what the gateway reported', () => {
    const [f, ...rest] = diagnose(
      serverError({ source: 'request-forwarder', reason: 'BackendConnectionFailure', message: 'Connection refused (orders.shop.svc.cluster.local:8080)', section: 'backend' }),
    );
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'backend-unreachable');
    assert.equal(
      f?.explanation,
      'The gateway could not reach the backend of Orders (orders) at http://orders.shop.svc.cluster.local:8080/api/orders/17, reporting "Connection refused (orders.shop.svc.cluster.local:8080)", so it answered 500.',
    );
    assert.equal(evidenceValue(f, 'Backend URL'), 'http://orders.shop.svc.cluster.local:8080/api/orders/17');
    assert.equal(evidenceValue(f, 'Orders service URL'), 'http://orders.shop.svc.cluster.local:8080/api');
  });

  it('a policy failure is not a backend failure', () => {
    const [f] = diagnose(serverError({ source: 'set-body', reason: 'ExpressionValueEvaluationFailure', message: 'Object reference not set', section: 'inbound' }));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /ExpressionValueEvaluationFailure from set-body, which is not one of the known causes/);
  });

  it('without a record a 500 is not attributed', () => {
    const [f] = diagnose(serverError(undefined, false));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /without the gateway's request record a 500 cannot be told apart/);
  });
});

describe('token', () => {
  const emptyOk = (tokenExpiresAt: string | undefined, more: Partial<DiagnosisInput> = {}): DiagnosisInput =>
    input({
      request: request('http://gw.apim:5000/dummy/items', { sentAt: '2024-05-02T10:00:00Z' }),
      response: { kind: 'http', status: 200, headers: { 'content-length': '0' }, body: '' },
      log: { searchedMs: 10_000, requestRecordsSeen: 0 },
      gateway: gateway({ tokenExpiresAt, connected: false }),
      ...more,
    });

  it('empty 200, no record, token expired: token-expired with the token wizard', () => {
    const findings = diagnose(emptyOk('2024-04-30T08:00:00Z'));
    assert.deepEqual(codes(findings), ['token-expired']);
    const [f] = findings;
    assert.equal(f?.severity, 'error');
    assert.match(f?.explanation ?? '', /^The token of gateway rb-arc-gateway expired on 2024-04-30 08:00 UTC, and a gateway without a valid token answers every request with an empty 200/);
    assert.deepEqual(f?.fixes, [{ id: 'open-token-wizard', label: 'Renew the token of rb-arc-gateway', gatewayId: 'rb-arc-gateway' }]);
    assert.equal(evidenceValue(f, 'Gateway heartbeat'), 'not seen');
    assert.equal(evidenceValue(f, 'Gateway log'), 'no request record found in 10 s of log (0 records of other requests seen)');
  });

  it('empty 200 with a valid token: unknown, saying the token is not the cause', () => {
    const [f, ...rest] = diagnose(emptyOk('2024-05-30T08:00:00Z'));
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /got an empty 200, and the gateway token was valid until 2024-05-30 08:00 UTC, which rules out an expired token/);
  });

  it('empty 200 with the expiry unknown: unknown, not a guess', () => {
    assert.deepEqual(codes(diagnose(emptyOk(undefined))), ['unknown']);
  });

  it('the token state at the time of the request counts, not today', () => {
    // Expired now, valid when the request was sent: the empty 200 is not its doing; the expiry is still worth an info.
    const findings = diagnose(emptyOk('2024-05-02T12:00:00Z', { now: '2024-05-03T00:00:00Z' }));
    assert.deepEqual(codes(findings), ['unknown', 'token-expired']);
    assert.equal(findings[1]?.severity, 'info');
  });

  it('a HEAD answer is empty by nature', () => {
    const i = emptyOk('2024-04-30T08:00:00Z');
    const findings = diagnose({ ...i, request: { ...i.request, method: 'HEAD' } });
    assert.deepEqual(codes(findings), ['token-expired']);
    assert.equal(findings[0]?.severity, 'info');
  });

  it('a request that worked gets an info finding when the token expires within 7 days, none after', () => {
    const worked = (expiry: string): DiagnosisInput =>
      input({
        request: request('http://gw.apim:5000/dummy/items'),
        response: response(200, '[]'),
        log: { record: record({ method: 'GET', url: 'http://gw.apim:5000/dummy/items', responseCode: 200, apiId: 'dummy' }), searchedMs: 1000 },
        gateway: gateway({ tokenExpiresAt: expiry }),
      });
    const soon = diagnose(worked('2024-05-05T10:00:00Z'));
    // Not expired: an expiring notice, never `token-expired` on a request that worked.
    assert.deepEqual(codes(soon), ['token-expiring']);
    assert.equal(soon[0]?.severity, 'info');
    // 3 days less 5 s: the same label as the tree's (src/diagnosis/expiry.ts).
    assert.equal(soon[0]?.title, 'Gateway token expires in 3 days');
    assert.deepEqual(diagnose(worked('2024-05-12T10:00:00Z')), []);
    assert.equal(diagnose(worked('2024-05-02T20:00:00Z'))[0]?.title, 'Gateway token expires in 10 hours');
  });
});

describe('request logging off', () => {
  const base = (localDiagnostics: boolean | undefined, requestRecordsSeen: number): DiagnosisInput =>
    input({
      request: request('http://gw.apim:5000/dummy/items'),
      response: response(200, '[]'),
      log: { searchedMs: 5000, requestRecordsSeen },
      gateway: gateway({ localDiagnostics }),
    });

  it('no request records at all while local diagnostics are off', () => {
    const findings = diagnose(base(false, 0));
    assert.deepEqual(codes(findings), ['request-logging-off']);
    assert.equal(findings[0]?.severity, 'info');
    assert.match(findings[0]?.explanation ?? '', /Local diagnostics are off for the APIM service, so gateway rb-arc-gateway writes no request records/);
  });

  it('not claimed when logging is on, unknown, or other records were seen', () => {
    assert.deepEqual(diagnose(base(true, 0)), []);
    assert.deepEqual(diagnose(base(undefined, 0)), []);
    assert.deepEqual(diagnose(base(false, 3)), []);
  });

  it('accompanies, never replaces, the cause of a failure', () => {
    const i = base(false, 0);
    const findings = diagnose({ ...i, request: request('http://gw.apim:5000/echo/resource'), response: response(404, '{ "statusCode": 404, "message": "Resource not found" }') });
    assert.deepEqual(codes(findings), ['scheme-not-allowed', 'request-logging-off']);
  });
});

describe('unknown: insufficient evidence', () => {
  it('a 403 with nothing else says so and lists what was observed', () => {
    const findings = diagnose(input({ request: request('https://gw.apim:8081/echo/resource'), response: response(403, '{"statusCode":403,"message":"Forbidden"}') }));
    assert.deepEqual(codes(findings), ['unknown']);
    const [f] = findings;
    assert.equal(f?.explanation, 'GET /echo/resource got 403, and none of the known causes fits what was observed, so no cause is claimed.');
    assert.deepEqual(
      f?.evidence.map((e) => e.label),
      ['Request', 'Subscription key sent', 'Response', 'Gateway log', 'Gateway configuration'],
    );
    assert.equal(evidenceValue(f, 'Gateway configuration'), 'not read from Azure');
    assert.deepEqual(f?.fixes, []);
  });

  it('a 404 OperationNotFound with no configuration to compare is not guessed at', () => {
    const url = 'http://gw.apim:5000/echo/resource';
    const rec = record({ method: 'GET', url, responseCode: 404 }, { source: 'configuration', reason: 'OperationNotFound', message: 'Unable to match incoming request to an operation.', section: 'backend' });
    const [f, ...rest] = diagnose(input({ request: request(url), response: response(404, ''), log: { record: rec, searchedMs: 1000 } }));
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'unknown');
    assert.equal(f?.explanation, 'GET /echo/resource got 404 OperationNotFound, and the APIs of the APIM service were not read to match the request against, so no cause is claimed.');
  });

  it('nothing captured at all', () => {
    const [f] = diagnose(input({ request: request('http://gw.apim:5000/x') }));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /^Nothing came back for GET \/x, and neither a response nor a gateway record of the request was captured/);
  });

  it('a successful request needs no finding', () => {
    const ok = input({ request: request('http://gw.apim:5000/dummy/items'), response: response(200, '[]'), gateway: gateway() });
    assert.deepEqual(diagnose(ok), []);
  });
});

describe('transport failures', () => {
  const failed = (url: string, error: 'connection-refused' | 'tls' | 'timeout'): DiagnosisInput =>
    input({ request: request(url), response: { kind: 'transport', error, message: 'x' }, gateway: gateway() });

  it('a port the Service does not expose is named', () => {
    const [f] = diagnose(failed('http://gw.apim:5001/echo/resource', 'connection-refused'));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /port 5001 is not one of the gateway Service's ports \(5000 \(http\), 8081 \(https\)\)/);
  });

  it('https on the http port is named', () => {
    const [f] = diagnose(failed('https://gw.apim:5000/echo/resource', 'tls'));
    assert.match(f?.explanation ?? '', /used https on port 5000, which the gateway Service serves as http/);
  });

  it('an unparseable URL is reported, not thrown', () => {
    const [f] = diagnose(input({ request: { method: 'GET', url: 'not a url' }, response: response(404, '') }));
    assert.equal(f?.code, 'unknown');
    assert.equal(evidenceValue(f, 'Request'), 'the request URL not a url cannot be parsed');
  });
});
