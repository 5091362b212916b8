// Which APIM service (and gateway) an Arc gateway extension runs, read from what ARM returns about it — its
// configuration endpoint setting (`gateway.configuration.uri`, or the 2021 `gateway.endpoint`) — so the join holds
// for extensions installed anywhere (portal, az, the seed blog), not only for those deployed from this VS Code. The
// gateway's own name is in the token, which ARM never returns; a token read from the cluster names it. No `vscode`.
import { apimGatewayId, parseArcClusterId } from './armIds.ts';
import type { AzureData } from './armService.ts';
import { endpointOf, isGatewayExtensionType } from './gatewayExtension.ts';
import type { ApimServiceInfo, ClusterExtensionInfo } from './models.ts';

/**
 * The APIM service name a configuration endpoint names: `https://<name>.configuration.<domain>` (v2), or the retired
 * v1 `https://<name>.management.<domain>/subscriptions/…/service/<name>…`. Undefined for anything else.
 */
export function apimServiceNameOfEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  const text = endpoint.trim();
  const v1 = /\/providers\/Microsoft\.ApiManagement\/service\/([^/?#]+)/i.exec(text);
  if (v1?.[1]) return decodeURIComponent(v1[1]).toLowerCase();
  const host = /^(?:https?:\/\/)?([^/:?#]+)/i.exec(text)?.[1];
  const m = host ? /^([a-z0-9-]+)\.(?:configuration|management)\.azure-api\.(?:net|us|cn)$/i.exec(host) : null;
  return m?.[1]?.toLowerCase();
}

/** Whether an extension's settings point at this APIM service. */
export function extensionServesService(extension: Pick<ClusterExtensionInfo, 'extensionType' | 'configurationSettings'>, serviceName: string): boolean {
  return isGatewayExtensionType(extension.extensionType) && apimServiceNameOfEndpoint(endpointOf(extension.configurationSettings)) === serviceName.toLowerCase();
}

/** Gateway extensions on the Arc clusters of the given subscriptions whose endpoint names the service. */
export async function extensionsServing(data: AzureData, subscriptionIds: readonly string[], serviceName: string, signal?: AbortSignal): Promise<ClusterExtensionInfo[]> {
  const lists = await Promise.all(subscriptionIds.map(async (subscriptionId) => {
    const clusters = [];
    let next: string | undefined;
    do {
      const page = await data.listArcClusters(subscriptionId, next, { signal });
      clusters.push(...page.items);
      next = page.next;
    } while (next);
    const extensions = await Promise.all(clusters.map((c) => data.listClusterExtensions(c.id, { signal }).catch(() => [] as ClusterExtensionInfo[])));
    return extensions.flat();
  }));
  return lists.flat().filter((e) => extensionServesService(e, serviceName));
}

/** The APIM service named `name` among the subscriptions' services (undefined when none or several match). */
export async function findApimService(data: AzureData, subscriptionIds: readonly string[], name: string, signal?: AbortSignal): Promise<ApimServiceInfo | undefined> {
  const lists = await Promise.all(subscriptionIds.map(async (subscriptionId) => {
    const services: ApimServiceInfo[] = [];
    let next: string | undefined;
    do {
      const page = await data.listApimServices(subscriptionId, next, { signal });
      services.push(...page.items);
      next = page.next;
    } while (next);
    return services;
  }));
  const found = lists.flat().filter((s) => s.name.toLowerCase() === name.toLowerCase());
  return found.length === 1 ? found[0] : undefined;
}

/** The gateway an extension runs, when the service is found and the token's gateway name is known. */
export function joinedGatewayId(service: Pick<ApimServiceInfo, 'id'>, gatewayName: string): string {
  return apimGatewayId(service, gatewayName);
}

export function clusterSubscription(clusterId: string): string | undefined {
  const ref = parseArcClusterId(clusterId);
  return ref.ok ? ref.value.subscriptionId : undefined;
}

/** The gateway a 2021-era endpoint names in its path (`…/service/<apim>/gateways/<gateway>…`); undefined otherwise. */
export function apimGatewayNameOfEndpoint(endpoint: string | undefined): string | undefined {
  const m = endpoint ? /\/providers\/Microsoft\.ApiManagement\/service\/[^/?#]+\/gateways\/([^/?#]+)/i.exec(endpoint.trim()) : null;
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}
