// Which parts of the Gateways tree show what a Change (src/changes.ts) touched, as ids: the tree's listener
// (changeRefresh.ts) reloads every loaded node they name. Pure (no `vscode`); unit tested.
import { parseApimGatewayId, parseArcClusterId, parseArcExtensionId } from '../azure/armIds.ts';
import type { Change, KubePlace } from '../changes.ts';

export interface ChangeTargets {
  /** ARM ids (lower case) whose loaded nodes reload: services, gateways, clusters, extensions. */
  readonly armIds: ReadonlySet<string>;
  /** Services (lower case) whose every loaded gateway node reloads: an API's protocols show under each gateway. */
  readonly gatewaysOfServices: ReadonlySet<string>;
  /** Extensions (lower case): the APIM gateway nodes that list them as deployments reload. */
  readonly extensions: ReadonlySet<string>;
  /** Arc clusters whose kubeconfig context reloads in the Kubernetes half (matched as the tree matches them). */
  readonly clusters: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** Kubernetes places: the context's node reloads (namespaces that came or went), and the Deployment's when named. */
  readonly kube: readonly KubePlace[];
}

export function changeTargets(change: Change): ChangeTargets {
  const armIds = new Set<string>();
  const gatewaysOfServices = new Set<string>();
  const extensions = new Set<string>();
  const clusters = new Map<string, { id: string; name: string }>();
  const kube: KubePlace[] = [];
  const gateway = (id: string | undefined, withService: boolean): void => {
    if (!id) return;
    armIds.add(id.toLowerCase());
    const ref = parseApimGatewayId(id);
    if (withService && ref.ok) armIds.add(ref.value.service.id.toLowerCase());
  };
  const extension = (id: string | undefined): void => {
    if (!id) return;
    armIds.add(id.toLowerCase());
    extensions.add(id.toLowerCase());
    const ref = parseArcExtensionId(id);
    if (ref.ok) {
      armIds.add(ref.value.cluster.id.toLowerCase());
      clusters.set(ref.value.cluster.id.toLowerCase(), { id: ref.value.cluster.id, name: ref.value.cluster.name });
    }
  };
  const place = (p: KubePlace | undefined): void => {
    if (p) kube.push(p);
  };
  switch (change.kind) {
    case 'gatewayCreated':
    case 'gatewayDeleted':
      gateway(change.gatewayId, true);
      break;
    case 'extensionDeployed':
      extension(change.extensionId);
      // The wizard may have created the gateway on the way: its service's list too.
      gateway(change.gatewayId, true);
      place(change.kube);
      break;
    case 'extensionUpdated':
      extension(change.extensionId);
      place(change.kube);
      break;
    case 'extensionUninstalled':
      extension(change.extensionId);
      break;
    case 'kubernetesDeployed':
      place(change.kube);
      gateway(change.gatewayId, false);
      break;
    case 'kubernetesUninstalled':
      place(change.kube);
      break;
    case 'apisAssigned':
    case 'apisRemoved':
      gateway(change.gatewayId, false);
      break;
    case 'apiProtocolsChanged':
      gatewaysOfServices.add(change.serviceId.toLowerCase());
      break;
    case 'tokenRotated':
      gateway(change.gatewayId, false);
      extension(change.extensionId);
      place(change.kube);
      break;
    case 'kubeContextChosen': {
      armIds.add(change.clusterId.toLowerCase());
      const ref = parseArcClusterId(change.clusterId);
      if (ref.ok) clusters.set(ref.value.id.toLowerCase(), { id: ref.value.id, name: ref.value.name });
      break;
    }
  }
  return { armIds, gatewaysOfServices, extensions, clusters: [...clusters.values()], kube };
}
