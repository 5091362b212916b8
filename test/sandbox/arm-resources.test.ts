// The generic resource list (Microsoft.Resources, api-version 2021-04-01) that the Azure Resources explorer builds its
// tree from: the real ResourceManagementClient (@azure/arm-resources 5.x, the version line that explorer bundles)
// against the emulator, plus the wire details an SDK hides (nextLink, $skiptoken, $top, refused filters).
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { ResourceManagementClient, type GenericResourceExpanded } from '@azure/arm-resources';
import { armClientOptions, startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import { BLOG } from './worlds/index.ts';

const ARC_TYPE = 'Microsoft.Kubernetes/connectedClusters';
const APIM_TYPE = 'Microsoft.ApiManagement/service';

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

function get(tb: ArmTestbed, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https.get(new URL(path, tb.arm.url), { ca: tb.arm.caPem, headers: { Authorization: `Bearer ${tb.arm.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

describe('ARM generic resource list (Resources_List, 2021-04-01)', () => {
  let tb: ArmTestbed;
  let client: ResourceManagementClient;
  const list = `/subscriptions/${BLOG.subscriptionId}/resources?api-version=2021-04-01`;

  before(async () => {
    tb = await startArmTestbed('blog-deployed', { kube: false });
    // Three more clusters and a second service, so every list spans pages of the default size (2).
    for (const name of ['edge-a', 'edge-b', 'edge-c']) {
      tb.world.addArcCluster({
        subscriptionId: BLOG.subscriptionId, resourceGroup: 'edge-rg', name, location: 'northeurope', connectivityStatus: 'Connected',
        kubernetesVersion: '1.30.4', distribution: 'k3s', infrastructure: 'generic', agentVersion: '1.21.0', totalNodeCount: 1,
        totalCoreCount: 2, lastConnectivityTime: tb.world.now().toISOString(), provisioningState: 'Succeeded',
      });
    }
    tb.world.addService({
      subscriptionId: BLOG.subscriptionId, resourceGroup: 'edge-rg', name: 'edge-apim', location: 'North Europe',
      sku: { name: 'Premium', capacity: 2 }, publisherEmail: 'ops@example.com', publisherName: 'Edge',
    });
    client = new ResourceManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
  });
  after(() => tb.close());

  it('lists every Arc cluster and APIM service of the subscription, across pages, in the generic shape', async () => {
    const resources = await all(client.resources.list());
    assert.deepEqual(resources.map((r) => r.name).sort(), ['edge-a', 'edge-apim', 'edge-b', 'edge-c', BLOG.arc.name, BLOG.apim.name].sort());
    const arc = resources.find((r) => r.name === BLOG.arc.name) as GenericResourceExpanded;
    assert.equal(arc.id, `/subscriptions/${BLOG.subscriptionId}/resourceGroups/${BLOG.arc.resourceGroup}/providers/${ARC_TYPE}/${BLOG.arc.name}`);
    assert.equal(arc.type, ARC_TYPE);
    assert.equal(arc.location, 'westeurope');
    assert.deepEqual(arc.tags, {});
    assert.equal(arc.identity?.type, 'SystemAssigned');
    assert.match(arc.identity?.principalId ?? '', /^[0-9a-f-]{36}$/);
    const apim = resources.find((r) => r.name === 'edge-apim') as GenericResourceExpanded;
    assert.equal(apim.type, APIM_TYPE);
    assert.deepEqual(apim.sku, { name: 'Premium', capacity: 2 });
    assert.equal(apim.location, 'northeurope', 'the generic list writes the normalised region, not APIM\'s display name');
    for (const r of resources) assert.equal(r.properties, undefined, `${r.name}: the generic list carries no properties`);
    // Child resources (gateways, APIs) and extension resources (the Arc gateway extension) are not top-level.
    assert.ok(resources.every((r) => r.type === ARC_TYPE || r.type === APIM_TYPE), resources.map((r) => r.type).join(', '));
  });

  it('pages with an absolute nextLink carrying api-version, $top and an opaque $skiptoken', async () => {
    const first = await get(tb, `${list}&$top=4`);
    assert.equal(first.status, 200);
    assert.equal((first.json['value'] as unknown[]).length, 4);
    const next = new URL(String(first.json['nextLink']));
    assert.equal(next.origin, tb.arm.url);
    assert.equal(next.searchParams.get('api-version'), '2021-04-01');
    assert.equal(next.searchParams.get('$top'), '4');
    assert.ok(next.searchParams.get('$skiptoken'));
    const second = await get(tb, next.pathname + next.search);
    assert.equal((second.json['value'] as unknown[]).length, 2);
    assert.equal(second.json['nextLink'], undefined, 'the last page has no nextLink');
    const names = [...(first.json['value'] as Array<{ name: string }>), ...(second.json['value'] as Array<{ name: string }>)].map((r) => r.name);
    assert.equal(new Set(names).size, 6, 'no item twice, none lost');
    // The SDK's `top` goes the same way.
    assert.equal((await all(client.resources.list({ top: 1 }))).length, 6);
  });

  it('filters by resourceType case-insensitively, as ARM does, and by resource group', async () => {
    const arc = await all(client.resources.list({ filter: "resourceType eq 'microsoft.kubernetes/CONNECTEDCLUSTERS'" }));
    assert.deepEqual(arc.map((r) => r.name).sort(), ['edge-a', 'edge-b', 'edge-c', BLOG.arc.name]);
    const either = await all(client.resources.list({ filter: `resourceType eq '${APIM_TYPE}' or name eq 'EDGE-A'` }));
    assert.deepEqual(either.map((r) => r.name).sort(), ['edge-a', 'edge-apim', BLOG.apim.name]);
    const both = await all(client.resources.list({ filter: `resourceType eq '${ARC_TYPE}' and substringof('-B', name)` }));
    assert.deepEqual(both.map((r) => r.name), ['edge-b']);
    const group = await all(client.resources.listByResourceGroup('EDGE-RG', { filter: `resourceType eq '${APIM_TYPE}'` }));
    assert.deepEqual(group.map((r) => r.name), ['edge-apim']);
    const inBlogGroup = await all(client.resources.listByResourceGroup(BLOG.arc.resourceGroup));
    assert.deepEqual(inBlogGroup.map((r) => r.name), [BLOG.arc.name]);
  });

  it('refuses what ARM refuses instead of ignoring it', async () => {
    const badFilter = await get(tb, `${list}&$filter=${encodeURIComponent("kind eq 'x'")}`);
    assert.equal(badFilter.status, 400);
    assert.equal((badFilter.json['error'] as { code: string }).code, 'InvalidFilterInQueryString');
    const badTop = await get(tb, `${list}&$top=0`);
    assert.equal(badTop.status, 400);
    const badToken = await get(tb, `${list}&$skiptoken=nope`);
    assert.equal(badToken.status, 400);
    const noGroup = await get(tb, `/subscriptions/${BLOG.subscriptionId}/resourceGroups/missing-rg/resources?api-version=2021-04-01`);
    assert.equal(noGroup.status, 404);
    assert.equal((noGroup.json['error'] as { code: string }).code, 'ResourceGroupNotFound');
    const oldVersion = await get(tb, `/subscriptions/${BLOG.subscriptionId}/resources?api-version=2015-01-01`);
    assert.equal(oldVersion.status, 400);
    assert.equal((oldVersion.json['error'] as { code: string }).code, 'InvalidApiVersionParameter');
  });

  it('answers the other calls the explorer makes before it: tenants, subscriptions, resource groups', async () => {
    const tenants = await get(tb, '/tenants?api-version=2022-12-01');
    assert.deepEqual((tenants.json['value'] as Array<{ tenantId: string }>).map((t) => t.tenantId), [BLOG.tenantId]);
    const groups = await all(client.resourceGroups.list());
    assert.deepEqual(groups.map((g) => g.name).sort(), ['edge-rg', BLOG.arc.resourceGroup, BLOG.apim.resourceGroup].sort());
  });

  it('follows the world: a cluster added after the first call is listed by the next', async () => {
    const before = (await all(client.resources.list({ filter: `resourceType eq '${ARC_TYPE}'` }))).length;
    tb.world.addArcCluster({
      subscriptionId: BLOG.subscriptionId, resourceGroup: 'edge-rg', name: 'edge-d', location: 'northeurope', connectivityStatus: 'Offline',
      kubernetesVersion: '1.30.4', distribution: 'k3s', infrastructure: 'generic', agentVersion: '1.21.0', totalNodeCount: 1,
      totalCoreCount: 2, lastConnectivityTime: tb.world.now().toISOString(), provisioningState: 'Succeeded',
    });
    const afterAdd = await all(client.resources.list({ filter: `resourceType eq '${ARC_TYPE}'`, expand: 'provisioningState' }));
    assert.equal(afterAdd.length, before + 1);
    assert.ok(afterAdd.every((r) => r.provisioningState === 'Succeeded'));
  });
});
