import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_COPY_CHARS, isGatewayLogsToHost, isGatewayLogsToWebview, isLogRow, type LogRow } from '../../../src/contract/gatewayLogs.ts';
import { toEntryDetails, toLogRow } from '../../../src/panels/gatewayLogsRows.ts';
import { generateTaggedEntries } from '../../sandbox/gateway/logGenerator.ts';

const good: LogRow = { seq: 1, timeSource: 'kubelet', time: 1, kind: 'request', message: '', failed: true, search: 'x', status: 404 };

describe('gateway logs contract guards', () => {
  it('accept what the host and the webview really send', () => {
    const entries = generateTaggedEntries(200, 7);
    const rows = entries.map(toLogRow);
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/append', batch: 1, rows, skipped: 0 }));
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/reset', title: 't', live: true, ended: false, settings: { maxEntries: 50000 }, droppedBefore: 0, pods: [{ pod: 'p', state: 'following', restartCount: 1 }] }));
    for (const entry of entries.slice(0, 50)) {
      assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/details', seq: entry.seq, details: toEntryDetails(entry) }), `details of ${entry.seq}`);
    }
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/details', seq: 3 }));
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/cleared', throughSeq: -1 }));
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/notice', notice: { time: 1, text: 'Pod x restarted', pod: 'x' } }));
    assert.ok(isGatewayLogsToHost({ type: 'gatewayLogs/ack', batch: 3, rows: 10 }));
    assert.ok(isGatewayLogsToHost({ type: 'gatewayLogs/requestDetails', seq: 9 }));
    assert.ok(isGatewayLogsToHost({ type: 'gatewayLogs/copy', text: 'abc' }));
    assert.ok(isGatewayLogsToHost({ type: 'gatewayLogs/clear' }));
  });

  it('reject wrong shapes, naming no type they do not know', () => {
    assert.equal(isGatewayLogsToHost({ type: 'ready' }), false, 'ready is the shell’s, not this view’s');
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/ack', batch: -1, rows: 1 }), false);
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/ack', batch: 1.5, rows: 1 }), false);
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/requestDetails', seq: '3' }), false);
    assert.equal(isGatewayLogsToHost({ type: 'gatewayLogs/copy', text: 'x'.repeat(MAX_COPY_CHARS + 1) }), false);
    assert.equal(isGatewayLogsToHost(null), false);
    assert.equal(isGatewayLogsToHost([]), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/append', batch: 1, rows: [{ ...good, seq: -2 }], skipped: 0 }), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/append', batch: 1, rows: [{ ...good, level: 'loud' }], skipped: 0 }), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/reset', title: 't', live: true, ended: false, settings: { maxEntries: 0 }, droppedBefore: 0, pods: [] }), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/pods', pods: [{ pod: 'p', state: 'sleeping' }] }), false);
    assert.equal(isGatewayLogsToWebview({ type: 'gatewayLogs/details', seq: 1, details: { seq: 1 } }), false);
  });

  it('a row is rejected as soon as any one field has the wrong type (property)', () => {
    const keys = Object.keys(good) as (keyof LogRow)[];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.constantFrom<unknown>(null, {}, [], 'text', -1, Number.NaN, true), (key, value) => {
        const broken = { ...good, [key]: value };
        const sameType = typeof value === typeof good[key] && value !== null && !Number.isNaN(value) && !(typeof value === 'number' && value < 0 && key === 'seq');
        if (!sameType) assert.equal(isLogRow(broken), false, `${key}=${String(value)}`);
      }),
    );
    assert.ok(isLogRow(good));
  });
});
