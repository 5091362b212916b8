import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correlate, pathAndQueryOf, recordMatches, type CandidateRecord, type CorrelationTarget } from '../../../src/requests/correlate.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

const T0 = Date.parse('2026-11-27T18:00:00.000Z');

function record(url: string, opts: { method?: string; code?: number; at?: number; ambiguous?: boolean; line?: number } = {}): CandidateRecord {
  const entry: GatewayLogEntry = {
    kind: 'request',
    format: 'json',
    line: opts.line ?? 1,
    raw: [],
    fields: {},
    request: {
      method: opts.method ?? 'GET',
      url,
      responseCode: opts.code ?? 404,
      ...(opts.at !== undefined ? { timeGenerated: { raw: 'x', value: opts.at, assumedUtc: false, ...(opts.ambiguous ? { hourAmbiguous: true as const } : {}) } } : {}),
    },
  };
  return { entry, pod: 'gw-1' };
}

const target: CorrelationTarget = { method: 'GET', pathAndQuery: '/echo/resource?param1=sample', status: 404, sentAt: T0, receivedAt: T0 + 300 };

describe('correlation', () => {
  it("compares path and query only: the record's Host is whatever the client used", () => {
    assert.equal(pathAndQueryOf('http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample'), '/echo/resource?param1=sample');
    assert.equal(pathAndQueryOf('https://10.0.0.4:8081/a%7eb/%2f?x=%2a#frag'), '/a~b/%2F?x=%2A');
    assert.ok(recordMatches(record('http://localhost:8080/echo/resource?param1=sample', { at: T0 }).entry, target));
  });

  it('requires the same method, status and query', () => {
    assert.equal(recordMatches(record('http://h/echo/resource?param1=sample', { method: 'POST' }).entry, target), false);
    assert.equal(recordMatches(record('http://h/echo/resource?param1=sample', { code: 401 }).entry, target), false);
    assert.equal(recordMatches(record('http://h/echo/resource?param1=other').entry, target), false);
    assert.equal(recordMatches(record('http://h/echo/resource').entry, target), false);
    assert.ok(recordMatches(record('http://h/echo/resource?param1=sample', { code: 500 }).entry, { ...target, status: undefined }));
  });

  it('prefers the record closest to the send time, across replicas, inside the window', () => {
    const early = record('http://a/echo/resource?param1=sample', { at: T0 - 3000, line: 1 });
    const close = { ...record('http://b/echo/resource?param1=sample', { at: T0 + 100, line: 2 }), pod: 'gw-2' };
    const outside = record('http://c/echo/resource?param1=sample', { at: T0 - 60_000, line: 3 });
    const found = correlate([outside, early, close], target);
    assert.equal(found?.record.pod, 'gw-2');
    assert.equal(found?.distanceMs, 100);
    assert.equal(correlate([outside], target), undefined);
  });

  it('reads the 12-hour clock of gateway 1.x both ways, and takes an untimed record only when nothing timed matches', () => {
    const ambiguous = record('http://a/echo/resource?param1=sample', { at: T0 - 12 * 3600_000 + 200, ambiguous: true });
    assert.equal(correlate([ambiguous], target)?.distanceMs, 200);
    const untimed = record('http://a/echo/resource?param1=sample');
    assert.equal(correlate([untimed], target)?.distanceMs, undefined);
    const timed = record('http://a/echo/resource?param1=sample', { at: T0 + 1000, line: 9 });
    assert.equal(correlate([untimed, timed], target)?.record.entry.line, 9);
  });

  it('ignores entries that are not request records', () => {
    const event: CandidateRecord = { entry: { kind: 'event', format: 'text', line: 1, raw: [], fields: {} } };
    assert.equal(correlate([event], target), undefined);
  });
});
