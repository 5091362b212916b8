import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ApiContract, OperationContract } from '@azure/arm-apimanagement';
import { diagnose, type ApiFacts, type DiagnosisInput, type Finding, type GatewayFacts } from '../../../src/diagnosis/index.ts';
import { readInput } from '../../../src/diagnosis/input.ts';
import { route as diagnosisRoute } from '../../../src/diagnosis/routing.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { buildSnapshot, type ConfiguredApi } from '../../sandbox/gateway/configuration.ts';
import { formatRecordText } from '../../sandbox/gateway/log.ts';
import { processApiRequest } from '../../sandbox/gateway/pipeline.ts';
import { route as simulatorRoute } from '../../sandbox/gateway/router.ts';
import { ConnectionRefused } from '../../sandbox/k8s/containers.ts';
import { apiEntityName, apiResourceId, operationResourceId, versionSetResourceId } from '../../sandbox/world/ids.ts';
import type { World } from '../../sandbox/world/world.ts';
import { buildBlogDeployed } from '../../sandbox/worlds/blog-deployed.ts';
import { BLOG } from '../../sandbox/worlds/blog-start.ts';
import { codes } from './builders.ts';

// The sandbox's gateway simulator is the project's other reading of APIM's behaviour (test/sandbox/gateway). Here it
// answers the blog's requests and writes their records; the records go through the real log parser, the world's
// configuration is handed over in ARM's shape, and diagnose must name what the simulator did. A differential property
// then checks both routers agree on every configuration both model.

const APIM = BLOG.apim.name;
const HOST = `${BLOG.kubernetesService}.${BLOG.extension.namespace}:5000`;

/** The world's APIM configuration as the ARM SDK would return it. */
function armFacts(world: World): GatewayFacts {
  const service = world.service(APIM);
  const gw = service.gateways.get(BLOG.gateway.name);
  const apis: ApiFacts[] = [...service.apis.values()].map((a) => ({
    api: {
      id: apiResourceId(service, a),
      name: apiEntityName(a),
      type: 'Microsoft.ApiManagement/service/apis',
      displayName: a.displayName,
      path: a.path,
      protocols: [...a.protocols],
      isCurrent: a.isCurrent,
      apiRevision: a.apiRevision,
      apiVersion: a.apiVersion,
      apiVersionSetId: a.apiVersionSetId,
      subscriptionRequired: a.subscriptionRequired,
      subscriptionKeyParameterNames: { ...a.subscriptionKeyParameterNames },
      serviceUrl: a.serviceUrl ?? undefined,
    },
    operations: [...a.operations.values()].map((o) => ({
      id: operationResourceId(service, a, o.name),
      name: o.name,
      displayName: o.displayName,
      method: o.method,
      urlTemplate: o.urlTemplate,
      templateParameters: [],
    })),
  }));
  return {
    gatewayId: BLOG.gateway.name,
    apis,
    assignedApiIds: [...(gw?.apis ?? [])],
    versionSets: [...service.versionSets.values()].map((v) => ({ id: versionSetResourceId(service, v.name), ...v })),
    hostnames: [...(gw?.hostnameConfigurations.values() ?? [])].map((h) => h.hostname),
    localDiagnostics: service.localDiagnostics,
    connected: true,
    // The blog's Service: the 2021 chart's single http port.
    ports: [{ port: 5000, scheme: 'http' }],
  };
}

/** The simulator's SimRequest carries header names lower-cased, as Node's HTTP server hands them over. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Sends one request through the simulated gateway and diagnoses it the way the extension will. */
async function sendAndDiagnose(world: World, path: string, headers: Record<string, string> = {}, scheme: 'http' | 'https' = 'http'): Promise<{ status: number; findings: Finding[] }> {
  const snapshot = buildSnapshot(world, APIM, BLOG.gateway.name);
  assert.ok(snapshot);
  const result = await processApiRequest(
    {
      snapshot,
      now: () => world.now(),
      fetch: (host, port) => Promise.reject(new ConnectionRefused(`connect ECONNREFUSED ${host}:${port}`)),
    },
    { scheme, method: 'GET', path, host: HOST, headers: { host: HOST, ...lowerCased(headers) }, body: Buffer.alloc(0), remoteAddress: '10.240.0.25', port: 8080 },
  );
  const logged = snapshot.localDiagnostics ? parseGatewayLog(`${formatRecordText(result.record, result.startedAt, 'v1')}\n`) : [];
  const record = logged.find((e) => e.kind === 'request');
  if (snapshot.localDiagnostics) assert.ok(record, 'the simulated record must parse as a request record');
  const keyHeader = Object.keys(headers).find((h) => h.toLowerCase() === 'ocp-apim-subscription-key');
  const input: DiagnosisInput = {
    request: {
      method: 'GET',
      url: `${scheme}://${HOST}${path}`,
      headerNames: ['Host', ...Object.keys(headers)],
      ...(keyHeader ? { subscriptionKey: { in: 'header' as const, name: keyHeader } } : {}),
      sentAt: result.startedAt,
    },
    response: {
      kind: 'http',
      status: result.response.status,
      headers: result.response.headers,
      body: result.response.body.toString('utf8'),
    },
    log: { record, searchedMs: 3000, requestRecordsSeen: record ? 1 : 0 },
    gateway: armFacts(world),
    now: world.now(),
  };
  return { status: result.response.status, findings: diagnose(input) };
}

describe("the blog's journey through the gateway simulator", () => {
  it('HTTP to Echo API → 404 scheme-not-allowed; HTTP allowed → 401 key missing; bad key → invalid; good key → nothing to report', async () => {
    const { world } = buildBlogDeployed();
    const path = '/echo/resource?param1=sample';

    const first = await sendAndDiagnose(world, path);
    assert.equal(first.status, 404);
    assert.deepEqual(codes(first.findings), ['scheme-not-allowed']);
    assert.deepEqual(
      first.findings[0]?.fixes.map((f) => f.id),
      ['allow-http'],
      "the 2021 Service has only the http port, so there is no https URL to offer",
    );

    world.updateApi(APIM, 'echo-api', { protocols: ['http', 'https'] });
    const second = await sendAndDiagnose(world, path);
    assert.equal(second.status, 401);
    assert.deepEqual(codes(second.findings), ['subscription-key-missing']);

    const third = await sendAndDiagnose(world, path, { 'Ocp-Apim-Subscription-Key': 'not-a-key-of-this-service' });
    assert.equal(third.status, 401);
    assert.deepEqual(codes(third.findings), ['subscription-key-invalid']);

    const master = world.service(APIM).subscriptions.get('master');
    assert.ok(master);
    const fourth = await sendAndDiagnose(world, path, { 'Ocp-Apim-Subscription-Key': master.primaryKey });
    assert.equal(fourth.status, 200);
    assert.deepEqual(fourth.findings, []);
  });

  it('an unassigned API → api-not-assigned with assign-api', async () => {
    const { world } = buildBlogDeployed();
    world.unassignApi(APIM, BLOG.gateway.name, 'echo-api');
    const { status, findings } = await sendAndDiagnose(world, '/echo/resource', {}, 'https');
    assert.equal(status, 404);
    assert.deepEqual(codes(findings), ['api-not-assigned']);
    assert.deepEqual(findings[0]?.fixes, [{ id: 'assign-api', label: 'Assign Echo API to rb-arc-gateway', apiId: 'echo-api', gatewayId: 'rb-arc-gateway' }]);
  });

  it('a wrong method and a misspelt path on Dummy → no-operation-for-method', async () => {
    const { world } = buildBlogDeployed();
    const { status, findings } = await sendAndDiagnose(world, '/dummy/itemz/4');
    assert.equal(status, 404);
    assert.deepEqual(codes(findings), ['no-operation-for-method']);
    assert.match(findings[0]?.explanation ?? '', /the closest is GET \/items\/\{id\}/);
  });

  it('an unreachable backend → backend-unreachable naming its URL', async () => {
    const { world } = buildBlogDeployed();
    world.putApi(APIM, {
      name: 'orders',
      displayName: 'Orders',
      path: 'orders',
      protocols: ['http'],
      serviceUrl: 'http://orders.shop.svc.cluster.local:8080/api',
      subscriptionRequired: false,
      operations: [{ name: 'get-order', displayName: 'Get order', method: 'GET', urlTemplate: '/orders/{id}' }],
    });
    world.assignApi(APIM, BLOG.gateway.name, 'orders');
    const { status, findings } = await sendAndDiagnose(world, '/orders/orders/17');
    assert.equal(status, 500);
    assert.deepEqual(codes(findings), ['backend-unreachable']);
    assert.match(findings[0]?.explanation ?? '', /at http:\/\/orders\.shop\.svc\.cluster\.local:8080\/api\/orders\/17/);
  });

  it('with local diagnostics off the gateway writes no record: the 404 is still explained, plus request-logging-off', async () => {
    const { world } = buildBlogDeployed();
    world.setLocalDiagnostics(APIM, false);
    const { findings } = await sendAndDiagnose(world, '/echo/resource?param1=sample');
    assert.deepEqual(codes(findings), ['scheme-not-allowed', 'request-logging-off']);
  });
});

// ---- differential routing --------------------------------------------------------------------------------------

interface Spec {
  base: string;
  revision: string;
  isCurrent: boolean;
  path: string;
  protocols: Array<'http' | 'https'>;
  version?: string;
  operations: Array<{ name: string; method: string; urlTemplate: string }>;
}

const templates = ['/resource', '/items', '/items/{id}', '/Items/{id}/parts', '/{*rest}', '/search?q={q}', '/', '/a/b'];
const opArb = fc.record({ method: fc.constantFrom('GET', 'POST'), urlTemplate: fc.constantFrom(...templates) });
const apiArb = fc.record({
  base: fc.constantFrom('a', 'b', 'c'),
  path: fc.constantFrom('echo', 'echo/v', 'shop', 'shop/orders', '', 'Echo'),
  protocols: fc.subarray(['http', 'https'] as Array<'http' | 'https'>, { minLength: 1 }),
  version: fc.option(fc.constantFrom('', 'v1', 'v2'), { nil: undefined }),
  ops: fc.array(opArb, { maxLength: 4 }),
  rev2: fc.option(fc.record({ ops: fc.array(opArb, { maxLength: 3 }), current: fc.boolean() }), { nil: undefined }),
});
const configArb = fc.record({
  apis: fc.uniqueArray(apiArb, { maxLength: 4, selector: (a) => a.base }),
  scheme: fc.constantFrom('Segment', 'Query') as fc.Arbitrary<'Segment' | 'Query'>,
});
const requestArb = fc.record({
  scheme: fc.constantFrom('http', 'https') as fc.Arbitrary<'http' | 'https'>,
  method: fc.constantFrom('GET', 'POST', 'get'),
  segments: fc.array(fc.constantFrom('echo', 'ECHO', 'v', 'shop', 'orders', 'items', '42', 'parts', 'resource', 'v1', 'v2', 'a', 'b', 'search', 'echo;rev=2', 'shop;rev=1', 'orders;REV=2'), { maxLength: 5 }),
  slash: fc.boolean(),
  query: fc.constantFrom('', '?q=1', '?api-version=v1', '?api-version=v2&q=x', '?api-version='),
});

type Config = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function specsOf(config: Config): Spec[] {
  const out: Spec[] = [];
  for (const a of config.apis) {
    const ops = (list: Array<{ method: string; urlTemplate: string }>) => list.map((o, i) => ({ name: `op${i}`, ...o }));
    const rev2Current = a.rev2?.current ?? false;
    out.push({ base: a.base, revision: '1', isCurrent: !rev2Current, path: a.path, protocols: a.protocols, version: a.version, operations: ops(a.ops) });
    if (a.rev2) out.push({ base: a.base, revision: '2', isCurrent: rev2Current, path: a.path, protocols: a.protocols, version: a.version, operations: ops(a.rev2.ops) });
  }
  return out;
}

function simulatorApis(specs: Spec[], scheme: 'Segment' | 'Query'): ConfiguredApi[] {
  return specs.map((s) => ({
    key: `${s.base};rev=${s.revision}`,
    name: s.base,
    revision: s.revision,
    isCurrent: s.isCurrent,
    path: s.path,
    protocols: s.protocols,
    serviceUrl: 'http://backend',
    subscriptionRequired: false,
    subscriptionKeyHeader: 'Ocp-Apim-Subscription-Key',
    subscriptionKeyQuery: 'subscription-key',
    ...(s.version !== undefined ? { versioning: { versionSet: 'vs', scheme, queryName: 'api-version', headerName: 'Api-Version', version: s.version } } : {}),
    operations: s.operations.map((o) => ({ ...o, method: o.method.toUpperCase() })),
  }));
}

function armApis(specs: Spec[]): ApiFacts[] {
  return specs.map((s) => {
    const api: ApiContract = {
      name: s.isCurrent ? s.base : `${s.base};rev=${s.revision}`,
      path: s.path,
      protocols: s.protocols,
      isCurrent: s.isCurrent,
      apiRevision: s.revision,
      ...(s.version !== undefined ? { apiVersion: s.version, apiVersionSetId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.ApiManagement/service/z/apiVersionSets/vs' } : {}),
    };
    const operations: OperationContract[] = s.operations.map((o) => ({ ...o, templateParameters: [] }));
    return { api, operations };
  });
}

describe('diagnosis routing agrees with the simulator', () => {
  it('on generated configurations and requests: same API, revision and operation (or the same "none")', () => {
    fc.assert(
      fc.property(configArb, requestArb, (config, req) => {
        const specs = specsOf(config);
        const path = `/${req.segments.join('/')}${req.slash && req.segments.length > 0 ? '/' : ''}`;
        const query = new URLSearchParams(req.query.replace(/^\?/, ''));
        const sim = simulatorRoute(simulatorApis(specs, config.scheme), { scheme: req.scheme, method: req.method, path, query, headers: {} });
        const model = readInput({
          request: { method: req.method, url: `${req.scheme}://gw.apim:5000${path}${req.query}` },
          gateway: { gatewayId: 'gw', apis: armApis(specs), versionSets: [{ name: 'vs', versioningScheme: config.scheme, versionQueryName: 'api-version' }] },
        });
        assert.ok(model.request && model.gateway?.apis);
        const ours = diagnosisRoute(model.gateway.apis, { view: model.request.view, method: model.request.method, headerNames: new Set() });
        const simSays = sim.kind === 'no-api' ? 'none' : `${sim.api.name}@${sim.api.revision}:${sim.kind === 'matched' ? sim.operation.name : '-'}`;
        const weSay = ours.api ? `${ours.api.baseName}@${ours.api.revision ?? ''}:${ours.operation?.name ?? '-'}` : 'none';
        assert.equal(weSay, simSays, `${req.scheme} ${req.method} ${path}${req.query}`);
      }),
      { numRuns: 2000 },
    );
  });
});
