import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGatewayExtension, defaultExtensionName, describeSettingStyle, gatewayServiceName, isGatewayExtensionType, serviceTypeOf, settingStyleOf } from '../../../src/azure/gatewayExtension.ts';
import { checkExtensionName } from '../../../src/azure/validation.ts';

const plan = { namespace: 'apim', releaseTrain: 'preview', serviceType: 'LoadBalancer', logFormat: 'json', configurationEndpoint: 'https://rb-azure-apim.configuration.azure-api.net' } as const;

describe('gateway extension request', () => {
  it('current setting names: endpoint, service type, log format; the token goes under gateway.auth.token, added by the caller', () => {
    const { body, protectedSettingName } = buildGatewayExtension({ ...plan, style: 'current' });
    assert.equal(protectedSettingName, 'gateway.auth.token');
    assert.deepEqual(body, {
      extensionType: 'Microsoft.ApiManagement.Gateway',
      autoUpgradeMinorVersion: true,
      releaseTrain: 'preview',
      scope: { namespace: { targetNamespace: 'apim' } },
      configurationSettings: { 'gateway.configuration.uri': plan.configurationEndpoint, 'service.type': 'LoadBalancer', 'telemetry.logs.std': 'json' },
    });
    assert.ok(!('configurationProtectedSettings' in body), 'no protected settings (no token) in what is built here');
  });

  it('2021 setting names, as in the seed blog', () => {
    const { body, protectedSettingName } = buildGatewayExtension({ ...plan, style: 'legacy' });
    assert.equal(protectedSettingName, 'gateway.authKey');
    assert.deepEqual(Object.keys(body.configurationSettings).sort(), ['gateway.endpoint', 'service.Type', 'telemetry.logs.std']);
  });

  it('reads back which names an installed extension uses, and its Service type', () => {
    assert.equal(settingStyleOf({ 'gateway.configuration.uri': 'x' }), 'current');
    assert.equal(settingStyleOf({ 'gateway.endpoint': 'x', 'service.Type': 'NodePort' }), 'legacy');
    assert.equal(settingStyleOf({}), undefined);
    assert.equal(serviceTypeOf({ 'service.Type': 'NodePort' }), 'NodePort');
    assert.equal(serviceTypeOf({}), 'ClusterIP');
    assert.match(describeSettingStyle('legacy'), /gateway\.endpoint \/ gateway\.authKey \(2021\)/);
    assert.ok(isGatewayExtensionType('microsoft.apimanagement.gateway'));
    assert.ok(!isGatewayExtensionType('microsoft.flux'));
  });

  it('names the Service like the chart and proposes valid extension names', () => {
    assert.equal(gatewayServiceName('rb-arc-aks-apimgw'), 'rb-arc-aks-apimgw-azure-api-management-gateway');
    assert.equal(defaultExtensionName('rb-arc-aks'), 'rb-arc-aks-apimgw');
    for (const cluster of ['RB_Arc.AKS', 'x'.repeat(80), '--', 'Ünïcode cluster']) {
      const name = defaultExtensionName(cluster);
      assert.equal(checkExtensionName(name), undefined, `${cluster} → ${name}`);
    }
  });
});
