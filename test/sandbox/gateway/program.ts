// The self-hosted gateway container as a ContainerProgram. It reads its settings from env, authenticates to "APIM"
// (the world) with its token, logs the real startup sequence, serves the assigned APIs, re-syncs when the world
// changes (the real one polls every 10 s; this one also reacts to world events within resyncDelayMs) and keeps
// serving its last configuration when the configuration endpoint turns it away.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionRefused, type ContainerContext, type ContainerInstance, type ContainerProgram, type SimRequest, type SimResponse } from '../k8s/containers.ts';
import type { WorldEvent } from '../world/events.ts';
import { parseGatewayToken, verifyGatewayToken } from '../world/tokens.ts';
import type { World } from '../world/world.ts';
import { bannerLines } from './banner.ts';
import { readGatewayConfig, type ConfigResult, type GatewayEnvConfig } from './config.ts';
import { buildSnapshot, changedApis, type ConfiguredApi, type GatewaySnapshot } from './configuration.ts';
import { GatewayLog } from './log.ts';
import { processApiRequest } from './pipeline.ts';
import { matchesGatewayImage, resolveGatewayBuild, type GatewayBuild, type LogDialect } from './version.ts';

export interface GatewayProgramOptions {
  /** The release `v2` / `latest` stand for (default: the newest the simulator knows, LATEST_V2). */
  floatingTagVersion?: string;
  /** Log in this dialect whatever the tag says. */
  dialect?: LogDialect;
  /** Configuration poll period; the real gateway polls every 10 s. */
  pollIntervalMs?: number;
  /** Delay between a world change and the re-sync it causes (batches a burst of changes). */
  resyncDelayMs?: number;
  /** Pause between startup phases, so the log unfolds over time as the real one's does (about 2 s in the seed). */
  startupStepMs?: number;
}

export const HTTP_PORT = 8080;
export const HTTPS_PORT = 8081;
export const HEALTH_PATHS: readonly string[] = ['/status-0123456789abcdef', '/internal-status-0123456789abcdef'];

export function createGatewayProgram(world: World, options: GatewayProgramOptions = {}): ContainerProgram {
  return {
    matches: matchesGatewayImage,
    start: (context) => new GatewayInstance(world, context, options).start(),
  };
}

type FetchResult =
  | { ok: true; snapshot: GatewaySnapshot }
  | { ok: false; error: string; kind: 'unauthorized' | 'not-found' | 'unresolvable' };

const UNAUTHORIZED = 'Response status code does not indicate success: 401 (Unauthorized).';
const NOT_FOUND = 'Response status code does not indicate success: 404 (Not Found).';

// The settings the configuration endpoint returns, as the seed's ConfigurationUpdated lists them for 1.x; 2.x gets
// its configuration from the configuration API and no longer receives the storage connection strings.
const V1_SETTINGS =
  'tenant.id, tenant.name, config.enc, config.enc.keys.primary, config.enc.keys.secondary, config.cert.privatekey.password, deployment.dataset.id, logs.applicationinsights.endpoint, policy.qouta.sync.table.connection, events.snapshot.initial.connection, events.snapshot.private.master.connection, events.table.connection, inspector.container.connection, deployment.instance.region, deployment.instance.gateway-id, deployment.id, deployment.name, config.mode';
const V2_SETTINGS =
  'tenant.id, tenant.name, config.enc, config.enc.keys.primary, config.enc.keys.secondary, config.cert.privatekey.password, deployment.dataset.id, logs.applicationinsights.endpoint, deployment.instance.region, deployment.instance.gateway-id, deployment.id, deployment.name, config.mode';

function randomLabel(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** .NET TimeSpan's constant format, as TenantStarted prints durations. */
function timeSpan(ms: number): string {
  const totalTicks = Math.round(ms * 10_000);
  const seconds = Math.floor(totalTicks / 10_000_000);
  const ticks = totalTicks % 10_000_000;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(ticks).padStart(7, '0')}`;
}

class Stopped extends Error {}

type SyncTrigger = 'initial' | 'poll' | 'event';

class GatewayInstance {
  readonly #world: World;
  readonly #ctx: ContainerContext;
  readonly #build: GatewayBuild;
  readonly #dialect: LogDialect;
  readonly #pollIntervalMs: number;
  readonly #resyncDelayMs: number;
  readonly #stepMs: number;
  readonly #abort = new AbortController();
  readonly #signal: AbortSignal;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #datasetId = randomLabel(15);
  readonly #storageAccount = `apimst${randomLabel(15)}`;
  readonly #log: GatewayLog;
  readonly #settings: ConfigResult;
  readonly #config: GatewayEnvConfig | undefined;
  #listening = false;
  #firstAttemptDone = false;
  #tenantStarted = false;
  #snapshot: GatewaySnapshot | undefined;
  #failing = false;
  #policiesParsed = false;
  #resyncPending = false;
  #queue: Promise<void> = Promise.resolve();
  #fillerTimer: NodeJS.Timeout | undefined;

  constructor(world: World, ctx: ContainerContext, options: GatewayProgramOptions) {
    this.#world = world;
    this.#ctx = ctx;
    this.#build = resolveGatewayBuild(ctx.image, options.floatingTagVersion);
    this.#dialect = options.dialect ?? this.#build.dialect;
    this.#pollIntervalMs = options.pollIntervalMs ?? 10_000;
    this.#resyncDelayMs = options.resyncDelayMs ?? 50;
    this.#stepMs = options.startupStepMs ?? 20;
    this.#signal = AbortSignal.any([ctx.signal, this.#abort.signal]);
    const parsed = readGatewayConfig(ctx.env);
    this.#settings = parsed;
    this.#config = parsed.ok ? parsed.config : undefined;
    this.#log = new GatewayLog((line) => this.#write(line), parsed.ok ? parsed.config.std : parsed.std, this.#dialect, () => world.now());
  }

  start(): ContainerInstance {
    this.#signal.addEventListener('abort', () => this.#shutdown(), { once: true });
    this.#run().catch((error: unknown) => {
      if (error instanceof Stopped || this.#signal.aborted) return;
      // A simulator bug: crash the way an unhandled .NET exception does, so the test sees it instead of a hang.
      this.#write(`Unhandled exception. ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.#shutdown();
      this.#ctx.exit(134);
    });
    return {
      handle: (request) => this.#handle(request),
      ready: () => this.#listening && (this.#tenantStarted || this.#firstAttemptDone),
      stop: () => this.#shutdown(),
    };
  }

  #write(line: string): void {
    if (!this.#signal.aborted) this.#ctx.log(line);
  }

  async #step(factor = 1): Promise<void> {
    if (this.#signal.aborted) throw new Stopped();
    try {
      await sleep(this.#stepMs * factor, undefined, { signal: this.#signal });
    } catch {
      throw new Stopped();
    }
  }

  #shutdown(): void {
    if (!this.#abort.signal.aborted) this.#abort.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#fillerTimer) clearInterval(this.#fillerTimer);
    this.#fillerTimer = undefined;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#listening = false;
  }

  // ---- Startup ---------------------------------------------------------------------------------------------------

  async #run(): Promise<void> {
    const log = this.#log;
    for (const line of bannerLines(this.#build)) log.raw(line);
    const parsed = this.#settings;
    if (!parsed.ok) {
      log.event({ level: 'Error', name: 'GatewayStartup', message: parsed.problem.message });
      await this.#step();
      this.#shutdown();
      this.#ctx.exit(1);
      return;
    }
    const config = parsed.config;
    const v1 = this.#dialect === 'v1';
    if (v1) log.event({ level: 'Warn', name: 'LoadBackupLocationNotFound', message: '/apim/config', source: 'BackupMetadataProvider' });
    log.info('HostBootstrapperStarting');
    this.#component('LogSinkEventListenerHost');
    if (config.endpoint.kind === 'v1' && this.#build.major >= 2) {
      log.event({
        level: 'Warn',
        name: 'ConfigurationEndpointDeprecated',
        message: `${config.endpoint.configured} uses the v1 configuration API, which is no longer supported since 1 October 2023; use https://${config.endpoint.serviceName ?? '<apim>'}.configuration.azure-api.net`,
        source: 'ServiceConfigurationSource',
      });
    }
    log.info('LoadingConfiguration', config.endpoint.loadUrl, 'ServiceConfigurationSource');
    await this.#step(5);
    const first = this.#fetch();
    if (first.ok) {
      log.info('ConfigurationUpdated', `Updated settings: ${v1 ? V1_SETTINGS : V2_SETTINGS}`, 'ServiceConfigurationSource');
    } else {
      this.#logFetchFailure(first, 'startup');
    }
    for (const name of ['ExternalConfigurationHeartbeat', 'ExternalConfigurationMonitor', 'P2PRateLimitSignalSenderService', 'P2PRateLimitSignalListenerService', 'StubHostableComponent', 'StubHostableComponent']) {
      this.#component(name);
    }
    log.info('ComponentStarting', 'NeighborDiscoveryService');
    log.info('SelfAddressDiscovery', 'Rate limit is running in UDP broadcast mode. Discovering local node addresses to ignore loopback datagrams...', 'P2PRateLimitSignalListenerService');
    log.info('NeighborhoodChangeDetected', '[] --> [255.255.255.255: 255.255.255.255]', 'UdpHeartbeatSender');
    log.info('NeighborhoodChangeDetected', '[] --> [255.255.255.255: 255.255.255.255]', 'P2PRateLimitSignalSenderService');
    log.info('ComponentStarted', 'NeighborDiscoveryService');
    this.#component('DotNettyBootstrapper');
    log.info('ComponentStarting', 'AspNetCoreBootstrapper');
    await this.#step();
    log.raw('Hosting environment: Production');
    log.raw('Content root path: /app');
    log.raw(`Now listening on: http://0.0.0.0:${HTTP_PORT}`);
    log.raw(`Now listening on: https://0.0.0.0:${HTTPS_PORT}`);
    this.#listening = true;
    log.info('MyAddresses', `127.0.0.1, ::1, ${this.#ctx.podIP}`, 'P2PRateLimitSignalListenerService');
    log.info('SignalListenerStarting', '0.0.0.0:4290', 'P2PRateLimitSignalListenerService');
    log.info('SignalListenerStarted', '0.0.0.0:4290', 'P2PRateLimitSignalListenerService');
    log.info('ComponentStarted', 'AspNetCoreBootstrapper');
    log.info('HostBootstrapperStarted');
    await this.#step();

    this.#unsubscribe.push(this.#world.events.onAny((event) => this.#onWorldEvent(event)));
    const poll = setInterval(() => this.#enqueue('poll'), this.#pollIntervalMs);
    this.#timers.add(poll);
    this.#updateFiller();
    // Through the queue, so world changes during the tenant's start are applied after it, not lost.
    this.#enqueue('initial', first);
    await this.#queue;
  }

  #component(name: string, source?: string): void {
    this.#log.info('ComponentStarting', name, source);
    this.#log.info('ComponentStarted', name, source);
  }

  #routeMessage(api: ConfiguredApi): string {
    // 1.x writes `echo-api;rev=1` (seed log); 2.x writes `echo-api:Rev=1` (a 2025 gateway 2.x log).
    return this.#dialect === 'v1' ? `${api.name};rev=${api.revision}` : `${api.name}:Rev=${api.revision}`;
  }

  #rebuildRoutes(apis: readonly ConfiguredApi[]): void {
    for (const api of apis) {
      this.#log.info('OperationRouteTableRebuildStarted', this.#routeMessage(api), 'ApiRouter');
      this.#log.info('OperationRouteTableRebuildCompleted', this.#routeMessage(api), 'ApiRouter');
    }
  }

  async #startTenant(initial: GatewaySnapshot): Promise<void> {
    const log = this.#log;
    const v1 = this.#dialect === 'v1';
    const started = performance.now();
    const lifecycleId = randomUUID();
    log.info('TenantStarting', v1 ? initial.tenantId : `Tenant lifecycle id: ${lifecycleId}`);
    log.event({ level: 'Info', name: 'KubernetesIngressModeDisabled', source: 'KubernetesConfigurationRepositoryProvider' });
    if (v1) {
      log.event({ level: 'Warn', name: 'LoadBackupLocationNotFound', message: '/apim/config', source: 'FileBackupProvider' });
      log.event({ level: 'Info', name: 'LegacyBackendUpdated', source: 'BackendService' });
    }
    log.event({ level: 'Info', name: 'BootstrapperStarting', source: 'Bootstrapper' });
    this.#component('PolicyMapBuilder', 'Bootstrapper');
    for (let i = 0; i < 4; i++) this.#component('RequestHandlerContainer', 'Bootstrapper');
    this.#component('JsonSchemaLicenseRegistrar', 'Bootstrapper');
    log.info('ComponentStarting', 'MetricPublisher', 'Bootstrapper');
    log.event({ level: 'Info', name: 'MetricPublicationStarted', source: 'MetricsPublisher' });
    log.info('ComponentStarted', 'MetricPublisher', 'Bootstrapper');
    this.#component('QuotaComponent', 'Bootstrapper');
    this.#component('CloudMetricConnection', 'Bootstrapper');
    log.event({ level: 'Info', name: 'ConfigStarted', source: 'CompositeConfigurationRepositoryProvider' });
    log.info('ConfigStarted', "Connected service is enabled. 'config.service.endpoint' is set.", 'CompositeConfigurationRepositoryProvider');
    log.event({ level: 'Info', name: 'ConfigInitialSyncStarted', source: 'ConfigurationRepositoryProvider' });
    await this.#step(3);
    // The world may have moved on while the tenant booted: sync what is there now.
    const fresh = this.#fetch();
    const snapshot = fresh.ok ? fresh.snapshot : initial;
    if (v1) {
      const snapshotUri = `https://${this.#storageAccount}.blob.core.windows.net/gatewaysnapshots${this.#datasetId}/snapshot-2019-10-11.gwhost_0.json.gzip`;
      log.event({ level: 'Info', name: 'CounterInitialSyncStarted', source: 'QuotaByKeyCounterService' });
      log.event({ level: 'Info', name: 'CounterInitialSyncCompleted', source: 'QuotaByKeyCounterService' });
      log.info('EventSnapshotElected', `provider: storage, uri: ${snapshotUri}, rev: ${snapshot.revision}`, 'events.snapshot');
      for (const name of ['ConfigurationRetrieving', 'ConfigurationLoaded', 'ConfigurationRetrieved']) log.info(name, snapshotUri, 'events.snapshot.storage.private');
    }
    log.info('LocalLoggerAddedToTenant', snapshot.serviceHost, 'DefaultLocalLoggerConfigurationFilter');
    if (snapshot.localDiagnostics) log.info('LocalDiagnosticAddedToTenant', snapshot.serviceHost, 'DefaultTenantDiagnosticConfigurationFilter');
    if (snapshot.applicationInsights) log.info('ApplicationInsightsLogPublisherInitializing', 'Telemetry endpoint: https://dc.services.visualstudio.com/', 'ApplicationInsights');
    this.#rebuildRoutes(snapshot.apis);
    if (snapshot.systemAssignedIdentity) log.info('ManagedIdentityAddedToMap', 'systemAssigned', 'ManagedIdentityResolver');
    const revision = snapshot.revision.toString(16).padStart(8, '0');
    if (v1) {
      log.event({ level: 'Info', name: 'LegacyBackendUpdated', source: 'BackendService' });
      log.info('EventSnapshotRestored', `revision: ${revision}, datasetId: ${this.#datasetId}`, 'ConfigurationRepositoryProvider');
      log.info('WaitingForRemainingEvents', `snapshot-rev: ${revision}`, 'ConfigurationRepositoryProvider');
      log.event({ level: 'Info', name: 'EventLoopStopped', source: 'TableStorageEventLoopFactory' });
      log.event({ level: 'Info', name: 'EventLoopStarted', source: 'TableStorageEventLoopFactory' });
    } else {
      log.info('EventSnapshotRestored', `revision: ${revision}, serviceName: ${snapshot.serviceName}, gatewayId: ${snapshot.gatewayId}`, 'ConfigurationRepositoryProvider');
    }
    log.event({ level: 'Info', name: 'EventsSuccessfullyRestored', source: 'ConfigurationRepositoryProvider' });
    this.#snapshot = snapshot;
    this.#failing = false;
    log.event({ level: 'Info', name: 'ConfigInitialSyncCompleted', source: 'ConfigurationRepositoryProvider' });
    log.event({ level: 'Info', name: 'BootstrapperStarted', source: 'Bootstrapper' });
    const took = timeSpan(performance.now() - started);
    log.info('TenantStarted', v1 ? `${snapshot.tenantId} ${took}` : `Tenant lifecycle id: ${lifecycleId} in ${took}`);
    this.#tenantStarted = true;
  }

  // ---- Configuration sync ----------------------------------------------------------------------------------------

  /** One call to the configuration endpoint, answered from the world. */
  #fetch(): FetchResult {
    const config = this.#config;
    if (!config) return { ok: false, kind: 'unauthorized', error: UNAUTHORIZED };
    const { endpoint } = config;
    const service = endpoint.serviceName === undefined ? undefined : this.#world.findService(endpoint.serviceName);
    if (!service) return { ok: false, kind: 'unresolvable', error: `Name or service not known (${endpoint.host}:443)` };
    // 1.x only speaks the v1 protocol: the v2 endpoint has no getConfiguration resource for it.
    if (endpoint.kind === 'v2' && this.#build.major < 2) return { ok: false, kind: 'not-found', error: NOT_FOUND };
    const verified = verifyGatewayToken(this.#world, config.token, service.name);
    if (!verified.ok) return { ok: false, kind: 'unauthorized', error: UNAUTHORIZED };
    const snapshot = buildSnapshot(this.#world, service.name, verified.gateway.name);
    if (!snapshot) return { ok: false, kind: 'unauthorized', error: UNAUTHORIZED };
    return { ok: true, snapshot };
  }

  #logFetchFailure(failure: Extract<FetchResult, { ok: false }>, when: 'startup' | 'poll'): void {
    const config = this.#config;
    if (!config) return;
    if (when === 'startup' || !this.#snapshot) {
      this.#log.event({ level: 'Error', name: 'LoadingConfigurationFailed', message: `${config.endpoint.loadUrl}, error: ${failure.error}`, source: 'ServiceConfigurationSource' });
    } else {
      this.#log.event({ level: 'Warn', name: 'ConfigurationSyncFailed', message: `${this.#eventsUri()}, error: ${failure.error}`, source: 'ConfigurationApiClient' });
    }
  }

  #eventsUri(): string {
    const config = this.#config;
    const gatewayId = config ? (parseGatewayToken(config.token)?.gatewayId ?? '') : '';
    const skip = (this.#snapshot?.revision ?? 0).toString(16).padStart(8, '0');
    return `${config?.endpoint.loadUrl ?? ''}/gateways/${gatewayId}/events?$top=100&$skiptoken=${skip}`;
  }

  #onWorldEvent(event: WorldEvent): void {
    if (event.type === 'gateway-simulation-changed') {
      this.#updateFiller();
      return;
    }
    const service = this.#config?.endpoint.serviceName?.toLowerCase();
    const concernsUs = event.type === 'clock-changed' || ('service' in event && event.service.toLowerCase() === service);
    if (!concernsUs || this.#resyncPending) return;
    this.#resyncPending = true;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#resyncPending = false;
      this.#enqueue('event');
    }, this.#resyncDelayMs);
    this.#timers.add(timer);
  }

  #enqueue(trigger: SyncTrigger, startupResult?: FetchResult): void {
    this.#queue = this.#queue
      .then(() => this.#sync(trigger, startupResult))
      .catch((error: unknown) => {
        if (!(error instanceof Stopped)) throw error;
      });
    // A rejection here is a simulator bug: it surfaces as an unhandled rejection and fails the test run.
  }

  async #sync(trigger: SyncTrigger, startupResult?: FetchResult): Promise<void> {
    if (this.#signal.aborted || !this.#listening) return;
    if (trigger === 'initial') {
      const attempt = this.#fetch();
      try {
        if (attempt.ok) {
          await this.#startTenant(attempt.snapshot);
        } else {
          // Still running, still answering: without a configuration every request gets an empty 200 (issue #287).
          this.#failing = true;
          if (startupResult?.ok !== false || startupResult.kind !== attempt.kind) this.#logFetchFailure(attempt, 'startup');
        }
      } finally {
        this.#firstAttemptDone = true;
      }
      return;
    }
    if (trigger === 'poll' && this.#dialect !== 'v1') {
      this.#log.event({
        level: 'Verbose',
        name: 'GettingEventsFromApi',
        message: `uri: ${this.#eventsUri()}, dataset-id: ${this.#datasetId}, request-id: ${randomUUID()}`,
        source: 'ConfigurationApiClient',
      });
    }
    const result = this.#fetch();
    if (!result.ok) {
      // Polls repeat the complaint; a world event that changes nothing for us stays quiet, like the real loop.
      if (trigger === 'poll' || !this.#failing) this.#logFetchFailure(result, 'poll');
      this.#failing = true;
      return;
    }
    this.#failing = false;
    if (!this.#tenantStarted) {
      await this.#startTenant(result.snapshot);
      return;
    }
    const previous = this.#snapshot;
    const next = result.snapshot;
    if (previous && next.revision === previous.revision) {
      if (trigger === 'poll') this.#log.event({ level: 'Verbose', name: 'NoNewEvents', source: 'EntityEventLoop' });
      return;
    }
    if (next.localDiagnostics && !previous?.localDiagnostics) this.#log.info('LocalDiagnosticAddedToTenant', next.serviceHost, 'DefaultTenantDiagnosticConfigurationFilter');
    this.#rebuildRoutes(changedApis(previous, next));
    this.#snapshot = next;
  }

  // ---- Load knob ------------------------------------------------------------------------------------------------

  #updateFiller(): void {
    const config = this.#config;
    const gatewayId = config ? parseGatewayToken(config.token)?.gatewayId : undefined;
    const service = config?.endpoint.serviceName ? this.#world.findService(config.endpoint.serviceName) : undefined;
    const rate = gatewayId !== undefined ? (service?.gateways.get(gatewayId)?.simulatedLogRate ?? 0) : 0;
    if (this.#fillerTimer) clearInterval(this.#fillerTimer);
    this.#fillerTimer = undefined;
    if (rate <= 0 || this.#signal.aborted) return;
    let owed = 0;
    let last = performance.now();
    let n = 0;
    const tick = () => {
      const now = performance.now();
      owed += ((now - last) / 1000) * rate;
      last = now;
      for (; owed >= 1; owed--) this.#fillerLine(n++);
    };
    this.#fillerTimer = setInterval(tick, 20);
  }

  // Events real gateways repeat while idle. Some are Verbose in the real product; the filler writes them at Info so
  // the load shows at the default level. Benchmarks only: never enabled by a world that models a real situation.
  #fillerLine(n: number): void {
    const log = this.#log;
    switch (n % 4) {
      case 0:
        log.info('SendingHeartbeat', 'Sending heartbeat to 0 instances', 'UdpHeartbeatSender');
        break;
      case 1:
        log.event({ level: 'Info', name: 'HeartbeatSent', source: 'UdpHeartbeatSender' });
        break;
      case 2:
        log.info('PolicyParsingScheduled', `key: scope: Tenant, id: tenant, revision: ${n}`, 'PolicyMapBuilder');
        break;
      default:
        log.info('PolicyParsingSucceeded', `key: scope: Tenant, id: tenant, revision: ${n - 1}`, 'PolicyMapBuilder');
    }
  }

  // ---- Serving ---------------------------------------------------------------------------------------------------

  async #handle(request: SimRequest): Promise<SimResponse> {
    if (!this.#listening || (request.port !== HTTP_PORT && request.port !== HTTPS_PORT)) {
      throw new ConnectionRefused(`connect ECONNREFUSED ${this.#ctx.podIP}:${request.port}`);
    }
    const receivedAt = this.#world.now();
    const q = request.path.indexOf('?');
    const path = q < 0 ? request.path : request.path.slice(0, q);
    if (HEALTH_PATHS.includes(path)) return this.#empty();
    const snapshot = this.#snapshot;
    if (!snapshot) return this.#empty();
    if (!this.#policiesParsed) {
      this.#policiesParsed = true;
      for (const [scope, id] of [['System', 'system'], ['Tenant', 'tenant']] as const) {
        this.#log.info('PolicyParsingScheduled', `key: scope: ${scope}, id: ${id}, revision: 1`, 'PolicyMapBuilder');
        this.#log.info('PolicyParsingSucceeded', `key: scope: ${scope}, id: ${id}, revision: 1`, 'PolicyMapBuilder');
      }
    }
    const result = await processApiRequest({ snapshot, now: () => this.#world.now(), fetch: (...args) => this.#ctx.fetch(...args), receivedAt }, request);
    if (snapshot.localDiagnostics) this.#log.request(result.record, result.startedAt);
    return result.response;
  }

  #empty(): SimResponse {
    return { status: 200, headers: { 'content-length': '0', date: this.#world.now().toUTCString() }, body: Buffer.alloc(0) };
  }
}
