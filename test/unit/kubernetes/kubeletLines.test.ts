import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ResumePoint,
  compareKubeletTime,
  parseKubeletTime,
  sinceTimeFor,
  splitKubectlPrefix,
  splitKubeletStamp,
  type KubeletTime,
} from '../../../src/kubernetes/kubeletLines.ts';

describe('kubelet timestamps', () => {
  it('splits the RFC3339Nano stamp that timestamps=true puts before each line', () => {
    const { time, text } = splitKubeletStamp('2026-11-27T15:15:11.704000123Z [Info] 2026-11-27T15:15:11.704 [TenantStarted]');
    assert.equal(text, '[Info] 2026-11-27T15:15:11.704 [TenantStarted]');
    assert.equal(time?.raw, '2026-11-27T15:15:11.704000123Z');
    assert.equal(time?.nanos, 704_000_123);
    assert.equal(time?.ms, Date.parse('2026-11-27T15:15:11.704Z'));
  });

  it('reads fewer digits and numeric offsets, and leaves lines without a stamp alone', () => {
    const t = splitKubeletStamp('2026-11-27T16:15:11.5+01:00 x').time;
    assert.equal(t?.ms, Date.parse('2026-11-27T15:15:11.500Z'));
    assert.equal(t?.nanos, 500_000_000);
    for (const line of ['[Info] 2026-11-27T15:15:11.704 x', '2026-11-27T15:15:11Zx', '2021-06-3T03:25:12.570 x', '', '2026-13-45T99:99:99Z x']) {
      const split = splitKubeletStamp(line);
      assert.equal(split.time, undefined, line);
      assert.equal(split.text, line);
    }
    assert.equal(splitKubeletStamp('2026-11-27T15:15:11Z ').text, '', 'an empty line keeps its stamp');
  });

  it('reads the usual stamp without its regex exactly as with it, whatever lines come before (property)', () => {
    // The reference: the stamp's grammar and Date.parse, with no memo.
    const reference = (line: string): { time: KubeletTime | undefined; text: string } => {
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) /.exec(line);
      const ms = m ? Date.parse(`${m[1]}${m[3]}`) : Number.NaN;
      if (!m || Number.isNaN(ms)) return { time: undefined, text: line };
      const seconds = Math.floor(ms / 1000);
      const nanos = m[2] ? Number(m[2].padEnd(9, '0')) : 0;
      return { time: { raw: m[0].slice(0, -1), seconds, nanos, ms: seconds * 1000 + Math.floor(nanos / 1e6) }, text: line.slice(m[0].length) };
    };
    const second = fc.constantFrom('2026-11-27T15:15:11', '2026-11-27T15:15:12', '2026-13-45T99:99:99', '2026-02-30T10:00:00');
    const fraction = fc.oneof(fc.stringMatching(/^\.\d{9}$/), fc.stringMatching(/^\.\d{1,9}$/), fc.constantFrom('', '.12345678x', '.1234567890'));
    const zone = fc.constantFrom('Z', 'Z', '+01:00', 'z', '');
    const rest = fc.constantFrom(' [Info] x', ' ', 'x', '  two spaces', '');
    const line = fc.tuple(second, fraction, zone, rest).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        for (const l of lines) assert.deepEqual(splitKubeletStamp(l), reference(l), l);
      }),
    );
  });

  it('orders to the nanosecond and resumes from the whole second (sinceTime)', () => {
    const a = parseKubeletTime('2026-11-27T15:15:11.000000001Z') as KubeletTime;
    const b = parseKubeletTime('2026-11-27T15:15:11.000000002Z') as KubeletTime;
    assert.ok(compareKubeletTime(a, b) < 0);
    assert.equal(sinceTimeFor(b), '2026-11-27T15:15:11Z');
    assert.equal(parseKubeletTime('2026-11-27T15:15:11.1Z x'), undefined);
  });

  it('splits kubectl --prefix and keeps other bracketed lines', () => {
    assert.deepEqual(splitKubectlPrefix('[pod/gw-7d9-abcde/gateway] [Info] x'), { pod: 'gw-7d9-abcde', container: 'gateway', text: '[Info] x' });
    assert.deepEqual(splitKubectlPrefix('[Info] x'), { pod: undefined, container: undefined, text: '[Info] x' });
    assert.deepEqual(splitKubectlPrefix('[pod/a b/c] x').pod, undefined);
  });
});

describe('resuming a stream from the last kubelet timestamp', () => {
  const at = (second: number, nanos: number): string =>
    `${new Date(Date.UTC(2026, 10, 27, 15, 0, second)).toISOString().slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`;

  it('drops the repeated second up to the last line read, including lines that share its stamp', () => {
    const point = new ResumePoint();
    const log = [
      [at(1, 5), 'a'],
      [at(2, 1), 'b'],
      [at(2, 7), 'c'],
      [at(2, 7), 'c'],
      [at(2, 7), 'd'],
      [at(3, 0), 'e'],
    ] as const;
    // Read up to the first two lines stamped 2.000000007 ('c', 'c'), then the stream was cut.
    for (const [stamp, text] of log.slice(0, 4)) point.record(parseKubeletTime(stamp) as KubeletTime, text);
    assert.equal(point.sinceTime(), '2026-11-27T15:00:02Z');
    const filter = point.resumeFilter();
    // What the server sends for sinceTime=…:02Z: every line from that second on.
    const accepted = log.slice(1).filter(([stamp, text]) => filter.accept(parseKubeletTime(stamp), text)).map(([, text]) => text);
    assert.deepEqual(accepted, ['d', 'e']);
    assert.equal(filter.done, true);
  });

  it('continues exactly where it stopped, for any log and any cut (property)', () => {
    // Stamps with few distinct values, so many lines share a second and some share a stamp.
    const lineArb = fc.record({ second: fc.integer({ min: 0, max: 3 }), nanos: fc.integer({ min: 0, max: 3 }), text: fc.constantFrom('x', 'y', 'z', '') });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), fc.nat(), (raw, cutSeed) => {
        const log = raw
          .map((l) => ({ stamp: at(l.second, l.nanos), text: l.text }))
          .sort((p, q) => (p.stamp < q.stamp ? -1 : p.stamp > q.stamp ? 1 : 0));
        const cut = cutSeed % (log.length + 1);
        const point = new ResumePoint();
        const delivered: string[] = [];
        for (const line of log.slice(0, cut)) {
          point.record(parseKubeletTime(line.stamp) as KubeletTime, line.text);
          delivered.push(`${line.stamp} ${line.text}`);
        }
        const since = point.sinceTime();
        const filter = point.resumeFilter();
        // The API's answer to sinceTime: lines stamped at or after that whole second.
        const resent = since === undefined ? log : log.filter((l) => l.stamp >= since.replace('Z', '.000000000Z'));
        for (const line of resent) {
          if (filter.accept(parseKubeletTime(line.stamp), line.text)) delivered.push(`${line.stamp} ${line.text}`);
        }
        assert.deepEqual(delivered, log.map((l) => `${l.stamp} ${l.text}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a line without a stamp rather than risk losing it', () => {
    const point = new ResumePoint();
    point.record(parseKubeletTime(at(1, 0)) as KubeletTime, 'a');
    assert.equal(point.resumeFilter().accept(undefined, 'a'), true);
  });
});
