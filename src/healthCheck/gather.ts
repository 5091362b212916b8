// Gathers the health engine's input (src/health) for one gateway Deployment from the cluster and, when the gateway
// is bound to an APIM gateway, from ARM. Reads run in parallel; a read that fails leaves its part out, so the check
// says "not known" for it instead of failing as a whole. Secrets never enter: the token is reduced to its gateway id
// and expiry (gatewayToken.ts), settings come from the Arc extension's non-protected settings or from literal env
// values and ConfigMaps, never from Secrets. No `vscode` import, so sandbox tests and the bench drive it directly.
import type { AzureData, CallOptions } from '../azure/armService.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import type { GatewayBinding } from '../azure/records.ts';
import { parseGatewayLog } from '../gatewayLogs/parser.ts';
import type { HealthDeployment, HealthInput, HealthLog, HealthPod, HealthSettings } from '../health/types.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import { gatewayContainerSpec } from '../kubernetes/gateways.ts';
import { listEvents, listPods, listServices, readConfigMap, readDeployment, readPodLogText } from '../kubernetes/resources.ts';
import { deploymentSelector, serviceSelects } from '../kubernetes/selectors.ts';
import type { KubeDeployment, KubePod } from '../kubernetes/types.ts';

/** The beginning of a run read for its start-up entries: banner, settings, first sync (a few hundred lines). */
export const STARTUP_BYTES = 256 * 1024;
export const RECENT_LINES = 300;
export const PREVIOUS_LINES = 200;
/** Setting names whose values are secret: never read, never shown. */
const SECRET_SETTING = /auth|key|token|secret|password|connectionstring/i;

export interface HealthTarget {
  namespace: string;
  deployment: string;
}

export interface HealthSources {
  kube: KubeContextClient;
  /** ARM, when the gateway is bound to an APIM gateway (and, on Arc, the extension that installed it). */
  azure?: { data: AzureData; binding?: GatewayBinding; extension?: ClusterExtensionInfo };
  now?: () => Date;
  signal?: AbortSignal;
}

async function optional<T>(read: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

/** The pod whose log tells most: a crash-looping one (its previous run says why), else a ready one, else any. */
export function podForLog(pods: readonly KubePod[]): { pod: KubePod; crashed: boolean } | undefined {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const crashed = live.find((p) => (p.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0 && c.state?.waiting?.reason === 'CrashLoopBackOff'));
  if (crashed) return { pod: crashed, crashed: true };
  const ready = live.find((p) => (p.status?.containerStatuses ?? []).some((c) => c.ready === true));
  const running = live.find((p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.running));
  const pod = ready ?? running ?? live[0];
  return pod ? { pod, crashed: false } : undefined;
}

async function readLog(kube: KubeContextClient, namespace: string, deployment: KubeDeployment, pods: readonly KubePod[], signal: AbortSignal): Promise<HealthLog | undefined> {
  const chosen = podForLog(pods);
  const name = chosen?.pod.metadata?.name;
  if (!chosen || name === undefined) return undefined;
  const container = gatewayContainerSpec(deployment)?.name;
  const base = { ...(container !== undefined ? { container } : {}) };
  const [startup, previous] = await Promise.all([
    optional(readPodLogText(kube, namespace, name, { ...base, limitBytes: STARTUP_BYTES }, signal), signal),
    chosen.crashed || (chosen.pod.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0)
      ? optional(readPodLogText(kube, namespace, name, { ...base, previous: true, tailLines: PREVIOUS_LINES }, signal), signal)
      : Promise.resolve(undefined),
  ]);
  // A log longer than the start-up read also has a tail worth reading; a shorter one is all in `startup` already.
  const recent = startup?.truncated ? await optional(readPodLogText(kube, namespace, name, { ...base, tailLines: RECENT_LINES }, signal), signal) : undefined;
  const log: HealthLog = { pod: name, ...base };
  if (startup) log.startup = parseGatewayLog(startup.text);
  if (recent) log.recent = parseGatewayLog(recent.text);
  if (previous) log.previous = parseGatewayLog(previous.text);
  return log;
}

/** The gateway container's settings as the kubelet resolves them, without Secrets and without secret-named keys. */
async function containerSettings(kube: KubeContextClient, namespace: string, deployment: KubeDeployment, signal: AbortSignal): Promise<HealthSettings> {
  const container = gatewayContainerSpec(deployment);
  const values: Record<string, string> = {};
  const origins = [`Deployment ${namespace}/${deployment.metadata?.name ?? ''} env`];
  for (const from of container?.envFrom ?? []) {
    if (!from.configMapRef) continue;
    const map = await optional(readConfigMap(kube, namespace, from.configMapRef.name, signal), signal);
    if (!map) continue;
    origins.push(`ConfigMap ${from.configMapRef.name}`);
    for (const [key, value] of Object.entries(map.data ?? {})) values[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const env of container?.env ?? []) {
    if (env.value !== undefined) values[env.name] = env.value;
    else if (env.valueFrom?.configMapKeyRef) {
      const ref = env.valueFrom.configMapKeyRef;
      const map = await optional(readConfigMap(kube, namespace, ref.name, signal), signal);
      const value = map?.data?.[ref.key];
      if (value !== undefined) values[env.name] = value;
    } else if (env.valueFrom?.secretKeyRef) delete values[env.name];
  }
  for (const key of Object.keys(values)) if (SECRET_SETTING.test(key)) delete values[key];
  return { source: 'container-env', origin: origins.join(' + '), values };
}

/**
 * Only what the engine reads: a Deployment's or pod's spec also holds env values, which may carry the token itself
 * (a literal `config.service.auth`), and the input goes on to a webview.
 */
export function slimDeployment(d: KubeDeployment): HealthDeployment {
  const containers = (d.spec?.template?.spec?.containers ?? []).map((c) => ({ name: c.name, ...(c.image !== undefined ? { image: c.image } : {}) }));
  return {
    metadata: { ...(d.metadata?.name !== undefined ? { name: d.metadata.name } : {}), ...(d.metadata?.namespace !== undefined ? { namespace: d.metadata.namespace } : {}) },
    spec: { ...(d.spec?.replicas !== undefined ? { replicas: d.spec.replicas } : {}), template: { spec: { containers } } },
    ...(d.status ? { status: d.status } : {}),
  };
}

export function slimPod(p: KubePod): HealthPod {
  const meta = p.metadata ?? {};
  return {
    metadata: {
      ...(meta.name !== undefined ? { name: meta.name } : {}),
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      ...(meta.creationTimestamp !== undefined ? { creationTimestamp: meta.creationTimestamp } : {}),
      ...(meta.deletionTimestamp !== undefined ? { deletionTimestamp: meta.deletionTimestamp } : {}),
    },
    spec: { containers: (p.spec?.containers ?? []).map((c) => ({ name: c.name, ...(c.image !== undefined ? { image: c.image } : {}) })) },
    ...(p.status ? { status: { ...p.status } as HealthPod['status'] } : {}),
  };
}

function extensionSettings(extension: ClusterExtensionInfo): HealthSettings {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(extension.configurationSettings)) if (!SECRET_SETTING.test(key)) values[key] = value;
  const out: HealthSettings = { source: 'arc-extension', origin: `Arc extension ${extension.name}`, values, extensionId: extension.id };
  if (extension.version !== undefined) out.extensionVersion = extension.version;
  return out;
}

export async function gatherHealthInput(sources: HealthSources, target: HealthTarget): Promise<HealthInput> {
  const { kube } = sources;
  const signal = sources.signal ?? new AbortController().signal;
  const { namespace } = target;
  const deployment = await readDeployment(kube, namespace, target.deployment, signal);
  const name = deployment.metadata?.name ?? target.deployment;
  const armOptions: CallOptions = { signal };
  const binding = sources.azure?.binding;
  const [pods, events, services, token, settings, apis] = await Promise.all([
    optional(listPods(kube, namespace, deploymentSelector(deployment), signal), signal),
    optional(listEvents(kube, namespace, signal), signal),
    optional(listServices(kube, namespace, signal), signal),
    readTokenFacts(kube, deployment, signal),
    sources.azure?.extension ? Promise.resolve(extensionSettings(sources.azure.extension)) : optional(containerSettings(kube, namespace, deployment, signal), signal),
    binding && sources.azure ? optional(sources.azure.data.listGatewayApis(binding.gatewayId, armOptions), signal) : Promise.resolve(undefined),
  ]);
  const log = pods ? await optional(readLog(kube, namespace, deployment, pods, signal), signal) : undefined;
  const podNames = new Set((pods ?? []).map((p) => p.metadata?.name));
  // Events about the Deployment, its ReplicaSets (named after it) and its pods.
  const ours = (events ?? []).filter((e) => {
    const object = e.involvedObject?.name ?? '';
    return podNames.has(object) || object === name || object.startsWith(`${name}-`);
  });
  const podLabels = deployment.spec?.template?.metadata?.labels;
  const service = services?.find((s) => serviceSelects(s.spec?.selector, podLabels));

  const input: HealthInput = { target: `Deployment ${namespace}/${name}`, deployment: slimDeployment(deployment), now: (sources.now ?? (() => new Date()))().toISOString() };
  if (pods) input.pods = pods.map(slimPod);
  if (events) input.events = ours;
  if (log) input.log = log;
  if (token) input.token = { gatewayId: token.gatewayId, expiresAt: token.expiresAt.toISOString(), source: token.source };
  if (settings) input.settings = settings;
  if (service) input.service = service;
  if (binding) {
    input.gateway = {
      name: binding.gatewayName,
      serviceName: binding.serviceId.split('/').pop() ?? '',
      ...(apis ? { apis: apis.map((a) => ({ name: a.name, displayName: a.displayName, ...(a.path !== undefined ? { path: a.path } : {}), protocols: [...a.protocols] })) } : {}),
    };
  }
  return input;
}
