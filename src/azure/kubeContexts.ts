// Which kubeconfig context plays an Arc-enabled cluster. Arc knows the cluster by its ARM name; kubeconfig knows
// contexts and clusters by whatever names `az aks get-credentials`, `az connectedk8s proxy` or an admin chose. A
// remembered choice wins; else a context or cluster named exactly like the Arc cluster; else the user is asked (once).
// No `vscode` import.

export interface ContextCandidate {
  readonly name: string;
  readonly cluster: string;
}

export function matchKubeContext(clusterName: string, contexts: readonly ContextCandidate[], remembered: string | undefined): string | undefined {
  if (remembered && contexts.some((c) => c.name === remembered)) return remembered;
  const byContext = contexts.find((c) => c.name === clusterName);
  if (byContext) return byContext.name;
  const byCluster = contexts.filter((c) => c.cluster === clusterName);
  // Two contexts on the same cluster (different users or namespaces): not ours to choose.
  if (byCluster.length === 1) return byCluster[0]?.name;
  const lower = clusterName.toLowerCase();
  const caseInsensitive = contexts.filter((c) => c.name.toLowerCase() === lower);
  return caseInsensitive.length === 1 ? caseInsensitive[0]?.name : undefined;
}
