import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

// flush() is for a live tail that went quiet: the held newest entry comes out without waiting for the next line.

const REQUEST =
    '[Info] 2025-01-24T09:45:41.035 [GatewayLogs], isRequestSuccess: true, totalTime: 12, category: GatewayLogs, ' +
    'method: GET, url: http://gw/echo, responseCode: 200';

describe('GatewayLogParser.flush', () => {
    it('releases a held request record; without flush it stays held', () => {
        const held = new GatewayLogParser();
        assert.deepStrictEqual(held.push(`${REQUEST}\n`), []);
        assert.deepStrictEqual(held.push(''), [], 'nothing new: still held');

        const flushed = new GatewayLogParser();
        assert.deepStrictEqual(flushed.push(`${REQUEST}\n`), []);
        const out = flushed.flush();
        assert.equal(out.length, 1);
        assert.equal(out[0]?.kind, 'request');
        assert.equal(out[0]?.line, 1);
        assert.equal(out[0]?.request?.responseCode, 200);
        assert.deepStrictEqual(out, parseGatewayLog(REQUEST), 'the same entry the whole log gives');
        assert.deepStrictEqual(flushed.flush(), [], 'released once');
        assert.deepStrictEqual(flushed.end(), []);
    });

    it('holds a record whose lastError is still open, and releases it once closed', () => {
        const parser = new GatewayLogParser();
        parser.push('[Info] 2025-01-24T09:45:41.035 [GatewayLogs], responseCode: 500, lastError: {\n');
        parser.push('  "reason": "Timeout",\n');
        assert.deepStrictEqual(parser.flush(), [], 'the next lines must finish the value');
        parser.push('  "message": "late"\n');
        parser.push('}, correlationId: c1\n');
        const out = parser.flush();
        assert.equal(out.length, 1);
        assert.equal(out[0]?.raw.length, 4);
        assert.equal(out[0]?.request?.lastError?.reason, 'Timeout');
        assert.equal(out[0]?.notes, undefined);
    });

    it('leaves an unterminated line buffered, and numbers later lines on', () => {
        const parser = new GatewayLogParser();
        parser.push('[Info] 2025-01-24T09:45:41.035 [A], message: one\n[Info] 2025-01-24T09:45:4');
        assert.deepStrictEqual(parser.flush().map((e) => [e.line, e.event]), [[1, 'A']]);
        parser.push('2.000 [B], message: two\n');
        assert.deepStrictEqual(parser.flush().map((e) => [e.line, e.event]), [[2, 'B']]);
        assert.deepStrictEqual(parser.flush(), []);
    });

    it('turns a continuation arriving after a flush into an entry of its own', () => {
        const parser = new GatewayLogParser();
        parser.push('[Error] 2025-01-24T09:45:41.035 [Boom], exception: System.Exception: x\n');
        assert.equal(parser.flush().length, 1);
        parser.push('   at A.B()\n');
        const rest = [...parser.flush(), ...parser.end()];
        assert.deepStrictEqual(
            rest.map((e) => [e.kind, e.line, e.raw]),
            [['text', 2, ['   at A.B()']]],
        );
        // Unflushed, the frame belongs to the event.
        const whole = parseGatewayLog(
            '[Error] 2025-01-24T09:45:41.035 [Boom], exception: System.Exception: x\n   at A.B()\n',
        );
        assert.deepStrictEqual(
            whole.map((e) => e.raw.length),
            [2],
        );
    });
});

describe('GatewayLogParser.flush properties', () => {
    const fixtureDir = new URL('../../fixtures/gateway-logs/', import.meta.url);
    const realLines = ['seed-blog-v1.log', 'v2-text.log', 'v2-json.log'].flatMap((f) =>
        readFileSync(new URL(f, fixtureDir), 'utf8').split(/\r?\n/),
    );
    const logArb = fc
        .array(fc.oneof(fc.constantFrom(...realLines), fc.constantFrom('   at X.Y()', '      indented', '}', '{')), {
            maxLength: 40,
        })
        .map((lines) => lines.map((l) => `${l}\n`).join(''));

    /** Pushes `text` a line at a time, calling flush before the lines whose index `flushBefore` says. */
    function streamed(text: string, flushBefore: (index: number) => boolean): GatewayLogEntry[] {
        const parser = new GatewayLogParser();
        const out: GatewayLogEntry[] = [];
        text.split(/(?<=\n)/).forEach((line, i) => {
            if (flushBefore(i)) {
                out.push(...parser.flush());
            }
            out.push(...parser.push(line));
        });
        out.push(...parser.flush(), ...parser.end());
        return out;
    }

    it('keeps every line exactly once, in order, with consistent line numbers, wherever flush is called', () => {
        fc.assert(
            fc.property(logArb, fc.array(fc.boolean(), { maxLength: 40 }), (text, flags) => {
                const entries = streamed(text, (i) => flags[i] === true);
                assert.deepStrictEqual(
                    entries.flatMap((e) => e.raw),
                    text.split('\n').slice(0, -1),
                );
                let next = 1;
                for (const e of entries) {
                    assert.equal(e.line, next);
                    next += e.raw.length;
                }
            }),
            { numRuns: 300 },
        );
    });

    it('leaves chunking invariance as it was when flush is never called', () => {
        fc.assert(
            fc.property(logArb, fc.array(fc.nat(), { maxLength: 20 }), (text, raw) => {
                const cuts = [...new Set(raw.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
                const parser = new GatewayLogParser();
                const out: GatewayLogEntry[] = [];
                let from = 0;
                for (const cut of [...cuts, text.length]) {
                    out.push(...parser.push(text.slice(from, cut)));
                    from = cut;
                }
                out.push(...parser.end());
                assert.deepStrictEqual(out, parseGatewayLog(text));
            }),
            { numRuns: 300 },
        );
    });

    it('changes nothing when flushed only where an entry starts anyway', () => {
        fc.assert(
            fc.property(logArb, (text) => {
                const whole = parseGatewayLog(text);
                const starts = new Set(whole.map((e) => e.line - 1));
                assert.deepStrictEqual(
                    streamed(text, (i) => starts.has(i)),
                    whole,
                );
            }),
            { numRuns: 300 },
        );
    });
});
