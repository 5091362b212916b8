import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeContextClient } from '../../../src/kubernetes/client.ts';
import { readTokenFacts, tokenFacts } from '../../../src/kubernetes/gatewayToken.ts';
import type { KubeDeployment } from '../../../src/kubernetes/types.ts';

const TOKEN = 'GatewayKey rb-arc-gateway&202612270000&c2lnbmF0dXJlLXZlcnktc2VjcmV0';

function client(objects: Record<string, unknown>, asked: string[] = []): KubeContextClient {
  return {
    getJson: async (path: string) => {
      asked.push(path);
      if (!(path in objects)) throw Object.assign(new Error(`secrets is forbidden: ${path}`), { status: 403 });
      return objects[path];
    },
  } as unknown as KubeContextClient;
}

const deployment = (env: unknown[], envFrom: unknown[] = []): KubeDeployment =>
  ({
    metadata: { name: 'gw', namespace: 'apim' },
    spec: { template: { spec: { containers: [{ name: 'gw', image: 'mcr.microsoft.com/azure-api-management/gateway:v2', env, envFrom }] } } },
  }) as KubeDeployment;

describe('the gateway token in the cluster', () => {
  it('keeps the gateway id and the expiry, nothing of the signature', () => {
    const facts = tokenFacts(TOKEN, 'here');
    assert.deepEqual(facts, { gatewayId: 'rb-arc-gateway', expiresAt: new Date('2026-12-27T00:00:00.000Z'), source: 'here' });
    assert.ok(!JSON.stringify(facts).includes('c2lnbmF0dXJl'));
    assert.equal(tokenFacts('not a token', 'here'), undefined);
    assert.equal(tokenFacts('gw&202613450000&sig', 'here'), undefined, 'month 13 is no date');
  });

  it('follows a secretKeyRef (base64), a configMapKeyRef, a literal value and envFrom with a prefix', async () => {
    const secret = { data: { 'gateway-key': Buffer.from(TOKEN).toString('base64') } };
    const viaSecret = await readTokenFacts(client({ '/api/v1/namespaces/apim/secrets/gw-token': secret }), deployment([{ name: 'config.service.auth', valueFrom: { secretKeyRef: { name: 'gw-token', key: 'gateway-key' } } }]));
    assert.equal(viaSecret?.gatewayId, 'rb-arc-gateway');
    assert.equal(viaSecret?.source, 'Secret apim/gw-token key gateway-key');
    const viaMap = await readTokenFacts(client({ '/api/v1/namespaces/apim/configmaps/gw-env': { data: { 'gateway-key': TOKEN } } }), deployment([{ name: 'config.service.auth', valueFrom: { configMapKeyRef: { name: 'gw-env', key: 'gateway-key' } } }]));
    assert.equal(viaMap?.expiresAt.toISOString(), '2026-12-27T00:00:00.000Z');
    const literal = await readTokenFacts(client({}), deployment([{ name: 'config.service.auth', value: TOKEN }]));
    assert.equal(literal?.gatewayId, 'rb-arc-gateway');
    const fromPrefixed = await readTokenFacts(client({ '/api/v1/namespaces/apim/secrets/all': { data: { 'service.auth': Buffer.from(TOKEN).toString('base64') } } }), deployment([], [{ prefix: 'config.', secretRef: { name: 'all' } }]));
    assert.equal(fromPrefixed?.source, 'Secret apim/all key service.auth');
  });

  it('says nothing (rather than failing) when the Secret may not be read or is not there', async () => {
    const asked: string[] = [];
    const denied = await readTokenFacts(client({}, asked), deployment([{ name: 'config.service.auth', valueFrom: { secretKeyRef: { name: 'gw-token', key: 'gateway-key' } } }]));
    assert.equal(denied, undefined);
    assert.deepEqual(asked, ['/api/v1/namespaces/apim/secrets/gw-token']);
    assert.equal(await readTokenFacts(client({}), deployment([])), undefined);
  });

  it('rethrows when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(readTokenFacts(client({}), deployment([{ name: 'config.service.auth', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }]), abort.signal));
  });
});
