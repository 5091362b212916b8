// A request record's line as `kubectl logs` numbers it, found from the window of the log it was read in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineInWholeLog } from '../../../src/requests/logLookup.ts';

const lines = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `[Info] line ${i + from}`);

describe('lineInWholeLog', () => {
  it('numbers a record read in a sinceTime window as the whole log does (line 99, not 5)', () => {
    const whole = `${lines(110).join('\n')}\n`;
    const window = `${lines(10, 95).join('\n')}\n`;
    assert.equal(lineInWholeLog(whole, window, 5), 99);
    assert.equal(whole.split('\n')[98], window.split('\n')[4]);
  });

  it('finds the window at a line start even when its first line repeats earlier', () => {
    const whole = ['a', 'b', 'a', 'b', 'c'].join('\n');
    assert.equal(lineInWholeLog(whole, 'a\nb\nc', 3), 5);
    assert.equal(lineInWholeLog(whole, 'a\nb', 2), 4, 'the last occurrence: the window is the newest part');
    assert.equal(lineInWholeLog('xa\nb', 'a\nb', 1), undefined, 'not in the middle of a line');
  });

  it('says nothing when the window is not in the whole log (rotated away) or the line is out of range', () => {
    assert.equal(lineInWholeLog('x\ny\n', 'a\nb\n', 1), undefined);
    assert.equal(lineInWholeLog('a\nb\n', 'a\nb\n', 0), undefined);
    assert.equal(lineInWholeLog('a\nb\n', 'a\nb', 3), undefined);
  });

  it('property: any suffix window of a log maps back to its own lines', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-c]{0,3}$/), { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (all, a, b) => {
        const start = a % all.length;
        const at = start + 1 + (b % (all.length - start));
        const whole = all.join('\n');
        const window = all.slice(start).join('\n');
        const got = lineInWholeLog(whole, window, at - start);
        assert.ok(got !== undefined);
        // Repeated lines may make an earlier suffix look alike: the line found holds the same text at least.
        assert.equal(all[got - 1], all[at - 1]);
        assert.ok(got >= at);
      }),
    );
  });
});
