import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EMPTY_FILTER, compileFilter, isFilterActive, searchTerms, type LogFilter } from '../../../src/webview/gatewayLogs/filter.ts';
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
