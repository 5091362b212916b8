// How long "Check Gateway Health" takes on a 3-replica gateway: the host-side gathering (Deployment, pods, events,
// Services, the token's Secret, ConfigMaps, the start-up log, ARM's assigned APIs) through the extension's own
// Kubernetes and ARM clients against the sandbox, plus the engine. Goal: under 2 s per check.
// Run: node_modules/.bin/node bench/health.ts [runs]   (default 20; the first run, which loads the SDKs, is reported apart)
import { performance } from 'node:perf_hooks';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ArmAzureData } from '../src/azure/armService.ts';
import { createAzureClientFactory } from '../src/azure/clientFactory.ts';
import { resolveCloud } from '../src/azure/clouds.ts';
import { runHealthChecks } from '../src/health/index.ts';
import { gatherHealthInput } from '../src/healthCheck/gather.ts';
import { createKubernetesClients } from '../src/kubernetes/client.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import { BLOG, createWorld } from '../test/sandbox/worlds/index.ts';

const GOAL_MS = 2000;
const runs = Number(process.argv[2] ?? 20);

const world = createWorld('blog-deployed');
for (const object of world.kubernetesObjects) {
  if (object['kind'] === 'Deployment') (object['spec'] as { replicas: number }).replicas = 3;
}
const sb = await startSandbox({ world });
try {
  const clients = createKubernetesClients(() => [sb.info.kubeconfig]);
  const kube = await clients.forContext(BLOG.arc.name);
  const cloud = resolveCloud('custom', sb.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
  if (!cloud.ok) throw new Error(cloud.error);
  const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: sb.info.armToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential }));
  const serviceId = `/subscriptions/${sb.info.subscriptionId}/resourceGroups/${BLOG.apim.resourceGroup}/providers/Microsoft.ApiManagement/service/${BLOG.apim.name}`;
  const binding = { serviceId, gatewayId: `${serviceId}/gateways/${BLOG.gateway.name}`, gatewayName: BLOG.gateway.name };
  const target = { namespace: BLOG.extension.namespace, deployment: BLOG.extension.name };

  const once = async (): Promise<{ ms: number; pods: number; findings: string[] }> => {
    const started = performance.now();
    const input = await gatherHealthInput({ kube, azure: { data, binding } }, target);
    const report = runHealthChecks(input);
    return { ms: performance.now() - started, pods: input.pods?.length ?? 0, findings: report.findings.map((f) => f.code) };
  };
  const first = await once();
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < runs; i++) {
    last = await once();
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const p = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  console.log(`pods: ${last.pods}; findings: ${last.findings.join(', ') || 'none'}`);
  console.log(`first check (loads the SDKs): ${first.ms.toFixed(0)} ms`);
  console.log(`${runs} checks: median ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${(times.at(-1) ?? NaN).toFixed(0)} ms (goal < ${GOAL_MS} ms)`);
  if (last.pods !== 3) throw new Error(`expected 3 pods, saw ${last.pods}`);
  // The first check loads @kubernetes/client-node and the Azure SDK, which the extension has loaded by the time a
  // gateway node exists to check (the tree found it through them): the goal is for the checks after it.
  if (p(0.95) >= GOAL_MS) process.exitCode = 1;
} finally {
  await sb.close();
}
