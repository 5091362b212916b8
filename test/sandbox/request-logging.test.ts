// "No request records at all because per-request logging is off": with the APIM service's local diagnostics
// disabled, the gateway answers but writes no GatewayLogs record; its start-up log is the witness (ARM does not say),
// and a test request's diagnosis names it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createKubernetesClients, type KubeContextClient } from '../../src/kubernetes/client.ts';
import { buildTestRequest } from '../../src/requests/build.ts';
import { readLocalDiagnostics } from '../../src/requests/logLookup.ts';
import { testRequestResult } from '../../src/panels/testRequestResult.ts';
import { runTestRequest } from '../../src/requests/run.ts';
import { ServiceProxyTransport } from '../../src/requests/serviceProxy.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';

const NS = BLOG.extension.namespace;
const SELECTOR = `app.kubernetes.io/name=azure-api-management-gateway,app.kubernetes.io/instance=${BLOG.extension.name}`;

describe('request logging off', { timeout: 120_000 }, () => {
  let sb: RunningSandbox;
  let kube: KubeContextClient;

  before(async () => {
    sb = await startSandbox({ world: 'blog-deployed' });
    kube = await createKubernetesClients(() => [sb.info.kubeconfig]).forContext(BLOG.arc.name);
  });
  after(async () => sb?.close());

  async function restartedGateway(): Promise<void> {
    const pods = await kube.getJson<{ items: { metadata: { name: string } }[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: SELECTOR });
    const old = new Set(pods.items.map((p) => p.metadata.name));
    for (const name of old) sb.kube.faults.deletePod({ namespace: NS, pod: name, gracePeriodSeconds: 0 });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const now = await kube.getJson<{ items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>(`/api/v1/namespaces/${NS}/pods`, { labelSelector: SELECTOR });
      const fresh = now.items.filter((p) => !old.has(p.metadata.name));
      if (fresh.length > 0 && fresh.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))) return;
      assert.ok(Date.now() < deadline, 'the gateway pod came back');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('reads "on" from the blog gateway’s start-up', async () => {
    assert.equal(await readLocalDiagnostics(kube, NS, SELECTOR, new AbortController().signal), true);
  });

  it('with local diagnostics disabled, names request-logging-off for a request that left no record', async () => {
    sb.world.setLocalDiagnostics(BLOG.apim.name, false);
    await restartedGateway();
    assert.equal(await readLocalDiagnostics(kube, NS, SELECTOR, new AbortController().signal), false);
    const built = buildTestRequest({ method: 'GET', path: '/echo/resource?param1=nolog' }, { namespace: NS, service: BLOG.kubernetesService, port: 5000, scheme: 'http' });
    assert.ok(built.ok);
    const outcome = await runTestRequest(
      { client: kube, namespace: NS, labelSelector: SELECTOR, facts: { gatewayId: BLOG.gateway.name }, timeoutMs: 10_000, recordWaitMs: 2000 },
      new ServiceProxyTransport(kube),
      built.request,
      new AbortController().signal,
    );
    assert.equal(testRequestResult(outcome).response.kind, 'http');
    assert.equal(testRequestResult(outcome).record, undefined);
    const finding = outcome.findings.find((f) => f.code === 'request-logging-off');
    assert.ok(finding, outcome.findings.map((f) => `${f.code}: ${f.explanation}`).join('\n'));
    assert.ok(finding.evidence.some((e) => /Local diagnostics/.test(e.label) && e.value === 'off'), JSON.stringify(finding.evidence));
  });
});
