// The Kubernetes emulator against the real @kubernetes/client-node, loaded from the kubeconfig the emulator writes
// (TLS verified against the sandbox CA, bearer token): the same library and calls the extension makes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startKubeApiServer, type KubeApiServer } from './k8s/server.ts';
import { echoImage, echoProgram, fastTiming, waitFor } from './k8s/testing.ts';
import { createSandboxCa } from './tls.ts';

const ns = 'client-node';
let dir: string;
let server: KubeApiServer;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

const stampPattern = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (.*)$/;

/** Follow a pod log with client-node's Log; lines arrive split at newlines. */
function follow(pod: string, options: k8s.LogOptions): { lines: string[]; ended: Promise<void> } {
  const lines: string[] = [];
  let pending = '';
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => { resolveEnded = resolve; });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
      callback();
    },
    final(callback) {
      resolveEnded();
      callback();
    },
  });
  void new k8s.Log(kc).log(ns, pod, 'echo', sink, options);
  return { lines, ended };
}

async function runningPod(selector: string, exclude: readonly string[] = []): Promise<k8s.V1Pod> {
  return waitFor(`a ready pod for ${selector}`, async () => {
    const list = await core.listNamespacedPod({ namespace: ns, labelSelector: selector });
    return list.items.find((p) => !exclude.includes(p.metadata?.name ?? '') && !p.metadata?.deletionTimestamp
      && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
}

describe('Kubernetes emulator with @kubernetes/client-node', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8s-client-node-'));
    const ca = await createSandboxCa(dir);
    server = await startKubeApiServer({ dir, ca, programs: [echoProgram], timing: fastTiming });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses requests without the bearer token', async () => {
    const anonymous = await getWithCa(`${server.url}/api/v1/namespaces`);
    assert.equal(anonymous.status, 401);
    assert.equal((JSON.parse(anonymous.body) as { reason: string }).reason, 'Unauthorized');
    // Like system:public-info-viewer on a default cluster: /version needs no token (the kubectl dispatcher asks it first).
    const version = await getWithCa(`${server.url}/version`);
    assert.equal((JSON.parse(version.body) as { gitVersion: string }).gitVersion, 'v1.32.4');
    const wrong = new k8s.KubeConfig();
    wrong.loadFromFile(server.kubeconfigPath);
    wrong.users[0] = { ...wrong.users[0]!, token: 'wrong' };
    await assert.rejects(wrong.makeApiClient(k8s.CoreV1Api).listNamespace(), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 401);
      return true;
    });
  });

  it('creates Namespace, Secret, ConfigMap, Deployment and Service, and pods become Running', async () => {
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const secret = await core.createNamespacedSecret({
      namespace: ns, body: { metadata: { name: 'gw-token' }, stringData: { value: 'GatewayKey s3cr3t' } },
    });
    assert.equal(secret.data?.['value'], Buffer.from('GatewayKey s3cr3t').toString('base64'));
    assert.equal(secret.stringData, undefined);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'gw-env' }, data: { GREETING: 'hello' } } });

    const events: string[] = [];
    const watchDone = new Promise<void>((resolve) => {
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, { allowWatchBookmarks: true }, (type, obj: k8s.V1Pod) => {
        if (type === 'BOOKMARK') return;
        const waiting = obj.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        events.push(`${type} ${obj.status?.phase}${waiting ? `/${waiting}` : ''}`);
        if (obj.status?.phase === 'Running') resolve();
      }, () => undefined).then((controller) => watchDone.then(() => controller.abort()));
    });

    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'echo', labels: { app: 'echo' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'echo' } },
          template: {
            metadata: { labels: { app: 'echo' } },
            spec: {
              containers: [{
                name: 'echo', image: echoImage, ports: [{ name: 'http', containerPort: 8080 }],
                env: [
                  { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'gw-token', key: 'value' } } },
                  { name: 'LOG_INTERVAL_MS', value: '20' },
                ],
                envFrom: [{ configMapRef: { name: 'gw-env' } }],
              }],
            },
          },
        },
      },
    });
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 5000, targetPort: 'http' }] } },
    });
    await watchDone;
    assert.equal(events[0], 'ADDED Pending');
    assert.ok(events.includes('MODIFIED Pending/ContainerCreating'), events.join(', '));
    assert.equal(events.at(-1), 'MODIFIED Running');

    const pod = await runningPod('app=echo');
    assert.match(pod.metadata!.name!, /^echo-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(pod.status!.podIP!, /^10\.244\.0\.\d+$/);
    assert.equal(pod.metadata!.labels!['pod-template-hash'], pod.metadata!.name!.split('-')[1]);
    const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns, container: 'echo' });
    assert.equal(log.split('\n')[0], 'start restart=0 token=GatewayKey s3cr3t greeting=hello');

    const deployment = await waitFor('deployment status', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'echo', namespace: ns });
      return d.status?.readyReplicas === 1 && d.status.availableReplicas === 1 ? d : undefined;
    });
    assert.equal(deployment.status?.updatedReplicas, 1);
    assert.equal(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
  });

  it('calls a pod through the service proxy, by port number and by port name', async () => {
    // client-node hands back the backend's JSON already parsed (it sent Content-Type: application/json).
    const asObject = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as { path: string; port: number; remoteAddress: string };
    const parsed = asObject(await core.connectGetNamespacedServiceProxyWithPath({ name: 'echo:http', namespace: ns, path: 'echo/resource' }));
    assert.equal(parsed.path, '/echo/resource');
    assert.equal(parsed.port, 8080);
    assert.equal(parsed.remoteAddress, '172.18.0.2', 'the backend sees the API server\'s node address');
    const byNumber = asObject(await core.connectGetNamespacedServiceProxyWithPath({ name: 'echo:5000', namespace: ns, path: 'x' }));
    assert.equal(byNumber.path, '/x');
    await assert.rejects(core.connectGetNamespacedServiceProxyWithPath({ name: 'nope:5000', namespace: ns, path: 'x' }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 404);
      return true;
    });
  });

  it('follows logs with timestamps, exactly the lines the container wrote', async () => {
    const pod = (await runningPod('app=echo')).metadata!.name!;
    const f = follow(pod, { follow: true, timestamps: true, tailLines: 5 });
    await waitFor('followed lines', () => f.lines.length >= 30);
    // Ended from the server side: aborting client-node's Log leaves an unhandled AbortError on its piped stream.
    server.faults.cutLogStreams({ namespace: ns, pod });
    await f.ended;
    const record = server.logRecord(ns, pod, 'echo').runs.at(-1)!.lines;
    const received = f.lines.slice(0, 30).map((l) => {
      const m = stampPattern.exec(l);
      assert.ok(m, `no RFC3339Nano prefix: ${l}`);
      return { time: m[1]!, text: m[2]! };
    });
    const start = record.findIndex((l) => l.time === received[0]!.time);
    assert.ok(start >= 0);
    assert.deepEqual(received, record.slice(start, start + 30).map((l) => ({ time: l.time, text: l.text })));
  });

  it('a cut follower resumes with sinceTime and gets every later line', async () => {
    const pod = (await runningPod('app=echo')).metadata!.name!;
    const first = follow(pod, { follow: true, timestamps: true, tailLines: 1 });
    await waitFor('first lines', () => first.lines.length >= 10);
    const cut = server.faults.cutLogStreams({ namespace: ns, pod, afterLines: 7 });
    assert.equal(cut.cut, 1);
    await first.ended;
    const seen = new Map<string, string>();
    for (const line of first.lines) {
      const m = stampPattern.exec(line)!;
      seen.set(m[1]!, m[2]!);
    }
    const lastSeen = [...seen.keys()].at(-1)!;
    // Lines keep coming while the client is away; the server truncates sinceTime to whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = follow(pod, { follow: true, timestamps: true, sinceTime: lastSeen });
    await waitFor('resumed lines', () => second.lines.length > 0 && stampPattern.exec(second.lines.at(-1)!)![1]! > lastSeen
      && second.lines.filter((l) => stampPattern.exec(l)![1]! > lastSeen).length >= 15);
    server.faults.cutLogStreams({ namespace: ns, pod });
    await second.ended;
    const resumed = second.lines.map((l) => stampPattern.exec(l)!);
    assert.ok(resumed[0]![1]! <= lastSeen, 'resume starts at or before the last line seen (second precision)');
    assert.ok(resumed[0]![1]!.startsWith(lastSeen.slice(0, 19)), 'resume starts within the second of the last line seen');
    for (const m of resumed) seen.set(m[1]!, m[2]!);
    // Deduplicated by timestamp and in time order, the two streams are exactly the record over their span.
    const merged = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const record = server.logRecord(ns, pod, 'echo').runs.at(-1)!.lines;
    const from = record.findIndex((l) => l.time === merged[0]![0]);
    const upTo = record.findIndex((l) => l.time === merged.at(-1)![0]);
    assert.ok(from >= 0 && upTo > from);
    assert.deepEqual(merged, record.slice(from, upTo + 1).map((l) => [l.time, l.text]));
  });

  it('restartContainer: restartCount goes up and the previous log is kept', async () => {
    const pod = (await runningPod('app=echo')).metadata!.name!;
    await waitFor('a few lines', () => server.podLogs(ns, pod, 'echo').length > 5);
    await assert.rejects(core.readNamespacedPodLog({ name: pod, namespace: ns, container: 'echo', previous: true }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 400);
      return true;
    });
    const res = await fetchWithCa(`${server.url}/sandbox/v1/faults/restartContainer`, { namespace: ns, pod });
    // The first restart after a crash is immediate (back-off starts with the second).
    assert.deepEqual(res, { container: 'echo', restartCount: 1 });
    const restarted = await waitFor('restartCount 1 and running', async () => {
      const p = await core.readNamespacedPod({ name: pod, namespace: ns });
      const s = p.status?.containerStatuses?.[0];
      return s?.restartCount === 1 && s.state?.running && s.ready ? s : undefined;
    });
    assert.equal(restarted.lastState?.terminated?.exitCode, 137);
    const previous = await core.readNamespacedPodLog({ name: pod, namespace: ns, container: 'echo', previous: true });
    const record = server.logRecord(ns, pod, 'echo').runs;
    assert.equal(record.length, 2);
    assert.equal(previous, record[0]!.lines.map((l) => `${l.text}\n`).join(''));
    const current = await core.readNamespacedPodLog({ name: pod, namespace: ns, container: 'echo' });
    assert.equal(current.split('\n')[0], 'start restart=1 token=GatewayKey s3cr3t greeting=hello');
  });

  it('the Deployment replaces a deleted pod', async () => {
    const old = (await runningPod('app=echo')).metadata!.name!;
    const deleted = await core.deleteNamespacedPod({ name: old, namespace: ns });
    assert.ok(deleted.metadata?.deletionTimestamp, 'graceful deletion marks the pod first');
    const replacement = await runningPod('app=echo', [old]);
    assert.notEqual(replacement.metadata!.name, old);
    await waitFor('the old pod to be gone', async () => {
      const list = await core.listNamespacedPod({ namespace: ns });
      return !list.items.some((p) => p.metadata?.name === old);
    });
    const ep = await core.readNamespacedEndpoints({ name: 'echo', namespace: ns });
    assert.deepEqual(ep.subsets?.[0]?.addresses?.map((a) => a.ip), [replacement.status!.podIP]);
  });

  it('runs a curl pod against the Service and keeps its output as the pod log', async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'curl', labels: { run: 'curl' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'curl', image: 'curlimages/curl', args: ['curl', '-sS', `http://echo.${ns}:5000/echo/resource?param1=sample`] }] },
      },
    });
    const done = await waitFor('curl pod to finish', async () => {
      const p = await core.readNamespacedPod({ name: 'curl', namespace: ns });
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
    });
    assert.equal(done.status?.phase, 'Succeeded');
    assert.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    const log = await core.readNamespacedPodLog({ name: 'curl', namespace: ns, container: 'curl' });
    const body = JSON.parse(log) as { path: string; host: string; remoteAddress: string };
    assert.equal(body.path, '/echo/resource?param1=sample');
    assert.equal(body.host, `echo.${ns}:5000`);
    assert.equal(body.remoteAddress, done.status?.podIP);
    assert.equal(log.endsWith('\n'), false, 'curl printed the body as it was, with no newline added');
  });

  it('answers errors as Status objects with real reasons', async () => {
    await assert.rejects(core.readNamespacedPod({ name: 'missing', namespace: ns }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 404);
      const status = JSON.parse(e.body as string) as { reason: string; message: string };
      assert.equal(status.reason, 'NotFound');
      assert.equal(status.message, 'pods "missing" not found');
      return true;
    });
    await assert.rejects(core.createNamespace({ body: { metadata: { name: 'Bad_Name' } } }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 422);
      const status = JSON.parse(e.body as string) as { reason: string; details: { causes: { field: string }[] } };
      assert.equal(status.reason, 'Invalid');
      assert.equal(status.details.causes[0]!.field, 'metadata.name');
      return true;
    });
    await assert.rejects(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'gw-env' } } }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 409);
      return true;
    });
    const cm = await core.readNamespacedConfigMap({ name: 'gw-env', namespace: ns });
    await core.replaceNamespacedConfigMap({ name: 'gw-env', namespace: ns, body: { ...cm, data: { GREETING: 'hi' } } });
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'gw-env', namespace: ns, body: { ...cm, data: { GREETING: 'stale' } } }), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 409);
      assert.match(String(e.body), /the object has been modified/);
      return true;
    });
  });

  it('server-side apply through KubernetesObjectApi: create, managedFields, conflicts by manager, force, dryRun, fieldManager required', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cm = (data: Record<string, string>): k8s.V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-cm', namespace: ns }, data });
    const ssa = k8s.PatchStrategy.ServerSideApply;
    const status = (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      return { code: e.code, ...(JSON.parse(e.body as string) as { reason: string; message: string; details?: { causes?: { reason: string; message: string; field: string }[] } }) };
    };
    // dryRun=All on a missing object: validated, answered, not stored.
    await objects.patch(cm({ a: '1', b: '1' }), undefined, 'All', 'deployer', false, ssa);
    assert.equal(server.get('configmaps', ns, 'ssa-cm'), undefined);
    const created = await objects.patch(cm({ a: '1', b: '1' }), undefined, undefined, 'deployer', false, ssa);
    assert.deepEqual(created.metadata?.managedFields?.map((m) => [m.manager, m.operation, m.fieldsType, m.fieldsV1]),
      [['deployer', 'Apply', 'FieldsV1', { 'f:data': { 'f:a': {}, 'f:b': {} } }]]);
    // An Update manager takes b; another applier changing a and b conflicts with both managers, sorted by manager.
    await core.patchNamespacedConfigMap({ name: 'ssa-cm', namespace: ns, body: { data: { b: '2' } }, fieldManager: 'editor' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await assert.rejects(objects.patch(cm({ a: '9', b: '9' }), undefined, undefined, 'rival', false, ssa), (e: unknown) => {
      const s = status(e);
      assert.equal(s.code, 409);
      assert.equal(s.reason, 'Conflict');
      assert.equal(s.message, 'Apply failed with 2 conflicts: conflicts with "deployer":\n- .data.a\nconflicts with "editor" using v1:\n- .data.b');
      assert.deepEqual(s.details?.causes, [
        { reason: 'FieldManagerConflict', message: 'conflict with "deployer"', field: '.data.a' },
        { reason: 'FieldManagerConflict', message: 'conflict with "editor" using v1', field: '.data.b' },
      ]);
      return true;
    });
    const forced = await objects.patch(cm({ a: '9', b: '9' }), undefined, undefined, 'rival', true, ssa);
    assert.deepEqual(forced.metadata?.managedFields?.map((m) => m.manager), ['rival']);
    // Without a fieldManager the options are refused before anything else, as ValidatePatchOptions does.
    await assert.rejects(objects.patch(cm({ a: '1' }), undefined, undefined, undefined, false, ssa), (e: unknown) => {
      const s = status(e);
      assert.equal(s.code, 422);
      assert.equal(s.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
      return true;
    });
    await core.deleteNamespacedConfigMap({ name: 'ssa-cm', namespace: ns });
  });

  it('dropWatches ends open watches; latency delays every response', async () => {
    const ended = new Promise<void>((resolve) => {
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, {}, () => undefined, () => resolve());
    });
    await waitFor('the watch to be open', async () => {
      const r = await fetchWithCa(`${server.url}/sandbox/v1/faults/dropWatches`, {}) as { dropped: number };
      return r.dropped > 0;
    });
    await ended;
    await fetchWithCa(`${server.url}/sandbox/v1/faults/latency`, { ms: 300 });
    const started = Date.now();
    await core.listNamespace();
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual(server.faults.latency({ ms: 0 }), { ms: 0 });
  });

  it('a watch from a compacted resourceVersion gets a 410 Expired ERROR event', async () => {
    const list = await core.listNamespacedPod({ namespace: ns });
    const rv = list.metadata!.resourceVersion!;
    // A change after the list, then compaction: the list's resourceVersion is older than the history kept.
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'after-list' } } });
    server.faults.compact();
    const error = await new Promise<{ code: number; reason: string }>((resolve) => {
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, { resourceVersion: rv }, (type, obj: { code: number; reason: string }) => {
        if (type === 'ERROR') resolve(obj);
      }, () => undefined);
    });
    assert.equal(error.code, 410);
    assert.equal(error.reason, 'Expired');
  });
});

/** POST JSON over HTTPS trusting only the sandbox CA, as another process (the VS Code tests) would. */
async function fetchWithCa(url: string, body: unknown): Promise<unknown> {
  const { request } = await import('node:https');
  const { readFile } = await import('node:fs/promises');
  const ca = await readFile(server.caFile, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function getWithCa(url: string): Promise<{ status: number; body: string }> {
  const { get } = await import('node:https');
  const { readFile } = await import('node:fs/promises');
  const ca = await readFile(server.caFile, 'utf8');
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
