// Fault knobs with the real SDK's retry policies: throttling with Retry-After is retried and succeeds, server errors
// are retried (and surface once retries run out), latency applies to every call, and the request log tells exactly
// which calls were made — so a product test can assert that none was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import { armClientOptions, startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import { BLOG } from './worlds/index.ts';

const RG = BLOG.apim.resourceGroup;
const SVC = BLOG.apim.name;

describe('ARM emulator: faults and the request log', () => {
  let tb: ArmTestbed;
  let apim: ApiManagementClient;
  before(async () => {
    tb = await startArmTestbed('blog-deployed', { kube: false });
    apim = new ApiManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
  });
  after(() => tb.close());

  it('throttles with 429 + Retry-After; the SDK waits, retries once and succeeds', async () => {
    tb.arm.faults.throttle({ count: 1, retryAfterSeconds: 1 });
    const since = tb.arm.lastSeq();
    const started = Date.now();
    const gateway = await apim.gateway.get(RG, SVC, BLOG.gateway.name);
    const elapsed = Date.now() - started;
    assert.equal(gateway.name, BLOG.gateway.name);
    const calls = tb.arm.requests({ since });
    assert.deepEqual(calls.map((c) => [c.method, c.status, c.fault ?? null]), [['GET', 429, 'throttle'], ['GET', 200, null]]);
    assert.ok(elapsed >= 900, `the SDK honoured Retry-After (waited ${elapsed} ms)`);
  });

  it('throttles only the paths that match the pattern', async () => {
    tb.arm.faults.throttle({ count: 1, retryAfterMs: 20, path: '/connectedClusters$' });
    const since = tb.arm.lastSeq();
    const gateways = [];
    for await (const g of apim.gateway.listByService(RG, SVC)) gateways.push(g.name);
    const hybrid = new ConnectedKubernetesClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const clusters = [];
    for await (const c of hybrid.connectedClusterOperations.listBySubscription()) clusters.push(c.name);
    assert.deepEqual(clusters, [BLOG.arc.name]);
    assert.deepEqual(tb.arm.requests({ since }).map((c) => c.status), [200, 429, 200]);
  });

  it('retries server errors and succeeds within the retry budget', async () => {
    tb.arm.faults.serverErrors({ count: 2 });
    const since = tb.arm.lastSeq();
    const keys = await apim.gateway.listKeys(RG, SVC, BLOG.gateway.name);
    assert.ok(keys.primary);
    assert.deepEqual(tb.arm.requests({ since }).map((c) => c.status), [500, 500, 200]);
  });

  it('surfaces a server error once the retries run out', async () => {
    tb.arm.faults.serverErrors({ count: 10, status: 502 });
    const since = tb.arm.lastSeq();
    await assert.rejects(apim.gateway.get(RG, SVC, BLOG.gateway.name), (error: { statusCode?: number; code?: string }) => {
      assert.equal(error.statusCode, 502);
      assert.equal(error.code, 'BadGateway');
      return true;
    });
    assert.equal(tb.arm.requests({ since }).length, 4, 'the first try and three retries');
    tb.arm.faults.reset();
    assert.equal((await apim.gateway.get(RG, SVC, BLOG.gateway.name)).name, BLOG.gateway.name);
  });

  it('retries a 503 that carries Retry-After', async () => {
    tb.arm.faults.serverErrors({ count: 1, status: 503, retryAfterSeconds: 1 });
    const since = tb.arm.lastSeq();
    const service = await apim.apiManagementService.get(RG, SVC);
    assert.equal(service.name, SVC);
    assert.deepEqual(tb.arm.requests({ since }).map((c) => c.status), [503, 200]);
  });

  it('adds latency to every call until it is set back to 0', async () => {
    tb.arm.faults.latency({ ms: 150 });
    let started = Date.now();
    await apim.gateway.get(RG, SVC, BLOG.gateway.name);
    assert.ok(Date.now() - started >= 150);
    tb.arm.faults.latency({ ms: 0 });
    started = Date.now();
    await apim.gateway.get(RG, SVC, BLOG.gateway.name);
    assert.ok(Date.now() - started < 150);
  });

  it('refuses a client whose credential returns another token, as a RestError the SDK does not retry', async () => {
    const stranger = new ApiManagementClient({ getToken: () => Promise.resolve({ token: 'someone-else', expiresOnTimestamp: Date.now() + 60_000 }) }, BLOG.subscriptionId, armClientOptions(tb.arm));
    const since = tb.arm.lastSeq();
    await assert.rejects(stranger.gateway.get(RG, SVC, BLOG.gateway.name), (error: { statusCode?: number; code?: string }) => {
      assert.deepEqual([error.statusCode, error.code], [401, 'InvalidAuthenticationToken']);
      return true;
    });
    assert.deepEqual(tb.arm.requests({ since }).map((c) => c.status), [401]);
  });

  it('logs exactly the calls made, so "no ARM call" can be asserted', async () => {
    const since = tb.arm.lastSeq();
    tb.world.putGateway(SVC, { name: 'quiet', locationData: { name: 'q' } });
    assert.deepEqual(tb.arm.requests({ since }), [], 'world changes are not ARM calls');
    await apim.gateway.delete(RG, SVC, 'quiet', '*');
    const [call] = tb.arm.requests({ since });
    assert.equal(call?.method, 'DELETE');
    assert.equal(call?.path, `/subscriptions/${BLOG.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}/gateways/quiet`);
    assert.equal(call?.apiVersion, '2024-05-01');
    assert.match(call?.clientRequestId ?? '', /^[0-9a-f-]{36}$/, 'the SDK sends x-ms-client-request-id');
  });
});
