import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LogRow } from '../../../src/contract/gatewayLogs.ts';
import { EMPTY_FILTER, RowBlock, compileBulkFilter, compileFilter, isFilterActive, searchTerms, type LogFilter } from '../../../src/webview/gatewayLogs/filter.ts';
import { request, row } from './rows.ts';

const matches = (filter: Partial<LogFilter>, ...rows: ReturnType<typeof row>[]): number[] => {
  const predicate = compileFilter({ ...EMPTY_FILTER, ...filter });
  return rows.filter((r) => (predicate ? predicate(r) : true)).map((r) => r.seq);
};

describe('gateway logs filter', () => {
  it('lets everything through when nothing is chosen (and says so with undefined)', () => {
    assert.equal(compileFilter(EMPTY_FILTER), undefined);
    assert.equal(compileFilter({ ...EMPTY_FILTER, text: '   ' }), undefined);
    assert.equal(isFilterActive({ ...EMPTY_FILTER, text: ' x ' }), true);
  });

  it('minimum level keeps that level and above, and drops rows without a level', () => {
    const rows = [row(1, { level: 'debug' }), row(2, { level: 'info' }), row(3, { level: 'warn' }), row(4, { level: 'fatal' }), row(5)];
    assert.deepEqual(matches({ minLevel: 'warn' }, ...rows), [3, 4]);
    assert.deepEqual(matches({ minLevel: 'debug' }, ...rows), [1, 2, 3, 4]);
  });

  it('status classes match requests in any chosen class and never non-requests', () => {
    const rows = [request(1, 200), request(2, 404), request(3, 503), request(4, 0), row(5)];
    assert.deepEqual(matches({ statusClasses: ['4xx', '5xx'] }, ...rows), [2, 3]);
    assert.deepEqual(matches({ statusClasses: ['2xx'] }, ...rows), [1]);
  });

  it('failures only, API and pod are exact', () => {
    const rows = [request(1, 200, { api: 'echo-api', pod: 'a' }), request(2, 404, { api: 'echo-api', pod: 'b' }), request(3, 500, { api: 'echo', pod: 'a' })];
    assert.deepEqual(matches({ failuresOnly: true }, ...rows), [2, 3]);
    assert.deepEqual(matches({ api: 'echo-api' }, ...rows), [1, 2]);
    assert.deepEqual(matches({ pod: 'a', failuresOnly: true }, ...rows), [3]);
  });

  it('free text: every term must appear in the precomputed lower-case text, in any order and case', () => {
    const rows = [
      row(1, { search: 'correlationid: 752afbf2-7a10 url: /echo/resource' }),
      row(2, { search: 'correlationid: 1153a239 url: /echo/other' }),
    ];
    assert.deepEqual(matches({ text: '752AFBF2' }, ...rows), [1]);
    assert.deepEqual(matches({ text: 'echo  resource' }, ...rows), [1]);
    assert.deepEqual(matches({ text: 'resource 1153a239' }, ...rows), []);
    assert.deepEqual(searchTerms(' A  b\tC '), ['a', 'b', 'c']);
  });

  it('is the conjunction of its parts (property)', () => {
    const rowArb = fc.record({
      seq: fc.nat(),
      level: fc.option(fc.constantFrom('trace', 'debug', 'info', 'warn', 'error', 'fatal' as const), { nil: undefined }),
      status: fc.option(fc.constantFrom(0, 101, 200, 302, 404, 500, 599, 600), { nil: undefined }),
      failed: fc.boolean(),
      api: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      search: fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' '), maxLength: 8 }),
    });
    const filterArb = fc.record({
      minLevel: fc.option(fc.constantFrom('debug', 'warn' as const), { nil: undefined }),
      statusClasses: fc.subarray(['2xx', '3xx', '4xx', '5xx'] as const),
      failuresOnly: fc.boolean(),
      api: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      text: fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' '), maxLength: 4 }),
    });
    fc.assert(
      fc.property(rowArb, filterArb, (r, f) => {
        const full = compileFilter(f);
        const test = row(r.seq, { ...r, kind: r.status === undefined ? 'event' : 'request' });
        const parts: Partial<LogFilter>[] = [
          { minLevel: f.minLevel },
          { statusClasses: f.statusClasses },
          { failuresOnly: f.failuresOnly },
          { api: f.api },
          { text: f.text },
        ];
        const expected = parts.every((p) => {
          const predicate = compileFilter({ ...EMPTY_FILTER, ...p });
          return predicate ? predicate(test) : true;
        });
        assert.equal(full ? full(test) : true, expected);
      }),
    );
  });
});

describe('gateway logs bulk filter (trigram signatures)', () => {
  /** Runs the bulk filter over one block; returns the kept seqs and how many times a row's search text was read. */
  const runBulk = (texts: readonly string[], text: string): { kept: number[]; reads: number } => {
    let reads = 0;
    let counting = false;
    const rows = texts.map((search, i) => {
      const r = row(i + 1);
      return Object.defineProperty({ ...r }, 'search', {
        get: () => {
          if (counting) reads++;
          return search;
        },
      }) as LogRow;
    });
    const block = new RowBlock(rows);
    const bulk = compileBulkFilter({ ...EMPTY_FILTER, text });
    const kept: number[] = [];
    counting = true;
    bulk?.(block, 0, rows.length, (i) => kept.push(i + 1));
    return { kept, reads };
  };

  it('reads the text of no row that lacks one of the term\'s trigrams, though it holds all of its character pairs', () => {
    // Every row holds the pairs of "abc" ("ab", "bc"); one holds "abc". A pair signature let all 200 through to
    // be read; the trigram one only the row that has it.
    const texts = Array.from({ length: 200 }, (_, i) => (i === 137 ? `row ${i} xabcx` : `row ${i} ab bc cab`));
    const { kept, reads } = runBulk(texts, 'ABC');
    assert.deepEqual(kept, [138]);
    // A few rows share a signature bit with "abc" by chance (a 512-bit hash); all 200 is what pairs gave.
    assert.ok(reads <= 10, `read ${reads} rows' text`);
  });

  it('keeps exactly the rows the predicate keeps, in blocks large enough to leave common trigrams out (property)', () => {
    const words = ['get', 'petstore', '404', 'resource', 'retrieve-resource', 'echo', 'é', 'x', '10.240', 'getpetbyid'];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...words), { maxLength: 8 }).map((w) => w.join(' ')), { minLength: 16, maxLength: 140 }),
        fc.array(fc.constantFrom(...words, 'pet', 'source', 'et', 'e', 'tst', '0.2', 'xx'), { maxLength: 3 }).map((t) => t.join(' ')),
        fc.nat(139),
        fc.nat(139),
        (texts, text, a, b) => {
          const rows = texts.map((search, i) => row(i + 1, { search }));
          const block = new RowBlock(rows);
          const from = Math.min(a, b, rows.length);
          const to = Math.min(Math.max(a, b), rows.length);
          const predicate = compileFilter({ ...EMPTY_FILTER, text });
          const expected = rows.slice(from, to).filter((r) => (predicate ? predicate(r) : true)).map((r) => r.seq);
          const kept: number[] = [];
          const bulk = compileBulkFilter({ ...EMPTY_FILTER, text });
          if (bulk) bulk(block, from, to, (i) => kept.push(i + 1));
          else for (let i = from; i < to; i++) kept.push(i + 1);
          assert.deepEqual(kept, expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
