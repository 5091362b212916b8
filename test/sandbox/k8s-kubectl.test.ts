// The Kubernetes emulator against real kubectl: the commands of the seed blog and of the extension's docs, with
// kubectl's own discovery, validation, protobuf generators, Table printing, watch and log streaming.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKubeApiServer, type KubeApiServer } from './k8s/server.ts';
import { echoImage, echoProgram, fastTiming, waitFor } from './k8s/testing.ts';
import { createSandboxCa } from './tls.ts';

const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const skip = kubectlFound.error ? 'kubectl is not on PATH' : false;

const ns = 'kubectl-test';
let dir: string;
let server: KubeApiServer;

interface Result { code: number | null; stdout: string; stderr: string }

function kubectlArgs(args: readonly string[]): string[] {
  return ['--kubeconfig', server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args];
}

function kubectl(args: readonly string[], input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', kubectlArgs(args), { env: { ...process.env, KUBECONFIG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function ok(args: readonly string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A long-running kubectl (watch, follow) whose output the test reads while it runs, then stops. */
function background(args: readonly string[]): { output: () => string; stop: () => Promise<number | null> } {
  const child = spawn('kubectl', kubectlArgs(args), { env: { ...process.env, KUBECONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return closed;
    },
  };
}

const manifest = (greeting: string, logLimit: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: Secret
metadata:
  name: gw-token
  namespace: ${ns}
type: Opaque
data:
  value: ${Buffer.from('GatewayKey abc').toString('base64')}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gw-env
  namespace: ${ns}
data:
  GREETING: ${greeting}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
  namespace: ${ns}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
      - name: echo
        image: ${echoImage}
        ports:
        - name: http
          containerPort: 8080
        env:
        - name: LOG_INTERVAL_MS
          value: "5"
        - name: LOG_LIMIT
          value: "${logLimit}"
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: gw-token
              key: value
        envFrom:
        - configMapRef:
            name: gw-env
---
apiVersion: v1
kind: Service
metadata:
  name: echo
  namespace: ${ns}
spec:
  selector:
    app: echo
  ports:
  - name: http
    port: 5000
    targetPort: http
`;

async function echoPod(): Promise<string> {
  return waitFor('a running echo pod', () => server.list('pods', ns, { labelSelector: 'app=echo' })
    .find((p) => !p.metadata.deletionTimestamp && (p['status'] as { phase?: string } | undefined)?.phase === 'Running')?.metadata.name);
}

describe('Kubernetes emulator with kubectl', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8s-kubectl-'));
    const ca = await createSandboxCa(dir);
    server = await startKubeApiServer({ dir, ca, programs: [echoProgram], timing: fastTiming });
  });

  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('apply -f creates, a second apply says unchanged, --server-side applies', async () => {
    const file = join(dir, 'app.yaml');
    await writeFile(file, manifest('hello', 40));
    assert.equal(await ok(['apply', '-f', file]), [
      `namespace/${ns} created`, 'secret/gw-token created', 'configmap/gw-env created', 'deployment.apps/echo created', 'service/echo created', '',
    ].join('\n'));
    assert.equal(await ok(['apply', '-f', file]), [
      `namespace/${ns} unchanged`, 'secret/gw-token unchanged', 'configmap/gw-env unchanged', 'deployment.apps/echo unchanged', 'service/echo unchanged', '',
    ].join('\n'));
    await writeFile(file, manifest('bonjour', 40));
    // The client-side applier owns GREETING, so changing it server-side needs --force-conflicts, as on a cluster.
    const conflict = await kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: \.data\.GREETING/);
    assert.match(await ok(['apply', '--server-side', '--force-conflicts', '-f', file]), /configmap\/gw-env serverside-applied/);
    assert.equal(await ok(['get', 'configmap', 'gw-env', '-n', ns, '-o', 'jsonpath={.data.GREETING}']), 'bonjour');
  });

  it('apply --server-side keeps managedFields per manager, refuses a second applier, --force-conflicts takes over; --dry-run=server changes nothing', async () => {
    const file = join(dir, 'ssa.yaml');
    const configMap = (name: string, greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
data:
  GREETING: ${greeting}
`;
    const greeting = (name: string) => (server.get('configmaps', ns, name)?.['data'] as { GREETING?: string } | undefined)?.GREETING;
    await writeFile(file, configMap('ssa-env', 'hello'));
    assert.equal(await ok(['apply', '--server-side', '--dry-run=server', '-f', file]), 'configmap/ssa-env serverside-applied (server dry run)\n');
    assert.equal(server.get('configmaps', ns, 'ssa-env'), undefined, 'a server dry run creates nothing');
    assert.equal(await ok(['apply', '--server-side', '-f', file]), 'configmap/ssa-env serverside-applied\n');
    const managed = () => (server.get('configmaps', ns, 'ssa-env')!.metadata.managedFields ?? [])
      .map(({ manager, operation, apiVersion, fieldsType, fieldsV1 }) => ({ manager, operation, apiVersion, fieldsType, fieldsV1 }));
    assert.deepEqual(managed(), [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:GREETING': {} } } },
    ]);

    // A second applier that sets the same field to another value is refused, the first applier named (no apiVersion:
    // an Apply manager's identity has none).
    await writeFile(file, configMap('ssa-env', 'bonjour'));
    const conflict = await kubectl(['apply', '--server-side', '--field-manager=other', '-f', file]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.GREETING/);
    assert.equal(await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '--dry-run=server', '-f', file]),
      'configmap/ssa-env serverside-applied (server dry run)\n');
    assert.equal(greeting('ssa-env'), 'hello', 'a forced server dry run changes nothing');
    assert.equal(await ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file]), 'configmap/ssa-env serverside-applied\n');
    assert.equal(greeting('ssa-env'), 'bonjour');
    // The first applier lost its only field, so its entry is gone.
    assert.deepEqual(managed().map((m) => `${m.manager}/${m.operation}`), ['other/Apply']);

    // Client-side apply with a server dry run: validated and defaulted by the server, stored nowhere.
    await writeFile(file, configMap('csa-dry', 'hi'));
    assert.equal(await ok(['apply', '--dry-run=server', '-f', file]), 'configmap/csa-dry created (server dry run)\n');
    assert.equal(server.get('configmaps', ns, 'csa-dry'), undefined);
    await ok(['delete', 'configmap', 'ssa-env', '-n', ns]);
  });

  it('get pods -w prints the rows of a pod going Pending → ContainerCreating → Running', async () => {
    await echoPod();
    const watch = background(['get', 'pods', '-n', ns, '-w']);
    await waitFor('the initial row', () => /echo-\S+\s+1\/1\s+Running/.test(watch.output()));
    await ok(['scale', 'deployment/echo', '-n', ns, '--replicas=2']);
    await waitFor('two running rows', () => (watch.output().match(/^echo-\S+\s+1\/1\s+Running/gm) ?? []).length >= 2, 10_000);
    await watch.stop();
    const lines = watch.output().trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const newPod = lines.at(-1)!.split(/\s+/)[0]!;
    const states = lines.filter((l) => l.startsWith(`${newPod} `)).map((l) => l.split(/\s+/)[2]);
    assert.deepEqual([...new Set(states)], ['Pending', 'ContainerCreating', 'Running']);
    await ok(['scale', 'deployment/echo', '-n', ns, '--replicas=1']);
    await waitFor('one pod left', () => server.list('pods', ns, { labelSelector: 'app=echo' }).length === 1);
  });

  it('get pods -o json, get svc', async () => {
    const list = JSON.parse(await ok(['get', 'pods', '-n', ns, '-o', 'json'])) as { kind: string; items: { kind: string; status: { podIP: string } }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0]!.kind, 'Pod');
    assert.match(list.items[0]!.status.podIP, /^10\.244\./);
    const svc = server.get('services', ns, 'echo')!;
    const clusterIP = (svc['spec'] as { clusterIP: string }).clusterIP;
    const table = (await ok(['get', 'svc', '-n', ns])).split('\n');
    assert.match(table[0]!, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    assert.match(table[1]!, new RegExp(`^echo\\s+ClusterIP\\s+${clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+5000/TCP\\s+\\d+s$`));
  });

  it('logs: --tail, --timestamps, --since-time, deployment/NAME', async () => {
    const pod = await echoPod();
    // LOG_LIMIT makes the log finite, so every form can be compared with the record exactly.
    const record = await waitFor('the full log', () => {
      const lines = server.logRecord(ns, pod).runs.at(-1)!.lines;
      return lines.length === 41 ? lines : undefined;
    });
    const text = (lines: readonly { text: string }[]) => lines.map((l) => `${l.text}\n`).join('');
    // The surviving replica may predate or follow the server-side apply that changed GREETING.
    assert.match(record[0]!.text, /^start restart=0 token=GatewayKey abc greeting=(hello|bonjour)$/);
    assert.equal(await ok(['logs', pod, '-n', ns]), text(record));
    assert.equal(await ok(['logs', pod, '-n', ns, '--tail=3']), text(record.slice(-3)));
    assert.equal(await ok(['logs', pod, '-n', ns, '--tail=0']), '');
    assert.equal(await ok(['logs', pod, '-n', ns, '--tail=2', '--timestamps']), record.slice(-2).map((l) => `${l.time} ${l.text}\n`).join(''));
    const since = record[20]!.time;
    const fromSecond = record.filter((l) => l.time >= `${since.slice(0, 19)}.000000000Z`);
    assert.equal(await ok(['logs', pod, '-n', ns, `--since-time=${since}`]), text(fromSecond));
    assert.equal(await ok(['logs', 'deployment/echo', '-n', ns]), text(record));
  });

  it('logs -f --timestamps streams new lines as they are written', async () => {
    const finished = await echoPod();
    await ok(['set', 'env', 'deployment/echo', '-n', ns, 'LOG_LIMIT=100000', 'LOG_INTERVAL_MS=10']);
    const pod = await waitFor('the rolled-out pod', async () => {
      const p = await echoPod();
      return p !== finished && server.logRecord(ns, p).runs.at(-1)?.lines.length ? p : undefined;
    });
    const follow = background(['logs', '-f', '--timestamps', pod, '-n', ns]);
    await waitFor('40 streamed lines', () => follow.output().split('\n').length > 40);
    // Still streaming when stopped: a follow that ended by itself exits 0, kubectl stopped by SIGTERM exits 1.
    assert.equal(await follow.stop(), 1);
    const streamed = follow.output().split('\n').slice(0, 40);
    const record = server.logRecord(ns, pod).runs.at(-1)!.lines.slice(0, 40);
    assert.deepEqual(streamed, record.map((l) => `${l.time} ${l.text}`));
  });

  it('create namespace / secret generic / configmap (protobuf bodies)', async () => {
    assert.equal(await ok(['create', 'namespace', 'proto-ns']), 'namespace/proto-ns created\n');
    assert.equal(await ok(['create', 'secret', 'generic', 'creds', '-n', 'proto-ns', '--from-literal=key=s3cr3t']), 'secret/creds created\n');
    assert.equal(await ok(['create', 'configmap', 'settings', '-n', 'proto-ns', '--from-literal=a=1', '--from-literal=b=two']), 'configmap/settings created\n');
    const secret = server.get('secret', 'proto-ns', 'creds')!;
    assert.deepEqual(secret['data'], { key: Buffer.from('s3cr3t').toString('base64') });
    assert.equal(secret['type'], 'Opaque');
    assert.deepEqual(server.get('configmap', 'proto-ns', 'settings')!['data'], { a: '1', b: 'two' });
    const dup = await kubectl(['create', 'namespace', 'proto-ns']);
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr, 'Error from server (AlreadyExists): namespaces "proto-ns" already exists\n');
  });

  it('run a curl pod against the Service, read its logs, delete it', async () => {
    assert.equal(await ok(['run', 'curl', '-n', ns, '--image=curlimages/curl', '--restart=Never', '--', 'curl', '-sS', `http://echo.${ns}:5000/echo/resource?param1=sample`]), 'pod/curl created\n');
    await ok(['wait', '-n', ns, '--for=jsonpath={.status.phase}=Succeeded', 'pod/curl', '--timeout=20s']);
    const body = JSON.parse(await ok(['logs', 'curl', '-n', ns])) as { path: string; host: string };
    assert.equal(body.path, '/echo/resource?param1=sample');
    assert.equal(body.host, `echo.${ns}:5000`);
    assert.equal(await ok(['delete', 'pod', 'curl', '-n', ns]), 'pod "curl" deleted\n');
    assert.equal(server.get('pod', ns, 'curl'), undefined);
  });

  it('get --raw through the service proxy', async () => {
    const body = JSON.parse(await ok(['get', '--raw', `/api/v1/namespaces/${ns}/services/echo:5000/proxy/hello?x=1`])) as { path: string; remoteAddress: string };
    assert.equal(body.path, '/hello?x=1');
    const byName = JSON.parse(await ok(['get', '--raw', `/api/v1/namespaces/${ns}/services/echo:http/proxy/`])) as { path: string };
    assert.equal(byName.path, '/');
    const missing = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/services/nope:5000/proxy/`]);
    assert.equal(missing.stderr, 'Error from server (NotFound): services "nope" not found\n');
  });

  it('errors come back as kubectl prints them from a real server', async () => {
    const r = await kubectl(['get', 'pod', 'missing', '-n', ns]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "missing" not found\n');
    const logs = await kubectl(['logs', 'missing', '-n', ns]);
    assert.equal(logs.stderr, `error: error from server (NotFound): pods "missing" not found in namespace "${ns}"\n`);
  });
});
