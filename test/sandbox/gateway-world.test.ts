// The shared world: tokens, mutators and their events, resource ids, and the two blog worlds with the manifests the
// Arc extension's chart would have created.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderArcGatewayChart } from './gateway/arc-chart.ts';
import { envFromManifests } from './gateway/testing.ts';
import type { WorldEvent } from './world/events.ts';
import { apiEntityName, gatewayResourceId, serviceResourceId, subscriptionScopeId } from './world/ids.ts';
import { formatTokenExpiry, generateGatewayToken, parseGatewayToken, verifyGatewayToken } from './world/tokens.ts';
import { World } from './world/world.ts';
import { BLOG, TOKEN_LIFETIME_MS, createWorld } from './worlds/index.ts';

const MINUTE = 60_000;

function worldWithGateway(now = new Date('2026-03-01T10:00:00Z')): World {
  const world = new World();
  world.setClock(() => now);
  world.addService({ subscriptionId: BLOG.subscriptionId, resourceGroup: 'rg', name: 'svc', location: 'westeurope', sku: { name: 'Developer', capacity: 1 }, publisherEmail: 'a@b.c', publisherName: 'p' });
  world.putGateway('svc', { name: 'gw-1', locationData: { name: 'edge' } });
  return world;
}

describe('gateway tokens', () => {
  it('have the shape ARM generateToken returns: id&yyyyMMddHHmm&base64, no GatewayKey prefix', () => {
    const world = worldWithGateway();
    const gateway = world.gateway('svc', 'gw-1');
    const token = generateGatewayToken(gateway, 'primary', new Date('2026-03-31T09:07:59Z'));
    assert.match(token, /^gw-1&202603310907&[A-Za-z0-9+/]{86}==$/);
    assert.ok(!token.startsWith('GatewayKey'));
  });

  it('verify with either key until the expiry minute, then report expired', () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const world = worldWithGateway();
    world.setClock(() => now);
    const gateway = world.gateway('svc', 'gw-1');
    const expiry = new Date(now.getTime() + 5 * MINUTE);
    for (const keyType of ['primary', 'secondary'] as const) {
      const result = verifyGatewayToken(world, generateGatewayToken(gateway, keyType, expiry));
      assert.equal(result.ok, true);
      if (result.ok) assert.equal(result.keyType, keyType);
    }
    now = new Date(expiry.getTime());
    assert.deepEqual(verifyGatewayToken(world, generateGatewayToken(gateway, 'primary', expiry)), { ok: false, reason: 'expired' });
  });

  it('stop verifying when the key that signed them is regenerated, but not when the other one is', () => {
    const world = worldWithGateway();
    const token = generateGatewayToken(world.gateway('svc', 'gw-1'), 'primary', new Date(world.now().getTime() + 60 * MINUTE));
    world.regenerateGatewayKey('svc', 'gw-1', 'secondary');
    assert.equal(verifyGatewayToken(world, token).ok, true);
    world.regenerateGatewayKey('svc', 'gw-1', 'primary');
    assert.deepEqual(verifyGatewayToken(world, token), { ok: false, reason: 'invalid-signature' });
  });

  it('name unknown gateways and malformed tokens apart, and honour the service scope', () => {
    const world = worldWithGateway();
    const token = generateGatewayToken(world.gateway('svc', 'gw-1'), 'primary', new Date(world.now().getTime() + MINUTE * 10));
    assert.deepEqual(verifyGatewayToken(world, token.replace(/^gw-1/, 'gw-2')), { ok: false, reason: 'unknown-gateway' });
    assert.deepEqual(verifyGatewayToken(world, 'not a token'), { ok: false, reason: 'invalid-signature' });
    assert.deepEqual(verifyGatewayToken(world, token, 'other-service'), { ok: false, reason: 'unknown-gateway' });
    assert.equal(verifyGatewayToken(world, `GatewayKey ${token}`, 'SVC').ok, true);
  });

  it('round-trip any gateway id and expiry, and reject any change to the signature (property)', () => {
    const world = worldWithGateway(new Date('2020-01-01T00:00:00Z'));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,79}$/),
        fc.date({ min: new Date('2020-01-02T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true }),
        fc.nat(),
        (id, expiry, at) => {
          const gateway = world.putGateway('svc', { name: id, locationData: { name: 'x' } });
          const token = generateGatewayToken(gateway, 'primary', expiry);
          const parsed = parseGatewayToken(token);
          assert.ok(parsed);
          assert.equal(parsed.gatewayId, id);
          assert.equal(parsed.expiryText, formatTokenExpiry(expiry));
          assert.equal(verifyGatewayToken(world, token, 'svc').ok, true);
          const i = at % parsed.signature.length;
          const flipped = parsed.signature[i] === 'A' ? 'B' : 'A';
          const tampered = `${id}&${parsed.expiryText}&${parsed.signature.slice(0, i)}${flipped}${parsed.signature.slice(i + 1)}`;
          assert.equal(verifyGatewayToken(world, tampered, 'svc').ok, false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('world mutators', () => {
  it('emit one event per change and bump the configuration revision; a repeated assignment is no change', () => {
    const world = worldWithGateway();
    world.putApi('svc', { name: 'orders', displayName: 'Orders', path: 'orders' });
    const events: WorldEvent[] = [];
    world.events.onAny((e) => events.push(e));
    const before = world.service('svc').configurationRevision;
    world.assignApi('svc', 'gw-1', 'orders');
    world.assignApi('svc', 'gw-1', 'orders');
    assert.deepEqual(events, [{ type: 'gateway-api-assigned', service: 'svc', gateway: 'gw-1', api: 'orders' }]);
    assert.equal(world.service('svc').configurationRevision, before + 1);
    world.unassignApi('svc', 'gw-1', 'orders');
    assert.equal(events.at(-1)?.type, 'gateway-api-unassigned');
    assert.deepEqual(world.events.takeListenerErrors(), []);
  });

  it('keeps one current revision and names the others name;rev=n, as APIM does', () => {
    const world = worldWithGateway();
    world.putApi('svc', { name: 'orders', displayName: 'Orders', path: 'orders' });
    world.putApi('svc', { name: 'orders', displayName: 'Orders', path: 'orders', apiRevision: '2' });
    assert.deepEqual(world.apiRevisions('svc', 'orders').map(apiEntityName), ['orders', 'orders;rev=2']);
    world.makeRevisionCurrent('svc', 'orders', '2');
    assert.deepEqual(world.apiRevisions('svc', 'orders').map(apiEntityName), ['orders;rev=1', 'orders']);
  });

  it('isolates a listener that throws so the others still see the event', () => {
    const world = worldWithGateway();
    const seen: string[] = [];
    world.events.onAny(() => {
      throw new Error('broken consumer');
    });
    world.events.onAny((e) => seen.push(e.type));
    world.regenerateGatewayKey('svc', 'gw-1', 'primary');
    assert.deepEqual(seen, ['gateway-key-regenerated']);
    assert.equal(world.events.takeListenerErrors().length, 1);
  });

  it('builds resource ids the way ARM spells them', () => {
    const world = worldWithGateway();
    const service = world.service('svc');
    assert.equal(serviceResourceId(service), `/subscriptions/${BLOG.subscriptionId}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc`);
    assert.equal(gatewayResourceId(service, 'gw-1'), `${serviceResourceId(service)}/gateways/gw-1`);
    assert.equal(subscriptionScopeId(service, { kind: 'product', product: 'starter' }), `${serviceResourceId(service)}/products/starter`);
  });
});

describe('blog worlds', () => {
  it('blog-start: the cluster and APIM of the blog, no gateway yet, random keys per world', () => {
    const a = createWorld('blog-start');
    const b = createWorld('blog-start');
    assert.deepEqual(a.kubernetesObjects, []);
    const apim = a.world.service(BLOG.apim.name);
    assert.equal(apim.resourceGroup, 'rb-aks-rg');
    assert.equal(apim.sku.name, 'Developer');
    assert.equal(apim.gateways.size, 0);
    assert.ok(a.world.arcCluster(BLOG.subscriptionId, 'rb-arc-rg', 'rb-arc-aks'));
    const echo = a.world.api(BLOG.apim.name, 'echo-api');
    assert.deepEqual({ path: echo.path, protocols: echo.protocols, subscriptionRequired: echo.subscriptionRequired, serviceUrl: echo.serviceUrl }, {
      path: 'echo',
      protocols: ['https'],
      subscriptionRequired: true,
      serviceUrl: 'http://echoapi.cloudapp.net/api',
    });
    assert.deepEqual([...echo.operations.values()].filter((o) => o.urlTemplate.startsWith('/resource')).map((o) => `${o.method} ${o.urlTemplate}`).sort(), [
      'DELETE /resource',
      'GET /resource',
      'GET /resource-cached',
      'HEAD /resource',
      'POST /resource',
      'PUT /resource',
    ]);
    assert.deepEqual(a.world.api(BLOG.apim.name, 'dummy').protocols, ['http', 'https']);
    assert.deepEqual([...apim.products.keys()].sort(), ['starter', 'unlimited']);
    const keysA = [...apim.subscriptions.values()].map((s) => s.primaryKey);
    const keysB = [...b.world.service(BLOG.apim.name).subscriptions.values()].map((s) => s.primaryKey);
    assert.equal(keysA.length, 3);
    for (const key of keysA) assert.match(key, /^[0-9a-f]{32}$/);
    assert.equal(keysA.filter((k) => keysB.includes(k)).length, 0);
  });

  it('blog-deployed: gateway with both APIs, Arc extension, and the chart objects in creation order', () => {
    const { world, kubernetesObjects } = createWorld('blog-deployed');
    const gateway = world.gateway(BLOG.apim.name, BLOG.gateway.name);
    assert.deepEqual([...gateway.apis], ['echo-api', 'dummy']);
    const cluster = world.arcCluster(BLOG.subscriptionId, BLOG.arc.resourceGroup, BLOG.arc.name);
    assert.equal(cluster?.extensions.get('rb-arc-aks-apimgw')?.extensionType, 'Microsoft.ApiManagement.Gateway');
    assert.deepEqual(
      kubernetesObjects.map((o) => `${String(o['kind'])}/${String((o['metadata'] as { name: string }).name)}`),
      [
        'Namespace/apim',
        'ConfigMap/rb-arc-aks-apimgw-azure-api-management-gateway',
        'Secret/rb-arc-aks-apimgw-azure-api-management-gateway',
        'Deployment/rb-arc-aks-apimgw',
        'Service/rb-arc-aks-apimgw-azure-api-management-gateway',
      ],
    );
    const service = kubernetesObjects[4] as { spec: { type: string; ports: unknown[]; selector: Record<string, string> } };
    assert.equal(service.spec.type, 'ClusterIP');
    assert.deepEqual(service.spec.ports, [{ name: 'http', port: 5000, targetPort: 'http', protocol: 'TCP' }]);
    assert.deepEqual(service.spec.selector, { 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': 'rb-arc-aks-apimgw' });
    const deployment = kubernetesObjects[3] as { spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<Record<string, unknown>> } } } };
    assert.equal(deployment.spec.replicas, 1);
    assert.deepEqual(deployment.spec.template.metadata.labels, service.spec.selector);
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(container?.['ports'], [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'https', containerPort: 8081, protocol: 'TCP' },
    ]);
    assert.equal((container?.['readinessProbe'] as { httpGet: { path: string } }).httpGet.path, '/internal-status-0123456789abcdef');

    const { image, env } = envFromManifests(kubernetesObjects);
    assert.equal(image, 'mcr.microsoft.com/azure-api-management/gateway:v2');
    assert.equal(env['config.service.endpoint'], 'https://rb-azure-apim.configuration.azure-api.net');
    const auth = env['config.service.auth'] ?? '';
    assert.ok(auth.startsWith('GatewayKey rb-arc-gateway&'), 'the Secret holds the token with the prefix the container expects');
    const verified = verifyGatewayToken(world, auth, BLOG.apim.name);
    assert.equal(verified.ok, true);
    if (verified.ok) {
      const lifetime = verified.expiry.getTime() - world.now().getTime();
      assert.ok(lifetime > TOKEN_LIFETIME_MS - 2 * MINUTE && lifetime <= TOKEN_LIFETIME_MS, `token lifetime ${lifetime} ms`);
    }
  });

  it('the chart with current setting names exposes http and https and defaults to three replicas', () => {
    const rendered = renderArcGatewayChart({
      extensionName: 'gw',
      namespace: 'ns',
      configurationSettings: { 'gateway.configuration.uri': 'https://x.configuration.azure-api.net', 'service.type': 'LoadBalancer', 'telemetry.logs.std': 'json' },
      configurationProtectedSettings: { 'gateway.auth.token': 'GatewayKey t&202601010000&s' },
    });
    assert.equal(rendered.ok, true);
    if (!rendered.ok) return;
    assert.equal(rendered.layout, 'current');
    const [, configMap, , deployment, service] = rendered.objects as Array<{ data?: Record<string, string>; spec?: { replicas?: number; type?: string; ports?: Array<{ port: number }> } }>;
    assert.deepEqual(configMap?.data, { 'config.service.endpoint': 'https://x.configuration.azure-api.net', 'telemetry.logs.std': 'json' });
    assert.equal(deployment?.spec?.replicas, 3);
    assert.equal(service?.spec?.type, 'LoadBalancer');
    assert.deepEqual(service?.spec?.ports?.map((p) => p.port), [8080, 8081]);
    assert.deepEqual(renderArcGatewayChart({ extensionName: 'gw', namespace: 'ns', configurationSettings: { 'gateway.configuration.uri': 'https://x' }, configurationProtectedSettings: {} }), {
      ok: false,
      message: 'execution error: gateway.auth.token is required.',
    });
  });
});
