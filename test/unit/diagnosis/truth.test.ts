// Diagnosis never claims a cause from a fact it does not have: unknown is not absent, an error means the evidence
// proves the cause, a warning names the other likely causes; rules that need only the response or the record stand
// alone. Plus causes seen in the field (gateway-facts.md, December 2026) and old records judged honestly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DiagnosisInput, type Finding } from '../../../src/diagnosis/index.ts';
import { diagnosisInputFromRecord, explainRecordNow } from '../../../src/diagnosis/fromRecord.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import {
  MISSING_KEY_BODY,
  NOT_FOUND_BODY,
  NO_RECORD,
  OPERATION_NOT_FOUND,
  SVC,
  api,
  codes,
  echoApi,
  gateway,
  input,
  operation,
  record,
  request,
  response,
  versionSet,
} from './builders.ts';

function errors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

describe('unknown is not absent', () => {
  it('an API whose path was not read is not "no APIs": nothing is claimed at error', () => {
    const unreadable = echoApi();
    delete (unreadable.api as { path?: string }).path;
    const findings = diagnose(input({ request: request(`${SVC}/echo/resource`), response: response(404, NOT_FOUND_BODY), gateway: gateway({ apis: [unreadable] }) }));
    assert.deepEqual(errors(findings), [], JSON.stringify(findings));
    assert.doesNotMatch(JSON.stringify(findings), /has no APIs/);
    assert.match(findings[0]?.explanation ?? '', /path/);
  });

  it('assignments with an unreadable entry are not known: api-not-assigned is not claimed', () => {
    const findings = diagnose(
      input({ request: request(`${SVC}/dummy/items`), response: response(404, NOT_FOUND_BODY), gateway: gateway({ assignedApiIds: ['echo-api', 42 as unknown as string] }) }),
    );
    assert.ok(!codes(findings).includes('api-not-assigned'), JSON.stringify(codes(findings)));
  });

  it('an API in a version set that was not read is not matched as unversioned: no operation is claimed missing', () => {
    const orders = api('orders-v2', { path: 'orders', apiVersion: 'v2', apiVersionSetId: `/x/apiVersionSets/orders` }, [operation('get', 'GET', '/{id}')]);
    const findings = diagnose(input({ request: request(`${SVC}/orders/v2/7`), response: response(404, NOT_FOUND_BODY), gateway: gateway({ apis: [orders], assignedApiIds: ['orders-v2'], versionSets: undefined }) }));
    assert.deepEqual(errors(findings), [], JSON.stringify(findings));
  });

  it('a record without a method: nothing says GET', () => {
    const entry = record({ url: `${SVC}/echo/nothing-here`, responseCode: 404 }, OPERATION_NOT_FOUND);
    const built = diagnosisInputFromRecord(entry, gateway());
    assert.ok(built);
    const findings = diagnose(built);
    assert.ok(findings.length > 0);
    assert.doesNotMatch(JSON.stringify(findings.map((f) => [f.title, f.explanation])), /\bGET\b/);
  });

  it('a record does not say whether a key was sent: no "sent none" at error', () => {
    const entry = record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 401 });
    const findings = diagnose(diagnosisInputFromRecord(entry, gateway({ apis: [echoApi({ protocols: ['http', 'https'] })] })) as DiagnosisInput);
    assert.deepEqual(errors(findings), [], JSON.stringify(findings));
    assert.doesNotMatch(JSON.stringify(findings), /sent none/);
  });
});

describe('severity is the strength of the evidence', () => {
  it('401 "key missing" although the key was sent where the API reads it: a warning naming a proxy and a CORS preflight', () => {
    const findings = diagnose(
      input({
        request: request(`${SVC}/echo/resource`, { headerNames: ['Ocp-Apim-Subscription-Key'], subscriptionKey: { in: 'header', name: 'Ocp-Apim-Subscription-Key' } }),
        response: response(401, MISSING_KEY_BODY),
        gateway: gateway({ apis: [echoApi({ protocols: ['http', 'https'] })] }),
      }),
    );
    assert.equal(findings[0]?.code, 'subscription-key-missing');
    assert.equal(findings[0]?.severity, 'warning');
    assert.match(findings[0]?.explanation ?? '', /proxy/);
    assert.match(findings[0]?.explanation ?? '', /CORS preflight/);
  });

  it('a 401 whose body says the key is missing stands alone, with the request URL unknown', () => {
    const findings = diagnose({ request: { method: 'GET', url: '' }, response: response(401, MISSING_KEY_BODY) });
    assert.equal(findings[0]?.code, 'subscription-key-missing');
    assert.equal(findings[0]?.severity, 'error');
  });

  it('a 500 whose record says BackendConnectionFailure stands alone, with nothing read from Azure and no URL', () => {
    const entry = record({ responseCode: 500, apiId: 'orders' }, { source: 'request-forwarder', reason: 'BackendConnectionFailure', message: 'Connection refused' });
    const findings = diagnose({ request: { method: 'GET', url: 'not a url' }, log: { record: entry, searchedMs: 0 } });
    assert.equal(findings[0]?.code, 'backend-unreachable');
  });
});

describe('causes from the field', () => {
  it('a non-current revision named with ;rev= through a self-hosted gateway: likely not served there (warning)', () => {
    const rev2 = echoApi({ name: 'echo-api;rev=2', apiRevision: '2', isCurrent: false, protocols: ['http', 'https'] });
    const findings = diagnose(
      input({
        request: request(`${SVC}/echo;rev=2/resource`),
        response: response(404, NOT_FOUND_BODY),
        log: { record: record({ method: 'GET', url: `${SVC}/echo;rev=2/resource`, responseCode: 404 }, OPERATION_NOT_FOUND), searchedMs: 100 },
        gateway: gateway({ apis: [echoApi({ protocols: ['http', 'https'] }), rev2] }),
      }),
    );
    assert.equal(findings[0]?.code, 'revision-not-served');
    assert.equal(findings[0]?.severity, 'warning');
    assert.match(findings[0]?.explanation ?? '', /self-hosted/);
  });

  it('a version given as a path segment to a query-versioned API: version-wrong-place', () => {
    const set = versionSet('orders', { versioningScheme: 'Query', versionQueryName: 'api-version' });
    const orders = api('orders-v2', { path: 'orders', apiVersion: 'v2', apiVersionSetId: set.id }, [operation('get', 'GET', '/{id}')]);
    const findings = diagnose(input({ request: request(`${SVC}/orders/v2/7`), response: response(404, NOT_FOUND_BODY), gateway: gateway({ apis: [orders], assignedApiIds: ['orders-v2'], versionSets: [set] }) }));
    assert.equal(findings[0]?.code, 'version-wrong-place');
    assert.match(findings[0]?.explanation ?? '', /api-version/);
    assert.match(findings[0]?.explanation ?? '', /path segment/);
  });

  it('a version sent in the query to a header-versioned API: version-wrong-place', () => {
    const set = versionSet('orders', { versioningScheme: 'Header', versionHeaderName: 'Api-Version' });
    const orders = api('orders-v2', { path: 'orders', apiVersion: 'v2', apiVersionSetId: set.id }, [operation('get', 'GET', '/{id}')]);
    const findings = diagnose(input({ request: request(`${SVC}/orders/7?api-version=v2`), response: response(404, NOT_FOUND_BODY), gateway: gateway({ apis: [orders], assignedApiIds: ['orders-v2'], versionSets: [set] }) }));
    assert.equal(findings[0]?.code, 'version-wrong-place');
  });

  it('no record and request logging off: that leads, instead of "cause not determined"', () => {
    const findings = diagnose(
      input({ request: request(`${SVC}/echo/resource`), response: response(500, ''), log: NO_RECORD, gateway: gateway({ localDiagnostics: false }) }),
    );
    assert.equal(findings[0]?.code, 'request-logging-off');
    assert.equal(findings[0]?.severity, 'warning');
    assert.ok(!codes(findings).includes('unknown'));
  });

  it('a gateway that never got its configuration explains why every request fails', () => {
    const events = parseGatewayLog(
      [
        '[Info] 2024-11-07T14:02:11.201 [ConfigInitialSyncStarted], source: ConfigurationRepositoryProvider',
        '[Error] 2024-11-07T14:02:13.950 [ConfigInitialSyncFailed], exception: System.Net.Http.HttpRequestException: Name or service not known (contoso-apim.configuration.azure-api.net:443)',
        '',
      ].join('\n'),
    );
    const findings = diagnose(
      input({
        request: request(`${SVC}/echo/resource`),
        response: response(404, NOT_FOUND_BODY),
        log: { ...NO_RECORD, events },
        gateway: gateway({ apis: [echoApi({ protocols: ['http', 'https'] })] }),
      }),
    );
    assert.equal(findings[0]?.code, 'gateway-not-configured');
    assert.match(findings[0]?.explanation ?? '', /ConfigInitialSyncFailed/);
  });

  it('a sync failure followed by a completed sync explains nothing', () => {
    const events = parseGatewayLog(
      [
        '[Error] 2024-11-07T14:02:13.950 [ConfigInitialSyncFailed], exception: System.Net.Http.HttpRequestException: Connection refused',
        '[Info] 2024-11-07T14:02:25.000 [ConfigInitialSyncCompleted], source: ConfigurationRepositoryProvider',
        '',
      ].join('\n'),
    );
    const findings = diagnose(input({ request: request(`${SVC}/echo/nothing`), response: response(404, NOT_FOUND_BODY), log: { searchedMs: 5000, events }, gateway: gateway() }));
    assert.ok(!codes(findings).includes('gateway-not-configured'));
  });
});

describe('old records are judged against the configuration as it is now', () => {
  const seed = record({ method: 'GET', url: `${SVC}/echo/resource?param1=sample`, responseCode: 404 }, OPERATION_NOT_FOUND);
  // After Allow HTTP: Echo API now takes http, so today's configuration routes the old request.
  const today = gateway({ apis: [echoApi({ protocols: ['http', 'https'] })], readAt: '2024-05-02T10:20:00Z' });

  it('says so, and that the configuration changed since the request', () => {
    const explanation = explainRecordNow(seed, today, []);
    assert.match(explanation.asOf ?? '', /configuration as it is now/);
    assert.equal(explanation.findings[0]?.code, 'configuration-changed');
    assert.match(explanation.findings[0]?.explanation ?? '', /changed since the request/);
  });

  it('names the change this extension made since the request', () => {
    const explanation = explainRecordNow(seed, today, [{ at: '2024-05-02T10:14:59Z', what: 'Allow HTTP on echo-api', apiId: 'echo-api' }]);
    assert.match(explanation.findings[0]?.explanation ?? '', /Allow HTTP on echo-api at 2024-05-02 10:14 UTC/);
  });

  it('a change made before the request is not named', () => {
    const explanation = explainRecordNow(seed, today, [{ at: '2024-05-02T09:00:00Z', what: 'Allow HTTP on echo-api', apiId: 'echo-api' }]);
    assert.doesNotMatch(explanation.findings[0]?.explanation ?? '', /Allow HTTP/);
  });
});
