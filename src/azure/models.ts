// What the extension knows about Azure resources: plain data copied out of SDK responses, so nothing above the ARM
// service depends on SDK types (and tests can build these). No `vscode` import.
import type { ExtensionProvisioningState } from './armTypes.ts';

export interface SubscriptionInfo {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId: string | undefined;
  readonly state: string | undefined;
}

/** One page of a list, and the continuation to the next (undefined: no more). */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | undefined;
}

export interface ArcClusterInfo {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
  readonly connectivityStatus: string | undefined;
  readonly kubernetesVersion: string | undefined;
  readonly distribution: string | undefined;
  readonly infrastructure: string | undefined;
  readonly agentVersion: string | undefined;
  readonly totalNodeCount: number | undefined;
  readonly provisioningState: string | undefined;
  readonly lastConnectivityTime: Date | undefined;
}

export interface ExtensionStatus {
  readonly code: string | undefined;
  readonly displayStatus: string | undefined;
  readonly level: string | undefined;
  readonly message: string | undefined;
}

export interface ClusterExtensionInfo {
  readonly id: string;
  readonly clusterId: string;
  readonly name: string;
  readonly extensionType: string | undefined;
  readonly provisioningState: ExtensionProvisioningState | string | undefined;
  /** The chart version running (`currentVersion`), else the pinned `version`. */
  readonly version: string | undefined;
  readonly releaseTrain: string | undefined;
  readonly autoUpgradeMinorVersion: boolean | undefined;
  /** Target namespace (namespace scope) or release namespace (cluster scope). */
  readonly namespace: string | undefined;
  /** Non-protected settings only: ARM never returns the protected ones. */
  readonly configurationSettings: Readonly<Record<string, string>>;
  readonly statuses: readonly ExtensionStatus[];
  readonly errorInfo: { readonly code: string | undefined; readonly message: string | undefined } | undefined;
}

export interface ApimServiceInfo {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
  readonly sku: string | undefined;
  readonly managementApiUrl: string | undefined;
  readonly gatewayUrl: string | undefined;
}

export interface LocationData {
  readonly name: string;
  readonly city?: string | undefined;
  readonly district?: string | undefined;
  readonly countryOrRegion?: string | undefined;
}

export interface GatewayInfo {
  readonly id: string;
  readonly serviceId: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly locationData: LocationData | undefined;
  /** Present when read with GET (needed as If-Match for delete). */
  readonly etag?: string | undefined;
}

export interface ApiInfo {
  /** The API's id inside the service (`echo-api`). */
  readonly name: string;
  readonly displayName: string;
  readonly path: string | undefined;
  readonly protocols: readonly string[];
  readonly subscriptionRequired: boolean | undefined;
}
