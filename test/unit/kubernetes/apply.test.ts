import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyManifests, explainApplyFailure, objectPath } from '../../../src/kubernetes/apply.ts';
import type { KubeContextClient, RawRequest, RawResponse } from '../../../src/kubernetes/client.ts';
import { gatewayManifests, type GatewayManifestOptions } from '../../../src/manifests/gatewayManifests.ts';

const TOKEN = 'gw1&202701060000&c2lnbmF0dXJlLXZlcnktc2VjcmV0LXNpZ25hdHVyZQ==';
const options: GatewayManifestOptions = {
  configurationEndpoint: 'https://contoso-apim.configuration.azure-api.net', gatewayName: 'gw1', name: 'gw1', namespace: 'edge',
  imageTag: 'v2', replicas: 1, serviceType: 'ClusterIP', httpPort: 8080, httpsPort: 8081, logFormat: 'text',
};

function client(answer: (request: RawRequest) => { status: number; body: unknown }, sent: RawRequest[] = []): KubeContextClient {
  return {
    context: 'c', server: 'https://127.0.0.1:1',
    send: async (request: RawRequest): Promise<RawResponse> => {
      sent.push(request);
      const { status, body } = answer(request);
      const buffer = Buffer.from(JSON.stringify(body));
      return { status, statusText: '', headers: {}, body: buffer, size: buffer.length };
    },
  } as unknown as KubeContextClient;
}

describe('server-side apply of the gateway manifests', () => {
  it('sends each object as an apply patch by arc-apim-gateway and reports created / configured', async () => {
    const sent: RawRequest[] = [];
    const steps: string[] = [];
    const objects = gatewayManifests(options, { kind: 'value', value: TOKEN });
    const result = await applyManifests(client((r) => ({ status: r.path.endsWith('/configmaps/gw1-env') ? 200 : 201, body: {} }), sent), objects, { onProgress: (s) => steps.push(s) }, new AbortController().signal);
    assert.deepEqual(result, { ok: true, applied: ['Secret edge/gw1-token', 'ConfigMap edge/gw1-env', 'Deployment edge/gw1', 'Service edge/gw1'] });
    assert.deepEqual(steps, ['Secret edge/gw1-token created', 'ConfigMap edge/gw1-env configured', 'Deployment edge/gw1 created', 'Service edge/gw1 created']);
    assert.deepEqual(sent.map((r) => [r.method, r.path, r.headers?.['Content-Type'], r.query?.['fieldManager'], r.query?.['force']]), [
      ['PATCH', '/api/v1/namespaces/edge/secrets/gw1-token', 'application/apply-patch+yaml', 'arc-apim-gateway', false],
      ['PATCH', '/api/v1/namespaces/edge/configmaps/gw1-env', 'application/apply-patch+yaml', 'arc-apim-gateway', false],
      ['PATCH', '/apis/apps/v1/namespaces/edge/deployments/gw1', 'application/apply-patch+yaml', 'arc-apim-gateway', false],
      ['PATCH', '/api/v1/namespaces/edge/services/gw1', 'application/apply-patch+yaml', 'arc-apim-gateway', false],
    ]);
  });

  it('a refusal that echoes the Secret\'s value (raw or base64) never carries it into the message', async () => {
    const objects = gatewayManifests(options, { kind: 'value', value: TOKEN });
    const encoded = (objects[0] as unknown as { data: Record<string, string> }).data['config.service.auth']!;
    for (const echoed of [encoded, `GatewayKey ${TOKEN}`, TOKEN]) {
      const result = await applyManifests(client(() => ({
        status: 422,
        body: { kind: 'Status', reason: 'Invalid', message: `Secret "gw1-token" is invalid: data[config.service.auth]: Invalid value: "${echoed}": bad` },
      })), objects, { onProgress: () => undefined }, new AbortController().signal);
      assert.equal(result.ok, false);
      const message = result.ok ? '' : result.message;
      assert.match(message, /Secret edge\/gw1-token: the cluster refused the object/);
      for (const secret of [encoded, TOKEN, 'c2lnbmF0dXJlLXZlcnktc2VjcmV0']) assert.equal(message.includes(secret), false, message);
    }
  });

  it('explains a conflict by field and manager, and an RBAC refusal by verb, resource and namespace', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw1', namespace: 'edge' } };
    const conflict = explainApplyFailure(deployment, 409, {
      reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" using apps/v1', field: '.spec.replicas' }] },
    });
    assert.equal(conflict.kind, 'conflict');
    assert.match(conflict.message, /^Deployment edge\/gw1: \.spec\.replicas is managed by "kubectl-scale"\./);
    const forbidden = explainApplyFailure(deployment, 403, {
      reason: 'Forbidden', message: 'deployments.apps "gw1" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "edge"',
    });
    assert.equal(forbidden.kind, 'forbidden');
    assert.match(forbidden.message, /your account may not patch deployments \(API group apps\) in namespace edge\. Ask a cluster administrator for a Role in edge that allows get, create, patch and delete on deployments/);
    assert.equal(objectPath({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } }), '/api/v1/namespaces/edge');
  });
});
