// The pure parts of token rotation: the one expiry label, kubectl's restart patch, the token patch of a Secret, the
// sync verdict read from a gateway log, and the equivalent commands (never a token).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GatewayToken } from '../../../src/azure/tokens.ts';
import { describeTokenExpiry, expiresWithin, expiryDistance } from '../../../src/diagnosis/expiry.ts';
import { RESTARTED_AT, restartPatch, restartedAtValue } from '../../../src/kubernetes/rollout.ts';
import { tokenPatch } from '../../../src/kubernetes/tokenWriter.ts';
import { allowHttpCommand, createExtensionCommand, createGatewayCommand, deleteGatewayCommand, gatewayApiCommand, kubectlDeleteCommand, restartCommand, shellQuote, tokenCommand, uninstallCommand, updateSettingsCommand, updateTokenCommand } from '../../../src/rotation/equivalents.ts';
import { syncStateOfLog } from '../../../src/rotation/syncCheck.ts';
import { apimServiceNameOfEndpoint } from '../../../src/azure/gatewayJoin.ts';

const DAY = 86_400_000;
const EXT = '/subscriptions/7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/rb-arc-aks/providers/Microsoft.KubernetesConfiguration/extensions/rb-arc-aks-apimgw';
const GW = '/subscriptions/7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/gateways/rb-arc-gateway';

describe('expiry label', () => {
  it('reads a fresh token by its lifetime, for every lifetime 1–30 days', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 119 }), (days, lostSeconds) => {
      const now = Date.UTC(2026, 11, 7, 12, 0, 0);
      const text = describeTokenExpiry(now + days * DAY - lostSeconds * 1000, now);
      assert.equal(text, days === 1 ? 'expires in 24 hours' : `expires in ${days} days`);
    }));
  });

  it('never calls a future expiry expired, nor a past one future', () => {
    fc.assert(fc.property(fc.integer({ min: -40 * DAY, max: 40 * DAY }).filter((d) => d !== 0), (delta) => {
      const d = expiryDistance(1_800_000_000_000 + delta, 1_800_000_000_000);
      assert.equal(d.expired, delta < 0);
    }));
  });

  it('says when a token is within the warning window', () => {
    assert.equal(expiresWithin(7 * DAY, 0, 7), true);
    assert.equal(expiresWithin(7 * DAY + 1, 0, 7), false);
    assert.equal(expiresWithin(-1, 0, 7), true);
  });
});

describe('rollout restart', () => {
  it('is the strategic merge patch kubectl sends, RFC 3339 to the second', () => {
    const now = new Date('2026-12-07T15:04:05.678Z');
    assert.equal(restartedAtValue(now), '2026-12-07T15:04:05Z');
    assert.deepEqual(JSON.parse(restartPatch(now)), { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: '2026-12-07T15:04:05Z' } } } } });
  });
});

describe('token patch', () => {
  it('writes base64 into a Secret and text into a ConfigMap, under the one key', () => {
    const secret = JSON.parse(tokenPatch({ kind: 'secrets', namespace: 'gw', name: 'gw-token', key: 'config.service.auth.key', direct: false }, 'GatewayKey a&b&c')) as { data: Record<string, string> };
    assert.deepEqual(Object.keys(secret.data), ['config.service.auth.key']);
    assert.equal(Buffer.from(secret.data['config.service.auth.key'] ?? '', 'base64').toString('utf8'), 'GatewayKey a&b&c');
    assert.deepEqual(JSON.parse(tokenPatch({ kind: 'configmaps', namespace: 'gw', name: 'cm', key: 'config.service.auth', direct: true }, 'GatewayKey x')), { data: { 'config.service.auth': 'GatewayKey x' } });
  });
});

describe('configuration sync in a gateway log', () => {
  it('reads success and failure from text and JSON logs, the latest line winning', () => {
    assert.equal(syncStateOfLog('[Info] 2026-12-07T10:00:00.000 [TenantStarted], message: Tenant lifecycle id: 1 in 00:00:01'), 'synced');
    assert.equal(syncStateOfLog('{"level":"Informational","eventType":"EventSnapshotRestored"}'), 'synced');
    assert.equal(syncStateOfLog('[Error] x [LoadingConfigurationFailed], message: https://a, error: 401 (Unauthorized).'), 'failed');
    assert.equal(syncStateOfLog('[TenantStarted]\n[Warn] [ConfigurationSyncFailed] 401'), 'failed');
    assert.equal(syncStateOfLog('[Info] [HostBootstrapperStarted]'), 'unknown');
  });
});

describe('equivalent commands', () => {
  it('never carry a token, only <token>', () => {
    const token = new GatewayToken('rb-arc-gateway&202701061546&c2VjcmV0U2lnbmF0dXJl', 'rb-arc-gateway', 'secondary', new Date());
    const text = [updateTokenCommand(EXT, 'gateway.auth.token'), tokenCommand(GW, 'secondary', new Date('2027-01-06T15:46:00Z')), String(token)].join('\n');
    assert.doesNotMatch(text, /c2VjcmV0U2lnbmF0dXJl/);
    assert.match(updateTokenCommand(EXT, 'gateway.auth.token'), /^az k8s-extension update --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --config-protected-settings 'gateway\.auth\.token=<token>'$/);
  });

  it('name the extension and the settings as az and kubectl take them', () => {
    assert.equal(restartCommand('apim', 'rb-arc-aks-apimgw'), 'kubectl rollout restart deployment/rb-arc-aks-apimgw -n apim');
    assert.equal(updateSettingsCommand(EXT, { settings: { replicaCount: '3', 'telemetry.logs.std': 'json' } }),
      'az k8s-extension update --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --configuration-settings replicaCount=3 --configuration-settings telemetry.logs.std=json');
  });

  it('an install reads as the documented az k8s-extension create, the token as <token>', () => {
    const cmd = createExtensionCommand(EXT, { extensionType: 'Microsoft.ApiManagement.Gateway', releaseTrain: 'stable', scope: { namespace: { targetNamespace: 'apim' } }, configurationSettings: { 'gateway.configuration.uri': 'https://rb-azure-apim.configuration.azure-api.net', 'service.type': 'ClusterIP' } }, 'gateway.auth.token');
    assert.equal(cmd, "az k8s-extension create --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --extension-type Microsoft.ApiManagement.Gateway --scope namespace --target-namespace apim --release-train stable --configuration-settings gateway.configuration.uri=https://rb-azure-apim.configuration.azure-api.net --configuration-settings service.type=ClusterIP --config-protected-settings 'gateway.auth.token=<token>'");
  });

  it('uninstall, delete, assign, remove and Allow HTTP read as az and kubectl take them (what the log records)', () => {
    const SERVICE = GW.replace(/\/gateways\/[^/]+$/, '');
    assert.equal(uninstallCommand(EXT), 'az k8s-extension delete --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --yes');
    assert.equal(deleteGatewayCommand(GW), `az rest --method delete --url '${GW}?api-version=2024-05-01' --headers If-Match='*'`);
    assert.equal(gatewayApiCommand(GW, 'echo-api', 'assign'), `az rest --method put --url '${GW}/apis/echo-api?api-version=2024-05-01'`);
    assert.equal(gatewayApiCommand(GW, 'echo-api', 'remove'), `az rest --method delete --url '${GW}/apis/echo-api?api-version=2024-05-01'`);
    assert.equal(allowHttpCommand(SERVICE, 'echo-api'), 'az apim api update --resource-group rb-aks-rg --service-name rb-azure-apim --api-id echo-api --protocols http https');
    assert.equal(allowHttpCommand('not an id', 'echo-api'), "az apim api update --resource-group '<resource-group>' --service-name '<service>' --api-id echo-api --protocols http https");
    assert.equal(kubectlDeleteCommand('apim', [{ kind: 'Deployment', name: 'gw' }, { kind: 'Secret', name: 'gw-token' }]), 'kubectl delete deployment/gw -n apim && kubectl delete secret/gw-token -n apim');
    assert.equal(createGatewayCommand(GW, { name: 'rb-arc', city: 'Oslo' }, undefined),
      `az rest --method put --url '${GW}?api-version=2024-05-01' --body '{"properties":{"locationData":{"name":"rb-arc","city":"Oslo"}}}'`);
  });

  it('quote a hostile API or object name so the shell sees one argument', () => {
    assert.equal(allowHttpCommand(GW.replace(/\/gateways\/[^/]+$/, ''), "x'; rm -rf / #"), `az apim api update --resource-group rb-aks-rg --service-name rb-azure-apim --api-id 'x'"'"'; rm -rf / #' --protocols http https`);
    assert.equal(kubectlDeleteCommand('apim', [{ kind: 'Secret', name: '$(whoami)' }]), "kubectl delete secret/'$(whoami)' -n apim");
  });

  it('quote anything a shell would split or expand', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const quoted = shellQuote(value);
      if (quoted.startsWith("'")) assert.equal(quoted.slice(1, -1).replace(/'"'"'/g, "'"), value);
      else assert.match(quoted, /^[A-Za-z0-9_@%+=:,./-]+$/);
    }));
  });
});

describe('the APIM service an endpoint names', () => {
  it('reads v2, v1 and bare endpoints, nothing else', () => {
    assert.equal(apimServiceNameOfEndpoint('https://rb-azure-apim.configuration.azure-api.net'), 'rb-azure-apim');
    assert.equal(apimServiceNameOfEndpoint('rb-azure-apim.configuration.azure-api.net'), 'rb-azure-apim');
    assert.equal(apimServiceNameOfEndpoint('https://rb-azure-apim.management.azure-api.net/subscriptions/x/resourceGroups/y/providers/Microsoft.ApiManagement/service/rb-azure-apim?api-version=2021-01-01-preview'), 'rb-azure-apim');
    assert.equal(apimServiceNameOfEndpoint('https://evil.example/rb-azure-apim.configuration.azure-api.net'), undefined);
    assert.equal(apimServiceNameOfEndpoint(undefined), undefined);
  });
});
