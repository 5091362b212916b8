// Container logs as the kubelet keeps and serves them: each line stamped when it was written (RFC3339Nano, fixed 9
// digits, as kubelet's timeFormatOut), one log per container run, the previous run kept for `previous=true`, and
// follow streams that write whatever is pending in one chunk so a single follower can take tens of thousands of
// lines a second. Rotated like the kubelet's (containerLogMaxSize, 10 MiB by default): a read without follow
// serves the current file only, a follower reads on across a rotation without a gap, and lines no reader needs are
// forgotten, so a gateway writing 20k lines a second for hours does not fill the sandbox's memory.
import type { ServerResponse } from 'node:http';

export interface LogLine {
  /** `2026-11-27T15:15:11.704000123Z`: fixed width, so string order is time order. */
  readonly stamp: string;
  readonly text: string;
  /** A partial line (no trailing newline yet), as CRI logs record a process's last unterminated output. */
  readonly partial: boolean;
}

let lastSecond = -1;
let secondPrefix = '';
let lastSec = 0;
let lastNsec = -1;

/** Strictly increasing wall-clock nanosecond stamps, so every line has a distinct, ordered timestamp. */
export function stampNow(): string {
  const ms = performance.timeOrigin + performance.now();
  let sec = Math.floor(ms / 1000);
  let nsec = Math.floor((ms - sec * 1000) * 1e6);
  if (sec < lastSec || (sec === lastSec && nsec <= lastNsec)) {
    sec = lastSec;
    nsec = lastNsec + 1;
    if (nsec >= 1e9) { sec += 1; nsec = 0; }
  }
  lastSec = sec;
  lastNsec = nsec;
  return formatStamp(sec, nsec);
}

// Formatting the date part once per second keeps stamping cheap at hundreds of thousands of lines a second.
function formatStamp(sec: number, nsec: number): string {
  if (sec !== lastSecond) {
    lastSecond = sec;
    secondPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return `${secondPrefix}.${String(nsec).padStart(9, '0')}Z`;
}

/** The stamp of a Date at whole-second or millisecond precision, comparable with line stamps. */
export function stampOf(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.${String(date.getUTCMilliseconds() * 1e6).padStart(9, '0')}Z`;
}

export interface LogQuery {
  timestamps: boolean;
  tailLines?: number;
  /** Lines stamped at or after this stamp. */
  since?: string;
  limitBytes?: number;
}

/** The kubelet's default `containerLogMaxSize` (10Mi): the current log file is rotated past this size. */
export const CONTAINER_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** What the container runtime adds to each line in the CRI log file (` stdout F ` and the newline). */
const CRI_LINE_OVERHEAD = 11;

/**
 * The log of one run of one container. Line indexes are absolute: the n-th line the container wrote has index n,
 * whatever rotation forgot before it (`lines[0]` has index `base`).
 */
export class ContainerLog {
  /** The lines kept: the current file, and older ones a follower has not read yet. */
  lines: LogLine[] = [];
  /** Index of `lines[0]`. */
  private base = 0;
  /** Index of the current file's first line: where a read without follow starts at the earliest. */
  private fileStart = 0;
  private fileBytes = 0;
  private readonly maxFileBytes: number;
  private ended = false;
  private readonly followers = new Set<Follower>();
  private pendingPartial = '';

  constructor(maxFileBytes = CONTAINER_LOG_MAX_BYTES) {
    this.maxFileBytes = maxFileBytes;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Index after the newest line: how many lines the container has written. */
  get written(): number {
    return this.base + this.lines.length;
  }

  /** The lines of the current log file (what `kubectl logs` shows), oldest first. */
  currentLines(): LogLine[] {
    return this.lines.slice(this.fileStart - this.base);
  }

  append(text: string, partial = false): void {
    if (this.ended) return;
    const line = { stamp: stampNow(), text, partial };
    this.lines.push(line);
    this.fileBytes += line.stamp.length + text.length + CRI_LINE_OVERHEAD;
    if (this.fileBytes > this.maxFileBytes) this.rotate();
    for (const f of this.followers) f.wake();
  }

  /** The current file is closed and a new one begins; lines before it stay only while a follower still reads them. */
  private rotate(): void {
    this.fileStart = this.written;
    this.fileBytes = 0;
    this.forget();
  }

  /** Lets go of lines before the current file that every follower has read. */
  forget(): void {
    let keepFrom = this.fileStart;
    for (const f of this.followers) keepFrom = Math.min(keepFrom, f.position);
    if (keepFrom > this.base) {
      this.lines = this.lines.slice(keepFrom - this.base);
      this.base = keepFrom;
    }
  }

  /** Raw output as a process writes it: split into lines, a trailing fragment waits for its newline. */
  write(chunk: string): void {
    const parts = (this.pendingPartial + chunk).split('\n');
    this.pendingPartial = parts.pop() ?? '';
    for (const line of parts) this.append(line);
  }

  /** The process ended: an unterminated fragment becomes a partial line, and followers finish. */
  end(): void {
    if (this.ended) return;
    if (this.pendingPartial) {
      this.append(this.pendingPartial, true);
      this.pendingPartial = '';
    }
    this.ended = true;
    for (const f of this.followers) f.wake();
  }

  /** Index of the first line a query selects (in the current file: the kubelet reads no rotated file). */
  startIndex(query: LogQuery): number {
    let start = this.fileStart;
    if (query.tailLines !== undefined) start = Math.max(start, this.written - query.tailLines);
    if (query.since !== undefined) {
      let lo = this.fileStart;
      let hi = this.written;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.lines[mid - this.base]!.stamp < query.since) lo = mid + 1;
        else hi = mid;
      }
      start = Math.max(start, lo);
    }
    return start;
  }

  render(from: number, to: number, timestamps: boolean): string {
    let out = '';
    for (let i = from - this.base; i < to - this.base; i++) {
      const line = this.lines[i]!;
      out += timestamps ? `${line.stamp} ${line.text}${line.partial ? '' : '\n'}` : `${line.text}${line.partial ? '' : '\n'}`;
    }
    return out;
  }

  attach(follower: Follower): void {
    this.followers.add(follower);
  }

  detach(follower: Follower): void {
    this.followers.delete(follower);
  }
}

export type CutMode = 'end' | 'reset';

const maxChunkLines = 4096;

/** One open `follow=true` response. */
export class Follower {
  private readonly log: ContainerLog;
  private readonly res: ServerResponse;
  private readonly timestamps: boolean;
  private next: number;
  private bytesLeft: number;
  private scheduled = false;
  private waitingForDrain = false;
  private closed = false;
  private sent = 0;
  private cutAt: number | undefined;
  private cutMode: CutMode = 'end';
  private heldUntil = 0;
  private readonly onClose: () => void;
  /** `namespace/pod` of the log being followed, so faults can pick streams. */
  readonly pod: string;

  /** Index of the next line this follower writes. */
  get position(): number {
    return this.next;
  }

  constructor(log: ContainerLog, res: ServerResponse, query: LogQuery, pod: string, onClose: () => void) {
    this.log = log;
    this.pod = pod;
    this.res = res;
    this.timestamps = query.timestamps;
    this.next = log.startIndex(query);
    this.bytesLeft = query.limitBytes ?? Infinity;
    this.onClose = onClose;
    res.on('close', () => this.finish());
    log.attach(this);
    this.wake();
  }

  get linesSent(): number {
    return this.sent;
  }

  /**
   * Write nothing for `ms`, then everything that piled up (a slow node or a congested connection): the lines keep the
   * kubelet's stamps of when they were written and reach the client late.
   */
  hold(ms: number): void {
    this.heldUntil = Date.now() + ms;
    setTimeout(() => this.wake(), ms + 1);
  }

  /** Cut the stream after `afterLines` more lines (0: now). */
  cut(afterLines: number, mode: CutMode): void {
    this.cutAt = this.sent + afterLines;
    this.cutMode = mode;
    this.wake();
  }

  wake(): void {
    if (this.scheduled || this.waitingForDrain || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (Date.now() < this.heldUntil) return;
    while (!this.closed) {
      if (this.cutAt !== undefined && this.sent >= this.cutAt) return this.stop(this.cutMode);
      const available = this.log.written - this.next;
      if (available <= 0) {
        if (this.log.isEnded) this.stop('end');
        return;
      }
      let count = Math.min(available, maxChunkLines);
      if (this.cutAt !== undefined) count = Math.min(count, this.cutAt - this.sent);
      let chunk = this.log.render(this.next, this.next + count, this.timestamps);
      this.next += count;
      this.sent += count;
      let done = false;
      if (Buffer.byteLength(chunk) >= this.bytesLeft) {
        chunk = Buffer.from(chunk).subarray(0, this.bytesLeft).toString('utf8');
        done = true;
      }
      this.bytesLeft -= Buffer.byteLength(chunk);
      const ok = this.res.write(chunk);
      if (done) return this.stop('end');
      if (!ok) {
        this.waitingForDrain = true;
        this.res.once('drain', () => {
          this.waitingForDrain = false;
          this.wake();
        });
        return;
      }
    }
  }

  private stop(mode: CutMode): void {
    if (this.closed) return;
    if (mode === 'reset') this.res.destroy();
    else this.res.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.detach(this);
    this.onClose();
  }
}
