// ARM resource ids and names as the real providers spell them. The ARM emulator answers with these; tests compare
// against them, so one definition keeps both honest.
import type { ApimApi, ApimService, ArcCluster, SubscriptionScope } from './model.ts';

const APIM = 'Microsoft.ApiManagement';

export function serviceResourceId(s: Pick<ApimService, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/${APIM}/service/${s.name}`;
}

/** APIM names the current revision by the API name alone and every other one `name;rev=n`. */
export function apiEntityName(api: Pick<ApimApi, 'name' | 'apiRevision' | 'isCurrent'>): string {
  return api.isCurrent ? api.name : `${api.name};rev=${api.apiRevision}`;
}

/** The world's key for one revision of an API; stable across isCurrent flips, unlike apiEntityName(). */
export function apiRevisionKey(name: string, revision: string): string {
  return `${name};rev=${revision}`;
}

export function apiResourceId(service: ApimService, api: ApimApi): string {
  return `${serviceResourceId(service)}/apis/${apiEntityName(api)}`;
}

export function operationResourceId(service: ApimService, api: ApimApi, operation: string): string {
  return `${apiResourceId(service, api)}/operations/${operation}`;
}

export function versionSetResourceId(service: ApimService, name: string): string {
  return `${serviceResourceId(service)}/apiVersionSets/${name}`;
}

export function productResourceId(service: ApimService, name: string): string {
  return `${serviceResourceId(service)}/products/${name}`;
}

export function subscriptionResourceId(service: ApimService, name: string): string {
  return `${serviceResourceId(service)}/subscriptions/${name}`;
}

export function gatewayResourceId(service: ApimService, gateway: string): string {
  return `${serviceResourceId(service)}/gateways/${gateway}`;
}

export function gatewayApiResourceId(service: ApimService, gateway: string, api: string): string {
  return `${gatewayResourceId(service, gateway)}/apis/${api}`;
}

export function hostnameConfigurationResourceId(service: ApimService, gateway: string, name: string): string {
  return `${gatewayResourceId(service, gateway)}/hostnameConfigurations/${name}`;
}

/** ARM writes an APIM subscription's scope as a resource path under the service. */
export function subscriptionScopeId(service: ApimService, scope: SubscriptionScope): string {
  switch (scope.kind) {
    case 'allApis':
      return `${serviceResourceId(service)}/apis`;
    case 'api':
      return `${serviceResourceId(service)}/apis/${scope.api}`;
    case 'product':
      return productResourceId(service, scope.product);
  }
}

export function arcClusterResourceId(c: Pick<ArcCluster, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${c.name}`;
}

export function arcExtensionResourceId(cluster: ArcCluster, extension: string): string {
  return `${arcClusterResourceId(cluster)}/providers/Microsoft.KubernetesConfiguration/extensions/${extension}`;
}

/** The gateway's v2 configuration endpoint (what the portal's Deployment blade shows). */
export function configurationEndpoint(service: Pick<ApimService, 'name'>): string {
  return `https://${service.name}.configuration.azure-api.net`;
}

/** The retired v1 endpoint (support ended October 2023); existing deployments may still carry it. */
export function legacyConfigurationEndpoint(service: Pick<ApimService, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `https://${service.name}.management.azure-api.net${serviceResourceId(service)}?api-version=2021-01-01-preview`;
}
