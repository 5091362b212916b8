import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { armScope, resolveCloud } from '../../../src/azure/clouds.ts';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

describe('clouds', () => {
  it('knows the public and sovereign clouds, their ARM endpoints, audiences and sign-in providers', () => {
    const pub = ok(resolveCloud(undefined, undefined));
    assert.equal(pub.name, 'AzureCloud');
    assert.equal(pub.resourceManagerEndpoint, 'https://management.azure.com');
    assert.equal(armScope(pub), 'https://management.core.windows.net//.default');
    assert.equal(pub.authProvider, 'microsoft');
    const gov = ok(resolveCloud('AzureUSGovernment', undefined));
    assert.equal(gov.resourceManagerEndpoint, 'https://management.usgovcloudapi.net');
    assert.equal(armScope(gov), 'https://management.core.usgovcloudapi.net//.default');
    assert.equal(gov.authProvider, 'microsoft-sovereign-cloud');
    assert.equal(gov.sovereignEnvironment, 'USGovernment');
    const china = ok(resolveCloud('AzureChinaCloud', undefined));
    assert.equal(china.resourceManagerEndpoint, 'https://management.chinacloudapi.cn');
    assert.equal(china.authority, 'https://login.chinacloudapi.cn');
    assert.equal(china.sovereignEnvironment, 'ChinaCloud');
  });

  it('builds a custom cloud: audience defaults to the ARM endpoint, CA file kept', () => {
    const custom = ok(resolveCloud('custom', { resourceManagerEndpoint: 'https://127.0.0.1:41805/', caFile: '/tmp/ca.pem' }));
    assert.equal(custom.resourceManagerEndpoint, 'https://127.0.0.1:41805');
    assert.equal(custom.audience, 'https://127.0.0.1:41805');
    assert.equal(armScope(custom), 'https://127.0.0.1:41805/.default');
    assert.equal(custom.caFile, '/tmp/ca.pem');
    assert.equal(custom.displayName, 'Custom cloud (127.0.0.1:41805)');
    const stack = ok(resolveCloud('custom', { resourceManagerEndpoint: 'https://management.local.azurestack.external', audience: 'https://management.adfs.azurestack.local/abc/' }));
    assert.equal(armScope(stack), 'https://management.adfs.azurestack.local/abc//.default');
  });

  it('names the setting and the rule when a custom cloud is not usable', () => {
    const error = (name: unknown, custom?: Record<string, unknown>): string => {
      const r = resolveCloud(name, custom);
      assert.ok(!r.ok);
      return r.error;
    };
    assert.match(error('Moon'), /arcApimGateway\.azure\.cloud must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud, custom/);
    assert.match(error('custom', {}), /customCloud\.resourceManagerEndpoint is required: an https:\/\/ URL \(Azure Resource Manager is served over HTTPS only\)/);
    assert.match(error('custom', { resourceManagerEndpoint: 'http://127.0.0.1:1' }), /must be an https:\/\/ URL/);
    assert.match(error('custom', { resourceManagerEndpoint: 'https://u:p@host' }), /must not carry credentials/);
    assert.match(error('custom', { resourceManagerEndpoint: 'https://host', authority: 'ftp://x' }), /customCloud\.authority must be an https:\/\/ URL/);
    assert.match(error('custom', { resourceManagerEndpoint: 'https://host', caFile: 'ca.pem' }), /caFile must be an absolute path/);
  });
});
