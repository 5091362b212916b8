// The test-request layer (src/requests/) against the sandbox, without VS Code: the seed blog's call through both
// transports (service proxy and a curl pod), each answer matched to the gateway's own request record, and the
// blog's fixes applied over ARM in between: 404 (HTTPS-only API) → allow HTTP → 401 (no key) → with a key → 200.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { diagnose } from '../../src/diagnosis/index.ts';
import type { ApiFacts } from '../../src/diagnosis/types.ts';
import { createKubernetesClients, type KubeContextClient, type KubernetesClients } from '../../src/kubernetes/client.ts';
import { buildTestRequest } from '../../src/requests/build.ts';
import { CurlPodTransport } from '../../src/requests/curlPod.ts';
import { findRequestRecord } from '../../src/requests/logLookup.ts';
import { readPodLogText } from '../../src/kubernetes/resources.ts';
import { ServiceProxyTransport } from '../../src/requests/serviceProxy.ts';
import type { BuiltRequest, RequestTransport, TransportResult } from '../../src/requests/types.ts';
import { armClientOptions, staticTokenCredential } from './arm/testing.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';
import { waitFor } from '../support/waitFor.ts';

const NS = BLOG.extension.namespace;
const RG = BLOG.apim.resourceGroup;
const SVC = BLOG.apim.name;
const KEY = '0123456789abcdef0123456789abcdef';
const SELECTOR = `app.kubernetes.io/name=azure-api-management-gateway,app.kubernetes.io/instance=${BLOG.extension.name}`;

let sb: RunningSandbox;
let clients: KubernetesClients;
let kube: KubeContextClient;
let arm: ApiManagementClient;

function request(subscriptionKey?: string): BuiltRequest {
  const built = buildTestRequest(
    { method: 'GET', apiPath: 'echo', urlTemplate: '/resource', query: [['param1', 'sample']], ...(subscriptionKey ? { subscriptionKey } : {}) },
    { namespace: NS, service: BLOG.kubernetesService, port: 5000, scheme: 'http' },
  );
  assert.ok(built.ok);
  return built.request;
}

async function sendAndCorrelate(transport: RequestTransport, req: BuiltRequest, progress?: (text: string) => void): Promise<{ result: TransportResult; status: number }> {
  const result = await transport.send(req, { timeoutMs: 20_000, signal: new AbortController().signal, ...(progress ? { progress } : {}) });
  assert.equal(result.response.kind, 'http', JSON.stringify(result.response));
  const status = result.response.kind === 'http' ? result.response.status : 0;
  const found = await findRequestRecord(kube, NS, SELECTOR, { method: req.method, pathAndQuery: req.pathAndQuery, status, sentAt: result.sentAt, receivedAt: result.receivedAt }, { signal: new AbortController().signal, waitMs: 10_000 });
  assert.ok(found.lookup.record, `a request record for ${status} via ${transport.kind} (seen ${found.lookup.requestRecordsSeen})`);
  assert.equal(found.lookup.record.request?.responseCode, status);
  // The line shown with the record is the one `kubectl logs <pod>` shows it at, not its place in the window read.
  const pod = found.match?.record.pod ?? '';
  const whole = await readPodLogText(kube, NS, pod, {}, new AbortController().signal);
  // The window read may start at the log's first line (a young pod): then both numbers agree; never is the line
  // in the pod's log smaller than its place in the window.
  assert.ok(found.lookup.recordLine !== undefined && found.lookup.recordLine >= found.lookup.record.line, `line ${found.lookup.recordLine} in the pod's log (${found.lookup.record.line} in the window)`);
  assert.equal(whole?.text.split('\n')[found.lookup.recordLine - 1], found.lookup.record.raw[0]);
  if (req.subscriptionKey) assert.ok(!result.description.includes(req.subscriptionKey), 'the key is masked in the description');
  return { result, status };
}

async function statusVia(transport: RequestTransport, req: BuiltRequest): Promise<number> {
  const r = await transport.send(req, { timeoutMs: 10_000, signal: new AbortController().signal });
  return r.response.kind === 'http' ? r.response.status : 0;
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  await waitFor(what, check, { timeoutMs: ms, everyMs: 500 });
}

describe('test requests against the sandbox', { timeout: 300_000 }, () => {
  before(async () => {
    sb = await startSandbox({ world: 'blog-deployed' });
    clients = createKubernetesClients(() => [sb.info.kubeconfig]);
    kube = await clients.forContext(BLOG.arc.name);
    arm = new ApiManagementClient(staticTokenCredential(sb.info.armToken), BLOG.subscriptionId, armClientOptions(sb.arm));
  });
  after(async () => {
    await sb.close();
  });

  it('deletes the curl pod when the request is cancelled while the pod runs', async () => {
    const controller = new AbortController();
    const curl = new CurlPodTransport(kube, { pollMs: 100 });
    const listed = async (): Promise<number> => (await kube.getJson<{ items?: unknown[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: 'arc-apim-gateway/test-request=true' })).items?.length ?? 0;
    const sending = curl.send(request(), { timeoutMs: 20_000, signal: controller.signal });
    await until('the curl pod to exist', async () => (await listed()) > 0, 10_000);
    controller.abort();
    await assert.rejects(sending, (e: Error) => e.name === 'AbortError');
    await until('the curl pod to be deleted', async () => (await listed()) === 0, 10_000);
  });

  it('replays the blog: 404 scheme-not-allowed → allow http → 401 → key → 200, each with its request record', async () => {
    const proxy = new ServiceProxyTransport(kube);
    const curl = new CurlPodTransport(kube, { pollMs: 200 });
    for (const transport of [curl, proxy]) {
      const steps: string[] = [];
      const { result, status } = await sendAndCorrelate(transport, request(), (text) => steps.push(text));
      assert.equal(status, 404, transport.kind);
      if (transport === curl) {
        // The pod is shown coming up, running, finishing and going, as `kubectl get pod --watch` would.
        const pod = /^Pod (arc-apim-test-[a-z0-9-]+) created in apim$/.exec(steps[0] ?? '')?.[1];
        assert.ok(pod, steps.join(' | '));
        assert.ok(steps.some((t) => t === `Pod ${pod}: Running` || t === `Pod ${pod}: ContainerCreating`), steps.join(' | '));
        assert.match(steps.at(-1) ?? '', new RegExp(`^Deleting pod ${pod}$`));
        assert.match(result.description, /^curl -sS -i -m 20 -X GET .* '?http:\/\/rb-arc-aks-apimgw-azure-api-management-gateway\.apim:5000\/echo\/resource\?param1=sample'?$/);
        const pods = await kube.getJson<{ items?: unknown[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: 'arc-apim-gateway/test-request=true' });
        assert.equal(pods.items?.length ?? 0, 0, 'the curl pod is deleted');
      }
    }
    const apis: ApiFacts[] = [];
    for await (const api of arm.api.listByService(RG, SVC)) {
      const operations = [];
      for await (const op of arm.apiOperation.listByApi(RG, SVC, api.name ?? '')) operations.push(op);
      apis.push({ api, operations });
    }
    const assigned: string[] = [];
    for await (const a of arm.gatewayApi.listByService(RG, SVC, BLOG.gateway.name)) assigned.push(a.name ?? '');
    const req = request();
    const findings = diagnose({
      request: { method: req.method, url: req.url, sentAt: new Date().toISOString() },
      response: { kind: 'http', status: 404 },
      gateway: { gatewayId: BLOG.gateway.name, apis, assignedApiIds: assigned, ports: [{ port: 5000, scheme: 'http' }] },
    });
    assert.equal(findings[0]?.code, 'scheme-not-allowed');
    assert.ok(findings[0]?.fixes.some((f) => f.id === 'allow-http'));

    const etag = (await arm.api.getEntityTag(RG, SVC, 'echo-api')).eTag ?? '*';
    await arm.api.update(RG, SVC, 'echo-api', etag, { protocols: ['http', 'https'] });
    await until('the gateway to pick up http', async () => (await statusVia(proxy, request())) !== 404);
    for (const transport of [curl, proxy]) assert.equal((await sendAndCorrelate(transport, request())).status, 401, transport.kind);

    let key: string | undefined;
    for await (const s of arm.subscription.list(RG, SVC)) {
      if (s.state !== 'active' || !s.name) continue;
      key = (await arm.subscription.listSecrets(RG, SVC, s.name)).primaryKey;
      if (key && (await statusVia(proxy, request(key))) === 200) break;
      key = undefined;
    }
    assert.ok(key, 'a subscription whose key opens the Echo API');
    for (const transport of [curl, proxy]) {
      // While the curl pod runs, read every pod in the namespace as anyone allowed to read pods could: no key there.
      const sawKeyIn: string[] = [];
      const sawSecret: string[] = [];
      let podsSeen = 0;
      let ownedByPod = 0;
      let sending = true;
      const watching = transport === curl ? (async () => {
        while (sending) {
          const pods = await kube.getJson<{ items?: { metadata?: { name?: string } }[] }>(`/api/v1/namespaces/${NS}/pods`);
          for (const pod of pods.items ?? []) {
            if (pod.metadata?.name?.startsWith('arc-apim-test-')) podsSeen++;
            if (JSON.stringify(pod).includes(key)) sawKeyIn.push(pod.metadata?.name ?? '?');
          }
          const secrets = await kube.getJson<{ items?: { metadata?: { name?: string; ownerReferences?: { kind: string; name: string }[] } }[] }>(`/api/v1/namespaces/${NS}/secrets`, { labelSelector: 'arc-apim-gateway/test-request=true' });
          for (const secret of secrets.items ?? []) {
            sawSecret.push(secret.metadata?.name ?? '?');
            const owner = secret.metadata?.ownerReferences?.[0];
            if (owner?.kind === 'Pod' && `${owner.name}-key` === secret.metadata?.name) ownedByPod++;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })() : Promise.resolve();
      const { result, status } = await sendAndCorrelate(transport, request(key)).finally(() => { sending = false; });
      await watching;
      assert.equal(status, 200, transport.kind);
      assert.ok(!result.description.includes(key));
      if (transport === curl) {
        assert.match(result.description, /'Ocp-Apim-Subscription-Key: \*\*\*'/);
        assert.ok(podsSeen > 0, 'the curl pod was seen while it ran');
        assert.deepEqual(sawKeyIn, [], 'no pod carries the key');
        assert.ok(ownedByPod > 0, 'the Secret is owned by the curl pod');
        assert.ok(sawSecret.length > 0 && sawSecret.every((n) => /^arc-apim-test-.*-key$/.test(n)), `the key's Secret existed while the pod ran (${sawSecret.join(', ')})`);
        const pods = await kube.getJson<{ items?: unknown[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: 'arc-apim-gateway/test-request=true' });
        assert.equal(pods.items?.length ?? 0, 0, 'the curl pod is deleted');
        const secrets = await kube.getJson<{ items?: unknown[] }>(`/api/v1/namespaces/${NS}/secrets`, { labelSelector: 'arc-apim-gateway/test-request=true' });
        assert.equal(secrets.items?.length ?? 0, 0, 'the key Secret is deleted');
      }
    }
  });

  it('with a key, deletes the pod and the key Secret when the request is cancelled, and when the pod cannot start', async () => {
    const listed = async (kind: 'pods' | 'secrets'): Promise<number> => (await kube.getJson<{ items?: unknown[] }>(`/api/v1/namespaces/${NS}/${kind}`, { labelSelector: 'arc-apim-gateway/test-request=true' })).items?.length ?? 0;
    const controller = new AbortController();
    const sending = new CurlPodTransport(kube, { pollMs: 100 }).send(request(KEY), { timeoutMs: 20_000, signal: controller.signal });
    await until('the curl pod to exist', async () => (await listed('pods')) > 0, 10_000);
    assert.equal(await listed('secrets'), 1);
    controller.abort();
    await assert.rejects(sending, (e: Error) => e.name === 'AbortError');
    await until('the curl pod and its Secret to be deleted', async () => (await listed('pods')) === 0 && (await listed('secrets')) === 0, 10_000);

    const stuck = await new CurlPodTransport(kube, { pollMs: 100, image: 'example.invalid/no-such-curl:1' }).send(request(KEY), { timeoutMs: 5_000, signal: new AbortController().signal });
    assert.equal(stuck.response.kind, 'transport');
    assert.equal(await listed('pods'), 0);
    assert.equal(await listed('secrets'), 0);
  });
});
