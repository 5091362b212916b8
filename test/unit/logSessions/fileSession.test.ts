import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LazyEntry } from '../../../src/gatewayLogs/lazy.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { splitKubeletStamp } from '../../../src/kubernetes/kubeletLines.ts';
import { createFileLogSession } from '../../../src/logSessions/fileSession.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/gateway-logs/${name}`, import.meta.url), 'utf8');

const dir = new URL('../../fixtures/gateway-logs/', import.meta.url);
const FIXTURES = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.log'))
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));

/** A kubelet stamp for line i: mostly the usual nine digits in UTC, sometimes another shape the kubelet reader takes. */
function stampFor(i: number): string {
  const second = `2026-11-27T15:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  if (i % 17 === 5) return `${second}.5+01:00`;
  if (i % 23 === 7) return `${second}Z`;
  if (i % 29 === 3) return '2026-13-45T99:99:99.000000000Z';
  return `${second}.${String(i * 7919).padStart(9, '0').slice(-9)}Z`;
}

/** The session's entries against the parser's over the same lines, stamps taken off by the reference reader. */
function assertEntries(entries: readonly TaggedEntry[], text: string): void {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const stamped = lines.find((l) => l.length > 0) !== undefined && splitKubeletStamp(lines.find((l) => l.length > 0) ?? '').time !== undefined;
  const split = lines.map((l) => {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    return stamped ? splitKubeletStamp(line) : { time: undefined, text: line };
  });
  const expected = parseGatewayLog(split.map((l) => `${l.text}\n`).join(''));
  assert.equal(entries.length, expected.length, 'entry count');
  expected.forEach((e, i) => {
    const got = entries[i] as TaggedEntry;
    const time = split[e.line - 1]?.time;
    assert.equal(got.seq, i + 1);
    assert.equal(got.line, e.line, `entry ${i + 1} line`);
    assert.deepStrictEqual(got.kubeletTime, time ? { raw: time.raw, value: time.ms, assumedUtc: false } : undefined, `entry ${i + 1} kubelet time`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify({ ...e, ...(got instanceof LazyEntry ? {} : { seq: got.seq, ...(time ? { kubeletTime: got.kubeletTime } : {}) }) })), `entry ${i + 1}`);
  });
}

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

  it('reads a file of one stream in slices cut only before `[Level]` lines: the entries of the whole file read at once', async () => {
    for (const { name, text: whole } of FIXTURES) {
      // Every place a slice can end, in the first lines; the whole fixture in the usual slices.
      const head = whole.split('\n').slice(0, 400).join('\n');
      for (const [text, sizes] of [[head, [1]], [whole, [20_000]]] as const) {
      const stamped = text
        .split('\n')
        .map((line, i, all) => (i === all.length - 1 && line === '' ? line : `${stampFor(i)} ${line}`))
        .join('\n');
      for (const sliceLines of sizes) {
        for (const file of [text, stamped, stamped.replace(/\n/g, '\r\n')]) {
          const session = createFileLogSession(name, file, { maxEntries: 1_000_000, sliceLines });
          await session.loaded;
          assertEntries(session.snapshot(), file);
        }
      }
      }
    }
  });

  it('reads any mix of gateway lines in any slice size as the parser does', async () => {
    const pool = FIXTURES.flatMap((f) => f.text.split('\n')).filter((l, i, all) => all.indexOf(l) === i);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), async (lines, sliceLines, stamps) => {
        const file = lines.map((l, i) => (stamps ? `${stampFor(i)} ${l}` : l)).join('\n');
        const session = createFileLogSession('f', file, { maxEntries: 1_000_000, sliceLines });
        await session.loaded;
        assertEntries(session.snapshot(), file);
      }),
      { numRuns: 80 },
    );
  });

  it('keeps the lazy entries lazy: reading a file parses only what a view indexes', async () => {
    const text = fixture('generated/v2-text.log');
    const session = createFileLogSession('f', text, { maxEntries: 1_000_000 });
    await session.loaded;
    assert.ok(session.snapshot().filter((e) => e instanceof LazyEntry).length > session.snapshot().length / 2, 'most entries are lazy');
  });
});
