// "Why did this fail?" on a record the user is looking at: the record alone becomes the diagnosis input (request,
// response and log lookup read from it), and with the seed blog's gateway facts the seed 404 is scheme-not-allowed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose, type DiagnosisInput } from '../../../src/diagnosis/index.ts';
import { diagnosisInputFromRecord, explainFromRecordAlone, isDiagnosableRecord, withoutAzureNote } from '../../../src/diagnosis/fromRecord.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { OPERATION_NOT_FOUND, SVC, codes, echoApi, dummyApi, fixIds, gateway, record } from './builders.ts';

const seedLog = parseGatewayLog(readFileSync(new URL('../../fixtures/gateway-logs/seed-blog-v1.log', import.meta.url), 'utf8'));
const seed404 = seedLog.find((e) => e.request?.correlationId === '752afbf2-7a10-4655-b1b0-6b8221ea612d');
const seedFacts = (JSON.parse(readFileSync(new URL('../../fixtures/diagnosis/seed-blog.input.json', import.meta.url), 'utf8')) as { input: DiagnosisInput }).input.gateway;

describe('diagnosisInputFromRecord', () => {
  it('reads method, url, status and time from the record, and hands the record over as the log lookup', () => {
    assert.ok(seed404);
    const input = diagnosisInputFromRecord(seed404);
    assert.ok(input);
    assert.deepEqual(input.request, {
      method: 'GET',
      url: `${SVC}/echo/resource?param1=sample`,
      // timeGenerated of the seed record, `06/03/2021 15:25:37`, read as UTC.
      sentAt: '2021-06-03T15:25:37.000Z',
    });
    assert.deepEqual(input.response, { kind: 'http', status: 404 });
    assert.deepEqual(input.log, { record: seed404, recordLine: seed404.line, searchedMs: 0, requestRecordsSeen: 1 });
    assert.equal(input.gateway, undefined);
  });

  it('names no line for a record of a live view that started from --tail: its line is not the pod log\'s', () => {
    assert.ok(seed404);
    const tailed = { ...seed404, line: 5, lineWindow: 1000 };
    const evidence = diagnose(diagnosisInputFromRecord(tailed) ?? { request: { url: '' } }).flatMap((f) => f.evidence.map((e) => e.label));
    assert.ok(evidence.includes('Gateway log'), evidence.join(' | '));
    assert.ok(!evidence.some((l) => /line 5/.test(l)), evidence.join(' | '));
    const whole = diagnose(diagnosisInputFromRecord(seed404) ?? { request: { url: '' } }).flatMap((f) => f.evidence.map((e) => e.label));
    assert.ok(whole.includes(`Gateway log (line ${seed404.line})`), whole.join(' | '));
  });

  it('carries the gateway facts it is given: the seed 404 is scheme-not-allowed, with retry-https and allow-http', () => {
    assert.ok(seed404 && seedFacts);
    const input = diagnosisInputFromRecord(seed404, seedFacts);
    assert.ok(input);
    const findings = diagnose(input);
    assert.equal(findings[0]?.code, 'scheme-not-allowed');
    assert.deepEqual(fixIds(findings[0]), ['retry-https', 'allow-http']);
  });

  it('masks a subscription key in the query and says it travelled there', () => {
    const entry = record({ method: 'get', url: `${SVC}/echo/resource?a=1&subscription-key=0123456789abcdef0123&b=2`, responseCode: 401 });
    const input = diagnosisInputFromRecord(entry);
    assert.equal(input?.request.url, `${SVC}/echo/resource?a=1&subscription-key=***&b=2`);
    assert.deepEqual(input?.request.subscriptionKey, { in: 'query', name: 'subscription-key' });
    assert.equal(input?.request.method, 'GET');
  });

  it('is undefined for anything but a request record', () => {
    const event = parseGatewayLog('[Info] 2023-08-25T10:56:02.000 [HeartbeatSent], source: UdpHeartbeatSender\n')[0];
    assert.ok(event);
    assert.equal(diagnosisInputFromRecord(event), undefined);
    assert.equal(isDiagnosableRecord(event), false);
  });

  it('offers the diagnosis only for failed request records', () => {
    assert.equal(isDiagnosableRecord(record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 200 })), false);
    assert.equal(isDiagnosableRecord(record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 404 }, OPERATION_NOT_FOUND)), true);
  });
});

describe('explainFromRecordAlone', () => {
  it('diagnoses without ARM and says so', () => {
    const entry = record({ method: 'GET', url: `${SVC}/echo/resource`, responseCode: 404 }, OPERATION_NOT_FOUND);
    const explanation = explainFromRecordAlone(entry, 'this log is not from a gateway Deployment.');
    assert.ok(explanation.findings.length > 0);
    assert.match(withoutAzureNote(explanation) ?? '', /^Diagnosed without the gateway’s configuration from Azure: this log is not/);
    // Without facts the engine claims no configuration cause; with them it names one.
    const withFacts = diagnosisInputFromRecord(entry, gateway({ apis: [echoApi(), dummyApi()] }));
    assert.ok(withFacts);
    assert.notDeepEqual(codes(diagnose(withFacts)), codes(explanation.findings));
  });
});
