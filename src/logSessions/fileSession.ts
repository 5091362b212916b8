// A saved gateway log (`kubectl logs … > file`, with or without `--timestamps` and `--prefix`) as a LogSession, so
// the log views show files and live follows the same way. Pure: no `vscode`, no Node APIs.
import { Emitter } from '../util/event.ts';
import { EntryBuffer } from './buffer.ts';
import { splitKubectlPrefix, splitKubeletStamp, type KubeletTime } from '../kubernetes/kubeletLines.ts';
import type { LogSession, PodStatus, SessionNotice, TaggedEntry } from './session.ts';
import { StreamParser, type UnsequencedEntry } from './streamParser.ts';

export interface FileLogSessionOptions {
  maxEntries: number;
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

  private readonly text: string;
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
    const text = this.text;
    const sliceLines = this.lineNo === 0 ? FIRST_SLICE_LINES : SLICE_LINES;
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
    const dropped = this.buffer.append(batch);
    this.appendEmitter.fire(batch);
    if (dropped > 0) this.dropEmitter.fire(dropped);
  }
}
