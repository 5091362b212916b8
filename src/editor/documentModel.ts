// How a LogSession becomes the text of an editor document that only ever grows at the end and shrinks at the top.
// Pure (no `vscode`): the live document applies the updates planned here; unit tests check the text, the batching
// arithmetic and the bound.
//
// Lines follow `kubectl logs --timestamps [--prefix]`: every physical line of an entry carries the entry's kubelet
// time (by default only when the gateway wrote no timestamp of its own: `arcApimGateway.logs.editor.kubeletTime`), and
// once the document has seen more than one pod, the pod as `[pod/NAME] `, NAME shortened to the part that tells the
// pods apart (podNames.ts; the hover names the pod in full). Lines already written are never rewritten, so the pod
// prefix starts with the first entry of a second pod rather than being added to older lines.
import { stripAnsi } from '../gatewayLogs/parser.ts';
import type { EntryKind } from '../gatewayLogs/entry.ts';
import type { SessionNotice, TaggedEntry } from '../logSessions/session.ts';
import { checkMaxEntries } from '../logSessions/buffer.ts';
import { PodNamer } from '../logSessions/podNames.ts';
import { redact } from '../util/redact.ts';

/** When lines carry the kubelet's time: always (`kubectl logs --timestamps`), or only for entries without their own. */
export type KubeletTimeMode = 'always' | 'whenMissing';

export interface DocumentModelOptions {
  /** The most entries the document holds (`arcApimGateway.logs.maxEntries`). */
  readonly maxEntries: number;
  /**
   * When over the bound, the oldest entries go down to this share of it in one edit, so a steady stream costs one
   * top deletion per (1 − ratio) × maxEntries entries instead of one per batch: every top deletion shifts all lines.
   */
  readonly lowWaterRatio?: number;
  /** Clock for notices the document writes itself. */
  readonly now?: () => number;
  /** Default `whenMissing`: the gateway's own timestamp is enough, and at 1280 px there is no room for two. */
  readonly kubeletTime?: KubeletTimeMode;
}

/** What arrives from the session, in arrival order. */
export type Incoming = { readonly entry: TaggedEntry } | { readonly notice: SessionNotice };

interface Item {
  readonly entry?: TaggedEntry;
  /** The rendered notice line (notices are not kept as entries). */
  readonly notice?: string;
  readonly lineCount: number;
  /** UTF-16 length of its lines with their line breaks. */
  readonly chars: number;
  /** The pod's name as its `[pod/NAME] ` prefix shows it; undefined: no prefix. */
  readonly podPrefix: string | undefined;
  /** Line number counted from the first line the document ever had: stays put while the top is dropped. */
  readonly absStart: number;
}

/** One edit: delete `deleteLines` lines at the top, append `text` at the end. Both positions are before the edit. */
export interface DocumentUpdate {
  readonly deleteLines: number;
  /** Line count before the update = the line where `text` is inserted (the document ends with a line break). */
  readonly insertAtLine: number;
  /** Whole lines, each ending with `\n`. */
  readonly text: string;
  readonly appendedEntries: number;
  readonly droppedEntries: number;
  /** @internal What commit() applies. */
  readonly dropItems: number;
  /** @internal */
  readonly newItems: readonly Item[];
  /** @internal */
  readonly latchPods: boolean;
  /** @internal */
  readonly firstPod: string | undefined;
  /** @internal */
  readonly noticeWritten: boolean;
  /** @internal */
  readonly lastSeq: number;
}

/** A span of the document that belongs to one entry or notice, for folding and hovers. */
export interface DocumentSpan {
  /** 0-based first line. */
  readonly start: number;
  readonly lineCount: number;
  readonly kind: EntryKind | 'notice';
  readonly entry?: TaggedEntry;
}

/** Characters a text model treats as line breaks, which must not split a log line into two document lines. */
const LINE_BREAKS = /[\r\u2028\u2029]/g;
const SHOWN_FOR: Readonly<Record<string, string>> = { '\r': '\u240d', '\u2028': '\u2424', '\u2029': '\u2424' };

/** A log line as the editor shows it: colour codes removed, secrets masked, no stray line breaks. */
export function cleanLine(line: string): string {
  return redact(stripAnsi(line)).replace(LINE_BREAKS, (c) => SHOWN_FOR[c] ?? ' ');
}

/** `podName`: the name the `[pod/NAME] ` prefix shows; undefined for none. */
export function linePrefixFor(entry: TaggedEntry, podName: string | undefined, kubeletTime: KubeletTimeMode = 'always'): string {
  let prefix = podName !== undefined ? `[pod/${podName}] ` : '';
  if (entry.kubeletTime && (kubeletTime === 'always' || entry.timestamp === undefined)) prefix += `${entry.kubeletTime.raw} `;
  return prefix;
}

/** The document lines of one entry (without line breaks). */
export function renderEntry(entry: TaggedEntry, podName: string | undefined, kubeletTime: KubeletTimeMode = 'always'): string[] {
  const prefix = linePrefixFor(entry, podName, kubeletTime);
  const raw = entry.raw.length > 0 ? entry.raw : [''];
  return raw.map((line) => prefix + cleanLine(line));
}

/** A notice line: `# <ISO time> [pod NAME: ]text`, one line, so the grammar shows it as a comment. */
export function renderNotice(notice: SessionNotice): string {
  const time = Number.isFinite(notice.time) ? new Date(notice.time).toISOString() : '';
  const who = notice.pod ? `pod ${notice.pod}: ` : '';
  return cleanLine(`# ${time} ${who}${notice.text}`.replace(/\n/g, ' '));
}

export class LogDocumentModel {
  readonly maxEntries: number;
  private readonly lowWater: number;
  private readonly now: () => number;
  private readonly kubeletTime: KubeletTimeMode;
  private readonly podNames = new PodNamer();
  /** Items in document order; `head` is the first one still in the document (avoids shifting a 50k array). */
  private items: Item[] = [];
  private head = 0;
  private entries = 0;
  private lines = 0;
  private chars = 0;
  private nextAbs = 0;
  private multiPod = false;
  private firstPod: string | undefined;
  private dropNoticeWritten = false;
  private dropped = 0;
  private lastSeq = Number.NEGATIVE_INFINITY;
  /** The entries written, to tell a repeat from a late entry (both have a seq below the newest). */
  private readonly written = new WeakSet<TaggedEntry>();

  constructor(options: DocumentModelOptions) {
    this.maxEntries = checkMaxEntries(options.maxEntries);
    const ratio = options.lowWaterRatio ?? 0.9;
    this.lowWater = Math.max(1, Math.min(this.maxEntries, Math.floor(this.maxEntries * ratio)));
    this.now = options.now ?? Date.now;
    this.kubeletTime = options.kubeletTime ?? 'whenMissing';
  }

  /** Lines in the document (each ends with a line break, so the editor shows one more, empty, line). */
  get lineCount(): number {
    return this.lines;
  }

  /** Length of the text (UTF-16 units). */
  get length(): number {
    return this.chars;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** Entries this document has let go from its top. */
  get droppedEntries(): number {
    return this.dropped;
  }

  /** Whether lines carry `[pod/NAME] ` (from the first entry of a second pod on). */
  get prefixesPods(): boolean {
    return this.multiPod;
  }

  /** Seeds the pod prefix decision from the pods the session already knows (a Deployment with several replicas). */
  notePods(pods: readonly string[]): void {
    if (this.firstPod === undefined && pods.length > 0) this.firstPod = pods[0];
    this.podNames.seed(pods);
    if (new Set(pods).size > 1) this.multiPod = true;
  }

  /**
   * Plans the edit that adds `incoming` (entries already in the document are skipped). Nothing changes until
   * commit(): the edit may still fail, and hovers must read the state that matches the document's text.
   */
  plan(incoming: readonly Incoming[]): DocumentUpdate {
    let multiPod = this.multiPod;
    let firstPod = this.firstPod;
    let lastSeq = this.lastSeq;
    const newItems: Item[] = [];
    let newEntries = 0;
    for (const item of incoming) {
      if ('notice' in item) {
        const notice = renderNotice(item.notice);
        newItems.push({ notice, lineCount: 1, chars: notice.length + 1, podPrefix: undefined, absStart: 0 });
        continue;
      }
      const entry = item.entry;
      // The session appends to its buffer before it fires, so a batch can repeat the tail of the snapshot. A seq
      // below the newest written is not a repeat by itself: a live session places a late entry (its pod's lines came
      // late) among older ones. The document only grows at the end, so it is written here, after newer entries.
      if (entry.seq <= lastSeq && this.written.has(entry)) continue;
      if (entry.seq > lastSeq) lastSeq = entry.seq;
      if (entry.pod !== undefined) {
        if (firstPod === undefined) firstPod = entry.pod;
        else if (entry.pod !== firstPod) multiPod = true;
      }
      const lineCount = Math.max(1, entry.raw.length);
      newItems.push({ entry, lineCount, chars: 0, podPrefix: multiPod && entry.pod !== undefined ? this.podNames.nameOf(entry.pod) : undefined, absStart: 0 });
      newEntries++;
    }

    // Over the bound: the oldest go, down to the low-water mark, first from the document and then, if the batch
    // alone is larger than the bound, from the batch itself (those are never written).
    let dropItems = 0;
    let deleteLines = 0;
    let droppedEntries = 0;
    let skipNew = 0;
    const total = this.entries + newEntries;
    let noticeWritten = this.dropNoticeWritten;
    if (total > this.maxEntries) {
      let excess = total - this.lowWater;
      let i = this.head;
      for (; i < this.items.length && excess > 0; i++) {
        const item = this.items[i] as Item;
        dropItems++;
        deleteLines += item.lineCount;
        if (item.entry) {
          excess--;
          droppedEntries++;
        }
      }
      // Notices left at the top go too: a document (or a saved copy) should start with a log line, which is also
      // what tells a reader of the file whether lines carry kubelet times.
      for (; i < this.items.length && !(this.items[i] as Item).entry; i++) {
        dropItems++;
        deleteLines += 1;
      }
      while (skipNew < newItems.length && excess > 0) {
        if ((newItems[skipNew] as Item).entry) {
          excess--;
          droppedEntries++;
        }
        skipNew++;
      }
      if (!noticeWritten) {
        noticeWritten = true;
        const text = `Older entries are now dropped from the top: this editor keeps at most ${this.maxEntries.toLocaleString('en-US')} entries (setting arcApimGateway.logs.maxEntries).`;
        const notice = renderNotice({ time: this.now(), text });
        newItems.push({ notice, lineCount: 1, chars: notice.length + 1, podPrefix: undefined, absStart: 0 });
      }
    }
    const kept: Item[] = [];
    const out: string[] = [];
    let appendedEntries = 0;
    let at = this.nextAbs;
    for (let i = skipNew; i < newItems.length; i++) {
      const item = newItems[i] as Item;
      const lines = item.entry ? renderEntry(item.entry, item.podPrefix, this.kubeletTime) : [item.notice ?? ''];
      let chars = 0;
      for (const line of lines) {
        out.push(line);
        chars += line.length + 1;
      }
      // Numbered from the document's end; items skipped in front of these were never written.
      kept.push({ ...item, chars, absStart: at });
      at += item.lineCount;
      if (item.entry) appendedEntries++;
    }
    return {
      deleteLines,
      insertAtLine: this.lines,
      text: out.length > 0 ? `${out.join('\n')}\n` : '',
      appendedEntries,
      droppedEntries,
      dropItems,
      newItems: kept,
      latchPods: multiPod,
      firstPod,
      noticeWritten,
      lastSeq,
    };
  }

  /** Applies a planned update once the document has it. Updates must be committed in the order they were planned. */
  commit(update: DocumentUpdate): void {
    for (let i = 0; i < update.dropItems; i++) {
      const item = this.items[this.head++] as Item;
      this.lines -= item.lineCount;
      this.chars -= item.chars;
      if (item.entry) this.entries--;
    }
    this.dropped += update.droppedEntries;
    for (const item of update.newItems) {
      if (item.entry) this.written.add(item.entry);
      this.items.push(item);
      this.lines += item.lineCount;
      this.chars += item.chars;
      if (item.entry) this.entries++;
    }
    const last = update.newItems[update.newItems.length - 1];
    if (last) this.nextAbs = last.absStart + last.lineCount;
    this.multiPod = update.latchPods;
    this.firstPod = update.firstPod;
    this.dropNoticeWritten = update.noticeWritten;
    if (update.lastSeq > this.lastSeq) this.lastSeq = update.lastSeq;
    // Compact once the dropped prefix is as large as what is kept: amortised O(1) per item.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** The whole text, as the document has it after the last commit. */
  text(): string {
    return renderItems(this.items, this.head, this.kubeletTime);
  }

  /** The entry or notice covering a 0-based document line. */
  spanAt(line: number): DocumentSpan | undefined {
    if (line < 0 || line >= this.lines || this.head >= this.items.length) return undefined;
    const top = (this.items[this.head] as Item).absStart;
    const abs = top + line;
    let lo = this.head;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.items[mid] as Item).absStart <= abs) lo = mid;
      else hi = mid - 1;
    }
    return toSpan(this.items[lo] as Item, top);
  }

  /** Every entry and notice in document order. */
  *spans(): Generator<DocumentSpan> {
    if (this.head >= this.items.length) return;
    const top = (this.items[this.head] as Item).absStart;
    for (let i = this.head; i < this.items.length; i++) yield toSpan(this.items[i] as Item, top);
  }
}

function toSpan(item: Item, top: number): DocumentSpan {
  const start = item.absStart - top;
  return item.entry ? { start, lineCount: item.lineCount, kind: item.entry.kind, entry: item.entry } : { start, lineCount: 1, kind: 'notice' };
}

function renderItems(items: readonly Item[], from: number, kubeletTime: KubeletTimeMode): string {
  const out: string[] = [];
  for (let i = from; i < items.length; i++) {
    const item = items[i] as Item;
    if (item.entry) for (const line of renderEntry(item.entry, item.podPrefix, kubeletTime)) out.push(line);
    else out.push(item.notice ?? '');
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
