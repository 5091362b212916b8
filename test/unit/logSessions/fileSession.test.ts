import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { createFileLogSession } from '../../../src/logSessions/fileSession.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/gateway-logs/${name}`, import.meta.url), 'utf8');

/** The parts a view shows, without the parser's full field maps. */
const brief = (e: TaggedEntry) => ({ seq: e.seq, line: e.line, pod: e.pod, kubelet: e.kubeletTime?.raw, kind: e.kind, raw: e.raw });

describe('createFileLogSession', () => {
  it('reads a plain `kubectl logs > file` exactly as the parser does', () => {
    const text = fixture('v2-text.log');
    const session = createFileLogSession('v2-text.log', text, { maxEntries: 100_000 });
    const expected = parseGatewayLog(text);
    const entries = session.snapshot();
    assert.equal(session.live, false);
    assert.equal(session.title, 'v2-text.log');
    assert.deepEqual(entries.map((e) => ({ line: e.line, raw: e.raw, kind: e.kind })), expected.map((e) => ({ line: e.line, raw: e.raw, kind: e.kind })));
    assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
    assert.ok(entries.every((e) => e.pod === undefined && e.kubeletTime === undefined));
    assert.deepEqual(session.pods(), []);
  });

  it('takes the kubelet stamp of `--timestamps` off every line and tags each entry with its first line\'s', () => {
    const text = [
      '2026-11-27T15:15:11.704000000Z [Error] 2026-11-27T15:15:11.700 [ConfigInitialSyncFailed], exception: System.Net.Http.HttpRequestException: refused',
      '2026-11-27T15:15:11.704000100Z    at Gateway.Configuration.Cloud.ConfigurationClient.GetAsync()',
      '2026-11-27T15:15:12.000000000Z [Info] 2026-11-27T15:15:12.000 [TenantStarted], message: ok',
      '',
    ].join('\n');
    const entries = createFileLogSession('f', text, { maxEntries: 10 }).snapshot();
    assert.deepEqual(entries.map(brief), [
      { seq: 1, line: 1, pod: undefined, kubelet: '2026-11-27T15:15:11.704000000Z', kind: 'event', raw: ['[Error] 2026-11-27T15:15:11.700 [ConfigInitialSyncFailed], exception: System.Net.Http.HttpRequestException: refused', '   at Gateway.Configuration.Cloud.ConfigurationClient.GetAsync()'] },
      { seq: 2, line: 3, pod: undefined, kubelet: '2026-11-27T15:15:12.000000000Z', kind: 'event', raw: ['[Info] 2026-11-27T15:15:12.000 [TenantStarted], message: ok'] },
    ]);
    assert.equal(entries[0]?.kubeletTime?.value, Date.parse('2026-11-27T15:15:11.704Z'));
  });

  it('keeps the records of interleaved pods (`--prefix`) whole and in file order', () => {
    const text = [
      '[pod/gw-a/gateway] 2026-11-27T15:00:00.000000001Z [Error] 2026-11-27T15:00:00.000 [GatewayLogs], isRequestSuccess: false, responseCode: 500, lastError: {',
      '[pod/gw-b/gateway] 2026-11-27T15:00:00.000000002Z [Info] 2026-11-27T15:00:00.000 [HeartbeatSent], source: Udp',
      '[pod/gw-a/gateway] 2026-11-27T15:00:00.000000003Z   "reason": "BackendConnectionFailure"',
      '[pod/gw-b/gateway] 2026-11-27T15:00:00.000000004Z [Info] 2026-11-27T15:00:00.000 [HeartbeatSent], source: Udp',
      '[pod/gw-a/gateway] 2026-11-27T15:00:00.000000005Z }',
      '[pod/gw-a/gateway] 2026-11-27T15:00:00.000000006Z [Info] 2026-11-27T15:00:00.001 [TenantStarted]',
    ].join('\r\n');
    const entries = createFileLogSession('f', text, { maxEntries: 10 }).snapshot();
    assert.deepEqual(
      entries.map((e) => [e.pod, e.line, e.kind, e.raw.length]),
      [
        ['gw-a', 1, 'request', 3],
        ['gw-b', 2, 'event', 1],
        ['gw-b', 4, 'event', 1],
        ['gw-a', 6, 'event', 1],
      ],
    );
    assert.equal(entries[0]?.request?.responseCode, 500);
    assert.equal(entries[0]?.request?.lastError?.reason, 'BackendConnectionFailure');
    assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4]);
  });

  it('does not mistake a gateway line that starts with a date for a kubelet stamp in a file without them', () => {
    const text = '[Info] 2026-11-27T15:00:00.000 [A]\n2026-11-27T15:00:01.000000000Z is what a backend printed\n';
    const entries = createFileLogSession('f', text, { maxEntries: 10 }).snapshot();
    assert.equal(entries[1]?.raw[0], '2026-11-27T15:00:01.000000000Z is what a backend printed');
    assert.equal(entries[1]?.kubeletTime, undefined);
  });

  it('parses a large file in slices, in order, keeps the newest entries and reports what it let go', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `[Info] 2026-11-27T15:00:00.000 [E${i}], message: m`);
    const session = createFileLogSession('big', lines.join('\n'), { maxEntries: 1000 });
    let appended = 0;
    let dropped = 0;
    let batches = 0;
    session.onDidAppend((b) => {
      appended += b.length;
      batches++;
    });
    session.onDidDrop((n) => (dropped += n));
    const firstSlice = session.snapshot().length;
    await session.loaded;
    assert.ok(firstSlice > 0 && batches > 0, 'the first slice is there at once and the rest arrives in batches');
    const entries = session.snapshot();
    assert.equal(session.lineCount, 50_000);
    assert.equal(entries.length, 1000);
    assert.equal(session.droppedCount, 49_000);
    assert.equal(entries[0]?.event, 'E49000');
    assert.equal(entries.at(-1)?.event, 'E49999');
    assert.equal(entries.at(-1)?.seq, 50_000);
    assert.equal(appended + firstSlice + (session.droppedCount - dropped), 50_000);
  });

  it('stops loading and ends when disposed', async () => {
    const session = createFileLogSession('big', '[Info] x\n'.repeat(100_000), { maxEntries: 10 });
    let ended = 0;
    session.onDidEnd(() => ended++);
    session.dispose();
    session.dispose();
    await session.loaded;
    assert.equal(ended, 1);
    assert.ok(session.lineCount < 100_000);
  });
});
