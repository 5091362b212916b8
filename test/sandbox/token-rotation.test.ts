// Token rotation (src/rotation/rotate.ts) against the sandbox, with the real SDK clients and the real Kubernetes
// client code: the blog's Arc extension at 2 replicas keeps answering a steady request stream while its token is
// rotated through ARM and its pods roll; a plain-Kubernetes gateway Deployment gets its token through the Secret it
// references. Both are verified the way the command verifies them: the pods' token read back, their log's sync.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { apimGatewayId, apimServiceId, arcClusterId, arcExtensionId } from '../../src/azure/armIds.ts';
import { ArmAzureData } from '../../src/azure/armService.ts';
import { createAzureClientFactory } from '../../src/azure/clientFactory.ts';
import { resolveCloud } from '../../src/azure/clouds.ts';
import { createKubernetesClients, type KubeContextClient } from '../../src/kubernetes/client.ts';
import { rotateToken } from '../../src/rotation/rotate.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { waitFor } from './k8s/testing.ts';
import type { KubeObject } from './k8s/types.ts';
import { configurationEndpoint } from './world/ids.ts';
import { generateGatewayToken } from './world/tokens.ts';
import { BLOG } from './worlds/index.ts';

const DAY = 86_400_000;
const minute = (ms: number): Date => new Date(Math.floor(ms / 60_000) * 60_000);

describe('token rotation against the sandbox', () => {
  let sandbox: RunningSandbox;
  let data: ArmAzureData;
  let client: KubeContextClient;
  let gatewayId: string;

  before(async () => {
    sandbox = await startSandbox({ world: 'blog-deployed' });
    const cloud = resolveCloud('custom', sandbox.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
    assert.ok(cloud.ok);
    const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: sandbox.info.armToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential, retryOptions: { retryDelayInMs: 100, maxRetryDelayInMs: 500 } }));
    client = await createKubernetesClients(() => [sandbox.info.kubeconfig]).forContext('rb-arc-aks');
    gatewayId = apimGatewayId({ id: apimServiceId(sandbox.info.subscriptionId, BLOG.apim.resourceGroup, BLOG.apim.name) }, BLOG.gateway.name);
    const echo = sandbox.world.api(BLOG.apim.name, 'echo-api');
    sandbox.world.putApi(BLOG.apim.name, { ...echo, operations: [...echo.operations.values()], protocols: ['http', 'https'], subscriptionRequired: false });
  });

  after(async () => sandbox?.close());

  it('rotates the Arc extension\'s token with 2 replicas under a request stream: 0 failed, every pod replaced, new expiry running', async () => {
    const extensionId = arcExtensionId({ id: arcClusterId(sandbox.info.subscriptionId, BLOG.arc.resourceGroup, BLOG.arc.name) }, BLOG.extension.name);
    await data.updateClusterExtension(extensionId, { configurationSettings: { replicaCount: '2', 'service.Type': 'LoadBalancer' } }, undefined);
    const kube = sandbox.kube;
    const ns = BLOG.extension.namespace;
    const ip = await waitFor('the LoadBalancer address', () => {
      const svc = kube.get('services', ns, BLOG.kubernetesService) as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } } | undefined;
      return svc?.status?.loadBalancer?.ingress?.[0]?.ip;
    }, 30_000, 100);
    await waitFor('2 ready replicas', () => (kube.get('deployments', ns, BLOG.extension.name) as { status?: { readyReplicas?: number } }).status?.readyReplicas === 2, 60_000, 100);
    const pods = () => (kube.list('pods', ns, { labelSelector: `app.kubernetes.io/instance=${BLOG.extension.name}` }) as { metadata: { name?: string; deletionTimestamp?: string } }[])
      .filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '');
    const before = pods();

    const url = `http://${ip}:5000/echo/resource?param1=sample`;
    const failures: string[] = [];
    let sent = 0;
    let stop = false;
    const stream = (async () => {
      const inFlight: Promise<void>[] = [];
      while (!stop) {
        sent++;
        inFlight.push(fetch(url, { signal: AbortSignal.timeout(10_000) }).then(async (r) => {
          const body = await r.text();
          if (r.status !== 200 || body.length === 0) failures.push(`${r.status} (${body.length} bytes)`);
        }, (e: unknown) => void failures.push(String(e))));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await Promise.all(inFlight);
    })();

    const expiry = minute(Date.now() + 30 * DAY);
    const outcome = await rotateToken(
      { gatewayId, gatewayName: BLOG.gateway.name, store: { kind: 'arc', extensionId, tokenSetting: 'gateway.authKey' }, kube: { client, namespace: ns, deployment: BLOG.extension.name } },
      { keyType: 'secondary', expiry },
      { data, now: () => new Date(), report: () => undefined, record: () => undefined, signal: new AbortController().signal },
    );
    stop = true;
    await stream;
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.runningExpiry?.toISOString(), expiry.toISOString());
    assert.equal(outcome.sync?.state, 'synced');
    assert.ok(sent > 20, `a stream of requests ran (${sent})`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests failed`);
    const afterPods = pods();
    assert.equal(afterPods.length, 2);
    assert.ok(afterPods.every((p) => !before.includes(p)), `${before.join(',')} → ${afterPods.join(',')}`);
  });

  it('rotates a plain Deployment through the Secret it references, keeping its form', async () => {
    const kube = sandbox.kube;
    const ns = 'plain-gw';
    const gateway = sandbox.world.gateway(BLOG.apim.name, BLOG.gateway.name);
    const old = generateGatewayToken(gateway, 'primary', new Date(Date.now() + 2 * DAY));
    const endpoint = configurationEndpoint(sandbox.world.service(BLOG.apim.name));
    const objects: Array<Record<string, unknown>> = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gw-token', namespace: ns }, type: 'Opaque', data: { 'config.service.auth.key': Buffer.from(`GatewayKey ${old}`).toString('base64') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gw-env', namespace: ns }, data: { 'config.service.endpoint': endpoint, 'config.service.auth': 'key' } },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw', namespace: ns },
        spec: {
          replicas: 1, selector: { matchLabels: { app: 'gw' } },
          template: { metadata: { labels: { app: 'gw' } }, spec: { containers: [{ name: 'gw', image: 'mcr.microsoft.com/azure-api-management/gateway:v2', ports: [{ name: 'http', containerPort: 8080 }], envFrom: [{ configMapRef: { name: 'gw-env' } }, { secretRef: { name: 'gw-token' } }] }] } },
        },
      },
    ];
    for (const o of objects) kube.create(o as unknown as KubeObject);
    await waitFor('the plain gateway to be ready', () => (kube.get('deployments', ns, 'gw') as { status?: { readyReplicas?: number } } | undefined)?.status?.readyReplicas === 1, 60_000, 100);
    const expiry = minute(Date.now() + 7 * DAY);
    const commands: string[] = [];
    const outcome = await rotateToken(
      { gatewayId, gatewayName: BLOG.gateway.name, store: { kind: 'kubernetes' }, kube: { client, namespace: ns, deployment: 'gw' } },
      { keyType: 'primary', expiry },
      { data, now: () => new Date(), report: () => undefined, record: (c) => void commands.push(c), signal: new AbortController().signal },
    );
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.runningExpiry?.toISOString(), expiry.toISOString());
    const secret = kube.get('secrets', ns, 'gw-token') as unknown as { data: Record<string, string> };
    assert.match(Buffer.from(secret.data['config.service.auth.key'] ?? '', 'base64').toString('utf8'), /^GatewayKey rb-arc-gateway&\d{12}&/);
    assert.ok(commands.some((c) => c.startsWith('kubectl patch secret gw-token -n plain-gw')), commands.join('\n'));
    assert.ok(!commands.join('\n').includes(old.split('&')[2] ?? 'x'), 'no token in the commands');
  });
});
