// The webview's rows: a bounded store in arrival order and the filtered view the table shows. Pure (no DOM).
//
// Both are arrays with a moving start index: appends are pushes, letting the oldest go is moving the start, and the
// arrays are compacted only when the dead prefix is larger than the live part, so every operation is amortised O(1)
// per row and nothing is copied per frame.
import type { LogRow } from '../../contract/gatewayLogs.ts';
import { RowBlock, type BulkFilter, type RowPredicate } from './filter.ts';

class RowList {
  private items: LogRow[] = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  at(index: number): LogRow | undefined {
    return index >= 0 ? this.items[this.start + index] : undefined;
  }

  first(): LogRow | undefined {
    return this.items[this.start];
  }

  last(): LogRow | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  push(row: LogRow): void {
    this.items.push(row);
  }

  /** Puts `row` at its seq's place; false when a row of that seq is there already. Cheap near the end. */
  insert(row: LogRow): boolean {
    const i = this.lowerBound(row.seq);
    if (this.at(i)?.seq === row.seq) return false;
    this.items.splice(this.start + i, 0, row);
    return true;
  }

  /** Merges `rows` (in seq order, none already here) into the list in one pass. */
  merge(rows: readonly LogRow[]): void {
    if (rows.length === 0) return;
    const out = new Array<LogRow>(this.length + rows.length);
    let i = this.start;
    let j = 0;
    let o = 0;
    while (i < this.items.length || j < rows.length) {
      const a = this.items[i];
      const b = rows[j];
      if (b === undefined || (a !== undefined && a.seq < b.seq)) {
        out[o++] = a as LogRow;
        i++;
      } else {
        out[o++] = b;
        j++;
      }
    }
    this.items = out;
    this.start = 0;
  }

  /** Lets the first `n` rows go. */
  dropFirst(n: number): void {
    this.start += Math.min(n, this.length);
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }

  /** Index of the first row with seq ≥ `seq` (rows are in increasing seq order). */
  lowerBound(seq: number): number {
    let lo = this.start;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid]?.seq ?? Number.POSITIVE_INFINITY) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }

  indexOfSeq(seq: number): number {
    const i = this.lowerBound(seq);
    return this.at(i)?.seq === seq ? i : -1;
  }
}

type Shared = 'timeSource' | 'kind' | 'level' | 'pod' | 'method' | 'api' | 'operation' | 'event' | 'message';
const SHARED: readonly Shared[] = ['timeSource', 'kind', 'level', 'pod', 'method', 'api', 'operation', 'event', 'message'];
/** Distinct strings kept for sharing, and the longest shared: what the table holds is bounded whatever the log. */
const MAX_SHARED = 20_000;
const MAX_SHARED_CHARS = 200;

/**
 * One copy of each string that repeats across rows. Every row arrives with its own copies (JSON gives each row new
 * strings), though there are a few pods, APIs, operations and events and most messages repeat ("OperationNotFound:
 * Unable to match…"): sharing them is ~100 bytes a row, a tenth of a million-row view's heap.
 */
class StringPool {
  private readonly strings = new Map<string, string>();

  share(row: LogRow): void {
    const fields = row as { -readonly [K in Shared]?: string };
    for (const field of SHARED) {
      const value = fields[field];
      if (value === undefined || value.length > MAX_SHARED_CHARS) continue;
      const known = this.strings.get(value);
      if (known !== undefined) fields[field] = known;
      else if (this.strings.size < MAX_SHARED) this.strings.set(value, value);
    }
  }
}

/**
 * Every row received, in seq order, at most `maxEntries`; counts what it let go. Stored rows' repeated strings are
 * replaced by equal shared copies (StringPool): the values never change.
 *
 * A row whose seq is below the newest stored is a late entry a live session placed among older ones: it is inserted
 * at its seq's place (a repeat of a stored seq is ignored), and if that place is before the oldest row kept in a full
 * store it is let go at once, and counted, like any row older than what the bound keeps. Inserted rows are kept out of
 * the filter blocks (which stay in seq order, one per append) in `lateRows`, and handed to the filtered view once
 * (`takeInserted`).
 */
export class RowStore {
  readonly maxEntries: number;
  private readonly rows = new RowList();
  private evictedCount = 0;
  /** The stored rows again, one block per append (with their filter keys), oldest first from `blockHead`. */
  private blockList: RowBlock[] = [];
  private blockHead = 0;
  private readonly pool = new StringPool();
  /** Rows inserted below the newest and still stored, in seq order (not in any block). */
  private late: LogRow[] = [];
  /** Rows inserted since the filtered view last took them, or undefined when more came than it is worth tracking. */
  private inserted: LogRow[] | undefined = [];
  /** Rows at or below this seq were cleared: one arriving late is not shown. */
  private clearedThrough = Number.NEGATIVE_INFINITY;
  private apiSet = new Set<string>();
  private podSet = new Set<string>();
  /** Bumped when a new API or pod name is seen, so the filter menus rebuild only then. */
  namesVersion = 0;

  constructor(maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a whole number ≥ 1 (got ${maxEntries})`);
    this.maxEntries = maxEntries;
  }

  get length(): number {
    return this.rows.length;
  }

  /** Rows this store let go to stay within maxEntries (not counting clears). */
  get evicted(): number {
    return this.evictedCount;
  }

  at(index: number): LogRow | undefined {
    return this.rows.at(index);
  }

  first(): LogRow | undefined {
    return this.rows.first();
  }

  last(): LogRow | undefined {
    return this.rows.last();
  }

  apis(): string[] {
    return [...this.apiSet].sort();
  }

  pods(): string[] {
    return [...this.podSet].sort();
  }

  /**
   * Adds rows: a row newer than the newest is appended, an older one inserted at its place (see the class comment);
   * returns how many old rows were let go.
   */
  append(rows: readonly LogRow[]): number {
    let newest = this.rows.last()?.seq ?? -1;
    const accepted: LogRow[] = [];
    for (const row of rows) {
      if (row.seq <= this.clearedThrough) continue;
      if (row.seq <= newest) {
        this.insertLate(row);
        continue;
      }
      newest = row.seq;
      this.pool.share(row);
      this.rows.push(row);
      accepted.push(row);
      this.noteNames(row);
    }
    if (accepted.length > 0) this.addBlock(accepted);
    const excess = this.rows.length - this.maxEntries;
    if (excess <= 0) return 0;
    this.rows.dropFirst(excess);
    this.evictedCount += excess;
    this.dropBlocks();
    return excess;
  }

  /**
   * The rows inserted below the newest since the last call, or 'all' when so many came (a long pause) that the
   * filtered view is better rebuilt.
   */
  takeInserted(): readonly LogRow[] | 'all' {
    const taken = this.inserted ?? 'all';
    this.inserted = [];
    return taken;
  }

  /** Rows inserted below the newest that are still stored, in seq order. */
  lateRows(): readonly LogRow[] {
    return this.late;
  }

  private insertLate(row: LogRow): void {
    if (!this.rows.insert(row)) return;
    this.pool.share(row);
    this.noteNames(row);
    const i = lowerBoundOf(this.late, row.seq);
    this.late.splice(i, 0, row);
    if (this.inserted && this.inserted.push(row) > this.maxEntries) this.inserted = undefined;
  }

  private noteNames(row: LogRow): void {
    if (row.api !== undefined && !this.apiSet.has(row.api)) {
      this.apiSet.add(row.api);
      this.namesVersion++;
    }
    if (row.pod !== undefined && !this.podSet.has(row.pod)) {
      this.podSet.add(row.pod);
      this.namesVersion++;
    }
  }

  /** Removes every row up to and including `seq` (what the user cleared); a row of such a seq that comes later is ignored. */
  clearThrough(seq: number): void {
    if (seq > this.clearedThrough) this.clearedThrough = seq;
    this.rows.dropFirst(this.rows.lowerBound(seq + 1));
    this.dropBlocks();
  }

  /** The blocks holding stored rows, oldest first; the first may also hold rows let go (older than `first()`). */
  blocks(): readonly RowBlock[] {
    return this.blockHead === 0 ? this.blockList : this.blockList.slice(this.blockHead);
  }

  /** A trickle (a few rows a post) is gathered into blocks of 256 rows or more rather than one small block a post. */
  private addBlock(rows: LogRow[]): void {
    const last = this.blockList.length > this.blockHead ? this.blockList[this.blockList.length - 1] : undefined;
    if (last && last.rows.length < 256) this.blockList[this.blockList.length - 1] = new RowBlock([...last.rows, ...rows]);
    else this.blockList.push(new RowBlock(rows));
  }

  /** Lets go of blocks whose rows are all gone, and of inserted rows that are gone. */
  private dropBlocks(): void {
    const oldest = this.rows.first()?.seq ?? Number.POSITIVE_INFINITY;
    if (this.late.length > 0 && (this.late[0] as LogRow).seq < oldest) this.late = this.late.slice(lowerBoundOf(this.late, oldest));
    while (this.blockHead < this.blockList.length && (this.blockList[this.blockHead]?.rows.at(-1)?.seq ?? -1) < oldest) {
      this.blockList[this.blockHead++] = undefined as unknown as RowBlock;
    }
    if (this.blockHead > 64 && this.blockHead * 2 > this.blockList.length) {
      this.blockList = this.blockList.slice(this.blockHead);
      this.blockHead = 0;
    }
  }

  /** Index of the first row with seq ≥ `seq`. */
  lowerBound(seq: number): number {
    return this.rows.lowerBound(seq);
  }
}

/**
 * The rows that pass the filter, in order. Extended incrementally as rows arrive (only new rows are tested) and
 * rebuilt when the filter changes. While paused it is simply not extended: what is on screen stays on screen.
 */
export class FilteredView {
  private readonly rows = new RowList();
  private predicate: RowPredicate | undefined;
  /** The newest seq of the store already tested. */
  private scannedSeq = -1;

  get length(): number {
    return this.rows.length;
  }

  at(index: number): LogRow | undefined {
    return this.rows.at(index);
  }

  last(): LogRow | undefined {
    return this.rows.last();
  }

  indexOfSeq(seq: number): number {
    return this.rows.indexOfSeq(seq);
  }

  /** Index of the first row with seq ≥ `seq`, so a selection whose row was filtered out lands on its neighbour. */
  lowerBound(seq: number): number {
    return this.rows.lowerBound(seq);
  }

  get newestScannedSeq(): number {
    return this.scannedSeq;
  }

  /**
   * Tests every stored row up to `upToSeq` against a new filter. With `bulk` (the same filter, compiled by
   * compileBulkFilter) the rows are tested a block at a time on their precomputed keys; rows that arrive later are
   * tested one by one with `predicate`.
   */
  rebuild(store: RowStore, predicate: RowPredicate | undefined, upToSeq = Number.POSITIVE_INFINITY, bulk?: BulkFilter): void {
    this.predicate = predicate;
    this.rows.clear();
    this.scannedSeq = -1;
    if (bulk && predicate) {
      const oldest = store.first()?.seq ?? Number.POSITIVE_INFINITY;
      const rows = this.rows;
      for (const block of store.blocks()) {
        const list = block.rows;
        let from = 0;
        while (from < list.length && (list[from] as LogRow).seq < oldest) from++;
        let to = list.length;
        while (to > from && (list[to - 1] as LogRow).seq > upToSeq) to--;
        if (from < to) {
          bulk(block, from, to, (i) => rows.push(list[i] as LogRow));
          this.scannedSeq = (list[to - 1] as LogRow).seq;
        }
        if (to < list.length) break;
      }
      // Rows inserted late are in no block: tested one by one. Those above scannedSeq are scanned by extend.
      const late = store.lateRows().filter((row) => row.seq >= oldest && row.seq <= this.scannedSeq && predicate(row));
      this.rows.merge(late);
    }
    // Every stored row is tested here or by extend: what was inserted before now is not news.
    store.takeInserted();
    this.extend(store, upToSeq);
  }

  /**
   * Tests the rows that arrived since the last call (appended after the newest, or inserted among the rows already
   * tested); returns how many passed.
   */
  extend(store: RowStore, upToSeq = Number.POSITIVE_INFINITY): number {
    const inserted = store.takeInserted();
    if (inserted === 'all') {
      const before = this.rows.length;
      this.rebuild(store, this.predicate, upToSeq);
      return this.rows.length - before;
    }
    const before = this.rows.length;
    const predicate = this.predicate;
    const oldest = store.first()?.seq ?? Number.POSITIVE_INFINITY;
    // Rows above scannedSeq are tested by the scan below, in order.
    for (const row of inserted) {
      if (row.seq <= this.scannedSeq && row.seq >= oldest && (!predicate || predicate(row))) this.rows.insert(row);
    }
    for (let i = store.lowerBound(this.scannedSeq + 1); i < store.length; i++) {
      const row = store.at(i);
      if (!row || row.seq > upToSeq) break;
      this.scannedSeq = row.seq;
      if (!predicate || predicate(row)) this.rows.push(row);
    }
    return this.rows.length - before;
  }

  /** Lets go of rows older than the store's oldest (they were evicted or cleared). */
  trimTo(store: RowStore): number {
    const oldest = store.first()?.seq;
    if (oldest === undefined) {
      const n = this.rows.length;
      this.rows.clear();
      return n;
    }
    const n = this.rows.lowerBound(oldest);
    this.rows.dropFirst(n);
    return n;
  }

  clear(): void {
    this.rows.clear();
  }
}

/** Index of the first row of `rows` (in seq order) with seq ≥ `seq`. */
function lowerBoundOf(rows: readonly LogRow[], seq: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as LogRow).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
