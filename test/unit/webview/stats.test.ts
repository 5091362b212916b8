import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bucketStep, computeRequestStats, percentile } from '../../../src/webview/gatewayLogs/stats.ts';
import { request, row } from './rows.ts';

const source = (rows: ReturnType<typeof row>[]) => ({ length: rows.length, at: (i: number) => rows[i] });

describe('request stats for the chart', () => {
  it('percentiles are nearest-rank', () => {
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(percentile(values, 50), 5);
    assert.equal(percentile(values, 95), 10);
    assert.equal(percentile(values, 90), 9);
    assert.equal(percentile(values, 0), 1);
    assert.equal(percentile([], 50), undefined);
    assert.equal(percentile([7], 95), 7);
  });

  it('a percentile is a member with at least p% of values at or below it, and is the smallest such (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (values, p) => {
        const sorted = Float64Array.from(values).sort();
        const v = percentile(sorted, p);
        assert.ok(v !== undefined && values.includes(v));
        const atOrBelow = values.filter((x) => x <= v).length;
        assert.ok(atOrBelow / values.length >= p / 100);
        const below = values.filter((x) => x < v).length;
        assert.ok(below / values.length < p / 100);
      }),
    );
  });

  it('counts requests by class and time bucket, with per-bucket and overall p50/p95', () => {
    const t0 = Date.UTC(2026, 10, 27, 15, 0, 0);
    const rows = [
      request(1, 200, { time: t0, totalTime: 10 }),
      request(2, 200, { time: t0 + 500, totalTime: 30 }),
      request(3, 404, { time: t0 + 1500, totalTime: 2 }),
      request(4, 503, { time: t0 + 1600, totalTime: 3000 }),
      request(5, 302, { totalTime: 5 }), // no time: totals only
      row(6, { time: t0 + 1700 }), // not a request
      request(7, 0, { time: t0 + 900, totalTime: 1 }), // aborted: "other"
    ];
    const stats = computeRequestStats(source(rows), 60);
    assert.equal(stats.requests, 6);
    assert.equal(stats.untimed, 1);
    assert.deepEqual(stats.counts, [2, 1, 1, 1, 1]);
    assert.equal(stats.step, 1000);
    assert.equal(stats.buckets.length, 2);
    assert.deepEqual(stats.buckets[0]?.counts, [2, 0, 0, 0, 1]);
    assert.deepEqual(stats.buckets[1]?.counts, [0, 0, 1, 1, 0]);
    assert.equal(stats.buckets[0]?.p50, 10);
    assert.equal(stats.buckets[1]?.p95, 3000);
    // Overall over 1, 2, 3, 5, 10, 30, 3000: p50 is the 4th value, p95 the 7th.
    assert.equal(stats.p50, 5);
    assert.equal(stats.p95, 3000);
  });

  it('entries out of time order still land in the right buckets', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const rows = [request(1, 200, { time: t0 + 5000 }), request(2, 500, { time: t0 }), request(3, 200, { time: t0 + 2500 })];
    const stats = computeRequestStats(source(rows), 5);
    assert.equal(stats.from, t0);
    assert.equal(stats.to, t0 + 5000);
    const total = stats.buckets.reduce((n, b) => n + b.total, 0);
    assert.equal(total, 3);
    assert.equal(stats.buckets[0]?.counts[3], 1);
  });

  it('bucket widths are round and give at most the requested number of buckets', () => {
    assert.equal(bucketStep(60_000, 60), 1000);
    assert.equal(bucketStep(61_000, 60), 2000);
    assert.equal(bucketStep(3_600_000, 60), 60_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * 86_400_000 }), fc.integer({ min: 1, max: 200 }), (span, max) => {
        assert.ok(Math.ceil(span / bucketStep(span, max)) <= max);
      }),
    );
  });

  it('no timed requests: totals without buckets', () => {
    const stats = computeRequestStats(source([row(1), request(2, 200, { totalTime: 4 })]), 10);
    assert.equal(stats.buckets.length, 0);
    assert.equal(stats.requests, 1);
    assert.equal(stats.p95, 4);
  });
});
