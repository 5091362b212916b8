import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_COPY_CHARS, PACKED_ROW_KEYS, escapeToAscii, isGatewayLogsToHost, isGatewayLogsToWebview, isGatewayLogsWire, isLogRow, packAppend, toWire, unescapeFromAscii, unpackAppend, type AppendMessage, type LogRow } from '../../../src/contract/gatewayLogs.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
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

  it('a packed append unpacks into the same rows, after a trip through JSON as a webview message takes', () => {
    const rows = generateTaggedEntries(300, 11).map(toLogRow);
    const append: AppendMessage = { type: 'gatewayLogs/append', batch: 4, rows, skipped: 7 };
    const wire = JSON.parse(JSON.stringify(toWire(append))) as unknown;
    assert.ok(isGatewayLogsWire(wire));
    assert.deepStrictEqual(unpackAppend(wire), append);
    assert.deepStrictEqual(unpackAppend(JSON.parse(JSON.stringify(packAppend({ ...append, rows: [] })))), { ...append, rows: [] });
    // Other messages cross as they are; the webview still takes an append unpacked.
    const ended = { type: 'gatewayLogs/ended' } as const;
    assert.equal(toWire(ended), ended);
    assert.ok(isGatewayLogsWire(ended) && isGatewayLogsWire(append));
    assert.equal(isGatewayLogsWire({ ...append, rows: [{ seq: 'x' }] }), false);
  });

  it('a row with every property set, and one with none of the optional ones, unpack as they were packed', () => {
    const full: LogRow = {
      seq: 9, time: 1, timeSource: 'ambiguous', timeText: 't', pod: 'p', level: 'warn', kind: 'request', method: 'GET', path: '/x', status: 404,
      totalTime: 12, api: 'a', operation: 'o', event: 'e', message: 'm', failed: true, correlationId: 'c', search: 's',
    };
    assert.deepStrictEqual(Object.keys(full).sort(), [...PACKED_ROW_KEYS].sort(), 'the row above sets every property');
    const bare: LogRow = { seq: 10, timeSource: 'none', kind: 'text', message: '', failed: false, search: '' };
    const append: AppendMessage = { type: 'gatewayLogs/append', batch: 1, rows: [full, bare, { ...full, seq: 11, pod: 'q' }], skipped: 0 };
    assert.deepStrictEqual(unpackAppend(JSON.parse(JSON.stringify(packAppend(append)))), append);
  });

  it('messages cross as ASCII (escaped when they are not) and arrive as they were, whatever they hold (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\\', 'u', '0', '—', '…', '\ud83d', '\ude00', 'é', '"'), fc.string({ unit: 'binary', maxLength: 1 })) }), (text) => {
        const escaped = escapeToAscii(text);
        assert.ok(!/[\u0080-\uffff]/.test(escaped), JSON.stringify(escaped));
        assert.equal(unescapeFromAscii(escaped), text);
      }),
      { numRuns: 2000 },
    );
    const rows: LogRow[] = ['pool trimmed — Gateway', 'a\\u2014b', 'x'.repeat(10) + '…', '\\', 'plain'].map((message, i) => ({ seq: i + 1, timeSource: 'none', kind: 'event', message, failed: false, search: 'ascii' }));
    const append: AppendMessage = { type: 'gatewayLogs/append', batch: 2, rows, skipped: 0 };
    const wire = JSON.stringify(toWire(append));
    assert.ok(!/[\u0080-\uffff]/.test(wire), 'the whole batch is ASCII');
    assert.deepStrictEqual(unpackAppend(JSON.parse(wire)), append);
    const packed = JSON.parse(wire) as { columns: unknown[][] };
    const message = packed.columns[PACKED_ROW_KEYS.indexOf('message')] as unknown[];
    for (const bad of [['a', 'b'], [1], []]) {
      message[0] = bad;
      assert.equal(unpackAppend(packed), undefined, `an escaped message ${JSON.stringify(bad)} is refused`);
    }
  });

  it('a packed append with any wrong column or value is refused whole', () => {
    const rows = generateTaggedEntries(20, 3).map(toLogRow);
    const packed = packAppend({ type: 'gatewayLogs/append', batch: 1, rows, skipped: 0 });
    const broken = (change: (columns: unknown[][]) => void): unknown => {
      const columns = packed.columns.map((c) => [...c]);
      change(columns);
      return { ...packed, columns };
    };
    assert.ok(unpackAppend(broken(() => undefined)));
    assert.equal(unpackAppend(broken((c) => c.pop())), undefined, 'a column missing');
    assert.equal(unpackAppend(broken((c) => c[0]?.pop())), undefined, 'a column shorter than the others');
    assert.equal(unpackAppend(broken((c) => (c[PACKED_ROW_KEYS.indexOf('search')]![5] = 42))), undefined, 'a search text that is a number');
    assert.equal(unpackAppend(broken((c) => (c[PACKED_ROW_KEYS.indexOf('seq')]![0] = null))), undefined, 'a row without seq');
    assert.equal(unpackAppend(broken((c) => (c[PACKED_ROW_KEYS.indexOf('level')]![2] = 'loud'))), undefined, 'an unknown level');
    assert.equal(unpackAppend(broken((c) => (c[PACKED_ROW_KEYS.indexOf('kind')]![1] = packed.strings.length))), undefined, 'a shared string that is not there');
    assert.equal(unpackAppend(broken((c) => (c[PACKED_ROW_KEYS.indexOf('kind')]![1] = 'request'))), undefined, 'a shared string sent as itself');
    assert.equal(unpackAppend({ ...packed, strings: [1] }), undefined, 'shared strings that are not strings');
    assert.equal(unpackAppend({ ...packed, batch: -1 }), undefined);
    assert.equal(unpackAppend({ ...packed, columns: 'x' }), undefined);
  });

  it('a packed append carries the rows’ masked text only: no subscription key or gateway token reaches the webview', () => {
    const key = '0123456789abcdef0123456789abcdef';
    const token = 'rb-arc-aks-apimgw&202612271200&Qk9HVVMtU0lHTkFUVVJFLWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs==';
    const log = [
      `[Info] 2023-08-25T10:55:58.278 [GatewayLogs], isRequestSuccess: False, totalTime: 1, category: GatewayLogs, method: GET, url: http://gw:8080/echo?subscription-key=${key}, responseCode: 401, lastError: {`,
      `  "message": "Ocp-Apim-Subscription-Key: ${key} rejected",`,
      '  "reason": "SubscriptionKeyInvalid"',
      '}',
      `[Error] 2023-08-25T10:55:59.000 [ConfigInitialSyncFailed], message: GatewayKey ${token} expired, source: Sync`,
      '',
    ].join('\n');
    const rows = parseGatewayLog(log).map((e, i) => toLogRow({ ...e, seq: i + 1 }));
    const wire = JSON.stringify(toWire({ type: 'gatewayLogs/append', batch: 1, rows, skipped: 0 }));
    assert.ok(rows.length === 2 && wire.includes('subscriptionkeyinvalid'), 'the rows and their search text are there');
    assert.ok(!wire.includes(key) && !wire.includes(key.toLowerCase()), 'no subscription key');
    assert.ok(!wire.includes('202612271200&') && !wire.toLowerCase().includes('qk9hvvmtu0lhtkfuvvjflwzvci10zxn0cy1vbmx5lw5vdc1yzwfs'), 'no gateway token');
  });
});
