import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LazyEntry, parseGatewayLogLazy } from '../../../src/gatewayLogs/lazy.ts';
import { readLine } from '../../../src/gatewayLogs/lineRead.ts';
import { REQUEST_KEYS } from '../../../src/gatewayLogs/request.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { entryLineText, isGatewayLogsToWebview } from '../../../src/contract/gatewayLogs.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';
import { MAX_SEARCH_CHARS, pickTime, toEntryDetails, toLogRow, urlPath } from '../../../src/panels/gatewayLogsRows.ts';

function tag(text: string, extra: Partial<TaggedEntry> = {}): TaggedEntry[] {
  return parseGatewayLog(text).map((entry, i) => ({ ...entry, seq: i + 1, ...extra }));
}

const V1_REQUEST = [
  '[Info] 2021-06-3T03:25:37.815, isRequestSuccess: False, totalTime: 245, category: GatewayLogs, callerIpAddress: 10.240.0.25, timeGenerated: 06/03/2021 15:25:37, region: rb-arc, correlationId: 752afbf2-7a10-4655-b1b0-6b8221ea612d, method: GET, url: http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample, responseCode: 404, responseSize: 198, cache: none, clientTime: 3, clientProtocol: HTTP/1.1, lastError: {',
  '  "elapsed": 196,',
  '  "source": "configuration",',
  '  "reason": "OperationNotFound",',
  '  "message": "Unable to match incoming request to an operation.",',
  '  "section": "backend"',
  '}',
].join('\n');

describe('rows and details sent to the Gateway Logs webview', () => {
  it('a 1.x request record: columns, failure, the request time over the ambiguous 12-hour line time', () => {
    const [entry] = tag(V1_REQUEST);
    assert.ok(entry);
    const row = toLogRow(entry);
    assert.equal(row.kind, 'request');
    assert.equal(row.method, 'GET');
    assert.equal(row.path, '/echo/resource?param1=sample');
    assert.equal(row.status, 404);
    assert.equal(row.totalTime, 245);
    assert.equal(row.failed, true);
    assert.equal(row.correlationId, '752afbf2-7a10-4655-b1b0-6b8221ea612d');
    assert.equal(row.message, 'OperationNotFound: Unable to match incoming request to an operation.');
    assert.equal(row.timeSource, 'request');
    assert.equal(row.time, Date.UTC(2021, 5, 3, 15, 25, 37));
    assert.ok(row.search.includes('752afbf2-7a10') && row.search.includes('operationnotfound'), 'raw lines are searchable, lower-cased');
  });

  it('the kubelet time is used when the gateway’s own is ambiguous; the gateway’s when it is trustworthy', () => {
    const kubelet = { raw: '2021-06-03T15:25:12.570000000Z', value: Date.UTC(2021, 5, 3, 15, 25, 12, 570), assumedUtc: false };
    const [ambiguous] = tag('[Info] 2021-06-3T03:25:12.570 [ComponentStarting], message: X', { kubeletTime: kubelet });
    assert.ok(ambiguous);
    assert.deepEqual(pickTime(ambiguous), { time: kubelet.value, source: 'kubelet' });
    const [clear] = tag('[Info] 2023-08-25T10:55:58.122 [HostBootstrapperStarting]', { kubeletTime: kubelet });
    assert.ok(clear);
    assert.deepEqual(pickTime(clear), { time: Date.UTC(2023, 7, 25, 10, 55, 58, 122), source: 'gateway' });
    const [none] = tag('[Info] 2021-06-3T03:25:12.570 [X]');
    assert.ok(none);
    assert.equal(pickTime(none).source, 'ambiguous');
    const [text] = tag('Now listening on: http://0.0.0.0:8080');
    assert.ok(text);
    assert.deepEqual(pickTime(text), { source: 'none' });
  });

  it('keeps a hostile URL as text (the webview sets it with textContent) and masks a subscription key', () => {
    const line = '[Info] 2023-08-25T10:55:58.278 [GatewayLogs], isRequestSuccess: False, totalTime: 1, category: GatewayLogs, method: GET, url: http://gw:8080/<img src=x onerror=alert(1)>?subscription-key=0123456789abcdef0123, responseCode: 404';
    const [entry] = tag(line);
    assert.ok(entry);
    const row = toLogRow(entry);
    assert.equal(row.path, '/<img src=x onerror=alert(1)>?subscription-key=***');
    assert.ok(!row.search.includes('0123456789abcdef0123'));
    const details = toEntryDetails(entry);
    assert.ok(!JSON.stringify(details).includes('0123456789abcdef0123'), 'no secret in the details either');
    assert.ok(details.raw[0]?.includes('<img src=x onerror=alert(1)>'));
  });

  it('details: a line counted from --tail says so instead of passing for the pod log\'s line', () => {
    const [entry] = tag(V1_REQUEST, { lineWindow: 1000 });
    assert.ok(entry);
    const details = toEntryDetails(entry);
    assert.equal(details.lineWindow, 1000);
    assert.ok(isGatewayLogsToWebview({ type: 'gatewayLogs/details', seq: details.seq, details }), 'the contract lets lineWindow through');
    assert.equal(entryLineText(details.line, details.lineWindow), '1 of the last 1000 lines read at start (--tail=1000), not the pod log\'s line number');
    assert.equal(entryLineText(99, undefined), '99');
  });

  it('details: every field in order, pretty lastError JSON, raw lines without colour codes', () => {
    const [entry] = tag(`\x1b[32m${V1_REQUEST}`);
    assert.ok(entry);
    const details = toEntryDetails(entry);
    assert.deepEqual(details.fields.slice(0, 3).map(([k]) => k), ['isRequestSuccess', 'totalTime', 'category']);
    assert.equal(details.lastErrorJson, JSON.stringify({ elapsed: 196, source: 'configuration', reason: 'OperationNotFound', message: 'Unable to match incoming request to an operation.', section: 'backend' }, null, 2));
    assert.equal(details.raw.length, 7);
    assert.ok(!details.raw[0]?.includes('\x1b'));
    assert.equal(details.timestamp, '2021-06-3T03:25:37.815');
  });

  it('text entries show their first line; the search text is bounded', () => {
    const [entry] = tag(`Now listening on: http://0.0.0.0:8080`);
    assert.ok(entry);
    assert.equal(toLogRow(entry).message, 'Now listening on: http://0.0.0.0:8080');
    const huge: TaggedEntry = { ...entry, raw: Array.from({ length: 2000 }, (_, i) => `   at Frame${i} in /src/x.cs:line ${i}`) };
    const row = toLogRow(huge);
    assert.ok(row.search.length <= MAX_SEARCH_CHARS);
    assert.match(row.message, /\(\+1999 lines\)$/);
  });

  it('urlPath strips scheme and authority only', () => {
    assert.equal(urlPath('https://a.b:8081/x/y?z=1'), '/x/y?z=1');
    assert.equal(urlPath('http://host?q=1'), '/?q=1');
    assert.equal(urlPath('http://host'), '/');
    assert.equal(urlPath('/already/a/path'), '/already/a/path');
    assert.equal(urlPath('not a url://x'), 'not a url://x');
  });

  it('a lazy entry (a large file’s) gives the eager entry’s row without keeping its fields read', () => {
    const dir = new URL('../../fixtures/gateway-logs/', import.meta.url);
    const kubeletTime = { raw: '2026-11-27T15:00:00.000000000Z', value: Date.UTC(2026, 10, 27, 15), assumedUtc: false };
    let lazyRows = 0;
    for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.log'))) {
      const text = readFileSync(new URL(name, dir), 'utf8');
      const eager = parseGatewayLog(text);
      const lazy = parseGatewayLogLazy(text);
      assert.equal(lazy.length, eager.length);
      lazy.forEach((l, i) => {
        const extra = i % 2 === 0 ? { kubeletTime } : { pod: 'gw-0' };
        const entry = Object.assign(l, { seq: i + 1, ...extra }) as TaggedEntry;
        let read = 0;
        if (entry instanceof LazyEntry) {
          lazyRows++;
          const materialise = entry.materialise.bind(entry);
          entry.materialise = () => {
            read++;
            return materialise();
          };
        }
        assert.deepStrictEqual(toLogRow(entry), toLogRow({ ...(eager[i] as TaggedEntry), seq: i + 1, ...extra }), `${name} entry ${i + 1}`);
        assert.equal(read, 0, `${name} entry ${i + 1}: the lazy entry kept unread`);
      });
    }
    assert.ok(lazyRows > 100, 'the fixtures have lazy entries');
  });

  it('a one-line record read from its line (no full parse) gives the eager row, on generated lines', () => {
    // Keys and values chosen to hit the parser's rules: repeated keys (the first readable one wins), quotes, brackets
    // that close or never do, commas with and without a key after them, `: ` inside values, empty values, extra
    // spaces, numbers the request reads or refuses, secrets. Several lines share a layout (read by its pattern).
    const key = fc.oneof(
      fc.constantFrom('isRequestSuccess', 'method', 'url', 'responseCode', 'totalTime', 'apiId', 'operationId', 'correlationId', 'timeGenerated', 'lastError', 'errors', 'category', 'message', 'source', 'exception'),
      fc.constantFrom(...REQUEST_KEYS, 'x-y.z', '__proto__', 'subscription-key'),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,6}$/),
    );
    const value = fc.oneof(
      fc.constantFrom('', ' ', 'True', 'false', 'TRUE', 'yes', '200', '0200', '-1', '1.5', '1e3', '12.', 'abc', ' 404', '404 ', 'GET', 'http://gw:8080/echo/x?id=1', 'http://gw/a,b', '/p?subscription-key=0123456789abcdef0123'),
      fc.constantFrom('{"reason":"r","message":"m"}', '[{"reason":"r"}]', ' {"reason":"r"}', ' [{"reason":"r"}]', '{"reason":"r"}', '{', '[', '{x', '[{"a":1}', '{x, k: y}', '[1, k: 2]', '{a}b', '"quoted"', '"a, b"', '"x', ' "q"', 'a: b', 'x, y', 'x, k: y', 'x,y', 'x, '),
      fc.constantFrom('Bearer abcdefghijklmnop', 'gw&202611271500&c2lnbmF0dXJlc2lnbmF0dXJlc2ln', '2026-11-27T15:00:00.025', '06/03/2021 15:25:37', 'a]b', 'UdpHeartbeatSender'),
      fc.stringMatching(/^[ -~]{0,12}$/),
    );
    const layout = fc.array(key, { minLength: 0, maxLength: 7 });
    const lists = layout.chain((keys) => fc.array(fc.tuple(...keys.map(() => value)), { minLength: 1, maxLength: 3 }).map((rows) => rows.map((values) => keys.map((k, i) => `${k}: ${values[i] ?? ''}`).join(', '))));
    const heads = fc.tuple(fc.constantFrom('Info', 'Error', 'warn', 'Debug'), fc.constantFrom('2026-11-27T15:00:00.025', '2021-06-3T03:25:37.815', '2026-11-27T15:00:00.025Z', ''), fc.constantFrom('GatewayLogs', 'SendingHeartbeat', 'X'));
    const tails = fc.oneof(
      lists.map((ls) => ls.map((l) => `, ${l}`)),
      lists.map((ls) => ls.map((l) => `, message: ${l}`)),
      fc.array(fc.constantFrom('', ' free text', ',', ', ', ' , a: b', ', message: m, source: S', ', message: m, exception: e, source: S', ', source: S', ', exception: e', ', exception:e, source: S', ', message:', ', message:m, source: S', ', message: a, source: b c'), { minLength: 1, maxLength: 2 }),
    );
    const lines = fc.tuple(heads, tails, fc.constantFrom('', ' ', '\r')).map(([[level, time, event], rests, end]) => rests.map((rest) => `[${level}] ${time}${time === '' ? '' : ' '}[${event}]${rest}${end}`));
    let fast = 0;
    let runs = 0;
    const check = (texts: readonly string[], kubelet: boolean): void => {
      for (const text of texts) {
        runs++;
        const [l] = parseGatewayLogLazy(`${text}\n`);
        const [eager] = parseGatewayLog(`${text}\n`);
        assert.ok(l && eager);
        if (!(l instanceof LazyEntry)) continue;
        if (readLine(l)) fast++;
        const extra = kubelet ? { kubeletTime: { raw: '2026-11-27T15:00:00.000000000Z', value: Date.UTC(2026, 10, 27, 15), assumedUtc: false } } : { pod: 'gw-0' };
        const entry = Object.assign(l, { seq: 1, ...extra }) as TaggedEntry;
        assert.deepStrictEqual(toLogRow(entry), toLogRow({ ...(eager as TaggedEntry), seq: 1, ...extra }), text);
      }
    };
    // Cases a random draw rarely makes: a repeated key whose first value does not read (the repeat is renamed, not
    // read), a comma inside a value right before a key-shaped word.
    const head = '[Info] 2026-11-27T15:00:00.025 [GatewayLogs], ';
    // A value that is JSON after its first space; a 12-hour line time, where the row takes the request's own time.
    check([`${head}responseCode: abc, responseCode: 404, isRequestSuccess: x, isRequestSuccess: False, method: GET`, `${head}url: x,yk: z, method: GET`, `${head}responseCode: abc, responseCode: 404`], true);
    check([`${head}method: GET, lastError:  {"reason":"r"}`, `${head}method: GET, errors:  [{"reason":"r"}]`, `${head}method: GET, lastError: x`], false);
    check(['[Info] 2021-06-3T03:25:37.815 [GatewayLogs], timeGenerated: 06/03/2021 15:25:37, method: GET', '[Info] [GatewayLogs], timeGenerated: 2026-11-27T15:00:00.025, method: GET'], false);
    fc.assert(
      fc.property(lines, fc.boolean(), check),
      { numRuns: 3000 },
    );
    assert.ok(fast > runs / 4, `most generated lines take the fast way (${fast} of ${runs})`);
  });
});
