// The evidence table (src/diagnosis/evidenceRules.ts, printed in README.md) against the engine: for complete inputs
// of every cause with facts randomly removed, no finding of severity error names a cause whose required evidence is
// absent; and every finding's sentences, rendered with facts missing, read as plain sentences.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagnose, type DiagnosisInput, type Finding, type FindingCode } from '../../../src/diagnosis/index.ts';
import { EVIDENCE_RULES, FACTS, evidenceHolds, evidenceTableMarkdown, type Fact } from '../../../src/diagnosis/evidenceRules.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import {
  INVALID_KEY_BODY,
  MISSING_KEY_BODY,
  NO_RECORD,
  NOT_FOUND_BODY,
  OPERATION_NOT_FOUND,
  SVC,
  api,
  dummyApi,
  echoApi,
  gateway,
  input,
  operation,
  record,
  request,
  response,
  seenRecord,
  versionSet,
} from './builders.ts';

const ALL_CODES: readonly FindingCode[] = [
  'api-not-assigned',
  'scheme-not-allowed',
  'no-api-for-path',
  'no-operation-for-method',
  'non-current-revision',
  'revision-not-served',
  'version-missing',
  'version-wrong-place',
  'hostname-mismatch',
  'subscription-key-missing',
  'subscription-key-invalid',
  'backend-unreachable',
  'token-expired',
  'request-logging-off',
  'gateway-not-configured',
  'configuration-changed',
  'unknown',
];

const seed = (JSON.parse(readFileSync(new URL('../../fixtures/diagnosis/seed-blog.input.json', import.meta.url), 'utf8')) as { input: DiagnosisInput }).input;
const segmentSet = versionSet('shop', { versioningScheme: 'Segment' });
const querySet = versionSet('shop', { versioningScheme: 'Query', versionQueryName: 'api-version' });
const shop = (id: string) => api('shop-v2', { displayName: 'Shop', path: 'shop', apiVersion: 'v2', apiVersionSetId: id }, [operation('orders', 'GET', '/orders')]);
const rev2 = echoApi({ name: 'echo-api;rev=2', apiRevision: '2', isCurrent: false, protocols: ['http', 'https'] });
const rev2Ops = { ...rev2, operations: [...(rev2.operations ?? []), operation('new', 'GET', '/new')] };
const open = echoApi({ protocols: ['http', 'https'] });
const syncFailed = parseGatewayLog('[Error] 2024-05-02T09:59:00.000 [ConfigInitialSyncFailed], exception: System.Net.Http.HttpRequestException: Name or service not known\n');
const expired = '2024-05-01T00:00:00Z';
const sentAt = '2024-05-02T10:00:00Z';
const keyHeaders = { headerNames: ['Ocp-Apim-Subscription-Key'], subscriptionKey: { in: 'header' as const, name: 'Ocp-Apim-Subscription-Key' } };

/** Complete inputs, one or more per cause; each has every fact the table can ask for. */
const SCENARIOS: Record<string, DiagnosisInput> = {
  'seed blog: HTTP to an HTTPS-only API': { ...seed, log: { ...(seed.log ?? { searchedMs: 0 }), events: [] }, gateway: { ...seed.gateway, gatewayId: seed.gateway?.gatewayId ?? 'gw', readAt: sentAt } },
  'API not assigned': input({ request: request(`${SVC}/dummy/items`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ assignedApiIds: ['echo-api'], readAt: sentAt }) }),
  'no API for the path': input({ request: request(`${SVC}/ecko/resource`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ readAt: sentAt }) }),
  'no operation for the method': input({ request: request(`${SVC}/echo/resource`, { method: 'PATCH', sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ apis: [open], readAt: sentAt }) }),
  'operation only in a non-current revision': input({ request: request(`${SVC}/echo/new`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ apis: [open, rev2Ops], readAt: sentAt }) }),
  'a non-current revision named': input({
    request: request(`${SVC}/echo;rev=2/new`, { sentAt }),
    response: response(404, NOT_FOUND_BODY),
    log: seenRecord(record({ method: 'GET', url: `${SVC}/echo;rev=2/new`, responseCode: 404 }, OPERATION_NOT_FOUND)),
    gateway: gateway({ apis: [open, rev2Ops], readAt: sentAt }),
  }),
  'version missing': input({ request: request(`${SVC}/shop/orders`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ apis: [shop(segmentSet.id ?? '')], assignedApiIds: ['shop-v2'], versionSets: [segmentSet], readAt: sentAt }) }),
  'version in the wrong place': input({ request: request(`${SVC}/shop/v2/orders`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ apis: [shop(querySet.id ?? '')], assignedApiIds: ['shop-v2'], versionSets: [querySet], readAt: sentAt }) }),
  'hostname not configured': input({ request: request(`${SVC}/echo/resource`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: NO_RECORD, gateway: gateway({ apis: [open], hostnames: ['api.contoso.com'], readAt: sentAt }) }),
  'key missing, none sent': input({ request: request(`${SVC}/echo/resource`, { sentAt }), response: response(401, MISSING_KEY_BODY, { 'WWW-Authenticate': 'AzureApiManagementKey realm="x"' }), log: NO_RECORD, gateway: gateway({ apis: [open], readAt: sentAt }) }),
  'key missing, although sent': input({ request: request(`${SVC}/echo/resource`, { sentAt, ...keyHeaders }), response: response(401, MISSING_KEY_BODY), log: NO_RECORD, gateway: gateway({ apis: [open], readAt: sentAt }) }),
  'key invalid': input({
    request: request(`${SVC}/echo/resource`, { sentAt, ...keyHeaders }),
    response: response(401, INVALID_KEY_BODY),
    log: seenRecord(record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 401, apiId: 'echo-api' }, { source: 'authentication', reason: 'SubscriptionKeyInvalid' })),
    gateway: gateway({ apis: [open], readAt: sentAt }),
  }),
  'backend unreachable': input({
    request: request(`${SVC}/dummy/items`, { sentAt }),
    response: response(500, ''),
    log: seenRecord(record({ method: 'GET', url: `${SVC}/dummy/items`, responseCode: 500, apiId: 'dummy' }, { source: 'request-forwarder', reason: 'BackendConnectionFailure', message: 'Connection refused' })),
    gateway: gateway({ readAt: sentAt }),
  }),
  'token expired': input({ request: request(`${SVC}/echo/resource`, { sentAt }), response: response(200, ''), log: NO_RECORD, gateway: gateway({ tokenExpiresAt: expired, readAt: sentAt }) }),
  'gateway never configured': input({ request: request(`${SVC}/echo/resource`, { sentAt }), response: response(404, NOT_FOUND_BODY), log: { ...NO_RECORD, events: syncFailed }, gateway: gateway({ apis: [open], readAt: sentAt }) }),
  'request logging off': input({ request: request(`${SVC}/dummy/items`, { sentAt }), response: response(500, ''), log: NO_RECORD, gateway: gateway({ localDiagnostics: false, readAt: sentAt }) }),
  'an old record against a changed configuration': {
    ...input({
      request: request(`${SVC}/echo/resource`, { sentAt }),
      response: response(404, NOT_FOUND_BODY),
      log: seenRecord(record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 404 }, OPERATION_NOT_FOUND)),
      gateway: gateway({ apis: [open, dummyApi()], readAt: '2024-05-02T10:30:00Z' }),
    }),
    changes: [{ at: '2024-05-02T10:10:00Z', what: 'Allow HTTP on echo-api', apiId: 'echo-api' }],
  },
};

type Remover = (i: DiagnosisInput) => void;
const forEachApi = (f: (api: Record<string, unknown>, wrapper: Record<string, unknown>) => void): Remover => (i) => {
  for (const w of (i.gateway?.apis ?? []) as unknown as Record<string, unknown>[]) f(w['api'] as Record<string, unknown>, w);
};
const recordRequest = (i: DiagnosisInput): Record<string, unknown> | undefined => i.log?.record?.request as Record<string, unknown> | undefined;

/** How the test takes each fact away (the whole fact: from every API, from the request and the record). */
const REMOVE: Record<Fact, Remover> = {
  status: (i) => {
    delete i.response;
    delete recordRequest(i)?.['responseCode'];
  },
  requestUrl: (i) => {
    i.request.url = '';
    delete recordRequest(i)?.['url'];
  },
  method: (i) => {
    delete i.request.method;
    delete recordRequest(i)?.['method'];
  },
  apis: (i) => {
    if (i.gateway) delete i.gateway.apis;
  },
  apiPaths: forEachApi((a) => delete a['path']),
  protocols: forEachApi((a) => delete a['protocols']),
  operations: forEachApi((_, w) => delete w['operations']),
  assignments: (i) => {
    if (i.gateway) delete i.gateway.assignedApiIds;
  },
  versionSets: (i) => {
    if (i.gateway) delete i.gateway.versionSets;
  },
  hostnames: (i) => {
    if (i.gateway) delete i.gateway.hostnames;
  },
  keySent: (i) => {
    delete i.request.headerNames;
    delete i.request.subscriptionKey;
  },
  subscriptionRequired: forEachApi((a) => delete a['subscriptionRequired']),
  responseBody: (i) => {
    if (i.response?.kind === 'http') delete i.response.body;
  },
  responseHeaders: (i) => {
    if (i.response?.kind === 'http') delete i.response.headers;
  },
  record: (i) => {
    if (i.log) delete i.log.record;
  },
  recordReason: (i) => {
    delete recordRequest(i)?.['lastError'];
    delete recordRequest(i)?.['errors'];
  },
  tokenExpiry: (i) => {
    if (i.gateway) delete i.gateway.tokenExpiresAt;
  },
  localDiagnostics: (i) => {
    if (i.gateway) delete i.gateway.localDiagnostics;
  },
  logSearched: (i) => {
    delete i.log;
  },
  gatewayEvents: (i) => {
    if (i.log) delete i.log.events;
  },
  configurationReadAt: (i) => {
    if (i.gateway) delete i.gateway.readAt;
  },
  sentAt: (i) => {
    delete i.request.sentAt;
  },
};
const FACT_NAMES = Object.keys(FACTS) as Fact[];

function without(base: DiagnosisInput, facts: readonly Fact[]): DiagnosisInput {
  const copy = structuredClone(base);
  for (const f of facts) REMOVE[f](copy);
  return copy;
}

function unsupportedErrors(i: DiagnosisInput, findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const rules = EVIDENCE_RULES.filter((r) => r.code === f.code && r.severity === 'error');
    if (rules.length === 0) out.push(`${f.code}: no rule allows it at error`);
    else if (!rules.some((r) => evidenceHolds(r, i))) out.push(`${f.code}: ${f.explanation}`);
  }
  return out;
}

describe('the evidence table', () => {
  it('README.md carries the table generated from the rules, so the two cannot disagree', () => {
    const readme = readFileSync(new URL('../../../src/diagnosis/README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(evidenceTableMarkdown()), 'src/diagnosis/README.md is out of date: paste evidenceTableMarkdown() into it');
  });

  it('has a rule for every finding code, and every scenario shows its cause when nothing is missing', () => {
    for (const code of ALL_CODES) assert.ok(EVIDENCE_RULES.some((r) => r.code === code), code);
    const seenCodes = new Set(Object.values(SCENARIOS).flatMap((s) => diagnose(s).map((f) => f.code)));
    for (const code of ALL_CODES) if (code !== 'unknown') assert.ok(seenCodes.has(code), `no scenario shows ${code}`);
    for (const [name, s] of Object.entries(SCENARIOS)) assert.deepEqual(unsupportedErrors(s, diagnose(s)), [], name);
  });

  it('with facts randomly removed, no finding of severity error names a cause whose required evidence is absent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(SCENARIOS)), fc.subarray(FACT_NAMES), (name, removed) => {
        const reduced = without(SCENARIOS[name] as DiagnosisInput, removed);
        assert.deepEqual(unsupportedErrors(reduced, diagnose(reduced)), [], `${name} without ${removed.join(', ')}`);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the wording of every finding, rendered with facts missing', () => {
  const METHOD = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/(echo|dummy|shop|ecko)\b/;

  function problems(f: Finding, methodKnown: boolean): string[] {
    const out: string[] = [];
    const sentences = [f.title, f.explanation, ...f.evidence.map((e) => e.label), ...f.fixes.map((x) => x.label)];
    for (const s of sentences) {
      if (/\b(undefined|null|NaN)\b|\[object Object\]/.test(s)) out.push(`placeholder in "${s}"`);
      const doubled = /\b(\w+)\s+\1\b/i.exec(s);
      if (doubled) out.push(`doubled "${doubled[0]}" in "${s}"`);
      if (/gateway (the|this) gateway/i.test(s)) out.push(`"gateway the gateway" in "${s}"`);
      if (/\s[,.;:](?=\s|$)/.test(s) || /\s{2,}/.test(s)) out.push(`stray space in "${s}"`);
    }
    if (!methodKnown && (METHOD.test(f.title) || METHOD.test(f.explanation))) out.push(`method asserted though unknown: "${f.explanation}"`);
    if (!/[.]$/.test(f.explanation) || !/^[A-Z0-9/]/.test(f.explanation)) out.push(`not a sentence: "${f.explanation}"`);
    return out;
  }

  function check(i: DiagnosisInput): string[] {
    const methodKnown = FACTS.method.present(i);
    return diagnose(i).flatMap((f) => problems(f, methodKnown).map((p) => `${f.code}: ${p}`));
  }

  it('each scenario with each single fact missing, and without the gateway name', () => {
    const rendered = new Set<FindingCode>();
    for (const [name, s] of Object.entries(SCENARIOS)) {
      for (const fact of [undefined, ...FACT_NAMES]) {
        const reduced = without(s, fact ? [fact] : []);
        for (const variant of [reduced, { ...reduced, ...(reduced.gateway ? { gateway: { ...reduced.gateway, gatewayId: '' } } : {}) }]) {
          for (const f of diagnose(variant)) rendered.add(f.code);
          assert.deepEqual(check(variant), [], `${name} without ${fact ?? 'nothing'}`);
        }
      }
    }
    for (const code of ALL_CODES) assert.ok(rendered.has(code), `${code} never rendered`);
  });

  it('any combination of missing facts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(SCENARIOS)), fc.subarray(FACT_NAMES), (name, removed) => {
        assert.deepEqual(check(without(SCENARIOS[name] as DiagnosisInput, removed)), [], `${name} without ${removed.join(', ')}`);
      }),
      { numRuns: 2000 },
    );
  });
});
