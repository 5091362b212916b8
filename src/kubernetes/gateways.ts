// Which Deployments are API Management self-hosted gateways, and what the tree shows about them, their pods and
// the Services in front of them. Pure: no `vscode`, no Node APIs.
import { matchesSelector, serviceSelects } from './selectors.ts';
import type { KubeContainer, KubeContainerStatus, KubeDeployment, KubePod, KubeService, KubeServicePort } from './types.ts';

/** The gateway's image path on any registry or mirror (`mcr.microsoft.com/azure-api-management/gateway:v2`). */
const GATEWAY_IMAGE = /(^|\/)azure-api-management\/gateway(:|@|$)/;

/** The chart's name (the Arc extension's chart and the public Helm chart): `app.kubernetes.io/name` on its objects. */
export const GATEWAY_CHART_NAME = 'azure-api-management-gateway';

/** Why a Deployment counts as a gateway: its container image, or the labels its Helm chart sets. */
export type GatewayMatch = 'image' | 'chart';

export function gatewayMatch(deployment: KubeDeployment): GatewayMatch | undefined {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  if (containers.some((c) => c.image !== undefined && GATEWAY_IMAGE.test(c.image))) return 'image';
  // A mirrored or renamed image still runs the gateway when the chart deployed it.
  const labels = { ...deployment.spec?.template?.metadata?.labels, ...deployment.metadata?.labels };
  if (labels['app.kubernetes.io/name'] === GATEWAY_CHART_NAME || labels['helm.sh/chart']?.startsWith(`${GATEWAY_CHART_NAME}-`)) return 'chart';
  return undefined;
}

export function gatewayContainerSpec(deployment: KubeDeployment): KubeContainer | undefined {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.image !== undefined && GATEWAY_IMAGE.test(c.image)) ?? containers[0];
}

export interface GatewayDeploymentInfo {
  readonly namespace: string;
  readonly name: string;
  readonly matchedBy: GatewayMatch;
  readonly image: string | undefined;
  /** The image tag (`v2`, `2.11.1`) or digest prefix; undefined for an untagged image. */
  readonly tag: string | undefined;
  readonly desired: number;
  readonly ready: number;
  readonly updated: number;
  readonly available: number;
  /** The Helm release (the Arc extension's name) when the chart set `app.kubernetes.io/instance`. */
  readonly release: string | undefined;
}

export function describeGatewayDeployment(deployment: KubeDeployment): GatewayDeploymentInfo | undefined {
  const matchedBy = gatewayMatch(deployment);
  if (!matchedBy) return undefined;
  const image = gatewayContainerSpec(deployment)?.image;
  return {
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    matchedBy,
    image,
    tag: image ? imageTag(image) : undefined,
    desired: deployment.spec?.replicas ?? 1,
    ready: deployment.status?.readyReplicas ?? 0,
    updated: deployment.status?.updatedReplicas ?? 0,
    available: deployment.status?.availableReplicas ?? 0,
    release: deployment.metadata?.labels?.['app.kubernetes.io/instance'],
  };
}

/** `reg:5000/a/b:tag` → `tag`; `a/b@sha256:abc…` → `sha256:abc…` shortened; `a/b` → undefined. */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 19);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}

/** Gateways grouped by namespace, namespaces and names sorted. */
export function groupGateways(deployments: readonly KubeDeployment[]): Map<string, GatewayDeploymentInfo[]> {
  const groups = new Map<string, GatewayDeploymentInfo[]>();
  for (const d of deployments) {
    const info = describeGatewayDeployment(d);
    if (!info) continue;
    const list = groups.get(info.namespace) ?? [];
    list.push(info);
    groups.set(info.namespace, list);
  }
  const sorted = new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
  for (const list of sorted.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return sorted;
}

// ---- pods ---------------------------------------------------------------------------------------------------------

export interface PodSummary {
  readonly name: string;
  /** What `kubectl get pods` shows in STATUS: Pending, ContainerCreating, Running, CrashLoopBackOff, Terminating, … */
  readonly status: string;
  readonly phase: string;
  readonly readyContainers: number;
  readonly containers: number;
  readonly restarts: number;
  readonly ready: boolean;
  readonly podIP: string | undefined;
  readonly node: string | undefined;
  /** The reason of the last container termination, when the pod restarted (`Error`, `OOMKilled`). */
  readonly lastTermination: string | undefined;
  readonly message: string | undefined;
}

/** Summarises a pod the way `kubectl get pods` does (kubectl's printPod). */
export function summarizePod(pod: KubePod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = pod.spec?.containers?.length ?? statuses.length;
  const phase = pod.status?.phase ?? 'Pending';
  let status = pod.status?.reason ?? phase;
  let message = pod.status?.message;
  const init = initStatus(pod.status?.initContainerStatuses ?? []);
  if (init) {
    status = init;
  } else {
    let running = false;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i] as KubeContainerStatus;
      if (s.state?.waiting?.reason) {
        status = s.state.waiting.reason;
        message = s.state.waiting.message ?? message;
      } else if (s.state?.terminated) {
        const t = s.state.terminated;
        status = t.reason ?? (t.exitCode !== undefined ? `ExitCode:${t.exitCode}` : 'Terminated');
        message = t.message ?? message;
      } else if (s.ready && s.state?.running) {
        running = true;
      }
    }
    if (status === 'Completed' && running) status = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) status = 'Terminating';
  const lastTerminated = [...statuses].reverse().find((s) => s.lastState?.terminated)?.lastState?.terminated;
  return {
    name: pod.metadata?.name ?? '',
    status,
    phase,
    readyContainers: statuses.filter((s) => s.ready).length,
    containers,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    podIP: pod.status?.podIP,
    node: pod.spec?.nodeName,
    lastTermination: lastTerminated ? (lastTerminated.reason ?? `exit ${lastTerminated.exitCode ?? '?'}`) : undefined,
    message,
  };
}

function initStatus(statuses: readonly KubeContainerStatus[]): string | undefined {
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i] as KubeContainerStatus;
    if (s.state?.terminated?.exitCode === 0) continue;
    if (s.state?.terminated) return `Init:${s.state.terminated.reason ?? `ExitCode:${s.state.terminated.exitCode ?? '?'}`}`;
    if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing') return `Init:${s.state.waiting.reason}`;
    return `Init:${i}/${statuses.length}`;
  }
  return undefined;
}

/** Whether a pod belongs to the gateway Deployment (its selector matches the pod's labels). */
export function podOfDeployment(deployment: KubeDeployment, pod: KubePod): boolean {
  return matchesSelector(deployment.spec?.selector, pod.metadata?.labels);
}

// ---- services -----------------------------------------------------------------------------------------------------

export type PortScheme = 'http' | 'https';

export interface ServicePortInfo {
  readonly name: string | undefined;
  readonly port: number;
  /** As written in the Service: a number or a container port name. */
  readonly targetPort: number | string;
  /** The container port it reaches, a named targetPort resolved against the gateway's container ports. */
  readonly containerPort: number | undefined;
  readonly nodePort: number | undefined;
  readonly protocol: string;
  /** From the port's name, or the gateway's 8080 (http) / 8081 (https). */
  readonly scheme: PortScheme | undefined;
  /** `5000→8080/TCP`, with `:30080` appended for a NodePort. */
  readonly label: string;
}

export interface GatewayServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string | undefined;
  readonly ports: readonly ServicePortInfo[];
  /** LoadBalancer ingress addresses. */
  readonly external: readonly string[];
}

/** The Services whose selector picks the Deployment's pods, described with their real ports. */
export function servicesForDeployment(deployment: KubeDeployment, services: readonly KubeService[]): GatewayServiceInfo[] {
  const podLabels = deployment.spec?.template?.metadata?.labels;
  const ns = deployment.metadata?.namespace;
  const containerPorts = gatewayContainerSpec(deployment)?.ports ?? [];
  return services
    .filter((s) => (ns === undefined || s.metadata?.namespace === undefined || s.metadata.namespace === ns) && serviceSelects(s.spec?.selector, podLabels))
    .map((s) => describeService(s, containerPorts))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function describeService(service: KubeService, containerPorts: readonly { name?: string; containerPort: number }[]): GatewayServiceInfo {
  return {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    type: service.spec?.type ?? 'ClusterIP',
    clusterIP: service.spec?.clusterIP,
    ports: (service.spec?.ports ?? []).map((p) => describePort(p, containerPorts)),
    external: (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean),
  };
}

export function describePort(port: KubeServicePort, containerPorts: readonly { name?: string; containerPort: number }[]): ServicePortInfo {
  // An absent targetPort means the same number as `port` (the API defaults it).
  const targetPort = port.targetPort ?? port.port;
  const containerPort = typeof targetPort === 'number' ? targetPort : containerPorts.find((c) => c.name === targetPort)?.containerPort;
  const protocol = port.protocol ?? 'TCP';
  const target = containerPort ?? targetPort;
  return {
    name: port.name,
    port: port.port,
    targetPort,
    containerPort,
    nodePort: port.nodePort,
    protocol,
    scheme: portScheme(port.name, typeof targetPort === 'string' ? targetPort : undefined, containerPort),
    label: `${port.port}→${target}/${protocol}${port.nodePort ? ` (node ${port.nodePort})` : ''}`,
  };
}

function portScheme(name: string | undefined, targetName: string | undefined, containerPort: number | undefined): PortScheme | undefined {
  for (const n of [name, targetName]) {
    if (!n) continue;
    const lower = n.toLowerCase();
    if (lower === 'https' || lower.endsWith('-https') || lower.startsWith('https-') || lower === 'tls') return 'https';
    if (lower === 'http' || lower.endsWith('-http') || lower.startsWith('http-')) return 'http';
  }
  if (containerPort === 8080) return 'http';
  if (containerPort === 8081) return 'https';
  return undefined;
}
