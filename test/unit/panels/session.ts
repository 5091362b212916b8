// A LogSession a test feeds by hand: what a live follow does, without a cluster.
import type { LogSession, PodStatus, SessionNotice, TaggedEntry } from '../../../src/logSessions/session.ts';
import { Emitter } from '../../../src/util/event.ts';

export class FakeLiveSession implements LogSession {
  readonly id = 'test-session';
  readonly title: string;
  readonly live = true;
  private entries: TaggedEntry[] = [];
  private readonly max: number;
  private dropped = 0;
  private podList: PodStatus[] = [];
  readonly appended = new Emitter<readonly TaggedEntry[]>();
  readonly droppedEmitter = new Emitter<number>();
  readonly podsEmitter = new Emitter<readonly PodStatus[]>();
  readonly notices = new Emitter<SessionNotice>();
  readonly ended = new Emitter<void>();
  readonly onDidAppend = this.appended.event;
  readonly onDidDrop = this.droppedEmitter.event;
  readonly onDidChangePods = this.podsEmitter.event;
  readonly onNotice = this.notices.event;
  readonly onDidEnd = this.ended.event;
  disposed = false;

  constructor(title = 'apim/gw (ctx)', maxEntries = 1000) {
    this.title = title;
    this.max = maxEntries;
  }

  get droppedCount(): number {
    return this.dropped;
  }

  snapshot(): readonly TaggedEntry[] {
    return [...this.entries];
  }

  pods(): readonly PodStatus[] {
    return this.podList;
  }

  /** Buffers first (in seq order: a late entry goes among older ones), then fires: the order a real session keeps. */
  push(batch: TaggedEntry[]): void {
    const newest = this.entries.at(-1)?.seq ?? Number.NEGATIVE_INFINITY;
    this.entries.push(...batch);
    if (batch.some((e) => e.seq < newest)) this.entries.sort((a, b) => a.seq - b.seq);
    const excess = this.entries.length - this.max;
    if (excess > 0) {
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
    this.appended.fire(batch);
    if (excess > 0) this.droppedEmitter.fire(excess);
  }

  setPods(pods: PodStatus[]): void {
    this.podList = pods;
    this.podsEmitter.fire(pods);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ended.fire();
  }
}

let seq = 0;

/** Minimal tagged entries with increasing seq. */
export function entries(n: number, patch: (i: number) => Partial<TaggedEntry> = () => ({})): TaggedEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'event' as const,
    format: 'text' as const,
    line: i + 1,
    raw: [`[Info] 2026-11-27T15:00:00.000Z [Event${i}], message: m${i}`],
    fields: { message: `m${i}` },
    level: 'info' as const,
    event: `Event${i}`,
    message: `m${i}`,
    seq: ++seq,
    ...patch(i),
  }));
}
