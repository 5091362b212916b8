// Azure Resource Manager as the extension sees it: the data source behind the Azure side of the tree and every
// provisioning wizard. `AzureData` is the interface (tests and benchmarks use the real implementation against the
// sandbox's ARM emulator); `ArmAzureData` talks to ARM through the SDK clients of one client factory. Results are the
// plain records of models.ts. No `vscode` import.
import type { ApiContract, ApiManagementServiceResource, ApiVersionSetContract, GatewayContract, OperationContract } from '@azure/arm-apimanagement';
import type { ConnectedCluster } from '@azure/arm-hybridkubernetes';
import type { Extension } from '@azure/arm-kubernetesconfiguration';
import type { Subscription } from '@azure/arm-resources-subscriptions';
import { redact } from '../util/redact.ts';
import { apimGatewayId, arcExtensionId, parseApimGatewayId, parseApimServiceId, parseArcClusterId, parseArcExtensionId, type ArcClusterRef } from './armIds.ts';
import type { AzureClientFactory } from './clientFactory.ts';
import { loadAzureSdk } from './clientFactory.ts';
import type { GatewayExtensionBody } from './gatewayExtension.ts';
import type { ApiInfo, ApimServiceInfo, ArcClusterInfo, ClusterExtensionInfo, GatewayInfo, LocationData, Page, SubscriptionInfo } from './models.ts';
import { GatewayToken, type GatewayKeyType } from './tokens.ts';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface LroOptions extends CallOptions {
  /** Called with ARM's operation status while a long-running operation runs. */
  readonly onStatus?: (status: string) => void;
}

export interface AzureData {
  listSubscriptions(options?: CallOptions): Promise<SubscriptionInfo[]>;
  /** Clusters of a subscription, at least `pageSize` at a time (ARM may page in smaller steps). */
  listArcClusters(subscriptionId: string, next?: string, options?: CallOptions): Promise<Page<ArcClusterInfo>>;
  getArcCluster(clusterId: string, options?: CallOptions): Promise<ArcClusterInfo>;
  listClusterExtensions(clusterId: string, options?: CallOptions): Promise<ClusterExtensionInfo[]>;
  getClusterExtension(extensionId: string, options?: CallOptions): Promise<ClusterExtensionInfo | undefined>;
  /** PUT as a long-running operation; the token goes only into the protected settings, as `GatewayKey <token>`. */
  installGatewayExtension(clusterId: string, name: string, body: GatewayExtensionBody, protectedSettingName: string, token: GatewayToken, options?: LroOptions): Promise<ClusterExtensionInfo>;
  uninstallClusterExtension(extensionId: string, options?: LroOptions): Promise<void>;
  /**
   * ARM PATCH of an extension (PatchExtension): settings are merged (a null value removes one); a token goes into the
   * write-only protected settings under `protectedSetting.name`. Long-running; resolves with the updated extension.
   */
  updateClusterExtension(extensionId: string, patch: ExtensionPatch, protectedSetting: { name: string; token: GatewayToken } | undefined, options?: LroOptions): Promise<ClusterExtensionInfo>;
  listApimServices(subscriptionId: string, next?: string, options?: CallOptions): Promise<Page<ApimServiceInfo>>;
  getApimService(serviceId: string, options?: CallOptions): Promise<ApimServiceInfo>;
  listGateways(serviceId: string, next?: string, options?: CallOptions): Promise<Page<GatewayInfo>>;
  getGateway(gatewayId: string, options?: CallOptions): Promise<GatewayInfo | undefined>;
  /** PUT of a new gateway; callers check first that the name is free (a PUT would replace an existing one). */
  createGateway(serviceId: string, name: string, locationData: LocationData, description: string | undefined, options?: CallOptions): Promise<GatewayInfo>;
  /** DELETE with If-Match: a gateway changed since `etag` was read is not deleted (412). */
  deleteGateway(gatewayId: string, etag: string, options?: CallOptions): Promise<void>;
  listApis(serviceId: string, options?: CallOptions): Promise<ApiInfo[]>;
  listGatewayApis(gatewayId: string, options?: CallOptions): Promise<ApiInfo[]>;
  assignApi(gatewayId: string, apiName: string, options?: CallOptions): Promise<void>;
  unassignApi(gatewayId: string, apiName: string, options?: CallOptions): Promise<void>;
  generateGatewayToken(gatewayId: string, keyType: GatewayKeyType, expiry: Date, options?: CallOptions): Promise<GatewayToken>;
  /** Regenerates one of a gateway's keys: every token signed with it stops working. */
  regenerateGatewayKey(gatewayId: string, keyType: GatewayKeyType, options?: CallOptions): Promise<void>;
  /** Every API of the service, one entry per revision (non-current ones as `name;rev=N`), each with its operations. */
  listApisWithOperations(serviceId: string, options?: CallOptions): Promise<{ api: ApiContract; operations: OperationContract[] }[]>;
  /** The operations of one API (revision included in the name for a non-current one). */
  listOperations(serviceId: string, apiName: string, options?: CallOptions): Promise<OperationContract[]>;
  /** The service's API version sets (how a versioned API's version travels: path segment, query or header). */
  listApiVersionSets(serviceId: string, options?: CallOptions): Promise<ApiVersionSetContract[]>;
  /** The `hostname` of each of the gateway's hostname configurations. */
  listGatewayHostnames(gatewayId: string, options?: CallOptions): Promise<string[]>;
  /** Adds `http` to the API's protocols: read its ETag, then PATCH with If-Match (a concurrent change fails with 412). */
  allowHttp(serviceId: string, apiName: string, options?: CallOptions): Promise<void>;
  /** APIM subscriptions (not Azure ones) of the service: their id in the service, name, scope and state. */
  listApimSubscriptions(serviceId: string, options?: CallOptions): Promise<ApimSubscriptionInfo[]>;
  /** The primary key of an APIM subscription. A secret: keep it in memory, never log it. */
  getSubscriptionKey(serviceId: string, subscriptionName: string, options?: CallOptions): Promise<string>;
}

/** An ARM call that failed, with ARM's code and HTTP status; its message is safe to show (secrets masked). */
/** What an extension PATCH may change besides its protected settings. */
export interface ExtensionPatch {
  readonly configurationSettings?: Readonly<Record<string, string | null>>;
  readonly releaseTrain?: string;
  readonly version?: string | null;
  readonly autoUpgradeMinorVersion?: boolean;
}

export interface ApimSubscriptionInfo {
  readonly name: string;
  readonly displayName: string;
  /** `/apis/echo-api`, `/products/starter`, or `/apis` (all APIs) at the end of an ARM id. */
  readonly scope: string;
  readonly state: string;
}

export class ArmCallError extends Error {
  readonly code: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, code?: string, status?: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'ArmCallError';
    this.code = code;
    this.status = status;
  }
}

export function armErrorStatus(error: unknown): number | undefined {
  if (error instanceof Error && (error.name === 'ArmCallError' || error.name === 'RestError')) return (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
  return undefined;
}

export const DEFAULT_PAGE_SIZE = 50;

const ARC_RP = 'Microsoft.Kubernetes';
const ARC_RESOURCE = 'connectedClusters';

export class ArmAzureData implements AzureData {
  private readonly clients: AzureClientFactory;
  private readonly pageSize: number;

  constructor(clients: AzureClientFactory, options: { pageSize?: number } = {}) {
    this.clients = clients;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  listSubscriptions(options?: CallOptions): Promise<SubscriptionInfo[]> {
    return arm('listing subscriptions', async () => {
      const client = await this.clients.subscriptions();
      const result: SubscriptionInfo[] = [];
      for await (const s of client.subscriptions.list({ abortSignal: options?.signal })) result.push(subscriptionInfo(s));
      return result.sort((a, b) => a.displayName.localeCompare(b.displayName));
    });
  }

  listArcClusters(subscriptionId: string, next?: string, options?: CallOptions): Promise<Page<ArcClusterInfo>> {
    return arm('listing Arc-enabled clusters', async () => {
      const [client, sdk] = await Promise.all([this.clients.arc(subscriptionId), loadAzureSdk()]);
      const page = await collect(client.connectedClusterOperations.listBySubscription({ abortSignal: options?.signal }), next, this.pageSize, sdk.arcContinuationToken);
      return { items: page.items.map(clusterInfo), next: page.next };
    });
  }

  getArcCluster(clusterId: string, options?: CallOptions): Promise<ArcClusterInfo> {
    const ref = must(parseArcClusterId(clusterId));
    return arm(`reading cluster ${ref.name}`, async () => {
      const client = await this.clients.arc(ref.subscriptionId);
      return clusterInfo(await client.connectedClusterOperations.get(ref.resourceGroup, ref.name, { abortSignal: options?.signal }));
    });
  }

  listClusterExtensions(clusterId: string, options?: CallOptions): Promise<ClusterExtensionInfo[]> {
    const ref = must(parseArcClusterId(clusterId));
    return arm(`listing the extensions of ${ref.name}`, async () => {
      const client = await this.clients.extensions(ref.subscriptionId);
      const result: ClusterExtensionInfo[] = [];
      for await (const e of client.extensions.list(ref.resourceGroup, ARC_RP, ARC_RESOURCE, ref.name, { abortSignal: options?.signal })) result.push(extensionInfo(ref, e));
      return result;
    });
  }

  async getClusterExtension(extensionId: string, options?: CallOptions): Promise<ClusterExtensionInfo | undefined> {
    const ref = must(parseArcExtensionId(extensionId));
    try {
      return await arm(`reading extension ${ref.name}`, async () => {
        const client = await this.clients.extensions(ref.cluster.subscriptionId);
        return extensionInfo(ref.cluster, await client.extensions.get(ref.cluster.resourceGroup, ARC_RP, ARC_RESOURCE, ref.cluster.name, ref.name, { abortSignal: options?.signal }));
      });
    } catch (error) {
      if (armErrorStatus(error) === 404) return undefined;
      throw error;
    }
  }

  installGatewayExtension(clusterId: string, name: string, body: GatewayExtensionBody, protectedSettingName: string, token: GatewayToken, options?: LroOptions): Promise<ClusterExtensionInfo> {
    const ref = must(parseArcClusterId(clusterId));
    return arm(`installing extension ${name} on ${ref.name}`, async () => {
      const client = await this.clients.extensions(ref.subscriptionId);
      // The only place the token leaves its wrapper on the way to ARM: protected settings are write-only there.
      const extension: Extension = { ...body, configurationProtectedSettings: { [protectedSettingName]: token.revealForGatewayConfig() } };
      const poller = await client.extensions.beginCreate(ref.resourceGroup, ARC_RP, ARC_RESOURCE, ref.name, name, extension, { abortSignal: options?.signal, updateIntervalInMs: 1000 });
      poller.onProgress((state) => options?.onStatus?.(state.status));
      const result = await poller.pollUntilDone({ abortSignal: options?.signal });
      return extensionInfo(ref, result);
    });
  }

  uninstallClusterExtension(extensionId: string, options?: LroOptions): Promise<void> {
    const ref = must(parseArcExtensionId(extensionId));
    return arm(`uninstalling extension ${ref.name} from ${ref.cluster.name}`, async () => {
      const client = await this.clients.extensions(ref.cluster.subscriptionId);
      const poller = await client.extensions.beginDelete(ref.cluster.resourceGroup, ARC_RP, ARC_RESOURCE, ref.cluster.name, ref.name, { abortSignal: options?.signal, updateIntervalInMs: 1000 });
      poller.onProgress((state) => options?.onStatus?.(state.status));
      await poller.pollUntilDone({ abortSignal: options?.signal });
    });
  }

  updateClusterExtension(extensionId: string, patch: ExtensionPatch, protectedSetting: { name: string; token: GatewayToken } | undefined, options?: LroOptions): Promise<ClusterExtensionInfo> {
    const ref = must(parseArcExtensionId(extensionId));
    return arm(`updating extension ${ref.name} on ${ref.cluster.name}`, async () => {
      const client = await this.clients.extensions(ref.cluster.subscriptionId);
      // As in install: the token leaves its wrapper only inside the request body; ARM never returns it.
      const body = {
        ...(patch.configurationSettings ? { configurationSettings: patch.configurationSettings as Record<string, string> } : {}),
        ...(patch.releaseTrain !== undefined ? { releaseTrain: patch.releaseTrain } : {}),
        ...(patch.version !== undefined ? { version: patch.version as string } : {}),
        ...(patch.autoUpgradeMinorVersion !== undefined ? { autoUpgradeMinorVersion: patch.autoUpgradeMinorVersion } : {}),
        ...(protectedSetting ? { configurationProtectedSettings: { [protectedSetting.name]: protectedSetting.token.revealForGatewayConfig() } } : {}),
      };
      const poller = await client.extensions.beginUpdate(ref.cluster.resourceGroup, ARC_RP, ARC_RESOURCE, ref.cluster.name, ref.name, body, { abortSignal: options?.signal, updateIntervalInMs: 1000 });
      poller.onProgress((state) => options?.onStatus?.(state.status));
      const result = await poller.pollUntilDone({ abortSignal: options?.signal });
      return extensionInfo(ref.cluster, result);
    });
  }

  listApimServices(subscriptionId: string, next?: string, options?: CallOptions): Promise<Page<ApimServiceInfo>> {
    return arm('listing API Management services', async () => {
      const [client, sdk] = await Promise.all([this.clients.apim(subscriptionId), loadAzureSdk()]);
      const page = await collect(client.apiManagementService.list({ abortSignal: options?.signal }), next, this.pageSize, sdk.apimContinuationToken);
      return { items: page.items.map((s) => serviceInfo(subscriptionId, s)), next: page.next };
    });
  }

  getApimService(serviceId: string, options?: CallOptions): Promise<ApimServiceInfo> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`reading API Management service ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      return serviceInfo(ref.subscriptionId, await client.apiManagementService.get(ref.resourceGroup, ref.name, { abortSignal: options?.signal }));
    });
  }

  listGateways(serviceId: string, next?: string, options?: CallOptions): Promise<Page<GatewayInfo>> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`listing the gateways of ${ref.name}`, async () => {
      const [client, sdk] = await Promise.all([this.clients.apim(ref.subscriptionId), loadAzureSdk()]);
      const page = await collect(client.gateway.listByService(ref.resourceGroup, ref.name, { abortSignal: options?.signal }), next, this.pageSize, sdk.apimContinuationToken);
      return { items: page.items.map((g) => gatewayInfo(ref.id, g)), next: page.next };
    });
  }

  async getGateway(gatewayId: string, options?: CallOptions): Promise<GatewayInfo | undefined> {
    const ref = must(parseApimGatewayId(gatewayId));
    try {
      return await arm(`reading gateway ${ref.name}`, async () => {
        const client = await this.clients.apim(ref.service.subscriptionId);
        const g = await client.gateway.get(ref.service.resourceGroup, ref.service.name, ref.name, { abortSignal: options?.signal });
        return { ...gatewayInfo(ref.service.id, g), etag: g.eTag };
      });
    } catch (error) {
      if (armErrorStatus(error) === 404) return undefined;
      throw error;
    }
  }

  createGateway(serviceId: string, name: string, locationData: LocationData, description: string | undefined, options?: CallOptions): Promise<GatewayInfo> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`creating gateway ${name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const g = await client.gateway.createOrUpdate(ref.resourceGroup, ref.name, name, { locationData: { ...locationData }, ...(description ? { description } : {}) }, { abortSignal: options?.signal });
      return { ...gatewayInfo(ref.id, g), etag: g.eTag };
    });
  }

  deleteGateway(gatewayId: string, etag: string, options?: CallOptions): Promise<void> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`deleting gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      await client.gateway.delete(ref.service.resourceGroup, ref.service.name, ref.name, etag, { abortSignal: options?.signal });
    });
  }

  listApis(serviceId: string, options?: CallOptions): Promise<ApiInfo[]> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`listing the APIs of ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const result: ApiInfo[] = [];
      for await (const a of client.api.listByService(ref.resourceGroup, ref.name, { abortSignal: options?.signal })) if (a.isCurrent !== false) result.push(apiInfo(a));
      return result.sort((a, b) => a.displayName.localeCompare(b.displayName));
    });
  }

  listGatewayApis(gatewayId: string, options?: CallOptions): Promise<ApiInfo[]> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`listing the APIs of gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      const result: ApiInfo[] = [];
      for await (const a of client.gatewayApi.listByService(ref.service.resourceGroup, ref.service.name, ref.name, { abortSignal: options?.signal })) result.push(apiInfo(a));
      return result.sort((a, b) => a.displayName.localeCompare(b.displayName));
    });
  }

  assignApi(gatewayId: string, apiName: string, options?: CallOptions): Promise<void> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`assigning API ${apiName} to gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      await client.gatewayApi.createOrUpdate(ref.service.resourceGroup, ref.service.name, ref.name, apiName, { abortSignal: options?.signal });
    });
  }

  unassignApi(gatewayId: string, apiName: string, options?: CallOptions): Promise<void> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`removing API ${apiName} from gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      await client.gatewayApi.delete(ref.service.resourceGroup, ref.service.name, ref.name, apiName, { abortSignal: options?.signal });
    });
  }

  listOperations(serviceId: string, apiName: string, options?: CallOptions): Promise<OperationContract[]> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`reading the operations of ${apiName}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const operations: OperationContract[] = [];
      for await (const op of client.apiOperation.listByApi(ref.resourceGroup, ref.name, apiName, { abortSignal: options?.signal })) operations.push(op);
      return operations;
    });
  }

  listApisWithOperations(serviceId: string, options?: CallOptions): Promise<{ api: ApiContract; operations: OperationContract[] }[]> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`reading the APIs and operations of ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const abortSignal = options?.signal;
      const operationsOf = async (apiName: string): Promise<OperationContract[]> => {
        const operations: OperationContract[] = [];
        for await (const op of client.apiOperation.listByApi(ref.resourceGroup, ref.name, apiName, { abortSignal })) operations.push(op);
        return operations;
      };
      // The list holds current revisions only; the others (what `;rev=N` reaches) come from each API's revisions.
      const current: ApiContract[] = [];
      for await (const api of client.api.listByService(ref.resourceGroup, ref.name, { abortSignal })) current.push(api);
      const perApi = await Promise.all(
        current.map(async (api) => {
          const name = api.name ?? '';
          const others: string[] = [];
          for await (const rev of client.apiRevision.listByService(ref.resourceGroup, ref.name, name, { abortSignal })) {
            if (!rev.isCurrent && rev.apiRevision) others.push(`${name};rev=${rev.apiRevision}`);
          }
          const revisions = await Promise.all(others.map((id) => client.api.get(ref.resourceGroup, ref.name, id, { abortSignal })));
          return Promise.all([api, ...revisions].map(async (a) => ({ api: a, operations: await operationsOf(a.name ?? '') })));
        }),
      );
      return perApi.flat();
    });
  }

  listApiVersionSets(serviceId: string, options?: CallOptions): Promise<ApiVersionSetContract[]> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`reading the API version sets of ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const sets: ApiVersionSetContract[] = [];
      for await (const set of client.apiVersionSet.listByService(ref.resourceGroup, ref.name, { abortSignal: options?.signal })) sets.push(set);
      return sets;
    });
  }

  listGatewayHostnames(gatewayId: string, options?: CallOptions): Promise<string[]> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`reading the hostname configurations of gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      const hostnames: string[] = [];
      for await (const h of client.gatewayHostnameConfiguration.listByService(ref.service.resourceGroup, ref.service.name, ref.name, { abortSignal: options?.signal })) {
        if (h.hostname) hostnames.push(h.hostname);
      }
      return hostnames;
    });
  }

  allowHttp(serviceId: string, apiName: string, options?: CallOptions): Promise<void> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`allowing HTTP on API ${apiName}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const current = await client.api.get(ref.resourceGroup, ref.name, apiName, { abortSignal: options?.signal });
      const protocols = [...new Set([...(current.protocols ?? []), 'http'])];
      await client.api.update(ref.resourceGroup, ref.name, apiName, current.eTag ?? '*', { protocols }, { abortSignal: options?.signal });
    });
  }

  listApimSubscriptions(serviceId: string, options?: CallOptions): Promise<ApimSubscriptionInfo[]> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`listing the subscriptions of ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const result: ApimSubscriptionInfo[] = [];
      for await (const s of client.subscription.list(ref.resourceGroup, ref.name, { abortSignal: options?.signal })) {
        const scope = s.scope ?? '';
        const at = scope.search(/\/(apis|products)(\/|$)/);
        result.push({ name: s.name ?? '', displayName: s.displayName ?? s.name ?? '', scope: at >= 0 ? scope.slice(at) : scope, state: s.state ?? '' });
      }
      return result;
    });
  }

  getSubscriptionKey(serviceId: string, subscriptionName: string, options?: CallOptions): Promise<string> {
    const ref = must(parseApimServiceId(serviceId));
    return arm(`reading the key of subscription ${subscriptionName}`, async () => {
      const client = await this.clients.apim(ref.subscriptionId);
      const secrets = await client.subscription.listSecrets(ref.resourceGroup, ref.name, subscriptionName, { abortSignal: options?.signal });
      if (!secrets.primaryKey) throw new Error(`Subscription ${subscriptionName} has no primary key`);
      return secrets.primaryKey;
    });
  }

  generateGatewayToken(gatewayId: string, keyType: GatewayKeyType, expiry: Date, options?: CallOptions): Promise<GatewayToken> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`generating a token for gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      const response = await client.gateway.generateToken(ref.service.resourceGroup, ref.service.name, ref.name, { keyType, expiry }, { abortSignal: options?.signal });
      if (!response.value) throw new ArmCallError(`ARM returned no token for gateway ${ref.name}`);
      return new GatewayToken(response.value, ref.name, keyType, expiry);
    });
  }

  regenerateGatewayKey(gatewayId: string, keyType: GatewayKeyType, options?: CallOptions): Promise<void> {
    const ref = must(parseApimGatewayId(gatewayId));
    return arm(`regenerating the ${keyType} key of gateway ${ref.name}`, async () => {
      const client = await this.clients.apim(ref.service.subscriptionId);
      await client.gateway.regenerateKey(ref.service.resourceGroup, ref.service.name, ref.name, { keyType }, { abortSignal: options?.signal });
    });
  }
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new ArmCallError(result.error);
  return result.value;
}

/** Runs one ARM call and gives any failure one shape: what was being done, ARM's message, its code and status. */
async function arm<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortError' || error.name === 'ArmCallError' || error.name === 'SignInRequiredError')) throw error;
    const e = error as { message?: string; code?: string; statusCode?: number };
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    const code = typeof e.code === 'string' ? e.code : undefined;
    const detail = [code, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
    throw new ArmCallError(redact(`${capitalize(what)} failed: ${e.message ?? String(error)}${detail ? ` (${detail})` : ''}`), code, status, error);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface PagedIterator<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]>;
}

/** Pages until `min` items or the end; `next` continues a previous listing. */
async function collect<T>(paged: PagedIterator<T>, next: string | undefined, min: number, continuationOf: (page: unknown) => string | undefined): Promise<Page<T>> {
  const items: T[] = [];
  let continuation: string | undefined;
  for await (const page of paged.byPage(next ? { continuationToken: next } : undefined)) {
    items.push(...page);
    continuation = continuationOf(page) || undefined;
    if (!continuation || items.length >= min) break;
  }
  return { items, next: continuation };
}

function subscriptionInfo(s: Subscription): SubscriptionInfo {
  return { subscriptionId: s.subscriptionId ?? '', displayName: s.displayName ?? s.subscriptionId ?? '', tenantId: s.tenantId, state: s.state };
}

function clusterInfo(c: ConnectedCluster): ArcClusterInfo {
  const ref = must(parseArcClusterId(c.id ?? ''));
  return {
    id: ref.id,
    subscriptionId: ref.subscriptionId,
    resourceGroup: ref.resourceGroup,
    name: c.name ?? ref.name,
    location: c.location,
    connectivityStatus: c.connectivityStatus,
    kubernetesVersion: c.kubernetesVersion,
    distribution: c.distribution,
    infrastructure: c.infrastructure,
    agentVersion: c.agentVersion,
    totalNodeCount: c.totalNodeCount,
    provisioningState: c.provisioningState,
    lastConnectivityTime: c.lastConnectivityTime,
  };
}

function extensionInfo(cluster: ArcClusterRef, e: Extension): ClusterExtensionInfo {
  const name = e.name ?? '';
  return {
    id: arcExtensionId(cluster, name),
    clusterId: cluster.id,
    name,
    extensionType: e.extensionType,
    provisioningState: e.provisioningState,
    version: e.currentVersion ?? e.version ?? undefined,
    releaseTrain: e.releaseTrain,
    autoUpgradeMinorVersion: e.autoUpgradeMinorVersion,
    namespace: e.scope?.namespace?.targetNamespace ?? e.scope?.cluster?.releaseNamespace,
    configurationSettings: { ...(e.configurationSettings ?? {}) },
    statuses: (e.statuses ?? []).map((s) => ({ code: s.code, displayStatus: s.displayStatus, level: s.level, message: s.message })),
    errorInfo: e.errorInfo ? { code: e.errorInfo.code, message: e.errorInfo.message } : undefined,
  };
}

function serviceInfo(subscriptionId: string, s: ApiManagementServiceResource): ApimServiceInfo {
  const ref = must(parseApimServiceId(s.id ?? ''));
  return {
    id: ref.id,
    subscriptionId: ref.subscriptionId || subscriptionId,
    resourceGroup: ref.resourceGroup,
    name: s.name ?? ref.name,
    location: s.location,
    sku: s.sku?.name,
    managementApiUrl: s.managementApiUrl,
    gatewayUrl: s.gatewayUrl,
  };
}

function gatewayInfo(serviceId: string, g: GatewayContract): GatewayInfo {
  const name = g.name ?? '';
  return {
    id: apimGatewayId({ id: serviceId }, name),
    serviceId,
    name,
    description: g.description,
    locationData: g.locationData ? { name: g.locationData.name, city: g.locationData.city, district: g.locationData.district, countryOrRegion: g.locationData.countryOrRegion } : undefined,
  };
}

function apiInfo(a: ApiContract): ApiInfo {
  return { name: a.name ?? '', displayName: a.displayName ?? a.name ?? '', path: a.path, protocols: a.protocols ?? [], subscriptionRequired: a.subscriptionRequired };
}
