import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';

// The parser remembers recent record layouts (keys in order) to read the next record of the same layout cheaply
// (fields.ts). These records switch, extend and break layouts; each must still read as if it came alone.

const HEAD = '[Info] 2025-01-24T09:45:41.035 [GatewayLogs], ';

function alone(line: string): unknown {
    return parseGatewayLog(line)[0];
}

describe('record layouts', () => {
    it('reads each record as if alone when layouts alternate, extend, diverge and repeat keys', () => {
        const lines = [
            'a: 1, b: "two", c: 3',
            'a: 1, b: "two", c: 3, d: 4',
            'a: 9, b: two, c: 3',
            'a: 1, b: 2, x: 3',
            'a: 1, bb: 2, c: 3',
            'a: 1, b: 2, c: 3, a: 4, a: 5',
            'a: 1, b: 2, c: 3, a: 4, a: 5',
            'ab: 1, b: 2, c: 3',
            'a: 1, b: 2, c: "3", d: 4, e: 5',
            'a: 1, b: "x, c: y", c: 3',
            'a: 1, b: x, c: y, c: 3',
            'a: 1',
            'a: 1, b: 2, c: 3',
        ].map((fields) => HEAD + fields);
        const entries = parseGatewayLog(lines.join('\n'));
        assert.equal(entries.length, lines.length);
        entries.forEach((entry, i) => {
            assert.deepStrictEqual({ ...entry, line: 1 }, alone(lines[i] ?? ''), lines[i]);
        });
        assert.deepStrictEqual(entries[5]?.fields, { a: '1', b: '2', c: '3', 'a#2': '4', 'a#3': '5' });
        assert.deepStrictEqual(entries[9]?.fields, { a: '1', b: 'x, c: y', c: '3' });
    });

    it('builds a request without the properties whose values do not read, after ones that did', () => {
        const entries = parseGatewayLog(
            [
                `${HEAD}responseCode: 200, totalTime: 5, isRequestSuccess: true`,
                `${HEAD}responseCode: 201, totalTime: 6, isRequestSuccess: true`,
                `${HEAD}responseCode: n/a, totalTime: 7, isRequestSuccess: maybe`,
                `${HEAD}responseCode: 202, totalTime: 8, isRequestSuccess: False`,
            ].join('\n'),
        );
        assert.deepStrictEqual(
            entries.map((e) => e.request),
            [
                { responseCode: 200, totalTime: 5, isRequestSuccess: true },
                { responseCode: 201, totalTime: 6, isRequestSuccess: true },
                { totalTime: 7 },
                { responseCode: 202, totalTime: 8, isRequestSuccess: false },
            ],
        );
        assert.deepStrictEqual(Object.keys(entries[2]?.request ?? {}), ['totalTime']);
    });

    it('shares the line timestamp with a timeGenerated written the same way, and only then', () => {
        const [same, other] = parseGatewayLog(
            `${HEAD}timeGenerated: 2025-01-24T09:45:41.035, url: u\n${HEAD}timeGenerated: 01/24/2025 09:45:41, url: u`,
        );
        assert.equal(same?.request?.timeGenerated, same?.timestamp);
        assert.notEqual(other?.request?.timeGenerated, other?.timestamp);
        assert.deepStrictEqual(other?.request?.timeGenerated, {
            raw: '01/24/2025 09:45:41',
            value: Date.UTC(2025, 0, 24, 9, 45, 41),
            assumedUtc: true,
        });
    });

    it('reads escaped quotes and brackets inside a multi-line lastError', () => {
        const [e] = parseGatewayLog(
            [
                `${HEAD}responseCode: 500, lastError: {`,
                '  "message": "a \\"quoted\\" } and ] and \\\\",',
                '  "reason": "x"',
                '}, correlationId: c',
            ].join('\n'),
        );
        assert.deepStrictEqual(e?.request?.lastError, { message: 'a "quoted" } and ] and \\', reason: 'x' });
        assert.equal(e?.fields['correlationId'], 'c');
        assert.equal(e?.notes, undefined);
    });
});
