import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { REQUEST_KEYS, buildRequestPlanned, buildTextRequest, requestPlan } from '../../../src/gatewayLogs/request.ts';
import { parseTimestamp } from '../../../src/gatewayLogs/timestamp.ts';

// The eager parser's fast paths for a record of a layout seen before, each pinned to the general path it stands for:
// the layout's pattern (`KvScanner.scanLayout`, which finds the values again after a match that captures nothing)
// against the scanner reading the same record alone, and `buildTextRequest` against `buildRequestPlanned` on a plan
// that has no template yet.

const HEAD = '[Info] 2025-01-24T09:45:41.035 [GatewayLogs], ';
const KEYS = [...REQUEST_KEYS, 'category', 'region', 'x.y', 'a-b'];

const valueArb = fc.oneof(
    fc.constantFrom(
        '200', '-3', '3.5', '1e3', '', 'True', 'false', 'maybe', '2025-01-24T09:45:41.035', '2025-01-24T09:45:41.035Z',
        '06/03/2021 15:25:37', '{"reason": "x", "elapsed": 3}', '[{"a": 1}]', '{', '[', 'GET', 'http://x/a?b=1',
        '00000000-0000-0000-0000-000000000000', 'a"b', 'x, y: z',
    ),
    fc.string({ unit: fc.constantFrom('"', ',', '\\', ' ', ':', '{', '}', '[', ']', 'a', '1', '.', '-'), maxLength: 12 }),
    fc.string({ maxLength: 8 }),
);

/** A list of distinct keys (in any order) with values, each written plain or in quotes. */
const layoutArb = fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 12 });
const valuesArb = (n: number) => fc.array(fc.tuple(valueArb, fc.boolean()), { minLength: n, maxLength: n });

function list(keys: readonly string[], values: ReadonlyArray<[string, boolean]>): string {
    return keys.map((key, i) => {
        const [value, quoted] = values[i] as [string, boolean];
        return `${key}: ${quoted ? `"${value}"` : value}`;
    }).join(', ');
}

describe('eager fast paths', () => {
    it('reads a record of a known layout as the scanner reads it alone', () => {
        fc.assert(
            fc.property(
                layoutArb.chain((keys) => fc.tuple(fc.constant(keys), fc.array(valuesArb(keys.length), { minLength: 2, maxLength: 4 }))),
                ([keys, records]) => {
                    const lines = records.map((values) => HEAD + list(keys, values));
                    const entries = parseGatewayLog(lines.join('\n'));
                    const alone = lines.map((line) => parseGatewayLog(line));
                    assert.deepStrictEqual(
                        JSON.parse(JSON.stringify(entries.map((e) => ({ ...e, line: 0 })))),
                        JSON.parse(JSON.stringify(alone.flat().map((e) => ({ ...e, line: 0 })))),
                    );
                },
            ),
            { numRuns: 400 },
        );
    });

    it('reads plain records of a known layout by its pattern, value for value as the scanner does', () => {
        // Values the pattern takes (no comma, no quote or backslash inside a quoted one), so the fast path is taken.
        const simple = fc.string({ unit: fc.constantFrom('a', '1', ' ', ':', '.', '/', '-', '{', '}'), maxLength: 10 });
        fc.assert(
            fc.property(
                layoutArb.chain((keys) =>
                    fc.tuple(
                        fc.constant(keys),
                        fc.array(fc.array(fc.tuple(simple, fc.boolean()), { minLength: keys.length, maxLength: keys.length }), {
                            minLength: 2,
                            maxLength: 4,
                        }),
                    ),
                ),
                ([keys, records]) => {
                    const lines = records.map((values) => HEAD + list(keys, values));
                    const entries = parseGatewayLog(lines.join('\n'));
                    lines.forEach((line, i) => {
                        assert.deepStrictEqual({ ...entries[i], line: 1 }, parseGatewayLog(line)[0], line);
                        assert.deepStrictEqual(Object.keys(entries[i]?.fields ?? {}), Object.keys(parseGatewayLog(line)[0]?.fields ?? {}));
                    });
                },
            ),
            { numRuns: 400 },
        );
    });

    it('builds a text request with the template as without it', () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 26 }).chain((keys) =>
                    fc.tuple(fc.constant(keys), fc.array(fc.array(valueArb, { minLength: keys.length, maxLength: keys.length }), { minLength: 1, maxLength: 4 })),
                ),
                ([keys, records]) => {
                    // A plan is given its template by the first request of its layout in which every value reads.
                    const plan = requestPlan(keys);
                    const readable = keys.map((key) =>
                        /Time$|Code$|Size$/.test(key) && key !== 'timeGenerated' ? '1' : key === 'isRequestSuccess' ? 'true' : key === 'lastError' ? '{}' : key === 'errors' ? '[]' : 'v',
                    );
                    buildRequestPlanned(plan, readable, undefined);
                    assert.ok(plan.template !== undefined);
                    for (const values of records) {
                        const at = keys.indexOf('timeGenerated');
                        const timestamp = at >= 0 ? parseTimestamp(values[at] ?? '') : undefined;
                        const fast = buildTextRequest(plan, values, timestamp);
                        const slow = buildRequestPlanned(requestPlan(keys), values, timestamp);
                        assert.deepStrictEqual(fast, slow);
                        assert.equal(JSON.stringify(fast), JSON.stringify(slow));
                        if (timestamp !== undefined && fast.timeGenerated !== undefined) {
                            assert.equal(fast.timeGenerated === timestamp, slow.timeGenerated === timestamp);
                        }
                    }
                },
            ),
            { numRuns: 500 },
        );
    });
});
