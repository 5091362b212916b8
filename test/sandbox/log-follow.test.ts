// The extension's log follow (src/logs/followSession.ts over src/kubernetes/) against the sandbox cluster, without
// VS Code: every pod of the gateway Deployment at once, through cut streams, container restarts and pod deletions,
// checked line by line against what the simulated containers really wrote (the kubelet's own record).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { createKubernetesClients, type KubernetesClients } from '../../src/kubernetes/client.ts';
import { createDeploymentLogSession } from '../../src/logSessions/followSession.ts';
import type { LogSession, SessionNotice, TaggedEntry } from '../../src/logSessions/session.ts';
import { toLogRow } from '../../src/panels/gatewayLogsRows.ts';
import { RowStore } from '../../src/webview/gatewayLogs/store.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import type { LogRecord } from './k8s/server.ts';
import { waitFor } from './k8s/testing.ts';
import { BLOG } from './worlds/index.ts';

const NS = BLOG.extension.namespace;
const DEPLOYMENT = BLOG.extension.name;
const SERVICE = BLOG.kubernetesService;
const CONTEXT = 'rb-arc-aks';

let sb: RunningSandbox;
let clients: KubernetesClients;

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  status?: { conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount?: number; state?: { running?: object } }[] };
}

function readyPods(): string[] {
  return (sb.kube.list('pods', NS) as unknown as Pod[])
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => p.metadata.name)
    .sort();
}

function restartCount(pod: string): number {
  const p = sb.kube.get('pods', NS, pod) as unknown as Pod | undefined;
  return p?.status?.containerStatuses?.[0]?.restartCount ?? -1;
}

/** GET through the API server with the sandbox's CA and token (the log-record endpoint, the service proxy). */
function apiGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(sb.info.kubeApi + path);
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: readFileSync(sb.info.caFile), headers: { Authorization: `Bearer ${sb.info.token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function logRecord(pod: string): Promise<LogRecord> {
  const res = await apiGet(`/sandbox/v1/pods/${NS}/${pod}/log-record`);
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body) as LogRecord;
}

/** Every line the follower delivered for `pod`, in order (entries in sequence, each entry's physical lines). */
function deliveredLines(entries: readonly TaggedEntry[], pod: string): string[] {
  return entries.filter((e) => e.pod === pod).flatMap((e) => e.raw);
}

function recordedLines(record: LogRecord): string[] {
  return record.runs.flatMap((run) => run.lines.map((l) => l.text));
}

/** Fails with the first difference, not a 10 000-line diff. */
function assertSameLines(actual: string[], expected: string[], what: string): void {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      assert.fail(`${what}: line ${i + 1} differs (delivered ${actual.length}, written ${expected.length}):\n  delivered: ${actual[i]}\n  written:   ${expected[i]}\n  delivered before: ${actual[i - 1] ?? ''}`);
    }
  }
  assert.equal(actual.length, expected.length, `${what}: delivered ${actual.length} lines, the container wrote ${expected.length}`);
}

/** Waits until nothing new arrived for `quietMs`. */
/** Every entry's kubelet time is at or after the one before it (the session's order across pods). */
function assertKubeletOrder(entries: readonly TaggedEntry[]): void {
  let newest = entries[0];
  for (const entry of entries) {
    const time = entry.kubeletTime?.value ?? 0;
    assert.ok(time >= (newest?.kubeletTime?.value ?? 0), `entry ${entry.seq} (${entry.pod} at ${entry.kubeletTime?.raw}) came after entry ${newest?.seq} (${newest?.pod} at ${newest?.kubeletTime?.raw})`);
    newest = entry;
  }
}

async function settle(session: LogSession, quietMs = 600): Promise<void> {
  let last = Date.now();
  const sub = session.onDidAppend(() => (last = Date.now()));
  try {
    await waitFor('the session to settle', () => Date.now() - last > quietMs, 20_000, 50);
  } finally {
    sub.dispose();
  }
}

function sendGatewayRequest(): Promise<{ status: number; body: string }> {
  return apiGet(`/api/v1/namespaces/${NS}/services/${SERVICE}:5000/proxy/echo/resource?param1=sample`);
}

describe('log follow against the sandbox cluster', () => {
  before(async () => {
    // Logs kept whole (a kubelet configured with a large containerLogMaxSize): the 20k lines/s test compares every
    // line delivered with every line written, ~10 MiB, which the default 10 MiB would rotate away.
    sb = await startSandbox({ world: 'blog-deployed', containerLogMaxBytes: 1024 * 1024 * 1024 });
    clients = createKubernetesClients(() => [sb.info.kubeconfig]);
  });

  after(async () => {
    await sb?.close();
  });

  it('shows a request record within a second of the request, then leaves no request open once disposed', async () => {
    const session = await createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: DEPLOYMENT }, { clients }, { maxEntries: 10_000 });
    try {
      await waitFor('the startup log', () => session.snapshot().length > 10);
      assert.equal(session.live, true);
      assert.match(session.title, /^apim\/rb-arc-aks-apimgw \(rb-arc-aks\)$/);
      await settle(session, 300);
      const sent = Date.now();
      const response = await sendGatewayRequest();
      assert.equal(response.status, 404);
      const record = await waitFor('the request record', () => session.snapshot().find((e) => e.kind === 'request' && e.request?.url?.includes('/echo/resource')), 1000, 5);
      assert.ok(Date.now() - sent < 1000, `the record showed after ${Date.now() - sent} ms`);
      assert.equal(record.request?.responseCode, 404);
      assert.ok(record.kubeletTime?.value && Math.abs(record.kubeletTime.value - sent) < 2000, 'tagged with the kubelet time');
      assert.ok(record.pod?.startsWith(`${DEPLOYMENT}-`));
      assert.ok(clients.openRequests >= 2, 'a pod watch and a log stream are open while following');
    } finally {
      let ended = false;
      session.onDidEnd(() => (ended = true));
      session.dispose();
      assert.ok(ended, 'onDidEnd fires on dispose');
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('follows every pod through cut streams, restarts and deletions without losing or repeating a line', async () => {
    sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 2 } });
    await waitFor('two ready gateway pods', () => readyPods().length === 2 && readyPods(), 30_000);
    const [podA, podB] = readyPods() as [string, string];
    sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 2000);
    const notices: SessionNotice[] = [];
    let batches = 0;
    let appended = 0;
    const session = await createDeploymentLogSession(
      { context: CONTEXT, namespace: NS, deployment: DEPLOYMENT },
      { clients },
      { maxEntries: 2_000_000, tailLines: 1_000_000 },
    );
    session.onNotice((n) => notices.push(n));
    session.onDidAppend((batch) => {
      batches++;
      appended += batch.length;
    });
    let deletedRecord: LogRecord | undefined;
    try {
      const entriesOf = (pod: string): number => session.snapshot().filter((e) => e.pod === pod).length;
      await waitFor('entries from both pods', () => entriesOf(podA) > 100 && entriesOf(podB) > 100, 10_000);

      // A clean end, then a reset connection, on every stream.
      sb.kube.faults.cutLogStreams({ afterLines: 37 });
      await new Promise((r) => setTimeout(r, 400));
      sb.kube.faults.cutLogStreams({ mode: 'reset', afterLines: 5 });
      await new Promise((r) => setTimeout(r, 400));
      sb.kube.faults.dropWatches({ mode: 'reset' });

      // A restart while following; then a cut immediately followed by a restart, so the end of the old run must
      // come from `previous=true`.
      sb.kube.faults.restartContainer({ namespace: NS, pod: podA });
      await waitFor('pod A running again', () => restartCount(podA) === 1 && readyPods().includes(podA), 15_000);
      await new Promise((r) => setTimeout(r, 300));
      // Slow API answers keep the follower from reconnecting before the restart, so the lines written between the
      // cut and the restart exist only in the previous run's log.
      sb.kube.faults.latency({ ms: 300 });
      sb.kube.faults.cutLogStreams({ namespace: NS, pod: podA, mode: 'reset' });
      await new Promise((r) => setTimeout(r, 100));
      sb.kube.faults.restartContainer({ namespace: NS, pod: podA });
      await new Promise((r) => setTimeout(r, 100));
      sb.kube.faults.latency({ ms: 0 });
      await waitFor('pod A restarted twice', () => restartCount(podA) === 2 && readyPods().includes(podA), 15_000);
      await new Promise((r) => setTimeout(r, 300));

      // A deleted pod: the Deployment replaces it and the session picks the new one up.
      sb.kube.faults.deletePod({ namespace: NS, pod: podB });
      // The record goes with the pod; the last copy read before it vanished has every line (a stopped container
      // writes nothing, and the pod outlives its container by the termination delay).
      await waitFor('pod B removed', () => {
        if (!sb.kube.get('pods', NS, podB)) return true;
        deletedRecord = sb.kube.logRecord(NS, podB);
        return false;
      }, 15_000, 2);
      const podC = await waitFor('a replacement pod', () => readyPods().find((p) => p !== podA && p !== podB), 30_000);
      await waitFor('entries from the new pod', () => entriesOf(podC) > 50, 10_000);

      const requestsFrom = Date.now();
      for (let i = 0; i < 5; i++) assert.equal((await sendGatewayRequest()).status, 404);
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      await settle(session);

      const entries = session.snapshot();
      assertSameLines(deliveredLines(entries, podA), recordedLines(await logRecord(podA)), `pod ${podA} (2 restarts, 3 cuts)`);
      assert.ok(deletedRecord, 'pod B record captured');
      assertSameLines(deliveredLines(entries, podB), recordedLines(deletedRecord), `pod ${podB} (deleted)`);
      assertSameLines(deliveredLines(entries, podC), recordedLines(await logRecord(podC)), `pod ${podC} (appeared)`);
      const records = entries.filter((e) => e.kind === 'request' && (e.kubeletTime?.value ?? 0) >= requestsFrom - 1);
      assert.equal(records.length, 5, 'five request records, each one entry');
      for (let i = 1; i < entries.length; i++) assert.ok((entries[i]?.seq ?? 0) > (entries[i - 1]?.seq ?? 0), 'seq increases');

      const states = new Map(session.pods().map((p) => [p.pod, p]));
      assert.equal(states.get(podB)?.state, 'gone');
      assert.equal(states.get(podA)?.state, 'following');
      assert.equal(states.get(podA)?.restartCount, 2);
      assert.equal(states.get(podC)?.state, 'following');
      const texts = notices.map((n) => `${n.pod ?? ''}: ${n.text}`);
      assert.ok(texts.some((t) => t.startsWith(`${podA}: Container`) && t.includes('restart 2')), texts.join('\n'));
      assert.ok(texts.some((t) => t.startsWith(`${podB}: Pod ${podB} is gone`)), texts.join('\n'));
      assert.ok(texts.some((t) => t.startsWith(`${podC}: Pod ${podC} appeared`)), texts.join('\n'));
      assert.ok(texts.some((t) => t.includes('was cut; resumed')), texts.join('\n'));
      assert.equal(appended, entries.length);
      assert.ok(batches < appended / 5, `entries arrive in batches (${batches} batches for ${appended} entries)`);
    } finally {
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      session.dispose();
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('relists after its watch version expired and still picks up new pods', async () => {
    const session = await createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: DEPLOYMENT }, { clients }, { maxEntries: 100_000 });
    try {
      await waitFor('pods followed', () => session.pods().filter((p) => p.state === 'following').length === 2, 10_000);
      sb.kube.faults.compact();
      sb.kube.faults.dropWatches();
      sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 3 } });
      await waitFor('the third pod followed', () => session.pods().filter((p) => p.state === 'following').length === 3, 30_000);
    } finally {
      session.dispose();
      sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 1 } });
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('appends the entries of several pods in kubelet-time order, also across batches', async () => {
    sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 3 } });
    await waitFor('three ready gateway pods', () => readyPods().length === 3, 30_000);
    sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 1000);
    // A wide reorder window: on a loaded machine one pod's lines can come hundreds of ms after another's.
    const session = await createDeploymentLogSession(
      { context: CONTEXT, namespace: NS, deployment: DEPLOYMENT },
      { clients },
      { maxEntries: 100_000, tailLines: 200, reorderMs: 2000 },
    );
    let batches = 0;
    session.onDidAppend(() => batches++);
    try {
      const entriesOf = (pod: string): number => session.snapshot().filter((e) => e.pod === pod).length;
      await waitFor('entries from every pod', () => readyPods().every((p) => entriesOf(p) > 1000), 20_000);
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      await settle(session);
      const entries = session.snapshot();
      assertKubeletOrder(entries);
      assert.ok(batches > 10, `appended in ${batches} batches`);
    } finally {
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      session.dispose();
      sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 1 } });
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('places the entries of a pod whose lines come late at their kubelet time, in the buffer and in a view that mirrors it', async () => {
    sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 3 } });
    await waitFor('three ready gateway pods', () => readyPods().length === 3, 30_000);
    sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 300);
    const session = await createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: DEPLOYMENT }, { clients }, { maxEntries: 100_000, tailLines: 20, reorderMs: 100 });
    // The Gateway Logs view's store, fed as the provider feeds it: rows in the order the session announces them.
    const view = new RowStore(100_000);
    let placed = 0;
    let newestSeq = -1;
    session.onDidAppend((batch) => {
      for (const entry of batch) {
        if (entry.seq < newestSeq) placed++;
        newestSeq = Math.max(newestSeq, entry.seq);
      }
      view.append(batch.map(toLogRow));
    });
    try {
      const entriesOf = (pod: string): number => session.snapshot().filter((e) => e.pod === pod).length;
      await waitFor('entries from every pod', () => readyPods().every((p) => entriesOf(p) > 100), 20_000);
      const slow = readyPods()[0] as string;
      // One pod's stream stalls for 800 ms (8 times the reorder window), then delivers everything at once.
      assert.equal(sb.kube.faults.holdLogStreams({ namespace: NS, pod: slow, ms: 800 }).held, 1);
      await new Promise((r) => setTimeout(r, 1500));
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      await settle(session);
      const entries = session.snapshot();
      assertKubeletOrder(entries);
      assert.ok(placed > 50, `${placed} entries were placed among older ones (the stall did make them late)`);
      assert.deepEqual(Array.from({ length: view.length }, (_, i) => view.at(i)?.seq), entries.map((e) => e.seq), 'the view holds the buffer, in its order');
      // Nothing of the slow pod was lost or repeated: every line it wrote since the first one followed.
      const record = await logRecord(slow);
      const from = entries.find((e) => e.pod === slow)?.kubeletTime?.raw ?? '';
      const written = record.runs.at(-1)?.lines.filter((l) => l.time >= from).map((l) => l.text) ?? [];
      assertSameLines(deliveredLines(entries, slow), written, 'the slow pod');
    } finally {
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      session.dispose();
      sb.kube.patch('deployments', NS, DEPLOYMENT, 'merge', { spec: { replicas: 1 } });
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('keeps up with a gateway writing 20 000 lines a second', async () => {
    await waitFor('one ready pod', () => readyPods().length === 1 && readyPods(), 30_000);
    const [pod] = readyPods() as [string];
    const session = await createDeploymentLogSession({ context: CONTEXT, namespace: NS, pod }, { clients }, { maxEntries: 500_000, tailLines: 0 });
    let worstLag = 0;
    try {
      await waitFor('following', () => session.pods()[0]?.state === 'following', 5000);
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 20_000);
      const started = Date.now();
      while (Date.now() - started < 3000) {
        await new Promise((r) => setTimeout(r, 250));
        const newest = session.snapshot().at(-1)?.kubeletTime?.value;
        if (newest !== undefined && Date.now() - started > 500) worstLag = Math.max(worstLag, Date.now() - newest);
      }
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      await settle(session, 400);
      const record = await logRecord(pod);
      const from = session.snapshot()[0]?.kubeletTime?.raw ?? '';
      const written = record.runs.at(-1)?.lines.filter((l) => l.time >= from).map((l) => l.text) ?? [];
      assert.ok(written.length > 40_000, `the simulator wrote ${written.length} lines in 3 s`);
      assertSameLines(deliveredLines(session.snapshot(), pod), written, 'at 20k lines/s');
      assert.ok(worstLag < 1000, `the newest entry lagged ${worstLag} ms behind the kubelet`);
    } finally {
      sb.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, 0);
      session.dispose();
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });

  it('rejects a target it cannot follow with a message naming it', async () => {
    await assert.rejects(
      createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: 'nope' }, { clients }, { maxEntries: 10 }),
      /NotFound: deployments.apps "nope" not found/,
    );
    await assert.rejects(
      createDeploymentLogSession({ context: 'missing', namespace: NS, deployment: DEPLOYMENT }, { clients }, { maxEntries: 10 }),
      /no context named "missing"/,
    );
    await assert.rejects(
      createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: DEPLOYMENT, pod: 'x' }, { clients }, { maxEntries: 10 }),
      /exactly one of/,
    );
    await waitFor('every request closed', () => clients.openRequests === 0, 2000);
  });
});
