import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

// Input/expected pairs: `<name>.log` and `<name>.expected.json`, written by hand from the log text (timestamps
// computed independently), not captured from the parser. Each expected entry is the parser's entry with `raw`
// replaced by its line count; the join of `raw` is checked separately against the input.

const dir = new URL('../../fixtures/gateway-logs/', import.meta.url);

function project(entry: GatewayLogEntry): Record<string, unknown> {
    const { raw, ...rest } = entry;
    return { ...rest, rawLines: raw.length };
}

function inputLines(text: string): string[] {
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '') {
        lines.pop();
    }
    return lines;
}

for (const name of ['v2-text', 'v2-json']) {
    describe(`fixture ${name}`, () => {
        const text = readFileSync(new URL(`${name}.log`, dir), 'utf8');
        const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as unknown[];

        it('parses to the expected entries', () => {
            const actual = parseGatewayLog(text).map(project);
            for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
                assert.deepStrictEqual(actual[i], expected[i], `entry ${i + 1}`);
            }
        });

        it('keeps every line once, in order', () => {
            assert.deepStrictEqual(
                parseGatewayLog(text).flatMap((e) => e.raw),
                inputLines(text),
            );
        });

        it('gives the same entries when streamed a line at a time', () => {
            const parser = new GatewayLogParser();
            const streamed: GatewayLogEntry[] = [];
            for (const piece of text.split(/(?<=\n)/)) {
                streamed.push(...parser.push(piece));
            }
            streamed.push(...parser.end());
            assert.deepStrictEqual(streamed, parseGatewayLog(text));
        });
    });
}
