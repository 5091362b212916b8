// The running gateway and the world: re-sync on change, tokens that expire or stop verifying, a gateway resource that
// appears after its pod, the load knob, and clean shutdown.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createGatewayProgram } from './gateway/program.ts';
import { envFromManifests, eventNames, recordBlocks, runContainer, send, waitFor, type FakeRun } from './gateway/testing.ts';
import { generateGatewayToken } from './world/tokens.ts';
import type { World } from './world/world.ts';
import { BLOG, createWorld } from './worlds/index.ts';

const APIM = BLOG.apim.name;
const GATEWAY = BLOG.gateway.name;
const MINUTE = 60_000;

const runs: FakeRun[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) run.kill();
});

/** A world whose clock the test moves, and a gateway container started on it with `token`. */
function setUp(options: { token?: (world: World, now: Date) => string; pollIntervalMs?: number; prepare?: (world: World) => void } = {}) {
  const { world, kubernetesObjects } = createWorld('blog-deployed');
  let now = new Date('2026-05-10T08:00:00Z');
  world.setClock(() => now);
  options.prepare?.(world);
  const { image, env } = envFromManifests(kubernetesObjects);
  if (options.token) env['config.service.auth'] = `GatewayKey ${options.token(world, now)}`;
  else env['config.service.auth'] = `GatewayKey ${generateGatewayToken(world.gateway(APIM, GATEWAY), 'primary', new Date(now.getTime() + 30 * 24 * 60 * MINUTE))}`;
  const run = runContainer(createGatewayProgram(world, { startupStepMs: 1, pollIntervalMs: options.pollIntervalMs ?? 60_000, resyncDelayMs: 5 }), { image, env });
  runs.push(run);
  return {
    world,
    run,
    setNow: (date: Date) => {
      now = date;
      world.setClock(() => now);
    },
  };
}

describe('re-sync', () => {
  it('rebuilds the route table of an API within a second of its assignment and serves it; unassigning stops it', async () => {
    const { world, run } = setUp({ prepare: (w) => w.unassignApi(APIM, GATEWAY, 'dummy') });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.ok(!run.lines.some((l) => l.includes('dummy:Rev=1')));
    assert.equal((await send(run, { path: '/dummy/items' })).status, 404);
    const from = run.lines.length;
    const t0 = Date.now();
    world.assignApi(APIM, GATEWAY, 'dummy');
    await waitFor(() => run.since(from).some((l) => l.includes('[OperationRouteTableRebuildCompleted], message: dummy:Rev=1, source: ApiRouter')), 'rebuild', 1000);
    assert.ok(Date.now() - t0 < 1000);
    assert.deepEqual(eventNames(run.since(from)), ['OperationRouteTableRebuildStarted', 'OperationRouteTableRebuildCompleted'], 'only the changed API is rebuilt');
    assert.equal((await send(run, { path: '/dummy/items' })).status, 200);
    world.unassignApi(APIM, GATEWAY, 'dummy');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await send(run, { path: '/dummy/items' })).status, 404);
  });

  it('logs the poll at Verbose only when telemetry.logs.std.level lets it through', async () => {
    const { world, kubernetesObjects } = createWorld('blog-deployed');
    const { image, env } = envFromManifests(kubernetesObjects);
    const run = runContainer(createGatewayProgram(world, { startupStepMs: 1, pollIntervalMs: 20 }), { image, env: { ...env, 'telemetry.logs.std.level': 'debug' } });
    runs.push(run);
    await waitFor(() => run.lines.some((l) => l.startsWith('[Verbose]') && l.includes('[NoNewEvents], source: EntityEventLoop')), 'poll');
    const getting = run.lines.find((l) => l.includes('[GettingEventsFromApi]'));
    const quiet = setUp({ pollIntervalMs: 20 });
    await waitFor(() => quiet.run.instance.ready?.() === true, 'ready');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.ok(!quiet.run.lines.some((l) => l.startsWith('[Verbose]')), 'info level hides the poll');
    assert.match(getting ?? '', /^\[Verbose\] \S+ \[GettingEventsFromApi\], message: uri: https:\/\/rb-azure-apim\.configuration\.azure-api\.net\/gateways\/rb-arc-gateway\/events\?\$top=100&\$skiptoken=[0-9a-f]{8}, dataset-id: [a-z0-9]{15}, request-id: [0-9a-f-]{36}, source: ConfigurationApiClient$/);
  });
});

describe('tokens', () => {
  it('an expired token: the pod runs and turns ready, logs the 401 at every poll, and answers everything with an empty 200', async () => {
    const { run } = setUp({ token: (world, now) => generateGatewayToken(world.gateway(APIM, GATEWAY), 'primary', new Date(now.getTime() - MINUTE)), pollIntervalMs: 30 });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.equal(run.exitCode(), undefined);
    const failure = run.lines.find((l) => l.includes('[LoadingConfigurationFailed]'));
    assert.match(failure ?? '', /^\[Error\] \S+ \[LoadingConfigurationFailed\], message: https:\/\/rb-azure-apim\.configuration\.azure-api\.net, error: Response status code does not indicate success: 401 \(Unauthorized\)\., source: ServiceConfigurationSource$/);
    assert.ok(!run.lines.some((l) => l.includes('[TenantStarted]') || l.includes('[OperationRouteTableRebuild')));
    const from = run.lines.length;
    for (const path of ['/echo/resource?param1=sample', '/dummy/items', '/anything']) {
      const response = await send(run, { path });
      assert.equal(response.status, 200);
      assert.equal(response.body.length, 0);
    }
    await waitFor(() => run.since(from).filter((l) => l.includes('[LoadingConfigurationFailed]')).length >= 2, 'periodic failures');
    assert.deepEqual(recordBlocks(run.lines), [], 'no request record at all');
  });

  it('a token that expires while running: warns at the next sync and keeps serving its last configuration (fail static)', async () => {
    const { world, run, setNow } = setUp({ token: (w, now) => generateGatewayToken(w.gateway(APIM, GATEWAY), 'primary', new Date(now.getTime() + 10 * MINUTE)) });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    const from = run.lines.length;
    setNow(new Date('2026-05-10T08:11:00Z'));
    await waitFor(() => run.since(from).some((l) => l.includes('[ConfigurationSyncFailed]')), 'sync failure');
    assert.match(run.since(from).find((l) => l.includes('[ConfigurationSyncFailed]')) ?? '', /^\[Warn\] \S+ \[ConfigurationSyncFailed\], message: https:\/\/rb-azure-apim\.configuration\.azure-api\.net\/gateways\/rb-arc-gateway\/events\?.*401 \(Unauthorized\).*source: ConfigurationApiClient$/);
    // The cloud's changes no longer reach it...
    world.updateApi(APIM, 'echo-api', { protocols: ['http', 'https'] });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.ok(!run.since(from).some((l) => l.includes('echo-api:Rev=1')));
    // ...and it serves what it had: the HTTPS-only Echo API still 404s over HTTP, with a record.
    const before = run.lines.length;
    assert.equal((await send(run, { path: '/echo/resource?param1=sample' })).status, 404);
    assert.equal((await send(run, { path: '/dummy/items' })).status, 200);
    assert.equal(recordBlocks(run.since(before)).length, 2);
  });

  it('regenerating the key that signed the token cuts the gateway off in the same way', async () => {
    const { world, run } = setUp();
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    const from = run.lines.length;
    world.regenerateGatewayKey(APIM, GATEWAY, 'secondary');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.ok(!run.since(from).some((l) => l.includes('[ConfigurationSyncFailed]')), 'the other key is irrelevant');
    world.regenerateGatewayKey(APIM, GATEWAY, 'primary');
    await waitFor(() => run.since(from).some((l) => l.includes('[ConfigurationSyncFailed]')), 'sync failure');
    world.unassignApi(APIM, GATEWAY, 'dummy');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal((await send(run, { path: '/dummy/items' })).status, 200, 'still serving the last configuration');
  });

  it('a gateway resource created after its pod: the pod starts its tenant once the configuration endpoint knows it', async () => {
    let savedKeys: { primary: string; secondary: string } | undefined;
    const { world, run } = setUp({
      prepare: (w) => {
        savedKeys = { ...w.gateway(APIM, GATEWAY).keys };
      },
      token: (w, now) => {
        const token = generateGatewayToken(w.gateway(APIM, GATEWAY), 'primary', new Date(now.getTime() + 60 * MINUTE));
        w.deleteGateway(APIM, GATEWAY);
        return token;
      },
    });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.ok(run.lines.some((l) => l.includes('[LoadingConfigurationFailed]')));
    assert.equal((await send(run, { path: '/dummy/items' })).status, 200);
    assert.ok(savedKeys);
    world.putGateway(APIM, { name: GATEWAY, locationData: { name: 'rb-arc' }, keys: savedKeys, apis: ['dummy'] });
    await waitFor(() => run.lines.some((l) => l.includes('[TenantStarted]')), 'tenant start');
    const response = await send(run, { path: '/dummy/items' });
    assert.equal(response.status, 200);
    assert.ok(response.body.length > 0, 'answered by the backend, not the empty fallback');
  });
});

describe('load knob and shutdown', () => {
  it('writes filler lines at the rate the world sets, and stops when it is set to zero', async () => {
    const { world, run } = setUp();
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    const from = run.lines.length;
    world.setGatewayLogRate(APIM, GATEWAY, 1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    world.setGatewayLogRate(APIM, GATEWAY, 0);
    const written = run.since(from).length;
    assert.ok(written >= 150 && written <= 450, `about 300 lines in 300 ms, got ${written}`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(run.since(from).length, written);
    for (const line of run.since(from)) assert.match(line, /^\[Info\] \S+ \[[A-Za-z]+\]/);
  });

  it('kill: no more lines, no world listeners left behind, connections refused', async () => {
    const { world, run } = setUp({ pollIntervalMs: 10 });
    const listenersBefore = world.events.listenerCount;
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.equal(world.events.listenerCount, listenersBefore + 1);
    run.kill();
    const count = run.lines.length;
    world.assignApi(APIM, GATEWAY, 'dummy');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(run.lines.length, count);
    assert.equal(world.events.listenerCount, listenersBefore);
    await assert.rejects(send(run, { path: '/dummy/items' }), /ECONNREFUSED/);
  });
});
