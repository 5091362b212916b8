// A key planted in any shape, in any field of a text or JSON record, never appears in anything sent to a webview
// (rows, details, search text, findings), the editor document and its hovers, or the extension's own log. Driven
// through the real row builder, document model, hover builder and logger.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type * as vscode from 'vscode';
import { LogDocumentModel } from '../../../src/editor/documentModel.ts';
import { hoverMarkdown, hoverTargetAt } from '../../../src/editor/hoverTargets.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { createLogger } from '../../../src/extensionLog.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';
import { toEntryDetails, toLogRow } from '../../../src/panels/gatewayLogsRows.ts';
import { safeErrorMessage } from '../../../src/util/errors.ts';
import { redact, redactField } from '../../../src/util/redact.ts';

/** A planted secret: how it is written into a value, and the strings that must never be seen. */
interface Planted {
  readonly written: string;
  readonly secrets: readonly string[];
  /** For JSON records: the field name it goes under (`undefined`: the value shape alone must give it away). */
  readonly name?: string;
}

const alnum = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/);
const gatewayId = fc.stringMatching(/^[a-z][a-z0-9-]{2,30}$/);
const stamp = fc.integer({ min: 2024, max: 2030 }).map((y) => `${y}12271200`);
const signature = fc.stringMatching(/^[A-Za-z0-9+/]{60,88}$/).map((s) => `${s}==`);

const token = fc.tuple(gatewayId, stamp, signature).map(([id, s, sig]) => ({ token: `${id}&${s}&${sig}`, sig }));

const planted: fc.Arbitrary<Planted> = fc.oneof(
  alnum.map((k) => ({ written: `Ocp-Apim-Subscription-Key: ${k}`, secrets: [k], name: 'Ocp-Apim-Subscription-Key' })),
  alnum.map((k) => ({ written: `ocp-apim-subscription-key: ${k}`, secrets: [k], name: 'ocp-apim-subscription-key' })),
  alnum.map((k) => ({ written: `subscriptionKey=${k}`, secrets: [k], name: 'subscriptionKey' })),
  alnum.map((k) => ({ written: `subscription-key: ${k}`, secrets: [k], name: 'subscription-key' })),
  alnum.map((k) => ({ written: `x-api-key: ${k}`, secrets: [k], name: 'x-api-key' })),
  alnum.map((k) => ({ written: `Authorization: Bearer ${k}`, secrets: [k], name: 'Authorization' })),
  alnum.map((k) => ({ written: `Authorization: Basic ${k}`, secrets: [k], name: 'Authorization' })),
  alnum.map((k) => ({ written: `https://store.blob/x?sv=2020&sig=${k}&se=2026`, secrets: [k] })),
  alnum.map((k) => ({ written: `http://gw:5000/echo/resource?subscription-key=${k}&x=1`, secrets: [k] })),
  fc.tuple(alnum, alnum).map(([k, s]) => ({ written: `SharedAccessSignature uid=integration&ex=2026-12-27T12:00:00Z&sn=${s}`, secrets: [s], ...(k ? {} : {}) })),
  token.map(({ token: t, sig }) => ({ written: `GatewayKey ${t}`, secrets: [t, sig] })),
  token.map(({ token: t, sig }) => ({ written: t, secrets: [t, sig] })),
  token.map(({ token: t, sig }) => ({ written: encodeURIComponent(t), secrets: [encodeURIComponent(t), encodeURIComponent(sig), sig] })),
  token.map(({ token: t, sig }) => ({ written: btoa(`GatewayKey ${t}`), secrets: [btoa(`GatewayKey ${t}`), sig] })),
  token.map(({ token: t, sig }) => ({ written: btoa(t), secrets: [btoa(t), sig] })),
);

/** A record of each layout the parser knows, with the planted value in a field or as the field. */
const record = fc.tuple(planted, fc.constantFrom('text-field', 'text-named', 'text-url', 'json-value', 'json-named', 'json-header', 'json-url', 'text-message')).map(([p, layout]) => {
  const bare = p.written.replace(/^[^:=]+[:=]\s*/, '');
  switch (layout) {
    case 'text-field':
      return { p, line: `[Info] 2023-08-25T10:56:02.000 [RequestTraced], pool: a, note: ${p.written}, source: Tracer` };
    case 'text-named':
      return { p, line: `[Info] 2023-08-25T10:56:02.000 [RequestTraced], ${p.name ?? 'note'}: ${p.name ? bare : p.written}, source: Tracer` };
    case 'text-url':
      return { p, line: `[Info] 2023-08-25T10:56:02.000, isRequestSuccess: False, totalTime: 5, category: GatewayLogs, method: GET, url: http://gw:5000/echo/${encodeURIComponent(p.written)}, responseCode: 401` };
    case 'json-value':
      return { p, line: JSON.stringify({ timestamp: '2023-08-25T10:56:02Z', level: 'Info', message: `client sent ${p.written}`, source: 'x' }) };
    case 'json-named':
      return { p, line: JSON.stringify({ timestamp: '2023-08-25T10:56:02Z', level: 'Info', message: 'hello', [p.name ?? 'note']: p.name ? bare : p.written }) };
    case 'json-header':
      return { p, line: JSON.stringify({ timestamp: '2023-08-25T10:56:02Z', category: 'GatewayLogs', method: 'GET', url: 'http://gw/echo', responseCode: 401, requestHeaders: { [p.name ?? 'X-Note']: p.name ? bare : p.written } }) };
    case 'json-url':
      return { p, line: JSON.stringify({ timestamp: '2023-08-25T10:56:02Z', category: 'GatewayLogs', method: 'GET', url: `http://gw/echo?q=${encodeURIComponent(p.written)}`, responseCode: 401, lastError: { reason: 'Unauthorized', message: p.written } }) };
    default:
      return { p, line: `[Warn] 2023-08-25T10:56:02.000 request failed: ${p.written}` };
  }
});

function leaks(text: string, secrets: readonly string[]): string | undefined {
  // Search text is lower-cased: a key is found in any case.
  const lower = text.toLowerCase();
  return secrets.find((s) => s.length >= 16 && lower.includes(s.toLowerCase()));
}

function fakeChannel(sink: string[]): vscode.LogOutputChannel {
  const put = (m: string): void => void sink.push(m);
  return { info: put, warn: put, error: put, debug: put, trace: put } as unknown as vscode.LogOutputChannel;
}

describe('redaction everywhere text leaves the host', () => {
  it('masks by name, any case and separator, and by token shape (plain, URL-encoded, base64)', () => {
    const t = 'rb-arc-gw&202612271200&Qk9HVVMtU0lHTkFUVVJFLWZvci10ZXN0cy1vbmx5LW5vdC1yZWFsAAAA==';
    assert.equal(redact('subscriptionKey: abcdefghijklmnop1234'), 'subscriptionKey: ***');
    assert.equal(redact('{"Ocp-Apim-Subscription-Key":"abcdefghijklmnop1234"}'), '{"Ocp-Apim-Subscription-Key":"***"}');
    assert.equal(redact('X-Api-Key=abcdefghijklmnop1234'), 'X-Api-Key=***');
    assert.equal(redact('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: Basic ***');
    assert.equal(redact('https://a/b?sv=1&sig=abcdefgh%2Bij&se=2026'), 'https://a/b?sv=1&sig=***&se=***');
    assert.equal(redact(`x ${encodeURIComponent(t)} y`), 'x *** y');
    assert.equal(redact(`x ${btoa(t)} y`), 'x *** y');
    assert.equal(redactField('Ocp_Apim_Subscription_Key', 'k'), '***');
    assert.equal(redactField('correlationId', '752afbf2-7a10-4655-b1b0-6b8221ea612d'), '752afbf2-7a10-4655-b1b0-6b8221ea612d');
  });

  it('property: a planted key never reaches a row, the details, the editor document, a hover or the log', () => {
    fc.assert(
      fc.property(record, ({ p, line }) => {
        const entries: TaggedEntry[] = parseGatewayLog(`${line}\n`).map((e, i) => ({ ...e, seq: i + 1, pod: 'gw-0' }));
        assert.ok(entries.length > 0);
        const seen: string[] = [];
        for (const entry of entries) {
          seen.push(JSON.stringify(toLogRow(entry)), JSON.stringify(toEntryDetails(entry)));
        }
        const model = new LogDocumentModel({ maxEntries: 100 });
        const update = model.plan(entries.map((entry) => ({ entry })));
        model.commit(update);
        const doc = model.text();
        seen.push(doc);
        const docLine = doc.split('\n')[0] ?? '';
        for (let c = 0; c < docLine.length; c += 3) {
          const target = hoverTargetAt(docLine, c);
          if (target) seen.push(hoverMarkdown(target, entries[0]) ?? '');
        }
        const out: string[] = [];
        const log = createLogger(fakeChannel(out), 'test');
        log.info(`read ${line}`);
        log.error('failed', new Error(line));
        seen.push(...out, safeErrorMessage(new Error(line)));
        for (const text of seen) {
          const leaked = leaks(text, p.secrets);
          assert.equal(leaked, undefined, `${p.written} leaked in ${text.slice(0, 400)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
