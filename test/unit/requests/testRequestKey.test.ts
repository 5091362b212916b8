// Two Deployments of one APIM gateway (two clusters, or two namespaces) each get their own Test Request view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testRequestKey } from '../../../src/requests/controller.ts';

describe('testRequestKey', () => {
  it('tells apart Deployments of one gateway by context, namespace and name', () => {
    const keys = [
      { context: 'rb-arc-aks', namespace: 'apim', deployment: 'gw' },
      { context: 'rb-arc-aks', namespace: 'apim2', deployment: 'gw' },
      { context: 'other', namespace: 'apim', deployment: 'gw' },
      { context: 'rb-arc-aks', namespace: 'apim', deployment: 'gw-2' },
    ].map(testRequestKey);
    assert.equal(new Set(keys).size, keys.length);
  });
});
