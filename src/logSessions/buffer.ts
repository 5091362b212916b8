// The bounded store behind every LogSession. Pure: no `vscode`, no Node APIs.
//
// A followed gateway can write tens of thousands of lines a second for hours; the views need the newest entries and
// an honest count of what was let go, not everything. A ring keeps appends O(batch) with no array shifting.

export class EntryBuffer<T> {
  readonly maxEntries: number;
  private readonly ring: (T | undefined)[];
  /** Index of the oldest entry in `ring`. */
  private head = 0;
  private length = 0;
  private dropped = 0;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a whole number of at least 1 (got ${maxEntries})`);
    }
    this.maxEntries = maxEntries;
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
