import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { computeWindow, maxScrollTop, scrollTopForRow, type WindowInput } from '../../../src/webview/gatewayLogs/virtualWindow.ts';

const base: WindowInput = { count: 1000, rowHeight: 22, viewportHeight: 220, scrollTop: 0, overscan: 0, maxContentHeight: 8_000_000 };

/** The rows whose boxes intersect the viewport, given where the window draws them. */
function visibleRows(input: WindowInput): { first: number; last: number; covered: boolean } {
  const w = computeWindow(input);
  const top = Math.min(Math.max(0, input.scrollTop), maxScrollTop(input.count, input.rowHeight, input.viewportHeight, input.maxContentHeight));
  const bottom = top + input.viewportHeight;
  const firstY = w.offset;
  const lastY = w.offset + (w.end - w.first) * input.rowHeight;
  return { first: w.first, last: w.end - 1, covered: firstY <= top + 1e-6 && (lastY >= Math.min(bottom, w.contentHeight) - 1e-6) };
}

describe('virtual window arithmetic', () => {
  it('at the top shows exactly the rows that fit, drawn from 0', () => {
    const w = computeWindow(base);
    assert.deepEqual({ first: w.first, end: w.end, offset: w.offset, contentHeight: w.contentHeight }, { first: 0, end: 10, offset: 0, contentHeight: 22_000 });
  });

  it('half-scrolled rows are included at both edges, overscan added and clamped', () => {
    const w = computeWindow({ ...base, scrollTop: 33, overscan: 3 });
    // Row 1 is half hidden at the top; rows 1..11 intersect; three more each side, clamped at 0.
    assert.equal(w.first, 0);
    assert.equal(w.end, 15);
    assert.equal(w.offset, 0);
    const end = computeWindow({ ...base, scrollTop: 1_000_000, overscan: 3 });
    assert.equal(end.end, 1000);
    assert.equal(end.first, 1000 - 10 - 3);
  });

  it('an empty table or a zero-height viewport renders nothing', () => {
    assert.equal(computeWindow({ ...base, count: 0 }).end, 0);
    assert.equal(computeWindow({ ...base, viewportHeight: 0 }).end, 0);
  });

  it('always covers the viewport with the rows it draws, compressed or not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 10, max: 40 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        (count, rowHeight, viewportHeight, fraction, overscan) => {
          const maxContentHeight = 1_000_000;
          const scrollTop = fraction * maxScrollTop(count, rowHeight, viewportHeight, maxContentHeight);
          const input = { count, rowHeight, viewportHeight, scrollTop, overscan, maxContentHeight };
          const w = computeWindow(input);
          assert.ok(w.first >= 0 && w.end <= count && w.first < w.end);
          assert.ok(w.contentHeight <= maxContentHeight);
          assert.ok(w.end - w.first <= Math.ceil(viewportHeight / rowHeight) + 1 + 2 * overscan);
          assert.ok(visibleRows(input).covered, JSON.stringify({ input, w }));
        },
      ),
    );
  });

  it('compressed scrolling reaches the first and the last row', () => {
    const input = { ...base, count: 2_000_000, maxContentHeight: 1_000_000 };
    const top = computeWindow({ ...input, scrollTop: 0 });
    assert.equal(top.first, 0);
    const bottom = computeWindow({ ...input, scrollTop: maxScrollTop(input.count, 22, 220, 1_000_000) });
    assert.equal(bottom.end, 2_000_000);
    // The last row ends exactly at the viewport's bottom edge.
    assert.ok(Math.abs(bottom.offset + (bottom.end - bottom.first) * 22 - (bottom.contentHeight)) < 1e-6);
  });

  it('scrollTopForRow moves as little as needed and then shows the row whole (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (count, target, fraction) => {
          const input = { ...base, count, maxContentHeight: 1_000_000 };
          const index = target % count;
          const current = fraction * maxScrollTop(count, 22, 220, 1_000_000);
          const top = scrollTopForRow(index, { ...input, scrollTop: current });
          const w = computeWindow({ ...input, scrollTop: top });
          const rowTop = w.offset + (index - w.first) * 22;
          assert.ok(index >= w.first && index < w.end, 'row is drawn');
          assert.ok(rowTop >= top - 1e-3 && rowTop + 22 <= top + 220 + 1e-3, `row ${index} fully visible at ${top}`);
          // Already fully visible: nothing moves.
          const again = scrollTopForRow(index, { ...input, scrollTop: top });
          assert.ok(Math.abs(again - top) < 1e-6);
        },
      ),
    );
  });
});
