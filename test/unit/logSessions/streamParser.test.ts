import { kubeletOrderKey } from '../../../src/logSessions/merge.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubeletTime, type KubeletTime } from '../../../src/kubernetes/kubeletLines.ts';
import { StreamParser } from '../../../src/logSessions/streamParser.ts';

const t = (n: number): KubeletTime => parseKubeletTime(`2026-11-27T15:00:00.${String(n).padStart(9, '0')}Z`) as KubeletTime;

describe('StreamParser', () => {
  it('holds the newest entry until the next line or a flush, and keeps line numbers and kubelet times right across flushes', () => {
    const parser = new StreamParser('gw-1');
    assert.deepEqual(parser.push(['[Info] 2026-11-27T15:00:00.000 [A]', '[Error] 2026-11-27T15:00:00.000 [B], exception: E'], [t(1), t(2)], [1, 2]).map((e) => e.event), ['A']);
    assert.equal(parser.openFrom, 2);
    const flushed = parser.flush();
    assert.deepEqual(flushed.map((e) => [e.event, e.line, e.kubeletTime?.raw, e.pod]), [['B', 2, t(2).raw, 'gw-1']]);
    assert.equal(parser.openFrom, undefined, 'nothing held after a flush');
    assert.deepEqual(parser.flush(), [], 'a second flush has nothing to give');
    // After the flush, a late stack frame is its own entry (the record was already shown); numbering carries on.
    const later = parser.push(['   at X.Y()', '[Info] 2026-11-27T15:00:00.000 [C]'], [t(3), t(4)], [3, 4]);
    assert.deepEqual(later.map((e) => [e.kind, e.line, e.kubeletTime?.raw]), [['text', 3, t(3).raw]]);
    assert.deepEqual(parser.end().map((e) => [e.event, e.line, e.kubeletTime?.raw]), [['C', 4, t(4).raw]]);
  });

  it('bounds the kubelet time of what it holds, so several streams can be released in time order', () => {
    const parser = new StreamParser('gw-1');
    assert.equal(parser.openTime, undefined, 'nothing pushed');
    parser.push(['[Info] 2026-11-27T15:00:00.000 [A]'], [t(5_000_000)], [1]);
    assert.equal(parser.openTime, kubeletOrderKey(t(5_000_000)), 'the held entry starts at its first line');
    parser.push(['[Error] 2026-11-27T15:00:00.000 [GatewayLogs], isRequestSuccess: false, lastError: {', '  "reason": "X"'], [t(7_000_000), t(8_000_000)], [2, 3]);
    assert.equal(parser.openTime, kubeletOrderKey(t(7_000_000)), 'A returned; the record held from its first line, not its newest');
    assert.deepEqual(parser.flush().map((e) => e.kind), ['request']);
    assert.equal(parser.openTime, undefined, 'nothing held after a flush');
    parser.push(['[Info] 2026-11-27T15:00:00.000 [B]'], [t(9_000_000)], [4]);
    assert.equal(parser.openTime, kubeletOrderKey(t(9_000_000)));
    for (let i = 0; i < 6000; i++) parser.push([`[Info] 2026-11-27T15:00:00.000 [E${i}]`], [t(10_000_000 + i * 1000)], [5 + i]);
    assert.equal(parser.openTime, kubeletOrderKey(t(10_000_000 + 5999 * 1000)), 'right after the kept times were compacted');
  });

  it('tags each entry with the time of its first line, also for records spanning pushes', () => {
    const parser = new StreamParser(undefined);
    const out = [
      ...parser.push(['[Error] 2026-11-27T15:00:00.000 [GatewayLogs], isRequestSuccess: false, lastError: {'], [t(10)], [7]),
      ...parser.push(['  "reason": "X"', '}'], [t(11), t(12)], [8, 9]),
      ...parser.push(['[Info] 2026-11-27T15:00:00.000 [D]'], [t(13)], [10]),
      ...parser.end(),
    ];
    assert.deepEqual(out.map((e) => [e.kind, e.line, e.raw.length, e.kubeletTime?.raw, e.pod]), [
      ['request', 7, 3, t(10).raw, undefined],
      ['event', 10, 1, t(13).raw, undefined],
    ]);
  });
});
