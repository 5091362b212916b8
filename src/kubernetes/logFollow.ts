// Follows one container of one pod for as long as the pod lives: `follow=true&timestamps=true`, resumed after a
// dropped stream from the last kubelet timestamp without a lost or repeated line, across container restarts (the
// tail of the run that ended is read with `previous=true`). No `vscode` import.
import type { Logger } from '../extensionLog.ts';
import { ResumePoint, splitKubeletStamp, type KubeletTime, type ResumeFilter } from './kubeletLines.ts';
import type { PodState } from '../logSessions/session.ts';
import { Disposable } from '../util/disposable.ts';
import { errorMessage } from '../util/errors.ts';
import { apiStatus, isAbortError, type KubeContextClient, type Query } from './client.ts';
import { LineAssembler } from './lineAssembler.ts';
import type { KubeContainerStatus, KubePod } from './types.ts';

/** Where a follower's output goes. Called synchronously, in log order. */
export interface PodFollowSink {
  /** New lines of the container (kubelet stamp removed), with their kubelet times. */
  lines(lines: string[], times: (KubeletTime | undefined)[]): void;
  /** The previous stream is over (ended or cut): whatever the parser holds is complete. */
  streamEnded(): void;
  state(state: PodState, message?: string): void;
  notice(text: string): void;
}

export interface PodFollowOptions {
  /** Lines of history to start with; undefined: the container's whole log. */
  tailLines?: number;
  /** First delay before retrying a failed request or a stream that ended without progress; doubles up to 30 s. */
  retryMs?: number;
  /** Longer lines are cut with a visible marker (`arcApimGateway.logs.maxLineLength`, default 1 MiB). */
  maxLineLength?: number;
  /** Random in [0, 1) for the backoff's jitter (tests pin it). */
  random?: () => number;
  /** How often to re-read the pod while waiting for a change the watch has not reported. */
  pollMs?: number;
  log?: Logger;
}

/** The longest wait between two attempts. */
export const MAX_RETRY_MS = 30_000;
/** A stream that stayed open this long made progress even without a line (a quiet gateway). */
export const STABLE_STREAM_MS = 10_000;

/**
 * The wait before attempt `failures + 1`: `retryMs` doubling per failure up to 30 s, with jitter (half fixed, half
 * random) so that many followers cut at once do not come back at once.
 */
export function backoffDelay(failures: number, retryMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, retryMs * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The container a gateway pod logs from: the gateway image's, else the only or first one. */
export function gatewayContainer(pod: KubePod): string | undefined {
  const containers = pod.spec?.containers ?? [];
  return (containers.find((c) => c.image?.includes('azure-api-management/gateway')) ?? containers[0])?.name;
}

export class PodLogFollower extends Disposable {
  readonly namespace: string;
  readonly podName: string;
  readonly container: string;
  private readonly client: KubeContextClient;
  private readonly sink: PodFollowSink;
  private readonly options: PodFollowOptions;
  private readonly controller = new AbortController();
  private pod: KubePod;
  private deleted = false;
  private changed: (() => void) | undefined;
  private resume = new ResumePoint();
  /** The restartCount of the run being followed; undefined before the first stream opened. */
  private followedRestarts: number | undefined;
  /** The restartCount of a run read to its end (the container stopped); nothing more comes until it restarts. */
  private finishedRun: number | undefined;
  private readonly assembler: LineAssembler;
  private running: Promise<void> | undefined;

  constructor(client: KubeContextClient, pod: KubePod, container: string, sink: PodFollowSink, options: PodFollowOptions = {}) {
    super();
    this.client = client;
    this.pod = pod;
    this.namespace = pod.metadata?.namespace ?? '';
    this.podName = pod.metadata?.name ?? '';
    this.container = container;
    this.sink = sink;
    this.options = options;
    this.assembler = new LineAssembler(options.maxLineLength);
    this.register({
      dispose: () => {
        this.controller.abort();
        this.wakeUp();
      },
    });
  }

  /** Starts following; the returned promise settles when the pod is gone or the follower is disposed. */
  start(): Promise<void> {
    this.running ??= this.run().catch((error: unknown) => {
      if (!this.isDisposed && !isAbortError(error)) this.sink.state('error', errorMessage(error));
    });
    return this.running;
  }

  /** The pod changed (from a watch): new restart counts and states wake a waiting follower. */
  updatePod(pod: KubePod): void {
    this.pod = pod;
    this.wakeUp();
  }

  /** The pod was deleted: the follower reads what its stream still delivers, then ends. */
  podDeleted(): void {
    this.deleted = true;
    this.wakeUp();
  }

  get restartCount(): number | undefined {
    return this.status()?.restartCount;
  }

  private status(): KubeContainerStatus | undefined {
    return this.pod.status?.containerStatuses?.find((s) => s.name === this.container);
  }

  private async run(): Promise<void> {
    let first = true;
    // Attempts in a row that made no progress; reset only by lines delivered or a stream that stayed open a while.
    let failures = 0;
    const retryMs = this.options.retryMs ?? 1000;
    const nextDelay = (): number => backoffDelay(++failures, retryMs, this.options.random);
    while (!this.isDisposed) {
      const status = this.status();
      const hasRun = !!(status?.state?.running || status?.state?.terminated || status?.lastState?.terminated);
      if (!status || !hasRun) {
        if (this.deleted) return this.gone();
        this.sink.state('waiting', waitingReason(this.pod, status));
        await this.waitForChange();
        continue;
      }
      const restarts = status.restartCount ?? 0;
      if (this.finishedRun === restarts && !status.state?.running) {
        if (this.deleted) return this.gone();
        this.sink.state('waiting', waitingReason(this.pod, status));
        await this.waitForChange();
        continue;
      }
      let query: Query;
      let filter: ResumeFilter | undefined;
      if (this.followedRestarts !== undefined && restarts > this.followedRestarts) {
        const missed = restarts - this.followedRestarts - 1;
        this.sink.state('restarted', `restart ${restarts}`);
        this.sink.notice(
          `Container ${this.container} restarted (restart ${restarts}${missed > 0 ? `; ${missed} earlier run${missed > 1 ? 's were' : ' was'} too short to follow` : ''})`,
        );
        await this.readPrevious();
        this.resume = new ResumePoint();
        query = {};
      } else if (this.resume.time) {
        query = { sinceTime: this.resume.sinceTime() };
        filter = this.resume.resumeFilter();
      } else {
        query = first && this.options.tailLines !== undefined ? { tailLines: this.options.tailLines } : {};
      }
      this.followedRestarts = restarts;
      first = false;
      let stream;
      try {
        stream = await this.client.openStream(this.logPath(), { container: this.container, follow: true, timestamps: true, ...query }, this.controller.signal);
      } catch (error) {
        if (this.isDisposed || isAbortError(error)) return;
        if (apiStatus(error) === 404) return this.gone();
        if (apiStatus(error) === 400) {
          // "is waiting to start", "has no host assigned": the pod is not there yet; its next change says when.
          this.sink.state('waiting', errorMessage(error));
          await this.waitForChange(nextDelay());
          continue;
        }
        this.sink.state('error', errorMessage(error));
        await this.sleep(nextDelay());
        continue;
      }
      this.sink.state('following', `restart ${restarts}`);
      this.assembler.clear();
      const openedAt = Date.now();
      let delivered = 0;
      let cutBy: unknown;
      try {
        stream.setEncoding('utf8');
        for await (const chunk of stream) delivered += this.take(chunk as string, filter);
      } catch (error) {
        if (this.isDisposed || isAbortError(error)) return;
        cutBy = error;
      }
      if (this.isDisposed) return;
      const next = await this.refreshPod();
      if (this.isDisposed) return;
      const after = next ? this.pod.status?.containerStatuses?.find((s) => s.name === this.container) : undefined;
      const stillRunning = !!after?.state?.running && (after.restartCount ?? 0) === restarts;
      const partial = this.assembler.flush();
      if (!stillRunning && partial !== undefined) {
        // The run ended: an unterminated last line is all the process wrote (kubelet logs it as a partial line).
        this.takeLine(partial, filter);
      }
      // A partial line left while the container still runs is a line cut in two: the resumed stream reads it again.
      this.sink.streamEnded();
      if (!next) return this.gone();
      if (stillRunning) {
        const why = cutBy ? ` (${errorMessage(cutBy)})` : '';
        if (delivered > 0 || Date.now() - openedAt >= STABLE_STREAM_MS) {
          failures = 0;
          this.options.log?.info(`log stream of ${this.podName} ended${why}; resuming`);
          this.sink.state('resuming', 'log stream ended; resuming from the last line read');
          this.sink.notice(`Log stream of ${this.podName} was cut; resumed without a gap`);
          continue;
        }
        // Ended at once without a line (a proxy that closes follow streams): back off, or this becomes a storm.
        const delay = nextDelay();
        const text = `reconnecting (${failures}), next try in ${formatSeconds(delay)}`;
        this.options.log?.warn(`log stream of ${this.podName} ended without a line${why}; ${text}`);
        this.sink.state('resuming', text);
        this.sink.notice(`Log stream of ${this.podName} ended without a line; ${text}`);
        await this.sleep(delay);
        continue;
      }
      // Stopped (restarting, crash back-off, terminating): nothing more until the pod changes.
      if ((after?.restartCount ?? 0) === restarts) this.finishedRun = restarts;
    }
  }

  private logPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(this.podName)}/log`;
  }

  /** The end of the run that was followed, read after a restart: what the cut stream had not delivered. */
  private async readPrevious(): Promise<void> {
    const since = this.resume.sinceTime();
    const filter = this.resume.resumeFilter();
    try {
      const stream = await this.client.openStream(
        this.logPath(),
        { container: this.container, previous: true, timestamps: true, ...(since ? { sinceTime: since } : {}) },
        this.controller.signal,
      );
      stream.setEncoding('utf8');
      this.assembler.clear();
      for await (const chunk of stream) this.take(chunk as string, filter);
      const partial = this.assembler.flush();
      if (partial !== undefined) this.takeLine(partial, filter);
      this.sink.streamEnded();
    } catch (error) {
      if (this.isDisposed || isAbortError(error)) throw error;
      // 400: the kubelet no longer has the previous run (or never had one); nothing else can be recovered.
      this.options.log?.warn(`previous log of ${this.podName} unavailable: ${errorMessage(error)}`);
    }
  }

  /** Hands the lines this chunk completes to the sink; returns how many. */
  private take(chunk: string, filter: ResumeFilter | undefined): number {
    return this.deliver(this.assembler.push(chunk), filter);
  }

  private deliver(parts: readonly string[], filter: ResumeFilter | undefined): number {
    const lines: string[] = [];
    const times: (KubeletTime | undefined)[] = [];
    for (const raw of parts) {
      const { time, text } = splitKubeletStamp(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
      if (filter && !filter.accept(time, text)) continue;
      if (time) this.resume.record(time, text);
      lines.push(text);
      times.push(time);
    }
    if (lines.length > 0) this.sink.lines(lines, times);
    return lines.length;
  }

  private takeLine(line: string, filter: ResumeFilter | undefined): void {
    this.deliver([line], filter);
  }

  /** Re-reads the pod; undefined when it no longer exists. */
  private async refreshPod(): Promise<KubePod | undefined> {
    try {
      const pod = await this.client.getJson<KubePod>(
        `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(this.podName)}`,
        {},
        this.controller.signal,
      );
      if (pod.metadata?.uid && this.pod.metadata?.uid && pod.metadata.uid !== this.pod.metadata.uid) return undefined;
      this.pod = pod;
      return pod;
    } catch (error) {
      if (apiStatus(error) === 404) return undefined;
      if (this.isDisposed || isAbortError(error)) return this.pod;
      // Cannot tell: keep the last known state, so a running container is resumed.
      return this.pod;
    }
  }

  private gone(): void {
    this.sink.state('gone', this.deleted ? 'pod deleted' : 'pod no longer exists');
  }

  private wakeUp(): void {
    const wake = this.changed;
    this.changed = undefined;
    wake?.();
  }

  /** Until the watch reports a change, or `pollMs` passed and a fresh read shows one. */
  private async waitForChange(maxMs?: number): Promise<void> {
    const poll = maxMs ?? this.options.pollMs ?? 5000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.changed = undefined;
        resolve();
      }, poll);
      this.changed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (!this.isDisposed && maxMs === undefined) {
      const pod = await this.refreshPod();
      if (!pod) this.deleted = true;
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.waitForChange(ms);
  }
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function waitingReason(pod: KubePod, status: KubeContainerStatus | undefined): string {
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  const waiting = status?.state?.waiting?.reason;
  if (waiting) return waiting;
  if (status?.state?.terminated) return `terminated (${status.state.terminated.reason ?? `exit ${status.state.terminated.exitCode ?? '?'}`})`;
  return pod.status?.phase ?? 'Pending';
}
