// The health check against the sandbox's gateway broken each way on demand (gateway/breaks.ts): the host-side
// gatherer reads the cluster and ARM through the extension's own clients, the engine answers, and the first finding
// must name what was broken. Breaking goes over HTTPS like integration tests do (`/sandbox/v1/faults/breakGateway`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { after, before, describe, it } from 'node:test';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ArmAzureData } from '../../src/azure/armService.ts';
import { createAzureClientFactory } from '../../src/azure/clientFactory.ts';
import { resolveCloud } from '../../src/azure/clouds.ts';
import { runHealthChecks, type HealthFindingCode, type HealthReport } from '../../src/health/index.ts';
import { gatherHealthInput, type HealthSources } from '../../src/healthCheck/gather.ts';
import { createKubernetesClients, type KubernetesClients } from '../../src/kubernetes/client.ts';
import type { GatewayBreak } from './gateway/breaks.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';

const NS = BLOG.extension.namespace;
const DEPLOYMENT = BLOG.extension.name;

async function postBreak(sb: RunningSandbox, mode: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${sb.info.kubeApi}/sandbox/v1/faults/breakGateway`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.info.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode, namespace: NS, deployment: DEPLOYMENT }),
    dispatcher: new Agent({ connect: { ca: readFileSync(sb.info.caFile) } }),
  });
  return { status: res.status, body: await res.text() };
}

async function breakOver(sb: RunningSandbox, mode: GatewayBreak): Promise<void> {
  const res = await postBreak(sb, mode);
  assert.equal(res.status, 200, res.body);
}

interface Harness {
  sb: RunningSandbox;
  clients: KubernetesClients;
  sources: () => Promise<HealthSources>;
}

async function harness(): Promise<Harness> {
  const sb = await startSandbox({ world: 'blog-deployed' });
  const clients = createKubernetesClients(() => [sb.info.kubeconfig]);
  const cloud = resolveCloud('custom', sb.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
  assert.ok(cloud.ok);
  const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: sb.info.armToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential }));
  const serviceId = `/subscriptions/${sb.info.subscriptionId}/resourceGroups/${BLOG.apim.resourceGroup}/providers/Microsoft.ApiManagement/service/${BLOG.apim.name}`;
  const binding = { serviceId, gatewayId: `${serviceId}/gateways/${BLOG.gateway.name}`, gatewayName: BLOG.gateway.name };
  return { sb, clients, sources: async () => ({ kube: await clients.forContext(BLOG.arc.name), azure: { data, binding } }) };
}

async function check(h: Harness): Promise<HealthReport> {
  return runHealthChecks(await gatherHealthInput(await h.sources(), { namespace: NS, deployment: DEPLOYMENT }));
}

/** Checks until the first finding is `code` (the rollout and the gateway's start take a moment). */
async function firstFindingBecomes(h: Harness, code: HealthFindingCode, and: (r: HealthReport) => boolean = () => true, timeoutMs = 40_000): Promise<HealthReport> {
  const deadline = Date.now() + timeoutMs;
  let last: HealthReport | undefined;
  while (Date.now() < deadline) {
    last = await check(h);
    if (last.findings[0]?.code === code && and(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`first finding never became ${code}; last: ${JSON.stringify(last?.findings.map((f) => [f.code, f.title]))}`);
}

describe('health check of the sandbox gateway, broken each way', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.sb.close();
  });

  it('the blog\'s deployed gateway: running, configured, but HTTP-only in front of the HTTPS-only Echo API and one replica', async () => {
    const report = await check(h);
    assert.deepEqual(report.findings.map((f) => f.code), ['service-ports-mismatch', 'single-replica']);
    for (const id of ['pods', 'configuration', 'token', 'image', 'endpoint', 'local-diagnostics', 'apis'] as const) {
      assert.equal(report.checks.find((c) => c.id === id)?.status, 'passed', `${id}: ${JSON.stringify(report.checks.find((c) => c.id === id))}`);
    }
  });

  it('never lets the token through: not from the Secret, not from a literal env value', async () => {
    const secret = h.sb.kube.get('secrets', NS, `${DEPLOYMENT}-azure-api-management-gateway`) as unknown as { data: Record<string, string> };
    const token = Buffer.from(secret.data['gateway-key'] ?? '', 'base64').toString('utf8');
    const signature = token.split('&').at(-1) ?? '';
    assert.ok(signature.length > 20, 'the chart\'s Secret holds a token');
    const fromSecret = await gatherHealthInput(await h.sources(), { namespace: NS, deployment: DEPLOYMENT });
    assert.ok(fromSecret.token?.expiresAt, 'the token was read (its expiry)');
    const leak = JSON.stringify(fromSecret);
    const at = leak.indexOf(signature);
    assert.ok(at < 0, `the signature reached the health input: …${leak.slice(Math.max(0, at - 300), at).replace(signature, '<sig>')}`);
    // A Deployment that carries the token as a literal env value (docker-style configs do).
    const deployment = h.sb.kube.get('deployments', NS, DEPLOYMENT) as unknown as { spec: { template: { spec: { containers: Array<{ name: string }> } } } };
    const container = deployment.spec.template.spec.containers[0]?.name ?? '';
    h.sb.kube.patch('deployments', NS, DEPLOYMENT, 'strategic', { spec: { template: { spec: { containers: [{ name: container, env: [{ name: 'config.service.auth', value: token }] }] } } } });
    const literal = await gatherHealthInput(await h.sources(), { namespace: NS, deployment: DEPLOYMENT });
    assert.equal(literal.settings?.source, 'container-env');
    assert.ok(literal.settings?.values?.['config.service.endpoint'], 'the other settings are read');
    assert.ok(!JSON.stringify(literal).includes(signature), 'the signature reached the health input');
    assert.ok(!JSON.stringify(runHealthChecks(literal)).includes(signature), 'the signature reached the report');
  });
});

const CASES: Array<{ mode: GatewayBreak; first: HealthFindingCode; when?: (r: HealthReport) => boolean; also?: (r: HealthReport) => void }> = [
  {
    mode: 'expired-token',
    first: 'token-expired',
    // The Secret holds the expired token at once; the restarted pod's 401 shows up a moment later.
    when: (r) => /401 \(Unauthorized\)/.test(JSON.stringify(r.findings[0]?.evidence)),
    also: (r) => {
      assert.deepEqual(r.findings[0]?.fixes.map((f) => f.id), ['open-token-wizard']);
      assert.match(r.findings[0]?.explanation ?? '', /answers 401/);
    },
  },
  { mode: 'wrong-token', first: 'config-unauthorized' },
  { mode: 'unresolvable-endpoint', first: 'config-endpoint-unreachable', also: (r) => assert.match(r.findings[0]?.explanation ?? '', /apim-config\.contoso\.example/) },
  { mode: 'image-pull', first: 'pod-image-pull' },
  { mode: 'crash-loop', first: 'pod-crash-loop', also: (r) => assert.match(JSON.stringify(r.findings[0]?.evidence), /No valid authentication was configured/) },
  { mode: 'local-diagnostics-off', first: 'local-diagnostics-off' },
  { mode: 'old-image', first: 'image-outdated', also: (r) => assert.match(r.findings[0]?.title ?? '', /2\.4\.0/) },
];

for (const c of CASES) {
  describe(`health check: break mode ${c.mode}`, { timeout: 120_000 }, () => {
    let h: Harness;
    before(async () => {
      h = await harness();
    });
    after(async () => {
      await h.sb.close();
    });
    it(`reports ${c.first} first`, async () => {
      await breakOver(h.sb, c.mode);
      const report = await firstFindingBecomes(h, c.first, c.when);
      c.also?.(report);
    });
  });
}

describe('break modes refuse what they cannot do', { timeout: 60_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.sb.close();
  });
  it('names the known modes for an unknown one', async () => {
    const { status, body } = await postBreak(h.sb, 'meltdown');
    assert.equal(status, 400, body);
    assert.match((JSON.parse(body) as { message: string }).message, /^unknown break mode "meltdown"; known: expired-token, wrong-token, /);
  });
});
