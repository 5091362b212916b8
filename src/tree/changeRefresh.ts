// The Gateways tree hears every Change (src/changes.ts) and reloads each loaded node that shows what changed, in
// both halves: the APIM service, gateway and API nodes, the Arc cluster and extension nodes (wherever the command
// started: our tree, the Azure Resources explorer, the palette, a fix), and the Kubernetes half's context (namespaces
// that came or went) and Deployment nodes (replicas, the running token's expiry). "Loaded" is what the view was
// given: a node never shown loads fresh when it is opened.
import { matchKubeContext } from '../azure/kubeContexts.ts';
import type { AzureRecords } from '../azure/records.ts';
import { describeChange, type Change, type ChangeBus, type Subscription } from '../changes.ts';
import type { Logger } from '../extensionLog.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { ApimGatewayNode } from './azureApimNodes.ts';
import type { ArmNode } from './azureBase.ts';
import { changeTargets, type ChangeTargets } from './changeTargets.ts';
import { GatewayDeploymentNode, GatewayNamespaceNode } from './gatewayNodes.ts';
import type { GatewaysTreeProvider } from './gatewaysTreeProvider.ts';
import type { TreeNode } from './items.ts';
import { KubeContextNode } from './kubernetesNodes.ts';

export interface ChangeRefreshOptions {
  readonly tree: GatewaysTreeProvider;
  readonly kubeconfig: Pick<KubeconfigSource, 'read'>;
  readonly records: Pick<AzureRecords, 'kubeContextFor'>;
  readonly log: Logger;
}

export function refreshOnChange(bus: ChangeBus, options: ChangeRefreshOptions): Subscription {
  return bus.onDidChange((change) => {
    options.log.debug(`change: ${describeChange(change)}`);
    void refreshFor(change, options).catch((error: unknown) => options.log.error(`refreshing the tree after ${change.kind} failed: ${safeErrorMessage(error)}`));
  });
}

/**
 * Reloads the loaded nodes a change touched: at once what the change names (so the command that fired it returns
 * with its nodes already invalidated), then the kubeconfig context of an Arc cluster once the kubeconfig was read.
 * Resolves with every node reloaded.
 */
export async function refreshFor(change: Change, options: ChangeRefreshOptions): Promise<TreeNode[]> {
  const targets = changeTargets(change);
  const refreshed = new Set<TreeNode>();
  const refresh = (contexts: ReadonlySet<string>, wholeContexts: ReadonlySet<string>): void => {
    for (const node of options.tree.loadedNodes()) {
      if (refreshed.has(node) || !touches(node, targets, contexts, wholeContexts)) continue;
      refreshed.add(node);
      options.tree.refresh(node);
    }
  };
  const contexts = new Set(targets.kube.map((p) => p.context));
  refresh(contexts, new Set());
  if (targets.clusters.length === 0) return [...refreshed];
  // Without a named place, the whole context of the extension's cluster: its namespaces and Deployments.
  const wholeContexts = new Set<string>();
  for (const cluster of targets.clusters) {
    const context = await contextOfCluster(options, cluster).catch(() => undefined);
    if (context && !contexts.has(context)) {
      contexts.add(context);
      wholeContexts.add(context);
    }
  }
  if (wholeContexts.size > 0) refresh(contexts, wholeContexts);
  return [...refreshed];
}

/** The kubeconfig context that plays an Arc cluster, matched as the tree matches it (remembered, or named alike). */
async function contextOfCluster(options: ChangeRefreshOptions, cluster: { id: string; name: string }): Promise<string | undefined> {
  const summary = await options.kubeconfig.read();
  return summary.ok ? matchKubeContext(cluster.name, summary.value.contexts, options.records.kubeContextFor(cluster.id)) : undefined;
}

function touches(node: TreeNode, t: ChangeTargets, contexts: ReadonlySet<string>, wholeContexts: ReadonlySet<string>): boolean {
  const armId = (node as Partial<ArmNode>).armId;
  if (typeof armId === 'string' && t.armIds.has(armId.toLowerCase())) return true;
  if (node instanceof ApimGatewayNode) {
    return t.gatewaysOfServices.has(node.gateway.serviceId.toLowerCase()) || [...t.extensions].some((id) => node.showsExtension(id));
  }
  if (node instanceof KubeContextNode) return contexts.has(node.contextName);
  if (node instanceof GatewayNamespaceNode || node instanceof GatewayDeploymentNode) {
    if (wholeContexts.has(node.context)) return true;
    const name = node instanceof GatewayDeploymentNode ? node.name : undefined;
    return t.kube.some((p) => p.context === node.context && p.namespace === node.namespace && (p.deployment === undefined || name === undefined || p.deployment === name));
  }
  return false;
}
