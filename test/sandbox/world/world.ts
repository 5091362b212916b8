// The world: one mutable model that the ARM emulator, the Kubernetes emulator's containers and the tests share.
// Mutators are small and do no validation an Azure service would do (that belongs to the emulator answering the
// request); they throw only on programming errors such as naming a service that does not exist. Every mutation that
// a gateway's configuration depends on bumps the service's configurationRevision and emits one event.
import { WorldEvents, type WorldEvent } from './events.ts';
import { arcClusterResourceId, apiRevisionKey } from './ids.ts';
import type {
  ApimApi,
  ApimProduct,
  ApimService,
  ApimSubscription,
  ApiOperation,
  ApiVersionSet,
  ArcCluster,
  ArcExtension,
  AzureSubscription,
  GatewayHostnameConfiguration,
  GatewayKeyType,
  SelfHostedGateway,
} from './model.ts';
import { newEntityId, newGatewayKey, newSubscriptionKey } from './tokens.ts';

export type ServiceInput = Omit<ApimService, 'apis' | 'versionSets' | 'products' | 'subscriptions' | 'gateways' | 'configurationRevision' | 'tenantId' | 'identity' | 'applicationInsights' | 'localDiagnostics' | 'createdAt'> &
  Partial<Pick<ApimService, 'tenantId' | 'identity' | 'applicationInsights' | 'localDiagnostics' | 'createdAt'>>;

export type ApiInput = Omit<ApimApi, 'operations' | 'apiRevision' | 'isCurrent' | 'subscriptionKeyParameterNames' | 'protocols' | 'serviceUrl' | 'subscriptionRequired'> &
  Partial<Pick<ApimApi, 'apiRevision' | 'isCurrent' | 'subscriptionKeyParameterNames' | 'protocols' | 'serviceUrl' | 'subscriptionRequired'>> & {
    operations?: ApiOperation[];
  };

export type ProductInput = Omit<ApimProduct, 'apis' | 'state' | 'approvalRequired' | 'subscriptionsLimit' | 'subscriptionRequired'> &
  Partial<Pick<ApimProduct, 'state' | 'approvalRequired' | 'subscriptionsLimit' | 'subscriptionRequired'>> & { apis?: string[] };

export type SubscriptionInput = Omit<ApimSubscription, 'name' | 'primaryKey' | 'secondaryKey' | 'state' | 'allowTracing' | 'createdDate' | 'displayName'> &
  Partial<Pick<ApimSubscription, 'name' | 'primaryKey' | 'secondaryKey' | 'state' | 'allowTracing' | 'createdDate' | 'displayName'>>;

export type GatewayInput = Omit<SelfHostedGateway, 'keys' | 'apis' | 'hostnameConfigurations' | 'simulatedLogRate'> &
  Partial<Pick<SelfHostedGateway, 'keys'>> & { apis?: string[] };

export type ArcClusterInput = Omit<ArcCluster, 'extensions'>;

export class World {
  readonly events = new WorldEvents();
  /** Azure subscriptions by id. */
  readonly azureSubscriptions = new Map<string, AzureSubscription>();
  /** Arc-enabled clusters by lower-cased resource id (ARM ids are case-insensitive). */
  readonly arcClusters = new Map<string, ArcCluster>();
  /** APIM services by lower-cased name (service names are global DNS labels). */
  readonly services = new Map<string, ApimService>();
  #clock: () => Date = () => new Date();

  /** The world's time: token expiry and the gateway's log timestamps follow it, so tests can move it. */
  now(): Date {
    return this.#clock();
  }

  setClock(clock: () => Date): void {
    this.#clock = clock;
    this.events.emit({ type: 'clock-changed' });
  }

  // ---- Azure subscriptions and Arc -------------------------------------------------------------------------------

  addAzureSubscription(subscription: AzureSubscription): AzureSubscription {
    this.azureSubscriptions.set(subscription.subscriptionId, subscription);
    return subscription;
  }

  addArcCluster(input: ArcClusterInput): ArcCluster {
    const cluster: ArcCluster = { ...input, extensions: new Map() };
    const id = arcClusterResourceId(cluster).toLowerCase();
    this.arcClusters.set(id, cluster);
    this.events.emit({ type: 'arc-cluster-changed', clusterId: arcClusterResourceId(cluster) });
    return cluster;
  }

  arcCluster(subscriptionId: string, resourceGroup: string, name: string): ArcCluster | undefined {
    return this.arcClusters.get(arcClusterResourceId({ subscriptionId, resourceGroup, name }).toLowerCase());
  }

  updateArcCluster(cluster: ArcCluster, patch: Partial<ArcClusterInput>): ArcCluster {
    Object.assign(cluster, patch);
    this.events.emit({ type: 'arc-cluster-changed', clusterId: arcClusterResourceId(cluster) });
    return cluster;
  }

  putArcExtension(cluster: ArcCluster, extension: ArcExtension): ArcExtension {
    cluster.extensions.set(extension.name, extension);
    this.events.emit({ type: 'arc-extension-changed', clusterId: arcClusterResourceId(cluster), extension: extension.name });
    return extension;
  }

  updateArcExtension(cluster: ArcCluster, name: string, patch: Partial<ArcExtension>): ArcExtension {
    const extension = cluster.extensions.get(name);
    if (!extension) throw new Error(`no extension ${name} on ${cluster.name}`);
    Object.assign(extension, patch);
    this.events.emit({ type: 'arc-extension-changed', clusterId: arcClusterResourceId(cluster), extension: name });
    return extension;
  }

  deleteArcExtension(cluster: ArcCluster, name: string): boolean {
    const had = cluster.extensions.delete(name);
    if (had) this.events.emit({ type: 'arc-extension-deleted', clusterId: arcClusterResourceId(cluster), extension: name });
    return had;
  }

  // ---- APIM services ---------------------------------------------------------------------------------------------

  addService(input: ServiceInput): ApimService {
    const service: ApimService = {
      tenantId: newEntityId(),
      identity: { type: 'None' },
      applicationInsights: false,
      localDiagnostics: true,
      createdAt: this.now().toISOString(),
      ...input,
      apis: new Map(),
      versionSets: new Map(),
      products: new Map(),
      subscriptions: new Map(),
      gateways: new Map(),
      configurationRevision: 1,
    };
    this.services.set(service.name.toLowerCase(), service);
    this.#changed(service, { type: 'service-changed', service: service.name });
    return service;
  }

  service(name: string): ApimService {
    const service = this.services.get(name.toLowerCase());
    if (!service) throw new Error(`no APIM service ${name}`);
    return service;
  }

  findService(name: string): ApimService | undefined {
    return this.services.get(name.toLowerCase());
  }

  setLocalDiagnostics(serviceName: string, enabled: boolean): void {
    const service = this.service(serviceName);
    service.localDiagnostics = enabled;
    this.#changed(service, { type: 'service-changed', service: service.name });
  }

  updateService(serviceName: string, patch: Partial<Pick<ApimService, 'sku' | 'publisherEmail' | 'publisherName' | 'identity' | 'applicationInsights' | 'responseCorrelationHeader'>>): ApimService {
    const service = this.service(serviceName);
    Object.assign(service, patch);
    this.#changed(service, { type: 'service-changed', service: service.name });
    return service;
  }

  // ---- APIs and operations ---------------------------------------------------------------------------------------

  /** Creates or replaces one revision of an API. A new API's first revision is current. */
  putApi(serviceName: string, input: ApiInput): ApimApi {
    const service = this.service(serviceName);
    const revision = input.apiRevision ?? '1';
    const siblings = this.apiRevisions(service.name, input.name);
    const existing = service.apis.get(apiRevisionKey(input.name, revision));
    const { operations, ...rest } = input;
    const api: ApimApi = {
      protocols: ['https'],
      serviceUrl: null,
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' },
      ...rest,
      apiRevision: revision,
      isCurrent: input.isCurrent ?? existing?.isCurrent ?? siblings.length === 0,
      operations: operations ? new Map(operations.map((o) => [o.name, { ...o }])) : existing?.operations ?? new Map(),
    };
    if (api.isCurrent) for (const sibling of siblings) if (sibling.apiRevision !== revision) sibling.isCurrent = false;
    service.apis.set(apiRevisionKey(api.name, revision), api);
    this.#changed(service, { type: 'api-changed', service: service.name, api: api.name, revision });
    return api;
  }

  /** Changes which revision callers reach without `;rev=n`, like "Make current" in the portal. */
  makeRevisionCurrent(serviceName: string, apiName: string, revision: string): void {
    const service = this.service(serviceName);
    const target = this.api(serviceName, apiName, revision);
    for (const sibling of this.apiRevisions(serviceName, apiName)) sibling.isCurrent = sibling === target;
    this.#changed(service, { type: 'api-changed', service: service.name, api: apiName, revision });
  }

  /** Deletes one revision, or every revision when none is named (deleting the API). */
  deleteApi(serviceName: string, apiName: string, revision?: string): void {
    const service = this.service(serviceName);
    const doomed = this.apiRevisions(serviceName, apiName).filter((a) => revision === undefined || a.apiRevision === revision);
    for (const api of doomed) {
      service.apis.delete(apiRevisionKey(api.name, api.apiRevision));
      this.#changed(service, { type: 'api-deleted', service: service.name, api: api.name, revision: api.apiRevision });
    }
    if (revision === undefined) {
      for (const gateway of service.gateways.values()) gateway.apis.delete(apiName);
      for (const product of service.products.values()) product.apis.delete(apiName);
    }
  }

  apiRevisions(serviceName: string, apiName: string): ApimApi[] {
    return [...this.service(serviceName).apis.values()].filter((a) => a.name === apiName);
  }

  /** The named revision, or the current one. */
  api(serviceName: string, apiName: string, revision?: string): ApimApi {
    const revisions = this.apiRevisions(serviceName, apiName);
    const api = revision === undefined ? revisions.find((a) => a.isCurrent) : revisions.find((a) => a.apiRevision === revision);
    if (!api) throw new Error(`no API ${apiName}${revision === undefined ? '' : `;rev=${revision}`} in ${serviceName}`);
    return api;
  }

  updateApi(serviceName: string, apiName: string, patch: Partial<Omit<ApimApi, 'name' | 'apiRevision' | 'operations' | 'isCurrent'>>, revision?: string): ApimApi {
    const service = this.service(serviceName);
    const api = this.api(serviceName, apiName, revision);
    Object.assign(api, patch);
    this.#changed(service, { type: 'api-changed', service: service.name, api: api.name, revision: api.apiRevision });
    return api;
  }

  putOperation(serviceName: string, apiName: string, operation: ApiOperation, revision?: string): ApiOperation {
    const service = this.service(serviceName);
    const api = this.api(serviceName, apiName, revision);
    api.operations.set(operation.name, { ...operation });
    this.#changed(service, { type: 'api-changed', service: service.name, api: api.name, revision: api.apiRevision });
    return operation;
  }

  deleteOperation(serviceName: string, apiName: string, operation: string, revision?: string): void {
    const service = this.service(serviceName);
    const api = this.api(serviceName, apiName, revision);
    if (api.operations.delete(operation)) {
      this.#changed(service, { type: 'api-changed', service: service.name, api: api.name, revision: api.apiRevision });
    }
  }

  putVersionSet(serviceName: string, versionSet: ApiVersionSet): ApiVersionSet {
    const service = this.service(serviceName);
    service.versionSets.set(versionSet.name, { ...versionSet });
    this.#changed(service, { type: 'version-set-changed', service: service.name, versionSet: versionSet.name });
    return versionSet;
  }

  // ---- Products and subscriptions --------------------------------------------------------------------------------

  putProduct(serviceName: string, input: ProductInput): ApimProduct {
    const service = this.service(serviceName);
    const product: ApimProduct = {
      subscriptionRequired: true,
      approvalRequired: false,
      subscriptionsLimit: null,
      state: 'published',
      ...input,
      apis: new Set(input.apis ?? []),
    };
    service.products.set(product.name, product);
    this.#changed(service, { type: 'product-changed', service: service.name, product: product.name });
    return product;
  }

  addApiToProduct(serviceName: string, productName: string, apiName: string): void {
    const service = this.service(serviceName);
    const product = service.products.get(productName);
    if (!product) throw new Error(`no product ${productName} in ${serviceName}`);
    product.apis.add(apiName);
    this.#changed(service, { type: 'product-changed', service: service.name, product: productName });
  }

  putSubscription(serviceName: string, input: SubscriptionInput): ApimSubscription {
    const service = this.service(serviceName);
    const subscription: ApimSubscription = {
      name: newEntityId(),
      displayName: null,
      state: 'active',
      allowTracing: false,
      createdDate: this.now().toISOString(),
      primaryKey: newSubscriptionKey(),
      secondaryKey: newSubscriptionKey(),
      ...input,
    };
    service.subscriptions.set(subscription.name, subscription);
    this.#changed(service, { type: 'subscription-changed', service: service.name, subscription: subscription.name });
    return subscription;
  }

  updateSubscription(serviceName: string, name: string, patch: Partial<Pick<ApimSubscription, 'state' | 'displayName' | 'scope' | 'allowTracing'>>): ApimSubscription {
    const service = this.service(serviceName);
    const subscription = service.subscriptions.get(name);
    if (!subscription) throw new Error(`no subscription ${name} in ${serviceName}`);
    Object.assign(subscription, patch);
    this.#changed(service, { type: 'subscription-changed', service: service.name, subscription: name });
    return subscription;
  }

  regenerateSubscriptionKey(serviceName: string, name: string, keyType: GatewayKeyType): string {
    const service = this.service(serviceName);
    const subscription = service.subscriptions.get(name);
    if (!subscription) throw new Error(`no subscription ${name} in ${serviceName}`);
    const key = newSubscriptionKey();
    if (keyType === 'primary') subscription.primaryKey = key;
    else subscription.secondaryKey = key;
    this.#changed(service, { type: 'subscription-key-regenerated', service: service.name, subscription: name, keyType });
    return key;
  }

  // ---- Self-hosted gateways --------------------------------------------------------------------------------------

  putGateway(serviceName: string, input: GatewayInput): SelfHostedGateway {
    const service = this.service(serviceName);
    const existing = service.gateways.get(input.name);
    const { apis, ...rest } = input;
    const gateway: SelfHostedGateway = {
      keys: existing?.keys ?? { primary: newGatewayKey(), secondary: newGatewayKey() },
      hostnameConfigurations: existing?.hostnameConfigurations ?? new Map(),
      simulatedLogRate: existing?.simulatedLogRate ?? 0,
      ...rest,
      apis: new Set(apis ?? existing?.apis ?? []),
    };
    service.gateways.set(gateway.name, gateway);
    this.#changed(service, { type: 'gateway-changed', service: service.name, gateway: gateway.name });
    return gateway;
  }

  gateway(serviceName: string, name: string): SelfHostedGateway {
    const gateway = this.service(serviceName).gateways.get(name);
    if (!gateway) throw new Error(`no gateway ${name} in ${serviceName}`);
    return gateway;
  }

  deleteGateway(serviceName: string, name: string): boolean {
    const service = this.service(serviceName);
    const had = service.gateways.delete(name);
    if (had) this.#changed(service, { type: 'gateway-deleted', service: service.name, gateway: name });
    return had;
  }

  assignApi(serviceName: string, gatewayName: string, apiName: string): void {
    const service = this.service(serviceName);
    const gateway = this.gateway(serviceName, gatewayName);
    if (this.apiRevisions(serviceName, apiName).length === 0) throw new Error(`no API ${apiName} in ${serviceName}`);
    if (gateway.apis.has(apiName)) return;
    gateway.apis.add(apiName);
    this.#changed(service, { type: 'gateway-api-assigned', service: service.name, gateway: gatewayName, api: apiName });
  }

  unassignApi(serviceName: string, gatewayName: string, apiName: string): boolean {
    const service = this.service(serviceName);
    const gateway = this.gateway(serviceName, gatewayName);
    const had = gateway.apis.delete(apiName);
    if (had) this.#changed(service, { type: 'gateway-api-unassigned', service: service.name, gateway: gatewayName, api: apiName });
    return had;
  }

  /** Replaces one key; every token signed with the old key stops working at once. */
  regenerateGatewayKey(serviceName: string, gatewayName: string, keyType: GatewayKeyType): string {
    const service = this.service(serviceName);
    const gateway = this.gateway(serviceName, gatewayName);
    const key = newGatewayKey();
    gateway.keys = { ...gateway.keys, [keyType]: key };
    this.#changed(service, { type: 'gateway-key-regenerated', service: service.name, gateway: gatewayName, keyType });
    return key;
  }

  putHostnameConfiguration(serviceName: string, gatewayName: string, configuration: GatewayHostnameConfiguration): GatewayHostnameConfiguration {
    const service = this.service(serviceName);
    this.gateway(serviceName, gatewayName).hostnameConfigurations.set(configuration.name, { ...configuration });
    this.#changed(service, { type: 'gateway-hostname-changed', service: service.name, gateway: gatewayName, hostnameConfiguration: configuration.name });
    return configuration;
  }

  deleteHostnameConfiguration(serviceName: string, gatewayName: string, name: string): boolean {
    const service = this.service(serviceName);
    const had = this.gateway(serviceName, gatewayName).hostnameConfigurations.delete(name);
    if (had) this.#changed(service, { type: 'gateway-hostname-changed', service: service.name, gateway: gatewayName, hostnameConfiguration: name });
    return had;
  }

  /** Simulator knob for benchmarks: every running instance of the gateway writes this many filler lines a second. */
  setGatewayLogRate(serviceName: string, gatewayName: string, linesPerSecond: number): void {
    if (!(linesPerSecond >= 0) || !Number.isFinite(linesPerSecond)) throw new Error(`log rate must be a finite number >= 0, got ${linesPerSecond}`);
    const gateway = this.gateway(serviceName, gatewayName);
    gateway.simulatedLogRate = linesPerSecond;
    // Not a configuration change: the configuration revision stays, so no gateway logs a re-sync for it.
    this.events.emit({ type: 'gateway-simulation-changed', service: this.service(serviceName).name, gateway: gatewayName });
  }

  #changed(service: ApimService, event: WorldEvent): void {
    service.configurationRevision++;
    this.events.emit(event);
  }
}
