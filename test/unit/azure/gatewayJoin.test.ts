// Which gateway a 2021-era endpoint names; the join falls back to the running token when none does.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apimGatewayNameOfEndpoint, apimServiceNameOfEndpoint } from '../../../src/azure/gatewayJoin.ts';

const SERVICE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/rb-azure-apim';

describe('apimGatewayNameOfEndpoint', () => {
  it('reads the gateway a v1 endpoint names in its path', () => {
    assert.equal(apimGatewayNameOfEndpoint(`https://rb-azure-apim.management.azure-api.net${SERVICE}/gateways/rb-arc-gateway?api-version=2021-01-01-preview`), 'rb-arc-gateway');
    assert.equal(apimServiceNameOfEndpoint(`https://rb-azure-apim.management.azure-api.net${SERVICE}/gateways/rb-arc-gateway?api-version=2021-01-01-preview`), 'rb-azure-apim');
  });

  it('names no gateway for the v2 endpoint or a v1 endpoint of the service alone', () => {
    assert.equal(apimGatewayNameOfEndpoint('https://rb-azure-apim.configuration.azure-api.net'), undefined);
    assert.equal(apimGatewayNameOfEndpoint(`https://rb-azure-apim.management.azure-api.net${SERVICE}?api-version=2021-01-01-preview`), undefined);
    assert.equal(apimGatewayNameOfEndpoint(undefined), undefined);
    assert.equal(apimGatewayNameOfEndpoint(`https://x.management.azure-api.net${SERVICE}/gateways/%E0%A4%A`), undefined, 'a malformed escape is no name');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const name = apimGatewayNameOfEndpoint(text);
      assert.ok(name === undefined || (name.length > 0 && !name.includes('/')));
    }));
  });
});
