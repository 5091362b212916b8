// The real ApiManagementClient (@azure/arm-apimanagement 10), unchanged, against the ARM emulator: every operation the
// product uses, across pages, with ETags and If-Match, name rules, tokens that the gateway simulator accepts, and
// ARM writes that the running gateway in the Kubernetes emulator picks up.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { ApiManagementClient } from '@azure/arm-apimanagement';
import { armClientOptions, startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import { waitFor } from './k8s/testing.ts';
import { verifyGatewayToken } from './world/tokens.ts';
import { BLOG } from './worlds/index.ts';

const RG = BLOG.apim.resourceGroup;
const SVC = BLOG.apim.name;
const GW = BLOG.gateway.name;

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message: string;
  details?: { error?: { details?: Array<{ target?: string; message: string }> } };
}

async function rejection(promise: Promise<unknown>): Promise<RestErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as RestErrorLike;
  }
  assert.fail('expected the call to fail');
}

/** GET through the Kubernetes service proxy to the gateway's HTTP port: the blog's `curl http://…apim:5000/…`. */
function callGateway(tb: ArmTestbed, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const kube = tb.kube;
  assert.ok(kube);
  const url = new URL(`/api/v1/namespaces/apim/services/${BLOG.kubernetesService}:5000/proxy${path}`, kube.url);
  return new Promise((resolve, reject) => {
    https.get(url, { ca: tb.arm.caPem, headers: { Authorization: `Bearer ${kube.token}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function gatewayPodLog(tb: ArmTestbed): string {
  const kube = tb.kube;
  assert.ok(kube);
  const pod = kube.list('pods', 'apim').find((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running');
  assert.ok(pod, 'a running gateway pod');
  return kube.podLogs('apim', pod.metadata.name ?? '').join('\n');
}

describe('ARM emulator: ApiManagementClient', () => {
  let tb: ArmTestbed;
  let client: ApiManagementClient;
  before(async () => {
    tb = await startArmTestbed('blog-deployed');
    client = new ApiManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
  });
  after(() => tb.close());

  it('lists and gets the APIM service', async () => {
    const services = [];
    for await (const s of client.apiManagementService.list()) services.push(s);
    assert.deepEqual(services.map((s) => s.name), [SVC]);
    const byGroup = [];
    for await (const s of client.apiManagementService.listByResourceGroup(RG)) byGroup.push(s.name);
    assert.deepEqual(byGroup, [SVC]);
    const service = await client.apiManagementService.get(RG, SVC);
    assert.equal(service.sku.name, 'Developer');
    assert.equal(service.gatewayUrl, `https://${SVC}.azure-api.net`);
    assert.equal(service.provisioningState, 'Succeeded');
  });

  it('creates gateways (201, then 200), pages them with byPage, and rejects ids that break the rules', async () => {
    const created = await client.gateway.createOrUpdate(RG, SVC, 'edge-1', { locationData: { name: 'Edge 1', city: 'Leeds' }, description: 'first' });
    assert.equal(created.name, 'edge-1');
    assert.match(created.eTag ?? '', /^"/);
    for (const name of ['edge-2', 'edge-3', 'edge-4']) await client.gateway.createOrUpdate(RG, SVC, name, { locationData: { name } });
    const again = await client.gateway.createOrUpdate(RG, SVC, 'edge-1', { locationData: { name: 'Edge 1', city: 'York' } });
    assert.equal(again.locationData?.city, 'York');
    const statuses = tb.arm.requests().filter((r) => r.method === 'PUT' && r.path.endsWith('/gateways/edge-1')).map((r) => r.status);
    assert.deepEqual(statuses, [201, 200]);

    const pages: string[][] = [];
    for await (const page of client.gateway.listByService(RG, SVC).byPage()) pages.push(page.map((g) => g.name ?? ''));
    assert.ok(pages.length >= 3, `expected several pages, got ${JSON.stringify(pages)}`);
    assert.ok(pages.every((p) => p.length <= 2));
    assert.deepEqual(pages.flat().sort(), [GW, 'edge-1', 'edge-2', 'edge-3', 'edge-4'].sort());

    const tooLong = await rejection(client.gateway.createOrUpdate(RG, SVC, 'g'.repeat(81), { locationData: { name: 'x' } }));
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.code, 'ValidationError');
    assert.match(JSON.stringify(tooLong.details), /at most 80 characters/);
    const badChars = await rejection(client.gateway.createOrUpdate(RG, SVC, 'a&b', { locationData: { name: 'x' } }));
    assert.equal(badChars.statusCode, 400);
    assert.match(JSON.stringify(badChars.details), /may not contain/);
    const noLocation = await rejection(client.gateway.createOrUpdate(RG, SVC, 'edge-5', {}));
    assert.equal(noLocation.statusCode, 400);
    assert.match(JSON.stringify(noLocation.details), /locationData/);
    assert.equal(tb.world.service(SVC).gateways.has('g'.repeat(81)), false);
  });

  it('serves ETags on GET and HEAD and refuses a PATCH or DELETE with a stale If-Match (412)', async () => {
    const eTag = (await client.gateway.getEntityTag(RG, SVC, 'edge-2')).eTag ?? '';
    const got = await client.gateway.get(RG, SVC, 'edge-2');
    assert.match(eTag, /^"[A-Za-z0-9+/=]+"$/);
    assert.equal(got.eTag, eTag);
    const patched = await client.gateway.update(RG, SVC, 'edge-2', eTag, { description: 'patched' });
    assert.equal(patched.description, 'patched');
    assert.match(patched.eTag ?? '', /^"/);
    assert.notEqual(patched.eTag, eTag);
    const stale = await rejection(client.gateway.update(RG, SVC, 'edge-2', eTag, { description: 'lost update' }));
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.code, 'PreconditionFailed');
    assert.equal(tb.world.gateway(SVC, 'edge-2').description, 'patched');
    const staleDelete = await rejection(client.gateway.delete(RG, SVC, 'edge-2', eTag));
    assert.equal(staleDelete.statusCode, 412);
    await client.gateway.delete(RG, SVC, 'edge-2', patched.eTag ?? '');
    await client.gateway.delete(RG, SVC, 'edge-3', '*');
    assert.equal(tb.world.service(SVC).gateways.has('edge-2'), false);
    const gone = await rejection(client.gateway.get(RG, SVC, 'edge-2'));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'ResourceNotFound');
  });

  it('lists keys, regenerates one with a 204, and generates tokens that verify against the world', async () => {
    const keys = await client.gateway.listKeys(RG, SVC, 'edge-1');
    assert.equal(keys.primary, tb.world.gateway(SVC, 'edge-1').keys.primary);
    const expiry = new Date(tb.world.now().getTime() + 7 * 24 * 60 * 60 * 1000);
    const token = await client.gateway.generateToken(RG, SVC, 'edge-1', { keyType: 'primary', expiry });
    assert.ok(token.value && !token.value.startsWith('GatewayKey'), 'generateToken returns the bare token');
    const verified = verifyGatewayToken(tb.world, token.value, SVC);
    assert.equal(verified.ok, true);
    if (verified.ok) assert.equal(verified.gateway.name, 'edge-1');

    const since = tb.arm.lastSeq();
    await client.gateway.regenerateKey(RG, SVC, 'edge-1', { keyType: 'primary' });
    assert.deepEqual(tb.arm.requests({ since }).map((r) => r.status), [204]);
    assert.notEqual(tb.world.gateway(SVC, 'edge-1').keys.primary, keys.primary);
    assert.deepEqual(verifyGatewayToken(tb.world, token.value, SVC), { ok: false, reason: 'invalid-signature' });

    const tooLate = await rejection(client.gateway.generateToken(RG, SVC, 'edge-1', { keyType: 'primary', expiry: new Date(tb.world.now().getTime() + 31 * 24 * 60 * 60 * 1000) }));
    assert.equal(tooLate.statusCode, 400);
    assert.match(JSON.stringify(tooLate.details), /30 days/);
    const past = await rejection(client.gateway.generateToken(RG, SVC, 'edge-1', { keyType: 'secondary', expiry: new Date(tb.world.now().getTime() - 60_000) }));
    assert.equal(past.statusCode, 400);
  });

  it('assigns and unassigns APIs to a gateway; the running gateway rebuilds its route table', async () => {
    tb.world.putApi(SVC, { name: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'http://orders.example' });
    const assigned = [];
    for await (const a of client.gatewayApi.listByService(RG, SVC, GW)) assigned.push(a.name);
    assert.deepEqual(assigned.sort(), ['dummy', 'echo-api']);
    const before = gatewayPodLog(tb);
    assert.ok(!/RouteTableRebuild\w*\], message: orders/.test(before));
    const result = await client.gatewayApi.createOrUpdate(RG, SVC, GW, 'orders');
    assert.equal(result.name, 'orders');
    assert.ok(tb.world.gateway(SVC, GW).apis.has('orders'));
    await waitFor('the gateway to rebuild the route table for orders', () => /OperationRouteTableRebuildCompleted\], message: orders/.test(gatewayPodLog(tb)), 10_000);
    const listed = [];
    for await (const a of client.gatewayApi.listByService(RG, SVC, GW)) listed.push(a.name);
    assert.deepEqual(listed.sort(), ['dummy', 'echo-api', 'orders']);
    const since = tb.arm.lastSeq();
    await client.gatewayApi.delete(RG, SVC, GW, 'orders');
    await client.gatewayApi.delete(RG, SVC, GW, 'orders');
    assert.deepEqual(tb.arm.requests({ since }).map((r) => r.status), [200, 204]);
    assert.ok(!tb.world.gateway(SVC, GW).apis.has('orders'));
    const missing = await rejection(client.gatewayApi.createOrUpdate(RG, SVC, GW, 'no-such-api'));
    assert.equal(missing.statusCode, 404);
  });

  it('manages hostname configurations with ETags', async () => {
    const created = await client.gatewayHostnameConfiguration.createOrUpdate(RG, SVC, GW, 'edge-host', { hostname: 'api.edge.example', http2Enabled: true });
    assert.equal(created.hostname, 'api.edge.example');
    const list = [];
    for await (const h of client.gatewayHostnameConfiguration.listByService(RG, SVC, GW)) list.push(h.name);
    assert.deepEqual(list, ['edge-host']);
    const got = await client.gatewayHostnameConfiguration.get(RG, SVC, GW, 'edge-host');
    assert.match(created.eTag ?? '', /^"/);
    assert.equal(got.eTag, created.eTag);
    const stale = await rejection(client.gatewayHostnameConfiguration.delete(RG, SVC, GW, 'edge-host', '"AAAAAAAAAAA="'));
    assert.equal(stale.statusCode, 412);
    await client.gatewayHostnameConfiguration.delete(RG, SVC, GW, 'edge-host', got.eTag ?? '');
    assert.equal(tb.world.gateway(SVC, GW).hostnameConfigurations.size, 0);
  });

  it('lists APIs and operations across pages and reads revisions', async () => {
    const apis = [];
    for await (const page of client.api.listByService(RG, SVC).byPage()) apis.push(page.map((a) => a.name));
    assert.ok(apis.length >= 2, 'APIs span several pages');
    const echo = await client.api.get(RG, SVC, 'echo-api');
    assert.deepEqual(echo.protocols, ['https']);
    assert.equal(echo.path, 'echo');
    assert.equal(echo.isCurrent, true);
    assert.equal(echo.apiRevision, '1');
    const operations = [];
    for await (const o of client.apiOperation.listByApi(RG, SVC, 'echo-api')) operations.push(`${o.method} ${o.urlTemplate}`);
    assert.equal(operations.length, 6);
    assert.ok(operations.includes('GET /resource'));
    await client.api.beginCreateOrUpdateAndWait(RG, SVC, 'echo-api;rev=2', { path: 'echo', sourceApiId: '/apis/echo-api', apiRevisionDescription: 'trying things' });
    const rev2 = await client.api.get(RG, SVC, 'echo-api;rev=2');
    assert.equal(rev2.isCurrent, false);
    const revisions = [];
    for await (const r of client.apiRevision.listByService(RG, SVC, 'echo-api')) revisions.push(`${r.apiRevision}:${r.isCurrent}`);
    assert.deepEqual(revisions, ['1:true', '2:false']);
    const rev2Operations = [];
    for await (const o of client.apiOperation.listByApi(RG, SVC, 'echo-api;rev=2')) rev2Operations.push(o.name);
    assert.equal(rev2Operations.length, 6);
  });

  it('applies the "Allow HTTP" fix with If-Match: the blog\'s 404 becomes a 200 through the gateway', async () => {
    let master = '';
    for await (const s of client.subscription.list(RG, SVC)) if (s.name === 'master') master = s.name;
    assert.equal(master, 'master');
    const secrets = await client.subscription.listSecrets(RG, SVC, 'master');
    assert.ok(secrets.primaryKey);
    const headers = { 'Ocp-Apim-Subscription-Key': secrets.primaryKey };
    const blocked = await callGateway(tb, '/echo/resource?param1=sample', headers);
    assert.equal(blocked.status, 404);

    const eTag = (await client.api.getEntityTag(RG, SVC, 'echo-api')).eTag ?? '';
    assert.match(eTag, /^"/);
    tb.world.updateApi(SVC, 'echo-api', { description: 'changed behind our back' });
    const stale = await rejection(client.api.update(RG, SVC, 'echo-api', eTag, { protocols: ['http', 'https'] }));
    assert.equal(stale.statusCode, 412);
    assert.deepEqual(tb.world.api(SVC, 'echo-api').protocols, ['https']);

    const fresh = (await client.api.getEntityTag(RG, SVC, 'echo-api')).eTag ?? '';
    const updated = await client.api.update(RG, SVC, 'echo-api', fresh, { protocols: ['http', 'https'] });
    assert.deepEqual(updated.protocols, ['http', 'https']);
    assert.equal(updated.description, 'changed behind our back');
    await waitFor('the gateway to serve Echo over HTTP', async () => (await callGateway(tb, '/echo/resource?param1=sample', headers)).status === 200, 10_000);
  });

  it('lists APIM subscriptions without keys and reveals them only through listSecrets', async () => {
    const subs = [];
    for await (const s of client.subscription.list(RG, SVC)) subs.push(s);
    assert.equal(subs.length, 3);
    const master = subs.find((s) => s.name === 'master');
    assert.equal(master?.scope, `/subscriptions/${BLOG.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}/apis`);
    assert.equal(master?.primaryKey, undefined);
    const secrets = await client.subscription.listSecrets(RG, SVC, 'master');
    assert.equal(secrets.primaryKey, tb.world.service(SVC).subscriptions.get('master')?.primaryKey);
    assert.match(secrets.eTag ?? '', /^"/);
    const missing = await rejection(client.subscription.listSecrets(RG, SVC, 'nope'));
    assert.equal(missing.statusCode, 404);
  });

  it('shows changes made to the world directly, and the service read stays the same object', async () => {
    tb.world.putGateway(SVC, { name: 'made-in-world', locationData: { name: 'w' } });
    const got = await client.gateway.get(RG, SVC, 'made-in-world');
    assert.equal(got.locationData?.name, 'w');
    tb.world.deleteGateway(SVC, 'made-in-world');
    assert.equal((await rejection(client.gateway.get(RG, SVC, 'made-in-world'))).statusCode, 404);
  });
});
