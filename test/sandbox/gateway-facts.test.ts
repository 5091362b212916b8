// What diagnosis learns about a gateway from ARM, read by the extension's ARM service through the real SDK from the
// sandbox: every API including non-current revisions (which the API list leaves out), their operations, the
// assignments, version sets and the gateway's hostnames — and that a request to a non-current revision's path is
// then explained from those facts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ArmAzureData } from '../../src/azure/armService.ts';
import { createAzureClientFactory } from '../../src/azure/clientFactory.ts';
import { resolveCloud } from '../../src/azure/clouds.ts';
import { GatewayFactsCache, loadGatewayFacts } from '../../src/azure/gatewayFacts.ts';
import { AzureRecords } from '../../src/azure/records.ts';
import { diagnose } from '../../src/diagnosis/index.ts';
import { createKubernetesClients } from '../../src/kubernetes/client.ts';
import { readTokenFacts } from '../../src/kubernetes/gatewayToken.ts';
import type { KubeDeployment } from '../../src/kubernetes/types.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';

describe('gateway facts from ARM', () => {
  let sandbox: RunningSandbox;
  let data: ArmAzureData;
  let serviceId: string;
  let gatewayId: string;
  const memory = new Map<string, unknown>();
  const records = new AzureRecords({ get: <T>(k: string) => memory.get(k) as T | undefined, update: async (k, v) => void memory.set(k, v) });

  before(async () => {
    sandbox = await startSandbox({ world: 'blog-deployed' });
    const cloud = resolveCloud('custom', sandbox.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
    assert.ok(cloud.ok);
    const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: sandbox.info.armToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential }));
    serviceId = `/subscriptions/${sandbox.info.subscriptionId}/resourceGroups/${BLOG.apim.resourceGroup}/providers/Microsoft.ApiManagement/service/${BLOG.apim.name}`;
    gatewayId = `${serviceId}/gateways/${BLOG.gateway.name}`;
    const echo = sandbox.world.api(BLOG.apim.name, 'echo-api');
    sandbox.world.putApi(BLOG.apim.name, { ...echo, operations: [...echo.operations.values()], apiRevision: '2', isCurrent: false });
    sandbox.world.putOperation(BLOG.apim.name, 'echo-api', { name: 'preview', displayName: 'Preview', method: 'GET', urlTemplate: '/preview' }, '2');
    sandbox.world.putVersionSet(BLOG.apim.name, { name: 'orders-versions', displayName: 'Orders', versioningScheme: 'Header', versionHeaderName: 'Api-Version' });
    sandbox.world.putHostnameConfiguration(BLOG.apim.name, BLOG.gateway.name, { name: 'edge', hostname: 'api.contoso.example', negotiateClientCertificate: false, tls10Enabled: false, tls11Enabled: false, http2Enabled: true });
  });

  after(async () => sandbox?.close());

  it('reads every revision with its operations, the assignments, version sets and hostnames', async () => {
    const facts = await loadGatewayFacts(data, records, { serviceId, gatewayId, gatewayName: BLOG.gateway.name });
    const names = (facts.apis ?? []).map((a) => `${a.api.name}:${String(a.api.isCurrent)}`);
    assert.ok(names.includes('echo-api:true'), names.join(', '));
    assert.ok(names.includes('echo-api;rev=2:false'), names.join(', '));
    const rev2 = facts.apis?.find((a) => a.api.name === 'echo-api;rev=2');
    assert.ok((rev2?.operations ?? []).length > 0, 'the revision comes with its operations');
    assert.ok(facts.assignedApiIds?.includes('echo-api'));
    assert.deepEqual(facts.versionSets?.map((s) => `${s.name}:${s.versioningScheme}:${s.versionHeaderName}`), ['orders-versions:Header:Api-Version']);
    assert.deepEqual(facts.hostnames, ['api.contoso.example']);
    assert.equal(facts.tokenExpiresAt, undefined, 'no deployment made from here: the token expiry is not known');
  });

  it('keeps facts for a few seconds, and reads again after a fix invalidates them', async () => {
    let now = 0;
    const cache = new GatewayFactsCache(() => data, records, { now: () => now, ttlMs: 1000 });
    const binding = { serviceId, gatewayId, gatewayName: BLOG.gateway.name };
    const first = cache.get(binding);
    assert.equal(cache.get(binding), first, 'a second ask within the TTL shares the read');
    assert.equal(cache.peek(binding), first);
    await first;
    now = 1500;
    assert.equal(cache.peek(binding), undefined, 'stale after the TTL');
    const second = cache.get(binding);
    assert.notEqual(second, first);
    cache.invalidate(gatewayId.toUpperCase());
    assert.equal(cache.peek(binding), undefined, 'ids compare without case, as ARM does');
    await second;
  });

  it('lets diagnosis say that an operation lives only in a non-current revision, with the ;rev= URL to use', async () => {
    const facts = await loadGatewayFacts(data, records, { serviceId, gatewayId, gatewayName: BLOG.gateway.name });
    const findings = diagnose({
      request: { method: 'GET', url: 'https://gw.apim:5001/echo/preview' },
      response: { kind: 'http', status: 404, body: '{"statusCode":404,"message":"Resource not found"}' },
      gateway: facts,
    });
    const revision = findings.find((f) => f.code === 'non-current-revision');
    assert.ok(revision, findings.map((f) => `${f.code}: ${f.explanation}`).join('\n'));
    assert.match(revision.explanation, /exists only in revision 2 of/);
    const fix = revision.fixes.find((f) => f.id === 'use-revision');
    assert.ok(fix && fix.id === 'use-revision');
    assert.equal(new URL(fix.url).pathname, '/echo;rev=2/preview');
  });

  it('reads which gateway the pods run as and when their token expires from the cluster, keeping no token', async () => {
    const clients = createKubernetesClients(() => [sandbox.info.kubeconfig]);
    try {
      const client = await clients.forContext(BLOG.arc.name);
      const list = await client.getJson<{ items: KubeDeployment[] }>('/apis/apps/v1/namespaces/apim/deployments');
      const deployment = list.items.find((d) => d.metadata?.name === BLOG.extension.name);
      assert.ok(deployment, 'the blog gateway Deployment');
      const facts = await readTokenFacts(client, deployment);
      assert.ok(facts, 'the token was found through the Deployment’s env');
      assert.equal(facts.gatewayId, BLOG.gateway.name);
      assert.ok(facts.expiresAt.getTime() > sandbox.world.now().getTime(), facts.expiresAt.toISOString());
      assert.match(facts.source, /^Secret apim\//);
      assert.deepEqual(Object.keys(facts).sort(), ['expiresAt', 'gatewayId', 'source']);
    } finally {
      clients.reset();
    }
  });
});
