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
            // Read as plain without the escape, the brace here would be inside a string: it is not.
            ['  "a\\" "{",', '  "b": "}"', '}', '}, c: d'],
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

    // A head is recognised by the heads read before it (level and the timestamp's first 14 characters; the event):
    // a line that differs from one of those anywhere must be read in full, and whatever the memory holds from the
    // logs read before must not change a log's entries.
    const heads = [
        '[Info] 2025-03-14T08:00:00.123 [GatewayLogs]',
        '[Info] 2025-03-14T08:59:59.999 [GatewayLogs]',
        '[Info] 2025-03-14T09:00:00.000 [ConfigurationPolled]',
        '[Info] 2025-03-14T08:00:00.123 [ConfigurationPollFailed]',
        '[Debug] 2025-03-14T08:00:00.123 [ChannelLeaseReturned]',
        '[info] 2025-03-14T08:00:00.123 [HeartbeatSent]',
        '[Warn] 2021-06-3T03:25:12.570 [DnsDiscoveryFailed]',
        '[Error] 2025-03-14T08:00:00.123 [C]',
    ];
    // A head as seen before, or with one character changed, left out or put in anywhere in its first 60.
    const head = fc.oneof(
        fc.constantFrom(...heads),
        fc
            .tuple(fc.constantFrom(...heads), fc.nat(60), fc.constantFrom('replace', 'delete', 'insert'), fc.constantFrom('x', ' ', '0', '9', ']', '[', '-', ':', '.', '\x1b', '\r', 'T', 'Z', ',', '\t'))
            .map(([h, at, op, c]) => h.slice(0, at) + (op === 'delete' ? '' : c) + h.slice(op === 'insert' ? at : at + 1)),
    );
    const tail = fc.constantFrom('', ', source: S', ', message: a, source: S', ',', ' x', ', isRequestSuccess: False, lastError: {', ', a: [', ', url: "/a"', ', ');
    const value = fc.array(fc.constantFrom('  "reason": "Timeout",', '  "message": "a \\" } ] b",', '  "path": "a\\\\b",', '  "x": {', '  "y": [1, 2]', '  }', '}', '}, correlationId: 7', '}, a: {', '"', '\\', '  "open', 'x"}', '  "a\\" "{",'), { maxLength: 6 });
    const colour = fc.constantFrom((l: string) => l, (l: string) => `\x1b[32m${l}\x1b[0m`, (l: string) => `\x1b[1;33m\x1b[2m${l}`, (l: string) => `${l}\x1b[0m`, (l: string) => `\x1b[32m${l.slice(0, 9)}\x1b[0m${l.slice(9)}`, (l: string) => `\x1b${l}`, (l: string) => `\x1b[32m${l}\x1b[0mx`);
    const record = fc.tuple(head, tail, colour, fc.oneof(fc.constant([]), value)).map(([h, t, c, v]) => [c(h + t), ...v]);

    it('reads a head by the heads before it only where it matches them in full (any near miss, any colour)', () => {
        fc.assert(
            fc.property(fc.array(record, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (records, eol) => {
                assertSame(records.flat().join(eol) + eol);
            }),
            { numRuns: Number(process.env['LAZY_RUNS'] ?? 300) },
        );
    });

    it('reads every one-character change of a head seen before as the parser does', () => {
        // After a head is read in full, the next line is compared with it: each change anywhere in it (or its colour
        // codes) must lead to the eager entries.
        const changes = ['x', ' ', ':', '\x1b[0m', '\r'];
        const records: Array<[string, string]> = [
            [`${heads[0]}, a: b`, ''],
            [`${heads[1]}, isRequestSuccess: False, lastError: {`, '\n  "reason": "x"\n}, correlationId: 7'],
            [`${heads[4]}, message: m, source: S`, '\n   at A.B()'],
            [`${heads[6]}`, ''],
        ];
        for (const [first, more] of records) {
            const texts: string[] = [];
            for (let at = 0; at <= first.length; at++) {
                texts.push(first.slice(0, at) + first.slice(at + 1));
                for (const c of changes) {
                    texts.push(first.slice(0, at) + c + first.slice(at + 1), first.slice(0, at) + c + first.slice(at));
                }
            }
            for (const changed of texts) {
                assertSame(`${first}${more}\n${changed}${more}\n`);
                assertSame(`\x1b[32m${first}\x1b[0m${more}\n\x1b[32m${changed}\x1b[0m${more}\n`);
            }
        }
    });

    // Inside an open `lastError` value, a line with no brace or bracket anywhere joins the record without being read
    // (kept searches for the next `{`, `[`, `}` and `]` say so): any of them, anywhere, must lead to the full read.
    const failed = '[Info] 2025-03-14T08:00:00.123 [GatewayLogs], isRequestSuccess: False, responseCode: 500, lastError: {';
    const valueLines = ['  "elapsed": 258,', '  "path": "forward-request\\\\backend",', '  "message": "in time, retry: 0",', '  "section": "backend"'];

    it('reads every one-character change of a lastError value line as the parser does', () => {
        const changes = ['{', '}', '[', ']', '"', '\\', '\r', '\x1b[0m', '\t', '0', '^', '\uFEFF', ' '];
        for (const [k, line] of valueLines.entries()) {
            for (let at = 0; at <= line.length; at++) {
                for (const c of changes) {
                    for (const changed of [line.slice(0, at) + c + line.slice(at + 1), line.slice(0, at) + c + line.slice(at)]) {
                        const value = valueLines.map((l, i) => (i === k ? changed : l));
                        for (const eol of ['\n', '\r\n']) {
                            assertSame([failed, ...value, '}, correlationId: 7', '[Info] 2025-03-14T08:00:01.000 [HeartbeatSent], source: S', ''].join(eol));
                        }
                    }
                }
            }
        }
    });

    it('reads any run of lastError value lines as the parser does (a run that breaks in the middle, colour, CRLF)', () => {
        const piece = fc.constantFrom('  "a": 1,', '  "b": "x, y"', ' "c": "{"', '"d": "]"', '{', '}', '[', ']', '"', '\\', '\r', '\x1b[31m', '\t', '2025-03-14T08:00:00.123Z ', '^', 'x', '', '}, correlationId: 7', '   at A.B()');
        const valueLine = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valueLines) }, { weight: 2, arbitrary: fc.array(piece, { maxLength: 4 }).map((a) => a.join('')) });
        const block = fc.tuple(fc.array(valueLine, { maxLength: 8 }), fc.constantFrom('}', '}, correlationId: 7', '}, a: {', '')).map(([v, close]) => [failed, ...v, close]);
        const other = fc.constantFrom('[Info] 2025-03-14T08:00:01.000 [HeartbeatSent], source: S', 'text', '   at A.B()', '');
        fc.assert(
            fc.property(fc.array(fc.oneof(block, other.map((l) => [l])), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (parts, eol) => {
                assertSame(parts.flat().join(eol) + eol);
            }),
            { numRuns: Number(process.env['LAZY_RUNS'] ?? 300) },
        );
    });

    it('defers the heads of the bench mix, coloured or not, with the eager fields', () => {
        const lines = [
            '[Info] 2025-03-14T08:00:00.123 [GatewayLogs], isRequestSuccess: True, responseCode: 200',
            '\x1b[32m[Debug] 2025-03-14T08:00:00.200 [ChannelLeaseReturned], message: pool=a, source: S\x1b[0m',
            '[Info] 2025-03-14T08:00:00.300 [ConfigurationPolled], message: revision: 1, source: S',
            '[Info] 2025-03-14T08:00:00.301 [ConfigurationPollFailed], message: x, source: S',
            '[Info] 2025-03-14T08:00:01.000 [GatewayLogs], isRequestSuccess: False, responseCode: 500, lastError: {',
            '  "message": "a \\" } ] b",',
            '}, correlationId: 7',
            '\x1b[32m[Debug] 2025-03-14T08:00:02.200 [ChannelLeaseReturned], message: pool=b, source: S\x1b[0m',
            '[Info] 2025-03-14T08:00:03.000 [GatewayLogs], isRequestSuccess: True, responseCode: 200',
            '[Info] 2025-03-14T08:00:0x.000 [GatewayLogs], isRequestSuccess: True, responseCode: 200',
            '[Info] 2025-03-14T08:00:04.000  [GatewayLogs], isRequestSuccess: True, responseCode: 200',
            '[Info] 2025-03-14T08:00:05.000 [GatewayLogs]',
        ];
        const text = `${lines.join('\n')}\n`;
        assertSame(text);
        const lazy = parseGatewayLogLazy(text);
        // All but the record whose timestamp is not one (its kind depends on its fields: read eagerly).
        assert.deepEqual(
            lazy.map((e) => e instanceof LazyEntry),
            lazy.map((e) => !e.raw[0]?.includes(':0x.')),
        );
        assert.equal(lazy.length, 10);
    });
});
