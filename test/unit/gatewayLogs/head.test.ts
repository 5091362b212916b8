import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { USUAL_TIMESTAMP_LENGTH, scanHead } from '../../../src/gatewayLogs/head.ts';
import { RecentNames } from '../../../src/gatewayLogs/parser.ts';
import { parseTimestampAt, timestampEnd, usualShapeEnd } from '../../../src/gatewayLogs/timestamp.ts';

// The lazy reader reads a record's head in place, inside the whole log, and only locates its timestamp; the parser
// reads it in the line alone. These pin the pieces both rely on to agree.

const digit = fc.integer({ min: 0, max: 9 }).map(String);
/** Text near the usual 2.x timestamp shape: mostly right, sometimes a character off. */
const nearTimestamp = fc
    .tuple(
        fc.array(fc.oneof({ weight: 8, arbitrary: digit }, { weight: 1, arbitrary: fc.constantFrom('x', '-', ':', ' ') }), {
            minLength: 17,
            maxLength: 17,
        }),
        fc.constantFrom('-', 'x'),
        fc.constantFrom(' ', ',', '[', 'Z', '', '0'),
    )
    .map(([d, dash, after]) => {
        const t = `${d.slice(0, 4).join('')}${dash}${d.slice(4, 6).join('')}-${d.slice(6, 8).join('')}T` +
            `${d.slice(8, 10).join('')}:${d.slice(10, 12).join('')}:${d.slice(12, 14).join('')}.${d.slice(14).join('')}`;
        return t + after;
    });

describe('record heads read in place', () => {
    it('usualShapeEnd finds exactly the end parseTimestampAt reads to, for the usual shape', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 3 }), nearTimestamp, fc.string({ maxLength: 5 }), (before, ts, after) => {
                const line = before + ts + after;
                const end = usualShapeEnd(line, before.length, line.length);
                if (end >= 0) {
                    const read = parseTimestampAt(line, before.length);
                    assert.ok(read, 'a located timestamp reads');
                    assert.equal(timestampEnd(), end);
                    assert.equal(read.raw, line.slice(before.length, end));
                    // Inside a larger text, bounded by the line's end, the answer is the same.
                    const log = `x\n${line}\nmore`;
                    assert.equal(usualShapeEnd(log, 2 + before.length, 2 + line.length), end + 2);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it('scanHead gives the same head in the whole log as in the line alone', () => {
        const line = fc
            .tuple(
                fc.constantFrom('[Info]', '[Error]', '[Warn] '),
                fc.constantFrom(' ', '', '  '),
                fc.oneof(nearTimestamp, fc.constantFrom('2021-06-3T03:25:12.570', '2024-06-26T20:16:04.5669435Z', '')),
                fc.constantFrom(' ', '', '  '),
                fc.constantFrom('[GatewayLogs]', '[Event]', '[Two words]', '[', '[]', '[NoClose', ''),
                fc.constantFrom(', message: x', '', ' text', ']', ',x'),
            )
            .map((parts) => parts.join(''));
        fc.assert(
            fc.property(line, fc.constantFrom('\n', '\r\n'), fc.string({ maxLength: 20 }), (l, eol, next) => {
                const close = l.indexOf(']');
                const alone = { ...scanHead(l, close + 1, l.length, new RecentNames(), true) };
                const log = `${l}${eol}${next}] ]`;
                const names = new RecentNames();
                for (const readTime of [true, false]) {
                    const inLog = { ...scanHead(log, close + 1, l.length, names, readTime) };
                    assert.equal(inLog.end, alone.end);
                    assert.equal(inLog.event, alone.event);
                    assert.equal(inLog.timeAt, alone.timeAt);
                    const at = inLog.timeAt;
                    const timestamp = inLog.timestamp ?? (at >= 0 ? parseTimestampAt(log.slice(at, at + USUAL_TIMESTAMP_LENGTH), 0) : undefined);
                    assert.deepStrictEqual(timestamp, alone.timestamp);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it('RecentNames gives the text asked for, and the same string for a name seen before', () => {
        fc.assert(
            fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 40 }), (words) => {
                const names = new RecentNames();
                const text = words.join('|');
                let at = 0;
                for (const w of words) {
                    const name = names.get(text, at, at + w.length);
                    assert.equal(name, w);
                    if (w.length > 0) {
                        assert.equal(names.get(`${w}`, 0, w.length), name);
                    }
                    at += w.length + 1;
                }
            }),
        );
        const names = new RecentNames();
        const first = names.get('[Info] [ConfigurationPollFailed]', 8, 31);
        assert.ok(Object.is(names.get('x[ConfigurationPollFailed]', 2, 25), first), 'the string kept is given again');
    });
});
