// Which rows of a virtualised table are in the DOM, and where. Pure arithmetic, unit-tested in Node.
//
// Rows have one fixed height, so row i sits at i × rowHeight. Browsers cap an element's height (Chromium near 33.5M
// px, Firefox near 17.9M), so past `maxContentHeight` the scrollable height is compressed: the scroll position is
// read as a fraction of the way through the rows, and the rows are drawn at their true height around it.

export interface WindowInput {
  readonly count: number;
  readonly rowHeight: number;
  /** Height available to rows (the header excluded). */
  readonly viewportHeight: number;
  readonly scrollTop: number;
  /** Rows rendered beyond each edge, so a fast scroll does not show a blank strip before the next frame. */
  readonly overscan: number;
  readonly maxContentHeight: number;
}

export interface VirtualWindow {
  /** First row index in the DOM. */
  readonly first: number;
  /** One past the last row index in the DOM. */
  readonly end: number;
  /** Where row `first` is drawn, in the content's coordinates (px from the top of the scrollable area). */
  readonly offset: number;
  /** Height of the scrollable content. */
  readonly contentHeight: number;
  /** Fractional index of the row at the top of the viewport. */
  readonly topRow: number;
}

export const DEFAULT_MAX_CONTENT_HEIGHT = 8_000_000;

export function contentHeight(count: number, rowHeight: number, maxContentHeight: number): number {
  return Math.min(count * rowHeight, maxContentHeight);
}

/** The largest useful scrollTop. */
export function maxScrollTop(count: number, rowHeight: number, viewportHeight: number, maxContentHeight: number): number {
  return Math.max(0, contentHeight(count, rowHeight, maxContentHeight) - viewportHeight);
}

export function computeWindow(input: WindowInput): VirtualWindow {
  const { count, rowHeight, viewportHeight, overscan, maxContentHeight } = input;
  const height = contentHeight(count, rowHeight, maxContentHeight);
  if (count === 0 || viewportHeight <= 0) return { first: 0, end: 0, offset: 0, contentHeight: height, topRow: 0 };
  const maxTop = Math.max(0, height - viewportHeight);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxTop);
  const visibleRows = viewportHeight / rowHeight;
  let topRow: number;
  let topY: number;
  if (count * rowHeight <= maxContentHeight) {
    topRow = scrollTop / rowHeight;
    topY = scrollTop;
  } else {
    // Compressed: the same fraction of the way through the scroll range and through the rows.
    const lastTopRow = Math.max(0, count - visibleRows);
    topRow = maxTop > 0 ? (scrollTop / maxTop) * lastTopRow : 0;
    topY = scrollTop;
  }
  const firstVisible = Math.floor(topRow);
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, Math.ceil(topRow + visibleRows) + overscan);
  // Row `firstVisible` is drawn so that its fractional part is above the viewport's top edge.
  const offset = topY - (topRow - firstVisible) * rowHeight - (firstVisible - first) * rowHeight;
  return { first, end, offset, contentHeight: height, topRow };
}

/**
 * The scrollTop that shows row `index` whole, moving as little as possible (already visible: unchanged). `position`
 * 'end' puts it at the bottom edge, 'start' at the top.
 */
export function scrollTopForRow(
  index: number,
  input: Omit<WindowInput, 'overscan'>,
  position: 'nearest' | 'start' | 'end' = 'nearest',
): number {
  const { count, rowHeight, viewportHeight, maxContentHeight } = input;
  if (count === 0) return 0;
  const row = Math.min(Math.max(0, index), count - 1);
  const maxTop = maxScrollTop(count, rowHeight, viewportHeight, maxContentHeight);
  const visibleRows = viewportHeight / rowHeight;
  const current = computeWindow({ ...input, overscan: 0 }).topRow;
  let topRow: number;
  if (position === 'start') topRow = row;
  else if (position === 'end') topRow = row + 1 - visibleRows;
  else if (row < current) topRow = row;
  else if (row + 1 > current + visibleRows) topRow = row + 1 - visibleRows;
  else return Math.min(Math.max(0, input.scrollTop), maxTop);
  topRow = Math.max(0, topRow);
  let scrollTop: number;
  if (count * rowHeight <= maxContentHeight) {
    scrollTop = topRow * rowHeight;
  } else {
    const lastTopRow = Math.max(0, count - visibleRows);
    scrollTop = lastTopRow > 0 ? (topRow / lastTopRow) * maxTop : 0;
  }
  return Math.min(Math.max(0, scrollTop), maxTop);
}
