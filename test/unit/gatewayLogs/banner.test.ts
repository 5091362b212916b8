// The start-up banner as one entry: grouped by the parser in any chunking, kept line for line, and nothing else
// swallowed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GatewayLogParser, parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { parseGatewayLogLazy } from '../../../src/gatewayLogs/lazy.ts';

const v2 = readFileSync(new URL('../../fixtures/gateway-logs/generated/v2-text.log', import.meta.url), 'utf8');

describe('start-up banner', () => {
  it('is one entry of the 2.x log, its text kept, followed by the first [Info] record', () => {
    const entries = parseGatewayLog(v2);
    const [banner, next] = entries;
    assert.ok(banner && next);
    assert.equal(banner.kind, 'text');
    assert.equal(banner.raw.length, 24);
    assert.deepEqual(banner.raw, v2.split('\n').slice(0, 24));
    assert.deepEqual(banner.fields, { version: '2.3.0.0', commit: 'eb6c705d5f1677825e2d7d4e156f6f1de1fe4309' });
    assert.equal(next.line, 25);
    assert.equal(next.event, 'HostBootstrapperStarting');
  });

  it('is the same entry however the stream is cut into chunks, and the same from the lazy parse', () => {
    const whole = parseGatewayLog(v2);
    for (const size of [1, 7, 100, 4096]) {
      const parser = new GatewayLogParser();
      const got = [];
      for (let i = 0; i < v2.length; i += size) got.push(...parser.push(v2.slice(i, i + size)));
      got.push(...parser.end());
      assert.deepEqual(got, whole, `chunks of ${size}`);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(parseGatewayLogLazy(v2).slice(0, 2))), JSON.parse(JSON.stringify(whole.slice(0, 2))));
  });

  it('ends at the first line that is not plain text, and leaves text that merely mentions the notice alone', () => {
    const entries = parseGatewayLog('(c) Microsoft Corporation. All rights reserved.\n\nart\n[Info] 2023-08-25T10:55:58.122 [HostBootstrapperStarting]\nplain\n');
    assert.deepEqual(entries.map((e) => e.raw.length), [3, 1, 1]);
    assert.equal(entries[0]?.message, 'Gateway start-up banner (3 lines)');
    const alone = parseGatewayLog('see (c) Microsoft Corporation\nnext\n');
    assert.deepEqual(alone.map((e) => e.raw.length), [1, 1]);
  });

  it('a live stream that goes quiet releases the banner gathered so far', () => {
    const parser = new GatewayLogParser();
    assert.deepEqual(parser.push('(c) Microsoft Corporation. All rights reserved.\nart\n'), []);
    const released = parser.flush();
    assert.equal(released.length, 1);
    assert.deepEqual(released[0]?.raw, ['(c) Microsoft Corporation. All rights reserved.', 'art']);
  });
});
