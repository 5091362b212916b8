// The gateway container's startup, driven through a fake kubelet context (the Kubernetes emulator is tested on its
// own): what it prints, in what order, when it listens and turns ready, and how bad configuration ends it.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ConnectionRefused } from './k8s/containers.ts';
import { createGatewayProgram } from './gateway/program.ts';
import { envFromManifests, eventNames, runContainer, send, waitFor, type FakeRun } from './gateway/testing.ts';
import { legacyConfigurationEndpoint } from './world/ids.ts';
import { BLOG, createWorld } from './worlds/index.ts';

const runs: FakeRun[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) run.kill();
});

function start(options: { tag?: string; env?: (env: Record<string, string>) => Record<string, string>; startupStepMs?: number; clock?: Date } = {}) {
  const created = createWorld('blog-deployed');
  if (options.clock) {
    const base = options.clock.getTime();
    const t0 = Date.now();
    created.world.setClock(() => new Date(base + (Date.now() - t0)));
  }
  const { image, env } = envFromManifests(created.kubernetesObjects);
  const run = runContainer(createGatewayProgram(created.world, { startupStepMs: options.startupStepMs ?? 1, pollIntervalMs: 60_000 }), {
    image: options.tag ? image.replace(/:v2$/, `:${options.tag}`) : image,
    env: options.env ? options.env({ ...env }) : env,
  });
  runs.push(run);
  return { ...created, run };
}

/** `needles` occur in `haystack` in this order (other entries may sit between them). */
function assertInOrder(haystack: readonly string[], needles: readonly string[]): void {
  let at = 0;
  for (const needle of needles) {
    const found = haystack.findIndex((line, i) => i >= at && line.includes(needle));
    assert.ok(found >= 0, `expected "${needle}" after position ${at}\n${haystack.join('\n')}`);
    at = found + 1;
  }
}

describe('gateway startup (v2)', () => {
  it('prints banner, version, loads configuration, listens, syncs, rebuilds each assigned API and starts the tenant', async () => {
    const { run } = start();
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assertInOrder(run.lines, [
      '(c) Microsoft Corporation. All rights reserved.',
      'See Microsoft Azure Legal Information: https://azure.microsoft.com/en-us/support/legal/',
      'version: 2.11.1.0',
      'commit: ',
      '[HostBootstrapperStarting]',
      '[LoadingConfiguration], message: https://rb-azure-apim.configuration.azure-api.net, source: ServiceConfigurationSource',
      '[ConfigurationUpdated], message: Updated settings: tenant.id, ',
      'Now listening on: http://0.0.0.0:8080',
      'Now listening on: https://0.0.0.0:8081',
      '[HostBootstrapperStarted]',
      '[TenantStarting], message: Tenant lifecycle id: ',
      '[ConfigInitialSyncStarted], source: ConfigurationRepositoryProvider',
      '[LocalDiagnosticAddedToTenant], message: rb-azure-apim.azure-api.net',
      '[OperationRouteTableRebuildStarted], message: echo-api:Rev=1, source: ApiRouter',
      '[OperationRouteTableRebuildCompleted], message: echo-api:Rev=1, source: ApiRouter',
      '[OperationRouteTableRebuildStarted], message: dummy:Rev=1, source: ApiRouter',
      '[OperationRouteTableRebuildCompleted], message: dummy:Rev=1, source: ApiRouter',
      '[EventSnapshotRestored], message: revision: ',
      '[ConfigInitialSyncCompleted], source: ConfigurationRepositoryProvider',
      '[TenantStarted], message: Tenant lifecycle id: ',
    ]);
    const versionLine = run.lines.find((l) => l.startsWith('commit: '));
    assert.match(versionLine ?? '', /^commit: [0-9a-f]{40}$/);
    for (const line of run.lines.filter((l) => l.startsWith('['))) assert.match(line, /^\[(Info|Warn)\] \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3} \[[A-Za-z]+\]/);
    assert.equal(run.exitCode(), undefined);
  });

  it('refuses connections until it listens and reports ready only after the initial sync', async () => {
    const { run } = start({ startupStepMs: 30 });
    assert.equal(run.instance.ready?.(), false);
    await assert.rejects(send(run, { path: '/status-0123456789abcdef' }), ConnectionRefused);
    await waitFor(() => run.lines.includes('Now listening on: http://0.0.0.0:8080'), 'listening');
    const health = await send(run, { path: '/internal-status-0123456789abcdef' });
    assert.equal(health.status, 200);
    assert.equal(run.instance.ready?.(), false, 'listening but not yet synced');
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.ok(run.lines.some((l) => l.includes('[ConfigInitialSyncCompleted]')));
  });

  it('answers both health paths with an empty 200 on either port and writes no request record for them', async () => {
    const { run } = start();
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    const before = run.lines.length;
    for (const [path, port, scheme] of [['/status-0123456789abcdef', 8080, 'http'], ['/internal-status-0123456789abcdef', 8081, 'https']] as const) {
      const response = await send(run, { path, port, scheme });
      assert.equal(response.status, 200);
      assert.equal(response.body.length, 0);
    }
    assert.deepEqual(run.since(before), []);
    await assert.rejects(send(run, { path: '/status-0123456789abcdef', port: 4290 }), ConnectionRefused);
  });

  it('accepts the retired v1 endpoint with a warning and asks it for getConfiguration', async () => {
    const { run } = start({ env: (env) => ({ ...env, 'config.service.endpoint': legacyConfigurationEndpoint(createWorld('blog-start').world.service(BLOG.apim.name)) }) });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    const warning = run.lines.find((l) => l.includes('[ConfigurationEndpointDeprecated]'));
    assert.match(warning ?? '', /^\[Warn\] .*management\.azure-api\.net\/subscriptions\/.* no longer supported/);
    assert.ok(
      run.lines.some((l) =>
        l.includes(`[LoadingConfiguration], message: https://rb-azure-apim.management.azure-api.net/subscriptions/${BLOG.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/gateways/getConfiguration?api-version=2018-06-01-preview`),
      ),
    );
  });

  it('writes JSON lines with EventLevel names when telemetry.logs.std is json, the banner still as text', async () => {
    const { run } = start({ env: (env) => ({ ...env, 'telemetry.logs.std': 'json' }) });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.ok(run.lines.includes('version: 2.11.1.0'));
    const json = run.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, string>);
    assert.ok(json.length > 30);
    assert.ok(!run.lines.some((l) => l.startsWith('[Info]')));
    const rebuilt = json.find((o) => o['eventType'] === 'OperationRouteTableRebuildStarted');
    assert.deepEqual(Object.keys(rebuilt ?? {}), ['level', 'timestamp', 'eventType', 'message', 'source']);
    assert.equal(rebuilt?.['level'], 'Informational');
    assert.match(rebuilt?.['timestamp'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    assert.equal(rebuilt?.['message'], 'echo-api:Rev=1');
  });

  it('drops events below telemetry.logs.std.level, writes none at all with format none, and colours levels on request', async () => {
    const quiet = start({ env: (env) => ({ ...env, 'telemetry.logs.std.level': 'warn' }) });
    const none = start({ env: (env) => ({ ...env, 'telemetry.logs.std': 'none' }) });
    const colour = start({ env: (env) => ({ ...env, 'telemetry.logs.std.color': 'true' }) });
    for (const { run } of [quiet, none, colour]) await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.deepEqual(eventNames(quiet.run.lines), []);
    assert.ok(quiet.run.lines.includes('Now listening on: http://0.0.0.0:8080'), 'hosting lines are console output, not events');
    assert.ok(!none.run.lines.some((l) => l.startsWith('[') || l.startsWith('{')));
    assert.ok(none.run.lines.includes('version: 2.11.1.0'));
    assert.ok(colour.run.lines.some((l) => l.startsWith('\u001b[32m[Info]\u001b[0m ') && l.includes('[TenantStarted]')));
  });
});

describe('gateway startup (v1 tag)', () => {
  it('writes the 1.x sequence of the seed blog with its unpadded, 12-hour timestamps', async () => {
    const legacy = (env: Record<string, string>) => ({ ...env, 'config.service.endpoint': legacyConfigurationEndpoint(createWorld('blog-start').world.service(BLOG.apim.name)) });
    const { run, world } = start({ tag: '1.3.0', clock: new Date('2021-06-03T15:25:12.570Z'), env: legacy });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.equal(run.lines[0], 'WARNING: ca-certificates.crt does not contain exactly one certificate or CRL: skipping');
    assert.ok(run.lines.includes('version: 1.3.0.0'));
    const firstEvent = run.lines.find((l) => l.startsWith('['));
    assert.match(firstEvent ?? '', /^\[Warn\] 2021-06-3T03:25:1\d\.\d{3} \[LoadBackupLocationNotFound\], message: \/apim\/config, source: BackupMetadataProvider$/);
    assertInOrder(run.lines, [
      '[HostBootstrapperStarting]',
      `[LoadingConfiguration], message: https://rb-azure-apim.management.azure-api.net/subscriptions/${BLOG.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/gateways/getConfiguration?api-version=2018-06-01-preview, source: ServiceConfigurationSource`,
      '[ConfigurationUpdated], message: Updated settings: tenant.id, tenant.name, config.enc, config.enc.keys.primary, config.enc.keys.secondary, config.cert.privatekey.password, deployment.dataset.id, logs.applicationinsights.endpoint, policy.qouta.sync.table.connection,',
      'Now listening on: http://0.0.0.0:8080',
      `[TenantStarting], message: ${world.service(BLOG.apim.name).tenantId}`,
      '[ConfigInitialSyncStarted]',
      '[EventSnapshotElected], message: provider: storage, uri: https://apimst',
      '[OperationRouteTableRebuildStarted], message: echo-api;rev=1, source: ApiRouter',
      '[OperationRouteTableRebuildCompleted], message: dummy;rev=1, source: ApiRouter',
      '[WaitingForRemainingEvents], message: snapshot-rev: ',
      '[ConfigInitialSyncCompleted]',
      '[TenantStarted], message: ',
    ]);
    const tenantStarted = run.lines.find((l) => l.includes('[TenantStarted]'));
    assert.match(tenantStarted ?? '', /\[TenantStarted\], message: [0-9a-f]{24} 00:00:\d{2}\.\d{7}$/);
  });

  it('cannot use the v2 configuration endpoint (1.x only speaks the v1 API) and stays up without a configuration', async () => {
    // blog-deployed's endpoint is the v2 one; a 1.x image gets a 404 from it.
    const { run } = start({ tag: '1.3.0' });
    await waitFor(() => run.lines.some((l) => l.includes('[LoadingConfigurationFailed]')), 'failure');
    assert.ok(run.lines.some((l) => /^\[Error\] .*\[LoadingConfigurationFailed\].*404 \(Not Found\)/.test(l)));
  });
});

describe('gateway startup with bad settings', () => {
  async function exitsWith(env: (e: Record<string, string>) => Record<string, string>, message: RegExp): Promise<FakeRun> {
    const { run } = start({ env });
    await waitFor(() => run.exitCode() !== undefined, 'exit');
    assert.equal(run.exitCode(), 1);
    assert.ok(run.lines.some((l) => /^\[Error\] \S+ \[GatewayStartup\], message: /.test(l) && message.test(l)), run.lines.join('\n'));
    assert.ok(!run.lines.some((l) => l.startsWith('Now listening')));
    assert.equal(run.instance.ready?.(), false);
    return run;
  }

  it('exits non-zero without config.service.endpoint', async () => {
    await exitsWith((env) => {
      delete env['config.service.endpoint'];
      return env;
    }, /'config\.service\.endpoint' is not set/);
  });

  it('exits non-zero when config.service.auth is a bare token without the GatewayKey prefix', async () => {
    await exitsWith((env) => ({ ...env, 'config.service.auth': (env['config.service.auth'] ?? '').replace(/^GatewayKey /, '') }), /No valid authentication was configured/);
  });

  it('exits non-zero when config.service.auth is missing', async () => {
    await exitsWith((env) => {
      delete env['config.service.auth'];
      return env;
    }, /No valid authentication was configured/);
  });

  it('accepts config.service.auth=key with the token in config.service.auth.key', async () => {
    const { run } = start({ env: (env) => ({ ...env, 'config.service.auth': 'key', 'config.service.auth.key': (env['config.service.auth'] ?? '').replace(/^GatewayKey /, '') }) });
    await waitFor(() => run.instance.ready?.() === true, 'ready');
    assert.ok(run.lines.some((l) => l.includes('[TenantStarted]')));
  });
});
