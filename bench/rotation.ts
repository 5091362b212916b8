// Token rotation under load: the blog's Arc extension scaled to 3 replicas behind a LoadBalancer Service, a steady
// stream of requests through it, and the extension's own rotation (src/rotation/rotate.ts: ARM token → ARM PATCH of
// the protected settings → rollout restart → verify) run against the sandbox with its real-cluster timings. Prints
// how long the rotation took and how many requests failed (an error, a status other than 200 or an empty body —
// what an expired or wrong token looks like). Goal: 0 failed.
//   node bench/rotation.ts [requestsPerSecond=20] [replicas=3]
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ArmAzureData } from '../src/azure/armService.ts';
import { arcExtensionId, arcClusterId, apimServiceId, apimGatewayId } from '../src/azure/armIds.ts';
import { createAzureClientFactory } from '../src/azure/clientFactory.ts';
import { resolveCloud } from '../src/azure/clouds.ts';
import { createKubernetesClients } from '../src/kubernetes/client.ts';
import { rotateToken } from '../src/rotation/rotate.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import { waitFor } from '../test/sandbox/k8s/testing.ts';
import { BLOG } from '../test/sandbox/worlds/index.ts';

const [rate = 20, replicas = 3] = process.argv.slice(2).map(Number);
const DAY = 86_400_000;

const sandbox = await startSandbox({ world: 'blog-deployed' });
try {
  const cloud = resolveCloud('custom', sandbox.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
  if (!cloud.ok) throw new Error(cloud.error);
  const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: sandbox.info.armToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential, retryOptions: { retryDelayInMs: 200, maxRetryDelayInMs: 1000 } }));
  const sub = sandbox.info.subscriptionId;
  const extensionId = arcExtensionId({ id: arcClusterId(sub, BLOG.arc.resourceGroup, BLOG.arc.name) }, BLOG.extension.name);
  const gatewayId = apimGatewayId({ id: apimServiceId(sub, BLOG.apim.resourceGroup, BLOG.apim.name) }, BLOG.gateway.name);
  // The Echo API over plain HTTP, so every answer is a 200 with a body while the gateway has its configuration.
  const echo = sandbox.world.api(BLOG.apim.name, 'echo-api');
  sandbox.world.putApi(BLOG.apim.name, { ...echo, operations: [...echo.operations.values()], protocols: ['http', 'https'], subscriptionRequired: false });

  console.log(`scaling ${BLOG.extension.name} to ${replicas} replicas behind a LoadBalancer (ARM PATCH)…`);
  await data.updateClusterExtension(extensionId, { configurationSettings: { replicaCount: String(replicas), 'service.Type': 'LoadBalancer' } }, undefined);
  const kube = sandbox.kube;
  const ns = BLOG.extension.namespace;
  await waitFor('the replicas to be ready', () => {
    const d = kube.get('deployments', ns, BLOG.extension.name) as { status?: { readyReplicas?: number; replicas?: number } } | undefined;
    return (d?.status?.readyReplicas ?? 0) === replicas && d?.status?.replicas === replicas;
  }, 60_000, 100);
  const ip = await waitFor('the LoadBalancer address', () => {
    const svc = kube.get('services', ns, BLOG.kubernetesService) as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } } | undefined;
    return svc?.status?.loadBalancer?.ingress?.[0]?.ip;
  }, 30_000, 100);
  const url = `http://${ip}:5000/echo/resource?param1=sample`;
  const probe = await fetch(url);
  if (probe.status !== 200) throw new Error(`the gateway answers ${probe.status} before the rotation; the bench needs a working gateway`);

  const failures: string[] = [];
  let sent = 0;
  let stop = false;
  const inFlight = new Set<Promise<void>>();
  const one = async (): Promise<void> => {
    sent++;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await response.text();
      if (response.status !== 200 || body.length === 0) failures.push(`${response.status} (${body.length} bytes)`);
    } catch (error) {
      failures.push(error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error));
    }
  };
  const stream = (async () => {
    const interval = 1000 / rate;
    const start = performance.now();
    for (let i = 0; !stop; i++) {
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
      const next = start + (i + 1) * interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();

  await new Promise((resolve) => setTimeout(resolve, 2000));
  const kubeClients = createKubernetesClients(() => [sandbox.info.kubeconfig]);
  const client = await kubeClients.forContext('rb-arc-aks');
  const before = (kube.list('pods', ns, { labelSelector: `app.kubernetes.io/instance=${BLOG.extension.name}` }) as { metadata: { name?: string } }[]).map((p) => p.metadata.name);
  const started = performance.now();
  const outcome = await rotateToken(
    { gatewayId, gatewayName: BLOG.gateway.name, store: { kind: 'arc', extensionId, tokenSetting: 'gateway.authKey' }, kube: { client, namespace: ns, deployment: BLOG.extension.name } },
    { keyType: 'secondary', expiry: new Date(Math.floor((Date.now() + 30 * DAY) / 60_000) * 60_000) },
    {
      data, now: () => new Date(), signal: new AbortController().signal,
      report: (text) => console.log(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  ${text}`),
      record: (command, result) => console.log(`         $ ${command}  → ${result}`),
    },
  );
  const rotationMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  stop = true;
  await stream;
  await Promise.all(inFlight);
  const after = (kube.list('pods', ns, { labelSelector: `app.kubernetes.io/instance=${BLOG.extension.name}` }) as { metadata: { name?: string } }[]).map((p) => p.metadata.name);

  console.log('');
  console.log(`rotation:          ${(rotationMs / 1000).toFixed(1)} s (${replicas} replicas; token → ARM PATCH → rollout → verify)`);
  console.log(`requests:          ${sent} at ${rate}/s, ${failures.length} failed${failures.length ? ` (${[...new Set(failures)].slice(0, 5).join('; ')})` : ''}`);
  console.log(`pods replaced:     ${before.every((p) => !after.includes(p)) ? 'all' : 'NOT all'} (${before.length} → ${after.length})`);
  console.log(`running token:     expires ${outcome.runningExpiry?.toISOString() ?? 'unknown'} (chosen ${outcome.expiry.toISOString()})`);
  console.log(`configuration sync: ${outcome.sync?.state ?? 'not checked'}${outcome.problems.length ? `; problems: ${outcome.problems.join(' ')}` : ''}`);
  process.exitCode = failures.length === 0 && outcome.problems.length === 0 ? 0 : 1;
} finally {
  await sandbox.close();
}
