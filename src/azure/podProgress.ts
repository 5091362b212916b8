// While ARM installs the gateway extension, the cluster itself shows what is happening: the release's pods going
// Pending → ContainerCreating → Running. This watches them (one list+watch, by the Helm instance label the chart
// sets) and reports one line per change, the way `kubectl get po --watch` would be read. No `vscode` import.
import type { KubernetesClients } from '../kubernetes/client.ts';
import { summarizePod, type PodSummary } from '../kubernetes/gateways.ts';
import { ListWatch } from '../kubernetes/listWatch.ts';
import type { KubePod } from '../kubernetes/types.ts';
import type { DisposableLike } from '../util/disposable.ts';
import { collectionPaths } from '../kubernetes/resources.ts';

/** "2 pods: 1 Running (1/1 ready), 1 ContainerCreating". */
export function describePods(pods: readonly PodSummary[]): string {
  if (pods.length === 0) return 'no pods yet';
  const counts = new Map<string, number>();
  for (const p of pods) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const ready = pods.filter((p) => p.ready).length;
  const parts = [...counts].map(([status, n]) => `${n} ${status}`);
  return `${pods.length} pod${pods.length === 1 ? '' : 's'}: ${parts.join(', ')} (${ready}/${pods.length} ready)`;
}

export async function watchReleasePods(kube: KubernetesClients, context: string, namespace: string, release: string, report: (text: string, pods: PodSummary[]) => void): Promise<DisposableLike> {
  const client = await kube.forContext(context);
  const pods = new Map<string, KubePod>();
  let last = '';
  const changed = (): void => {
    const summaries = [...pods.values()].map(summarizePod);
    const text = describePods(summaries);
    if (text !== last) {
      last = text;
      report(text, summaries);
    }
  };
  const watch = new ListWatch<KubePod>(
    client,
    collectionPaths.pods(namespace),
    { labelSelector: `app.kubernetes.io/instance=${release}` },
    {
      replace: (items) => {
        pods.clear();
        for (const p of items) pods.set(p.metadata?.name ?? '', p);
        changed();
      },
      event: (type, p) => {
        if (type === 'DELETED') pods.delete(p.metadata?.name ?? '');
        else pods.set(p.metadata?.name ?? '', p);
        changed();
      },
      // Progress is a courtesy: an unreachable cluster must not fail the deployment ARM is doing.
      error: () => undefined,
    },
    { retryMs: 500, maxRetryMs: 2000 },
  );
  watch.start().catch(() => undefined);
  return watch;
}
