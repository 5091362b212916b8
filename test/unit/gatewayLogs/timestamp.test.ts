import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeLevel, parseTimestamp } from '../../../src/gatewayLogs/parser.ts';

describe('parseTimestamp', () => {
    it('reads the 1.x unpadded day as UTC and flags the 12-hour clock', () => {
        assert.deepStrictEqual(parseTimestamp('2021-06-3T03:25:12.570'), {
            raw: '2021-06-3T03:25:12.570',
            value: Date.UTC(2021, 5, 3, 3, 25, 12, 570),
            assumedUtc: true,
            hourAmbiguous: true,
        });
    });

    it('does not flag hours a 12-hour clock cannot write', () => {
        assert.equal(parseTimestamp('2021-06-3T15:25:12.570')?.hourAmbiguous, undefined);
        assert.equal(parseTimestamp('2021-06-3T00:25:12.570')?.hourAmbiguous, undefined);
        assert.equal(parseTimestamp('2021-06-13T03:25:12.570')?.hourAmbiguous, undefined);
    });

    it('reads zones and long fractions', () => {
        assert.deepStrictEqual(parseTimestamp('2024-06-26T20:16:04.5669435Z'), {
            raw: '2024-06-26T20:16:04.5669435Z',
            value: Date.UTC(2024, 5, 26, 20, 16, 4, 566),
            assumedUtc: false,
        });
        assert.equal(parseTimestamp('2024-09-18T08:41:33.004+02:00')?.value, Date.UTC(2024, 8, 18, 6, 41, 33, 4));
        assert.equal(parseTimestamp('2024-09-18T08:41:33-0530')?.value, Date.UTC(2024, 8, 18, 14, 11, 33));
        assert.equal(parseTimestamp('2024-09-18T08:41:33.5')?.value, Date.UTC(2024, 8, 18, 8, 41, 33, 500));
        assert.equal(parseTimestamp('2024-09-18 08:41')?.value, Date.UTC(2024, 8, 18, 8, 41));
        assert.equal(parseTimestamp('2024-09-18')?.value, Date.UTC(2024, 8, 18));
    });

    it('reads .NET DateTime.ToString() forms used by timeGenerated', () => {
        assert.equal(parseTimestamp('06/03/2021 15:25:37')?.value, Date.UTC(2021, 5, 3, 15, 25, 37));
        assert.equal(parseTimestamp('6/3/2021 3:25:37 PM')?.value, Date.UTC(2021, 5, 3, 15, 25, 37));
        assert.equal(parseTimestamp('6/3/2021 12:05:00 AM')?.value, Date.UTC(2021, 5, 3, 0, 5, 0));
        assert.equal(parseTimestamp('6/3/2021 13:05:00 PM'), undefined);
    });

    it('keeps impossible dates without a value', () => {
        for (const raw of ['2021-02-30T01:00:00', '2021-13-01T00:00:00', '2023-02-29', '2021-06-03T24:00:00', '2021-06-03T10:60:00']) {
            const ts = parseTimestamp(raw);
            assert.equal(ts?.raw, raw);
            assert.equal(ts?.value, undefined, raw);
        }
        assert.equal(parseTimestamp('2024-02-29')?.value, Date.UTC(2024, 1, 29));
        assert.equal(parseTimestamp('2021-06-03T10:00:00+2')?.value, undefined, 'a one-digit offset is malformed');
    });

    it('rejects text that is not date-shaped', () => {
        const notDates = ['', 'hello', '42', '2021', '2021-06', '2021-06-03T', '2021-06-03T10', '2021-06-03Tx'];
        for (const raw of [...notDates, '{2024-09-18T06:41:36.7Z', '2021-06-03T10:00:00Zjunk']) {
            assert.equal(parseTimestamp(raw), undefined, raw);
        }
    });

    it('agrees with Date for every ISO string Date writes', () => {
        fc.assert(
            fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
                const iso = d.toISOString();
                assert.equal(parseTimestamp(iso)?.value, d.getTime());
                assert.equal(parseTimestamp(iso.slice(0, -1))?.value, d.getTime(), 'zone-less is read as UTC');
            }),
        );
    });
});

describe('normalizeLevel', () => {
    it('maps every spelling the gateway and ASP.NET write', () => {
        const cases: Array<[string, string | undefined]> = [
            ['Info', 'info'], ['Informational', 'info'], ['Information', 'info'], ['INFO', 'info'], ['info', 'info'],
            ['Warn', 'warn'], ['Warning', 'warn'], ['warn', 'warn'],
            ['Error', 'error'], ['fail', 'error'],
            ['Debug', 'debug'], ['dbug', 'debug'], ['Verbose', 'debug'],
            ['Trace', 'trace'], ['trce', 'trace'],
            ['Fatal', 'fatal'], ['Critical', 'fatal'], ['crit', 'fatal'],
            ['GatewayLogs', undefined], ['', undefined], ['LogAlways', undefined],
        ];
        for (const [raw, level] of cases) {
            assert.equal(normalizeLevel(raw), level, raw);
        }
    });
});
