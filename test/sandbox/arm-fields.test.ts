// Fields Azure's own answers carry and the SDKs' typed models read, which the emulator once left out: `count` on APIM
// collections, `isOnline` on APIs, `createdAtUtc` / `gatewayRegionalUrl` / `publicIPAddresses` on the service, and
// `properties` / `error` on an extension's async-operation status. Shapes as in the REST specs' examples
// (Azure/azure-rest-api-specs: ApiManagementGetService.json, ApiManagementListApis.json,
// GetExtensionAsyncOperationStatus.json), read back through the real clients, unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiManagementClient, type ApiCollection, type GatewayCollection } from '@azure/arm-apimanagement';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { armClientOptions, startArmTestbed, type ArmTestbed } from './arm/testing.ts';
import { BLOG } from './worlds/index.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

describe('ARM emulator: fields of Azure’s answers, as the SDKs’ typed models see them', () => {
  let tb: ArmTestbed;
  before(async () => {
    tb = await startArmTestbed('blog-deployed', { kube: false });
  });
  after(() => tb.close());

  it('the APIM service carries createdAtUtc (a date), gatewayRegionalUrl and publicIPAddresses', async () => {
    const client = new ApiManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const service = await client.apiManagementService.get(BLOG.apim.resourceGroup, BLOG.apim.name);
    assert.ok(service.createdAtUtc instanceof Date && !Number.isNaN(service.createdAtUtc.getTime()), String(service.createdAtUtc));
    assert.match(service.gatewayRegionalUrl ?? '', new RegExp(`^https://${BLOG.apim.name}-[a-z0-9]+-01\\.regional\\.azure-api\\.net$`));
    assert.ok(Array.isArray(service.publicIPAddresses) && service.publicIPAddresses.length === 1);
    assert.match(service.publicIPAddresses[0] ?? '', IPV4);
    const again = await client.apiManagementService.get(BLOG.apim.resourceGroup, BLOG.apim.name);
    assert.deepEqual([again.createdAtUtc, again.publicIPAddresses], [service.createdAtUtc, service.publicIPAddresses], 'stable across reads');
  });

  it('APIM collections carry count, the total across pages; APIs carry isOnline', async () => {
    const client = new ApiManagementClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    const counts: Array<number | undefined> = [];
    const apis = [];
    const onResponse = (_raw: unknown, flat: unknown): void => void counts.push((flat as ApiCollection).count);
    for await (const api of client.api.listByService(BLOG.apim.resourceGroup, BLOG.apim.name, { onResponse })) apis.push(api);
    assert.ok(apis.length > 0);
    assert.ok(counts.length >= 1);
    for (const c of counts) assert.equal(c, apis.length, 'every page says how many there are in all');
    for (const api of apis) assert.equal(typeof api.isOnline, 'boolean', `${api.name} isOnline`);
    const filtered: Array<number | undefined> = [];
    for await (const g of client.gateway.listByService(BLOG.apim.resourceGroup, BLOG.apim.name, {
      filter: `name eq '${BLOG.gateway.name}'`,
      onResponse: (_raw: unknown, flat: unknown) => void filtered.push((flat as GatewayCollection).count),
    })) assert.equal(g.name, BLOG.gateway.name);
    assert.deepEqual(filtered, [1], 'count is after $filter');
  });

  it('an extension’s async-operation status carries properties and, once failed, error', async () => {
    const arc = new SourceControlConfigurationClient(tb.credential, BLOG.subscriptionId, armClientOptions(tb.arm));
    tb.arm.faults.failExtensionOperation({ operation: 'install', errorInfo: { code: 'HelmReleaseFailed', message: 'the agent could not pull the chart' } });
    const cluster = ['Microsoft.Kubernetes', 'connectedClusters', BLOG.arc.name] as const;
    await assert.rejects(
      arc.extensions.beginCreateAndWait(BLOG.arc.resourceGroup, ...cluster, 'fields', {
        extensionType: 'Microsoft.ApiManagement.Gateway',
        releaseTrain: 'preview',
        scope: { namespace: { targetNamespace: 'fields' } },
        configurationSettings: { 'gateway.configuration.uri': `https://${BLOG.apim.name}.configuration.azure-api.net` },
        configurationProtectedSettings: { 'gateway.auth.token': 'GatewayKey x' },
      }),
    );
    const polled = tb.arm.requests().map((r) => /\/extensions\/fields\/operations\/([^/?]+)/.exec(r.path)?.[1]).find((id) => id !== undefined);
    assert.ok(polled, 'the SDK polled the Azure-AsyncOperation URL');
    const status = await arc.operationStatus.get(BLOG.arc.resourceGroup, ...cluster, 'fields', polled);
    assert.equal(status.status, 'Failed');
    assert.deepEqual(status.properties, {});
    assert.deepEqual([status.error?.code, status.error?.message], ['HelmReleaseFailed', 'the agent could not pull the chart']);
  });
});
