// The bounded store behind every LogSession. Pure: no `vscode`, no Node APIs.
//
// A followed gateway can write tens of thousands of lines a second for hours; the views need the newest entries and
// an honest count of what was let go, not everything. A ring keeps appends O(batch) with no array shifting.

/** The bound of a session's store, checked before anything is read: a whole number of at least 1. */
export function checkMaxEntries(maxEntries: number): number {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a whole number of at least 1 (got ${maxEntries})`);
  }
  return maxEntries;
}

export class EntryBuffer<T> {
  readonly maxEntries: number;
  private readonly ring: (T | undefined)[];
  /** Index of the oldest entry in `ring`. */
  private head = 0;
  private length = 0;
  private dropped = 0;

  constructor(maxEntries: number) {
    this.maxEntries = checkMaxEntries(maxEntries);
    this.ring = new Array<T | undefined>(maxEntries);
  }

  get size(): number {
    return this.length;
  }

  /** How many of the oldest entries have been let go since the buffer was created (or last cleared). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Appends in order; returns how many of the oldest entries this append pushed out (0 when it all fit). */
  append(items: readonly T[]): number {
    const cap = this.maxEntries;
    let droppedNow = 0;
    // Only the last `cap` items can survive; the ones before them count as appended-then-dropped.
    const skip = Math.max(0, items.length - cap);
    droppedNow += skip;
    for (let i = skip; i < items.length; i++) {
      const tail = (this.head + this.length) % cap;
      this.ring[tail] = items[i];
      if (this.length === cap) {
        this.head = (this.head + 1) % cap;
        droppedNow++;
      } else {
        this.length++;
      }
    }
    this.dropped += droppedNow;
    return droppedNow;
  }

  /** The content, oldest first, as a new array the caller owns. */
  snapshot(): T[] {
    const out = new Array<T>(this.length);
    const cap = this.maxEntries;
    for (let i = 0; i < this.length; i++) {
      out[i] = this.ring[(this.head + i) % cap] as T;
    }
    return out;
  }

  /** The newest entry, if any. */
  last(): T | undefined {
    return this.length === 0 ? undefined : this.ring[(this.head + this.length - 1) % this.maxEntries];
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.dropped = 0;
  }
}

/**
 * The gap between the seqs of entries appended in order to a PlacingBuffer: room for late entries between them.
 * Seqs stay whole numbers below 2^53 for 2^37 entries (78 days at 20k lines a second); past that the step shrinks.
 */
export const SEQ_STEP = 65_536;

/** What one `PlacingBuffer.place` did. */
export interface Placement {
  /** Oldest entries pushed out (a placed entry older than everything kept in a full buffer is one of them). */
  readonly dropped: number;
  /** Entries placed before entries already in the buffer (late lines of a slow pod). */
  readonly inserted: number;
  /** Entries placed after a newer entry because no whole number was left between their neighbours' seqs. */
  readonly misplaced: number;
}

/**
 * A bounded buffer kept in the order of a key (a live session's kubelet time, see merge.ts `orderKey`), where an entry that comes late is
 * placed among the entries already there, after every entry of the same or an earlier key, instead of after them
 * all. The buffer gives each entry its `seq`: unique, and increasing in the buffer's order (the order views show).
 * Entries that come in order get seqs SEQ_STEP apart, so a late entry gets a whole number between its neighbours'
 * seqs and a view that mirrors the buffer inserts it by seq, without renumbering a row it already shows.
 *
 * When no whole number is left between two neighbours (hundreds of late entries placed into one gap), the
 * entries that do not fit go right after the next entry instead (and on, until one has room): out of order by those
 * entries, never lost, and counted (`misplacedCount`). Their key becomes that entry's, so the buffer stays sorted.
 */
export class PlacingBuffer<T extends { seq: number }> {
  readonly maxEntries: number;
  private readonly items: (T | undefined)[];
  private readonly keys: Float64Array;
  /** Index of the oldest entry in the ring. */
  private head = 0;
  private length = 0;
  private dropped = 0;
  private misplaced = 0;
  /** The seq of the newest entry let go (every seq given later is above it); 0 before any. */
  private floorSeq = 0;

  constructor(maxEntries: number) {
    this.maxEntries = checkMaxEntries(maxEntries);
    this.items = new Array<T | undefined>(maxEntries);
    this.keys = new Float64Array(maxEntries);
  }

  get size(): number {
    return this.length;
  }

  /** How many of the oldest entries have been let go. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** How many entries were placed out of key order for want of a free seq (see the class comment). */
  get misplacedCount(): number {
    return this.misplaced;
  }

  /**
   * Places `batch` (sorted by `batchKeys`, one key per entry) and sets each entry's seq. Entries whose key is below
   * the newest entry's are inserted at their place; in the batch's order the seqs increase.
   */
  place(batch: readonly T[], batchKeys: readonly number[]): Placement {
    const n = batch.length;
    if (n === 0) return { dropped: 0, inserted: 0, misplaced: 0 };
    const firstKey = batchKeys[0] as number;
    // The first entry kept whose key is above the batch's first: the batch goes among this entry and those after it.
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyAt(mid) <= firstKey) lo = mid + 1;
      else hi = mid;
    }
    const from = lo;
    const tail = this.length - from;
    let droppedNow = 0;
    let seq = from > 0 ? (this.itemAt(from - 1) as T).seq : this.floorSeq;
    const step = seq + (n + 1) * SEQ_STEP <= Number.MAX_SAFE_INTEGER ? SEQ_STEP : 1;
    if (tail === 0) {
      for (let i = 0; i < n; i++) {
        const entry = batch[i] as T;
        seq += step;
        entry.seq = seq;
        droppedNow += this.push(entry, batchKeys[i] as number);
      }
      this.dropped += droppedNow;
      return { dropped: droppedNow, inserted: 0, misplaced: 0 };
    }
    // Merge the entries from `from` on with the batch (an entry already there goes first on a tie), then write them
    // back from `from`: late entries sit near the end, so this moves few entries.
    const kept: T[] = new Array<T>(tail);
    const keptKeys = new Float64Array(tail);
    for (let j = 0; j < tail; j++) {
      kept[j] = this.itemAt(from + j) as T;
      keptKeys[j] = this.keyAt(from + j);
    }
    this.length = from;
    let i = 0;
    let inserted = 0;
    let misplacedNow = 0;
    /** Batch entries waiting for a seq below the next kept entry's (indices into batch). */
    const run: number[] = [];
    let lastKeptKey = Number.NEGATIVE_INFINITY;
    const write = (index: number, entrySeq: number): void => {
      const entry = batch[index] as T;
      entry.seq = entrySeq;
      const key = batchKeys[index] as number;
      if (key < lastKeptKey) misplacedNow++;
      droppedNow += this.push(entry, Math.max(key, lastKeptKey));
    };
    for (let j = 0; j < tail; j++) {
      const next = kept[j] as T;
      const nextKey = keptKeys[j] as number;
      while (i < n && (batchKeys[i] as number) < nextKey) run.push(i++);
      if (run.length > 0) {
        // Into the gap (prev, next.seq), what does not fit waits for the next gap. Spaced by at most √gap from its
        // low end: a later late entry of the same time goes after these (ties keep arrival order), and finds most of
        // the gap left; one that goes before them still finds √gap.
        const gap = next.seq - seq;
        const fit = Math.min(run.length, gap - 1);
        const spacing = Math.max(1, Math.min(Math.floor(gap / (fit + 1)), Math.floor(Math.sqrt(gap))));
        for (let m = 0; m < fit; m++) write(run[m] as number, seq + spacing * (m + 1));
        inserted += fit;
        run.splice(0, fit);
      }
      droppedNow += this.push(next, nextKey);
      seq = next.seq;
      lastKeptKey = nextKey;
    }
    for (const index of run) write(index, (seq += step));
    for (; i < n; i++) write(i, (seq += step));
    this.dropped += droppedNow;
    this.misplaced += misplacedNow;
    return { dropped: droppedNow, inserted, misplaced: misplacedNow };
  }

  /** The content, oldest first, as a new array the caller owns. */
  snapshot(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.itemAt(i) as T;
    return out;
  }

  /** The newest entry, if any. */
  last(): T | undefined {
    return this.length === 0 ? undefined : this.itemAt(this.length - 1);
  }

  private itemAt(i: number): T | undefined {
    return this.items[(this.head + i) % this.maxEntries];
  }

  private keyAt(i: number): number {
    return this.keys[(this.head + i) % this.maxEntries] as number;
  }

  /** Appends after the newest; returns 1 when the oldest had to go. */
  private push(entry: T, key: number): number {
    const cap = this.maxEntries;
    let gone = 0;
    if (this.length === cap) {
      this.floorSeq = (this.items[this.head] as T).seq;
      this.head = (this.head + 1) % cap;
      this.length--;
      gone = 1;
    }
    const at = (this.head + this.length) % cap;
    this.items[at] = entry;
    this.keys[at] = key;
    this.length++;
    return gone;
  }
}
