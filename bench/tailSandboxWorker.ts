// The sandbox cluster for bench/tail.ts, on its own thread: the emulated kubelet and the gateway writing 20k lines a
// second must not share an event loop with the extension-host code being measured (in real life they do not even
// share a machine).
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox } from '../test/sandbox/index.ts';
import { BLOG } from '../test/sandbox/worlds/blog-start.ts';

export type ToSandbox = { type: 'rate'; linesPerSecond: number } | { type: 'scale'; replicas: number } | { type: 'count' } | { type: 'stats' } | { type: 'close' };
/** This thread's own figures, so the bench can tell the sandbox's share of the process from the session's. */
export interface SandboxStats {
  /** CPU time of this thread so far (user + system), seconds. */
  cpuSeconds: number;
  /** This thread's V8 heap in use, bytes. */
  heapUsed: number;
  /** Garbage collection on this thread since the last stats: total pause and longest pause, ms. */
  gcMs: number;
  gcMaxMs: number;
  /** The least heap in use right after a full GC since the last stats (bytes; NaN when none ran): what is really held. */
  liveHeap: number;
}
export type FromSandbox =
  | { type: 'ready'; kubeconfig: string }
  | { type: 'count'; lines: number }
  | ({ type: 'stats' } & SandboxStats)
  | { type: 'scaled'; running: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('bench/tailSandboxWorker.ts runs as a worker of bench/tail.ts');

const send = (message: FromSandbox): void => port.postMessage(message);

let gcMs = 0;
let gcMaxMs = 0;
let liveHeap = Number.NaN;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcMaxMs = Math.max(gcMaxMs, entry.duration);
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      const used = getHeapStatistics().used_heap_size;
      if (!(used >= liveHeap)) liveHeap = used;
    }
  }
}).observe({ entryTypes: ['gc'] });
const stats = (): SandboxStats => {
  const cpu = process.threadCpuUsage();
  const out = { cpuSeconds: (cpu.user + cpu.system) / 1e6, heapUsed: getHeapStatistics().used_heap_size, gcMs, gcMaxMs, liveHeap };
  gcMs = 0;
  gcMaxMs = 0;
  liveHeap = Number.NaN;
  return out;
};

try {
  // The kubelet's containerLogMaxSize (workerData, bytes): the sandbox keeps a container's current log file in memory,
  // where a real node keeps it on disk. At 10 MiB, 50 pods hold ~500 MB of log lines as JS objects on this thread, and
  // its garbage collector (marking a heap past 1 GB) takes CPU from the session being measured on a 2-core machine.
  const containerLogMaxBytes = (workerData as { containerLogMaxBytes?: number } | undefined)?.containerLogMaxBytes;
  const sandbox = await startSandbox({ world: 'blog-deployed', ...(containerLogMaxBytes !== undefined ? { containerLogMaxBytes } : {}) });
  const namespace = BLOG.extension.namespace;
  const linesWritten = (): number => {
    let lines = 0;
    for (const pod of sandbox.kube.list('pods') as { metadata: { name: string; namespace: string } }[]) {
      if (pod.metadata.namespace !== namespace) continue;
      for (const run of sandbox.kube.logRecord(namespace, pod.metadata.name).runs) lines += run.forgotten + run.lines.filter((l) => !l.partial).length;
    }
    return lines;
  };
  port.on('message', (message: ToSandbox) => {
    try {
      if (message.type === 'rate') sandbox.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, message.linesPerSecond);
      else if (message.type === 'count') send({ type: 'count', lines: linesWritten() });
      else if (message.type === 'stats') send({ type: 'stats', ...stats() });
      else if (message.type === 'scale') {
        // Through the API server, as `kubectl scale` would; the Deployment controller and kubelet start the pods.
        sandbox.kube.patch('deployments', namespace, BLOG.extension.name, 'merge', { spec: { replicas: message.replicas } });
        const running = (): number =>
          (sandbox.kube.list('pods', namespace) as { status?: { phase?: string; containerStatuses?: { ready?: boolean }[] } }[]).filter(
            (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready) === true,
          ).length;
        const deadline = Date.now() + 120_000;
        const poll = (): void => {
          const n = running();
          if (n >= message.replicas || Date.now() > deadline) send({ type: 'scaled', running: n });
          else setTimeout(poll, 200);
        };
        poll();
      }
      else void sandbox.close().then(() => send({ type: 'closed' }));
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready', kubeconfig: sandbox.info.kubeconfig });
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
