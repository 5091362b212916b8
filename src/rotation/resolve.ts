// What "Rotate Gateway Token" acts on, from where it was started: an APIM gateway (its deployments: Arc extensions
// recorded here or whose endpoint names its service), an Arc extension, or a gateway Deployment in a kubeconfig
// context (an Arc-managed release is rotated through ARM, since the Arc agents own its Secret; anything else through
// its own Secret). The cluster side is reached through the kubeconfig context that plays the Arc cluster. No `vscode`.
import { parseApimGatewayId, parseArcExtensionId } from '../azure/armIds.ts';
import type { AzureData } from '../azure/armService.ts';
import { SETTING_NAMES, settingStyleOf } from '../azure/gatewayExtension.ts';
import { apimServiceNameOfEndpoint, extensionsServing, findApimService, joinedGatewayId } from '../azure/gatewayJoin.ts';
import { matchKubeContext, type ContextCandidate } from '../azure/kubeContexts.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import type { AzureRecords } from '../azure/records.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import type { KubeDeployment } from '../kubernetes/types.ts';
import type { RotationTarget } from './rotate.ts';
import { readDeployment as readKubeDeployment } from '../kubernetes/resources.ts';

export interface KubeRef {
  readonly context: string;
  readonly namespace: string;
  readonly deployment: string;
}

/** One place a gateway's token can be rotated; the gateway may still be unknown (then the wizard asks). */
export interface RotationCandidate {
  readonly label: string;
  readonly description: string;
  readonly gatewayId: string | undefined;
  readonly gatewayName: string | undefined;
  readonly store: RotationTarget['store'];
  readonly kube: KubeRef | undefined;
  /** The token's expiry as read from the cluster, when it could be. */
  readonly runningExpiry: Date | undefined;
}

export interface ResolveDeps {
  readonly data: AzureData;
  readonly records: AzureRecords;
  readonly kube: KubernetesClients;
  /** The kubeconfig's contexts (empty without a kubeconfig). */
  readonly contexts: readonly ContextCandidate[];
  /** Subscriptions to search (the selected ones). */
  readonly subscriptionIds: () => Promise<string[]>;
  readonly signal?: AbortSignal;
}

async function readDeployment(deps: ResolveDeps, ref: KubeRef): Promise<KubeDeployment | undefined> {
  try {
    const client = await deps.kube.forContext(ref.context);
    return await readKubeDeployment(client, ref.namespace, ref.deployment, deps.signal);
  } catch {
    return undefined;
  }
}

async function runningToken(deps: ResolveDeps, ref: KubeRef | undefined): Promise<{ gatewayName: string; expiresAt: Date } | undefined> {
  if (!ref) return undefined;
  const deployment = await readDeployment(deps, ref);
  if (!deployment) return undefined;
  const facts = await readTokenFacts(await deps.kube.forContext(ref.context), deployment, deps.signal);
  return facts ? { gatewayName: facts.gatewayId, expiresAt: facts.expiresAt } : undefined;
}

/** The candidate for one Arc extension; `gatewayId` when the caller already knows it. */
export async function candidateForExtension(deps: ResolveDeps, extension: ClusterExtensionInfo, known?: { gatewayId: string; gatewayName: string }): Promise<RotationCandidate> {
  const ref = parseArcExtensionId(extension.id);
  const clusterName = ref.ok ? ref.value.cluster.name : '';
  const context = matchKubeContext(clusterName, deps.contexts, deps.records.kubeContextFor(extension.clusterId));
  const kube = context && extension.namespace ? { context, namespace: extension.namespace, deployment: extension.name } : undefined;
  const style = settingStyleOf(extension.configurationSettings) ?? 'current';
  const running = await runningToken(deps, kube).catch(() => undefined);
  let gateway = known;
  const recorded = deps.records.deploymentOfExtension(extension.id);
  if (!gateway && recorded) {
    const g = parseApimGatewayId(recorded.gatewayId);
    if (g.ok) gateway = { gatewayId: g.value.id, gatewayName: g.value.name };
  }
  if (!gateway && running) {
    const serviceName = apimServiceNameOfEndpoint(extension.configurationSettings['gateway.configuration.uri'] ?? extension.configurationSettings['gateway.endpoint']);
    const service = serviceName ? await findApimService(deps.data, await deps.subscriptionIds(), serviceName, deps.signal).catch(() => undefined) : undefined;
    if (service) gateway = { gatewayId: joinedGatewayId(service, running.gatewayName), gatewayName: running.gatewayName };
  }
  return {
    label: extension.name,
    description: `Arc extension on ${clusterName} · namespace ${extension.namespace ?? '?'}${kube ? '' : ' · no kubeconfig context (pods cannot be restarted from here)'}`,
    gatewayId: gateway?.gatewayId,
    gatewayName: gateway?.gatewayName,
    store: { kind: 'arc', extensionId: extension.id, tokenSetting: SETTING_NAMES[style].token },
    kube,
    runningExpiry: running?.expiresAt,
  };
}

/** Every deployment of an APIM gateway that can be found from here. */
export async function candidatesForGateway(deps: ResolveDeps, gatewayId: string): Promise<RotationCandidate[]> {
  const g = parseApimGatewayId(gatewayId);
  if (!g.ok) throw new Error(g.error);
  const known = { gatewayId: g.value.id, gatewayName: g.value.name };
  const recorded = deps.records.deploymentsOf(gatewayId).map((r) => r.extensionId.toLowerCase());
  const [scanned, fromRecords] = await Promise.all([
    extensionsServing(deps.data, [g.value.service.subscriptionId], g.value.service.name, deps.signal).catch(() => [] as ClusterExtensionInfo[]),
    Promise.all(recorded.map((id) => deps.data.getClusterExtension(id, { signal: deps.signal }).catch(() => undefined))),
  ]);
  const byId = new Map<string, ClusterExtensionInfo>();
  for (const e of [...fromRecords, ...scanned]) if (e) byId.set(e.id.toLowerCase(), e);
  const candidates = await Promise.all([...byId.values()].map((e) => candidateForExtension(deps, e, known)));
  // An extension of the same service that runs another gateway (its token says so) is not this gateway's.
  return candidates.filter((c) => c.gatewayName === undefined || c.gatewayName.toLowerCase() === g.value.name.toLowerCase());
}

/** A Deployment seen in a kubeconfig context: through ARM when an Arc extension owns it, else through its Secret. */
export async function candidateForDeployment(deps: ResolveDeps, ref: KubeRef): Promise<RotationCandidate> {
  const deployment = await readDeployment(deps, ref);
  if (!deployment) throw new Error(`Deployment ${ref.namespace}/${ref.deployment} could not be read in context ${ref.context}`);
  const running = await runningToken(deps, ref);
  const release = deployment.metadata?.annotations?.['meta.helm.sh/release-name'];
  const subscriptionIds = await deps.subscriptionIds().catch(() => [] as string[]);
  if (release && release === ref.deployment) {
    // The Arc cluster this context plays, if any, and an extension of that name on it.
    for (const subscriptionId of subscriptionIds) {
      const clusters = await deps.data.listArcClusters(subscriptionId, undefined, { signal: deps.signal }).catch(() => undefined);
      for (const cluster of clusters?.items ?? []) {
        if (matchKubeContext(cluster.name, deps.contexts, deps.records.kubeContextFor(cluster.id)) !== ref.context) continue;
        const extensions = await deps.data.listClusterExtensions(cluster.id, { signal: deps.signal }).catch(() => [] as ClusterExtensionInfo[]);
        const owner = extensions.find((e) => e.name === release && e.namespace === ref.namespace);
        if (owner) return candidateForExtension(deps, owner);
      }
    }
  }
  let gateway: { gatewayId: string; gatewayName: string } | undefined;
  if (running) {
    // The token names the gateway; find the one service of that name that has it.
    for (const subscriptionId of subscriptionIds) {
      const page = await deps.data.listApimServices(subscriptionId, undefined, { signal: deps.signal }).catch(() => undefined);
      for (const service of page?.items ?? []) {
        const id = joinedGatewayId(service, running.gatewayName);
        if (await deps.data.getGateway(id, { signal: deps.signal }).catch(() => undefined)) gateway = { gatewayId: id, gatewayName: running.gatewayName };
      }
    }
  }
  return {
    label: ref.deployment,
    description: `Deployment in ${ref.context} · namespace ${ref.namespace}`,
    gatewayId: gateway?.gatewayId,
    gatewayName: gateway?.gatewayName ?? running?.gatewayName,
    store: { kind: 'kubernetes' },
    kube: ref,
    runningExpiry: running?.expiresAt,
  };
}
