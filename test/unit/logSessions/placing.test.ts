import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PlacingBuffer, SEQ_STEP } from '../../../src/logSessions/buffer.ts';
import { KubeletOrder, orderKey } from '../../../src/logSessions/merge.ts';
import { compileBulkFilter, compileFilter, EMPTY_FILTER } from '../../../src/webview/gatewayLogs/filter.ts';
import { FilteredView, RowStore } from '../../../src/webview/gatewayLogs/store.ts';
import { row } from '../webview/rows.ts';

type E = { pod: string; n: number; seq: number; kubeletTime?: { raw: string; value: number; assumedUtc: boolean } };
const at = (pod: string, n: number, value: number): E => ({ pod, n, seq: 0, kubeletTime: { raw: String(value), value, assumedUtc: false } });
const names = (entries: readonly E[]): string[] => entries.map((e) => `${e.pod}${e.n}`);
const seqsOf = (list: { length: number; at(i: number): { seq: number } | undefined }): number[] => Array.from({ length: list.length }, (_, i) => list.at(i)?.seq ?? -1);

describe('PlacingBuffer', () => {
  it('gives entries that come in order seqs SEQ_STEP apart, and a late entry a seq between its neighbours', () => {
    const buffer = new PlacingBuffer<E>(10);
    const a = [at('a', 1, 10), at('a', 2, 20), at('a', 3, 30)];
    assert.deepEqual(buffer.place(a, [10, 20, 30]), { dropped: 0, inserted: 0, misplaced: 0 });
    assert.deepEqual(a.map((e) => e.seq), [SEQ_STEP, 2 * SEQ_STEP, 3 * SEQ_STEP]);
    // b's lines come after a's newer ones: b1 goes between a1 and a2, b2 after a2 (a tie: the entry already there first).
    const b = [at('b', 1, 15), at('b', 2, 20), at('b', 3, 40)];
    assert.deepEqual(buffer.place(b, [15, 20, 40]), { dropped: 0, inserted: 2, misplaced: 0 });
    assert.deepEqual(names(buffer.snapshot()), ['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
    const seqs = buffer.snapshot().map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
    assert.ok(seqs.every((s) => Number.isSafeInteger(s)) && new Set(seqs).size === seqs.length);
    assert.equal(buffer.last()?.seq, 4 * SEQ_STEP);
  });

  it('lets the oldest go when full, and a late entry older than everything kept at once, counting both', () => {
    const buffer = new PlacingBuffer<E>(3);
    buffer.place([at('a', 1, 10), at('a', 2, 20), at('a', 3, 30)], [10, 20, 30]);
    // b1 belongs between a2 and a3: a1 goes.
    assert.deepEqual(buffer.place([at('b', 1, 25)], [25]), { dropped: 1, inserted: 1, misplaced: 0 });
    assert.deepEqual(names(buffer.snapshot()), ['a2', 'b1', 'a3']);
    // b2 is older than a2: it would be the oldest, so it is the one let go.
    const late = at('b', 2, 12);
    assert.deepEqual(buffer.place([late], [12]), { dropped: 1, inserted: 1, misplaced: 0 });
    assert.deepEqual(names(buffer.snapshot()), ['a2', 'b1', 'a3']);
    assert.ok(late.seq > SEQ_STEP && late.seq < 2 * SEQ_STEP, `seq ${late.seq} above a1's, which was let go`);
    assert.equal(buffer.droppedCount, 2);
    assert.throws(() => new PlacingBuffer(0), /maxEntries must be a whole number/);
  });

  it('when no seq is left between two neighbours, places what does not fit after the next entry and counts it', () => {
    const buffer = new PlacingBuffer<E>(SEQ_STEP + 10);
    buffer.place([at('a', 1, 0), at('a', 2, 10)], [0, 10]);
    const fit = Array.from({ length: SEQ_STEP - 1 }, (_, i) => at('b', i, 5));
    assert.deepEqual(buffer.place(fit, fit.map(() => 5)), { dropped: 0, inserted: SEQ_STEP - 1, misplaced: 0 });
    const over = [at('c', 1, 5), at('c', 2, 6)];
    assert.deepEqual(buffer.place(over, [5, 6]), { dropped: 0, inserted: 0, misplaced: 2 });
    const all = buffer.snapshot();
    assert.deepEqual(names(all.slice(-3)), ['a2', 'c1', 'c2']);
    assert.equal(all.length, SEQ_STEP + 3);
    for (let i = 1; i < all.length; i++) assert.ok((all[i]?.seq ?? 0) > (all[i - 1]?.seq ?? 0), 'seqs increase');
    assert.equal(buffer.misplacedCount, 2);
    // What comes next is placed by the key the misplaced entries took (a2's): after them.
    buffer.place([at('d', 1, 10)], [10]);
    assert.deepEqual(names(buffer.snapshot().slice(-2)), ['c2', 'd1']);
  });

  it('has room for hundreds of late entries of one millisecond, each after the last (ties keep arrival order)', () => {
    const buffer = new PlacingBuffer<E>(1000);
    buffer.place([at('a', 1, 10), at('a', 2, 11)], [10, 11]);
    for (let i = 0; i < 250; i++) buffer.place([at('b', i, 10)], [10]);
    // And some that go before all of those, one at a time.
    for (let i = 0; i < 5; i++) buffer.place([at('c', i, 9)], [9]);
    assert.equal(buffer.misplacedCount, 0);
    assert.deepEqual(names(buffer.snapshot()).slice(0, 7), ['c0', 'c1', 'c2', 'c3', 'c4', 'a1', 'b0']);
    assert.equal(names(buffer.snapshot()).at(-1), 'a2');
  });

  it('orders by the stamp past the millisecond (a kubelet stamps to the nanosecond)', () => {
    const time = (raw: string): { raw: string; value: number; assumedUtc: boolean } => ({ raw, value: Math.floor(Date.parse(raw)), assumedUtc: false });
    const early = orderKey(time('2026-11-27T15:15:11.704000123Z')) ?? 0;
    const late = orderKey(time('2026-11-27T15:15:11.704999Z')) ?? 0;
    assert.ok(early > Date.parse('2026-11-27T15:15:11.704Z') && early < late && late < Date.parse('2026-11-27T15:15:11.705Z'));
    assert.equal(orderKey(time('2026-11-27T15:15:11Z')), Date.parse('2026-11-27T15:15:11Z'));
  });

  // Each pod's kubelet times in order, with many ties; pushes and releases interleaved at random, with any bound and
  // any forced release: pods' lines arriving at any moment, late or early.
  const streams = fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }).map((t) => [...t].sort((a, b) => a - b)), { minLength: 1, maxLength: 5 });
  const steps = fc.array(fc.record({ stream: fc.nat(), count: fc.integer({ min: 1, max: 4 }), release: fc.boolean(), force: fc.nat({ max: 3 }), bound: fc.integer({ min: -5, max: 70 }), frame: fc.boolean() }), { maxLength: 120 });

  it('for any arrival interleaving, the buffer and the view that mirrors it end in merged time order, losing nothing (property)', () => {
    fc.assert(
      fc.property(streams, steps, fc.integer({ min: 1, max: 250 }), fc.boolean(), (times, plan, cap, bulk) => {
        const order = new KubeletOrder<E>();
        const buffer = new PlacingBuffer<E>(cap);
        const store = new RowStore(cap);
        const view = new FilteredView();
        const filter = { ...EMPTY_FILTER, text: 'keep' };
        view.rebuild(store, compileFilter(filter));
        const pushed: E[] = [];
        const next = times.map(() => 0);
        let clock = 0;
        const deliver = (batch: E[], keys: number[]): void => {
          buffer.place(batch, keys);
          // As the provider posts them: one row per entry, in the order the session announced them.
          store.append(batch.map((e) => row(e.seq, { pod: e.pod, search: e.n % 2 === 0 ? 'keep' : 'skip' })));
        };
        for (const step of plan) {
          clock++;
          const p = step.stream % times.length;
          const from = next[p] ?? 0;
          const take = (times[p] ?? []).slice(from, from + step.count).map((t, i) => at(String(p), from + i, t));
          next[p] = from + take.length;
          pushed.push(...take);
          order.push(String(p), take, clock);
          if (step.release) {
            const keys: number[] = [];
            deliver(order.release(step.bound, clock - step.force, keys), keys);
          }
          if (step.frame) {
            view.trimTo(store);
            view.extend(store);
          }
        }
        const keys: number[] = [];
        deliver(order.releaseAll(keys), keys);
        view.trimTo(store);
        view.extend(store);

        const kept = buffer.snapshot();
        const time = (e: E): number => e.kubeletTime?.value ?? 0;
        assert.equal(kept.length + buffer.droppedCount, pushed.length, 'every entry kept or counted as let go');
        assert.equal(kept.length, Math.min(cap, pushed.length));
        for (let i = 1; i < kept.length; i++) {
          assert.ok(time(kept[i - 1] as E) <= time(kept[i] as E), `in kubelet-time order at ${i}`);
          assert.ok((kept[i - 1] as E).seq < (kept[i] as E).seq, 'seqs increase');
        }
        // What was let go is what the order puts first: nothing kept is older than anything let go.
        const keptSet = new Set(kept);
        const goneNewest = Math.max(Number.NEGATIVE_INFINITY, ...pushed.filter((e) => !keptSet.has(e)).map(time));
        assert.ok(kept.every((e) => time(e) >= goneNewest), 'the oldest were let go');
        for (let p = 0; p < times.length; p++) {
          const ns = kept.filter((e) => e.pod === String(p)).map((e) => e.n);
          assert.deepEqual(ns, [...ns].sort((a, b) => a - b), "each pod's own order");
        }
        assert.equal(buffer.misplacedCount, 0);
        // The view's store holds exactly the buffer, in its order, and counts the same let go.
        assert.deepEqual(seqsOf(store), kept.map((e) => e.seq));
        assert.equal(store.evicted, buffer.droppedCount);
        const wanted = kept.filter((e) => e.n % 2 === 0).map((e) => e.seq);
        assert.deepEqual(seqsOf(view), wanted, 'the filtered view, extended frame by frame');
        const rebuilt = new FilteredView();
        rebuilt.rebuild(store, compileFilter(filter), Number.POSITIVE_INFINITY, bulk ? compileBulkFilter(filter) : undefined);
        assert.deepEqual(seqsOf(rebuilt), wanted, 'the filtered view, rebuilt');
      }),
      { numRuns: 300 },
    );
  });
});
