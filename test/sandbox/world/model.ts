// The shared world's data: what Azure (ARM, APIM's configuration API) knows, as plain values. The ARM emulator serves
// it, the gateway simulator reads it, tests mutate it through World. Shapes follow the ARM resources closely so the
// emulator's serialisation is a mapping, not a translation; members marked "simulator" have no ARM counterpart and
// must never be serialised.

export interface AzureSubscription {
  /** A UUID: the ARM SDKs refuse anything else before sending. */
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
}

export type ArcProvisioningState = 'Succeeded' | 'Failed' | 'Canceled' | 'Provisioning' | 'Updating' | 'Deleting' | 'Accepted';

export interface ArcCluster {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  connectivityStatus: 'Connecting' | 'Connected' | 'Offline' | 'Expired' | 'AgentNotInstalled';
  kubernetesVersion: string;
  distribution: string;
  infrastructure: string;
  agentVersion: string;
  totalNodeCount: number;
  totalCoreCount: number;
  /** ISO time. */
  lastConnectivityTime: string;
  provisioningState: ArcProvisioningState;
  /** Cluster extensions by name (Microsoft.KubernetesConfiguration/extensions). */
  extensions: Map<string, ArcExtension>;
}

export type ExtensionProvisioningState = 'Succeeded' | 'Failed' | 'Canceled' | 'Creating' | 'Updating' | 'Deleting';

export interface ArcExtension {
  name: string;
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  version: string | null;
  scope: { namespace: { targetNamespace: string } } | { cluster: { releaseNamespace: string } };
  configurationSettings: Record<string, string>;
  /** Kept here because the cluster needs them; ARM never returns them. */
  configurationProtectedSettings: Record<string, string>;
  provisioningState: ExtensionProvisioningState;
  statuses: Array<{ code: string; displayStatus?: string; level: 'Error' | 'Warning' | 'Information'; message: string; time?: string }>;
  errorInfo: { code: string; message: string } | null;
}

export type ApimSkuName = 'Developer' | 'Basic' | 'Standard' | 'Premium' | 'Consumption' | 'Isolated' | 'BasicV2' | 'StandardV2' | 'PremiumV2';

export interface ApimService {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  sku: { name: ApimSkuName; capacity: number };
  publisherEmail: string;
  publisherName: string;
  /** APIM's own 24-hex tenant id (the gateway logs it at TenantStarting). */
  tenantId: string;
  identity: { type: 'None' | 'SystemAssigned'; principalId?: string; tenantId?: string };
  /** An Application Insights logger is configured (the gateway logs ApplicationInsightsLogPublisherInitializing). */
  applicationInsights: boolean;
  /**
   * The `local` diagnostic entity: without it a self-hosted gateway writes no request records to its own logs. It is
   * a service setting, so it applies to every gateway of the service.
   */
  localDiagnostics: boolean;
  /**
   * Simulator: models an All-APIs outbound policy `<set-header name="X"><value>@(context.RequestId)</value></set-header>`.
   * The real gateway returns no correlation header of its own, so this is absent unless a world asks for it.
   */
  responseCorrelationHeader?: string;
  apis: Map<string, ApimApi>;
  versionSets: Map<string, ApiVersionSet>;
  products: Map<string, ApimProduct>;
  subscriptions: Map<string, ApimSubscription>;
  gateways: Map<string, SelfHostedGateway>;
  /** Bumped on every configuration change: the configuration API's event revision. */
  configurationRevision: number;
  /** When the service was created (ARM's `createdAtUtc`). */
  createdAt: string;
}

export type ApiProtocol = 'http' | 'https' | 'ws' | 'wss';

export interface ApiOperation {
  /** ARM name, e.g. `retrieve-resource`. */
  name: string;
  displayName: string;
  method: string;
  /** `/resource`, `/resource/{id}`, `/search?q={q}`, `/files/{*path}`. */
  urlTemplate: string;
  description?: string;
}

export interface ApimApi {
  /**
   * The API's name without revision (`echo-api`). APIM's entity id is `echo-api` for the current revision and
   * `echo-api;rev=2` for the others; see apiEntityName().
   */
  name: string;
  displayName: string;
  /** Revision number as text, like ARM's apiRevision. */
  apiRevision: string;
  isCurrent: boolean;
  /** URL suffix without leading slash; may be empty (the API sits at the root). */
  path: string;
  protocols: ApiProtocol[];
  serviceUrl: string | null;
  subscriptionRequired: boolean;
  subscriptionKeyParameterNames: { header: string; query: string };
  apiVersion?: string;
  apiVersionSetId?: string;
  description?: string;
  operations: Map<string, ApiOperation>;
}

export interface ApiVersionSet {
  name: string;
  displayName: string;
  versioningScheme: 'Segment' | 'Query' | 'Header';
  versionQueryName?: string;
  versionHeaderName?: string;
}

export interface ApimProduct {
  name: string;
  displayName: string;
  description?: string;
  subscriptionRequired: boolean;
  approvalRequired: boolean;
  subscriptionsLimit: number | null;
  state: 'published' | 'notPublished';
  /** API names (without revision). */
  apis: Set<string>;
}

export type SubscriptionScope = { kind: 'allApis' } | { kind: 'api'; api: string } | { kind: 'product'; product: string };

export interface ApimSubscription {
  /** ARM name (the `sid`), e.g. `master` or a 24-hex id. */
  name: string;
  displayName: string | null;
  scope: SubscriptionScope;
  ownerId?: string;
  state: 'active' | 'suspended' | 'submitted' | 'rejected' | 'cancelled' | 'expired';
  primaryKey: string;
  secondaryKey: string;
  allowTracing: boolean;
  createdDate: string;
}

export interface GatewayLocationData {
  name: string;
  city?: string;
  district?: string;
  countryOrRegion?: string;
}

export interface GatewayHostnameConfiguration {
  name: string;
  hostname: string;
  certificateId?: string;
  negotiateClientCertificate: boolean;
  tls10Enabled: boolean;
  tls11Enabled: boolean;
  http2Enabled: boolean;
}

export interface SelfHostedGateway {
  /** The gateway id: ARM name and the first part of its tokens. */
  name: string;
  description?: string;
  locationData: GatewayLocationData;
  keys: { primary: string; secondary: string };
  /** Assigned API names (all revisions of an assigned API are served). */
  apis: Set<string>;
  hostnameConfigurations: Map<string, GatewayHostnameConfiguration>;
  /** Simulator: filler log lines per second every running instance of this gateway writes (benchmarks). */
  simulatedLogRate: number;
}

export type GatewayKeyType = 'primary' | 'secondary';
