import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagnose, type DiagnosisInput, type Finding, type FindingCode } from '../../../src/diagnosis/index.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { gateway, input, NOT_FOUND_BODY, request, response } from './builders.ts';

// Diagnosis reads what the host scraped together from ARM, a log stream and a test request: any of it may be missing,
// partial or of the wrong shape (it also arrives as JSON from a webview). It must answer anyway.

const CODES: readonly FindingCode[] = [
  'api-not-assigned',
  'scheme-not-allowed',
  'no-api-for-path',
  'no-operation-for-method',
  'non-current-revision',
  'version-missing',
  'version-wrong-place',
  'revision-not-served',
  'hostname-mismatch',
  'subscription-key-missing',
  'subscription-key-invalid',
  'backend-unreachable',
  'token-expired',
  'token-expiring',
  'request-logging-off',
  'gateway-not-configured',
  'configuration-changed',
  'unknown',
];
const FIX_IDS = ['allow-http', 'assign-api', 'pick-subscription-key', 'retry-https', 'open-token-wizard', 'add-version', 'use-revision'];
const SECRET = 'S3cr3tKeyValue0123456789';

const segment = fc.constantFrom('echo', 'ECHO', 'resource', 'items', '42', 'v1', 'v2', 'echo;rev=2', 'shop', '', '%7B', '%', '..', '{id}', 'a b', 'é');
const path = fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`);
const query = fc.constantFrom('', '?param1=sample', '?api-version=v2', `?subscription-key=${SECRET}`, '?q=1&q=2', '?=&&', '?a=%zz');
const url = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('http', 'https', 'ws', 'ftp'), fc.constantFrom('gw.apim', 'GW.apim', '10.0.0.1', '[::1]'), fc.constantFrom('', ':5000', ':8081', ':443', ':0'), path, query).map(([s, h, p, pa, q]) => `${s}://${h}${p}${pa}${q}`) },
  { weight: 1, arbitrary: fc.string() },
);
const template = fc.oneof(
  fc.constantFrom('/resource', '/', '', '/items/{id}', '/{*rest}', '/*', '/search?q={q}', '/a?b=c&d', '/{', '/}{', '?', '/x/{id}.json', '/(.*)+', '/[a-'),
  fc.string({ maxLength: 12 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.object({ maxDepth: 1 }));
/** Mostly the declared shape, sometimes anything: rules past the first field check must get exercised too. */
const orJunk = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: junk });

const operationArb = fc.record(
  {
    name: maybe(fc.string({ maxLength: 8 })),
    method: orJunk(fc.constantFrom('GET', 'post', 'HEAD', '*', '')),
    urlTemplate: orJunk(template),
    templateParameters: orJunk(fc.array(fc.record({ name: fc.constantFrom('q', 'id', 'rest'), type: fc.constant('string'), required: fc.boolean() }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const apiArb = fc.record(
  {
    api: fc.record(
      {
        name: orJunk(fc.constantFrom('echo-api', 'echo-api;rev=2', 'dummy', 'shop-v1', 'shop-v2', 'root')),
        id: maybe(fc.constantFrom('/subscriptions/x/apis/echo-api', 'nonsense', '')),
        displayName: maybe(fc.string({ maxLength: 10 })),
        path: orJunk(fc.constantFrom('echo', '/echo/', '', 'shop', 'shop/orders', 'ECHO')),
        protocols: orJunk(fc.subarray(['http', 'https', 'HTTPS', 'ws'])),
        isCurrent: orJunk(fc.boolean()),
        apiRevision: maybe(fc.constantFrom('1', '2', '')),
        apiVersion: maybe(fc.constantFrom('v1', 'v2', '')),
        apiVersionSetId: maybe(fc.constantFrom('/x/apiVersionSets/vs', 'vs', '')),
        subscriptionRequired: orJunk(fc.boolean()),
        subscriptionKeyParameterNames: orJunk(fc.record({ header: fc.constantFrom('Ocp-Apim-Subscription-Key', 'X-Key', ''), query: fc.constantFrom('subscription-key', 'key') })),
        serviceUrl: maybe(fc.constantFrom('http://backend', 'not a url')),
      },
      { requiredKeys: [] },
    ),
    operations: orJunk(fc.array(operationArb, { maxLength: 4 })),
  },
  { requiredKeys: [] },
);
const logText = fc.constantFrom(
  '[Info] 2021-06-3T03:25:37.815, isRequestSuccess: False, category: GatewayLogs, method: GET, url: http://gw.apim:5000/echo/resource, responseCode: 404, lastError: {"source":"configuration","reason":"OperationNotFound"}',
  '[Info] 2024-01-01T00:00:00.000 [GatewayLogs], responseCode: 500, apiId: echo-api, lastError: {"reason":"BackendConnectionFailure","message":"Connection refused"}',
  '[Info] 2024-01-01T00:00:00.000 [GatewayLogs], responseCode: 401, apiId: dummy, apiRevision: 7, lastError: {"reason":"SubscriptionKeyInvalid"}',
  '{"isRequestSuccess":true,"responseCode":200,"apiId":"shop-v2","url":"::"}',
  'plain text',
);
const record = orJunk(logText.map((t) => parseGatewayLog(t)[0]));
const instant = orJunk(fc.oneof(fc.date({ noInvalidDate: false }), fc.constantFrom('2024-05-01T00:00:00Z', 'yesterday', '')));

const requestArb = fc.record(
  {
    method: orJunk(fc.constantFrom('GET', 'head', 'PATCH')),
    url: orJunk(url),
    hostHeader: maybe(fc.constantFrom('api.contoso.com', 'gw.apim:5000', '[::1]:80', ':')),
    headerNames: orJunk(fc.array(fc.constantFrom('Api-Version', 'Ocp-Apim-Subscription-Key', 'Host', ''))),
    subscriptionKey: orJunk(fc.record({ in: fc.constantFrom('header', 'query', 'body'), name: fc.constantFrom('Ocp-Apim-Subscription-Key', 'subscription-key', 'X-Key') })),
    bodySize: orJunk(fc.nat()),
    sentAt: instant,
  },
  { requiredKeys: ['url'] },
);
const responseArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        kind: fc.constant('http'),
        status: orJunk(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(200, 401, 404, 404, 404, 500) }, { weight: 1, arbitrary: fc.integer() })),
        headers: orJunk(fc.dictionary(fc.constantFrom('content-length', 'WWW-Authenticate', 'x'), fc.constantFrom('0', 'AzureApiManagementKey realm="x"', ''))),
        body: orJunk(fc.oneof(fc.constantFrom('', NOT_FOUND_BODY, 'Access denied due to missing subscription key.'), fc.string())),
      },
      { requiredKeys: ['kind', 'status'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transport'), error: orJunk(fc.constantFrom('timeout', 'tls', 'weird')) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: junk },
);
const gatewayArb = fc.record(
  {
    gatewayId: orJunk(fc.constant('gw')),
    apis: orJunk(fc.array(apiArb, { maxLength: 5 })),
    assignedApiIds: orJunk(fc.array(fc.constantFrom('echo-api', 'dummy', 'shop-v2', '/a/b/apis/root', ''))),
    versionSets: orJunk(
      fc.array(
        fc.record(
          { name: fc.constant('vs'), versioningScheme: fc.constantFrom('Segment', 'query', 'HEADER', 'other'), versionQueryName: maybe(fc.constantFrom('api-version', '')) },
          { requiredKeys: [] },
        ),
      ),
    ),
    hostnames: orJunk(fc.array(fc.constantFrom('*.apim', 'gw.apim', '*', ''))),
    tokenExpiresAt: instant,
    connected: orJunk(fc.boolean()),
    localDiagnostics: orJunk(fc.boolean()),
    ports: orJunk(fc.array(fc.record({ port: fc.constantFrom(5000, 8081, 443, 80), scheme: fc.constantFrom('http', 'https', 'tcp') }))),
  },
  { requiredKeys: ['apis'] },
);
const partialInput = fc.record(
  {
    request: orJunk(requestArb),
    response: responseArb,
    log: orJunk(fc.record({ record, searchedMs: orJunk(fc.nat()), requestRecordsSeen: orJunk(fc.nat()) }, { requiredKeys: [] })),
    gateway: orJunk(gatewayArb),
    now: instant,
  },
  { requiredKeys: [] },
);

function checkShape(findings: Finding[]): void {
  assert.ok(Array.isArray(findings));
  for (const f of findings) {
    assert.ok(CODES.includes(f.code), f.code);
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.ok(typeof f.title === 'string' && f.title.length > 0);
    assert.ok(typeof f.explanation === 'string' && f.explanation.endsWith('.') && !f.explanation.includes('\n'), f.explanation);
    for (const e of f.evidence) assert.ok(typeof e.label === 'string' && typeof e.value === 'string');
    for (const fix of f.fixes) {
      assert.ok(FIX_IDS.includes(fix.id), fix.id);
      if ('url' in fix) assert.doesNotThrow(() => new URL(fix.url), fix.url);
    }
  }
  const unknowns = findings.filter((f) => f.code === 'unknown');
  assert.ok(unknowns.length <= 1);
  if (unknowns.length === 1) {
    // `unknown` stands alone: only the notices about the gateway itself may follow it.
    assert.equal(findings[0]?.code, 'unknown');
    assert.ok(findings.slice(1).every((f) => f.severity === 'info'), JSON.stringify(findings.map((f) => f.code)));
  }
}

describe('diagnose on arbitrary input', () => {
  it('never throws on anything at all', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        checkShape(diagnose(x as DiagnosisInput));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on partial, mistyped inputs, and answers well-formed findings', () => {
    fc.assert(
      fc.property(partialInput, (x) => {
        checkShape(diagnose(x as unknown as DiagnosisInput));
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic for a fixed clock', () => {
    fc.assert(
      fc.property(partialInput, (x) => {
        const fixed = { ...x, now: '2024-05-02T00:00:00Z' } as unknown as DiagnosisInput;
        assert.deepEqual(diagnose(fixed), diagnose(fixed));
      }),
      { numRuns: 300 },
    );
  });

  it('never puts a subscription key sent in the query into what it shows', () => {
    fc.assert(
      fc.property(partialInput, (x) => {
        const shown = diagnose(x as unknown as DiagnosisInput).map((f) => ({ title: f.title, explanation: f.explanation, evidence: f.evidence }));
        assert.doesNotMatch(JSON.stringify(shown), new RegExp(SECRET));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the seed case under APIM path rules', () => {
  it('any letter case and a trailing slash still reach Echo API, so the scheme stays the cause', () => {
    const casing = fc.array(fc.boolean(), { minLength: 13, maxLength: 13 });
    fc.assert(
      fc.property(casing, fc.boolean(), (upper, slash) => {
        const p = [...'echo/resource'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        const url = `http://gw.apim:5000/${p}${slash ? '/' : ''}?param1=sample`;
        const findings = diagnose(input({ request: request(url), response: response(404, NOT_FOUND_BODY), gateway: gateway() }));
        assert.deepEqual(
          findings.map((f) => f.code),
          ['scheme-not-allowed'],
        );
      }),
    );
  });
});
