import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    GatewayLogParser,
    MAX_FIELDS,
    MAX_OPEN_VALUE_LINES,
    isFailedRequest,
    parseGatewayLog,
    statusClass,
    stripAnsi,
} from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

function one(text: string): GatewayLogEntry {
    const entries = parseGatewayLog(text);
    assert.equal(entries.length, 1, `expected one entry, got ${JSON.stringify(entries, null, 1)}`);
    return entries[0]!;
}

describe('text records', () => {
    it('accepts a level with no space before the timestamp, and no timestamp at all', () => {
        const e = one('[Error]2022-10-12T02:54:48.369 [ConfigInitialSyncFailed], exception: X.Y: /apim/config/a.json');
        assert.equal(e.level, 'error');
        assert.equal(e.timestamp?.raw, '2022-10-12T02:54:48.369');
        assert.equal(e.event, 'ConfigInitialSyncFailed');
        assert.deepStrictEqual(e.fields, { exception: 'X.Y: /apim/config/a.json' });

        const bare = one('[Warn] [SomethingOdd], message: m');
        assert.equal(bare.timestamp, undefined);
        assert.equal(bare.event, 'SomethingOdd');
        assert.equal(bare.message, 'm');

        const free = one('[info] just words here');
        assert.equal(free.kind, 'event');
        assert.equal(free.level, 'info');
        assert.equal(free.message, 'just words here');
    });

    it('splits message, exception and source by the known keys only', () => {
        const e = one(
            '[Error] 2024-01-01T10:00:00.000 [PolicyFailed], message: scope: api, id: x, ' +
                'exception: System.X: bad: thing, source: PolicyMapBuilder',
        );
        assert.deepStrictEqual(e.fields, {
            message: 'scope: api, id: x',
            exception: 'System.X: bad: thing',
            source: 'PolicyMapBuilder',
        });
        // A "source" whose value has spaces is message text, not the source.
        const notSource = one('[Info] 2024-01-01T10:00:00.000 [Note], message: a, source: two words');
        assert.deepStrictEqual(notSource.fields, { message: 'a, source: two words' });
        assert.equal(notSource.source, undefined);
        const empty = one('[Info] 2024-01-01T10:00:00.000 [Note], message: , source: S');
        assert.deepStrictEqual(empty.fields, { message: '', source: 'S' });
    });

    it('reads an untagged record without request fields as an event', () => {
        const e = one('[Info] 2021-06-3T03:25:12.570, alpha: 1, beta: two, words');
        assert.equal(e.kind, 'event');
        assert.equal(e.request, undefined);
        assert.deepStrictEqual(e.fields, { alpha: '1', beta: 'two, words' });
    });

    it('keeps a repeated key as key#2', () => {
        // `#` is not a key character, so `apiId#2: d` stays part of the value before it.
        const e = one('[Info] 2021-06-3T03:25:12.570 [GatewayLogs], apiId: a, apiId: b, apiId: c, apiId#2: d');
        assert.deepStrictEqual(e.fields, { apiId: 'a', 'apiId#2': 'b', 'apiId#3': 'c, apiId#2: d' });
        assert.equal(e.request?.apiId, 'a');
    });

    it('treats a quoted value that does not close cleanly as plain text', () => {
        const e = one('[Info] 2025-01-01T00:00:00.000 [GatewayLogs], method: "GET" x, url: "http://a/?q=\\"1\\"", cache: "no');
        assert.deepStrictEqual(e.fields, { method: '"GET" x', url: 'http://a/?q="1"', cache: '"no' });
    });

    it('continues after a JSON value that closes on its own line, and keeps text after it', () => {
        const e = one('[Info] 2025-01-01T00:00:00.000 [GatewayLogs], lastError: {"reason": "a, b: c"}, errors: [], responseCode: 500');
        assert.equal(e.request?.lastError?.reason, 'a, b: c');
        assert.deepStrictEqual(e.request?.errors, []);
        assert.equal(e.request?.responseCode, 500);
        const junk = one('[Info] 2025-01-01T00:00:00.000 [GatewayLogs], lastError: {"reason": "x"} trailing, responseCode: 502');
        assert.equal(junk.fields['lastError'], '{"reason": "x"} trailing');
        assert.equal(junk.request?.lastError, undefined, 'not JSON any more');
        assert.equal(junk.request?.responseCode, 502);
    });

    it('ends an unclosed lastError at the next entry and keeps both', () => {
        const entries = parseGatewayLog(
            [
                '[Info] 2025-01-01T00:00:00.000 [GatewayLogs], responseCode: 500, lastError: {',
                '  "reason": "BackendConnectionFailure",',
                '[Info] 2025-01-01T00:00:01.000 [ComponentStarted], message: X',
                '{"level":"Error","message":"json line also ends it"}',
            ].join('\n'),
        );
        assert.deepStrictEqual(
            entries.map((e) => [e.kind, e.line, e.raw.length]),
            [
                ['request', 1, 2],
                ['event', 3, 1],
                ['event', 4, 1],
            ],
        );
        assert.equal(entries[0]?.request?.responseCode, 500);
        assert.deepStrictEqual(entries[0]?.notes, ["the JSON value of 'lastError' never closed; kept as read"]);
    });

    it(`bounds an unclosed value to ${MAX_OPEN_VALUE_LINES} lines`, () => {
        const filler = Array.from({ length: MAX_OPEN_VALUE_LINES + 5 }, (_, i) => `  "k${i}": 1,`);
        const entries = parseGatewayLog(['[Info] 2025-01-01T00:00:00.000 [GatewayLogs], lastError: {', ...filler].join('\n'));
        assert.equal(entries[0]?.raw.length, MAX_OPEN_VALUE_LINES + 1);
        assert.equal(entries.length, 1 + 5);
        assert.ok(entries.slice(1).every((e) => e.kind === 'text'));
    });

    it(`keeps the rest of a record past ${MAX_FIELDS} fields as the last value`, () => {
        const pairs = Array.from({ length: MAX_FIELDS + 500 }, (_, i) => `k${i}: v${i}`);
        const e = one(`[Info] 2025-01-01T00:00:00.000, ${pairs.join(', ')}`);
        const keys = Object.keys(e.fields);
        assert.equal(keys.length, MAX_FIELDS);
        assert.equal(keys.at(-1), `k${MAX_FIELDS - 1}`);
        assert.equal(e.fields[`k${MAX_FIELDS - 1}`], pairs.slice(MAX_FIELDS - 1).join(', ').slice(`k${MAX_FIELDS - 1}: `.length));
        assert.equal(e.notes?.length, 1);
        const exact = one(`[Info] 2025-01-01T00:00:00.000, ${pairs.slice(0, MAX_FIELDS).join(', ')}`);
        assert.equal(Object.keys(exact.fields).length, MAX_FIELDS);
        assert.equal(exact.notes, undefined, 'exactly the limit is not cut');
    });

    it(`lists at most ${MAX_FIELDS} keys of a JSON record in fields`, () => {
        const obj = Object.fromEntries(Array.from({ length: MAX_FIELDS + 2 }, (_, i) => [`k${i}`, i]));
        const e = one(JSON.stringify({ ...obj, isRequestSuccess: false }));
        assert.equal(Object.keys(e.fields).length, MAX_FIELDS);
        assert.equal(e.fields['k0'], '0');
        assert.deepStrictEqual(e.notes, [`3 keys past the first ${MAX_FIELDS} are only in raw`]);
        assert.equal(e.request?.isRequestSuccess, false, 'the request still sees every key');
    });

    it('keeps JSON nested deeper than JSON.stringify can go as text', () => {
        const depth = 200_000;
        const line = `{"level":"Error","message":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const e = one(line);
        assert.equal(e.kind, 'text');
        assert.deepStrictEqual(e.notes, ['JSON nested too deeply to read']);
        assert.deepStrictEqual(e.raw, [line]);
        const shallow = one('{"level":"Error","message":[[1]]}');
        assert.equal(shallow.message, '[[1]]');
    });

    it('attaches .NET stack frames to the entry before them, and only those', () => {
        const entries = parseGatewayLog(
            [
                '   at Orphan.Frame()',
                '[Error] 2025-01-01T00:00:00.000 [Boom], exception: System.Exception: x',
                ' ---> System.IO.IOException: y',
                '   at A.B() in /src/a.cs:line 1',
                '\tat C.D()',
                '   --- End of inner exception stack trace ---',
                '--- End of stack trace from previous location ---',
                '   attic is not a frame',
                'at the start of a line is not a frame',
            ].join('\n'),
        );
        assert.deepStrictEqual(
            entries.map((e) => [e.kind, e.raw.length]),
            [
                ['text', 1],
                ['event', 6],
                ['text', 1],
                ['text', 1],
            ],
        );
    });

    it('strips ANSI colours for parsing and keeps them in raw', () => {
        const line = '\x1b[33m[Warn]\x1b[0m 2023-02-2T04:54:07.276 [DnsDiscoveryFailed], message: m, source: Neighborhood\x1b[0m';
        const e = one(line);
        assert.deepStrictEqual(e.raw, [line]);
        assert.equal(e.level, 'warn');
        assert.equal(e.source, 'Neighborhood');
        assert.equal(stripAnsi('\x1b[1;31mred\x1b[0m \x1b(Bx\x1b'), 'red (Bx');
    });

    it('keeps a lone CR inside a line and drops the CR of CRLF', () => {
        const entries = parseGatewayLog('a\rb\r\nc\r\n\r\n');
        assert.deepStrictEqual(
            entries.map((e) => e.raw),
            [['a\rb'], ['c'], ['']],
        );
        assert.deepStrictEqual(parseGatewayLog(''), []);
        assert.deepStrictEqual(parseGatewayLog('\n').map((e) => e.raw), [['']]);
        assert.deepStrictEqual(parseGatewayLog('x\r').map((e) => e.raw), [['x\r']], 'no LF: the CR is content');
    });

    it('does not let JSON keys reach the prototype', () => {
        const e = one('{"__proto__":{"polluted":1},"level":"Info","lastError":{"__proto__":{"x":1}}}');
        assert.equal(Object.getPrototypeOf(e.fields), Object.prototype);
        assert.equal(e.fields['__proto__'], '{"polluted":1}');
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
        const t = one('[Info] 2025-01-01T00:00:00.000 [GatewayLogs], constructor: c, toString: t, isRequestSuccess: true');
        assert.equal(t.fields['constructor'], 'c');
        assert.equal(t.request?.isRequestSuccess, true);
    });

    it('resets after end() so the parser can be reused', () => {
        const parser = new GatewayLogParser();
        parser.push('[Info] 2025-01-01T00:00:00.000 [A]\n[Info] 2025');
        const first = parser.end();
        assert.deepStrictEqual(
            first.map((e) => [e.line, e.raw]),
            [
                [1, ['[Info] 2025-01-01T00:00:00.000 [A]']],
                [2, ['[Info] 2025']],
            ],
        );
        const again = [...parser.push('x\n'), ...parser.end()];
        assert.deepStrictEqual(again.map((e) => [e.line, e.raw]), [[1, ['x']]]);
    });

    it('holds the newest entry back only until the next line', () => {
        const parser = new GatewayLogParser();
        assert.deepStrictEqual(parser.push('[Info] 2025-01-01T00:00:00.000 [A]\n'), []);
        assert.deepStrictEqual(parser.push('[Info] 2025-01-01T00:00:00.000 [B]\n').map((e) => e.event), ['A']);
        assert.deepStrictEqual(parser.end().map((e) => e.event), ['B']);
    });
});

describe('isFailedRequest and statusClass', () => {
    function request(fields: string): GatewayLogEntry {
        return one(`[Info] 2025-01-01T00:00:00.000 [GatewayLogs], ${fields}`);
    }

    it('follows isRequestSuccess, then the response code, then a recorded error', () => {
        assert.equal(isFailedRequest(request('isRequestSuccess: True, responseCode: 500')), false);
        assert.equal(isFailedRequest(request('isRequestSuccess: false, responseCode: 200')), true);
        assert.equal(isFailedRequest(request('responseCode: 503')), true);
        assert.equal(isFailedRequest(request('responseCode: 302')), false);
        assert.equal(isFailedRequest(request('responseCode: 0')), true);
        assert.equal(isFailedRequest(request('lastError: {"reason": "ClientConnectionFailure"}')), true);
        assert.equal(isFailedRequest(request('method: GET')), false);
        assert.equal(isFailedRequest(one('[Error] 2025-01-01T00:00:00.000 [X], message: failed')), false);
    });

    it('classes HTTP codes', () => {
        assert.equal(statusClass(404), '4xx');
        assert.equal(statusClass(200), '2xx');
        assert.equal(statusClass(100), '1xx');
        assert.equal(statusClass(599), '5xx');
        for (const code of [undefined, 0, 99, 600, 404.5, Number.NaN]) {
            assert.equal(statusClass(code), undefined, String(code));
        }
    });
});
