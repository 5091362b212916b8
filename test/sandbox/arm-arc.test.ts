// The real ConnectedKubernetesClient and SourceControlConfigurationClient, unchanged, against the ARM emulator wired to
// the Kubernetes emulator: connected clusters across pages, and the Microsoft.ApiManagement.Gateway extension's
// long-running install, update and uninstall — objects appear in the cluster, pods reach Running, the gateway accepts
// the token ARM generated — and its failures, surfaced the way the SDK surfaces them.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import { SourceControlConfigurationClient, type Extension } from '@azure/arm-kubernetesconfiguration';
import { armClientOptions, startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import type { KubeApiServer } from './k8s/server.ts';
import { waitFor } from './k8s/testing.ts';
import { configurationEndpoint } from './world/ids.ts';
import { generateGatewayToken } from './world/tokens.ts';
import { BLOG } from './worlds/index.ts';

const ARC_RG = BLOG.arc.resourceGroup;
const CLUSTER = BLOG.arc.name;
const K8S = ['Microsoft.Kubernetes', 'connectedClusters', CLUSTER] as const;
const DAY = 24 * 60 * 60 * 1000;

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message: string;
}

async function rejection(promise: Promise<unknown>): Promise<RestErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as RestErrorLike;
  }
  assert.fail('expected the call to fail');
}

interface PodView {
  metadata: { name?: string };
  status?: { phase?: string; containerStatuses?: Array<{ state?: { waiting?: { reason?: string }; running?: unknown } }> };
}

function pods(kube: KubeApiServer, namespace: string, release: string): PodView[] {
  return kube.list('pods', namespace, { labelSelector: `app.kubernetes.io/instance=${release}` }) as PodView[];
}

function podState(p: PodView): string {
  const c = p.status?.containerStatuses?.[0];
  return c?.state?.running ? 'Running' : c?.state?.waiting?.reason ?? p.status?.phase ?? 'Pending';
}

function gatewayExtension(settings: Record<string, string>, protectedSettings: Record<string, string>, namespace = 'gateway'): Extension {
  return {
    extensionType: 'Microsoft.ApiManagement.Gateway',
    releaseTrain: 'preview',
    autoUpgradeMinorVersion: true,
    scope: { namespace: { targetNamespace: namespace } },
    configurationSettings: settings,
    configurationProtectedSettings: protectedSettings,
  };
}

describe('ARM emulator: connected clusters', () => {
  let tb: ArmTestbed;
  before(async () => {
    tb = await startArmTestbed('blog-start', { kube: false });
    for (let i = 1; i <= 4; i++) {
      tb.world.addArcCluster({
        subscriptionId: BLOG.subscriptionId, resourceGroup: i % 2 ? ARC_RG : 'edge-rg', name: `edge-${i}`, location: 'northeurope',
        connectivityStatus: i === 4 ? 'Offline' : 'Connected', kubernetesVersion: '1.30.4', distribution: 'k3s', infrastructure: 'generic',
        agentVersion: '1.21.10', totalNodeCount: i, totalCoreCount: 4 * i, lastConnectivityTime: '2026-01-01T00:00:00.000Z', provisioningState: 'Succeeded',
      });
    }
  });
  after(() => tb.close());

  it('lists every cluster of the subscription across pages, and those of one resource group', async () => {
    const client = new ConnectedKubernetesClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const pages: string[][] = [];
    for await (const page of client.connectedClusterOperations.listBySubscription().byPage()) pages.push(page.map((c) => c.name ?? ''));
    assert.equal(pages.length, 3);
    assert.deepEqual(pages.flat().sort(), [CLUSTER, 'edge-1', 'edge-2', 'edge-3', 'edge-4'].sort());
    const inGroup = [];
    for await (const c of client.connectedClusterOperations.listByResourceGroup(ARC_RG)) inGroup.push(c.name);
    assert.deepEqual(inGroup.sort(), [CLUSTER, 'edge-1', 'edge-3'].sort());
    const lowerCasePaths = tb.arm.requests().filter((r) => r.path.includes('/resourcegroups/'));
    assert.ok(lowerCasePaths.length > 0, 'the hybrid SDK writes resourcegroups in lower case, and is served');
  });

  it('gets a cluster with the fields the product shows', async () => {
    const client = new ConnectedKubernetesClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const cluster = await client.connectedClusterOperations.get(ARC_RG, CLUSTER);
    assert.equal(cluster.connectivityStatus, 'Connected');
    assert.equal(cluster.kubernetesVersion, '1.19.11');
    assert.equal(cluster.distribution, 'aks');
    assert.equal(cluster.infrastructure, 'azure');
    assert.equal(cluster.agentVersion, '1.3.8');
    assert.equal(cluster.totalNodeCount, 3);
    assert.equal(cluster.provisioningState, 'Succeeded');
    assert.ok(cluster.lastConnectivityTime instanceof Date);
    assert.ok(cluster.agentPublicKeyCertificate.length > 50);
    const offline = await client.connectedClusterOperations.get('edge-rg', 'edge-4');
    assert.equal(offline.connectivityStatus, 'Offline');
    tb.world.updateArcCluster(tb.world.arcCluster(BLOG.subscriptionId, 'edge-rg', 'edge-4')!, { connectivityStatus: 'Connected' });
    assert.equal((await client.connectedClusterOperations.get('edge-rg', 'edge-4')).connectivityStatus, 'Connected');
    const missing = await rejection(client.connectedClusterOperations.get(ARC_RG, 'nope'));
    assert.deepEqual([missing.statusCode, missing.code], [404, 'ResourceNotFound']);
    const noGroup = await rejection(client.connectedClusterOperations.get('nope-rg', CLUSTER));
    assert.deepEqual([noGroup.statusCode, noGroup.code], [404, 'ResourceGroupNotFound']);
  });

  it('fails an install on a cluster whose agents cannot be reached, and force-deletes it', async () => {
    const arc = new SourceControlConfigurationClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const error = await rejection(arc.extensions.beginCreateAndWait(ARC_RG, 'Microsoft.Kubernetes', 'connectedClusters', 'edge-1', 'gw', gatewayExtension({ 'gateway.configuration.uri': 'https://x.configuration.azure-api.net' }, { 'gateway.auth.token': 'GatewayKey t' })));
    assert.match(error.message, /^The long-running operation has failed\. ExtensionOperationFailed\. .*unreachable/);
    const failed = await arc.extensions.get(ARC_RG, 'Microsoft.Kubernetes', 'connectedClusters', 'edge-1', 'gw');
    assert.equal(failed.provisioningState, 'Failed');
    const plain = await rejection(arc.extensions.beginDeleteAndWait(ARC_RG, 'Microsoft.Kubernetes', 'connectedClusters', 'edge-1', 'gw'));
    assert.match(plain.message, /unreachable/);
    await arc.extensions.beginDeleteAndWait(ARC_RG, 'Microsoft.Kubernetes', 'connectedClusters', 'edge-1', 'gw', { forceDelete: true });
    assert.equal(tb.world.arcCluster(BLOG.subscriptionId, ARC_RG, 'edge-1')?.extensions.size, 0);
  });
});

describe('ARM emulator: the blog-deployed extension', () => {
  let tb: ArmTestbed;
  let client: SourceControlConfigurationClient;
  before(async () => {
    tb = await startArmTestbed('blog-deployed');
    client = new SourceControlConfigurationClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
  });
  after(() => tb.close());

  it('reads as installed, consistent with the cluster, with its protected settings withheld', async () => {
    const extension = await client.extensions.get(ARC_RG, ...K8S, BLOG.extension.name);
    assert.equal(extension.provisioningState, 'Succeeded');
    assert.equal(extension.extensionType, 'microsoft.apimanagement.gateway');
    assert.deepEqual(extension.scope, { namespace: { targetNamespace: 'apim' } });
    assert.equal(extension.configurationSettings?.['gateway.endpoint'], `https://${BLOG.apim.name}.configuration.azure-api.net`);
    assert.deepEqual(extension.configurationProtectedSettings, {});
    assert.equal(extension.currentVersion, '0.3.0', 'the chart version running in the cluster');
    const stored = tb.world.arcCluster(BLOG.subscriptionId, ARC_RG, CLUSTER)?.extensions.get(BLOG.extension.name);
    assert.match(stored?.configurationProtectedSettings['gateway.authKey'] ?? '', /^GatewayKey /, 'the world keeps them for the cluster');
    const secret = tb.kube?.get('secrets', 'apim', BLOG.kubernetesService);
    assert.ok(secret, 'the chart Secret the extension made');
  });

  it('lists extensions across pages', async () => {
    const cluster = tb.world.arcCluster(BLOG.subscriptionId, ARC_RG, CLUSTER)!;
    for (const name of ['listed-a', 'listed-b']) {
      tb.world.putArcExtension(cluster, {
        name, extensionType: 'Microsoft.ApiManagement.Gateway', autoUpgradeMinorVersion: true, releaseTrain: 'stable', version: null,
        scope: { namespace: { targetNamespace: name } }, configurationSettings: {}, configurationProtectedSettings: { 'gateway.auth.token': 'x' },
        provisioningState: 'Failed', statuses: [], errorInfo: { code: 'ExtensionOperationFailed', message: 'listed only' },
      });
    }
    const pages: string[][] = [];
    for await (const page of client.extensions.list(ARC_RG, ...K8S).byPage()) pages.push(page.map((e) => e.name ?? ''));
    assert.deepEqual(pages.map((p) => p.length), [2, 1]);
    assert.deepEqual(pages.flat().sort(), [BLOG.extension.name, 'listed-a', 'listed-b'].sort());
    for (const name of ['listed-a', 'listed-b']) tb.world.deleteArcExtension(cluster, name);
  });

  it('rotates the token with a PATCH of the protected settings: the Secret changes, the pods keep running', async () => {
    const kube = tb.kube!;
    const secretName = BLOG.kubernetesService;
    const podsBefore = pods(kube, 'apim', BLOG.extension.name).map((p) => p.metadata.name).sort();
    const gateway = tb.world.gateway(BLOG.apim.name, BLOG.gateway.name);
    const rotated = `GatewayKey ${generateGatewayToken(gateway, 'secondary', new Date(tb.world.now().getTime() + 20 * DAY))}`;
    const updated = await client.extensions.beginUpdateAndWait(ARC_RG, ...K8S, BLOG.extension.name, { configurationProtectedSettings: { 'gateway.authKey': rotated } });
    assert.equal(updated.provisioningState, 'Succeeded');
    assert.deepEqual(updated.configurationProtectedSettings, {});
    const secret = kube.get('secrets', 'apim', secretName) as { data: Record<string, string> } | undefined;
    assert.equal(Buffer.from(secret?.data['gateway-key'] ?? '', 'base64').toString('utf8'), rotated);
    // As with the real chart, a changed Secret does not restart the gateway: that takes a rollout restart.
    assert.deepEqual(pods(kube, 'apim', BLOG.extension.name).map((p) => p.metadata.name).sort(), podsBefore);
  });

  it('uninstalls with a DELETE LRO: the release\'s objects and pods leave the cluster', async () => {
    const kube = tb.kube!;
    assert.ok(pods(kube, 'apim', BLOG.extension.name).length > 0);
    const since = tb.arm.lastSeq();
    await client.extensions.beginDeleteAndWait(ARC_RG, ...K8S, BLOG.extension.name);
    const calls = tb.arm.requests({ since });
    assert.equal(calls[0]?.status, 202);
    assert.ok(calls.slice(1).every((c) => c.path.includes('/operations/')), 'then only status polls');
    assert.deepEqual(pods(kube, 'apim', BLOG.extension.name), []);
    for (const resource of ['deployments', 'services', 'configmaps', 'secrets']) {
      assert.deepEqual(kube.list(resource, 'apim', { labelSelector: `app.kubernetes.io/instance=${BLOG.extension.name}` }), [], resource);
    }
    const gone = await rejection(client.extensions.get(ARC_RG, ...K8S, BLOG.extension.name));
    assert.equal(gone.statusCode, 404);
  });
});

describe('ARM emulator: installing the gateway extension from blog-start', () => {
  let tb: ArmTestbed;
  let apim: ApiManagementClient;
  let arc: SourceControlConfigurationClient;
  let token: string;
  const endpoint = configurationEndpoint({ name: BLOG.apim.name });

  before(async () => {
    tb = await startArmTestbed('blog-start');
    apim = new ApiManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    arc = new SourceControlConfigurationClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    await apim.gateway.createOrUpdate(BLOG.apim.resourceGroup, BLOG.apim.name, BLOG.gateway.name, { locationData: { name: BLOG.gateway.region } });
    await apim.gatewayApi.createOrUpdate(BLOG.apim.resourceGroup, BLOG.apim.name, BLOG.gateway.name, 'echo-api');
    const generated = await apim.gateway.generateToken(BLOG.apim.resourceGroup, BLOG.apim.name, BLOG.gateway.name, { keyType: 'primary', expiry: new Date(tb.world.now().getTime() + 29 * DAY) });
    token = generated.value ?? '';
  });
  after(() => tb.close());

  it('installs through a PUT LRO: Creating, objects in the namespace, pods Running, then Succeeded', async () => {
    const kube = tb.kube!;
    const release = 'rb-arc-aks-apimgw';
    const poller = await arc.extensions.beginCreate(ARC_RG, ...K8S, release, gatewayExtension(
      { 'gateway.configuration.uri': endpoint, 'service.type': 'LoadBalancer', replicaCount: '1' },
      { 'gateway.auth.token': `GatewayKey ${token}` },
    ));
    const creating = await arc.extensions.get(ARC_RG, ...K8S, release);
    assert.equal(creating.provisioningState, 'Creating');
    const seen = new Set<string>();
    const watching = setInterval(() => {
      for (const p of pods(kube, 'gateway', release)) seen.add(podState(p));
    }, 5);
    let installed: Extension;
    try {
      installed = await poller.pollUntilDone();
    } finally {
      clearInterval(watching);
    }
    assert.equal(installed.provisioningState, 'Succeeded');
    assert.deepEqual(installed.configurationProtectedSettings, {});
    assert.equal(installed.currentVersion, '1.15.1');
    assert.ok(seen.has('ContainerCreating') || seen.has('Pending'), `pods were seen starting: ${[...seen].join(', ')}`);
    assert.ok(kube.get('namespaces', undefined, 'gateway'), 'the target namespace was created');
    const running = pods(kube, 'gateway', release);
    assert.equal(running.length, 1);
    assert.equal(podState(running[0]!), 'Running');
    const service = kube.get('services', 'gateway', `${release}-azure-api-management-gateway`) as { spec: { type: string; ports: Array<{ port: number }> } } | undefined;
    assert.equal(service?.spec.type, 'LoadBalancer');
    assert.deepEqual(service?.spec.ports.map((p) => p.port), [8080, 8081]);
    const log = kube.podLogs('gateway', running[0]!.metadata.name ?? '').join('\n');
    assert.match(log, /TenantStarted/, 'the gateway accepted the token ARM generated');
    assert.doesNotMatch(log, /LoadingConfigurationFailed/);
    assert.ok(!JSON.stringify(await arc.extensions.get(ARC_RG, ...K8S, release)).includes(token), 'GET never returns the token');
  });

  it('refuses a second write while the install runs, and tolerates extra query parameters on the status URL', async () => {
    const release = 'busy';
    const poller = await arc.extensions.beginCreate(ARC_RG, ...K8S, release, gatewayExtension({ 'gateway.configuration.uri': endpoint, replicaCount: '1' }, { 'gateway.auth.token': `GatewayKey ${token}` }, 'busy'));
    const conflict = await rejection(arc.extensions.beginUpdateAndWait(ARC_RG, ...K8S, release, { configurationSettings: { 'service.type': 'NodePort' } }));
    assert.equal(conflict.statusCode, 409);
    const statusPath = await waitFor('a status poll', () => tb.arm.requests().map((r) => r.path).find((p) => p.includes(`/extensions/${release}/operations/`)));
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      https.get(new URL(`${statusPath}?api-version=2023-05-01&api-version=2023-05-01&forceDelete=false&extra=1`, tb.arm.url), { ca: tb.arm.caPem, headers: { Authorization: `Bearer ${tb.arm.token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    assert.equal(reply.status, 200);
    assert.match((JSON.parse(reply.body) as { status: string }).status, /^(InProgress|Succeeded)$/);
    assert.equal((await poller.pollUntilDone()).provisioningState, 'Succeeded');
    await arc.extensions.beginDeleteAndWait(ARC_RG, ...K8S, release);
  });

  it('lets a DELETE supersede a running install, which ends Canceled', async () => {
    const release = 'superseded';
    const install = await arc.extensions.beginCreate(ARC_RG, ...K8S, release, gatewayExtension({ 'gateway.configuration.uri': endpoint, replicaCount: '1' }, { 'gateway.auth.token': `GatewayKey ${token}` }, 'superseded'));
    const outcome = install.pollUntilDone().then(() => 'succeeded', (error: Error) => error.message);
    await arc.extensions.beginDeleteAndWait(ARC_RG, ...K8S, release);
    assert.match(await outcome, /cancel/i);
    assert.deepEqual(pods(tb.kube!, 'superseded', release), []);
    assert.equal((await rejection(arc.extensions.get(ARC_RG, ...K8S, release))).statusCode, 404);
  });

  it('updates settings through a PATCH LRO: the Service follows service.type', async () => {
    const kube = tb.kube!;
    const release = 'rb-arc-aks-apimgw';
    const updated = await arc.extensions.beginUpdateAndWait(ARC_RG, ...K8S, release, { configurationSettings: { 'service.type': 'NodePort' } });
    assert.equal(updated.provisioningState, 'Succeeded');
    assert.equal(updated.configurationSettings?.['service.type'], 'NodePort');
    assert.equal(updated.configurationSettings?.['gateway.configuration.uri'], endpoint, 'PATCH merges settings');
    const service = kube.get('services', 'gateway', `${release}-azure-api-management-gateway`) as { spec: { type: string } } | undefined;
    assert.equal(service?.spec.type, 'NodePort');
    const stored = tb.world.arcCluster(BLOG.subscriptionId, ARC_RG, CLUSTER)?.extensions.get(release);
    assert.equal(stored?.configurationProtectedSettings['gateway.auth.token'], `GatewayKey ${token}`, 'protected settings survive a PATCH that does not name them');
  });

  it('fails the install when the gateway can never get ready, with statuses and errorInfo', async () => {
    const release = 'bare-token';
    // The token without its `GatewayKey ` prefix: the container refuses to start, the pod crash-loops.
    const error = await rejection(arc.extensions.beginCreateAndWait(ARC_RG, ...K8S, release, gatewayExtension({ 'gateway.configuration.uri': endpoint, replicaCount: '1' }, { 'gateway.auth.token': token }, 'bare')));
    assert.match(error.message, /^The long-running operation has failed\. ExtensionOperationFailed\. /);
    assert.match(error.message, /CrashLoopBackOff/);
    assert.ok(!error.message.includes(token.split('&')[2] ?? '???'), 'the failure does not carry the token');
    const failed = await arc.extensions.get(ARC_RG, ...K8S, release);
    assert.equal(failed.provisioningState, 'Failed');
    assert.equal(failed.errorInfo?.code, 'ExtensionOperationFailed');
    assert.equal(failed.statuses?.[0]?.level, 'Error');
    assert.match(failed.statuses?.[0]?.message ?? '', /container azure-api-management-gateway is waiting: CrashLoopBackOff/);
    await arc.extensions.beginDeleteAndWait(ARC_RG, ...K8S, release);
    assert.deepEqual(pods(tb.kube!, 'bare', release), []);
  });

  it('fails the install before touching the cluster when a required setting is missing', async () => {
    const release = 'no-token';
    const error = await rejection(arc.extensions.beginCreateAndWait(ARC_RG, ...K8S, release, gatewayExtension({ 'gateway.configuration.uri': endpoint }, {}, 'no-token')));
    assert.match(error.message, /The long-running operation has failed\. ExtensionOperationFailed\. .*gateway\.auth\.token is required/);
    assert.equal(tb.kube!.get('deployments', 'no-token', release), undefined);
    const failed = await arc.extensions.get(ARC_RG, ...K8S, release);
    assert.equal(failed.provisioningState, 'Failed');
    assert.match(failed.errorInfo?.message ?? '', /gateway\.auth\.token is required/);
  });

  it('installs with an expired token as the real chart does: Running and ready, failing silently in its log', async () => {
    const release = 'expired';
    const expired = generateGatewayToken(tb.world.gateway(BLOG.apim.name, BLOG.gateway.name), 'primary', new Date(tb.world.now().getTime() - 60_000));
    const installed = await arc.extensions.beginCreateAndWait(ARC_RG, ...K8S, release, gatewayExtension({ 'gateway.configuration.uri': endpoint, replicaCount: '1' }, { 'gateway.auth.token': `GatewayKey ${expired}` }, 'expired'));
    assert.equal(installed.provisioningState, 'Succeeded');
    const pod = pods(tb.kube!, 'expired', release)[0];
    assert.ok(pod);
    await waitFor('the auth failure in the gateway log', () => tb.kube!.podLogs('expired', pod.metadata.name ?? '').some((l) => l.includes('LoadingConfigurationFailed')));
    await arc.extensions.beginDeleteAndWait(ARC_RG, ...K8S, release);
  });

  it('surfaces a scripted failure with its statuses and errorInfo', async () => {
    tb.arm.faults.failExtensionOperation({
      operation: 'install',
      errorInfo: { code: 'HelmReleaseFailed', message: 'the agent could not pull the chart' },
      statuses: [{ code: 'ChartPullFailed', level: 'Error', displayStatus: 'Failed', message: 'mcr.microsoft.com unreachable' }],
    });
    const error = await rejection(arc.extensions.beginCreateAndWait(ARC_RG, ...K8S, 'scripted', gatewayExtension({ 'gateway.configuration.uri': endpoint }, { 'gateway.auth.token': `GatewayKey ${token}` }, 'scripted')));
    assert.equal(error.message, 'The long-running operation has failed. HelmReleaseFailed. the agent could not pull the chart');
    const failed = await arc.extensions.get(ARC_RG, ...K8S, 'scripted');
    assert.deepEqual(failed.statuses?.map((s) => [s.code, s.level, s.message]), [['ChartPullFailed', 'Error', 'mcr.microsoft.com unreachable']]);
    assert.equal(tb.kube!.get('namespaces', undefined, 'scripted'), undefined, 'a scripted failure leaves the cluster alone');
  });

  it('rejects invalid names, namespaces, types and version pins with 400 and the rule', async () => {
    const valid = gatewayExtension({ 'gateway.configuration.uri': endpoint }, { 'gateway.auth.token': `GatewayKey ${token}` });
    const badNamespace = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'ns-check', { ...valid, scope: { namespace: { targetNamespace: 'Bad_Namespace' } } }));
    assert.deepEqual([badNamespace.statusCode, badNamespace.code], [400, 'InvalidParameter']);
    assert.match(badNamespace.message, /RFC 1123 label/);
    const longNamespace = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'ns-check', { ...valid, scope: { namespace: { targetNamespace: 'n'.repeat(64) } } }));
    assert.equal(longNamespace.statusCode, 400);
    const badRelease = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'ns-check', { ...valid, scope: { cluster: { releaseNamespace: '-leading-dash' } } }));
    assert.deepEqual([badRelease.statusCode, badRelease.code], [400, 'InvalidParameter']);
    const badName = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'Not_Valid', valid));
    assert.deepEqual([badName.statusCode, badName.code], [400, 'InvalidParameter']);
    const badType = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'flux', { ...valid, extensionType: 'microsoft.flux' }));
    assert.equal(badType.statusCode, 400);
    const pinned = await rejection(arc.extensions.beginCreate(ARC_RG, ...K8S, 'pinned', { ...valid, version: '1.2.3', autoUpgradeMinorVersion: true }));
    assert.deepEqual([pinned.statusCode, pinned.code], [400, 'InvalidParameter']);
    const cluster = tb.world.arcCluster(BLOG.subscriptionId, ARC_RG, CLUSTER)!;
    assert.deepEqual([...cluster.extensions.keys()].filter((n) => ['ns-check', 'Not_Valid', 'flux', 'pinned'].includes(n)), []);
  });

  it('uninstalls the gateway it installed', async () => {
    const kube = tb.kube!;
    const release = 'rb-arc-aks-apimgw';
    await arc.extensions.beginDeleteAndWait(ARC_RG, ...K8S, release);
    assert.deepEqual(pods(kube, 'gateway', release), []);
    assert.equal(kube.get('services', 'gateway', `${release}-azure-api-management-gateway`), undefined);
    assert.equal(kube.get('deployments', 'gateway', release), undefined);
    const remaining = [];
    for await (const e of arc.extensions.list(ARC_RG, ...K8S)) remaining.push(e.name);
    assert.ok(!remaining.includes(release));
  });
});
