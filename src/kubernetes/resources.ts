// Every Kubernetes REST path the extension uses, and typed reads and writes over them. Nothing outside
// src/kubernetes builds a path: a caller says what it wants (a Deployment, the pods of a selector, a pod's log since a
// time) and gets typed objects back. Names and namespaces are always percent-encoded here, never by the caller.
import type { KubeContextClient, Query, RawResponse } from './client.ts';
import type { KubeConfigMap, KubeDeployment, KubeEvent, KubeList, KubePod, KubeService } from './types.ts';

const e = encodeURIComponent;
const core = (namespace: string): string => `/api/v1/namespaces/${e(namespace)}`;
const apps = (namespace: string): string => `/apis/apps/v1/namespaces/${e(namespace)}`;

/** Collection paths, for list-then-watch (ListWatch) callers. */
export const collectionPaths = {
  pods: (namespace: string): string => `${core(namespace)}/pods`,
  services: (namespace: string): string => `${core(namespace)}/services`,
  secrets: (namespace: string): string => `${core(namespace)}/secrets`,
  deployments: (namespace: string): string => `${apps(namespace)}/deployments`,
} as const;

const podPath = (namespace: string, name: string): string => `${collectionPaths.pods(namespace)}/${e(name)}`;
const secretPath = (namespace: string, name: string): string => `${collectionPaths.secrets(namespace)}/${e(name)}`;

/** Where the service proxy relays a request: `service` is `[https:]name:port` as the API server expects it. */
export function serviceProxyPath(namespace: string, service: { name: string; port: number; https: boolean }, pathAndQuery: string): string {
  return `${collectionPaths.services(namespace)}/${service.https ? 'https:' : ''}${e(service.name)}:${service.port}/proxy${pathAndQuery}`;
}

export function readDeployment(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<KubeDeployment> {
  return client.getJson<KubeDeployment>(`${collectionPaths.deployments(namespace)}/${e(name)}`, {}, signal);
}

export async function listDeployments(client: KubeContextClient, namespace: string, signal?: AbortSignal): Promise<KubeDeployment[]> {
  return (await client.getJson<KubeList<KubeDeployment>>(collectionPaths.deployments(namespace), {}, signal)).items ?? [];
}

/** The namespace's Services (the caller matches them to a Deployment's pod labels: a Service's selector is not a label selector). */
export async function listServices(client: KubeContextClient, namespace: string, signal?: AbortSignal): Promise<KubeService[]> {
  return (await client.getJson<KubeList<KubeService>>(collectionPaths.services(namespace), {}, signal)).items ?? [];
}

export async function listPods(client: KubeContextClient, namespace: string, labelSelector: string, signal?: AbortSignal): Promise<KubePod[]> {
  return (await client.getJson<KubeList<KubePod>>(collectionPaths.pods(namespace), { labelSelector }, signal)).items ?? [];
}

/** A gateway Deployment and every Service of its namespace, read together. */
export async function readDeploymentAndServices(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<{ deployment: KubeDeployment; services: KubeService[] }> {
  const [deployment, services] = await Promise.all([readDeployment(client, namespace, name, signal), listServices(client, namespace, signal)]);
  return { deployment, services };
}

export interface PodLogQuery {
  container?: string;
  /** RFC 3339, whole seconds (the API server truncates). */
  sinceTime?: string;
  limitBytes?: number;
  tailLines?: number;
  timestamps?: boolean;
  previous?: boolean;
  follow?: boolean;
}

/** A pod's log read once; any status resolves (a pod whose container has not started answers 400). */
export function readPodLog(client: KubeContextClient, namespace: string, pod: string, query: PodLogQuery, signal: AbortSignal, options: { maxBody?: number } = {}): Promise<RawResponse> {
  return client.send({ method: 'GET', path: `${podPath(namespace, pod)}/log`, query: logQuery(query), ...(options.maxBody !== undefined ? { maxBody: options.maxBody } : {}) }, signal);
}

export interface PodLogText {
  text: string;
  /** The read stopped at `limitBytes`: more lines follow. */
  truncated: boolean;
}

/** A pod's log read once as text; undefined when the kubelet has none (400: not started yet, no previous run). */
export async function readPodLogText(client: KubeContextClient, namespace: string, pod: string, query: PodLogQuery, signal: AbortSignal): Promise<PodLogText | undefined> {
  const response = await readPodLog(client, namespace, pod, query, signal, { maxBody: (query.limitBytes ?? 4 * 1024 * 1024) + 1 });
  if (response.status !== 200) return undefined;
  return { text: response.body.toString('utf8'), truncated: query.limitBytes !== undefined && response.size >= query.limitBytes };
}

/** The namespace's events (the health check picks those about the gateway's Deployment, ReplicaSets and pods). */
export async function listEvents(client: KubeContextClient, namespace: string, signal?: AbortSignal): Promise<KubeEvent[]> {
  return (await client.getJson<KubeList<KubeEvent>>(`${core(namespace)}/events`, {}, signal)).items ?? [];
}

export function readConfigMap(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<KubeConfigMap> {
  return client.getJson<KubeConfigMap>(`${core(namespace)}/configmaps/${e(name)}`, {}, signal);
}

/** A pod's log as a stream (`follow`), for log follow. */
export function openPodLog(client: KubeContextClient, namespace: string, pod: string, query: PodLogQuery, signal: AbortSignal): ReturnType<KubeContextClient['openStream']> {
  return client.openStream(`${podPath(namespace, pod)}/log`, logQuery(query), signal);
}

function logQuery(query: PodLogQuery): Query {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Query;
}

export function readPod(client: KubeContextClient, namespace: string, name: string, signal?: AbortSignal): Promise<KubePod> {
  return client.getJson<KubePod>(podPath(namespace, name), {}, signal);
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' } as const;

/** Creates a pod; resolves with the API server's answer whatever its status (the caller words the failure). */
export function createPod(client: KubeContextClient, namespace: string, manifest: unknown, signal: AbortSignal): Promise<RawResponse> {
  return client.send({ method: 'POST', path: collectionPaths.pods(namespace), headers: JSON_HEADERS, body: JSON.stringify(manifest) }, signal);
}

export function deletePod(client: KubeContextClient, namespace: string, name: string, signal: AbortSignal, options: { gracePeriodSeconds?: number } = {}): Promise<RawResponse> {
  return client.send({ method: 'DELETE', path: podPath(namespace, name), ...(options.gracePeriodSeconds !== undefined ? { query: { gracePeriodSeconds: options.gracePeriodSeconds } } : {}) }, signal);
}

export function createSecret(client: KubeContextClient, namespace: string, manifest: unknown, signal: AbortSignal): Promise<RawResponse> {
  return client.send({ method: 'POST', path: collectionPaths.secrets(namespace), headers: JSON_HEADERS, body: JSON.stringify(manifest) }, signal);
}

export function deleteSecret(client: KubeContextClient, namespace: string, name: string, signal: AbortSignal): Promise<RawResponse> {
  return client.send({ method: 'DELETE', path: secretPath(namespace, name) }, signal);
}

/** A merge patch of a Secret (`application/merge-patch+json`). */
export function patchSecret(client: KubeContextClient, namespace: string, name: string, patch: unknown, signal: AbortSignal): Promise<RawResponse> {
  return client.send({ method: 'PATCH', path: secretPath(namespace, name), headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json' }, body: JSON.stringify(patch) }, signal);
}
