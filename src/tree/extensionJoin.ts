// Which APIM gateway an Arc gateway extension runs, for the tree — read from what can be seen, not only from what this
// VS Code deployed: the service from the extension's endpoint setting (`gateway.configuration.uri`, or the 2021
// `gateway.endpoint`), the gateway from a deployment recorded here, from a 2021 endpoint that names it, or from the
// running token read from the cluster (its first part names the gateway; the token text never leaves
// src/kubernetes/gatewayToken.ts). Results are cached per extension until the tree is refreshed.
import { parseApimGatewayId } from '../azure/armIds.ts';
import { endpointOf } from '../azure/gatewayExtension.ts';
import { apimGatewayNameOfEndpoint, apimServiceNameOfEndpoint } from '../azure/gatewayJoin.ts';
import { matchKubeContext } from '../azure/kubeContexts.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import { parseArcExtensionId } from '../azure/armIds.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import { readDeployment } from '../kubernetes/resources.ts';
import type { AzureTreeContext } from './azureBase.ts';

export interface ExtensionJoin {
  /** The APIM service the endpoint setting names (lower case), when it names one. */
  readonly serviceName: string | undefined;
  /** The gateway's name in that service, when known. */
  readonly gatewayName: string | undefined;
  /** How the gateway was learnt. */
  readonly source: 'record' | 'endpoint' | 'token' | undefined;
  /** The running (or recorded) token's expiry, when known. */
  readonly tokenExpiry: Date | undefined;
}

const cache = new WeakMap<AzureTreeContext, Map<string, Promise<ExtensionJoin>>>();

/** Forgets what was learnt (the title-bar Refresh, or a change made from here). */
export function forgetJoins(tree: AzureTreeContext, extensionId?: string): void {
  if (extensionId === undefined) cache.delete(tree);
  else cache.get(tree)?.delete(extensionId.toLowerCase());
}

/** The join of one extension, cached until forgotten. Never throws: what cannot be read stays undefined. */
export function joinOfExtension(tree: AzureTreeContext, extension: ClusterExtensionInfo): Promise<ExtensionJoin> {
  let map = cache.get(tree);
  if (!map) cache.set(tree, (map = new Map()));
  const key = extension.id.toLowerCase();
  let found = map.get(key);
  if (!found) {
    found = readJoin(tree, extension).catch(() => ({ serviceName: apimServiceNameOfEndpoint(endpointOf(extension.configurationSettings)), gatewayName: undefined, source: undefined, tokenExpiry: undefined }));
    map.set(key, found);
  }
  return found;
}

async function readJoin(tree: AzureTreeContext, extension: ClusterExtensionInfo): Promise<ExtensionJoin> {
  const endpoint = endpointOf(extension.configurationSettings);
  const serviceName = apimServiceNameOfEndpoint(endpoint);
  const record = tree.records.deploymentOfExtension(extension.id);
  if (record) {
    const g = parseApimGatewayId(record.gatewayId);
    if (g.ok) return { serviceName: g.value.service.name.toLowerCase(), gatewayName: g.value.name, source: 'record', tokenExpiry: new Date(record.tokenExpiry) };
  }
  const fromEndpoint = apimGatewayNameOfEndpoint(endpoint);
  const running = await runningToken(tree, extension);
  if (fromEndpoint) return { serviceName, gatewayName: fromEndpoint, source: 'endpoint', tokenExpiry: running?.expiresAt };
  if (running) return { serviceName, gatewayName: running.gatewayId, source: 'token', tokenExpiry: running.expiresAt };
  return { serviceName, gatewayName: undefined, source: undefined, tokenExpiry: undefined };
}

/** The token the extension's Deployment runs, through the kubeconfig context that plays its cluster. */
async function runningToken(tree: AzureTreeContext, extension: ClusterExtensionInfo): Promise<{ gatewayId: string; expiresAt: Date } | undefined> {
  const ref = parseArcExtensionId(extension.id);
  if (!ref.ok || !extension.namespace) return undefined;
  const summary = await tree.kubeconfig.read();
  if (!summary.ok) return undefined;
  const context = matchKubeContext(ref.value.cluster.name, summary.value.contexts, tree.records.kubeContextFor(extension.clusterId));
  if (!context) return undefined;
  const client = await tree.kube.forContext(context);
  const deployment = await readDeployment(client, extension.namespace, extension.name);
  return readTokenFacts(client, deployment);
}
