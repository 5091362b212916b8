import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  codeSpan,
  escapeMarkdown,
  explainEvent,
  explainField,
  explainReason,
  explainStatus,
  explanationMarkdown,
} from '../../../src/editor/explanations.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { fixture } from './helpers.ts';

/** The reasons API Management documents for built-in steps and policies (api-management-error-handling-policies). */
const DOCUMENTED_REASONS = [
  'OperationNotFound', 'SubscriptionKeyNotFound', 'SubscriptionKeyInvalid', 'ClientConnectionFailure', 'BackendConnectionFailure',
  'ExpressionValueEvaluationFailure', 'RateLimitExceeded', 'QuotaExceeded', 'CallbackParameterInvalid', 'FailedToParseCallerIP',
  'CallerIpNotAllowed', 'CallerIpBlocked', 'HeaderNotFound', 'HeaderValueNotAllowed', 'TokenNotPresent', 'TokenSignatureInvalid',
  'TokenAudienceNotAllowed', 'TokenIssuerNotAllowed', 'TokenExpired', 'TokenSignatureKeyNotFound', 'TokenClaimNotFound',
  'TokenClaimValueNotAllowed', 'JwtInvalid', 'Timeout',
];

describe('editor explanations: lastError reasons', () => {
  it('explains every documented reason', () => {
    for (const reason of DOCUMENTED_REASONS) {
      const e = explainReason(reason);
      assert.ok(e, reason);
      assert.ok(e.title.startsWith(reason), e.title);
      assert.ok(e.body.length > 40, reason);
    }
  });

  it('OperationNotFound says what to check on a self-hosted gateway: assignment, URL scheme, path, revision', () => {
    const text = explanationMarkdown(explainReason('OperationNotFound') ?? assert.fail());
    for (const needle of ['assigned to this gateway', 'protocols', 'HTTPS-only', 'URL template', ';rev=', 'OperationRouteTableRebuildCompleted']) {
      assert.ok(text.includes(needle), needle);
    }
  });

  it('BackendConnectionFailure points at reachability from the pod, subscription key reasons at the header', () => {
    assert.match(explainReason('BackendConnectionFailure')?.body ?? '', /reachable from the gateway's pod/);
    assert.match(explanationMarkdown(explainReason('SubscriptionKeyNotFound') ?? assert.fail()), /Ocp-Apim-Subscription-Key/);
    assert.match(explanationMarkdown(explainReason('SubscriptionKeyInvalid') ?? assert.fail()), /regenerat/);
  });

  it('knows nothing about names it was not told, including inherited ones', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'operationnotfound', '']) {
      assert.equal(explainReason(name), undefined, name);
      assert.equal(explainField(name), undefined, name);
      assert.equal(explainEvent(name), undefined, name);
    }
  });

  it('explains every reason the fixtures record', () => {
    const reasons = new Set<string>();
    for (const name of ['seed-blog-v1.log', 'v2-text.log', 'v2-json.log', 'generated/v1-text.log', 'generated/v2-text.log', 'generated/json.log']) {
      for (const entry of parseGatewayLog(fixture(name))) {
        const reason = entry.request?.lastError?.reason;
        if (typeof reason === 'string') reasons.add(reason);
      }
    }
    assert.ok(reasons.size >= 2);
    for (const reason of reasons) assert.ok(explainReason(reason), reason);
  });
});

describe('editor explanations: statuses', () => {
  it("404 from the gateway itself: no operation matched, with the routing checks", () => {
    const e = explainStatus(404, { field: 'responseCode', responseCode: 404, reason: 'OperationNotFound' });
    assert.ok(e);
    assert.match(e.body, /OperationNotFound/);
    assert.match(e.body, /no `backendResponseCode`/);
    assert.ok(e.checks?.some((c) => c.includes('protocols')));
  });

  it('404 the backend returned: no routing checks', () => {
    const e = explainStatus(404, { field: 'responseCode', responseCode: 404, backendResponseCode: 404 });
    assert.equal(e?.checks, undefined);
    const backend = explainStatus(404, { field: 'backendResponseCode', responseCode: 404, backendResponseCode: 404 });
    assert.match(backend?.body ?? '', /\*\*backend\*\* returned/);
    assert.equal(backend?.checks, undefined);
  });

  it('401 names the subscription key reasons and the JWT policy', () => {
    const body = explainStatus(401, { field: 'responseCode' })?.body ?? '';
    for (const needle of ['SubscriptionKeyNotFound', 'SubscriptionKeyInvalid', 'validate-jwt']) assert.ok(body.includes(needle), needle);
  });

  it('500 names BackendConnectionFailure and failing expressions', () => {
    const body = explainStatus(500, { field: 'responseCode' })?.body ?? '';
    assert.match(body, /BackendConnectionFailure/);
    assert.match(body, /ExpressionValueEvaluationFailure/);
  });

  it('200: an empty body in the record, and the empty-200-without-record signature of an expired token', () => {
    const empty = explainStatus(200, { field: 'responseCode', responseCode: 200, responseSize: 0 })?.body ?? '';
    assert.match(empty, /no body \(`responseSize` 0\)/);
    assert.match(empty, /token expired/);
    assert.match(empty, /#287/);
    const normal = explainStatus(200, { field: 'responseCode', responseCode: 200, responseSize: 512 })?.body ?? '';
    assert.doesNotMatch(normal, /responseSize` 0/);
  });

  it('a status the backend returned that the gateway changed says so', () => {
    const body = explainStatus(502, { field: 'backendResponseCode', responseCode: 500, backendResponseCode: 502 })?.body ?? '';
    assert.match(body, /answered the client 500/);
  });

  it('every status 100–599 gets a class explanation; anything else none', () => {
    for (let code = 100; code <= 599; code++) assert.ok(explainStatus(code)?.body, String(code));
    for (const code of [0, 99, 600, 404.5, Number.NaN]) assert.equal(explainStatus(code), undefined, String(code));
  });
});

describe('editor explanations: fields, events and Markdown', () => {
  it('explains the timing fields and how they relate', () => {
    assert.match(explainField('totalTime')?.body ?? '', /`totalTime` − `backendTime` − `clientTime`/);
    assert.match(explainField('backendTime')?.body ?? '', /backend/);
    assert.match(explainField('clientTime')?.body ?? '', /client/);
  });

  it('explains every field of the request records in the fixtures that the schema documents', () => {
    const text = fixture('seed-blog-v1.log');
    const record = parseGatewayLog(text).find((e) => e.kind === 'request');
    assert.ok(record);
    for (const key of Object.keys(record.fields)) assert.ok(explainField(key), key);
  });

  it('explains the start-up events of the seed blog', () => {
    for (const name of ['ComponentStarting', 'OperationRouteTableRebuildCompleted', 'LoadBackupLocationNotFound', 'LoadingConfiguration', 'ConfigInitialSyncCompleted', 'TenantStarted']) {
      assert.ok(explainEvent(name), name);
    }
    assert.match(explainEvent('LoadingConfiguration')?.body ?? '', /October 2023/);
    assert.match(explainEvent('LoadingConfigurationFailed')?.body ?? '', /401/);
  });

  it('escapes log text for Markdown', () => {
    // `:` is escaped too: GFM would otherwise turn `https://…` in log text into a link.
    assert.equal(escapeMarkdown('[x](javascript:alert(1)) *a* <b>'), '\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\*a\\* \\<b\\>');
    // A backtick stays a backtick: the fence is made longer than any run inside (tree/tooltips tests render it).
    assert.equal(codeSpan('a`b\nc'), '``a`b c``');
    const md = explanationMarkdown({ title: 'T', body: 'B', checks: ['one', 'two'] });
    assert.equal(md, '**T**\n\nB\n\nCheck:\n- one\n- two');
  });
});
