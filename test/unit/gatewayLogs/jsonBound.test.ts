// No JSON.parse on more than the maximum line length: V8's parser is superlinear on deeply nested input, and a line
// past the maximum is cut by the follower anyway. Such a line is kept whole in `raw`; only its level and time are read
// by name (bounded), with a note saying why the rest was not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_CHARS } from '../../../src/gatewayLogs/json.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';

describe('JSON records and the maximum line length', () => {
  it('never hands JSON.parse more than MAX_JSON_CHARS, and keeps the longer line whole with a note', () => {
    const line = `{"timestamp":"2023-08-25T10:56:02Z","level":"Info","message":"${'m'.repeat(2 * MAX_JSON_CHARS)}"}`;
    const parse = JSON.parse;
    let longest = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      longest = Math.max(longest, text.length);
      return parse(text, reviver) as unknown;
    }) as typeof JSON.parse;
    let entries;
    try {
      entries = parseGatewayLog(`${line}\n{"timestamp":"2023-08-25T10:56:03Z","level":"Info","message":"short"}\n`);
    } finally {
      JSON.parse = parse;
    }
    assert.ok(longest <= MAX_JSON_CHARS, `JSON.parse got ${longest} characters`);
    assert.equal(entries.length, 2);
    assert.equal(entries[0]?.raw[0]?.length, line.length, 'kept whole in raw');
    assert.notEqual(entries[0]?.kind, 'request');
    assert.match(entries[0]?.notes?.join(' ') ?? '', /longer than \d+ characters, so not parsed as JSON/);
    assert.equal(entries[1]?.format, 'json');
  });
});
