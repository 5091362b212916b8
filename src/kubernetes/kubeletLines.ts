// What the kubelet and kubectl put in front of a container's own line, and how a resumed stream skips what was
// already read. Pure: no `vscode`, no Node APIs.

/**
 * `2026-11-27T15:15:11.704000000Z ` (RFC3339Nano, what `timestamps=true` / `kubectl logs --timestamps` write). Real
 * kubelets write 9 fixed digits; fewer digits and a numeric offset are accepted because other runtimes and
 * hand-edited files use them.
 */
const KUBELET_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) /;

/** `[pod/NAME/CONTAINER] ` as `kubectl logs --prefix` writes it (pod and container names never hold `/`, `]` or space). */
const KUBECTL_PREFIX = /^\[pod\/([^/\]\s]+)\/([^/\]\s]+)\] /;

/** A kubelet time that orders to the nanosecond (epoch milliseconds alone would tie lines of the same millisecond). */
export interface KubeletTime {
  /** As written, without the separating space. */
  readonly raw: string;
  /** Whole seconds since the epoch, UTC. */
  readonly seconds: number;
  readonly nanos: number;
  /** Epoch milliseconds (for display and `LogTimestamp.value`). */
  readonly ms: number;
}

export interface StampedLine {
  readonly time: KubeletTime | undefined;
  /** The container's own line. */
  readonly text: string;
}

/** Splits a leading kubelet timestamp off a line; a line without one comes back whole with `time` undefined. */
export function splitKubeletStamp(line: string): StampedLine {
  // A cheap check first: almost every call is on a stamped line, but file lines without stamps must not pay a regex.
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57 || line.charCodeAt(4) !== 45) return { time: undefined, text: line };
  const usual = usualStamp(line);
  if (usual) return { time: usual, text: line.slice(31) };
  const m = KUBELET_STAMP.exec(line);
  if (!m) return { time: undefined, text: line };
  const time = kubeletTime(m[0].slice(0, -1), m[1] ?? '', m[2] ?? '', m[3] ?? 'Z');
  if (!time) return { time: undefined, text: line };
  return { time, text: line.slice(m[0].length) };
}

/** Parses a bare RFC3339 time (`2026-11-27T15:15:11.704Z`) into a KubeletTime; undefined when it is not one. */
export function parseKubeletTime(text: string): KubeletTime | undefined {
  const m = KUBELET_STAMP.exec(`${text} `);
  if (!m || m[0].length !== text.length + 1) return undefined;
  return kubeletTime(text, m[1] ?? '', m[2] ?? '', m[3] ?? 'Z');
}

/** The last second parsed: a stream's lines share their second with the line before (20k lines/s, 1 Date.parse/s). */
let lastSeconds = '';
let lastZone = '';
let lastSecondsMs = Number.NaN;

/**
 * The stamp a kubelet writes (`2026-11-27T15:15:11.704000123Z `: 9 digits, UTC) in the second of the stamp read
 * before it: 20k lines a second are read with no regex, and what it gives equals what the regex path gives.
 */
function usualStamp(line: string): KubeletTime | undefined {
  if (line.length < 31 || line.charCodeAt(30) !== 32 || line.charCodeAt(29) !== 90 || line.charCodeAt(19) !== 46) return undefined;
  if (lastZone !== 'Z' || lastSeconds.length !== 19 || Number.isNaN(lastSecondsMs) || !line.startsWith(lastSeconds)) return undefined;
  let nanos = 0;
  for (let i = 20; i < 29; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    nanos = nanos * 10 + digit;
  }
  const seconds = Math.floor(lastSecondsMs / 1000);
  return { raw: line.slice(0, 30), seconds, nanos, ms: seconds * 1000 + Math.floor(nanos / 1e6) };
}

function kubeletTime(raw: string, wholeSeconds: string, fraction: string, zone: string): KubeletTime | undefined {
  if (wholeSeconds !== lastSeconds || zone !== lastZone) {
    lastSeconds = wholeSeconds;
    lastZone = zone;
    lastSecondsMs = Date.parse(`${wholeSeconds}${zone}`);
  }
  const ms = lastSecondsMs;
  if (Number.isNaN(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  const nanos = fraction ? Number(fraction.padEnd(9, '0')) : 0;
  return { raw, seconds, nanos, ms: seconds * 1000 + Math.floor(nanos / 1e6) };
}

export function compareKubeletTime(a: KubeletTime, b: KubeletTime): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/** The `sinceTime` to resume from: the API takes whole seconds (RFC3339), so it is the second the time falls in. */
export function sinceTimeFor(time: KubeletTime): string {
  return new Date(time.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PrefixedLine {
  readonly pod: string | undefined;
  readonly container: string | undefined;
  readonly text: string;
}

/** Splits `kubectl logs --prefix`'s `[pod/NAME/CONTAINER] ` off a line. */
export function splitKubectlPrefix(line: string): PrefixedLine {
  if (!line.startsWith('[pod/')) return { pod: undefined, container: undefined, text: line };
  const m = KUBECTL_PREFIX.exec(line);
  if (!m) return { pod: undefined, container: undefined, text: line };
  return { pod: m[1], container: m[2], text: line.slice(m[0].length) };
}

/** The most lines at one kubelet time a resume point remembers one by one; the rest are counted. */
export const MAX_HELD_AT_LAST = 1000;

/**
 * Where a follower stands in one container's log: the newest kubelet time read and the lines read at exactly that
 * time (lines can share a stamp on runtimes with coarse clocks). Enough to resume without a gap or a repeat. Lines are
 * held as short fingerprints, at most MAX_HELD_AT_LAST of them: past that, resuming skips the rest by count alone, so
 * a flood of lines with one stamp cannot grow memory without bound.
 */
export class ResumePoint {
  private lastTime: KubeletTime | undefined;
  /** Fingerprints of the lines at the last time, but the newest held one (`newest`). */
  private atLast: string[] = [];
  /**
   * The newest held line at the last time, fingerprinted only when another line shares its time or a resume needs it:
   * a kubelet's stamps are nanosecond-distinct, so at 20k lines a second almost no line is ever hashed.
   */
  private newest: string | undefined;
  /** Lines at the last time beyond those held. */
  private uncounted = 0;

  get time(): KubeletTime | undefined {
    return this.lastTime;
  }

  /** How many lines are held one by one (bounded by MAX_HELD_AT_LAST). */
  get heldLines(): number {
    return this.atLast.length + (this.newest !== undefined ? 1 : 0);
  }

  /** Records a line that was delivered. Lines must come in log order. */
  record(time: KubeletTime, text: string): void {
    const order = this.lastTime ? compareKubeletTime(time, this.lastTime) : 1;
    if (order > 0) {
      this.lastTime = time;
      if (this.atLast.length > 0) this.atLast = [];
      this.newest = text;
      this.uncounted = 0;
    } else if (order === 0) {
      if (this.heldLines < MAX_HELD_AT_LAST) {
        if (this.newest !== undefined) this.atLast.push(fingerprint(this.newest));
        this.newest = text;
      } else this.uncounted++;
    }
    // An older stamp than one already read cannot come from one container's log in order; it is not recorded so
    // that it cannot move the resume point backwards.
  }

  /** The `sinceTime` for the next request, or undefined when nothing was read yet. */
  sinceTime(): string | undefined {
    return this.lastTime ? sinceTimeFor(this.lastTime) : undefined;
  }

  /**
   * A filter for the stream that resumes from `sinceTime()`: it repeats the lines of the last whole second, and the
   * filter drops those already read (older stamps, and the ones at the last stamp, matched in order by content).
   */
  resumeFilter(): ResumeFilter {
    return new ResumeFilter(this.lastTime, this.newest !== undefined ? [...this.atLast, fingerprint(this.newest)] : [...this.atLast], this.uncounted);
  }
}

/** A line's length and FNV-1a hash: enough to tell the lines at one stamp apart, a few bytes however long the line. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length}:${(hash >>> 0).toString(36)}`;
}

export class ResumeFilter {
  private readonly last: KubeletTime | undefined;
  private readonly seenAtLast: string[];
  private uncounted: number;
  private matched = 0;
  private passed: boolean;

  constructor(last: KubeletTime | undefined, seenAtLast: string[], uncounted = 0) {
    this.last = last;
    this.seenAtLast = seenAtLast;
    this.uncounted = uncounted;
    this.passed = last === undefined;
  }

  /** Whether the stream is past everything read before (every later line is new). */
  get done(): boolean {
    return this.passed;
  }

  /** True when the line is new; false when it was read before the stream was resumed. */
  accept(time: KubeletTime | undefined, text: string): boolean {
    if (this.passed || this.last === undefined) return true;
    // A line without a stamp cannot be placed; dropping it could lose data, keeping it at worst repeats one line.
    if (time === undefined) return true;
    const order = compareKubeletTime(time, this.last);
    if (order < 0) return false;
    if (order === 0 && this.matched < this.seenAtLast.length && this.seenAtLast[this.matched] === fingerprint(text)) {
      this.matched++;
      return false;
    }
    if (order === 0 && this.matched === this.seenAtLast.length && this.uncounted > 0) {
      this.uncounted--;
      return false;
    }
    this.passed = true;
    return true;
  }
}
