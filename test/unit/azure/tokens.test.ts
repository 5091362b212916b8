import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { configurationEndpoint, describeExpiry, GatewayToken, isV1ConfigurationEndpoint, tokenExpiry } from '../../../src/azure/tokens.ts';
import { redact } from '../../../src/util/redact.ts';

const TOKEN = 'rb-arc-gateway&202612271200&Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg=';

describe('gateway tokens', () => {
  it('never print their value: string, JSON, template, inspect', () => {
    const token = new GatewayToken(TOKEN, 'rb-arc-gateway', 'primary', new Date('2026-12-27T12:00:00Z'));
    assert.equal(String(token), '[gateway token]');
    assert.equal(`${token}`, '[gateway token]');
    assert.equal(JSON.stringify({ token }), '{"token":"[gateway token]"}');
    assert.doesNotMatch(inspect(token), /Zm9v/);
    assert.doesNotMatch(inspect({ nested: [token] }, { depth: 5 }), /Zm9v/);
    assert.equal(token.reveal(), TOKEN);
    assert.equal(token.revealForGatewayConfig(), `GatewayKey ${TOKEN}`);
  });

  it('carry their expiry (UTC, minute precision), with or without the GatewayKey prefix', () => {
    assert.equal(tokenExpiry(TOKEN)?.toISOString(), '2026-12-27T12:00:00.000Z');
    assert.equal(tokenExpiry(`GatewayKey ${TOKEN}`)?.toISOString(), '2026-12-27T12:00:00.000Z');
    assert.equal(tokenExpiry('gw&202613011200&sig'), undefined, 'month 13');
    assert.equal(tokenExpiry('not a token'), undefined);
  });

  it('round-trip any expiry through the token format', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true }), (d) => {
      const at = new Date(Math.floor(d.getTime() / 60_000) * 60_000);
      const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
      assert.equal(tokenExpiry(`gw-1&${stamp}&c2lnbmF0dXJlc2lnbmF0dXJl`)?.getTime(), at.getTime());
    }));
  });

  it('are masked by the log redactor as a last line of defence', () => {
    assert.doesNotMatch(redact(`minted ${TOKEN} for you`), /Zm9v/);
    assert.doesNotMatch(redact(`gateway.auth.token=GatewayKey ${TOKEN}`), /Zm9v/);
  });

  it('describe their expiry relative to now', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    assert.equal(describeExpiry(new Date('2026-12-27T12:00:00Z'), now), 'expires in 30 days');
    assert.equal(describeExpiry(new Date('2026-11-27T17:20:00Z'), now), 'expires in 5 hours');
    // Right after minting (expiry cut to the minute): a 30-day token reads 30 days, a 1-day token 24 hours.
    assert.equal(describeExpiry(new Date('2026-12-27T11:59:00Z'), new Date('2026-11-27T11:59:42Z')), 'expires in 30 days');
    assert.equal(describeExpiry(new Date('2026-11-28T11:59:00Z'), new Date('2026-11-27T11:59:42Z')), 'expires in 24 hours');
    assert.equal(describeExpiry(new Date('2026-11-25T12:00:00Z'), now), 'expired 2 days ago');
  });
});

describe('configuration endpoint', () => {
  it('is the v2 endpoint in the service\'s own domain', () => {
    assert.equal(configurationEndpoint({ name: 'rb-azure-apim', managementApiUrl: 'https://rb-azure-apim.management.azure-api.net' }), 'https://rb-azure-apim.configuration.azure-api.net');
    assert.equal(configurationEndpoint({ name: 'gov', managementApiUrl: 'https://gov.management.azure-api.us' }), 'https://gov.configuration.azure-api.us');
    assert.equal(configurationEndpoint({ name: 'cn', managementApiUrl: 'https://cn.management.azure-api.cn' }), 'https://cn.configuration.azure-api.cn');
    assert.equal(configurationEndpoint({ name: 'x', managementApiUrl: undefined }), 'https://x.configuration.azure-api.net');
    assert.equal(configurationEndpoint({ name: 'x', managementApiUrl: 'not a url' }), 'https://x.configuration.azure-api.net');
  });

  it('recognises the retired v1 endpoint', () => {
    assert.ok(isV1ConfigurationEndpoint('https://rb-azure-apim.management.azure-api.net/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/rb-azure-apim?api-version=2021-01-01-preview'));
    assert.ok(!isV1ConfigurationEndpoint('https://rb-azure-apim.configuration.azure-api.net'));
  });
});
