// A saved gateway log (`kubectl logs … > file`, with or without `--timestamps` and `--prefix`) as a LogSession, so
// the log views show files and live follows the same way. Pure: no `vscode`, no Node APIs.
import { parseGatewayLogLazy } from '../gatewayLogs/lazy.ts';
import { levelClose, normalizeLevel } from '../gatewayLogs/parser.ts';
import { sameAt } from '../gatewayLogs/kv.ts';
import { Emitter } from '../util/event.ts';
import { EntryBuffer } from './buffer.ts';
import { splitKubectlPrefix, splitKubeletStamp, type KubeletTime } from '../kubernetes/kubeletLines.ts';
import type { LogSession, PodStatus, SessionNotice, TaggedEntry } from './session.ts';
import { StreamParser, type UnsequencedEntry } from './streamParser.ts';

export interface FileLogSessionOptions {
  maxEntries: number;
  /** Lines per slice after the first (tests make it small to cut a file at every place it can be cut). */
  sliceLines?: number;
}

/** A LogSession over a file; `loaded` settles once every line is parsed (large files are parsed in slices). */
export interface FileLogSession extends LogSession {
  readonly loaded: Promise<void>;
  /** Lines read from the file. */
  readonly lineCount: number;
}

/** Lines parsed per slice: large enough to be fast, small enough that the extension host stays responsive. */
const SLICE_LINES = 20_000;
/** The first slice is small: its rows are what the view shows first, before the rest of a large file is read. */
const FIRST_SLICE_LINES = 2_000;

let nextSessionId = 1;

export function createFileLogSession(title: string, text: string, options: FileLogSessionOptions): FileLogSession {
  return new FileSession(title, text, options);
}

class FileSession implements FileLogSession {
  readonly id = `file-${nextSessionId++}`;
  readonly title: string;
  readonly live = false;
  readonly loaded: Promise<void>;
  private readonly buffer: EntryBuffer<TaggedEntry>;
  private readonly appendEmitter = new Emitter<readonly TaggedEntry[]>();
  private readonly dropEmitter = new Emitter<number>();
  private readonly podsEmitter = new Emitter<readonly PodStatus[]>();
  private readonly noticeEmitter = new Emitter<SessionNotice>();
  private readonly endEmitter = new Emitter<void>();
  readonly onDidAppend = this.appendEmitter.event;
  readonly onDidDrop = this.dropEmitter.event;
  readonly onDidChangePods = this.podsEmitter.event;
  readonly onNotice = this.noticeEmitter.event;
  readonly onDidEnd = this.endEmitter.event;

  /** The file's text while it is being read (let go once read: the entries hold what they need). */
  private text: string;
  /**
   * No line has a `--prefix`: the file is one stream, read a slice at a time by the lazy parser (entries keep their
   * text and parse the rest when asked), each slice ending before a `[Level]` line, where the parser starts afresh.
   */
  private readonly oneStream: boolean;
  private readonly sliceLines: number;
  private offset = 0;
  private lineNo = 0;
  /** Decided on the first line: `--timestamps` prefixes every line or none, and a gateway line may itself start with a date. */
  private stamped: boolean | undefined;
  private readonly streams = new Map<string, StreamParser>();
  /** Entries returned by the stream parsers that may still be overtaken by an entry another stream holds. */
  private waiting: UnsequencedEntry[] = [];
  private seq = 0;
  private disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Settles `loaded` early when the session is disposed mid-load. */
  private stopLoading: (() => void) | undefined;

  constructor(title: string, text: string, options: FileLogSessionOptions) {
    this.title = title;
    this.text = text;
    this.oneStream = !text.startsWith('[pod/') && !text.includes('\n[pod/');
    this.sliceLines = Math.max(1, options.sliceLines ?? SLICE_LINES);
    this.buffer = new EntryBuffer(options.maxEntries);
    // The first slice is read at once, so a small file's snapshot() is complete as soon as the session exists.
    if (this.readSlice()) {
      this.loaded = Promise.resolve();
    } else {
      this.loaded = new Promise<void>((resolve) => {
        this.stopLoading = resolve;
        const next = (): void => {
          this.timer = undefined;
          if (this.disposed || this.readSlice()) resolve();
          else this.timer = setTimeout(next, 0);
        };
        this.timer = setTimeout(next, 0);
      });
    }
  }

  get droppedCount(): number {
    return this.buffer.droppedCount;
  }

  get lineCount(): number {
    return this.lineNo;
  }

  snapshot(): readonly TaggedEntry[] {
    return this.buffer.snapshot();
  }

  /** Files have no live pods; the pods of a `--prefix` file are on the entries (`pod`). */
  pods(): readonly PodStatus[] {
    return [];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.stopLoading?.();
    this.endEmitter.fire();
    for (const e of [this.appendEmitter, this.dropEmitter, this.podsEmitter, this.noticeEmitter, this.endEmitter]) e.dispose();
  }

  /** Parses the next slice of lines; true when the file is done. */
  private readSlice(): boolean {
    const done = this.oneStream ? this.readOneStreamSlice() : this.readStreamsSlice();
    if (done) this.text = '';
    return done;
  }

  /**
   * The next slice of a one-stream file: its lines (kubelet stamps taken off) joined and read by the lazy parser,
   * each entry tagged with its first line's number and kubelet time. The slice goes on past `sliceLines` to the next
   * line that starts with `[Level]`, which begins an entry whatever came before: entries never straddle two slices,
   * so they are the ones the whole file read at once gives.
   */
  private readOneStreamSlice(): boolean {
    const text = this.text;
    const sliceLines = Math.min(this.lineNo === 0 ? FIRST_SLICE_LINES : this.sliceLines, this.sliceLines);
    const firstLine = this.lineNo + 1;
    const lines: string[] = [];
    const stamps = new Stamps(text);
    while (this.offset < text.length) {
      let nl = text.indexOf('\n', this.offset);
      if (nl < 0) nl = text.length;
      const end = nl > this.offset && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (this.stamped === undefined && end > this.offset) this.stamped = splitKubeletStamp(text.slice(this.offset, end)).time !== undefined;
      const from = this.stamped ? stamps.read(this.offset, end) : this.offset;
      if (lines.length >= sliceLines && startsWithLevel(text, from, end)) break;
      if (!this.stamped) stamps.none();
      lines.push(text.slice(from, end));
      this.offset = nl + 1;
      this.lineNo++;
    }
    const done = this.offset >= text.length;
    if (lines.length === 0) return done;
    // The last line's line end comes from the join too: one flat copy (a `+ '\n'` would make the parser flatten a second).
    lines.push('');
    const batch = parseGatewayLogLazy(lines.join('\n')) as UnsequencedEntry[];
    for (const entry of batch) {
      const index = entry.line - 1;
      entry.line = firstLine + index;
      const time = stamps.at(index);
      if (time) entry.kubeletTime = time;
      entry.seq = ++this.seq;
    }
    this.append(batch as TaggedEntry[]);
    return done;
  }

  private append(batch: TaggedEntry[]): void {
    if (batch.length === 0) return;
    const dropped = this.buffer.append(batch);
    this.appendEmitter.fire(batch);
    if (dropped > 0) this.dropEmitter.fire(dropped);
  }

  /** The next slice of a file with `--prefix` lines: one stream parser per pod, entries released in file order. */
  private readStreamsSlice(): boolean {
    const text = this.text;
    const sliceLines = this.lineNo === 0 ? Math.min(FIRST_SLICE_LINES, this.sliceLines) : this.sliceLines;
    const byStream = new Map<StreamParser, { lines: string[]; times: (KubeletTime | undefined)[]; lineNos: number[] }>();
    let count = 0;
    while (this.offset < text.length && count < sliceLines) {
      let nl = text.indexOf('\n', this.offset);
      if (nl < 0) nl = text.length;
      let line = text.slice(this.offset, nl > this.offset && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      this.offset = nl + 1;
      this.lineNo++;
      count++;
      const prefixed = splitKubectlPrefix(line);
      line = prefixed.text;
      let time: KubeletTime | undefined;
      if (this.stamped === undefined && line.length > 0) this.stamped = splitKubeletStamp(line).time !== undefined;
      if (this.stamped) {
        const split = splitKubeletStamp(line);
        time = split.time;
        line = split.text;
      }
      const stream = this.stream(prefixed.pod, prefixed.container);
      let batch = byStream.get(stream);
      if (!batch) byStream.set(stream, (batch = { lines: [], times: [], lineNos: [] }));
      batch.lines.push(line);
      batch.times.push(time);
      batch.lineNos.push(this.lineNo);
    }
    for (const [stream, batch] of byStream) this.waiting.push(...stream.push(batch.lines, batch.times, batch.lineNos));
    const done = this.offset >= text.length;
    if (done) for (const stream of this.streams.values()) this.waiting.push(...stream.end());
    this.release(done);
    return done;
  }

  private stream(pod: string | undefined, container: string | undefined): StreamParser {
    const key = pod === undefined ? '' : `${pod}/${container ?? ''}`;
    let stream = this.streams.get(key);
    if (!stream) this.streams.set(key, (stream = new StreamParser(pod)));
    return stream;
  }

  /** Appends the waiting entries that no stream can precede any more, in file order. */
  private release(all: boolean): void {
    if (this.waiting.length === 0) return;
    let limit = Infinity;
    if (!all) {
      for (const stream of this.streams.values()) {
        const from = stream.openFrom;
        if (from !== undefined && from < limit) limit = from;
      }
    }
    if (this.streams.size > 1) this.waiting.sort((a, b) => a.line - b.line);
    let n = 0;
    while (n < this.waiting.length && (this.waiting[n]?.line ?? Infinity) < limit) n++;
    if (n === 0) return;
    const batch = this.waiting.splice(0, n) as TaggedEntry[];
    for (const entry of batch) (entry as UnsequencedEntry).seq = ++this.seq;
    this.append(batch);
  }
}

/** Whether the line `from`…`end` of `text` starts with `[Level]` (as the parser's `startsEntry` and the lazy parser read it). */
function startsWithLevel(text: string, from: number, end: number): boolean {
  const next = text.charCodeAt(from + 1);
  if (text.charCodeAt(from) !== 91 || (next >= 48 && next <= 57)) return false;
  const close = levelClose(text, from, end);
  return close >= 0 && normalizeLevel(text.slice(from + 1, close)) !== undefined;
}

/**
 * The kubelet stamps of a slice's lines, by line. The usual stamp (`2026-11-27T15:15:11.704000000Z `: nine digits,
 * UTC) is read in place, and a second already read is not read again (a busy gateway writes thousands of lines a
 * second); any other is read by `splitKubeletStamp`. Each is turned into the entry's `kubeletTime` only for the lines
 * that begin an entry, as a copy, so the file's text can be let go.
 */
class Stamps {
  private readonly text: string;
  /** Per line: where its usual stamp starts in `text`, or -1 (then `other` holds its time, if any). */
  private readonly at_: number[] = [];
  private readonly ms: number[] = [];
  private readonly other: (KubeletTime | undefined)[] = [];
  /** The whole second last read (`2026-11-27T15:15:11`) and its epoch milliseconds. */
  private second = '';
  private secondMs = Number.NaN;

  constructor(text: string) {
    this.text = text;
  }

  /** Reads the stamp of the line `from`…`end`; returns where the line's own text starts. */
  read(from: number, end: number): number {
    const text = this.text;
    if (end - from >= USUAL_STAMP_LENGTH && isUsualStamp(text, from)) {
      if (this.second === '' || !sameAt(text, from, this.second)) {
        // Copied (pieces under 13 characters are copies, not slices), so the stamps kept do not hold the file.
        this.second = text.slice(from, from + 10) + text.slice(from + 10, from + 19);
        this.secondMs = Date.parse(`${this.second}Z`);
      }
      if (!Number.isNaN(this.secondMs)) {
        this.at_.push(from);
        this.ms.push(this.secondMs);
        this.other.push(undefined);
        return from + USUAL_STAMP_LENGTH;
      }
    }
    const split = splitKubeletStamp(text.slice(from, end));
    this.at_.push(-1);
    this.ms.push(0);
    this.other.push(split.time);
    return end - split.text.length;
  }

  /** A line of a file without stamps. */
  none(): void {
    this.at_.push(-1);
    this.ms.push(0);
    this.other.push(undefined);
  }

  /** The kubelet time of the slice's line `index`, as an entry carries it. */
  at(index: number): TaggedEntry['kubeletTime'] {
    const from = this.at_[index] ?? -1;
    if (from < 0) {
      const time = this.other[index];
      return time ? { raw: time.raw, value: time.ms, assumedUtc: false } : undefined;
    }
    const text = this.text;
    const nanos = Number(text.slice(from + 20, from + 29));
    const seconds = Math.floor((this.ms[index] ?? 0) / 1000);
    const raw = text.slice(from, from + 10) + text.slice(from + 10, from + 20) + text.slice(from + 20, from + 30);
    return { raw, value: seconds * 1000 + Math.floor(nanos / 1e6), assumedUtc: false };
  }
}

/** `2026-11-27T15:15:11.704000000Z ` */
const USUAL_STAMP_LENGTH = 31;

function isUsualStamp(text: string, at: number): boolean {
  for (let i = 0; i < 29; i++) {
    const c = text.charCodeAt(at + i);
    const want = STAMP_SHAPE.charCodeAt(i);
    if (want === 100 ? c < 48 || c > 57 : c !== want) return false;
  }
  return text.charCodeAt(at + 29) === 90 && text.charCodeAt(at + 30) === 32;
}

/** `d` stands for a digit. */
const STAMP_SHAPE = 'dddd-dd-ddTdd:dd:dd.ddddddddd';
