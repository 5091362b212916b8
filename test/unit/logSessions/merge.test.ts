import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mergeByKubeletTime } from '../../../src/logSessions/merge.ts';

type E = { pod: string; n: number; kubeletTime?: { raw: string; value?: number; assumedUtc: boolean } };
const at = (pod: string, n: number, value?: number): E => ({ pod, n, ...(value === undefined ? {} : { kubeletTime: { raw: String(value), value, assumedUtc: false } }) });

describe('mergeByKubeletTime', () => {
  it('interleaves pods by kubelet time, keeping each pod in order', () => {
    const batch = [at('a', 1, 10), at('a', 2, 30), at('b', 1, 20), at('b', 2, 40)];
    assert.deepStrictEqual(mergeByKubeletTime(batch).map((e) => `${e.pod}${e.n}`), ['a1', 'b1', 'a2', 'b2']);
  });

  it('keeps an entry without a time after the entry before it', () => {
    const batch = [at('a', 1, 10), at('a', 2), at('b', 1, 5)];
    assert.deepStrictEqual(mergeByKubeletTime(batch).map((e) => `${e.pod}${e.n}`), ['b1', 'a1', 'a2']);
  });

  it('gives a time-ordered, stable permutation of any pods\' ordered streams', () => {
    const stream = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }).map((d) => {
      let t = 0;
      return d.map((x) => (t += x));
    });
    fc.assert(
      fc.property(fc.array(stream, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 200 }), (streams, picks) => {
        // Batch order: pods take turns as the picks say (each pod's lines stay in its order).
        const next = streams.map(() => 0);
        const batch: E[] = [];
        for (const pick of [...picks, ...streams.flatMap((s, i) => s.map(() => i))]) {
          const p = pick % streams.length;
          const s = streams[p] ?? [];
          const i = next[p] ?? 0;
          if (i < s.length) {
            batch.push(at(String(p), i, s[i]));
            next[p] = i + 1;
          }
        }
        const merged = mergeByKubeletTime(batch.slice());
        assert.equal(merged.length, batch.length);
        for (let i = 1; i < merged.length; i++) {
          const a = merged[i - 1] as E;
          const b = merged[i] as E;
          assert.ok((a.kubeletTime?.value ?? 0) <= (b.kubeletTime?.value ?? 0), 'time order');
          if (a.pod === b.pod) assert.ok(a.n < b.n, 'pod order kept');
        }
        for (let p = 0; p < streams.length; p++) {
          assert.deepStrictEqual(merged.filter((e) => e.pod === String(p)).map((e) => e.n), (streams[p] ?? []).map((_, i) => i));
        }
      }),
    );
  });
});
