// A record's fields as shown: a key the gateway wrote twice (2.x repeats `correlationId`) is one row, or two rows
// with labels that say which is which when the values differ.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { displayFields } from '../../../src/gatewayLogs/displayFields.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { toEntryDetails } from '../../../src/panels/gatewayLogsRows.ts';

const v2 = parseGatewayLog(readFileSync(new URL('../../fixtures/gateway-logs/generated/v2-text.log', import.meta.url), 'utf8'));

describe('displayFields', () => {
  it('shows a 2.x request record\'s repeated correlationId once, in the log details', () => {
    const record = v2.find((e) => e.kind === 'request');
    assert.ok(record);
    assert.ok('correlationId#2' in record.fields, 'the parser keeps the repeat (nothing is lost)');
    const details = toEntryDetails({ ...record, seq: 1 });
    const names = details.fields.map(([k]) => k);
    assert.deepEqual(names.filter((k) => k.startsWith('correlationId')), ['correlationId']);
    assert.ok(!names.some((k) => k.includes('#')), names.join(', '));
  });

  it('labels a repeat whose value differs, and keeps order', () => {
    assert.deepEqual(displayFields({ a: '1', b: '2', 'a#2': '3', 'a#3': '1', 'b#2': '2' }), [
      ['a', '1'],
      ['b', '2'],
      ['a (2nd time)', '3'],
    ]);
    assert.deepEqual(displayFields({ 'x#2': 'no x before it', 'y#11': '1', y: '2' }), [
      ['x#2', 'no x before it'],
      ['y (11th time)', '1'],
      ['y', '2'],
    ]);
  });
});
