import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileBulkFilter, compileFilter, EMPTY_FILTER, type LogFilter } from '../../../src/webview/gatewayLogs/filter.ts';
import { FilteredView, RowStore } from '../../../src/webview/gatewayLogs/store.ts';
import { request, row } from './rows.ts';

const seqs = (list: { length: number; at(i: number): { seq: number } | undefined }): number[] =>
  Array.from({ length: list.length }, (_, i) => list.at(i)?.seq ?? -1);

describe('webview row store and filtered view', () => {
  it('stores rows whose values are exactly as they arrived (repeated strings are shared, never changed)', () => {
    const make = (seq: number): ReturnType<typeof row> =>
      request(seq, 404, { pod: `gw-${'abc'.repeat(seq % 2)}`, api: ['echo', 'api'].join('-'), message: `OperationNotFound ${'x'.repeat(300 * (seq % 2))}`, event: 'GatewayLogs', search: `s${seq}` });
    const rows = Array.from({ length: 20 }, (_, i) => make(i + 1));
    const copies = structuredClone(rows);
    const store = new RowStore(100);
    store.append(rows);
    assert.deepEqual(seqs(store).map((seq) => store.at(seq - 1)), copies);
  });

  it('keeps the newest maxEntries and counts what it let go', () => {
    const store = new RowStore(3);
    assert.equal(store.append([row(1), row(2)]), 0);
    assert.equal(store.append([row(3), row(4), row(5)]), 2);
    assert.deepEqual(seqs(store), [3, 4, 5]);
    assert.equal(store.evicted, 2);
    // A repeated row is ignored (a batch delivered twice).
    store.append([row(4), row(5)]);
    assert.deepEqual(seqs(store), [3, 4, 5]);
    assert.throws(() => new RowStore(0), /maxEntries must be a whole number/);
  });

  it('clearThrough removes a prefix without counting it as dropped', () => {
    const store = new RowStore(10);
    store.append([row(1), row(2), row(3)]);
    store.clearThrough(2);
    assert.deepEqual(seqs(store), [3]);
    assert.equal(store.evicted, 0);
  });

  it('the view extends with new rows only, and trims what the store let go', () => {
    const store = new RowStore(4);
    const view = new FilteredView();
    view.rebuild(store, compileFilter({ ...EMPTY_FILTER, statusClasses: ['5xx'] }));
    store.append([request(1, 500), request(2, 200), request(3, 503)]);
    assert.equal(view.extend(store), 2);
    store.append([request(4, 200), request(5, 500), request(6, 200)]);
    view.extend(store);
    view.trimTo(store);
    assert.deepEqual(seqs(view), [3, 5]);
    assert.equal(view.indexOfSeq(5), 1);
    assert.equal(view.lowerBound(4), 1);
  });

  it('a paused view (extended up to a seq) holds still while rows arrive', () => {
    const store = new RowStore(100);
    const view = new FilteredView();
    store.append([row(1), row(2)]);
    view.rebuild(store, undefined, 2);
    store.append([row(3)]);
    view.extend(store, 2);
    assert.deepEqual(seqs(view), [1, 2]);
    view.extend(store);
    assert.deepEqual(seqs(view), [1, 2, 3]);
  });

  it('inserts a row below the newest at its seq (a late entry); the filtered view takes it in once, extended or rebuilt', () => {
    const store = new RowStore(10);
    const view = new FilteredView();
    const fivexx = { ...EMPTY_FILTER, statusClasses: ['5xx' as const] };
    view.rebuild(store, compileFilter(fivexx));
    store.append([request(1024, 500), request(2048, 200), request(3072, 503)]);
    view.extend(store);
    // Two late rows, one of them failed, and a repeat of a stored row.
    assert.equal(store.append([request(1536, 502), request(2560, 200), request(2048, 200)]), 0);
    assert.deepEqual(seqs(store), [1024, 1536, 2048, 2560, 3072]);
    assert.equal(view.extend(store), 1);
    assert.deepEqual(seqs(view), [1024, 1536, 3072]);
    // Taken once: a second extend adds nothing.
    assert.equal(view.extend(store), 0);
    const rebuilt = new FilteredView();
    rebuilt.rebuild(store, compileFilter(fivexx), Number.POSITIVE_INFINITY, compileBulkFilter(fivexx));
    assert.deepEqual(seqs(rebuilt), [1024, 1536, 3072]);
    // A selection keyed by seq finds its row where it now is.
    assert.equal(store.lowerBound(2048), 2);
    assert.equal(view.indexOfSeq(3072), 2);
  });

  it('lets go of the oldest when a late row fills it, and of a late row older than everything kept at once, counting both', () => {
    const store = new RowStore(3);
    const view = new FilteredView();
    view.rebuild(store, undefined);
    store.append([row(10), row(20), row(30)]);
    view.extend(store);
    assert.equal(store.append([row(25)]), 1);
    assert.deepEqual(seqs(store), [20, 25, 30]);
    assert.equal(store.append([row(5)]), 1);
    assert.deepEqual(seqs(store), [20, 25, 30]);
    assert.equal(store.evicted, 2);
    assert.equal(view.trimTo(store), 1);
    view.extend(store);
    assert.deepEqual(seqs(view), [20, 25, 30]);
    assert.deepEqual(store.lateRows().map((r) => r.seq), [25]);
  });

  it('a cleared seq stays cleared: a late row that belongs before the clear is not shown', () => {
    const store = new RowStore(10);
    store.append([row(10), row(20)]);
    store.clearThrough(20);
    store.append([row(15), row(30)]);
    assert.deepEqual(seqs(store), [30]);
  });

  it('after more late rows than it keeps track of (a long pause), the view is rebuilt instead', () => {
    const store = new RowStore(4);
    const view = new FilteredView();
    view.rebuild(store, undefined);
    store.append([row(100), row(200)]);
    view.extend(store);
    // Five late rows: more than the store keeps (4), so it stops listing them for the view.
    store.append([row(110), row(120), row(130), row(140), row(150)]);
    store.append([row(160)]);
    view.trimTo(store);
    view.extend(store);
    assert.deepEqual(seqs(view), seqs(store));
    assert.deepEqual(seqs(store), [140, 150, 160, 200]);
    assert.deepEqual(store.takeInserted(), []);
  });

  it('incremental extension equals a rebuild from scratch (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(200, 404, 500), { maxLength: 20 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (batches, max) => {
          const store = new RowStore(max);
          const view = new FilteredView();
          const predicate = compileFilter({ ...EMPTY_FILTER, failuresOnly: true });
          view.rebuild(store, predicate);
          let seq = 0;
          for (const batch of batches) {
            store.append(batch.map((status) => request(++seq, status)));
            view.trimTo(store);
            view.extend(store);
          }
          const fresh = new FilteredView();
          fresh.rebuild(store, predicate);
          assert.deepEqual(seqs(view), seqs(fresh));
          assert.ok(store.length <= max);
          assert.equal(store.length + store.evicted, seq);
        },
      ),
    );
  });

  it('a rebuild over blocks (precomputed keys and trigram signatures) keeps exactly the rows the predicate keeps (property)', () => {
    const rowArb = fc.record({
      level: fc.option(fc.constantFrom('debug', 'info', 'warn', 'error' as const), { nil: undefined }),
      status: fc.option(fc.constantFrom(101, 200, 302, 404, 500, 700), { nil: undefined }),
      api: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      pod: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }),
      search: fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' ', '\0'), maxLength: 8 }),
    });
    const filterArb = fc.record({
      minLevel: fc.option(fc.constantFrom('debug', 'warn' as const), { nil: undefined }),
      statusClasses: fc.subarray(['2xx', '3xx', '4xx', '5xx'] as const),
      failuresOnly: fc.boolean(),
      api: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      pod: fc.option(fc.constantFrom('p1', 'p2'), { nil: undefined }),
      text: fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'ab', ' ', '\0'), maxLength: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(rowArb, { maxLength: 12 }), { maxLength: 8 }),
        filterArb,
        fc.integer({ min: 1, max: 40 }),
        fc.nat(60),
        fc.nat(60),
        (batches, f, max, clearAt, upTo) => {
          const filter: LogFilter = { ...EMPTY_FILTER, ...f };
          const store = new RowStore(max);
          let seq = 0;
          for (const batch of batches) {
            store.append(batch.map((r) => row(++seq, { ...r, kind: r.status === undefined ? 'event' : 'request', failed: (r.status ?? 0) >= 400 })));
            if (seq === clearAt) store.clearThrough(seq - 2);
          }
          const predicate = compileFilter(filter);
          const bulk = new FilteredView();
          bulk.rebuild(store, predicate, upTo, compileBulkFilter(filter));
          const oneByOne = new FilteredView();
          oneByOne.rebuild(store, predicate, upTo);
          assert.deepEqual(seqs(bulk), seqs(oneByOne));
          assert.equal(bulk.newestScannedSeq, oneByOne.newestScannedSeq);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the trigram signatures never rule out a row that holds the text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'é', ' '), maxLength: 12 }), { maxLength: 30 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'x', 'é', 'ab', ' '), maxLength: 6 }),
        (texts, text) => {
          const store = new RowStore(100);
          store.append(texts.map((search, i) => row(i + 1, { search })));
          const filter: LogFilter = { ...EMPTY_FILTER, text };
          const bulk = new FilteredView();
          bulk.rebuild(store, compileFilter(filter), Number.POSITIVE_INFINITY, compileBulkFilter(filter));
          const oneByOne = new FilteredView();
          oneByOne.rebuild(store, compileFilter(filter));
          assert.deepEqual(seqs(bulk), seqs(oneByOne));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
