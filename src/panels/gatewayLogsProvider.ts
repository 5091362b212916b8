// Streams one LogSession into the Gateway Logs webview. Pure (no `vscode`): the panel gives it a `post` function and
// forwards the webview's messages, so unit tests and the tail benchmark drive exactly the code the extension runs.
//
// Flow: on every `ready` the webview gets a reset and the session's snapshot; after that, appended entries are
// coalesced (at most one post per `flushIntervalMs` while the stream is light) into bounded batches. The webview
// acknowledges each batch; with `maxInFlight` batches unacknowledged the provider waits, so a slow or busy webview
// makes batches bigger instead of piling messages up in the renderer. What waits is bounded by maxEntries: older
// waiting entries are let go and reported as `skipped`, which the view counts as dropped.
import type { ExplanationMessage, GatewayLogsToHost, GatewayLogsToWebview, LogRow } from '../contract/gatewayLogs.ts';
import { explainFromRecordAlone, isDiagnosableRecord, withoutAzureNote, type RecordExplanation } from '../diagnosis/fromRecord.ts';
import type { LogSession, PodStatus, TaggedEntry } from '../logSessions/session.ts';
import { Disposable } from '../util/disposable.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { redact } from '../util/redact.ts';
import { toEntryDetails, toFindingView, toLogRow } from './gatewayLogsRows.ts';

/**
 * "Why did this fail?" for one failed request record of the session: `progress` tells the view what is being waited
 * for (reading the gateway's configuration from Azure), `signal` aborts when the view goes away. Built by whoever
 * knows where the session's entries come from; without one the record alone is diagnosed.
 */
/** `events`: the gateway's own entries in the session (start-up, sync), oldest first. */
export type ExplainRecord = (entry: TaggedEntry, progress: (message: string) => void, signal: AbortSignal, events: readonly TaggedEntry[]) => Promise<RecordExplanation>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export interface ProviderOptions {
  /** The view's bound (the `arcApimGateway.logs.maxEntries` setting). */
  readonly maxEntries: number;
  /** Rows per message. */
  readonly maxBatchRows?: number;
  /** Rows in the first message after a (re)start: a screenful and more, so the view has rows to show at once. */
  readonly firstBatchRows?: number;
  /** Approximate characters per message (rows carry their search text): keeps one message well under a few MB. */
  readonly maxBatchChars?: number;
  /** Minimum time between two posts of a light stream (50 ms: at most ~20 posts a second; 100 ms made line-to-screen
   * p95 of a 20k lines/s tail 241–269 ms, 50 ms 214 ms, for ~17 % more of a core in the webview). */
  readonly flushIntervalMs?: number;
  /** Batches the webview may have unacknowledged before the provider waits. */
  readonly maxInFlight?: number;
  /** After this long without an acknowledgement the batch is assumed lost (the webview reloaded) and sending resumes. */
  readonly ackTimeoutMs?: number;
  readonly timers?: Timers;
  /** Copy requests go to the clipboard of the host (the webview's own clipboard access varies by host). */
  readonly copy?: (text: string) => void;
  readonly explain?: ExplainRecord;
  /** Opens a failed request record's request in Send Test Request; absent when the log has no gateway Deployment. */
  readonly resend?: (entry: TaggedEntry) => unknown;
}

export interface DeliveryStats {
  /** True between the webview's `ready` and the loss of its content. */
  readonly ready: boolean;
  readonly postedRows: number;
  /** Rows the webview confirmed it stored. */
  readonly acknowledgedRows: number;
  readonly batches: number;
  readonly skippedRows: number;
}

export class GatewayLogsDataProvider extends Disposable {
  private readonly session: LogSession;
  private readonly post: (message: GatewayLogsToWebview) => void;
  private readonly maxEntries: number;
  private readonly maxBatchRows: number;
  private readonly firstBatchRows: number;
  /** The next batch is the first since the webview (re)started. */
  private firstBatch = true;
  private readonly maxBatchChars: number;
  private readonly flushIntervalMs: number;
  private readonly maxInFlight: number;
  private readonly ackTimeoutMs: number;
  private readonly timers: Timers;
  private readonly copy: ((text: string) => void) | undefined;
  private readonly explain: ExplainRecord;
  private readonly resend: ((entry: TaggedEntry) => unknown) | undefined;
  /** Explanations being worked out, by seq: one at a time per record, all aborted with the view. */
  private readonly explaining = new Map<number, AbortController>();

  private ready = false;
  private ended = false;
  /** Entries waiting to be sent; `head` is the first one not yet sent (avoids shifting a 50k-element array). */
  private pending: TaggedEntry[] = [];
  private head = 0;
  private skipped = 0;
  /** The newest seq queued for the view (what a clear clears through). */
  private lastSeq = -1;
  /** The snapshot sent on the last ready, until the next append: that append may be one the snapshot holds already. */
  private snapshotSent: readonly TaggedEntry[] | undefined;
  private timer: unknown;
  private inFlight = new Map<number, { rows: number; sentAt: number }>();
  private batchId = 0;
  private lastPostAt = Number.NEGATIVE_INFINITY;
  /** The newest entry the user cleared, and the session's counts at that moment (see `droppedSinceClear`). */
  private cleared: { seq: number; dropped: number; kept: number } | undefined;
  private stats = { postedRows: 0, acknowledgedRows: 0, batches: 0, skippedRows: 0 };

  constructor(session: LogSession, post: (message: GatewayLogsToWebview) => void, options: ProviderOptions) {
    super();
    this.session = session;
    this.post = post;
    this.maxEntries = options.maxEntries;
    this.maxBatchRows = options.maxBatchRows ?? 5000;
    this.firstBatchRows = options.firstBatchRows ?? 500;
    this.maxBatchChars = options.maxBatchChars ?? 4_000_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.timers = options.timers ?? systemTimers;
    this.copy = options.copy;
    this.resend = options.resend;
    this.explain = options.explain ?? ((entry) => Promise.resolve(explainFromRecordAlone(entry, 'this log is not from a gateway Deployment.')));
    this.register(session.onDidAppend((entries) => this.enqueue(entries)));
    this.register(session.onDidChangePods((pods) => this.ready && this.post({ type: 'gatewayLogs/pods', pods: maskPods(pods) })));
    this.register(session.onNotice((notice) => this.ready && this.post({ type: 'gatewayLogs/notice', notice: { ...notice, text: redact(notice.text) } })));
    this.register(
      session.onDidEnd(() => {
        this.ended = true;
        // The last entries go out before the view is told the stream is over.
        this.flushAll();
        if (this.ready) this.post({ type: 'gatewayLogs/ended' });
      }),
    );
    this.register({ dispose: () => this.cancelTimer() });
    this.register({ dispose: () => [...this.explaining.values()].forEach((c) => c.abort()) });
  }

  delivery(): DeliveryStats {
    return { ready: this.ready, ...this.stats };
  }

  /** The webview (re)started: send the reset and the snapshot (what the user cleared excepted). */
  onReady(): void {
    if (this.isDisposed) return;
    this.ready = true;
    this.firstBatch = true;
    this.inFlight.clear();
    this.cancelTimer();
    const snapshot = this.session.snapshot();
    const clearedSeq = this.cleared?.seq ?? -1;
    let from = 0;
    if (clearedSeq >= 0) {
      while (from < snapshot.length && (snapshot[from]?.seq ?? 0) <= clearedSeq) from++;
    }
    this.pending = snapshot.slice(from);
    this.head = 0;
    this.skipped = 0;
    const newest = snapshot[snapshot.length - 1];
    if (newest) this.lastSeq = Math.max(this.lastSeq, newest.seq);
    this.snapshotSent = snapshot;
    this.post({
      type: 'gatewayLogs/reset',
      title: this.session.title,
      live: this.session.live,
      ended: this.ended,
      settings: { maxEntries: this.maxEntries },
      droppedBefore: this.droppedSinceClear(),
      pods: maskPods(this.session.pods()),
    });
    this.trimPending();
    // The first rows go now, not behind whatever else is queued on the host (a file session's next slice).
    if (this.pending.length > this.head) this.postBatch();
    this.schedule();
  }

  /** The webview's content is gone (panel hidden without retained context, or disposed): stop until the next ready. */
  onLost(): void {
    this.ready = false;
    this.cancelTimer();
    this.inFlight.clear();
    // The next ready sends the snapshot, which holds everything waiting here.
    this.snapshotSent = undefined;
    this.pending = [];
    this.head = 0;
    this.skipped = 0;
  }

  handle(message: GatewayLogsToHost): void {
    switch (message.type) {
      case 'gatewayLogs/ack': {
        const batch = this.inFlight.get(message.batch);
        if (!batch) return;
        this.inFlight.delete(message.batch);
        this.stats.acknowledgedRows += message.rows;
        // A timer may be waiting for the acknowledgement timeout; the slot it waited for is free now.
        this.cancelTimer();
        this.schedule();
        return;
      }
      case 'gatewayLogs/clear': {
        const snapshot = this.session.snapshot();
        this.cleared = { seq: this.lastSeq, dropped: this.session.droppedCount, kept: snapshot.length };
        // Rows not yet sent are older than the clear too.
        this.pending = [];
        this.head = 0;
        this.skipped = 0;
        if (this.ready) this.post({ type: 'gatewayLogs/cleared', throughSeq: this.lastSeq });
        return;
      }
      case 'gatewayLogs/requestDetails': {
        const entry = findBySeq(this.session.snapshot(), message.seq);
        this.post(entry ? { type: 'gatewayLogs/details', seq: message.seq, details: toEntryDetails(entry) } : { type: 'gatewayLogs/details', seq: message.seq });
        return;
      }
      case 'gatewayLogs/copy':
        // What the webview shows is masked already; the clipboard gets the same mask again, whatever the webview sent.
        this.copy?.(redact(message.text));
        return;
      case 'gatewayLogs/explain':
        void this.runExplain(message.seq);
        return;
      case 'gatewayLogs/resend': {
        const entry = findBySeq(this.session.snapshot(), message.seq);
        if (entry && this.resend && isDiagnosableRecord(entry)) this.resend(entry);
        return;
      }
    }
  }

  /**
   * Diagnoses the record `seq` and posts the findings (or why there are none) to the view; returns the last message
   * (tests), undefined when a diagnosis of that record is already running or the view went away.
   */
  async runExplain(seq: number): Promise<ExplanationMessage | undefined> {
    if (this.explaining.has(seq) || this.isDisposed) return undefined;
    const post = (message: ExplanationMessage): ExplanationMessage => {
      if (this.ready && !this.isDisposed) this.post(message);
      return message;
    };
    const entry = findBySeq(this.session.snapshot(), seq);
    if (!entry) return post({ type: 'gatewayLogs/explanation', seq, state: 'error', message: 'This entry has left the session’s buffer.' });
    if (!isDiagnosableRecord(entry)) return post({ type: 'gatewayLogs/explanation', seq, state: 'error', message: 'Only a failed request record can be diagnosed.' });
    const controller = new AbortController();
    this.explaining.set(seq, controller);
    post({ type: 'gatewayLogs/explanation', seq, state: 'busy', message: 'Diagnosing…' });
    try {
      const events = this.session.snapshot().filter((e) => e.kind !== 'request');
      const result = await this.explain(entry, (message) => post({ type: 'gatewayLogs/explanation', seq, state: 'busy', message: redact(message) }), controller.signal, events);
      if (controller.signal.aborted) return undefined;
      const note = withoutAzureNote(result);
      return post({
        type: 'gatewayLogs/explanation',
        seq,
        state: 'done',
        findings: result.findings.map(toFindingView),
        ...(note !== undefined ? { note: redact(note) } : {}),
        ...(this.resend && entry.kind === 'request' && entry.request?.url ? { canResend: true } : {}),
      });
    } catch (error) {
      return controller.signal.aborted ? undefined : post({ type: 'gatewayLogs/explanation', seq, state: 'error', message: safeErrorMessage(error) });
    } finally {
      if (this.explaining.get(seq) === controller) this.explaining.delete(seq);
    }
  }

  /**
   * Entries that left the session's buffer without the view ever getting them. After a clear the session still
   * holds the cleared entries and lets them go first (its buffer is first-in first-out), so those do not count.
   */
  private droppedSinceClear(): number {
    const total = this.session.droppedCount;
    if (!this.cleared) return total;
    return Math.max(0, total - this.cleared.dropped - this.cleared.kept);
  }

  private enqueue(entries: readonly TaggedEntry[]): void {
    if (!this.ready) return;
    // A batch the snapshot already carried (the session appends to its buffer before it fires) is not sent twice. A
    // seq below the newest sent is no repeat by itself: a live session places a late entry among older ones.
    const snapshot = this.snapshotSent;
    this.snapshotSent = undefined;
    const cleared = this.cleared;
    for (const entry of entries) {
      if (snapshot && entry.seq <= this.lastSeq && findBySeq(snapshot, entry.seq) === entry) continue;
      if (cleared && entry.seq <= cleared.seq) {
        // Its place is among what the user cleared: it is not shown, and when the session lets it go it is not news.
        cleared.kept++;
        continue;
      }
      if (entry.seq > this.lastSeq) this.lastSeq = entry.seq;
      this.pending.push(entry);
    }
    this.trimPending();
    this.schedule();
  }

  /** Nothing older than the newest maxEntries can be shown: let it go now and say how many. */
  private trimPending(): void {
    const waiting = this.pending.length - this.head;
    if (waiting > this.maxEntries) {
      const excess = waiting - this.maxEntries;
      this.head += excess;
      this.skipped += excess;
      this.stats.skippedRows += excess;
    }
    // Compact once the sent prefix dominates, so the array does not grow for the life of a tail.
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  private schedule(): void {
    if (!this.ready || this.timer !== undefined || this.isDisposed) return;
    const waiting = this.pending.length - this.head;
    if (waiting === 0 && this.skipped === 0) return;
    if (!this.mayPost()) {
      // Check again when the oldest batch would time out.
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, this.ackTimeoutMs);
      return;
    }
    // A full batch goes at once (a snapshot, a burst); a trickle waits for the interval so it is coalesced.
    const due = waiting >= this.batchLimit() || this.firstBatch ? 0 : Math.max(0, this.lastPostAt + this.flushIntervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, due);
  }

  private mayPost(): boolean {
    const now = this.timers.now();
    for (const [id, batch] of this.inFlight) {
      if (now - batch.sentAt >= this.ackTimeoutMs) this.inFlight.delete(id);
    }
    return this.inFlight.size < this.maxInFlight;
  }

  private flush(): void {
    if (!this.ready || this.isDisposed || !this.mayPost()) {
      this.schedule();
      return;
    }
    this.postBatch();
    this.schedule();
  }

  /** At the end of a session everything waiting goes out, acknowledgements or not: no more will come. */
  private flushAll(): void {
    if (!this.ready) return;
    this.cancelTimer();
    while (this.pending.length - this.head > 0 || this.skipped > 0) this.postBatch();
  }

  private batchLimit(): number {
    return this.firstBatch ? Math.min(this.firstBatchRows, this.maxBatchRows) : this.maxBatchRows;
  }

  private postBatch(): void {
    const rows: LogRow[] = [];
    let chars = 0;
    const limit = this.batchLimit();
    this.firstBatch = false;
    while (this.head < this.pending.length && rows.length < limit && chars < this.maxBatchChars) {
      const entry = this.pending[this.head++];
      if (!entry) continue;
      const row = toLogRow(entry);
      chars += row.search.length + row.message.length + 64;
      rows.push(row);
    }
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    }
    const id = ++this.batchId;
    const skipped = this.skipped;
    this.skipped = 0;
    this.inFlight.set(id, { rows: rows.length, sentAt: this.timers.now() });
    this.lastPostAt = this.timers.now();
    this.stats.postedRows += rows.length;
    this.stats.batches++;
    this.post({ type: 'gatewayLogs/append', batch: id, rows, skipped });
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Pod messages are API errors and container states: masked like everything else that reaches the webview. */
function maskPods(pods: readonly PodStatus[]): PodStatus[] {
  return pods.map((p) => (p.message === undefined ? p : { ...p, message: redact(p.message) }));
}

/** Sequence numbers increase through a session's snapshot (its display order), so a binary search finds an entry among 50k at once. */
export function findBySeq(entries: readonly TaggedEntry[], seq: number): TaggedEntry | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = entries[mid];
    if (!entry) return undefined;
    if (entry.seq === seq) return entry;
    if (entry.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
