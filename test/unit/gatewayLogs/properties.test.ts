import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

// Properties over generated logs: real lines from the fixtures, fragments that stress the grammar (brackets, quotes,
// open JSON, stack frames, ANSI, lone surrogates) and arbitrary strings, joined with LF or CRLF.

const fixtureDir = new URL('../../fixtures/gateway-logs/', import.meta.url);
const realLines = ['seed-blog-v1.log', 'v2-text.log', 'v2-json.log'].flatMap((f) =>
    readFileSync(new URL(f, fixtureDir), 'utf8').split(/\r?\n/),
);

const fragments = [
    '[Info] ', '[Warn]', '[Error]', '[GatewayLogs]', '[ComponentStarting]', '2021-06-3T03:25:12.570', ' ',
    '2024-06-26T20:16:04.5669435Z', ', ', 'message: ', 'source: ', 'exception: ', 'lastError: ', 'errors: ',
    'isRequestSuccess: ', 'url: ', '{', '}', '[', ']', '"', '\\', ':', 'x', '1', '   at ', ' ---> ', '--- End of',
    '\x1b[31m', '\x1b[0m', '\x1b', '\r', '{"level":"Error"', '"message":', 'info: A.B[1]', '      ', 'é', '😀',
    '\uD800', '\u2028', '__proto__', 'True',
];

const lineArb = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...realLines) },
    { weight: 4, arbitrary: fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('{', '}', '"', '\\', ',', ' ', ':', '\n', '\r', 'a'), maxLength: 30 }) },
);

const logArb = fc
    .tuple(
        fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n')), { maxLength: 40 }),
        fc.boolean(),
    )
    .map(([lines, endsWithEol]) => {
        let text = lines.map(([l, eol]) => l + eol).join('');
        if (!endsWithEol && lines.length > 0) {
            text = text.slice(0, text.length - (text.endsWith('\r\n') ? 2 : 1));
        }
        return text;
    });

function physicalLines(text: string): string[] {
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '') {
        lines.pop();
    }
    return lines;
}

function streamed(text: string, cuts: number[]): GatewayLogEntry[] {
    const parser = new GatewayLogParser();
    const out: GatewayLogEntry[] = [];
    let from = 0;
    for (const cut of cuts) {
        out.push(...parser.push(text.slice(from, cut)));
        from = cut;
    }
    out.push(...parser.push(text.slice(from)));
    out.push(...parser.end());
    return out;
}

function sortedCuts(text: string, raw: number[]): number[] {
    return [...new Set(raw.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
}

describe('parser properties', () => {
    it('gives the same entries however the text is cut into chunks', () => {
        fc.assert(
            fc.property(logArb, fc.array(fc.nat(), { maxLength: 20 }), (text, raw) => {
                assert.deepStrictEqual(streamed(text, sortedCuts(text, raw)), parseGatewayLog(text));
            }),
            { numRuns: 400 },
        );
    });

    it('gives the same entries when every CRLF is cut between CR and LF', () => {
        fc.assert(
            fc.property(logArb, (text) => {
                const cuts: number[] = [];
                for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 1)) {
                    cuts.push(i + 1);
                }
                assert.deepStrictEqual(streamed(text, cuts), parseGatewayLog(text));
            }),
            { numRuns: 200 },
        );
    });

    it('gives the same entries when fed one character at a time', () => {
        fc.assert(
            fc.property(logArb, (text) => {
                const cuts = Array.from({ length: text.length }, (_, i) => i + 1);
                assert.deepStrictEqual(streamed(text, cuts), parseGatewayLog(text));
            }),
            { numRuns: 50 },
        );
    });

    it('keeps every physical line exactly once, in order, with consistent line numbers', () => {
        fc.assert(
            fc.property(logArb, (text) => {
                const entries = parseGatewayLog(text);
                assert.deepStrictEqual(
                    entries.flatMap((e) => e.raw),
                    physicalLines(text),
                );
                let next = 1;
                for (const e of entries) {
                    assert.equal(e.line, next);
                    assert.ok(e.raw.length >= 1);
                    next += e.raw.length;
                }
            }),
            { numRuns: 400 },
        );
    });

    it('never throws, on any string', () => {
        fc.assert(
            fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
                const entries = parseGatewayLog(text);
                assert.equal(entries.flatMap((e) => e.raw).length, physicalLines(text).length);
            }),
            { numRuns: 500 },
        );
    });

    it('reads the same request however its fields are quoted', () => {
        const valueArb = fc.stringMatching(/^[A-Za-z0-9./:?=&-]{1,20}$/);
        const pairsArb = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][A-Za-z]{0,10}$/), valueArb), {
            selector: ([k]) => k,
            minLength: 1,
            maxLength: 10,
        });
        fc.assert(
            fc.property(pairsArb, fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (pairs, quoted) => {
                const list = pairs.map(([k, v], i) => `${k}: ${quoted[i] ? JSON.stringify(v) : v}`).join(', ');
                const e = parseGatewayLog(`[Info] 2025-01-24T09:45:41.035 [GatewayLogs], ${list}`);
                assert.equal(e.length, 1);
                assert.deepStrictEqual(Object.entries(e[0]!.fields), pairs);
            }),
        );
    });
});
