import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EntryBuffer } from '../../../src/logSessions/buffer.ts';

describe('EntryBuffer', () => {
  it('keeps the newest entries in order and counts what it let go', () => {
    const buffer = new EntryBuffer<number>(3);
    assert.equal(buffer.append([1, 2]), 0);
    assert.deepEqual(buffer.snapshot(), [1, 2]);
    assert.equal(buffer.append([3, 4, 5]), 2);
    assert.deepEqual(buffer.snapshot(), [3, 4, 5]);
    assert.equal(buffer.droppedCount, 2);
    assert.equal(buffer.last(), 5);
  });

  it('counts the entries of a batch larger than the buffer that never fit', () => {
    const buffer = new EntryBuffer<number>(2);
    buffer.append([1]);
    assert.equal(buffer.append([2, 3, 4, 5]), 3);
    assert.deepEqual(buffer.snapshot(), [4, 5]);
    assert.equal(buffer.droppedCount, 3);
  });

  it('rejects a size that is not a whole number of at least 1', () => {
    assert.throws(() => new EntryBuffer(0), /maxEntries must be a whole number of at least 1 \(got 0\)/);
    assert.throws(() => new EntryBuffer(2.5), /at least 1/);
  });

  it('equals "the last max of everything appended" for any sequence of batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.array(fc.integer(), { maxLength: 30 }), { maxLength: 20 }), (max, batches) => {
        const buffer = new EntryBuffer<number>(max);
        const all: number[] = [];
        let dropped = 0;
        for (const batch of batches) {
          dropped += buffer.append(batch);
          all.push(...batch);
        }
        assert.deepEqual(buffer.snapshot(), all.slice(Math.max(0, all.length - max)));
        assert.equal(buffer.droppedCount, Math.max(0, all.length - max));
        assert.equal(dropped, buffer.droppedCount);
        assert.equal(buffer.size, Math.min(max, all.length));
      }),
    );
  });
});
