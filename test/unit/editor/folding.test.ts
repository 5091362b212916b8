import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldingRanges, type FoldSpan } from '../../../src/editor/folding.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { fixture } from './helpers.ts';

function spansOf(text: string): FoldSpan[] {
  return parseGatewayLog(text).map((e) => ({ start: e.line - 1, lines: e.raw, kind: e.kind }));
}

/** 0-based line of the first line containing `needle` (after `from`). */
function lineOf(text: string, needle: string, from = 0): number {
  const i = text.split('\n').findIndex((l, n) => n >= from && l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

describe('editor folding', () => {
  it('folds the seed blog: the banner as one comment block and each request record with its lastError', () => {
    const text = fixture('seed-blog-v1.log');
    const ranges = foldingRanges(spansOf(text));
    const banner = ranges.find((r) => r.start === 0);
    assert.deepEqual(banner, { start: 0, end: lineOf(text, 'commit: a1434b5'), kind: 'comment' });
    const first = lineOf(text, '752afbf2-7a10-4655-b1b0-6b8221ea612d');
    const second = lineOf(text, '1153a239-f5b3-456e-a684-1e6a6bd19e65');
    assert.ok(ranges.some((r) => r.start === first && r.end === first + 6 && r.kind === undefined), 'first record with its 6 lastError lines');
    assert.ok(ranges.some((r) => r.start === second && r.end === second + 5), 'second record');
    // ASP.NET's "Hosting environment / Content root / Now listening" lines are a run of text too.
    const hosting = lineOf(text, 'Hosting environment: Production');
    assert.ok(ranges.some((r) => r.start === hosting && r.end === hosting + 3 && r.kind === 'comment'));
  });

  it('folds the errors array inside a record, keeping its closing bracket visible', () => {
    const text = fixture('v2-text.log');
    const ranges = foldingRanges(spansOf(text));
    const record = lineOf(text, '9a1d4b77-3e2f-4f0c-8c55-1d2e3f4a5b6c');
    const errorsOpen = lineOf(text, '}, errors: [', record);
    const errorsClose = lineOf(text, '], correlationId:', record);
    const objectOpen = errorsOpen + 1;
    assert.ok(ranges.some((r) => r.start === record && r.end === errorsClose), 'the whole record');
    assert.ok(ranges.some((r) => r.start === errorsOpen && r.end === errorsClose - 1), 'the errors array');
    assert.ok(ranges.some((r) => r.start === objectOpen && r.end === errorsClose - 2), 'the error object inside it');
    // An exception with its stack trace folds as one entry.
    const exception = lineOf(text, '[ConfigInitialSyncFailed]');
    assert.ok(ranges.some((r) => r.start === exception && r.end === lineOf(text, 'ConfigurationClient.cs:line 88')));
  });

  it('gives VS Code ranges it accepts: start before end, no two ranges starting on one line, nested or apart', () => {
    for (const name of ['seed-blog-v1.log', 'v2-text.log', 'v2-json.log', 'generated/v1-text.log', 'generated/v2-text.log', 'generated/json.log']) {
      const ranges = foldingRanges(spansOf(fixture(name)));
      assert.ok(ranges.length > 0, name);
      const starts = new Set<number>();
      for (const r of ranges) {
        assert.ok(r.start < r.end, `${name}: ${r.start}-${r.end}`);
        assert.ok(!starts.has(r.start), `${name}: two ranges start on line ${r.start}`);
        starts.add(r.start);
      }
      for (const a of ranges) {
        for (const b of ranges) {
          const crossing = a.start < b.start && b.start <= a.end && a.end < b.end;
          assert.ok(!crossing, `${name}: ${a.start}-${a.end} crosses ${b.start}-${b.end}`);
        }
      }
    }
  });

  it('does not fold single-line entries or notices', () => {
    const ranges = foldingRanges([
      { start: 0, lines: ['[Info] x [A]'], kind: 'event' },
      { start: 1, lines: ['# notice'], kind: 'notice' },
      { start: 2, lines: ['[Info] y [B]'], kind: 'event' },
    ]);
    assert.deepEqual(ranges, []);
  });
});
