// The emulator's load-balancer controller (what cloud-provider-kind / MetalLB give a kind cluster) with real sockets:
// the blog's gateway Service patched to LoadBalancer gets a loopback address in status.loadBalancer.ingress, plain
// HTTP and TLS (sandbox CA) at its ports reach the gateway simulator, kubectl shows the EXTERNAL-IP, a Service without
// ready endpoints refuses connections, and patching back to ClusterIP takes the address away. Then the extension's
// direct-URL transport runs a whole test request against that address and finds the gateway's request record.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { createKubernetesClients, type KubeContextClient, type KubernetesClients } from '../../src/kubernetes/client.ts';
import { describeService } from '../../src/kubernetes/gateways.ts';
import type { KubeService } from '../../src/kubernetes/types.ts';
import { buildTestRequest } from '../../src/requests/build.ts';
import { DirectUrlTransport, loadBalancerBaseUrls } from '../../src/requests/direct.ts';
import { findRequestRecord } from '../../src/requests/logLookup.ts';
import { testRequestResult } from '../../src/panels/testRequestResult.ts';
import { runTestRequest } from '../../src/requests/run.ts';
import { nodeIP } from './k8s/kubelet.ts';
import type { Service } from './k8s/types.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';
import { waitFor } from '../support/waitFor.ts';

const NS = BLOG.extension.namespace;
const SVC = BLOG.kubernetesService;
const SELECTOR = `app.kubernetes.io/name=azure-api-management-gateway,app.kubernetes.io/instance=${BLOG.extension.name}`;
const kubectlFound = !spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error;

let sb: RunningSandbox;
let clients: KubernetesClients;
let kube: KubeContextClient;

function ingressOf(): string | undefined {
  const svc = sb.kube.get('services', NS, SVC) as Service | undefined;
  return ((svc?.status?.['loadBalancer'] as { ingress?: { ip?: string }[] } | undefined)?.ingress ?? [])[0]?.ip;
}

function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  return waitFor(what, check, { timeoutMs: ms, everyMs: 100 });
}

type Answer = { status: number; headers: IncomingMessage['headers']; body: string } | { error: string };

function call(url: string, ca?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    };
    const req = url.startsWith('https:') ? httpsGet(url, { agent: false, ...(ca ? { ca } : {}) }, onResponse) : httpGet(url, { agent: false }, onResponse);
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
  });
}

describe('LoadBalancer Services in the sandbox', { timeout: 180_000 }, () => {
  before(async () => {
    sb = await startSandbox({ world: 'blog-deployed' });
    clients = createKubernetesClients(() => [sb.info.kubeconfig]);
    kube = await clients.forContext(BLOG.arc.name);
  });
  after(async () => {
    await sb?.close();
  });

  it('gives a patched Service an address whose ports reach the gateway over HTTP and TLS', async () => {
    assert.equal(ingressOf(), undefined, 'a ClusterIP Service has no ingress');
    // Through the API as kubectl patch sends it: type and a TLS port, merged by port.
    const patched = await kube.send({
      method: 'PATCH', path: `/api/v1/namespaces/${NS}/services/${SVC}`,
      headers: { 'Content-Type': 'application/strategic-merge-patch+json', Accept: 'application/json' },
      body: JSON.stringify({ spec: { type: 'LoadBalancer', ports: [{ name: 'https', port: 5001, targetPort: 'https', protocol: 'TCP' }] } }),
    }, new AbortController().signal);
    assert.equal(patched.status, 200, patched.body.toString('utf8'));
    const ip = await until('the ingress address', ingressOf);
    assert.match(ip, /^127\.\d+\.\d+\.\d+$/);
    assert.notEqual(ip, '127.0.0.1');
    const svc = sb.kube.get('services', NS, SVC) as Service;
    assert.deepEqual(svc.status?.['loadBalancer'], { ingress: [{ ip, ipMode: 'VIP' }] });
    assert.ok(svc.spec.ports?.every((p) => typeof p.nodePort === 'number'), 'node ports allocated on the type change');

    // The extension's own view of the Service: its candidate base URLs.
    const info = describeService(await kube.getJson<KubeService>(`/api/v1/namespaces/${NS}/services/${SVC}`), [{ name: 'http', containerPort: 8080 }, { name: 'https', containerPort: 8081 }]);
    assert.deepEqual(loadBalancerBaseUrls(info), [`http://${ip}:5000`, `https://${ip}:5001`]);

    const sentAt = Date.now();
    const plain = await call(`http://${ip}:5000/echo/resource?param1=sample`);
    assert.ok('status' in plain, JSON.stringify(plain));
    assert.equal(plain.status, 404, 'the blog: the Echo API is HTTPS-only, so the HTTP call finds no operation');
    const found = await findRequestRecord(kube, NS, SELECTOR, { method: 'GET', pathAndQuery: '/echo/resource?param1=sample', status: 404, sentAt, receivedAt: Date.now() }, { signal: new AbortController().signal, waitMs: 10_000 });
    const record = found.lookup.record?.request;
    assert.ok(record, 'the gateway logged the call');
    assert.equal(record.url, `http://${ip}:5000/echo/resource?param1=sample`, 'the Host the client used');
    assert.equal(record.callerIpAddress, nodeIP, 'externalTrafficPolicy Cluster: the gateway sees the node (SNAT)');
    assert.match(record.lastError?.reason ?? JSON.stringify(found.lookup.record?.fields), /OperationNotFound/);

    // TLS at 5001 with a certificate for the address from the sandbox CA: a client trusting that CA verifies it.
    const tls = await call(`https://${ip}:5001/echo/resource?param1=sample`, readFileSync(sb.info.caFile, 'utf8'));
    assert.ok('status' in tls, JSON.stringify(tls));
    assert.equal(tls.status, 401, 'over https the Echo API is found and wants a key');
    const untrusted = await call(`https://${ip}:5001/echo/resource?param1=sample`);
    assert.ok('error' in untrusted && /CERT|SIGNED|VERIFY/.test(untrusted.error), JSON.stringify(untrusted));
  });

  it('shows the address in kubectl get svc', { skip: kubectlFound ? false : 'kubectl is not on PATH' }, async () => {
    const ip = ingressOf();
    assert.ok(ip);
    // Not spawnSync: the API server kubectl talks to runs in this process.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', sb.info.kubeconfig, 'get', 'svc', '-n', NS, '-o', 'wide'], { env: { ...process.env, KUBECONFIG: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.match(header ?? '', /EXTERNAL-IP/);
    const row = rows.find((l) => l.startsWith(`${SVC} `));
    assert.ok(row, r.stdout);
    const columns = row.split(/\s+/);
    assert.equal(columns[1], 'LoadBalancer');
    assert.equal(columns[3], ip);
    assert.match(columns[4] ?? '', /^5000:\d+\/TCP,5001:\d+\/TCP$/);
  });

  it('runs a test request through the direct-URL transport and finds its record', async () => {
    const ip = ingressOf();
    assert.ok(ip);
    const built = buildTestRequest({ method: 'GET', apiPath: 'echo', urlTemplate: '/resource', query: [['param1', 'sample']], subscriptionKey: 'not-a-real-key-0123456789' },
      { namespace: NS, service: SVC, port: 5000, scheme: 'http' });
    assert.ok(built.ok);
    const transport = new DirectUrlTransport({ baseUrl: `http://${ip}:5000` });
    const outcome = await runTestRequest({ client: kube, namespace: NS, labelSelector: SELECTOR, facts: undefined, timeoutMs: 10_000, recordWaitMs: 10_000 }, transport, built.request, new AbortController().signal);
    const result = testRequestResult(outcome);
    assert.equal(result.transport, 'direct URL');
    assert.equal(result.url, `http://${ip}:5000/echo/resource?param1=sample`);
    assert.equal(result.description, `GET http://${ip}:5000/echo/resource?param1=sample`);
    assert.ok(result.response.kind === 'http');
    assert.equal(result.response.status, 404);
    assert.ok(result.record, `the request record (seen ${outcome.lookup.requestRecordsSeen})`);
    assert.ok(!JSON.stringify(result).includes('not-a-real-key-0123456789'), 'the key is masked everywhere');
  });

  it('refuses connections while the Service has no ready endpoints, and answers again when it has', async () => {
    const ip = ingressOf();
    assert.ok(ip);
    sb.kube.patch('services', NS, SVC, 'strategic', { spec: { selector: { 'app.kubernetes.io/instance': 'nobody' } } });
    await until('the listener to close', async () => {
      const r = await call(`http://${ip}:5000/echo/resource`);
      return 'error' in r && r.error === 'ECONNREFUSED' ? true : undefined;
    });
    assert.equal(ingressOf(), ip, 'the address stays while the Service is a LoadBalancer');
    sb.kube.patch('services', NS, SVC, 'strategic', { spec: { selector: { 'app.kubernetes.io/instance': BLOG.extension.name } } });
    await until('the listener to open again', async () => {
      const r = await call(`http://${ip}:5000/echo/resource`);
      return 'status' in r ? true : undefined;
    });
  });

  it('takes the address away when the Service goes back to ClusterIP', async () => {
    const ip = ingressOf();
    assert.ok(ip);
    sb.kube.patch('services', NS, SVC, 'strategic', { spec: { type: 'ClusterIP' } });
    await until('the ingress to go', () => (ingressOf() === undefined ? true : undefined));
    const svc = sb.kube.get('services', NS, SVC) as Service;
    assert.deepEqual(svc.status?.['loadBalancer'], {});
    assert.ok(svc.spec.ports?.every((p) => p.nodePort === undefined), 'node ports dropped with the type');
    const r = await call(`http://${ip}:5000/echo/resource`);
    assert.deepEqual(r, { error: 'ECONNREFUSED' });
  });
});
