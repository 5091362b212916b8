import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import YAML from 'yaml';
import {
  gatewayManifests, manifestsYaml, secretTokenRef, TOKEN_PLACEHOLDER, type GatewayManifestOptions, type Manifest,
} from '../../../src/manifests/gatewayManifests.ts';
import { checkNamespaceName, checkObjectName, checkPort, checkReplicas, validateManifestOptions } from '../../../src/manifests/validation.ts';

const TOKEN = 'gw1&202701060000&c2lnbmF0dXJlLXZlcnktc2VjcmV0';

const base: GatewayManifestOptions = {
  configurationEndpoint: 'https://contoso-apim.configuration.azure-api.net', gatewayName: 'gw1', name: 'gw1', namespace: 'apim', imageTag: 'v2', replicas: 1,
  serviceType: 'LoadBalancer', httpPort: 80, httpsPort: 443, logFormat: 'text',
};

const labels = { 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': 'gw1', 'app.kubernetes.io/managed-by': 'arc-apim-gateway' };
const selector = { 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': 'gw1' };

/** The expected objects, stating only what an option changes. */
function expected(o: Partial<GatewayManifestOptions> = {}, secretBody: Record<string, unknown> = { stringData: { 'config.service.auth': `GatewayKey ${TOKEN_PLACEHOLDER}` } }): Manifest[] {
  const opt = { ...base, ...o };
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'http', scheme: 'HTTP' }, periodSeconds, failureThreshold: 3, successThreshold: 1 });
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gw1-token', namespace: 'apim', labels }, type: 'Opaque', ...secretBody },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gw1-env', namespace: 'apim', labels },
      data: {
        'gateway.name': 'gw1',
        'config.service.endpoint': 'https://contoso-apim.configuration.azure-api.net',
        'telemetry.logs.std': opt.logFormat,
        'telemetry.logs.std.level': 'info',
        'runtime.deployment.artifact.source': 'Arc APIM Gateway for VS Code',
        'runtime.deployment.mechanism': 'YAML',
        'runtime.deployment.orchestrator.type': 'Kubernetes',
      },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gw1', namespace: 'apim', labels },
      spec: {
        replicas: opt.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 60,
            containers: [{
              name: 'gateway',
              image: `mcr.microsoft.com/azure-api-management/gateway:${opt.imageTag}`,
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'https', containerPort: 8081, protocol: 'TCP' }],
              readinessProbe: probe('/internal-status-0123456789abcdef', 5),
              livenessProbe: probe('/status-0123456789abcdef', 10),
              envFrom: [{ configMapRef: { name: 'gw1-env' } }, { secretRef: { name: 'gw1-token' } }],
            }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw1', namespace: 'apim', labels },
      spec: {
        type: opt.serviceType, selector,
        ports: [
          { name: 'http', port: opt.httpPort, targetPort: 'http', protocol: 'TCP' },
          { name: 'https', port: opt.httpsPort, targetPort: 'https', protocol: 'TCP' },
        ],
      },
    },
  ];
}

describe('gateway manifests', () => {
  it('defaults: Secret with the placeholder, ConfigMap, Deployment and LoadBalancer Service', () => {
    assert.deepEqual(gatewayManifests(base, { kind: 'placeholder' }), expected());
  });

  for (const change of [
    { serviceType: 'ClusterIP' }, { serviceType: 'NodePort' }, { replicas: 3 }, { imageTag: '2.11.1' },
    { logFormat: 'json' }, { logFormat: 'none' }, { httpPort: 8080, httpsPort: 8081 },
  ] as Partial<GatewayManifestOptions>[]) {
    it(`option ${JSON.stringify(change)}`, () => {
      assert.deepEqual(gatewayManifests({ ...base, ...change }, { kind: 'placeholder' }), expected(change));
    });
  }

  it('the applied Secret carries GatewayKey <token> as base64 data, and only it does', () => {
    const objects = gatewayManifests(base, { kind: 'value', value: TOKEN });
    const encoded = Buffer.from(`GatewayKey ${TOKEN}`).toString('base64');
    assert.deepEqual(objects, expected({}, { data: { 'config.service.auth': encoded } }));
    assert.equal(JSON.stringify(objects.slice(1)).includes(TOKEN), false);
  });

  it('the review YAML holds the placeholder and never the token; its documents parse back to the objects', () => {
    const text = manifestsYaml(gatewayManifests(base, { kind: 'placeholder' }));
    assert.ok(text.includes('GatewayKey <token>'));
    assert.deepEqual(YAML.parseAllDocuments(text).map((d) => d.toJS() as unknown), expected());
  });

  it('the Deployment names its token Secret through envFrom', () => {
    assert.deepEqual(secretTokenRef(gatewayManifests(base, { kind: 'placeholder' })[2] as never), { secret: 'gw1-token', key: 'config.service.auth' });
  });
});

describe('manifest options validation', () => {
  it('accepts the defaults', () => assert.deepEqual(validateManifestOptions(base), []));

  it('names the rule each bad value breaks', () => {
    const problems = validateManifestOptions({ ...base, name: 'Gw_1', namespace: '-apim', replicas: 0, httpPort: 0, httpsPort: 70000 });
    assert.deepEqual(problems.map((p) => p.field), ['name', 'namespace', 'replicas', 'httpPort', 'httpsPort']);
    assert.match(problems[0]!.message, /DNS-1035 label/);
    assert.match(problems[1]!.message, /DNS-1123 label/);
    assert.match(problems[2]!.message, /at least 1/);
    assert.match(problems[3]!.message, /1–65535/);
    assert.match(problems[4]!.message, /1–65535/);
    assert.match(checkObjectName('1gw') ?? '', /start with a letter/);
    assert.match(checkNamespaceName('a'.repeat(64)) ?? '', /at most 63/);
    assert.match(checkReplicas('-2') ?? '', /at least 1/);
    assert.match(checkPort('80a') ?? '', /whole number from 1 to 65535/);
  });

  it('property: a port check accepts exactly 1..65535', () => {
    fc.assert(fc.property(fc.integer({ min: -100000, max: 200000 }), (n) => (checkPort(String(n)) === undefined) === (n >= 1 && n <= 65535)));
  });

  it('property: an accepted name is a DNS-1035 label the Secret suffix keeps under 63', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      if (checkObjectName(s) !== undefined) return true;
      return /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s) && `${s}-token`.length <= 63;
    }));
  });
});
