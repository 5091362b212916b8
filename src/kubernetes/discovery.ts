// Finding the gateway Deployments of one cluster, for the tree and the pickers. No `vscode` import.
import { apiStatus, type KubeContextClient } from './client.ts';
import { describeGatewayDeployment, groupGateways, type GatewayDeploymentInfo } from './gateways.ts';
import { ListWatch } from './listWatch.ts';
import type { KubeDeployment, KubeList } from './types.ts';

export interface GatewayDiscovery {
  /** Gateways by namespace, sorted. */
  readonly byNamespace: ReadonlyMap<string, GatewayDeploymentInfo[]>;
  /** Set when listing every namespace was forbidden and only this one was searched. */
  readonly onlyNamespace?: string;
}

/**
 * Every gateway Deployment the user may list: all namespaces in one call, or, when RBAC forbids that (403), the
 * context's own namespace (`fallbackNamespace`, else `default`), as kubectl would use it.
 */
export async function discoverGateways(client: KubeContextClient, fallbackNamespace: string | undefined, signal?: AbortSignal): Promise<GatewayDiscovery> {
  try {
    const list = await client.getJson<KubeList<KubeDeployment>>('/apis/apps/v1/deployments', {}, signal);
    return { byNamespace: groupGateways(list.items ?? []) };
  } catch (error) {
    if (apiStatus(error) !== 403) throw error;
    const ns = fallbackNamespace || 'default';
    const list = await client.getJson<KubeList<KubeDeployment>>(`/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`, {}, signal);
    return { byNamespace: groupGateways(list.items ?? []), onlyNamespace: ns };
  }
}

/**
 * A user-facing sentence for a failed cluster call (the tree shows it as an error item). The context is followed by a
 * dash, not a colon: `<name>: <value>` is how secrets are written, and a context called `…-token` must not read as one.
 */
export function describeClusterError(context: string, error: unknown): string {
  const status = apiStatus(error);
  if (status !== undefined) {
    if (status === 401) return `${context} — the cluster rejected the credentials (401 Unauthorized). Sign in again or refresh the kubeconfig's token.`;
    if (status === 403) return `${context} — not allowed (403 Forbidden): ${(error as Error).message}`;
    return `${context} — ${(error as Error).message}`;
  }
  return `${context} — ${error instanceof Error ? error.message : String(error)}`;
}

/** `namespace/name` of every gateway Deployment, sorted: what the tree shows below a context (not their status). */
export function gatewaySignature(deployments: Iterable<KubeDeployment>): string {
  const keys: string[] = [];
  for (const d of deployments) {
    const info = describeGatewayDeployment(d);
    if (info) keys.push(`${info.namespace}/${info.name}`);
  }
  return keys.sort().join(',');
}

/**
 * Watches the Deployments of every namespace (or of `onlyNamespace`, when listing all is forbidden) and calls
 * `changed` with the new signature whenever a gateway Deployment appears or goes — a gateway deployed into a new
 * namespace, from here or anywhere. Status changes do not count. Dispose to stop.
 */
export function watchGatewayDeployments(client: KubeContextClient, onlyNamespace: string | undefined, changed: (signature: string) => void, failed?: (error: unknown, retryInMs: number) => void): ListWatch<KubeDeployment> {
  const byKey = new Map<string, KubeDeployment>();
  const key = (d: KubeDeployment): string => `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`;
  const path = onlyNamespace === undefined ? '/apis/apps/v1/deployments' : `/apis/apps/v1/namespaces/${encodeURIComponent(onlyNamespace)}/deployments`;
  let last: string | undefined;
  const report = (): void => {
    const signature = gatewaySignature(byKey.values());
    if (signature !== last) {
      last = signature;
      changed(signature);
    }
  };
  const watch = new ListWatch<KubeDeployment>(client, path, {}, {
    replace: (items) => {
      byKey.clear();
      for (const d of items) byKey.set(key(d), d);
      report();
    },
    event: (type, d) => {
      if (type === 'DELETED') byKey.delete(key(d));
      else byKey.set(key(d), d);
      report();
    },
    ...(failed ? { error: failed } : {}),
  });
  void watch.start().catch((error: unknown) => failed?.(error, 0));
  return watch;
}
