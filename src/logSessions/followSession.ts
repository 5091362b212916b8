// A gateway Deployment (or one pod, or a label selector) followed live: every pod at once, pods that appear are
// picked up, pods that go or restart are marked, and the entries land in one bounded buffer. No `vscode` import.
import type { KubeContextClient, KubernetesClients } from '../kubernetes/client.ts';
import { ListWatch } from '../kubernetes/listWatch.ts';
import { PodLogFollower, gatewayContainer } from '../kubernetes/logFollow.ts';
import { deploymentSelector } from '../kubernetes/selectors.ts';
import type { KubePod } from '../kubernetes/types.ts';
import type { Logger } from '../extensionLog.ts';
import { Disposable } from '../util/disposable.ts';
import { errorMessage } from '../util/errors.ts';
import { Emitter } from '../util/event.ts';
import { checkMaxEntries, PlacingBuffer } from './buffer.ts';
import type { KubeletTime } from '../kubernetes/kubeletLines.ts';
import type { LogSession, PodState, PodStatus, SessionNotice, TaggedEntry } from './session.ts';
import { KubeletOrder, kubeletOrderKey } from './merge.ts';
import { StreamParser, type UnsequencedEntry } from './streamParser.ts';
import { collectionPaths, readDeployment } from '../kubernetes/resources.ts';

export interface FollowTarget {
  context: string;
  namespace: string;
  /** Follow every pod the Deployment's selector matches. */
  deployment?: string;
  /** Follow this one pod. */
  pod?: string;
  /** Follow every pod this selector matches (`app.kubernetes.io/name=x,tier in (a,b)`). */
  labelSelector?: string;
}

export interface FollowDeps {
  clients: KubernetesClients;
  log?: Logger;
}

export interface FollowOptions {
  /** The most entries kept; older ones are let go (and counted). */
  maxEntries: number;
  /** Lines of history each pod present at the start contributes; default `maxEntries`. Pods that appear later start at their first line. */
  tailLines?: number;
  /** Quiet time after which a pod's held newest entry is released (a request record shows without waiting for the next line). */
  idleFlushMs?: number;
  /** Shortest gap between two onDidAppend events: views get batches, not a line at a time. */
  batchMs?: number;
  /** Longer lines are cut with a visible marker (`arcApimGateway.logs.maxLineLength`). */
  maxLineLength?: number;
  /**
   * The longest an entry waits for the other pods' lines so that entries are appended in kubelet-time order across
   * pods (default 150 ms). A pod whose lines come later than this, compared with how fast they usually come, is not
   * waited for: its entries are placed among the entries already appended, at their kubelet time, when they arrive.
   */
  reorderMs?: number;
}

/** Gone pods kept in pods() so views can still name where older entries came from. */
const MAX_GONE_PODS = 20;

let nextSessionId = 1;

/**
 * Starts following. Rejects with a clear message when the target cannot be resolved (no such Deployment, the
 * cluster refuses), so a command can show why; once resolved, later failures are pod states and notices.
 */
export async function createDeploymentLogSession(target: FollowTarget, deps: FollowDeps, options: FollowOptions): Promise<LogSession> {
  const chosen = [target.deployment, target.pod, target.labelSelector].filter((x) => x !== undefined && x !== '').length;
  if (chosen !== 1) throw new Error('Follow exactly one of: a deployment, a pod, or a label selector');
  if (!target.namespace) throw new Error('A namespace is required to follow logs');
  checkMaxEntries(options.maxEntries);
  const client = await deps.clients.forContext(target.context);
  let query: Record<string, string>;
  let what: string;
  if (target.deployment) {
    const deployment = await readDeployment(client, target.namespace, target.deployment);
    query = { labelSelector: deploymentSelector(deployment) };
    what = target.deployment;
  } else if (target.pod) {
    query = { fieldSelector: `metadata.name=${target.pod}` };
    what = target.pod;
  } else {
    query = { labelSelector: target.labelSelector ?? '' };
    what = target.labelSelector ?? '';
  }
  const session = new FollowSession(`${target.namespace}/${what} (${target.context})`, client, target.namespace, query, deps, options);
  try {
    await session.start();
  } catch (error) {
    session.dispose();
    throw error;
  }
  return session;
}

interface PodEntry {
  status: PodStatus;
  follower: PodLogFollower | undefined;
  parser: StreamParser;
  lineNo: number;
  /** Set when the pod's history was read with `--tail`: its line numbers count from the tail, not the log's start. */
  lineWindow: number | undefined;
  lastDataAt: number;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** When this entry was made: a pod that has not written yet is waited for, briefly. */
  createdAt: number;
  /** The newest kubelet time of a line read (epoch ms): the pod's later lines are stamped at or after it. */
  newestTime: number | undefined;
  /** How late the pod's lines arrive at the soonest (arrival − kubelet time, ms; takes in the node's clock offset). */
  lag: LagFloor;
}

/** The least of the values seen over the last 10 to 20 s: follows a node's clock offset if it drifts. */
class LagFloor {
  private current = Number.POSITIVE_INFINITY;
  private previous = Number.POSITIVE_INFINITY;
  private windowStart = 0;

  see(value: number, now: number): void {
    if (now - this.windowStart >= 10_000) {
      this.previous = this.current;
      this.current = Number.POSITIVE_INFINITY;
      this.windowStart = now;
    }
    if (value < this.current) this.current = value;
  }

  get value(): number {
    return Math.min(this.current, this.previous);
  }
}

function withWindow(pod: PodEntry, entries: UnsequencedEntry[]): UnsequencedEntry[] {
  if (pod.lineWindow !== undefined) for (const e of entries) (e as { lineWindow?: number }).lineWindow = pod.lineWindow;
  return entries;
}

class FollowSession extends Disposable implements LogSession {
  readonly id = `follow-${nextSessionId++}`;
  readonly title: string;
  readonly live = true;
  private readonly client: KubeContextClient;
  private readonly namespace: string;
  private readonly query: Record<string, string>;
  private readonly log: Logger | undefined;
  private readonly tailLines: number;
  private readonly maxLineLength: number | undefined;
  private readonly idleFlushMs: number;
  private readonly batchMs: number;
  private readonly buffer: PlacingBuffer<TaggedEntry>;
  private readonly appendEmitter = this.register(new Emitter<readonly TaggedEntry[]>());
  private readonly dropEmitter = this.register(new Emitter<number>());
  private readonly podsEmitter = this.register(new Emitter<readonly PodStatus[]>());
  private readonly noticeEmitter = this.register(new Emitter<SessionNotice>());
  private readonly endEmitter = this.register(new Emitter<void>());
  readonly onDidAppend = this.appendEmitter.event;
  readonly onDidDrop = this.dropEmitter.event;
  readonly onDidChangePods = this.podsEmitter.event;
  readonly onNotice = this.noticeEmitter.event;
  readonly onDidEnd = this.endEmitter.event;
  private readonly podEntries = new Map<string, PodEntry>();
  private readonly reorderMs: number;
  /** Entries parsed but not yet appended: they wait for the other pods' older lines (see `appendPending`). */
  private readonly order = new KubeletOrder<UnsequencedEntry>();
  private appendTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAppendAt = 0;
  private warnedDrop = false;
  private warnedMisplaced = false;
  private podsTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;

  constructor(title: string, client: KubeContextClient, namespace: string, query: Record<string, string>, deps: FollowDeps, options: FollowOptions) {
    super();
    this.title = title;
    this.client = client;
    this.namespace = namespace;
    this.query = query;
    this.log = deps.log;
    this.tailLines = options.tailLines ?? options.maxEntries;
    this.maxLineLength = options.maxLineLength;
    this.idleFlushMs = options.idleFlushMs ?? 100;
    this.batchMs = options.batchMs ?? 50;
    this.reorderMs = options.reorderMs ?? 150;
    this.buffer = new PlacingBuffer(options.maxEntries);
    // Registered before the watch and the followers, so it runs after them (children go in reverse): onDidEnd fires
    // once every stream is closed.
    this.register({ dispose: () => this.finish() });
  }

  get droppedCount(): number {
    return this.buffer.droppedCount;
  }

  /** Late entries placed after a newer one for want of a free seq (PlacingBuffer): reported by bench/tail.ts. */
  get misplacedCount(): number {
    return this.buffer.misplacedCount;
  }

  snapshot(): readonly TaggedEntry[] {
    return this.buffer.snapshot();
  }

  pods(): readonly PodStatus[] {
    return [...this.podEntries.values()].map((p) => p.status);
  }

  async start(): Promise<void> {
    const watch = this.register(
      new ListWatch<KubePod>(this.client, collectionPaths.pods(this.namespace), this.query, {
        replace: (items) => this.replacePods(items),
        event: (type, pod) => (type === 'DELETED' ? this.podDeleted(pod) : this.podSeen(pod, false)),
        error: (error, retryInMs) => this.log?.warn(`pod watch for ${this.title} failed (${errorMessage(error)}); retrying in ${retryInMs} ms`),
      }),
    );
    const pods = await watch.start();
    this.started = true;
    for (const pod of pods) this.podSeen(pod, true);
    if (pods.length === 0) this.notice(undefined, 'No pod matches yet; waiting for one to appear');
  }

  private replacePods(items: KubePod[]): void {
    const names = new Set(items.map((p) => p.metadata?.name ?? ''));
    for (const [name, entry] of this.podEntries) {
      if (!names.has(name) && entry.status.state !== 'gone') entry.follower?.podDeleted();
    }
    for (const pod of items) this.podSeen(pod, false);
  }

  private podSeen(pod: KubePod, initial: boolean): void {
    const name = pod.metadata?.name;
    if (!name || this.isDisposed) return;
    const known = this.podEntries.get(name);
    if (known?.follower && known.status.state !== 'gone') {
      known.follower.updatePod(pod);
      return;
    }
    if (known && pod.metadata?.deletionTimestamp) return;
    const container = gatewayContainer(pod);
    if (!container) return;
    const entry: PodEntry = {
      status: { pod: name, state: 'waiting' },
      follower: undefined,
      parser: known?.parser ?? new StreamParser(name),
      lineNo: known?.lineNo ?? 0,
      lineWindow: known ? known.lineWindow : initial ? this.tailLines : undefined,
      lastDataAt: 0,
      flushTimer: undefined,
      createdAt: Date.now(),
      newestTime: known?.newestTime,
      lag: known?.lag ?? new LagFloor(),
    };
    this.podEntries.set(name, entry);
    if (!initial && this.started) this.notice(name, `Pod ${name} appeared`);
    const follower = new PodLogFollower(
      this.client,
      pod,
      container,
      {
        lines: (lines, times) => this.podLines(entry, lines, times),
        streamEnded: () => this.flushPod(entry, true),
        state: (state, message) => this.podState(entry, state, message, follower.restartCount),
        notice: (text) => this.notice(name, text),
      },
      { ...(initial ? { tailLines: this.tailLines } : {}), ...(this.log ? { log: this.log } : {}), ...(this.maxLineLength !== undefined ? { maxLineLength: this.maxLineLength } : {}) },
    );
    entry.follower = this.register(follower);
    void follower.start();
  }

  private podDeleted(pod: KubePod): void {
    const name = pod.metadata?.name;
    const entry = name ? this.podEntries.get(name) : undefined;
    entry?.follower?.podDeleted();
  }

  private podState(entry: PodEntry, state: PodState, message: string | undefined, restartCount: number | undefined): void {
    const before = entry.status;
    entry.status = { pod: before.pod, state, ...(restartCount !== undefined ? { restartCount } : {}), ...(message ? { message } : {}) };
    if (state === 'gone' && before.state !== 'gone') {
      this.flushPod(entry, true);
      this.notice(before.pod, `Pod ${before.pod} is gone (${message ?? 'deleted'})`);
      this.pruneGone();
    }
    if (before.state !== state || before.message !== message || before.restartCount !== restartCount) this.schedulePods();
  }

  private pruneGone(): void {
    const gone = [...this.podEntries.entries()].filter(([, e]) => e.status.state === 'gone');
    for (const [name, entry] of gone.slice(0, Math.max(0, gone.length - MAX_GONE_PODS))) {
      entry.follower?.dispose();
      this.podEntries.delete(name);
    }
  }

  private schedulePods(): void {
    // Pod states change in bursts (waiting → following → …); one event per burst is enough for a view.
    if (this.podsTimer !== undefined || this.isDisposed) return;
    this.podsTimer = setTimeout(() => {
      this.podsTimer = undefined;
      if (!this.isDisposed) this.podsEmitter.fire(this.pods());
    }, 10);
  }

  private podLines(entry: PodEntry, lines: string[], times: (KubeletTime | undefined)[]): void {
    if (this.isDisposed) return;
    const now = Date.now();
    const lineNos = new Array<number>(lines.length);
    for (let i = 0; i < lines.length; i++) lineNos[i] = ++entry.lineNo;
    for (let i = times.length - 1; i >= 0; i--) {
      const time = times[i];
      if (time === undefined) continue;
      const newest = kubeletOrderKey(time);
      if (entry.newestTime === undefined || newest > entry.newestTime) entry.newestTime = newest;
      entry.lag.see(now - time.ms, now);
      break;
    }
    entry.lastDataAt = now;
    const entries = entry.parser.push(lines, times, lineNos);
    if (entries.length > 0) this.queue(entry, entries);
    this.armIdleFlush(entry);
  }

  /** After `idleFlushMs` without a line from this pod, its held entry is released. */
  private armIdleFlush(entry: PodEntry): void {
    if (entry.flushTimer !== undefined) return;
    const check = (): void => {
      entry.flushTimer = undefined;
      if (this.isDisposed) return;
      const idle = Date.now() - entry.lastDataAt;
      if (idle >= this.idleFlushMs) this.flushPod(entry, false);
      else entry.flushTimer = setTimeout(check, this.idleFlushMs - idle);
    };
    entry.flushTimer = setTimeout(check, this.idleFlushMs);
  }

  private flushPod(entry: PodEntry, ended: boolean): void {
    if (entry.flushTimer !== undefined && ended) {
      clearTimeout(entry.flushTimer);
      entry.flushTimer = undefined;
    }
    const entries = ended ? entry.parser.end() : entry.parser.flush();
    if (entries.length > 0) this.queue(entry, entries);
  }

  private queue(pod: PodEntry, entries: UnsequencedEntry[]): void {
    this.order.push(pod.status.pod, withWindow(pod, entries), Date.now());
    this.scheduleAppend();
  }

  private scheduleAppend(): void {
    if (this.appendTimer !== undefined || this.order.size === 0 || this.isDisposed) return;
    const wait = Math.max(0, this.lastAppendAt + this.batchMs - Date.now());
    // Then once more round the event loop: after a stall (a long task, a starved machine) the timer fires before the
    // streams' waiting chunks are read, and the pods' older lines in them must be in `order` before it is released.
    this.appendTimer = setTimeout(() => setImmediate(() => this.appendPending()), wait);
  }

  /**
   * The kubelet time before which no pod can still deliver an entry: each pod's held entry (or its newest line when
   * it holds none) bounds what it can still give, and no pod's lines come later than its usual delay plus
   * `reorderMs`. Pods that are gone, or that hold nothing and sent nothing for `reorderMs` (nothing of theirs is on
   * its way: a quiet pod does not hold the busy ones back), bound nothing.
   */
  private orderBound(now: number): number {
    let bound = Number.POSITIVE_INFINITY;
    for (const pod of this.podEntries.values()) {
      if (pod.status.state === 'gone') continue;
      const held = pod.parser.openTime;
      if (held === undefined && pod.lastDataAt > 0 && now - pod.lastDataAt > this.reorderMs) continue;
      const own = held ?? pod.newestTime;
      const lag = pod.lag.value;
      let podBound: number;
      if (own === undefined || lag === Number.POSITIVE_INFINITY) {
        // Nothing read yet: a starting pod's history is waited for, a pod with an empty log is not.
        podBound = now - pod.createdAt < this.reorderMs ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      } else {
        podBound = Math.max(own, now - lag - this.reorderMs);
      }
      if (podBound < bound) bound = podBound;
    }
    return bound;
  }

  private appendPending(): void {
    this.appendTimer = undefined;
    if (this.isDisposed || this.order.size === 0) return;
    const now = Date.now();
    // Pods' entries interleave by kubelet time, also across batches: an entry waits until every pod is past its time,
    // or `reorderMs` at most (a pod far behind is not waited for: its entries are placed among those appended before).
    const keys: number[] = [];
    const batch = this.order.release(this.orderBound(now), now - this.reorderMs, keys) as TaggedEntry[];
    if (batch.length === 0) {
      this.lastAppendAt = now;
      this.scheduleAppend();
      return;
    }
    this.lastAppendAt = now;
    const { dropped, misplaced } = this.buffer.place(batch, keys);
    this.appendEmitter.fire(batch);
    if (misplaced > 0 && !this.warnedMisplaced) {
      this.warnedMisplaced = true;
      this.notice(undefined, `${misplaced} late ${misplaced === 1 ? 'entry' : 'entries'} could not be placed at ${misplaced === 1 ? 'its' : 'their'} kubelet time and ${misplaced === 1 ? 'follows' : 'follow'} a newer entry (no room left between ${misplaced === 1 ? 'its' : 'their'} neighbours)`);
      this.log?.warn(`${this.title}: ${misplaced} late entries placed after newer ones (no seq left between their neighbours)`);
    }
    if (dropped > 0) {
      this.dropEmitter.fire(dropped);
      if (!this.warnedDrop) {
        this.warnedDrop = true;
        this.notice(undefined, `Keeping the newest ${this.buffer.maxEntries} entries; older ones are let go`);
      }
    }
    this.scheduleAppend();
  }

  private notice(pod: string | undefined, text: string): void {
    if (this.isDisposed) return;
    this.noticeEmitter.fire({ time: Date.now(), ...(pod !== undefined ? { pod } : {}), text });
  }

  private finish(): void {
    if (this.appendTimer !== undefined) clearTimeout(this.appendTimer);
    if (this.podsTimer !== undefined) clearTimeout(this.podsTimer);
    for (const entry of this.podEntries.values()) if (entry.flushTimer !== undefined) clearTimeout(entry.flushTimer);
    this.endEmitter.fire();
  }
}
