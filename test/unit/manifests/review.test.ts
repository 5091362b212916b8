import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dockerContainerName, dockerEnvFile, dockerRunCommand } from '../../../src/manifests/docker.ts';
import { gatewayManifests, manifestsYaml, type GatewayManifestOptions } from '../../../src/manifests/gatewayManifests.ts';
import { objectsFromReviewedYaml, withToken } from '../../../src/manifests/review.ts';

const TOKEN = 'gw1&202701060000&c2lnbmF0dXJlLXZlcnktc2VjcmV0';
const options: GatewayManifestOptions = {
  configurationEndpoint: 'https://contoso-apim.configuration.azure-api.net', gatewayName: 'gw1', name: 'gw1', namespace: 'apim',
  imageTag: 'v2', replicas: 1, serviceType: 'ClusterIP', httpPort: 8080, httpsPort: 8081, logFormat: 'text',
};

describe('reviewed YAML', () => {
  it('reads back the generated objects; the token goes into the Secret as the builder would put it', () => {
    const reviewed = objectsFromReviewedYaml(manifestsYaml(gatewayManifests(options, { kind: 'placeholder' })));
    assert.ok(reviewed.ok, reviewed.ok ? '' : reviewed.error);
    assert.deepEqual(reviewed.objects, gatewayManifests(options, { kind: 'placeholder' }));
    assert.deepEqual(withToken(reviewed.objects, reviewed.secretIndex, TOKEN), gatewayManifests(options, { kind: 'value', value: TOKEN }));
    assert.equal(JSON.stringify(reviewed.objects).includes(TOKEN), false, 'the reviewed objects are not changed');
  });

  it('keeps the user\'s edits', () => {
    const text = manifestsYaml(gatewayManifests(options, { kind: 'placeholder' })).replace('replicas: 1', 'replicas: 4');
    const reviewed = objectsFromReviewedYaml(text);
    assert.ok(reviewed.ok);
    assert.equal((reviewed.objects[2]!['spec'] as { replicas: number }).replicas, 4);
  });

  it('refuses what it cannot apply, naming why', () => {
    const yaml = manifestsYaml(gatewayManifests(options, { kind: 'placeholder' }));
    const refuse = (text: string, pattern: RegExp) => {
      const r = objectsFromReviewedYaml(text);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error, pattern);
    };
    refuse(yaml.replace('GatewayKey <token>', 'GatewayKey something'), /Exactly one Secret must hold "GatewayKey <token>"/);
    refuse(`${yaml}---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: x\n`, /is a ClusterRole: only/);
    refuse(yaml.replace('apiVersion: apps/v1', 'apiVersion: apps/v1beta1'), /must be apps\/v1/);
    refuse('a: [1, 2', /not valid YAML|cannot be read/);
    refuse('- 1\n- 2\n', /not a Kubernetes object/);
  });

  it('property: any text either parses to objects or gives a reason, and never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      const r = objectsFromReviewedYaml(text);
      return r.ok ? r.objects.length > 0 : r.error.length > 0;
    }));
  });
});

describe('docker', () => {
  it('the command names the env file and never the token', () => {
    assert.equal(dockerRunCommand('gw1', '2.11.1'), 'docker run -d -p 80:8080 -p 443:8081 --name gw1 --env-file env.conf mcr.microsoft.com/azure-api-management/gateway:2.11.1');
    assert.equal(dockerContainerName('my gateway!'), 'my-gateway-');
    const env = dockerEnvFile({ gatewayName: 'gw1', configurationEndpoint: options.configurationEndpoint, logFormat: 'json' });
    assert.match(env, /^config\.service\.endpoint=https:\/\/contoso-apim\.configuration\.azure-api\.net$/m);
    assert.match(env, /^config\.service\.auth=GatewayKey <token>$/m);
    assert.match(env, /^telemetry\.logs\.std=json$/m);
  });
});
