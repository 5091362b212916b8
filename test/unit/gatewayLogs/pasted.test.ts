import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';

// Logs as people paste them into issues, chats and blogs: indented as a code block, with a BOM or CRLF from an
// editor, with `kubectl logs --prefix` / `--timestamps` in front of every line, with colour codes (whole or with the
// ESC lost), wrapped to a width, or JSON cut short or with quotes doubled by a CSV export. The clean fixtures of both
// gateway generations, dressed up that way, must read exactly as they read clean (only `raw` and where the line came
// from differ), and the broken shapes must keep what can be known and say what could not be read.

const dir = new URL('../../fixtures/gateway-logs/', import.meta.url);
const CLEAN = ['seed-blog-v1.log', 'v2-text.log', 'v2-json.log'].map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));

function linesOf(text: string): string[] {
    const lines = text.split('\n');
    if (lines.at(-1) === '') {
        lines.pop();
    }
    return lines;
}

function joinLines(lines: readonly string[], eol = '\n'): string {
    return lines.map((l) => l + eol).join('');
}

/** What must not change when a log is pasted: everything but `raw`, `origin` and the message of plain text lines. */
function meaning(entry: GatewayLogEntry): Record<string, unknown> {
    const { raw, origin, ...rest } = entry;
    void origin;
    const out: Record<string, unknown> = { ...rest, rawLines: raw.length };
    if (entry.kind === 'text') {
        delete out['message'];
    }
    return out;
}

const ESC = '\x1b';
const POD = '[pod/rb-arc-aks-apimgw-6cb68c4ccf-gkl8w/apim-gateway] ';
const KUBELET = '2021-06-03T03:25:12.570859341Z ';

const dress: Record<string, (text: string) => string> = {
    'indented by four spaces (a Markdown code block)': (t) => joinLines(linesOf(t).map((l) => `    ${l}`)),
    'indented by a tab': (t) => joinLines(linesOf(t).map((l) => `\t${l}`)),
    'indented by two spaces, blank lines left empty': (t) => joinLines(linesOf(t).map((l) => (l === '' ? '' : `  ${l}`))),
    'with a BOM': (t) => `\uFEFF${t}`,
    'with CRLF line ends': (t) => joinLines(linesOf(t), '\r\n'),
    'from kubectl logs --prefix': (t) => joinLines(linesOf(t).map((l) => POD + l)),
    'from kubectl logs --timestamps': (t) => joinLines(linesOf(t).map((l) => KUBELET + l)),
    'from kubectl logs --prefix --timestamps, in a CRLF file with a BOM': (t) => `\uFEFF${joinLines(linesOf(t).map((l) => POD + KUBELET + l), '\r\n')}`,
    'coloured': (t) => joinLines(linesOf(t).map((l) => (l === '' ? l : `${ESC}[32m${l}${ESC}[0m`))),
    'coloured, the ESC lost in the copy': (t) => joinLines(linesOf(t).map((l) => (l.startsWith('[') || l.startsWith('{') ? `[32m${l}[0m` : l))),
};

describe('logs pasted from anywhere read as they read clean', () => {
    for (const { name, text } of CLEAN) {
        const clean = parseGatewayLog(text).map(meaning);
        for (const [how, transform] of Object.entries(dress)) {
            it(`${name} ${how}`, () => {
                const pasted = transform(text);
                const entries = parseGatewayLog(pasted);
                assert.deepStrictEqual(entries.map(meaning), clean);
                const raw = entries.flatMap((e) => e.raw);
                assert.equal(raw.length, linesOf(text).length, 'every line kept once');
            });
        }
    }

    it('any combination of the pasted shapes, streamed in any pieces, reads as clean', () => {
        // In the order they happen: the gateway colours, kubectl prefixes, the paste indents, an editor saves.
        const group = (...names: string[]) => fc.option(fc.constantFrom(...names), { nil: undefined });
        const colour = group('coloured', 'coloured, the ESC lost in the copy');
        const kubectl = group('from kubectl logs --prefix', 'from kubectl logs --timestamps');
        const indent = group('indented by four spaces (a Markdown code block)', 'indented by a tab', 'indented by two spaces, blank lines left empty');
        const saved = group('with CRLF line ends', 'with a BOM');
        fc.assert(
            fc.property(fc.constantFrom(...CLEAN), colour, kubectl, indent, saved, fc.array(fc.nat(), { maxLength: 6 }), ({ text }, c, k, i, f, cuts) => {
                let pasted = text;
                for (const n of [c, k, i, f]) if (n !== undefined) pasted = (dress[n] ?? ((t: string) => t))(pasted);
                const parser = new GatewayLogParser();
                const entries: GatewayLogEntry[] = [];
                let at = 0;
                for (const cut of [...cuts].map((x) => x % (pasted.length + 1)).sort((a, b) => a - b)) {
                    entries.push(...parser.push(pasted.slice(at, cut)));
                    at = cut;
                }
                entries.push(...parser.push(pasted.slice(at)), ...parser.end());
                assert.deepStrictEqual(entries.map(meaning), parseGatewayLog(text).map(meaning));
            }),
            { numRuns: 150 },
        );
    });

    it('says which pod and container a --prefix line came from, and when kubectl read it', () => {
        const [entry] = parseGatewayLog(`${POD}${KUBELET}[Info] 2021-06-3T03:25:12.587 [HostBootstrapperStarting]\n`);
        assert.equal(entry?.event, 'HostBootstrapperStarting');
        assert.deepStrictEqual(entry?.origin, {
            pod: 'rb-arc-aks-apimgw-6cb68c4ccf-gkl8w',
            container: 'apim-gateway',
            time: { raw: '2021-06-03T03:25:12.570859341Z', value: Date.UTC(2021, 5, 3, 3, 25, 12, 570), assumedUtc: false },
        });
    });
});

/** The facts a reader relies on, for fixtures of broken shapes. */
function facts(entry: GatewayLogEntry): Record<string, unknown> {
    const r = entry.request;
    const out: Record<string, unknown> = {
        line: entry.line,
        rawLines: entry.raw.length,
        kind: entry.kind,
        format: entry.format,
        level: entry.level,
        levelRaw: entry.levelRaw,
        timestamp: entry.timestamp?.raw,
        event: entry.event,
        message: entry.message,
        source: entry.source,
    };
    if (r) {
        const lastError = r.lastError ? { source: r.lastError.source, reason: r.lastError.reason } : undefined;
        const request: Record<string, unknown> = {
            isRequestSuccess: r.isRequestSuccess,
            correlationId: r.correlationId,
            method: r.method,
            url: r.url,
            responseCode: r.responseCode,
            apiId: r.apiId,
            lastError,
        };
        out['request'] = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
    }
    if (entry.notes && entry.notes.length > 0) out['noted'] = true;
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

for (const name of ['json-broken', 'wrapped']) {
    describe(`pasted fixture ${name}`, () => {
        const text = readFileSync(new URL(`pasted/${name}.log`, dir), 'utf8');
        const expected = JSON.parse(readFileSync(new URL(`pasted/${name}.expected.json`, dir), 'utf8')) as unknown[];

        it('reads what can be known, and notes what could not be read', () => {
            const actual = parseGatewayLog(text);
            for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
                const entry = actual[i];
                assert.deepStrictEqual(entry ? facts(entry) : undefined, expected[i], `entry ${i + 1}`);
            }
        });

        it('keeps every line once, in order, and a recovered entry keeps its raw line', () => {
            assert.deepStrictEqual(
                parseGatewayLog(text).flatMap((e) => e.raw),
                linesOf(text),
            );
        });

        it('gives the same entries when streamed a character at a time', () => {
            const parser = new GatewayLogParser();
            const streamed: GatewayLogEntry[] = [];
            for (const c of text) streamed.push(...parser.push(c));
            streamed.push(...parser.end());
            assert.deepStrictEqual(streamed, parseGatewayLog(text));
        });
    });
}

describe('a JSON-like line is never read with more confidence than it deserves', () => {
    it('a number or string cut off at the end of the line is not read', () => {
        const [entry] = parseGatewayLog('{"isRequestSuccess":false,"category":"GatewayLogs","responseCode":50');
        assert.equal(entry?.kind, 'request');
        assert.equal(entry?.request?.responseCode, undefined);
        const [cut] = parseGatewayLog('{"level":"Error","correlationId":"0c5f3e1a-77b2');
        assert.equal(cut?.request?.correlationId, undefined);
        assert.equal(cut?.level, 'error');
    });

    it('a line that only starts with a brace is still text', () => {
        const [entry] = parseGatewayLog('{ this is not a record }');
        assert.equal(entry?.kind, 'text');
    });

    it('recovery is bounded: a huge broken line is kept whole and read quickly', () => {
        const line = `{"level":"Error","message":"${'x'.repeat(2_000_000)}`;
        const started = performance.now();
        const [entry] = parseGatewayLog(line);
        assert.ok(performance.now() - started < 2000);
        assert.deepStrictEqual(entry?.raw, [line]);
    });
});
