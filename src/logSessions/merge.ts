// Entries of several pods, merged in the order the kubelet stamped their lines. Pure: no `vscode`, no Node APIs.

import type { KubeletTime } from '../kubernetes/kubeletLines.ts';
import type { LogTimestamp } from '../gatewayLogs/entry.ts';

interface Timed {
  readonly kubeletTime?: LogTimestamp;
}

/** One stream's entries waiting to be released: parallel arrays from `head` on (no shifting). */
interface Queue<T> {
  items: T[];
  /** The entry's kubelet time, never below the one before it in the same stream (see KubeletOrder). */
  keys: number[];
  /** When the entry reached the session (the caller's clock). */
  arrivals: number[];
  /** Arrival order across all streams: ties of time are released in the order they came. */
  order: number[];
  head: number;
  /** The key of the newest entry pushed (an entry without a time gets it). */
  lastKey: number;
}

/**
 * A reorder buffer for the entries of several streams (a live follow's pods), each stream already in kubelet-time
 * order: entries are held until the caller says no stream can still deliver an older one, then released merged in
 * kubelet-time order, so one stream's lines that arrive a moment after another's newer lines still land before them.
 * Nothing is ever dropped: `release` gives every entry at or before the bound, and every entry that has waited long
 * enough, together with everything of a time up to it.
 *
 * An entry without a kubelet time, or with one earlier than the entry before it in its stream (a clock set back), keeps
 * its place right after that entry: a stream's own order is never changed.
 */
export class KubeletOrder<T extends Timed> {
  private readonly queues = new Map<string, Queue<T>>();
  private held = 0;
  private arrivals = 0;

  /** Entries held. */
  get size(): number {
    return this.held;
  }

  /** Appends a stream's next entries, in the stream's order, that arrived at `now`. */
  push(stream: string, entries: readonly T[], now: number): void {
    if (entries.length === 0) return;
    let queue = this.queues.get(stream);
    if (!queue) {
      queue = { items: [], keys: [], arrivals: [], order: [], head: 0, lastKey: Number.NEGATIVE_INFINITY };
      this.queues.set(stream, queue);
    }
    for (const entry of entries) {
      const value = entry.kubeletTime && orderKey(entry.kubeletTime);
      if (value !== undefined && value > queue.lastKey) queue.lastKey = value;
      queue.items.push(entry);
      queue.keys.push(queue.lastKey);
      queue.arrivals.push(now);
      queue.order.push(this.arrivals++);
    }
    this.held += entries.length;
  }

  /**
   * Releases, in kubelet-time order, every entry whose time is at or before `bound`; and every entry that arrived at
   * or before `arrivedBy`, with every other entry of a time up to the newest of those (so what is released stays in
   * order). `bound` is the caller's promise that no stream delivers an entry older than it later. `keys`, when given,
   * receives each released entry's ordering key (its kubelet time, or the one before it in its stream: see above).
   */
  release(bound: number, arrivedBy = Number.NEGATIVE_INFINITY, keys?: number[]): T[] {
    if (this.held === 0) return [];
    let threshold = bound;
    for (const q of this.queues.values()) {
      // Arrivals only grow within a queue: the entries that waited long enough are a prefix.
      let i = q.head;
      while (i < q.items.length && (q.arrivals[i] as number) <= arrivedBy) i++;
      if (i > q.head) threshold = Math.max(threshold, q.keys[i - 1] as number);
    }
    const runs: { queue: Queue<T>; end: number }[] = [];
    let total = 0;
    for (const q of this.queues.values()) {
      let end = q.head;
      while (end < q.items.length && (q.keys[end] as number) <= threshold) end++;
      if (end > q.head) {
        runs.push({ queue: q, end });
        total += end - q.head;
      }
    }
    if (total === 0) return [];
    const out = new Array<T>(total);
    if (runs.length === 1) {
      const { queue, end } = runs[0] as { queue: Queue<T>; end: number };
      for (let i = queue.head, o = 0; i < end; i++, o++) {
        out[o] = queue.items[i] as T;
        keys?.push(queue.keys[i] as number);
      }
      queue.head = end;
    } else {
      mergeRuns(runs, out, keys);
    }
    this.held -= total;
    for (const [stream, q] of this.queues) {
      if (q.head === q.items.length) this.queues.delete(stream);
      else if (q.head > 1024 && q.head * 2 > q.items.length) compact(q);
    }
    return out;
  }

  /** Everything held, in kubelet-time order. */
  releaseAll(keys?: number[]): T[] {
    return this.release(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, keys);
  }
}

/** `orderKey` of a kubelet stamp as the stream reader gives it: the bound a pod's newest line sets is on the same scale
 * as the keys of the entries it bounds (a whole millisecond would hold back the entries of that millisecond). */
export function kubeletOrderKey(time: KubeletTime): number {
  return orderKey({ raw: time.raw, value: time.ms, assumedUtc: false }) ?? time.ms;
}

/**
 * A kubelet time to order by: its milliseconds, and the digits of the stamp past them as a fraction (a kubelet stamps
 * to the nanosecond; `2026-11-27T15:15:11.704000123Z`). At 20k lines a second many lines share a millisecond, and a
 * late one of them is placed among those by its finer time instead of after them all. A double holds the fraction
 * to about a quarter of a microsecond.
 */
export function orderKey(time: LogTimestamp): number | undefined {
  const value = time.value;
  if (value === undefined) return undefined;
  const raw = time.raw;
  if (raw.charCodeAt(19) !== 46) return value;
  let fraction = 0;
  let scale = 1;
  for (let i = 23; i < raw.length && i < 29; i++) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    scale /= 10;
    fraction += digit * scale;
  }
  return value + fraction;
}

function compact<T>(q: Queue<T>): void {
  q.items = q.items.slice(q.head);
  q.keys = q.keys.slice(q.head);
  q.arrivals = q.arrivals.slice(q.head);
  q.order = q.order.slice(q.head);
  q.head = 0;
}

/** k-way merge of sorted runs through a binary heap of run indices, by (key, arrival order). */
function mergeRuns<T>(runs: { queue: Queue<T>; end: number }[], out: T[], keys: number[] | undefined): void {
  const before = (a: number, b: number): boolean => {
    const qa = (runs[a] as { queue: Queue<T> }).queue;
    const qb = (runs[b] as { queue: Queue<T> }).queue;
    const ka = qa.keys[qa.head] as number;
    const kb = qb.keys[qb.head] as number;
    return ka < kb || (ka === kb && (qa.order[qa.head] as number) < (qb.order[qb.head] as number));
  };
  const heap = runs.map((_, i) => i);
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && before(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let o = 0;
  while (heap.length > 0) {
    const top = heap[0] as number;
    const run = runs[top] as { queue: Queue<T>; end: number };
    keys?.push(run.queue.keys[run.queue.head] as number);
    out[o++] = run.queue.items[run.queue.head++] as T;
    if (run.queue.head === run.end) {
      const last = heap.pop() as number;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
}
