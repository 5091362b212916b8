// The ARM emulator on the wire, below the SDKs: what any client (curl, az rest, an SDK we do not use yet) meets —
// TLS from the sandbox CA, bearer auth, api-version, case-insensitive paths, ARM's error envelope, request ids,
// absolute nextLinks, the sandbox's fault and request-log endpoints, and no secret in any error or log.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import { BLOG } from './worlds/index.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

function call(tb: ArmTestbed, method: string, path: string, options: { token?: string | null; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(path, tb.arm.url);
  const token = options.token === undefined ? tb.arm.token : options.token;
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      ca: tb.arm.caPem,
      headers: { ...(token !== null ? { Authorization: `Bearer ${token}` } : {}), ...options.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const SUB = `/subscriptions/${BLOG.subscriptionId}`;
const APIM = `${SUB}/resourceGroups/${BLOG.apim.resourceGroup}/providers/Microsoft.ApiManagement/service/${BLOG.apim.name}`;
const V = 'api-version=2024-05-01';

function errorOf(reply: Reply): { code: string; message: string; target?: string; details?: Array<{ code: string; target?: string; message: string }> } {
  const body = reply.json as { error?: { code: string; message: string } };
  assert.ok(body?.error, `expected an ARM error body, got ${reply.status} ${reply.text}`);
  return body.error;
}

describe('ARM emulator: protocol', () => {
  let tb: ArmTestbed;
  before(async () => {
    tb = await startArmTestbed('blog-deployed', { kube: false });
  });
  after(() => tb.close());

  it('serves TLS that only the sandbox CA vouches for', async () => {
    await assert.rejects(new Promise((resolve, reject) => {
      https.get(new URL(`${SUB}?api-version=2022-12-01`, tb.arm.url), (res) => resolve(res.statusCode)).on('error', reject);
    }), /self[- ]signed|unable to verify|UNABLE_TO_GET_ISSUER_CERT/i);
    const ok = await call(tb, 'GET', `${SUB}?api-version=2022-12-01`);
    assert.equal(ok.status, 200);
  });

  it('refuses requests without the bearer token, with ARM error bodies, a challenge and a request id', async () => {
    const missing = await call(tb, 'GET', `${APIM}/gateways?${V}`, { token: null });
    assert.equal(missing.status, 401);
    assert.equal(errorOf(missing).code, 'AuthenticationFailed');
    assert.match(String(missing.headers['www-authenticate']), /^Bearer /);
    assert.match(String(missing.headers['x-ms-request-id']), /^[0-9a-f-]{36}$/);
    const wrong = await call(tb, 'GET', `${APIM}/gateways?${V}`, { token: 'not-the-token' });
    assert.equal(wrong.status, 401);
    assert.equal(errorOf(wrong).code, 'InvalidAuthenticationToken');
    assert.ok(!wrong.text.includes(tb.arm.token), 'the expected token must not be echoed');
  });

  it('requires api-version and refuses versions the provider does not serve', async () => {
    const missing = await call(tb, 'GET', `${APIM}/gateways`);
    assert.equal(missing.status, 400);
    assert.equal(errorOf(missing).code, 'MissingApiVersionParameter');
    const unknown = await call(tb, 'GET', `${APIM}/gateways?api-version=2099-01-01`);
    assert.equal(unknown.status, 400);
    assert.equal(errorOf(unknown).code, 'NoRegisteredProviderFound');
    assert.match(errorOf(unknown).message, /2024-05-01/);
    const subs = await call(tb, 'GET', '/subscriptions?api-version=1999-01-01');
    assert.equal(errorOf(subs).code, 'InvalidApiVersionParameter');
  });

  it('matches paths case-insensitively and keeps the stored case of names', async () => {
    const lower = await call(tb, 'GET', `${APIM.toLowerCase()}/GATEWAYS/${BLOG.gateway.name.toUpperCase()}?${V}`);
    assert.equal(lower.status, 200, lower.text);
    assert.equal((lower.json as { name: string }).name, BLOG.gateway.name);
    const hybrid = await call(tb, 'GET', `${SUB}/resourcegroups/${BLOG.arc.resourceGroup}/providers/microsoft.kubernetes/connectedclusters/${BLOG.arc.name}?api-version=2021-10-01`);
    assert.equal(hybrid.status, 200, hybrid.text);
  });

  it('answers missing subscriptions, resource groups, resources and types with ARM codes', async () => {
    const noSub = await call(tb, 'GET', `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ApiManagement/service?${V}`);
    assert.equal(noSub.status, 404);
    assert.equal(errorOf(noSub).code, 'SubscriptionNotFound');
    const noGroup = await call(tb, 'GET', `${SUB}/resourceGroups/nope/providers/Microsoft.ApiManagement/service/x?${V}`);
    assert.equal(noGroup.status, 404);
    assert.equal(errorOf(noGroup).code, 'ResourceGroupNotFound');
    const noService = await call(tb, 'GET', `${SUB}/resourceGroups/${BLOG.apim.resourceGroup}/providers/Microsoft.ApiManagement/service/nope?${V}`);
    assert.equal(noService.status, 404);
    assert.equal(errorOf(noService).code, 'ResourceNotFound');
    const noGateway = await call(tb, 'GET', `${APIM}/gateways/nope?${V}`);
    assert.deepEqual([noGateway.status, errorOf(noGateway).code, errorOf(noGateway).message], [404, 'ResourceNotFound', 'Gateway not found.']);
    const noType = await call(tb, 'GET', `${APIM}/widgets?${V}`);
    assert.equal(noType.status, 400);
    assert.equal(errorOf(noType).code, 'InvalidResourceType');
    const method = await call(tb, 'POST', `${APIM}/gateways?${V}`);
    assert.equal(method.status, 405);
  });

  it('accepts a gateway-API PUT with Content-Type and an empty body, as the SDK may send it', async () => {
    const reply = await call(tb, 'PUT', `${APIM}/gateways/${BLOG.gateway.name}/apis/echo-api?${V}`, { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '' });
    assert.equal(reply.status, 200, reply.text);
    assert.equal((reply.json as { name: string }).name, 'echo-api');
    const malformed = await call(tb, 'PUT', `${APIM}/gateways/${BLOG.gateway.name}/apis/echo-api?${V}`, { headers: { 'Content-Type': 'application/json' }, body: '{' });
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed).code, 'InvalidRequestContent');
  });

  it('pages with absolute nextLinks that carry the api-version and end with no nextLink', async () => {
    for (let i = 0; i < 4; i++) tb.world.putGateway(BLOG.apim.name, { name: `paged-${i}`, locationData: { name: 'p' } });
    const names: string[] = [];
    let next: string | undefined = `${APIM}/gateways?${V}`;
    let pages = 0;
    while (next) {
      const reply = await call(tb, 'GET', next);
      assert.equal(reply.status, 200, reply.text);
      const page = reply.json as { value: Array<{ name: string }>; nextLink?: string };
      assert.ok(page.value.length <= 2);
      names.push(...page.value.map((g) => g.name));
      if (page.nextLink) {
        assert.ok(page.nextLink.startsWith(`${tb.arm.url}/`), page.nextLink);
        assert.match(page.nextLink, /api-version=2024-05-01/);
      }
      next = page.nextLink;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(names.sort(), [BLOG.gateway.name, 'paged-0', 'paged-1', 'paged-2', 'paged-3'].sort());
    const top = await call(tb, 'GET', `${APIM}/gateways?${V}&$top=4`);
    assert.equal((top.json as { value: unknown[] }).value.length, 4);
    const filtered = await call(tb, 'GET', `${APIM}/gateways?${V}&$filter=${encodeURIComponent("startswith(name,'paged-') and name ne 'paged-0'")}&$top=10`);
    assert.deepEqual((filtered.json as { value: Array<{ name: string }> }).value.map((g) => g.name).sort(), ['paged-1', 'paged-2', 'paged-3']);
    const bad = await call(tb, 'GET', `${APIM}/gateways?${V}&$filter=${encodeURIComponent('name eq')}`);
    assert.equal(bad.status, 400);
    for (let i = 0; i < 4; i++) tb.world.deleteGateway(BLOG.apim.name, `paged-${i}`);
  });

  it('lists Azure subscriptions and resource groups across pages (SubscriptionClient\'s calls)', async () => {
    tb.world.addAzureSubscription({ subscriptionId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', displayName: 'Second', tenantId: BLOG.tenantId, state: 'Enabled' });
    tb.world.addAzureSubscription({ subscriptionId: '1c2d3e4f-5061-4728-93a4-b5c6d7e8f90a', displayName: 'Third', tenantId: BLOG.tenantId, state: 'Disabled' });
    const first = await call(tb, 'GET', '/subscriptions?api-version=2022-12-01');
    const page1 = first.json as { value: Array<{ subscriptionId: string; state: string; tenantId: string }>; nextLink?: string; count: { value: number } };
    assert.equal(page1.value.length, 2);
    assert.equal(page1.count.value, 3);
    assert.ok(page1.nextLink);
    const second = await call(tb, 'GET', page1.nextLink);
    const page2 = second.json as { value: Array<{ subscriptionId: string; state: string }>; nextLink?: string };
    assert.equal(page2.nextLink, undefined);
    assert.deepEqual([...page1.value, ...page2.value].map((s) => s.subscriptionId).sort(), [BLOG.subscriptionId, '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', '1c2d3e4f-5061-4728-93a4-b5c6d7e8f90a'].sort());
    const one = await call(tb, 'GET', `${SUB}?api-version=2022-12-01`);
    assert.deepEqual((one.json as { displayName: string; tenantId: string }).displayName, BLOG.subscriptionName);
    const groups = await call(tb, 'GET', `${SUB}/resourcegroups?api-version=2021-04-01&$top=10`);
    assert.deepEqual((groups.json as { value: Array<{ name: string }> }).value.map((g) => g.name).sort(), [BLOG.arc.resourceGroup, BLOG.apim.resourceGroup].sort());
  });

  it('puts x-ms-request-id on every response and echoes the client request id', async () => {
    const replies = await Promise.all([
      call(tb, 'GET', `${SUB}?api-version=2022-12-01`, { headers: { 'x-ms-client-request-id': 'abc-123' } }),
      call(tb, 'GET', `${APIM}/nothing-here`),
      call(tb, 'HEAD', `${APIM}/gateways/${BLOG.gateway.name}?${V}`),
      call(tb, 'POST', `${APIM}/gateways/${BLOG.gateway.name}/regenerateKey?${V}`, { body: JSON.stringify({ keyType: 'secondary' }), headers: { 'Content-Type': 'application/json' } }),
    ]);
    const ids = replies.map((r) => String(r.headers['x-ms-request-id']));
    for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(replies[0]?.headers['x-ms-client-request-id'], 'abc-123');
    assert.equal(replies[2]?.status, 200);
    assert.equal(replies[2]?.text, '');
    assert.match(String(replies[2]?.headers['etag']), /^"[A-Za-z0-9+/=]+"$/);
    assert.equal(replies[3]?.status, 204);
  });

  it('drives faults and reads the request log over HTTPS, with no bodies and no secrets in the log', async () => {
    const since = tb.arm.lastSeq();
    const fault = await call(tb, 'POST', '/sandbox/v1/arm-faults/throttle', { body: JSON.stringify({ count: 1, retryAfterSeconds: 7, path: '/gateways$' }) });
    assert.deepEqual(fault.json, { pending: 1 });
    const throttled = await call(tb, 'GET', `${APIM}/gateways?${V}`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
    assert.equal(errorOf(throttled).code, 'SubscriptionRequestsThrottled');
    const keys = await call(tb, 'POST', `${APIM}/gateways/${BLOG.gateway.name}/listKeys?${V}`);
    const { primary, secondary } = keys.json as { primary: string; secondary: string };
    assert.equal(primary, tb.world.gateway(BLOG.apim.name, BLOG.gateway.name).keys.primary);
    const log = await call(tb, 'GET', `/sandbox/v1/arm-requests?since=${since}`);
    const requests = (log.json as { requests: Array<{ method: string; path: string; status: number; apiVersion: string; fault?: string }> }).requests;
    assert.deepEqual(requests.map((r) => [r.method, r.status, r.fault ?? null]), [['GET', 429, 'throttle'], ['POST', 200, null]]);
    assert.ok(requests.every((r) => r.apiVersion === '2024-05-01'));
    for (const secret of [primary, secondary, tb.arm.token]) assert.ok(!log.text.includes(secret), 'the request log must not carry secrets');
    const unknown = await call(tb, 'POST', '/sandbox/v1/arm-faults/explode');
    assert.equal(unknown.status, 400);
    const unauthenticated = await call(tb, 'GET', '/sandbox/v1/arm-requests', { token: null });
    assert.equal(unauthenticated.status, 401);
  });

  it('never puts protected settings or keys into error bodies', async () => {
    const ext = `${SUB}/resourceGroups/${BLOG.arc.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${BLOG.arc.name}/providers/Microsoft.KubernetesConfiguration/extensions`;
    const secret = 'GatewayKey do-not-echo-me&202601010000&c2VjcmV0';
    const reply = await call(tb, 'PUT', `${ext}/second?api-version=2023-05-01`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: { extensionType: 'Microsoft.ApiManagement.Gateway', configurationProtectedSettings: { 'gateway.auth.token': { nested: secret } } } }),
    });
    assert.equal(reply.status, 400);
    assert.match(errorOf(reply).message, /gateway\.auth\.token/);
    assert.ok(!reply.text.includes('do-not-echo-me'));
  });
});
