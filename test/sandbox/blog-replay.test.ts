// The seed blog's calls, replayed in the emulated cluster exactly as the author made them: a curl pod calls the
// gateway's Service by its in-cluster name, and the gateway's own log is the evidence.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGatewayLog } from '../../src/gatewayLogs/parser.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { waitFor } from './k8s/testing.ts';
import type { KubeObject } from './k8s/types.ts';
import { BLOG } from './worlds/index.ts';

const NS = 'apim';
const URL_HTTP = `http://${BLOG.kubernetesService}.${NS}:5000/echo/resource?param1=sample`;

describe('the seed blog, replayed with curl pods in the sandbox cluster', () => {
  let sandbox: RunningSandbox;
  let gatewayPod: string;
  let runs = 0;

  before(async () => {
    sandbox = await startSandbox({ world: 'blog-deployed' });
    const pods = sandbox.kube.list('pods', NS, { labelSelector: '' }) as Array<KubeObject & { status?: { phase?: string } }>;
    const running = pods.find((p) => (p.metadata.name ?? '').startsWith(`${BLOG.extension.name}-`) && p.status?.phase === 'Running');
    assert.ok(running, 'the gateway pod is Running');
    assert.ok(running.metadata.name);
    gatewayPod = running.metadata.name;
  });
  after(async () => sandbox?.close());

  /** `kubectl run curl --image=curlimages/curl --restart=Never -- curl …`, then its log; returns curl's output. */
  async function curl(...args: string[]): Promise<{ output: string; status: number }> {
    const name = `curl-${++runs}`;
    await sandbox.kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS, labels: { run: name } },
      spec: { restartPolicy: 'Never', containers: [{ name, image: 'curlimages/curl', args: ['curl', '-sS', '-i', ...args] }] },
    } as unknown as KubeObject);
    await waitFor(`${name} to finish`, () => {
      const pod = sandbox.kube.get('pods', NS, name) as (KubeObject & { status?: { phase?: string } }) | undefined;
      return pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed';
    }, 20_000);
    const output = sandbox.kube.podLogs(NS, name).join('\n');
    await sandbox.kube.delete('pods', NS, name);
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/m.exec(output)?.[1]);
    return { output, status };
  }

  /** The gateway's request records, parsed by the extension's own parser, for one URL. */
  async function recordsFor(url: string, count: number): Promise<ReturnType<typeof parseGatewayLog>> {
    return waitFor(`${count} request record(s) for ${url}`, () => {
      const records = parseGatewayLog(sandbox.kube.podLogs(NS, gatewayPod).join('\n')).filter(
        (e) => e.kind === 'request' && e.request?.url === url,
      );
      return records.length >= count ? records : undefined;
    }, 10_000);
  }

  it('HTTP to the HTTPS-only Echo API gets 404, and the gateway logs OperationNotFound for it', async () => {
    const { status, output } = await curl(URL_HTTP);
    assert.equal(status, 404, output);
    const [record] = await recordsFor(URL_HTTP, 1);
    assert.equal(record?.request?.responseCode, 404);
    assert.equal(record?.request?.lastError?.reason, 'OperationNotFound');
    assert.equal(record?.request?.lastError?.source, 'configuration');
  });

  it('over HTTPS to the gateway pod itself (8081) the route matches: 401 without a subscription key', async () => {
    const pod = sandbox.kube.get('pods', NS, gatewayPod) as KubeObject & { status: { podIP: string } };
    const url = `https://${pod.status.podIP}:8081/echo/resource?param1=sample`;
    const { status, output } = await curl('-k', url);
    assert.equal(status, 401, output);
    const [record] = await recordsFor(url, 1);
    assert.equal(record?.request?.responseCode, 401);
  });

  it('once the Echo API also allows HTTP: 401 without a key, 200 with a valid key, each with its record', async () => {
    sandbox.world.updateApi(BLOG.apim.name, 'echo-api', { protocols: ['http', 'https'] });
    // The gateway re-syncs its configuration after the change (the real one polls every 10 s).
    const denied = await waitFor('the route table rebuilt for HTTP', async () => {
      const attempt = await curl(URL_HTTP);
      return attempt.status === 401 ? attempt : undefined;
    }, 15_000);
    assert.match(denied.output, /missing subscription key/);

    const key = sandbox.world.service(BLOG.apim.name).subscriptions.get('master')?.primaryKey;
    assert.ok(key);
    const allowed = await curl('-H', `Ocp-Apim-Subscription-Key: ${key}`, URL_HTTP);
    assert.equal(allowed.status, 200, allowed.output);

    const records = await recordsFor(URL_HTTP, 3);
    assert.deepEqual(records.map((r) => r.request?.responseCode).slice(-2), [401, 200]);
    assert.equal(records.at(-1)?.request?.apiId, 'echo-api');
  });
});
