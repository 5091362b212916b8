import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KubeletOrder } from '../../../src/logSessions/merge.ts';

type E = { pod: string; n: number; kubeletTime?: { raw: string; value?: number; assumedUtc: boolean } };
const at = (pod: string, n: number, value?: number): E => ({ pod, n, ...(value === undefined ? {} : { kubeletTime: { raw: String(value), value, assumedUtc: false } }) });
const names = (entries: readonly E[]): string[] => entries.map((e) => `${e.pod}${e.n}`);

describe('KubeletOrder', () => {
  it('holds what is newer than the bound, and merges pods by kubelet time across releases', () => {
    const order = new KubeletOrder<E>();
    order.push('a', [at('a', 1, 10), at('a', 2, 30)], 0);
    order.push('b', [at('b', 1, 20)], 0);
    // b may still deliver anything from 20 on: only a1 and b1 can go.
    assert.deepEqual(names(order.release(20)), ['a1', 'b1']);
    assert.equal(order.size, 1);
    // b's next line comes late, but older than a2, which was held for it.
    order.push('b', [at('b', 2, 25), at('b', 3, 40)], 5);
    assert.deepEqual(names(order.release(40)), ['b2', 'a2', 'b3']);
    assert.equal(order.size, 0);
    assert.deepEqual(order.release(Number.POSITIVE_INFINITY), []);
  });

  it('lets an entry that waited long enough go, with everything up to its time and nothing newer', () => {
    const order = new KubeletOrder<E>();
    order.push('a', [at('a', 1, 10), at('a', 2, 50)], 0);
    order.push('b', [at('b', 1, 20), at('b', 2, 60)], 100);
    // The bound says nothing can go; a1 and a2 waited since 0, so they go, with b1 (older than a2) but not b2.
    assert.deepEqual(names(order.release(Number.NEGATIVE_INFINITY, 0)), ['a1', 'b1', 'a2']);
    assert.equal(order.size, 1);
    assert.deepEqual(names(order.releaseAll()), ['b2']);
  });

  it('keeps an entry without a time, or with a time set back, right after the entry before it', () => {
    const order = new KubeletOrder<E>();
    order.push('a', [at('a', 1, 10), at('a', 2), at('a', 3, 5), at('a', 4, 30)], 0);
    order.push('b', [at('b', 1, 5), at('b', 2, 20)], 0);
    assert.deepEqual(names(order.releaseAll()), ['b1', 'a1', 'a2', 'a3', 'b2', 'a4']);
  });

  it('releases entries of the same time in the order they arrived', () => {
    const order = new KubeletOrder<E>();
    order.push('b', [at('b', 1, 10)], 0);
    order.push('a', [at('a', 1, 10)], 1);
    order.push('b', [at('b', 2, 10)], 2);
    assert.deepEqual(names(order.releaseAll()), ['b1', 'a1', 'b2']);
  });

  const streams = fc.array(
    fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }).map((d) => {
      let t = 0;
      return d.map((x) => (t += x));
    }),
    { minLength: 1, maxLength: 6 },
  );
  /** Steps: push the next 1–4 entries of a stream, or release (with or without a forced part). */
  const steps = fc.array(fc.record({ stream: fc.nat(), count: fc.integer({ min: 1, max: 4 }), release: fc.boolean(), force: fc.nat({ max: 3 }) }), { maxLength: 120 });

  it('loses nothing, keeps each pod in order and releases each batch in time order, whatever the bounds', () => {
    fc.assert(
      fc.property(streams, steps, fc.array(fc.integer({ min: -10, max: 2000 }), { minLength: 1 }), (times, plan, bounds) => {
        const order = new KubeletOrder<E>();
        const next = times.map(() => 0);
        const out: E[] = [];
        let clock = 0;
        plan.forEach((step, k) => {
          clock++;
          const p = step.stream % times.length;
          const s = times[p] ?? [];
          const from = next[p] ?? 0;
          const take = s.slice(from, from + step.count).map((t, i) => at(String(p), from + i, t));
          next[p] = from + take.length;
          order.push(String(p), take, clock);
          if (step.release) {
            const batch = order.release(bounds[k % bounds.length] ?? 0, clock - step.force);
            for (let i = 1; i < batch.length; i++) assert.ok((batch[i - 1]?.kubeletTime?.value ?? 0) <= (batch[i]?.kubeletTime?.value ?? 0), 'a batch is in time order');
            out.push(...batch);
          }
        });
        out.push(...order.releaseAll());
        assert.equal(order.size, 0);
        for (let p = 0; p < times.length; p++) {
          assert.deepEqual(out.filter((e) => e.pod === String(p)).map((e) => e.n), Array.from({ length: next[p] ?? 0 }, (_, i) => i), 'every entry once, in its pod\'s order');
        }
      }),
    );
  });

  it('gives one time-ordered sequence across releases when each bound is kept (no pod delivers older later)', () => {
    fc.assert(
      fc.property(streams, steps, (times, plan) => {
        const order = new KubeletOrder<E>();
        const next = times.map(() => 0);
        const out: E[] = [];
        for (const step of plan) {
          const p = step.stream % times.length;
          const s = times[p] ?? [];
          const from = next[p] ?? 0;
          const take = s.slice(from, from + step.count).map((t, i) => at(String(p), from + i, t));
          next[p] = from + take.length;
          order.push(String(p), take, 0);
          if (step.release) {
            // The honest bound: the oldest time any stream has still to deliver.
            const bound = Math.min(...times.map((t, i) => t[next[i] ?? 0] ?? Number.POSITIVE_INFINITY));
            out.push(...order.release(bound));
          }
        }
        out.push(...order.releaseAll());
        for (let i = 1; i < out.length; i++) assert.ok((out[i - 1]?.kubeletTime?.value ?? 0) <= (out[i]?.kubeletTime?.value ?? 0), `in time order at ${i}`);
        assert.equal(out.length, next.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
