// `kubectl rollout restart` and `kubectl rollout status`, through the API as kubectl does them: the restart is a
// strategic-merge PATCH of the pod template's `kubectl.kubernetes.io/restartedAt` annotation (the Deployment
// controller then rolls the pods by its own strategy: maxSurge/maxUnavailable, readiness); the status is read until
// the controller has observed the new generation and every replica is updated and available. No `vscode` import.
import type { KubeContextClient } from './client.ts';
import { KubeApiError } from './client.ts';
import { selectorString } from './selectors.ts';
import type { KubeDeployment, KubeList, KubePod } from './types.ts';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** kubectl writes `time.Now().Format(time.RFC3339)`: seconds precision, no fraction. */
export function restartedAtValue(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The patch kubectl sends (pkg/polymorphichelpers/objectrestarter.go), as a strategic merge patch. */
export function restartPatch(now: Date): string {
  return JSON.stringify({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAtValue(now) } } } } });
}

function deploymentPath(namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
}

/** Restarts a Deployment's pods; resolves with the generation the controller must observe. */
export async function rolloutRestart(client: KubeContextClient, namespace: string, name: string, now: Date, signal: AbortSignal): Promise<number> {
  const response = await client.send({
    method: 'PATCH',
    path: deploymentPath(namespace, name),
    query: { fieldManager: 'kubectl-rollout' },
    headers: { 'Content-Type': 'application/strategic-merge-patch+json', Accept: 'application/json' },
    body: restartPatch(now),
  }, signal);
  const text = response.body.toString('utf8');
  if (response.status < 200 || response.status >= 300) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // Not a Status object: keep the status line.
    }
    throw new KubeApiError(`restarting deployment ${namespace}/${name}: ${message}`, response.status);
  }
  const patched = JSON.parse(text) as { metadata?: { generation?: number } };
  return patched.metadata?.generation ?? 0;
}

/** One observation of a rollout, for progress: what `kubectl rollout status` and `kubectl get pods` would show. */
export interface RolloutProgress {
  readonly desired: number;
  readonly updated: number;
  readonly available: number;
  /** Pods of the previous template still there (terminating or serving). */
  readonly oldPods: number;
  readonly terminating: number;
  /** Pods of the new template that are Ready. */
  readonly newReady: number;
  readonly done: boolean;
  readonly text: string;
}

interface DeploymentWithStatus extends KubeDeployment {
  metadata?: KubeDeployment['metadata'] & { generation?: number };
  status?: KubeDeployment['status'] & { observedGeneration?: number };
}

function ready(pod: KubePod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Reads the Deployment and its pods once. `newHash` is the pod-template-hash of the new ReplicaSet, when known. */
export async function observeRollout(client: KubeContextClient, namespace: string, name: string, generation: number, signal?: AbortSignal): Promise<RolloutProgress> {
  const d = await client.getJson<DeploymentWithStatus>(deploymentPath(namespace, name), {}, signal);
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= Math.max(generation, d.metadata?.generation ?? 0);
  const selector = selectorString(d.spec?.selector);
  const pods = (await client.getJson<KubeList<KubePod>>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, selector ? { labelSelector: selector } : {}, signal)).items ?? [];
  const restartedAt = d.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  const isNew = (p: KubePod) => p.metadata?.annotations?.[RESTARTED_AT] === restartedAt;
  const terminating = pods.filter((p) => p.metadata?.deletionTimestamp).length;
  const oldPods = pods.filter((p) => !isNew(p)).length;
  const newReady = pods.filter((p) => isNew(p) && !p.metadata?.deletionTimestamp && ready(p)).length;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const done = observed && updated >= desired && available >= desired && (s.replicas ?? 0) <= desired && oldPods === 0;
  const text = done
    ? `${desired} of ${desired} new pods ready`
    : `${newReady} of ${desired} new pods ready · ${oldPods} old pod${oldPods === 1 ? '' : 's'}${terminating ? ` (${terminating} terminating)` : ''}`;
  return { desired, updated, available, oldPods, terminating, newReady, done, text };
}

/** Waits for the rollout like `kubectl rollout status`, reporting each change; rejects after `timeoutMs`. */
export async function waitForRollout(
  client: KubeContextClient, namespace: string, name: string, generation: number,
  report: (progress: RolloutProgress) => void, signal: AbortSignal, options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<RolloutProgress> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let last = '';
  for (;;) {
    const progress = await observeRollout(client, namespace, name, generation, signal);
    if (progress.text !== last) report(progress);
    last = progress.text;
    if (progress.done) return progress;
    if (Date.now() > deadline) throw new Error(`deployment ${namespace}/${name} did not finish rolling out in time: ${progress.text}`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, options.everyMs ?? 250);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      }, { once: true });
    });
  }
}
