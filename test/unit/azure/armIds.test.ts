import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { armIdWithin, gatewayApiName, namesExtension, parseApimGatewayId, parseApimGatewayItemId, parseApimServiceId, parseArcClusterId, parseArcExtensionId, parseArmId, sameArmId } from '../../../src/azure/armIds.ts';

const SUB = '7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57';
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/rb-arc-aks`;
const EXTENSION = `${CLUSTER}/providers/Microsoft.KubernetesConfiguration/extensions/rb-arc-aks-apimgw`;
const SERVICE = `/subscriptions/${SUB}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim`;
const GATEWAY = `${SERVICE}/gateways/rb-arc-gateway`;

describe('ARM ids', () => {
  it('parses an Arc cluster, its extension, an APIM service and gateway', () => {
    assert.deepEqual(parseArcClusterId(CLUSTER), { ok: true, value: { id: CLUSTER, subscriptionId: SUB, resourceGroup: 'rb-arc-rg', name: 'rb-arc-aks' } });
    const ext = parseArcExtensionId(EXTENSION);
    assert.ok(ext.ok);
    assert.equal(ext.value.name, 'rb-arc-aks-apimgw');
    assert.equal(ext.value.cluster.name, 'rb-arc-aks');
    assert.equal(ext.value.id, EXTENSION);
    const gw = parseApimGatewayId(GATEWAY);
    assert.ok(gw.ok);
    assert.equal(gw.value.name, 'rb-arc-gateway');
    assert.equal(gw.value.service.name, 'rb-azure-apim');
    assert.equal(gw.value.service.resourceGroup, 'rb-aks-rg');
  });

  it('reads ids in the hybrid SDK\'s casing (resourcegroups) and normalises them', () => {
    const lower = CLUSTER.replace('resourceGroups', 'resourcegroups').replace('Microsoft.Kubernetes', 'microsoft.kubernetes').replace('connectedClusters', 'connectedclusters');
    const parsed = parseArcClusterId(lower);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.id, CLUSTER);
    assert.ok(sameArmId(lower, CLUSTER));
  });

  it('gives the parent of a child id: cluster of an extension, service and gateway of an API', () => {
    const cluster = parseArcClusterId(EXTENSION);
    assert.ok(cluster.ok);
    assert.equal(cluster.value.id, CLUSTER);
    const gateway = parseApimGatewayId(`${GATEWAY}/apis/echo-api`);
    assert.ok(gateway.ok);
    assert.equal(gateway.value.id, GATEWAY);
    const service = parseApimServiceId(GATEWAY);
    assert.ok(service.ok);
    assert.equal(service.value.id, SERVICE);
  });

  it('refuses the wrong kind of resource, saying which was expected', () => {
    assert.match((parseArcClusterId(SERVICE) as { error: string }).error, /Not an Azure Arc-enabled Kubernetes cluster/);
    assert.match((parseApimServiceId(CLUSTER) as { error: string }).error, /Not an API Management service/);
    assert.match((parseApimGatewayId(SERVICE) as { error: string }).error, /Not an API Management self-hosted gateway/);
    assert.match((parseArcExtensionId(CLUSTER) as { error: string }).error, /Not an Arc cluster extension/);
    assert.match((parseArmId('/subscriptions/not-a-uuid/resourceGroups/rg/providers/P/t/n') as { error: string }).error, /uuid/);
    assert.match((parseArmId('hello') as { error: string }).error, /Not an ARM resource id/);
    assert.match((parseArmId(`${CLUSTER}/`) as { error: string }).error, /Not an ARM resource id/);
  });

  it('finds the id inside a prefixed tree id', () => {
    assert.equal(armIdWithin(`/accounts/a/tenants/t${CLUSTER}`), CLUSTER);
    assert.equal(armIdWithin('azure/sub:x'), undefined);
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      for (const parse of [parseArmId, parseArcClusterId, parseArcExtensionId, parseApimServiceId, parseApimGatewayId]) parse(s);
    }));
    fc.assert(fc.property(fc.array(fc.constantFrom('subscriptions', SUB, 'resourceGroups', 'rg', 'providers', 'Microsoft.ApiManagement', 'service', 's', 'gateways', 'g', '', '%'), { maxLength: 12 }), (parts) => {
      const id = `/${parts.join('/')}`;
      const r = parseApimGatewayId(id);
      if (r.ok) assert.ok(sameArmId(r.value.id, id.split('/').slice(0, 11).join('/')), id);
    }));
  });

  it('reads a gateway, API or operation id of our tree (Send Test Request’s start), and refuses anything else', () => {
    const gw = parseApimGatewayItemId(GATEWAY);
    assert.ok(gw.ok);
    assert.equal(gw.value.gateway.name, 'rb-arc-gateway');
    assert.equal(gw.value.gateway.service.id, SERVICE);
    assert.equal(gw.value.api, undefined);
    const op = parseApimGatewayItemId(`${GATEWAY}/apis/echo-api/operations/retrieve-resource`);
    assert.ok(op.ok);
    assert.deepEqual([op.value.gateway.id, op.value.api, op.value.operation], [GATEWAY, 'echo-api', 'retrieve-resource']);
    assert.equal(parseApimGatewayItemId(SERVICE).ok, false);
    assert.equal(parseApimGatewayItemId(CLUSTER).ok, false);
    assert.equal(gatewayApiName(`${GATEWAY}/apis/echo-api`), 'echo-api');
    assert.equal(gatewayApiName(GATEWAY), undefined);
    assert.equal(namesExtension(EXTENSION), true);
    assert.equal(namesExtension(CLUSTER), false);
  });
});
