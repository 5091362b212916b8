import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEntry } from '../../../src/editor/documentModel.ts';
import { hoverMarkdown, hoverTargetAt, linePrefix } from '../../../src/editor/hoverTargets.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';
import { fixture, tagged } from './helpers.ts';

function hoverMarkdownText(line: string, character: number, entry: GatewayLogEntry): string {
  const target = hoverTargetAt(line, character);
  assert.ok(target, `nothing under ${character}`);
  return hoverMarkdown(target, entry) ?? assert.fail('no hover text');
}

/** The target under the first character of `word` (or `at` characters into it) on `line`. */
function at(line: string, word: string, offset = 0, nth = 0) {
  let i = -1;
  for (let n = 0; n <= nth; n++) i = line.indexOf(word, i + 1);
  assert.ok(i >= 0, `${word} not on the line`);
  return hoverTargetAt(line, i + offset);
}

const seed = fixture('seed-blog-v1.log').split('\n');
const record = seed.find((l) => l.includes('752afbf2-7a10-4655-b1b0-6b8221ea612d')) ?? '';
const reasonLine = seed.find((l) => l.includes('"reason": "OperationNotFound"')) ?? '';

describe('editor hovers: what is under the cursor', () => {
  it('a status is a status only as the value of responseCode / backendResponseCode', () => {
    assert.deepEqual(at(record, ': 404', 2), { kind: 'status', code: 404, field: 'responseCode', start: record.indexOf(': 404') + 2, end: record.indexOf(': 404') + 5 });
    // The last character and the position just after the word count too (VS Code asks with both).
    assert.equal(at(record, ': 404', 4)?.kind, 'status');
    assert.equal(at(record, ': 404', 5)?.kind, 'status');
    assert.equal(at(record, 'totalTime: 245', 11), undefined, 'a number that is not a status');
    const json = '{"level":"Error","properties":{"responseCode":404,"backendResponseCode": "502"}}';
    assert.deepEqual(at(json, '404'), { kind: 'status', code: 404, field: 'responseCode', start: json.indexOf('404'), end: json.indexOf('404') + 3 });
    assert.equal(at(json, '502')?.kind, 'status');
    assert.equal((at(json, '502') as { field: string }).field, 'backendResponseCode');
  });

  it('a lastError reason, in the JSON block and wherever the name is unmistakable', () => {
    assert.deepEqual(at(reasonLine, 'OperationNotFound', 3), {
      kind: 'reason',
      reason: 'OperationNotFound',
      start: reasonLine.indexOf('OperationNotFound'),
      end: reasonLine.indexOf('OperationNotFound') + 'OperationNotFound'.length,
    });
    assert.equal(at('  "reason": "Timeout",', 'Timeout')?.kind, 'reason');
    // "Timeout" in a message is an ordinary word.
    assert.equal(at('message: HttpClient.Timeout of 100 seconds elapsing', 'Timeout'), undefined);
    assert.equal(at('message: failed with BackendConnectionFailure twice', 'BackendConnectionFailure')?.kind, 'reason');
  });

  it('field names, in text records and JSON', () => {
    assert.deepEqual(at(record, 'totalTime'), { kind: 'field', name: 'totalTime', start: record.indexOf('totalTime'), end: record.indexOf('totalTime') + 9 });
    assert.equal(at(record, 'lastError')?.kind, 'field');
    assert.equal(at('  "elapsed": 196,', 'elapsed')?.kind, 'field');
    assert.equal(at('{"totalTime":42}', 'totalTime')?.kind, 'field');
    assert.equal(at(record, 'GatewayLogs'), undefined, 'a value, not a key');
  });

  it('event names in brackets and as a JSON eventType', () => {
    const line = seed.find((l) => l.includes('[OperationRouteTableRebuildCompleted]')) ?? '';
    assert.equal(at(line, 'OperationRouteTableRebuildCompleted')?.kind, 'event');
    assert.equal(at(line, 'Info'), undefined, 'a level is not an event');
    assert.equal(at('{"level":"Verbose","eventType":"ComponentStarted"}', 'ComponentStarted')?.kind, 'event');
    assert.equal(at('[Info] 2024-01-01T00:00:00.000 [SomethingNobodyDocumented]', 'Something'), undefined);
  });

  it('the kubelet time and the pod prefix of a live document line', () => {
    const [entry] = tagged(`${record}\n`, 'gw-7d9f-abcde');
    assert.ok(entry);
    const line = renderEntry(entry, entry.pod)[0] ?? '';
    const prefix = linePrefix(line);
    assert.equal(prefix.pod?.name, 'gw-7d9f-abcde');
    assert.equal(line.slice(prefix.body), record);
    assert.equal(hoverTargetAt(line, 3)?.kind, 'pod');
    assert.equal(at(line, '2026-11-27T', 5)?.kind, 'kubeletTime');
    // Targets after the prefix are found as on the bare line, shifted.
    const status = at(line, ': 404', 2);
    assert.equal(status?.kind, 'status');
    assert.equal(status?.start, line.indexOf(': 404') + 2);
    assert.equal(linePrefix('[pod/gw/gateway] 2026-11-27T15:15:11.704000000Z x').pod?.name, 'gw', 'kubectl --prefix with a container');
    assert.equal(linePrefix('[pod/has space] x').pod, undefined);
  });

  it('hover text for the seed record: the 404 says OperationNotFound and no backend was reached', () => {
    const entries = tagged(fixture('seed-blog-v1.log'));
    const seedRecord = entries.find((e) => e.request?.correlationId === '752afbf2-7a10-4655-b1b0-6b8221ea612d');
    assert.ok(seedRecord);
    const text = hoverMarkdownText(record, record.indexOf(': 404') + 2, seedRecord);
    assert.match(text, /^\*\*404 Not Found\*\*/);
    assert.match(text, /lastError\.reason` is \*\*OperationNotFound\*\*/);
    assert.match(text, /protocols/);
    const reason = hoverMarkdownText(reasonLine, reasonLine.indexOf('OperationNotFound'), seedRecord);
    assert.match(reason, /Here: source `configuration`, section `backend`\./);
  });
});
