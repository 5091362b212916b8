import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';

// Time limits catch quadratic or backtracking behaviour, not small regressions: each shape below makes some part
// of the grammar (boundary search, quotes, open JSON, ANSI, duplicate keys) see the worst input it can.

const MB = 1 << 20;

function fill(prefix: string, unit: string, size: number): string {
    return prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length));
}

const TEXT = '[Info] 2025-01-24T09:45:41.035 [GatewayLogs], a: ';
const shapes: Record<string, (size: number) => string> = {
    'plain text': (n) => 'a'.repeat(n),
    'many fields': (n) => fill('[Info] 2021-06-3T03:25:12.570, ', 'key: value, ', n),
    'one key repeated': (n) => fill('[Info] 2021-06-3T03:25:12.570, ', 'a: 1, ', n),
    'commas without keys': (n) => fill(TEXT, ', a', n),
    'a key that never ends': (n) => fill(TEXT + 'x, ', 'b', n),
    'quotes that never close cleanly': (n) => fill(TEXT, '"x, b: ', n),
    'JSON that never closes': (n) => fill('[Info] 2021-06-3T03:25:12.570, lastError: ', '{', n),
    'JSON closing with junk': (n) => fill(TEXT, '{}x, a: ', n),
    // Fewer than MAX_FIELDS fields, so every value is scanned rather than kept whole as the rest of the line.
    'long values with stray quotes': (n) => fill(TEXT, `"${'x, y'.repeat(n / 4096)}"z, a: `, n),
    'long JSON values closing with junk': (n) => fill(TEXT, `{"k": "${'}, b: '.repeat(n / 6144)}"}x, a: `, n),
    'nested JSON that closes late': (n) => fill(TEXT, '{a, k: ', n) + '}'.repeat(50),
    'event with fake sources': (n) => fill('[Info] 2021-06-3T03:25:12.570 [E], message: ', ', source: x y', n),
    'broken JSON line': (n) => fill('{', '"a":1,', n),
    'JSON object with many keys': (n) => {
        const keys: string[] = [];
        for (let i = 0, size = 2; size < n; i++) {
            const pair = `"k${i}":${i}`;
            keys.push(pair);
            size += pair.length + 1;
        }
        return `{${keys.join(',')}}`;
    },
    'deep JSON brackets': (n) => fill('{"a":', '[', n),
    'ANSI escapes': (n) => fill('', '\x1b[', n),
    'stack-frame lookalike': (n) => fill('   at ', ' ', n),
};

function bestOf(runs: number, fn: () => void): number {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        fn();
        best = Math.min(best, performance.now() - t0);
    }
    return best;
}

/**
 * 100 ms on a quiet machine; on a busy one (CI sharing its cores) everything slows together, so the budget also
 * scales with how long this very run takes for the simplest 1 MB line. A quadratic shape still misses it by far.
 */
let budget = 100;

describe('parser performance', () => {
    before(() => {
        const plain = 'a'.repeat(MB);
        budget = Math.max(100, 25 * bestOf(3, () => parseGatewayLog(plain)));
    });
    for (const [name, make] of Object.entries(shapes)) {
        it(`parses a 1 MB line of ${name} in under 100 ms, and four times that in about four times the time`, () => {
            const one = make(MB);
            const four = make(4 * MB);
            const t1 = bestOf(3, () => parseGatewayLog(one));
            const t4 = bestOf(3, () => parseGatewayLog(four));
            assert.ok(t1 < budget, `${t1.toFixed(1)} ms (budget ${budget.toFixed(0)} ms)`);
            // Linear work is ~4x and quadratic ~16x: the wide gap keeps a busy CI machine's noise (GC pauses, a
            // few ms on small absolute times) from failing a linear parser while still catching a quadratic one.
            assert.ok(t4 < 9 * t1 + 20, `1 MB ${t1.toFixed(1)} ms, 4 MB ${t4.toFixed(1)} ms`);
        });
    }

    it('parses a 1 MB line pushed in 1 KB chunks in under 100 ms', () => {
        const text = shapes['many fields']!(MB);
        const t = bestOf(3, () => {
            const parser = new GatewayLogParser();
            for (let i = 0; i < text.length; i += 1024) {
                parser.push(text.slice(i, i + 1024));
            }
            parser.end();
        });
        assert.ok(t < budget, `${t.toFixed(1)} ms (budget ${budget.toFixed(0)} ms)`);
    });

    it('scales linearly with the number of lines of a realistic log', () => {
        const block = [
            '[Info] 2024-11-07T14:02:11.201 [ComponentStarted], message: ConfigurationPoller, source: Bootstrapper',
            '[Info] 2024-11-07T14:06:02.318 [GatewayLogs], isRequestSuccess: False, totalTime: 3012, ' +
                'category: GatewayLogs, correlationId: 9a1d4b77-3e2f-4f0c-8c55-1d2e3f4a5b6c, method: GET, ' +
                'url: http://a/items?sku=A-1, responseCode: 504, lastError: {',
            '  "elapsed": 3008,',
            '  "reason": "Timeout"',
            '}, correlationId: 9a1d4b77-3e2f-4f0c-8c55-1d2e3f4a5b6c',
            '{"level":"Warning","timestamp":"2024-09-18T06:41:29.0001000Z","message":"m","source":"S"}',
            '   at A.B()',
            'Now listening on: http://0.0.0.0:8080',
        ].join('\n') + '\n';
        const small = block.repeat(20_000);
        const large = block.repeat(40_000);
        const t1 = bestOf(3, () => parseGatewayLog(small));
        const t2 = bestOf(3, () => parseGatewayLog(large));
        assert.ok(t2 < 3 * t1, `${t1.toFixed(1)} ms vs ${t2.toFixed(1)} ms`);
    });
});
