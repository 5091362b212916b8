// The virtualised log table: a fixed pool of row elements, moved and re-filled as the view scrolls, so the DOM holds
// the visible rows (plus a few each side) whether the view has 10 rows or 1M. Every cell's text is a Text node's data
// (never markup), written only when it changed.
import type { LogRow } from '../../contract/gatewayLogs.ts';
import { PodNamer } from '../../logSessions/podNames.ts';
import { el } from '../shared/dom.ts';
import { formatIsoTime, formatTime } from './format.ts';
import { DEFAULT_MAX_CONTENT_HEIGHT, computeWindow, maxScrollTop, scrollTopForRow, type WindowInput } from './virtualWindow.ts';

/** Must match `--row-height` in media/gatewayLogs.css. */
export const ROW_HEIGHT = 22;
/** Must match `--header-height` in media/gatewayLogs.css. */
export const HEADER_HEIGHT = 24;
const OVERSCAN = 8;
/** After a jump, the overscan is filled once no jump came for this long (and the thread is idle, or after as long again). */
const OVERSCAN_SETTLE_MS = 100;

export interface TableSource {
  readonly length: number;
  at(index: number): LogRow | undefined;
  indexOfSeq(seq: number): number;
  lowerBound(seq: number): number;
}

/** A row the viewport's top edge is on: `index` in the source then, `fraction` of it scrolled past. */
export interface TopAnchor {
  readonly index: number;
  readonly seq: number;
  readonly fraction: number;
}

export interface TableEvents {
  onSelect(row: LogRow | undefined): void;
  /** Enter or a click: show the details of the row. */
  onOpen(row: LogRow): void;
  /** The user (not the table) scrolled; `atEnd` says whether the newest row is now in view. */
  onUserScroll(atEnd: boolean): void;
  onEscape(): void;
}

const COLUMNS = [
  ['time', 'Time (UTC)'],
  ['pod', 'Pod'],
  ['level', 'Level'],
  ['kind', 'Kind'],
  ['method', 'Method'],
  ['path', 'Path'],
  ['status', 'Status'],
  ['total', 'Total'],
  ['api', 'API / operation'],
  ['msg', 'Event / message'],
] as const;

/** Where each piece of a row's text goes in Slot.texts: a column's cell, then the event and the message. */
const TEXT = { time: 0, pod: 1, level: 2, kind: 3, method: 4, path: 5, status: 6, total: 7, api: 8, event: 9, message: 10 } as const;

interface Slot {
  readonly element: HTMLDivElement;
  readonly cells: readonly HTMLSpanElement[];
  /**
   * The Text node of each piece (TEXT), and the strings last written to them, the cells' titles and classes: a
   * scroll frame re-fills every row it brings in, and compares with these instead of reading the DOM back (reading
   * textContent builds a string, and writing it replaces the node).
   */
  readonly texts: readonly Text[];
  readonly shown: string[];
  readonly titles: [time: string, pod: string, path: string];
  /** The row whose tooltips the cells carry (see applyTitles), if any. */
  titled: LogRow | undefined;
  timeClass: string;
  statusClass: string;
  rowClass: string;
  selected: boolean;
  row: LogRow | undefined;
  index: number;
}

const TIME_TITLES: Readonly<Record<LogRow['timeSource'], string>> = {
  gateway: "the gateway's timestamp",
  kubelet: "the kubelet's time (the gateway's own timestamp is missing or ambiguous)",
  request: "the request's timeGenerated (the line's own timestamp is ambiguous)",
  ambiguous: "the gateway 1.x timestamp, which may be 12 hours off (it has no AM/PM)",
  none: 'no readable time',
};

export class VirtualTable {
  /** Short pod names (podNames.ts), fixed once given so rows do not change as pods come and go. */
  readonly podNames = new PodNamer();
  readonly element: HTMLDivElement;
  private readonly area: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly events: TableEvents;
  private readonly slots: Slot[] = [];
  private readonly slotOf = new WeakMap<Element, Slot>();
  private source: TableSource = { length: 0, at: () => undefined, indexOfSeq: () => -1, lowerBound: () => 0 };
  private selected: number | undefined;
  /** The scrollTop the table itself set last; a scroll event elsewhere is the user's. */
  private expectedTop = Number.NaN;
  private viewportHeight = 0;
  private lastWindow = { first: -1, end: -1, offset: Number.NaN, length: -1 };
  private layerBase = Number.NaN;
  private onRender: ((first: number, end: number) => void) | undefined;
  private overscanPending = false;
  private lastJumpAt = 0;

  constructor(events: TableEvents) {
    this.events = events;
    const header = el(
      'div',
      { className: 'row header', attrs: { role: 'row', 'aria-rowindex': '1' } },
      COLUMNS.map(([key, label]) => el('span', { className: `c ${key}`, text: label, attrs: { role: 'columnheader' } })),
    );
    this.layer = el('div', { className: 'layer', attrs: { role: 'rowgroup' } });
    this.area = el('div', { className: 'area' }, [this.layer]);
    this.element = el('div', {
      className: 'table',
      attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Gateway log entries', 'aria-rowcount': '1', 'aria-multiselectable': 'false' },
    }, [header, this.area]);
    this.element.addEventListener('scroll', () => this.handleScroll(), { passive: true });
    this.element.addEventListener('keydown', (event) => this.handleKey(event));
    this.layer.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target.closest('.row') : null;
      const slot = target ? this.slotOf.get(target) : undefined;
      if (!slot?.row) return;
      this.select(slot.index);
      this.events.onOpen(slot.row);
      this.element.focus({ preventScroll: true });
    });
    this.layer.addEventListener('pointermove', (event) => {
      const target = event.target instanceof Element ? event.target.closest('.row') : null;
      const slot = target ? this.slotOf.get(target) : undefined;
      if (slot?.row && slot.titled !== slot.row) this.applyTitles(slot, slot.row);
    }, { passive: true });
    new ResizeObserver(() => {
      this.viewportHeight = Math.max(0, this.element.clientHeight - HEADER_HEIGHT);
      this.render();
    }).observe(this.element);
  }

  /** Called after each render with the rows now in the DOM (the benchmark and the tests read rendering through it). */
  setRenderListener(listener: ((first: number, end: number) => void) | undefined): void {
    this.onRender = listener;
  }

  setSource(source: TableSource): void {
    this.source = source;
    this.lastWindow.length = -1;
  }

  /** The row count changed (rows arrived or were let go) without the view being replaced. */
  invalidate(): void {
    this.lastWindow.length = -1;
  }

  get selectedSeq(): number | undefined {
    return this.selected;
  }

  selectedRow(): LogRow | undefined {
    if (this.selected === undefined) return undefined;
    const index = this.source.indexOfSeq(this.selected);
    return index >= 0 ? this.source.at(index) : undefined;
  }

  setSelectedSeq(seq: number | undefined): void {
    this.selected = seq;
    this.refreshSelection();
  }

  isAtEnd(): boolean {
    return this.element.scrollTop >= this.maxTop() - 2;
  }

  scrollToEnd(): void {
    this.setScrollTop(this.maxTop());
  }

  scrollToStart(): void {
    this.setScrollTop(0);
  }

  /** The row at the top of the viewport (its seq), and how much of it is scrolled past: see `restoreTop`. */
  topAnchor(): TopAnchor | undefined {
    const topRow = computeWindow({ ...this.windowInput(), overscan: 0 }).topRow;
    const index = Math.floor(topRow);
    const row = this.source.at(index);
    return row ? { index, seq: row.seq, fraction: topRow - index } : undefined;
  }

  /**
   * Rows above the viewport left the source (the oldest let go) or came into it (a late entry placed among older
   * ones): scroll by as much so the rows being read stay where they are. The top row gone too: the oldest left.
   */
  restoreTop(anchor: TopAnchor): void {
    const exact = this.source.indexOfSeq(anchor.seq);
    if (exact === anchor.index) {
      this.render();
      return;
    }
    const index = exact >= 0 ? exact : this.source.lowerBound(anchor.seq);
    const fraction = exact >= 0 ? anchor.fraction : 0;
    this.setScrollTop(scrollTopForRow(index, this.windowInput(), 'start') + fraction * ROW_HEIGHT);
  }

  /**
   * Renders the rows the scroll position shows. Row i always uses slot i mod poolSize and is placed at i × rowHeight,
   * so a wheel step only fills the rows that scroll in; the others keep their text, style and layout untouched.
   */
  render(): void {
    const count = this.source.length;
    const input = this.windowInput();
    const full = computeWindow({ ...input, overscan: OVERSCAN });
    const visible = computeWindow({ ...input, overscan: 0 });
    const last = this.lastWindow;
    // A long step (a dragged scrollbar, a wheel over a compressed million rows) that would bring in more new rows
    // than a screenful fills the rows in view now and the overscan once the steps stop: a frame never writes more
    // than a screenful of rows, rows beyond the edges are only needed by a small step after it, and while long steps
    // go on they would be filled (and laid out in the next frame) for nothing.
    let kept = 0;
    for (const slot of this.slots) if (slot.index >= full.first && slot.index < full.end) kept++;
    const win = full.end - full.first - kept > visible.end - visible.first && (visible.first > full.first || visible.end < full.end) ? visible : full;
    if (win !== full) {
      this.lastJumpAt = performance.now();
      if (!this.overscanPending) {
        this.overscanPending = true;
        const fillWhenSettled = (): void => {
          if (performance.now() - this.lastJumpAt < OVERSCAN_SETTLE_MS) {
            requestIdleCallback(fillWhenSettled, { timeout: OVERSCAN_SETTLE_MS });
            return;
          }
          this.overscanPending = false;
          this.render();
        };
        requestIdleCallback(fillWhenSettled, { timeout: OVERSCAN_SETTLE_MS });
      }
    }
    this.area.style.height = `${win.contentHeight}px`;
    if (last.first === win.first && last.end === win.end && last.offset === win.offset && last.length === count) return;
    if (last.length !== count) this.element.setAttribute('aria-rowcount', String(count + 1));
    this.lastWindow = { first: win.first, end: win.end, offset: win.offset, length: count };
    // An even number of slots: row i's slot (i mod size) then always holds rows of i's parity, so a slot's stripe
    // (the 'alt' class) never changes and re-filling it never restyles the row for that.
    const needed = win.end - win.first + ((win.end - win.first) % 2);
    if (this.slots.length < needed) {
      while (this.slots.length < needed) this.slots.push(this.createSlot());
      // The modulus changed: every slot is reassigned below.
      for (const slot of this.slots) slot.index = -1;
    }
    // Rows sit at i × rowHeight inside the layer; the layer carries the compression offset (0 when not compressed).
    const base = win.offset - win.first * ROW_HEIGHT;
    if (base !== this.layerBase) {
      this.layerBase = base;
      this.layer.style.transform = `translateY(${base}px)`;
    }
    const size = this.slots.length;
    for (let index = win.first; index < win.end; index++) {
      const slot = this.slots[index % size];
      const row = this.source.at(index);
      if (!slot || !row) continue;
      if (slot.index !== index) {
        slot.index = index;
        slot.element.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
        slot.element.setAttribute('aria-rowindex', String(index + 2));
        slot.row = undefined;
      }
      if (slot.row !== row) this.fill(slot, row);
      if (slot.element.hidden) slot.element.hidden = false;
    }
    for (const slot of this.slots) {
      if ((slot.index < win.first || slot.index >= win.end) && !slot.element.hidden) {
        slot.element.hidden = true;
        slot.index = -1;
        slot.row = undefined;
      }
    }
    this.refreshSelection();
    this.onRender?.(win.first, win.end);
  }

  private windowInput(): Omit<WindowInput, 'overscan'> {
    return {
      count: this.source.length,
      rowHeight: ROW_HEIGHT,
      viewportHeight: this.viewportHeight || Math.max(0, this.element.clientHeight - HEADER_HEIGHT),
      scrollTop: this.element.scrollTop,
      maxContentHeight: DEFAULT_MAX_CONTENT_HEIGHT,
    };
  }

  private maxTop(): number {
    const input = this.windowInput();
    return maxScrollTop(input.count, ROW_HEIGHT, input.viewportHeight, DEFAULT_MAX_CONTENT_HEIGHT);
  }

  private setScrollTop(top: number): void {
    // The content must be tall enough before the browser accepts the new position.
    this.area.style.height = `${computeWindow({ ...this.windowInput(), overscan: 0 }).contentHeight}px`;
    this.element.scrollTop = top;
    this.expectedTop = this.element.scrollTop;
    this.render();
  }

  private handleScroll(): void {
    // Everything is read before render() writes: a read after the writes would force a synchronous layout.
    const top = this.element.scrollTop;
    const byUs = Math.abs(top - this.expectedTop) < 1;
    const atEnd = top >= this.maxTop() - 2;
    this.expectedTop = Number.NaN;
    this.render();
    if (!byUs) this.events.onUserScroll(atEnd);
  }

  private createSlot(): Slot {
    const cells = COLUMNS.map(([key]) => el('span', { className: `c ${key}`, attrs: { role: 'gridcell' } }));
    // The message is a Text node of the last cell itself, after the event's span: one element fewer to restyle.
    const event = el('span', { className: 'ev' });
    const messageCell = cells[cells.length - 1] as HTMLSpanElement;
    messageCell.append(event);
    const holders = [...cells.slice(0, TEXT.event), event, messageCell];
    const texts = holders.map((holder) => holder.appendChild(document.createTextNode('')));
    const element = el('div', { className: 'row', attrs: { role: 'row', 'aria-selected': 'false' } }, cells);
    element.hidden = true;
    this.layer.append(element);
    const slot: Slot = {
      element, cells, texts, shown: texts.map(() => ''), titles: ['', '', ''], titled: undefined,
      timeClass: '', statusClass: '', rowClass: 'row', selected: false, row: undefined, index: -1,
    };
    this.slotOf.set(element, slot);
    return slot;
  }

  private fill(slot: Slot, row: LogRow): void {
    slot.row = row;
    const put = (piece: number, text: string): void => {
      if (slot.shown[piece] === text) return;
      slot.shown[piece] = text;
      (slot.texts[piece] as Text).data = text;
    };
    const [time, , , , , , status] = slot.cells;
    put(TEXT.time, row.time !== undefined ? formatTime(row.time) : (row.timeText ?? ''));
    // The part of the pod's name that tells the replicas apart; the full name in the tooltip.
    put(TEXT.pod, row.pod !== undefined ? this.podNames.nameOf(row.pod) : '');
    put(TEXT.level, row.level ?? '');
    put(TEXT.kind, row.kind);
    put(TEXT.method, row.method ?? '');
    put(TEXT.path, row.path ?? '');
    put(TEXT.status, row.status !== undefined ? String(row.status) : '');
    put(TEXT.total, row.totalTime !== undefined ? `${row.totalTime} ms` : '');
    put(TEXT.api, row.api !== undefined ? (row.operation !== undefined ? `${row.api} / ${row.operation}` : row.api) : '');
    put(TEXT.event, row.event !== undefined && row.event !== 'GatewayLogs' ? row.event : '');
    put(TEXT.message, row.message);
    // A row shown under a still pointer must not keep the tooltips of the row it replaced.
    if (slot.titled) this.applyTitles(slot, undefined);
    const timeClass = `c time t-${row.timeSource}`;
    if (time && slot.timeClass !== timeClass) time.className = slot.timeClass = timeClass;
    const statusClass = row.status !== undefined ? `c status s${Math.floor(row.status / 100)}` : 'c status';
    if (status && slot.statusClass !== statusClass) status.className = slot.statusClass = statusClass;
    const rowClass = `row lv-${row.level ?? 'none'} k-${row.kind}${row.failed ? ' failed' : ''}${slot.index % 2 === 1 ? ' alt' : ''}`;
    if (slot.rowClass !== rowClass) {
      slot.element.className = slot.rowClass = rowClass;
      // The class list was replaced (without 'selected'): selection is re-applied from scratch.
      if (slot.selected) {
        slot.selected = false;
        slot.element.setAttribute('aria-selected', 'false');
      }
    }
  }

  /**
   * The tooltips (the time's ISO form and source, the full pod name, the full path) are written when the pointer
   * is over the row or it is selected, not on every fill: a scroll frame re-fills dozens of rows, and nobody reads
   * their tooltips.
   */
  private applyTitles(slot: Slot, row: LogRow | undefined): void {
    if (slot.titled === row) return;
    slot.titled = row;
    const [time, pod, , , , path] = slot.cells;
    const title = (k: 0 | 1 | 2, cell: HTMLSpanElement | undefined, text: string): void => {
      if (!cell || slot.titles[k] === text) return;
      slot.titles[k] = text;
      if (text === '') cell.removeAttribute('title');
      else cell.title = text;
    };
    title(0, time, row === undefined ? '' : row.time !== undefined ? `${formatIsoTime(row.time)} — ${TIME_TITLES[row.timeSource]}` : TIME_TITLES[row.timeSource]);
    title(1, pod, row?.pod ?? '');
    title(2, path, row?.path ?? '');
  }

  private refreshSelection(): void {
    let active = false;
    for (const slot of this.slots) {
      const isSelected = slot.row !== undefined && slot.row.seq === this.selected && !slot.element.hidden;
      if (slot.selected !== isSelected) {
        slot.selected = isSelected;
        slot.element.classList.toggle('selected', isSelected);
        slot.element.setAttribute('aria-selected', String(isSelected));
      }
      if (isSelected) {
        this.applyTitles(slot, slot.row);
        slot.element.id = 'active-row';
        active = true;
      } else if (slot.element.id) {
        slot.element.removeAttribute('id');
      }
    }
    if (active) this.element.setAttribute('aria-activedescendant', 'active-row');
    else this.element.removeAttribute('aria-activedescendant');
  }

  /** Selects row `index` of the view and scrolls it into sight. */
  select(index: number, position: 'nearest' | 'start' | 'end' = 'nearest'): void {
    const count = this.source.length;
    if (count === 0) return;
    const clamped = Math.min(Math.max(0, index), count - 1);
    const row = this.source.at(clamped);
    this.selected = row?.seq;
    const top = scrollTopForRow(clamped, this.windowInput(), position);
    if (Math.abs(top - this.element.scrollTop) >= 1) this.setScrollTop(top);
    else this.render();
    this.refreshSelection();
    this.events.onSelect(row);
  }

  private selectedIndex(): number {
    if (this.selected === undefined) return -1;
    const exact = this.source.indexOfSeq(this.selected);
    return exact >= 0 ? exact : Math.min(this.source.lowerBound(this.selected), this.source.length - 1);
  }

  private handleKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.windowInput().viewportHeight / ROW_HEIGHT) - 1);
    const current = this.selectedIndex();
    const from = current >= 0 ? current : Math.floor(computeWindow({ ...this.windowInput(), overscan: 0 }).topRow);
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = current >= 0 ? from + 1 : from;
        break;
      case 'ArrowUp':
        target = current >= 0 ? from - 1 : from;
        break;
      case 'PageDown':
        target = from + page;
        break;
      case 'PageUp':
        target = from - page;
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = this.source.length - 1;
        break;
      case 'Enter': {
        const row = this.selectedRow();
        if (row) {
          event.preventDefault();
          this.events.onOpen(row);
        }
        return;
      }
      case 'Escape':
        event.preventDefault();
        this.events.onEscape();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.select(target);
    this.events.onUserScroll(this.isAtEnd() && target >= this.source.length - 1);
  }
}
