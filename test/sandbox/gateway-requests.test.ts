// Requests through the simulated gateway: the seed blog's 404, the 401/200/401 that follow once HTTP is allowed,
// backends that cannot be reached, versions, revisions, and the request records each one writes.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ConnectionRefused, type ContainerContext, type SimResponse } from './k8s/containers.ts';
import { buildSnapshot } from './gateway/configuration.ts';
import { INVALID_KEY_MESSAGE, MISSING_KEY_MESSAGE, NOT_FOUND_BODY, processApiRequest } from './gateway/pipeline.ts';
import { createGatewayProgram, type GatewayProgramOptions } from './gateway/program.ts';
import { envFromManifests, recordBlocks, runContainer, send, simRequest, waitFor, type FakeRun } from './gateway/testing.ts';
import type { World } from './world/world.ts';
import { BLOG, createWorld } from './worlds/index.ts';

const APIM = BLOG.apim.name;
const BLOG_URL = 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const runs: FakeRun[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) run.kill();
});

interface Started {
  world: World;
  run: FakeRun;
}

async function startDeployed(
  options: { tag?: string; program?: GatewayProgramOptions; env?: Record<string, string>; clock?: Date; fetch?: ContainerContext['fetch']; prepare?: (world: World) => void } = {},
): Promise<Started> {
  const { world, kubernetesObjects } = createWorld('blog-deployed');
  if (options.clock) {
    const base = options.clock.getTime();
    const t0 = Date.now();
    world.setClock(() => new Date(base + (Date.now() - t0)));
  }
  options.prepare?.(world);
  const { image, env } = envFromManifests(kubernetesObjects);
  const run = runContainer(createGatewayProgram(world, { startupStepMs: 1, pollIntervalMs: 60_000, resyncDelayMs: 5, ...options.program }), {
    image: options.tag ? image.replace(/:v2$/, `:${options.tag}`) : image,
    env: { ...env, ...options.env },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  runs.push(run);
  await waitFor(() => run.instance.ready?.() === true, 'ready');
  return { world, run };
}

/** Runs `change` and waits until the gateway logged the rebuild of `apiMessage` (e.g. `echo-api:Rev=1`). */
async function changeAndWaitForRebuild(started: Started, apiMessage: string, change: () => void): Promise<void> {
  const from = started.run.lines.length;
  change();
  await waitFor(() => started.run.since(from).some((l) => l.includes(`[OperationRouteTableRebuildCompleted], message: ${apiMessage},`)), `rebuild of ${apiMessage}`, 1000);
}

/** Sends one request and returns its response with the records written while it ran. */
async function call(started: Started, request: Parameters<typeof send>[1]): Promise<{ response: SimResponse; records: string[][] }> {
  const from = started.run.lines.length;
  const response = await send(started.run, request);
  return { response, records: recordBlocks(started.run.since(from)) };
}

function masterKey(world: World): string {
  const master = world.service(APIM).subscriptions.get('master');
  if (!master) throw new Error('no master subscription');
  return master.primaryKey;
}

function subscriptionOf(world: World, product: string) {
  const found = [...world.service(APIM).subscriptions.values()].find((s) => s.scope.kind === 'product' && s.scope.product === product);
  if (!found) throw new Error(`no subscription to ${product}`);
  return found;
}

function lastErrorOf(block: readonly string[]): Record<string, unknown> {
  const start = block[0]?.lastIndexOf('lastError: {') ?? -1;
  assert.ok(start >= 0, `record has no lastError: ${block.join('\n')}`);
  const closing = block.at(-1) ?? '';
  const json = ['{', ...block.slice(1, -1), '}'].join('\n');
  assert.match(closing, /^\}/);
  return JSON.parse(json) as Record<string, unknown>;
}

describe("the seed blog's request: HTTP to the HTTPS-only Echo API", () => {
  it('v2 (2.x before quoting): 404 Resource not found and one OperationNotFound record without apiId', async () => {
    const started = await startDeployed({ tag: '2.3.0' });
    const { response, records } = await call(started, { path: '/echo/resource?param1=sample' });
    assert.equal(response.status, 404);
    assert.equal(response.body.toString(), NOT_FOUND_BODY);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(records.length, 1);
    const [block] = records;
    assert.ok(block);
    const ts = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}';
    const head = new RegExp(
      `^\\[Info\\] (${ts}) \\[GatewayLogs\\], isRequestSuccess: False, totalTime: \\d+, category: GatewayLogs, callerIpAddress: 10\\.240\\.0\\.25, timeGenerated: (${ts}), region: rb-arc, correlationId: (${UUID}), method: GET, url: ${BLOG_URL.replace(/[.?]/g, '\\$&')}, responseCode: 404, responseSize: \\d+, cache: none, clientProtocol: HTTP/1\\.1, lastError: \\{$`,
    );
    const m = head.exec(block[0] ?? '');
    assert.ok(m, block[0]);
    assert.equal(m[1], m[2], 'the record is stamped with the time the request was received');
    assert.equal(block.at(-1), `}, correlationId: ${m[3]}`);
    const lastError = lastErrorOf(block);
    const { elapsed, ...rest } = lastError;
    assert.ok(elapsed === undefined || (typeof elapsed === 'number' && elapsed > 0), 'a zero elapsed is left out');
    assert.deepEqual(rest, { source: 'configuration', reason: 'OperationNotFound', message: 'Unable to match incoming request to an operation.', section: 'backend' });
    assert.deepEqual(
      block.slice(1, -1).map((l) => l.replace(/^ {2}"(\w+)": .*$/, '$1')),
      [...(elapsed === undefined ? [] : ['elapsed']), 'source', 'reason', 'message', 'section'],
      'lastError is pretty-printed with two-space indents, one key a line',
    );
  });

  it('v2 (tag v2, quoted values): the same record with quoted strings and lower-case booleans', async () => {
    const started = await startDeployed();
    const { response, records } = await call(started, { path: '/echo/resource?param1=sample' });
    assert.equal(response.status, 404);
    const first = records[0]?.[0] ?? '';
    assert.match(first, /^\[Info\] \S+ \[GatewayLogs\], isRequestSuccess: false, totalTime: \d+, category: "GatewayLogs", callerIpAddress: "10\.240\.0\.25", timeGenerated: \S+, region: "rb-arc", correlationId: "/);
    assert.ok(first.includes(`url: "${BLOG_URL}", responseCode: 404`));
    assert.ok(!first.includes('apiId'));
  });

  it('v1 (1.3.0): no [GatewayLogs] tag, timeGenerated as MM/dd/yyyy on a 24-hour clock, no trailing correlationId', async () => {
    const { legacyConfigurationEndpoint } = await import('./world/ids.ts');
    const started = await startDeployed({
      tag: '1.3.0',
      clock: new Date('2021-06-03T15:25:37.815Z'),
      env: { 'config.service.endpoint': legacyConfigurationEndpoint(createWorld('blog-start').world.service(APIM)) },
    });
    const { response, records } = await call(started, { path: '/echo/resource?param1=sample' });
    assert.equal(response.status, 404);
    const block = records[0] ?? [];
    assert.match(
      block[0] ?? '',
      new RegExp(
        `^\\[Info\\] 2021-06-3T03:25:\\d{2}\\.\\d{3}, isRequestSuccess: False, totalTime: \\d+, category: GatewayLogs, callerIpAddress: 10\\.240\\.0\\.25, timeGenerated: 06/03/2021 15:25:\\d{2}, region: rb-arc, correlationId: ${UUID}, method: GET, url: ${BLOG_URL.replace(/[.?]/g, '\\$&')}, responseCode: 404, responseSize: \\d+, cache: none, clientProtocol: HTTP/1\\.1, lastError: \\{$`,
      ),
    );
    assert.equal(block.at(-1), '}');
    // The policy parsing that the first request triggers is logged before its record, with later timestamps.
    const lines = started.run.lines;
    const policy = lines.findIndex((l) => l.includes('[PolicyParsingScheduled], message: key: scope: System, id: system, revision: 1, source: PolicyMapBuilder'));
    assert.ok(policy >= 0 && policy < lines.indexOf(block[0] ?? ''));
  });

  it('over HTTPS (port 8081) the Echo API matches and asks for a subscription key', async () => {
    const started = await startDeployed();
    const { response, records } = await call(started, { path: '/echo/resource?param1=sample', scheme: 'https', port: 8081 });
    assert.equal(response.status, 401);
    assert.ok(records[0]?.[0]?.includes('clientTlsVersion: "1.2"'));
  });
});

describe('after allowing HTTP on the Echo API', () => {
  async function allowHttp(): Promise<Started> {
    const started = await startDeployed({ tag: '2.3.0' });
    await changeAndWaitForRebuild(started, 'echo-api:Rev=1', () => started.world.updateApi(APIM, 'echo-api', { protocols: ['http', 'https'] }));
    return started;
  }

  it('401 without a key, with the challenge header and the exact body', async () => {
    const started = await allowHttp();
    const { response, records } = await call(started, { path: '/echo/resource?param1=sample' });
    assert.equal(response.status, 401);
    assert.equal(response.body.toString(), `{ "statusCode": 401, "message": "${MISSING_KEY_MESSAGE}" }`);
    assert.equal(response.headers['www-authenticate'], `AzureApiManagementKey realm="http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo",name="Ocp-Apim-Subscription-Key",type="header"`);
    const block = records[0] ?? [];
    assert.ok(block[0]?.includes('responseCode: 401, responseSize: '));
    assert.ok(block[0]?.includes('apiId: echo-api, operationId: retrieve-resource, clientProtocol: HTTP/1.1, apiRevision: 1, lastError: {'));
    const { elapsed: _e, ...lastError } = lastErrorOf(block);
    assert.deepEqual(lastError, { source: 'authorization', reason: 'SubscriptionKeyNotFound', message: MISSING_KEY_MESSAGE, section: 'inbound' });
  });

  it('200 with a valid key in the header or the query; the backend never sees the key', async () => {
    const started = await allowHttp();
    const key = masterKey(started.world);
    for (const request of [
      { path: '/echo/resource?param1=sample', headers: { 'ocp-apim-subscription-key': key } },
      { path: `/echo/resource?param1=sample&subscription-key=${key}` },
    ]) {
      const { response, records } = await call(started, request);
      assert.equal(response.status, 200, response.body.toString());
      const echoed = JSON.parse(response.body.toString()) as { method: string; path: string; query: Record<string, string>; headers: Record<string, string> };
      assert.equal(echoed.method, 'GET');
      assert.equal(echoed.path, '/api/resource');
      assert.deepEqual(echoed.query, { param1: 'sample' });
      assert.equal(echoed.headers['ocp-apim-subscription-key'], undefined);
      assert.equal(echoed.headers['x-forwarded-for'], '10.240.0.25');
      const first = records[0]?.[0] ?? '';
      assert.equal(records[0]?.length, 1, 'a successful record is one line');
      assert.match(first, /isRequestSuccess: True, .*backendResponseCode: 200, responseCode: 200, responseSize: \d+, cache: none, backendTime: \d+, apiId: echo-api, operationId: retrieve-resource, apimSubscriptionId: master, clientProtocol: HTTP\/1\.1, backendProtocol: HTTP\/1\.1, apiRevision: 1, backendMethod: GET, backendUrl: http:\/\/echoapi\.cloudapp\.net\/api\/resource\?param1=sample, correlationId: /);
    }
  });

  it('echoes the body of a POST and names the product of a product-scoped key', async () => {
    const started = await allowHttp();
    const starter = subscriptionOf(started.world, 'starter');
    const { response, records } = await call(started, { method: 'POST', path: '/echo/resource', headers: { 'ocp-apim-subscription-key': starter.secondaryKey, 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') });
    assert.equal(response.status, 200);
    assert.equal((JSON.parse(response.body.toString()) as { body: string }).body, '{"a":1}');
    assert.ok(records[0]?.[0]?.includes(`operationId: create-resource, productId: starter, apimSubscriptionId: ${starter.name},`));
  });

  it('401 with an unknown key, a suspended subscription, or a key whose product does not contain the API', async () => {
    const started = await allowHttp();
    const { world } = started;
    const starter = subscriptionOf(world, 'starter');
    world.putProduct(APIM, { name: 'empty', displayName: 'Empty', apis: [] });
    const emptyKey = world.putSubscription(APIM, { scope: { kind: 'product', product: 'empty' } }).primaryKey;
    world.updateSubscription(APIM, starter.name, { state: 'suspended' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const key of ['0123456789abcdef0123456789abcdef', starter.primaryKey, emptyKey]) {
      const { response, records } = await call(started, { path: '/echo/resource?param1=sample', headers: { 'ocp-apim-subscription-key': key } });
      assert.equal(response.status, 401, key);
      assert.equal(response.body.toString(), `{ "statusCode": 401, "message": "${INVALID_KEY_MESSAGE}" }`);
      assert.equal(lastErrorOf(records[0] ?? [])['reason'], 'SubscriptionKeyInvalid');
    }
  });
});

describe('routing', () => {
  it('404 with apiId when the API matches but no operation does (wrong path or method)', async () => {
    const started = await startDeployed({ tag: '2.3.0' });
    for (const request of [{ path: '/dummy/nothing-here' }, { method: 'DELETE', path: '/dummy/items/7' }]) {
      const { response, records } = await call(started, request);
      assert.equal(response.status, 404);
      assert.ok(records[0]?.[0]?.includes('apiId: dummy, clientProtocol: HTTP/1.1, apiRevision: 1, lastError: {'), records[0]?.[0]);
      assert.ok(!records[0]?.[0]?.includes('operationId'));
    }
    assert.equal((await call(started, { path: '/dummy/items/7' })).response.status, 200);
    assert.equal((await call(started, { path: '/nowhere' })).response.status, 404);
  });

  it('matches template parameters and query parameters declared in the template', async () => {
    const started = await startDeployed();
    await changeAndWaitForRebuild(started, 'dummy:Rev=1', () => {
      started.world.putOperation(APIM, 'dummy', { name: 'search', displayName: 'Search', method: 'GET', urlTemplate: '/search?q={q}&kind=item' });
      started.world.putOperation(APIM, 'dummy', { name: 'files', displayName: 'Files', method: 'GET', urlTemplate: '/files/{*path}' });
    });
    const matched = async (path: string) => ((await call(started, { path })).records[0]?.[0] ?? '').match(/operationId: "([^"]+)"/)?.[1];
    assert.equal(await matched('/dummy/search?q=x&kind=item'), 'search');
    assert.equal(await matched('/dummy/search?q=x'), undefined);
    assert.equal(await matched('/dummy/search?q=x&kind=other'), undefined);
    assert.equal(await matched('/dummy/files/a/b/c.txt'), 'files');
    assert.equal(await matched('/dummy/items/42'), 'get-item');
  });

  it('serves a non-current revision only through ;rev=n, and the current one without it', async () => {
    const started = await startDeployed();
    const { world } = started;
    await changeAndWaitForRebuild(started, 'dummy:Rev=2', () =>
      world.putApi(APIM, { name: 'dummy', displayName: 'Dummy', path: 'dummy', protocols: ['http', 'https'], serviceUrl: BLOG.echoServiceUrl, subscriptionRequired: false, apiRevision: '2', operations: [{ name: 'v2-only', displayName: 'New', method: 'GET', urlTemplate: '/new' }] }),
    );
    assert.equal((await call(started, { path: '/dummy;rev=2/new' })).response.status, 200);
    const rev2 = await call(started, { path: '/dummy;rev=2/new' });
    assert.ok(rev2.records[0]?.[0]?.includes('apiRevision: "2"'));
    assert.ok(rev2.records[0]?.[0]?.includes('backendUrl: "http://echoapi.cloudapp.net/api/new"'), 'the revision marker is not forwarded');
    assert.equal((await call(started, { path: '/dummy/new' })).response.status, 404);
    assert.equal((await call(started, { path: '/dummy/items' })).response.status, 200);
    assert.equal((await call(started, { path: '/dummy;rev=3/items' })).response.status, 404);
    await changeAndWaitForRebuild(started, 'dummy:Rev=2', () => world.makeRevisionCurrent(APIM, 'dummy', '2'));
    assert.equal((await call(started, { path: '/dummy/new' })).response.status, 200);
    assert.equal((await call(started, { path: '/dummy;rev=1/items' })).response.status, 200);
  });

  it('selects versions by path segment, query parameter or header, with the original at the bare path', async () => {
    const started = await startDeployed();
    const { world } = started;
    const ops = [{ name: 'list', displayName: 'List', method: 'GET', urlTemplate: '/orders' }];
    const base = { displayName: 'Orders', protocols: ['http' as const], serviceUrl: BLOG.echoServiceUrl, subscriptionRequired: false, operations: ops };
    world.putVersionSet(APIM, { name: 'by-segment', displayName: 'Orders', versioningScheme: 'Segment' });
    world.putVersionSet(APIM, { name: 'by-query', displayName: 'Stock', versioningScheme: 'Query', versionQueryName: 'api-version' });
    world.putVersionSet(APIM, { name: 'by-header', displayName: 'Prices', versioningScheme: 'Header', versionHeaderName: 'Api-Version' });
    const apis = [
      { name: 'orders', path: 'shop', apiVersionSetId: 'by-segment', apiVersion: '' },
      { name: 'orders-v2', path: 'shop', apiVersionSetId: 'by-segment', apiVersion: 'v2' },
      { name: 'stock-v1', path: 'stock', apiVersionSetId: 'by-query', apiVersion: 'v1' },
      { name: 'prices-v1', path: 'prices', apiVersionSetId: 'by-header', apiVersion: '2024-01-01' },
    ];
    for (const api of apis) world.putApi(APIM, { ...base, ...api });
    await changeAndWaitForRebuild(started, 'prices-v1:Rev=1', () => {
      for (const api of apis) world.assignApi(APIM, BLOG.gateway.name, api.name);
    });
    const apiOf = async (request: Parameters<typeof send>[1]) => ((await call(started, request)).records[0]?.[0] ?? '').match(/apiId: "([^"]+)"/)?.[1];
    assert.equal(await apiOf({ path: '/shop/v2/orders' }), 'orders-v2');
    assert.equal(await apiOf({ path: '/shop/orders' }), 'orders');
    assert.equal(await apiOf({ path: '/shop/v3/orders' }), 'orders', 'an unknown version falls to the original, whose operations do not match');
    assert.equal((await call(started, { path: '/shop/v3/orders' })).response.status, 404);
    assert.equal(await apiOf({ path: '/stock/orders?api-version=v1' }), 'stock-v1');
    assert.equal(await apiOf({ path: '/stock/orders' }), undefined);
    assert.equal(await apiOf({ path: '/prices/orders', headers: { 'api-version': '2024-01-01' } }), 'prices-v1');
    assert.equal(await apiOf({ path: '/prices/orders', headers: { 'api-version': '2023-01-01' } }), undefined);
    const v2 = await call(started, { path: '/shop/v2/orders' });
    assert.equal((JSON.parse(v2.response.body.toString()) as { path: string }).path, '/api/orders', 'the version segment is not forwarded');
  });
});

describe('backends', () => {
  async function withOrdersApi(fetch?: ContainerContext['fetch']): Promise<Started> {
    const started = await startDeployed({ tag: '2.3.0', ...(fetch ? { fetch } : {}) });
    await changeAndWaitForRebuild(started, 'orders:Rev=1', () => {
      started.world.putApi(APIM, {
        name: 'orders',
        displayName: 'Orders',
        path: 'orders',
        protocols: ['http'],
        serviceUrl: 'http://orders.shop.svc.cluster.local:8080/api',
        subscriptionRequired: false,
        operations: [{ name: 'get-order', displayName: 'Get order', method: 'GET', urlTemplate: '/orders/{id}' }],
      });
      started.world.assignApi(APIM, BLOG.gateway.name, 'orders');
    });
    return started;
  }

  it('500 BackendConnectionFailure naming the backend when its name does not resolve', async () => {
    const started = await withOrdersApi();
    const { response, records } = await call(started, { path: '/orders/orders/17' });
    assert.equal(response.status, 500);
    const body = JSON.parse(response.body.toString()) as { statusCode: number; message: string; activityId: string };
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
    const block = records[0] ?? [];
    assert.ok(block[0]?.includes(`correlationId: ${body.activityId},`), 'activityId is the correlation id');
    assert.ok(block[0]?.includes('backendMethod: GET, backendUrl: http://orders.shop.svc.cluster.local:8080/api/orders/17, lastError: {'));
    assert.ok(!block[0]?.includes('backendResponseCode'));
    const { elapsed: _e, ...lastError } = lastErrorOf(block);
    assert.deepEqual(lastError, { source: 'request-forwarder', reason: 'BackendConnectionFailure', message: 'Name or service not known (orders.shop.svc.cluster.local:8080)', section: 'backend' });
  });

  it('500 naming a refused connection, and the backend reached through the cluster network when it answers', async () => {
    let answer: 'refuse' | 'serve' = 'refuse';
    const seen: Array<{ host: string; port: number; path: string; headers: Record<string, string> }> = [];
    const fetch: ContainerContext['fetch'] = async (host, port, request) => {
      if (answer === 'refuse') throw new ConnectionRefused(`connect ECONNREFUSED ${host}:${port}`);
      seen.push({ host, port, path: request.path, headers: request.headers });
      return { status: 201, headers: { 'content-type': 'text/plain', 'x-backend': 'yes', 'transfer-encoding': 'chunked' }, body: Buffer.from('made') };
    };
    const started = await withOrdersApi(fetch);
    const refused = await call(started, { path: '/orders/orders/17' });
    assert.equal(refused.response.status, 500);
    assert.equal(lastErrorOf(refused.records[0] ?? [])['message'], 'Connection refused (orders.shop.svc.cluster.local:8080)');
    answer = 'serve';
    const served = await call(started, { path: '/orders/orders/17?x=1', headers: { 'x-client': 'c' } });
    assert.equal(served.response.status, 201);
    assert.equal(served.response.body.toString(), 'made');
    assert.equal(served.response.headers['x-backend'], 'yes');
    assert.equal(served.response.headers['transfer-encoding'], undefined);
    assert.deepEqual(seen, [{ host: 'orders.shop.svc.cluster.local', port: 8080, path: '/api/orders/17?x=1', headers: { 'x-client': 'c', host: 'orders.shop.svc.cluster.local:8080', 'x-forwarded-for': '10.240.0.25' } }]);
    assert.ok(served.records[0]?.[0]?.includes('isRequestSuccess: True, '));
    assert.ok(served.records[0]?.[0]?.includes('backendResponseCode: 201, responseCode: 201,'));
  });
});

describe('request records', () => {
  it('are one JSON object per line with telemetry.logs.std=json, lastError nested', async () => {
    const started = await startDeployed({ env: { 'telemetry.logs.std': 'json' } });
    const from = started.run.lines.length;
    await send(started.run, { path: '/echo/resource?param1=sample' });
    const objects = started.run.since(from).map((l) => JSON.parse(l) as Record<string, unknown>);
    const records = objects.filter((o) => o['category'] === 'GatewayLogs');
    assert.equal(records.length, 1);
    const record = records[0] ?? {};
    assert.deepEqual(Object.keys(record), ['isRequestSuccess', 'totalTime', 'category', 'callerIpAddress', 'timeGenerated', 'region', 'correlationId', 'method', 'url', 'responseCode', 'responseSize', 'cache', 'clientProtocol', 'lastError']);
    assert.equal(record['isRequestSuccess'], false);
    assert.equal(record['url'], BLOG_URL);
    assert.match(String(record['timeGenerated']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    assert.equal((record['lastError'] as { reason: string }).reason, 'OperationNotFound');
  });

  it('are not written when the service has no local diagnostics, while requests are still answered', async () => {
    const started = await startDeployed({ prepare: (world) => world.setLocalDiagnostics(APIM, false) });
    assert.ok(!started.run.lines.some((l) => l.includes('[LocalDiagnosticAddedToTenant]')));
    const from = started.run.lines.length;
    assert.equal((await send(started.run, { path: '/echo/resource?param1=sample' })).status, 404);
    assert.equal((await send(started.run, { path: '/dummy/items' })).status, 200);
    assert.deepEqual(recordBlocks(started.run.since(from)), []);
    assert.ok(!started.run.since(from).some((l) => l.includes('GatewayLogs')));
  });

  it('carry the correlation id in a response header only when an outbound policy puts it there', async () => {
    const started = await startDeployed({ prepare: (world) => world.updateService(APIM, { responseCorrelationHeader: 'X-Correlation-Id' }) });
    const ok = await call(started, { path: '/dummy/items' });
    assert.ok(ok.records[0]?.[0]?.includes(`correlationId: "${ok.response.headers['x-correlation-id']}"`));
    const notFound = await call(started, { path: '/nowhere' });
    assert.equal(notFound.response.headers['x-correlation-id'], undefined);
    const plain = await startDeployed();
    assert.deepEqual(Object.keys((await send(plain.run, { path: '/dummy/items' })).headers).sort(), ['content-length', 'content-type', 'date']);
  });
});

describe('pipeline timing', () => {
  it('writes totalTime from the monotonic clock and leaves a zero lastError.elapsed out', async () => {
    const { world } = createWorld('blog-deployed');
    const snapshot = buildSnapshot(world, APIM, BLOG.gateway.name);
    assert.ok(snapshot);
    const fetch: ContainerContext['fetch'] = async () => {
      throw new Error('not called');
    };
    const frozen = await processApiRequest({ snapshot, now: () => world.now(), fetch, monotonic: () => 1000 }, simRequest({ path: '/echo/resource?param1=sample' }));
    assert.equal(frozen.record.totalTime, 0);
    assert.deepEqual(Object.keys(frozen.record.lastError ?? {}), ['source', 'reason', 'message', 'section']);
    let t = 1000;
    const ticking = await processApiRequest({ snapshot, now: () => world.now(), fetch, monotonic: () => (t += 7) }, simRequest({ path: '/echo/resource?param1=sample' }));
    assert.equal(ticking.record.lastError?.elapsed, 7);
    assert.equal(ticking.record.totalTime, 14, 'the total includes the moment of the error');
    assert.equal(ticking.record.responseSize, ticking.response.body.length + Buffer.byteLength('HTTP/1.1 404 Not Found\r\n') + Object.entries(ticking.response.headers).reduce((n, [k, v]) => n + Buffer.byteLength(`${k}: ${v}\r\n`), 0) + 2);
  });
});
