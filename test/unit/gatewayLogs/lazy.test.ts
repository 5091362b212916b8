import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LazyEntry, parseGatewayLogLazy } from '../../../src/gatewayLogs/lazy.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

// The lazy entries must be the eager ones: every property, read before and after the rest is materialised, and
// what JSON (a webview's postMessage) carries.

const dir = new URL('../../fixtures/gateway-logs/', import.meta.url);
const FIXTURES = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));

/** Read first, without materialising a lazy entry. */
const INDEXED = ['kind', 'format', 'line', 'raw', 'level', 'levelRaw', 'timestamp', 'event'] as const;
const REST = ['message', 'source', 'fields', 'request', 'origin', 'notes'] as const;

function assertSame(text: string): number {
    const eager = parseGatewayLog(text);
    const lazy = parseGatewayLogLazy(text);
    assert.equal(lazy.length, eager.length, 'entry count');
    let deferred = 0;
    for (let i = 0; i < eager.length; i++) {
        const e = eager[i] as GatewayLogEntry;
        const l = lazy[i] as GatewayLogEntry;
        if (l instanceof LazyEntry) {
            deferred++;
        }
        for (const key of INDEXED) {
            assert.deepStrictEqual(l[key], e[key], `entry ${i + 1} ${key}`);
        }
        for (const key of REST) {
            assert.deepStrictEqual(l[key], e[key], `entry ${i + 1} ${key}`);
        }
        for (const key of INDEXED) {
            assert.deepStrictEqual(l[key], e[key], `entry ${i + 1} ${key}, after the rest was read`);
        }
        // The parser shares the line's timestamp with `timeGenerated` when written the same: so must a lazy entry.
        assert.equal(l.request?.timeGenerated === l.timestamp, e.request?.timeGenerated === e.timestamp, `entry ${i + 1} shared timestamp`);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(l)), JSON.parse(JSON.stringify(e)), `entry ${i + 1} as JSON`);
    }
    return deferred;
}

describe('parseGatewayLogLazy', () => {
    for (const { name, text } of FIXTURES) {
        it(`gives the eager entries, field for field, on ${name}`, () => {
            assertSame(text);
        });
    }

    it('defers the one-line records of a 2.x log (else it would not be lazy)', () => {
        const fixture = FIXTURES.find((f) => f.name === 'v2-text.log');
        assert.ok(fixture);
        const deferred = assertSame(fixture.text);
        assert.ok(deferred > 0, 'some entries deferred');
    });

    it('follows a lastError value to where it closes, past escaped quotes and brackets inside its strings', () => {
        const head =
            '[Info] 2025-03-14T08:00:00.123 [GatewayLogs], isRequestSuccess: False, responseCode: 500, lastError: {';
        const values = [
            ['  "message": "a \\" } ] b",', '  "reason": "x"', '}, correlationId: 7'],
            ['  "message": "ends in a backslash \\\\",', '  "path": "{[\\"",', '}'],
            ['  "message": "unclosed \\", "x": {', '}', '}, apiId: a'],
        ];
        for (const lines of values) {
            for (const next of ['[Info] 2025-03-14T08:00:01.000 [HeartbeatSent], source: S', 'text after', '   at A.B()']) {
                const text = [head, ...lines, next, ''].join('\n');
                assertSame(text);
                assert.ok(parseGatewayLogLazy(text)[0] instanceof LazyEntry, 'the record is deferred');
            }
        }
    });

    it('defers ASP.NET console entries too (their message lines are certain)', () => {
        const fixture = FIXTURES.find((f) => f.name === 'v2-text.log');
        assert.ok(fixture);
        assertSame(fixture.text);
        const aspNet = parseGatewayLogLazy(fixture.text).filter((e) => /^(info|warn|fail): /.test(e.raw[0] ?? ''));
        assert.ok(aspNet.length > 0, 'the fixture has ASP.NET entries');
        assert.ok(aspNet.every((e) => e instanceof LazyEntry), 'all deferred');
    });

    it('gives the eager entries on the fixtures dressed as pasted (CRLF, colour, prefixes, indentation, no last EOL)', () => {
        const dress = [
            (t: string) => t.replace(/\n/g, '\r\n'),
            (t: string) => t.replace(/^(.+)$/gm, '\x1b[32m$1\x1b[0m'),
            (t: string) => t.replace(/^(\[.+)$/gm, '[32m$1[0m'),
            (t: string) => t.replace(/^/gm, '[pod/gw-0/apim-gateway] '),
            (t: string) => t.replace(/^/gm, '    '),
            (t: string) => `\uFEFF${t}`,
            (t: string) => t.replace(/\r?\n$/, ''),
            (t: string) => t.replace(/\n$/, '\r'),
        ];
        for (const { text } of FIXTURES) {
            for (const d of dress) {
                assertSame(d(text));
            }
        }
    });

    it('gives the eager entries on any mix of real lines, fragments and noise', () => {
        const realLines = FIXTURES.flatMap((f) => f.text.split(/\r?\n/));
        const fragments = [
            '[Info] ', '[Warn]', '[error]', '[GatewayLogs]', '[Event]', '2021-06-3T03:25:12.570', ' ', '2024-06-26T20:16:04.5669435Z',
            ', ', 'message: ', 'source: ', 'lastError: ', 'isRequestSuccess: ', '{', '}', '[', ']', '"', ':', 'x', '1', '   at ',
            ' ---> ', '\x1b[31m', '\x1b[0m', '\r', '{"level":"Error"', 'info: A.B[1]', '      ', '[pod/a/b] ',
            '[Info] 2025-03-14T08:00:00.123 [GatewayLogs], isRequestSuccess: False, url: "/a", lastError: {',
            '[Error] 2025-03-14T08:00:00.123 [PollFailed], exception: System.Exception: x', '  "reason": "Timeout",',
            '}, correlationId: 7', '}', '"\\"', '\uFEFF', '2021-06-03T03:25:12.570859341Z ', 'responseCode: ', ':',
            'info: Microsoft.Hosting.Lifetime[14]', 'fail: A[x]', 'warn: A B[2]', '      Now listening on: http://[::]:8080',
        ];
        const line = fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...realLines) },
            { weight: 4, arbitrary: fc.array(fc.constantFrom(...fragments), { maxLength: 10 }).map((a) => a.join('')) },
            { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
        );
        fc.assert(
            fc.property(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '')), { maxLength: 40 }), (lines) => {
                assertSame(lines.map(([l, eol]) => l + eol).join(''));
            }),
            { numRuns: Number(process.env['LAZY_RUNS'] ?? 300) },
        );
    });
});
