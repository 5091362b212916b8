// A gateway writing ~20k lines a second, followed live (createDeploymentLogSession against the sandbox's Kubernetes
// API) into the Gateway Logs webview (the built bundle in Chromium, fed by the real data provider). Prints lines lost
// (goal 0), the p95 line-to-screen latency (goal < 250 ms, per minute and overall: no upward trend), the merge order
// (entries that arrived after a newer entry of another pod and were placed at their time, and entries that come after
// a newer entry in the view's final order, and by how much: goal 0), the webview's heap, and per minute
// the CPU of the session's thread and of the sandbox's thread apart, each thread's heap (its maximum, and what is left
// right after a full GC), GC pauses and the longest event-loop stall. Needs `npm run build` first.
//   node bench/tail.ts [--seconds 60] [--rate 20000] [--pods 1] [--max-entries 50000] [--log-max-mib 1] [--reorder-ms 150]
// `--pods N` scales the gateway Deployment to N replicas first; `--rate` is the combined rate of all of them, and
// the session follows every pod, merging their entries in kubelet-time order (issue #18: 50 pods, 20k lines/s,
// 600 s).
//
// Line-to-screen latency of a line: from the kubelet's timestamp of the line (when the container wrote it) to the
// first frame whose newest rendered row is that line or a later one, drawn after the view stored the line. With Follow
// on at 20k lines a second most rows scroll past between two frames; this is when each would have been on screen.
import { Worker } from 'node:worker_threads';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { readdirSync, readFileSync } from 'node:fs';
/** CPU seconds used so far by this process's descendants (Chromium's processes), from /proc (Linux). */
function childrenCpuSeconds(): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while being read.
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        total += t;
        break;
      }
    }
  }
  return total / 100;
}
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();
/** The same delay per minute: a long stall of this thread (GC, a long task) shows here. */
const minuteLoopDelay = monitorEventLoopDelay({ resolution: 20 });
minuteLoopDelay.enable();
/**
 * Garbage collection of this thread (the session's), per minute: total and longest pause, and the least heap in use
 * right after a full collection (what is really held; the heap's maximum includes garbage not yet collected).
 */
const gc = { ms: 0, maxMs: 0, liveHeap: Number.NaN };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.ms += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      const used = process.memoryUsage().heapUsed;
      if (!(used >= gc.liveHeap)) gc.liveHeap = used;
    }
  }
}).observe({ entryTypes: ['gc'] });
import { isGatewayLogsToHost, type GatewayLogsToWebview } from '../src/contract/gatewayLogs.ts';
import { createKubernetesClients } from '../src/kubernetes/client.ts';
import { createDeploymentLogSession } from '../src/logSessions/followSession.ts';
import { GatewayLogsDataProvider } from '../src/panels/gatewayLogsProvider.ts';
import type { FromSandbox, SandboxStats, ToSandbox } from './tailSandboxWorker.ts';
import { openWebviewPage, type WebviewPage } from './webviewHarness.ts';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number > 0`);
  return value;
};
const seconds = option('seconds', 60);
const rate = option('rate', 20_000);
const pods = option('pods', 1);
const maxEntries = option('max-entries', 50_000);
/**
 * The sandbox kubelet's containerLogMaxSize (a real kubelet setting; 10 MiB by default). The bench's default is 1 MiB:
 * the sandbox holds each container's current log file in its heap, and at 10 MiB × 50 pods that heap passed 1 GB,
 * with collector pauses of 300–700 ms and CPU taken from what is measured (the kubelet's disk, in real life).
 */
const logMaxMiB = option('log-max-mib', 1);
/**
 * The session's reorder wait (`FollowOptions.reorderMs`, default 150 ms): entries of a pod later than this are placed
 * among newer ones instead of waited for. 0 waits for nothing the bound does not promise.
 */
const reorderIndex = process.argv.indexOf('--reorder-ms');
const reorderMs = reorderIndex > 0 ? Number(process.argv[reorderIndex + 1]) : undefined;
if (reorderMs !== undefined && !(Number.isFinite(reorderMs) && reorderMs >= 0)) throw new Error('--reorder-ms must be a number ≥ 0');

// The sandbox's kubelet rotates each container's log at --log-max-mib as a real one does, so its memory stays bounded
// (before it did, 10 minutes at 20k lines/s kept ~12M lines, several GB, and the worker ran out of memory at 5.5M lines).
const worker = new Worker(new URL('./tailSandboxWorker.ts', import.meta.url), { workerData: { containerLogMaxBytes: Math.round(logMaxMiB * 1024 * 1024) } });
const replies: ((message: FromSandbox) => void)[] = [];
worker.on('message', (message: FromSandbox) => {
  if (message.type === 'error') {
    console.error(`tail: sandbox failed: ${message.message}`);
    process.exit(1);
  }
  replies.shift()?.(message);
});
const ask = (message: ToSandbox | undefined): Promise<FromSandbox> =>
  new Promise((resolve) => {
    replies.push(resolve);
    if (message) worker.postMessage(message);
  });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const ready = await ask(undefined);
if (ready.type !== 'ready') throw new Error(`unexpected ${ready.type}`);
const writtenLines = async (): Promise<number> => {
  const reply = await ask({ type: 'count' });
  return reply.type === 'count' ? reply.lines : Number.NaN;
};
const sandboxStats = async (): Promise<SandboxStats> => {
  const reply = await ask({ type: 'stats' });
  if (reply.type !== 'stats') throw new Error(`unexpected ${reply.type}`);
  return reply;
};

if (pods > 1) {
  worker.postMessage({ type: 'scale', replicas: pods } satisfies ToSandbox);
  const scaled = await ask(undefined);
  if (scaled.type !== 'scaled' || scaled.running < pods) throw new Error(`tail: only ${scaled.type === 'scaled' ? scaled.running : '?'} of ${pods} pods running`);
  console.log(`tail: ${pods} gateway pods running`);
}

const clients = createKubernetesClients(() => [ready.kubeconfig]);
const session = await createDeploymentLogSession(
  { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' },
  { clients },
  { maxEntries, ...(reorderMs !== undefined ? { reorderMs } : {}) },
);

// What the session produced, per entry in the order the session appended it (its arrival index): when the kubelet
// stamped it, how many lines it holds, its seq, and the post that carried it to the view. Typed arrays, not Maps:
// 10 minutes at 20k lines/s is 12M entries, and the bench's own bookkeeping must not be what fills the heap it
// reports (typed arrays' contents are outside the JS heap). A seq is not an index: the session leaves gaps between
// seqs so that a late entry gets one between its neighbours (its place in the view), and the view's order is seq order.
class PerEntry {
  private stamps = new Float64Array(1 << 20).fill(Number.NaN);
  private lines = new Uint32Array(1 << 20);
  /** When the session appended the entry (wall clock): splits line-to-screen into before and after the session. */
  private appended = new Float64Array(1 << 20);
  private seqs = new Float64Array(1 << 20);
  private posts = new Uint32Array(1 << 20);
  count = 0;
  /** Arrival index by seq, for entries not posted yet (the provider's rows carry only the seq). */
  private readonly unposted = new Map<number, number>();
  add(seq: number, stamp: number | undefined, lines: number, appendedAt: number): void {
    const i = this.count++;
    if (i >= this.stamps.length) {
      const size = this.stamps.length * 2;
      const grow = <A extends Float64Array | Uint32Array>(from: A, make: (n: number) => A): A => {
        const to = make(size);
        to.set(from);
        return to;
      };
      this.stamps = grow(this.stamps, (n) => new Float64Array(n).fill(Number.NaN));
      this.lines = grow(this.lines, (n) => new Uint32Array(n));
      this.appended = grow(this.appended, (n) => new Float64Array(n));
      this.seqs = grow(this.seqs, (n) => new Float64Array(n));
      this.posts = grow(this.posts, (n) => new Uint32Array(n));
    }
    if (stamp !== undefined) this.stamps[i] = stamp;
    this.lines[i] = lines;
    this.appended[i] = appendedAt;
    this.seqs[i] = seq;
    this.unposted.set(seq, i);
  }
  /** The entry of `seq` went out in post `batch`; returns its arrival index. */
  posted(seq: number, batch: number): number | undefined {
    const i = this.unposted.get(seq);
    if (i === undefined) return undefined;
    this.unposted.delete(seq);
    this.posts[i] = batch;
    return i;
  }
  stamp(i: number): number | undefined {
    const value = this.stamps[i];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }
  seq(i: number): number {
    return this.seqs[i] ?? Number.NaN;
  }
  postOf(i: number): number {
    return this.posts[i] ?? 0;
  }
  appendedAt(i: number): number {
    return this.appended[i] ?? Number.NaN;
  }
  linesOf(i: number): number {
    return this.lines[i] ?? 0;
  }
  /**
   * Arrival indices from `from` on, in the view's order (seq order): the entries appended after every earlier one,
   * merged with those the session placed among older ones (few; sorted apart).
   */
  viewOrder(from: number): Uint32Array {
    const inOrder: number[] = [];
    const placed: number[] = [];
    let newest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.count; i++) {
      const seq = this.seqs[i] as number;
      if (seq > newest) {
        newest = seq;
        if (i >= from) inOrder.push(i);
      } else if (i >= from) placed.push(i);
    }
    placed.sort((a, b) => (this.seqs[a] as number) - (this.seqs[b] as number));
    const out = new Uint32Array(inOrder.length + placed.length);
    let a = 0;
    let b = 0;
    for (let o = 0; o < out.length; o++) {
      const x = inOrder[a];
      const y = placed[b];
      if (y === undefined || (x !== undefined && (this.seqs[x] as number) < (this.seqs[y] as number))) {
        out[o] = x as number;
        a++;
      } else {
        out[o] = y;
        b++;
      }
    }
    return out;
  }
  /** Entries the session placed before an entry it had appended earlier. */
  placedCount(from: number): number {
    let newest = Number.NEGATIVE_INFINITY;
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const seq = this.seqs[i] as number;
      if (seq > newest) newest = seq;
      else if (i >= from) n++;
    }
    return n;
  }
}
const perEntry = new PerEntry();
let sessionLines = 0;
/** Where the time goes, per batch: age of its newest line when the session appended it / the provider posted it, and post → ack. */
const stages = { append: [] as number[], post: [] as number[], ack: [] as number[] };
const postedAt = new Map<number, number>();
session.onDidAppend((batch) => {
  const newest = batch.at(-1)?.kubeletTime?.value;
  const now = Date.now();
  if (newest !== undefined) stages.append.push(now - newest);
  for (const entry of batch) {
    perEntry.add(entry.seq, entry.kubeletTime?.value, entry.raw.length, now);
    sessionLines += entry.raw.length;
  }
});

/** Arrival indices of each post's entries, until the view acknowledges it. */
const batches = new Map<number, number[]>();
let ackedLines = 0;
let ackedRows = 0;
/** Set once the page is open; the provider may post (reset, snapshot) while it is still loading. */
const opened: { page?: WebviewPage } = {};
const early: GatewayLogsToWebview[] = [];
const provider = new GatewayLogsDataProvider(
  session,
  (message: GatewayLogsToWebview) => {
    if (message.type === 'gatewayLogs/append') {
      const indices: number[] = [];
      for (const row of message.rows) {
        const i = perEntry.posted(row.seq, message.batch);
        if (i !== undefined) indices.push(i);
      }
      batches.set(message.batch, indices);
      const newest = perEntry.stamp(indices.at(-1) ?? -1);
      if (newest !== undefined) stages.post.push(Date.now() - newest);
      postedAt.set(message.batch, performance.now());
    }
    if (opened.page) opened.page.post(message);
    else early.push(message);
  },
  // As the panel creates it for a followed log.
  { maxEntries },
);
const harness = await openWebviewPage({
  onMessage: (message) => {
    if (message.type === 'ready') provider.onReady();
    else if (isGatewayLogsToHost(message)) {
      if (message.type === 'gatewayLogs/ack') {
        for (const i of batches.get(message.batch) ?? []) ackedLines += perEntry.linesOf(i);
        ackedRows += message.rows;
        batches.delete(message.batch);
        const sent = postedAt.get(message.batch);
        if (sent !== undefined) stages.ack.push(performance.now() - sent);
        postedAt.delete(message.batch);
      }
      provider.handle(message);
    }
  },
});
// The page may have said ready (and been answered) before openWebviewPage returned.
opened.page = harness;
for (const message of early.splice(0)) harness.post(message);

const cdp = await harness.page.context().newCDPSession(harness.page);
try {
  // The history (start-up lines) first.
  const deadline = Date.now() + 30_000;
  while (ackedRows === 0 && Date.now() < deadline) await sleep(50);
  // Lines from the snapshot were stamped before the page existed: only lines written under load are timed.
  const firstTimed = perEntry.count;

  const cpuBefore = process.cpuUsage();
  const threadBefore = process.threadCpuUsage();
  const sandboxBefore = await sandboxStats();
  const childrenBefore = childrenCpuSeconds();
  const started = performance.now();
  const startedAt = Date.now();
  // The sandbox's rate is per gateway instance.
  worker.postMessage({ type: 'rate', linesPerSecond: rate / pods } satisfies ToSandbox);
  let reported = 0;
  /**
   * Per minute of load: host heap (max), CPU of the process, of this thread (session, provider, harness) and of the
   * sandbox's thread, GC pauses and the longest event-loop stall of both threads, webview heap (no forced GC).
   */
  const minutes: {
    hostHeap: number;
    cpu: number;
    threadCpu: number;
    seconds: number;
    webviewHeap: number;
    gcMs: number;
    gcMaxMs: number;
    liveHeap: number;
    loopMaxMs: number;
    sandbox: SandboxStats & { cpu: number };
  }[] = [];
  let minuteStart = performance.now();
  let minuteCpu = process.cpuUsage();
  let minuteThreadCpu = process.threadCpuUsage();
  let minuteSandboxCpu = sandboxBefore.cpuSeconds;
  gc.ms = 0;
  gc.maxMs = 0;
  gc.liveHeap = Number.NaN;
  minuteLoopDelay.reset();
  let hostHeap = 0;
  let lastMinute = 0;
  const percent = (cpu: number, s: number): string => `${((cpu / s) * 100).toFixed(0)}%`;
  const mb = (bytes: number): string => (Number.isNaN(bytes) ? '?' : (bytes / 1e6).toFixed(0));
  const hostFigures = (r: (typeof minutes)[number]): string =>
    `CPU of a core: session thread ${percent(r.threadCpu, r.seconds)}, sandbox thread ${percent(r.sandbox.cpu, r.seconds)}, whole process ${percent(r.cpu, r.seconds)}; ` +
    `session thread: heap max ${mb(r.hostHeap)} MB, after full GC ${mb(r.liveHeap)} MB, GC ${percent(r.gcMs / 1000, r.seconds)} (longest pause ${r.gcMaxMs.toFixed(0)} ms), longest event-loop stall ${r.loopMaxMs.toFixed(0)} ms; ` +
    `sandbox thread: heap ${mb(r.sandbox.heapUsed)} MB, after full GC ${mb(r.sandbox.liveHeap)} MB, GC ${percent(r.sandbox.gcMs / 1000, r.seconds)} (longest pause ${r.sandbox.gcMaxMs.toFixed(0)} ms); webview heap ${mb(r.webviewHeap)} MB`;
  while (performance.now() - started < seconds * 1000) {
    await sleep(1000);
    hostHeap = Math.max(hostHeap, process.memoryUsage().heapUsed);
    const elapsed = Math.round((performance.now() - started) / 1000);
    if (elapsed - reported >= 10) {
      reported = elapsed;
      console.log(`tail: ${elapsed} s: ${sessionLines} lines followed, ${ackedLines} stored by the webview; host event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`);
      loopDelay.reset();
    }
    const minute = Math.floor((performance.now() - started) / 60_000);
    if (minute > lastMinute || performance.now() - started >= seconds * 1000) {
      lastMinute = minute;
      const used = process.cpuUsage(minuteCpu);
      minuteCpu = process.cpuUsage();
      const thread = process.threadCpuUsage(minuteThreadCpu);
      minuteThreadCpu = process.threadCpuUsage();
      const sandbox = await sandboxStats();
      const sandboxCpu = sandbox.cpuSeconds - minuteSandboxCpu;
      minuteSandboxCpu = sandbox.cpuSeconds;
      const webview = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      minutes.push({
        hostHeap,
        cpu: (used.user + used.system) / 1e6,
        threadCpu: (thread.user + thread.system) / 1e6,
        seconds: (performance.now() - minuteStart) / 1000,
        webviewHeap: webview.usedSize,
        gcMs: gc.ms,
        gcMaxMs: gc.maxMs,
        liveHeap: gc.liveHeap,
        loopMaxMs: minuteLoopDelay.max / 1e6,
        sandbox: { ...sandbox, cpu: sandboxCpu },
      });
      gc.ms = 0;
      gc.maxMs = 0;
      gc.liveHeap = Number.NaN;
      minuteLoopDelay.reset();
      const r = minutes.at(-1);
      const note = await harness.page.evaluate<string>(`document.querySelector('.dropped')?.hidden ? '(none)' : document.querySelector('.dropped')?.textContent ?? ''`);
      if (r) console.log(`tail: interval ${minutes.length} (${r.seconds.toFixed(0)} s): ${hostFigures(r)}; session let go ${session.droppedCount}, provider skipped ${provider.delivery().skippedRows}; the view says: ${note}`);
      minuteStart = performance.now();
      hostHeap = 0;
    }
  }
  worker.postMessage({ type: 'rate', linesPerSecond: 0 } satisfies ToSandbox);
  const loadSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const threadCpu = process.threadCpuUsage(threadBefore);
  const sandboxCpu = (await sandboxStats()).cpuSeconds - sandboxBefore.cpuSeconds;
  const childrenCpu = childrenCpuSeconds() - childrenBefore;

  // Drain: the last lines reach the session (idle flush) and the webview acknowledges them. Counted in quiet polls,
  // not in wall time: on a starved machine one sleep can outlast the 1.5 s, and a line still on its way is not lost.
  await sleep(500);
  const writtenAtStop = await writtenLines();
  const drainDeadline = performance.now() + 120_000;
  while (sessionLines < writtenAtStop && performance.now() < drainDeadline) await sleep(100);
  let quietPolls = 0;
  let last = -1;
  while (quietPolls < 15 && performance.now() < drainDeadline) {
    await sleep(100);
    const now = ackedLines + provider.delivery().skippedRows;
    if (now !== last) {
      last = now;
      quietPolls = 0;
    } else quietPolls++;
  }
  const written = await writtenLines();
  const skipped = provider.delivery().skippedRows;
  // Skipped entries are let go by the view's bound and counted in its "older entries dropped" note: not lost.
  const lost = written - ackedLines - skipped;

  const paints = await harness.page.evaluate<[number, number][]>('window.__paints');
  const storedAt = new Map(await harness.page.evaluate<[number, number][]>('window.__stored'));
  const latencies: number[] = [];
  /** Per line: kubelet stamp → session append, and session append → first frame showing it or a later line. */
  const beforeSession: number[] = [];
  const afterSession: number[] = [];
  const perMinute: number[][] = [];
  const perMinuteBefore: number[][] = [];
  // The view's order is seq order: entries the session placed among older ones are measured where the view shows them.
  const order = perEntry.viewOrder(firstTimed);
  /** The first frame at or after `time` (paints are in time order). */
  const paintFrom = (time: number): number => {
    let lo = 0;
    let hi = paints.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((paints[mid]?.[1] ?? Infinity) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let p = 0;
  for (const i of order) {
    const seq = perEntry.seq(i);
    while (p < paints.length && (paints[p]?.[0] ?? 0) < seq) p++;
    // A frame whose newest row is this entry's or a later one, drawn after the view stored this entry (an entry
    // placed among older ones is stored after frames that drew newer rows).
    const stored = storedAt.get(perEntry.postOf(i));
    const paint = paints[stored === undefined ? p : Math.max(p, paintFrom(stored))];
    const stamp = perEntry.stamp(i);
    if (!paint || stamp === undefined) continue;
    latencies.push(paint[1] - stamp);
    const appendedAt = perEntry.appendedAt(i);
    beforeSession.push(appendedAt - stamp);
    afterSession.push(paint[1] - appendedAt);
    const m = Math.max(0, Math.floor((stamp - startedAt) / 60_000));
    (perMinute[m] ??= []).push(paint[1] - stamp);
    (perMinuteBefore[m] ??= []).push(appendedAt - stamp);
  }
  // Merge order as the view shows it: entries, in the view's final order, whose kubelet time is earlier than an entry
  // shown before them. The session places a late entry among the older ones, so arriving late alone does not count.
  const late: number[] = [];
  let newestStamp = -Infinity;
  for (const i of order) {
    const stamp = perEntry.stamp(i);
    if (stamp === undefined) continue;
    if (stamp < newestStamp) late.push(newestStamp - stamp);
    else newestStamp = stamp;
  }
  const placed = perEntry.placedCount(firstTimed);
  const sortedLate = Float64Array.from(late).sort();
  const sortedLatencies = Float64Array.from(latencies).sort();
  const pctOf = (sorted: ArrayLike<number>, q: number): number => sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)] ?? Number.NaN;
  const pct = (q: number): number => pctOf(sortedLatencies, q);

  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  const domRows = await harness.page.locator('.layer .row:not([hidden])').count();

  console.log(`tail: gateway wrote ${written} lines; ${Math.round((written - 0) / loadSeconds)} lines/s over ${loadSeconds.toFixed(1)} s of load`);
  console.log(`tail: session followed ${sessionLines} lines; webview stored ${ackedLines} lines (${ackedRows} rows); let go by the view's bound: ${skipped}`);
  console.log(`tail: lines lost ${lost} (goal 0): ${lost === 0 ? 'met' : 'NOT met'}`);
  console.log(`tail: line-to-screen latency over ${latencies.length} lines: p50 ${pct(0.5).toFixed(0)} ms, p95 ${pct(0.95).toFixed(0)} ms, max ${pct(1).toFixed(0)} ms (goal p95 < 250 ms): ${pct(0.95) < 250 ? 'met' : 'NOT met'}`);
  const p95 = (values: number[]): string => `${pctOf(Float64Array.from(values).sort(), 0.95).toFixed(0)} ms`;
  console.log(`tail: stages (p95 per batch): newest line's age when the session appended it ${p95(stages.append)}, when the provider posted it ${p95(stages.post)}; post → ack ${p95(stages.ack)}`);
  console.log(`tail: stages (p95 per line): kubelet stamp → session append ${p95(beforeSession)}, session append → on screen ${p95(afterSession)}`);
  console.log(
    `tail: merge order: ${placed} entries arrived after a newer entry of another pod and were placed at their time; in the view's order ` +
      `${late.length} entries of ${order.length} come after a newer entry` +
      (late.length > 0 ? ` (by p50 ${pctOf(sortedLate, 0.5).toFixed(0)} ms, p99 ${pctOf(sortedLate, 0.99).toFixed(0)} ms, at most ${pctOf(sortedLate, 1).toFixed(0)} ms)` : '') +
      ` (goal 0): ${late.length === 0 ? 'met' : 'NOT met'}; placed after a newer entry for want of a free seq: ${(session as { misplacedCount?: number }).misplacedCount ?? '?'}`,
  );
  console.log(`tail: ${provider.delivery().batches} posts (${(provider.delivery().batches / loadSeconds).toFixed(1)}/s), ${paints.length} frames with new rows`);
  console.log(`tail: webview heap after GC ${(heap.usedSize / 1e6).toFixed(1)} MB (rows kept: ${maxEntries}); rows in the DOM: ${domRows}`);
  console.log(`tail: Chromium's processes CPU ${((childrenCpu / loadSeconds) * 100).toFixed(0)}% of a core (the machine has 2 cores, shared)`);
  console.log(
    `tail: extension-host side CPU ${percent(threadCpu.user / 1e6 + threadCpu.system / 1e6, loadSeconds)} of a core (session + provider + harness transport, its own thread); ` +
      `the sandbox's thread ${percent(sandboxCpu, loadSeconds)}; the whole process ${percent((cpu.user + cpu.system) / 1e6, loadSeconds)} (both threads and V8's helpers); heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
  for (let m = 0; m < Math.max(perMinute.length, minutes.length); m++) {
    const l = Float64Array.from(perMinute[m] ?? []).sort();
    const r = minutes[m];
    console.log(
      `tail: minute ${m + 1}: p95 line-to-screen ${pctOf(l, 0.95).toFixed(0)} ms over ${l.length} lines (stamp → session append ${p95(perMinuteBefore[m] ?? [])})` +
        (r ? `; ${hostFigures(r)}` : ''),
    );
  }
  const problems = harness.console.filter((l) => /error|Content Security Policy|Refused/i.test(l));
  if (problems.length > 0) console.log(`tail: webview console problems:\n${problems.slice(0, 10).join('\n')}`);
} finally {
  provider.dispose();
  session.dispose();
  await harness.close();
  await ask({ type: 'close' });
  await worker.terminate();
}
