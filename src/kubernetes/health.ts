// The Kubernetes reads the health check makes, as typed functions: the Deployment, its pods, the namespace's events
// and Services, ConfigMaps, and pod logs read once (the beginning of a run, its tail, the previous run). REST paths
// stay in this folder. No `vscode` import.
import type { KubeContextClient } from './client.ts';
import type { KubeDeployment, KubeList, KubePod, KubeService } from './types.ts';

/** A core/v1 Event, as much of it as the health check reads. */
export interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

export interface KubeConfigMap {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}

const ns = (namespace: string): string => `/api/v1/namespaces/${encodeURIComponent(namespace)}`;

export function getDeployment(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<KubeDeployment> {
  return client.getJson<KubeDeployment>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`, {}, signal);
}

export async function listPods(client: KubeContextClient, namespace: string, labelSelector: string, signal?: AbortSignal): Promise<KubePod[]> {
  return (await client.getJson<KubeList<KubePod>>(`${ns(namespace)}/pods`, { labelSelector }, signal)).items ?? [];
}

export async function listEvents(client: KubeContextClient, namespace: string, signal?: AbortSignal): Promise<KubeEvent[]> {
  return (await client.getJson<KubeList<KubeEvent>>(`${ns(namespace)}/events`, {}, signal)).items ?? [];
}

export async function listServices(client: KubeContextClient, namespace: string, signal?: AbortSignal): Promise<KubeService[]> {
  return (await client.getJson<KubeList<KubeService>>(`${ns(namespace)}/services`, {}, signal)).items ?? [];
}

export function getConfigMap(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<KubeConfigMap> {
  return client.getJson<KubeConfigMap>(`${ns(namespace)}/configmaps/${encodeURIComponent(name)}`, {}, signal);
}

export interface PodLogRead {
  container?: string;
  /** The beginning of the run, at most this many bytes. */
  limitBytes?: number;
  /** The run's last lines. */
  tailLines?: number;
  /** The previous (crashed) run. */
  previous?: boolean;
}

export interface PodLogText {
  text: string;
  /** The read stopped at `limitBytes`: more lines follow. */
  truncated: boolean;
}

/** One read of a pod's log; undefined when the kubelet has none (400: not started yet, no previous run). */
export async function readPodLog(client: KubeContextClient, namespace: string, pod: string, read: PodLogRead, signal: AbortSignal): Promise<PodLogText | undefined> {
  const query = {
    container: read.container,
    limitBytes: read.limitBytes,
    tailLines: read.tailLines,
    previous: read.previous ? true : undefined,
  };
  const maxBody = (read.limitBytes ?? 4 * 1024 * 1024) + 1;
  const response = await client.send({ method: 'GET', path: `${ns(namespace)}/pods/${encodeURIComponent(pod)}/log`, query, maxBody }, signal);
  if (response.status !== 200) return undefined;
  const text = response.body.toString('utf8');
  return { text, truncated: read.limitBytes !== undefined && response.size >= read.limitBytes };
}
