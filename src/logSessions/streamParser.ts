// One container's lines → entries tagged with their pod, their first line's kubelet time and their line number in
// the source. Pure: no `vscode`, no Node APIs.
//
// Every stream (a pod in a live follow, a `[pod/…]` prefix in a saved file) gets its own GatewayLogParser: a
// multi-line record (a `lastError` block, a stack trace) must not take in lines that another pod wrote between
// its lines.
import { kubeletOrderKey } from './merge.ts';
import { GatewayLogParser, type GatewayLogEntry, type LogTimestamp } from '../gatewayLogs/parser.ts';
import type { KubeletTime } from '../kubernetes/kubeletLines.ts';

/** A TaggedEntry before the session gives it its sequence number. */
export type UnsequencedEntry = GatewayLogEntry & { seq: number; pod?: string; kubeletTime?: LogTimestamp };

export class StreamParser {
  readonly pod: string | undefined;
  private readonly parser = new GatewayLogParser();
  /** Lines pushed into the parser since its line count last restarted at 1 (`end()` restarts it). */
  private parserBase = 0;
  private pushed = 0;
  /** Per pushed line still needed: its kubelet time and its line number in the source; `queueStart` is the first's index. */
  private times: (KubeletTime | undefined)[] = [];
  private lineNos: number[] = [];
  private queueStart = 0;
  private queueHead = 0;
  /** The first pushed line that no returned entry starts at or before: a lower bound for the held entry's first line. */
  private lowestOpen: number | undefined;
  /** The same line as an index among all pushed lines (for its kubelet time). */
  private openIndex = 0;
  /** Lines pushed since the last flush or end: whether anything can be held. */
  private unflushed = false;

  constructor(pod: string | undefined) {
    this.pod = pod;
  }

  /**
   * Parses complete lines (no line terminators) with their kubelet times and source line numbers; returns the entries
   * now complete, in order.
   */
  push(lines: readonly string[], times: readonly (KubeletTime | undefined)[], lineNos: readonly number[]): UnsequencedEntry[] {
    if (lines.length === 0) return [];
    for (let i = 0; i < lines.length; i++) {
      this.times.push(times[i]);
      this.lineNos.push(lineNos[i] ?? 0);
    }
    if (this.lowestOpen === undefined) {
      this.lowestOpen = lineNos[0];
      this.openIndex = this.pushed;
    }
    this.pushed += lines.length;
    this.unflushed = true;
    // One chunk per batch: the parser is fastest on large chunks, and a batch is what arrived together anyway.
    return this.tag(this.parser.push(lines.join('\n') + '\n'));
  }

  /**
   * Releases the held newest entry (the stream went quiet, so a continuation line is unlikely to follow soon).
   * `end()` rather than the parser's `flush()`: only complete lines are pushed, so ending releases exactly the held
   * entry, and its documented restart of the line count is accounted for here.
   */
  flush(): UnsequencedEntry[] {
    if (!this.unflushed) return [];
    return this.end();
  }

  /** The stream ended: every held entry. The parser can take further lines (a resumed stream) afterwards. */
  end(): UnsequencedEntry[] {
    this.unflushed = false;
    const out = this.tag(this.parser.end());
    this.parserBase = this.pushed;
    // Everything pushed was returned: whatever is held next starts at the next line pushed.
    this.openIndex = this.pushed;
    return out;
  }

  /**
   * The source line number before which this stream can return no further entry (undefined: nothing is held). Lets a
   * reader of several interleaved streams release entries in source order.
   */
  get openFrom(): number | undefined {
    return this.unflushed ? this.lowestOpen : undefined;
  }

  /**
   * The kubelet time (`kubeletOrderKey`: epoch ms, the stamp's finer digits as a fraction) before which this stream can return no further entry from the lines it was given:
   * that of the line `openFrom` names. Undefined when nothing is held, or that line had no kubelet time. Lets a reader
   * of several streams release entries in kubelet-time order.
   */
  get openTime(): number | undefined {
    const time = this.unflushed ? this.times[this.openIndex - this.queueStart] : undefined;
    return time && kubeletOrderKey(time);
  }

  private tag(entries: GatewayLogEntry[]): UnsequencedEntry[] {
    const out = entries as UnsequencedEntry[];
    for (const entry of out) {
      const index = this.parserBase + entry.line - 1;
      // Entries come in order, so the metadata of lines before this entry's first line is no longer needed.
      this.queueHead = index - this.queueStart;
      const time = this.times[this.queueHead];
      entry.line = this.lineNos[this.queueHead] ?? entry.line;
      if (this.pod !== undefined) entry.pod = this.pod;
      if (time) entry.kubeletTime = { raw: time.raw, value: time.ms, assumedUtc: false };
      entry.seq = 0;
      this.lowestOpen = (this.lineNos[this.queueHead] ?? 0) + 1;
      this.openIndex = index + 1;
    }
    if (this.queueHead > 4096 && this.queueHead * 2 > this.times.length) {
      this.times = this.times.slice(this.queueHead);
      this.lineNos = this.lineNos.slice(this.queueHead);
      this.queueStart += this.queueHead;
      this.queueHead = 0;
    }
    return out;
  }
}
